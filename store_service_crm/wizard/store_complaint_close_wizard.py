from odoo import fields, models
from odoo.exceptions import UserError


class StoreComplaintCloseWizard(models.TransientModel):
    """Ask the reason of an exceptional end of a complaint: closing it without the
    customer's verification (managers) or cancelling it (everyone)."""

    _name = "store.complaint.close.wizard"
    _description = "Close or cancel a complaint with a reason"

    complaint_ids = fields.Many2many("store.complaint", required=True)
    mode = fields.Selection(
        [("close", "Close without verification"), ("cancel", "Cancel")],
        required=True,
        default="close",
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        reason = (self.reason or "").strip()
        complaints = self.env["store.complaint"].browse(self.complaint_ids.ids)
        if self.mode == "cancel":
            if not reason:
                raise UserError(self.env._("Give the reason for cancelling the complaint."))
            complaints.action_cancel(reason=reason)
        else:
            if not reason:
                raise UserError(self.env._("Give the reason for closing without verification."))
            complaints.with_context(store_complaint_close_reason=reason).action_close()
        return {"type": "ir.actions.act_window_close"}
