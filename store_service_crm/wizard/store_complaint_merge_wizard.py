from odoo import api, fields, models
from odoo.exceptions import UserError


class StoreComplaintMergeWizard(models.TransientModel):
    """Pick the complaint to keep among duplicates of one customer."""

    _name = "store.complaint.merge.wizard"
    _description = "Merge duplicate complaints"

    complaint_ids = fields.Many2many("store.complaint", required=True)
    keep_id = fields.Many2one(
        "store.complaint",
        required=True,
        domain="[('id', 'in', complaint_ids)]",
        help="The complaint that stays open; the others are cancelled, linked to it.",
    )

    @api.onchange("complaint_ids")
    def _onchange_complaint_ids(self):
        if self.keep_id not in self.complaint_ids:
            complaints = self.env["store.complaint"].browse(self.complaint_ids.ids)
            self.keep_id = complaints.sorted(lambda c: (c.date_received, c.id))[:1]

    def action_merge(self):
        self.ensure_one()
        if self.keep_id not in self.complaint_ids:
            raise UserError(self.env._("Keep one of the complaints being merged."))
        keep = self.env["store.complaint"].browse(self.keep_id.id)
        keep.action_merge((self.complaint_ids - self.keep_id).ids)
        return keep.get_formview_action()
