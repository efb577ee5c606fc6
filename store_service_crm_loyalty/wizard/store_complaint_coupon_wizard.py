from odoo import api, fields, models

from ..models.store_loyalty_tier import COUPON_TYPES


class StoreComplaintCouponWizard(models.TransientModel):
    _name = "store.complaint.coupon.wizard"
    _description = "Compensate a Complaint with a Coupon"

    complaint_id = fields.Many2one("store.complaint", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="complaint_id.partner_id", string="Customer")
    company_id = fields.Many2one(related="complaint_id.company_id")
    currency_id = fields.Many2one(related="complaint_id.currency_id")
    program_id = fields.Many2one(
        "loyalty.program",
        string="Programme",
        required=True,
        domain=f"[('program_type', 'in', {list(COUPON_TYPES)}),"
        " ('company_id', 'in', (company_id, False))]",
        default=lambda self: self._default_program(),
    )
    amount = fields.Monetary(string="Value", currency_field="currency_id", required=True)
    expiration_date = fields.Date(string="Valid Until")

    @api.model
    def _default_program(self):
        return self.env.ref(
            "store_service_crm_loyalty.loyalty_program_compensation", raise_if_not_found=False
        )

    def action_confirm(self):
        self.ensure_one()
        self.complaint_id.action_compensate_with_coupon(
            self.program_id.id, self.amount, self.expiration_date
        )
        return {"type": "ir.actions.act_window_close"}
