from odoo import fields, models


class StoreComplaintHoldWizard(models.TransientModel):
    """Ask why the store waits for the customer (the SLA clocks stop meanwhile)."""

    _name = "store.complaint.hold.wizard"
    _description = "Wait for the customer"

    complaint_ids = fields.Many2many("store.complaint", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        complaints = self.env["store.complaint"].browse(self.complaint_ids.ids)
        complaints.action_put_on_hold(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
