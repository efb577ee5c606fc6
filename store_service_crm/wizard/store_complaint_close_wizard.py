from odoo import fields, models
from odoo.exceptions import UserError


class StoreComplaintCloseWizard(models.TransientModel):
    _name = "store.complaint.close.wizard"
    _description = "Close a complaint without verification"

    complaint_ids = fields.Many2many("store.complaint", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason for closing without verification."))
        complaints = self.env["store.complaint"].browse(self.complaint_ids.ids)
        complaints.with_context(store_complaint_close_reason=self.reason.strip()).action_close()
        return {"type": "ir.actions.act_window_close"}
