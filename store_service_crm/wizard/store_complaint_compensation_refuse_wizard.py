from odoo import fields, models


class StoreComplaintCompensationRefuseWizard(models.TransientModel):
    """The Refuse button of a compensation approval: asks the reason, then calls
    ``action_refuse_compensation`` (which checks the rights and the state)."""

    _name = "store.complaint.compensation.refuse.wizard"
    _description = "Refuse a Compensation"

    complaint_id = fields.Many2one("store.complaint", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.complaint_id.action_refuse_compensation(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
