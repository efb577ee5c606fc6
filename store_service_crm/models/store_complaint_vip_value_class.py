# The model's fields and helpers come through _inherit, which pylint cannot follow.
# pylint: disable=no-member
from odoo import api, models


class StoreComplaint(models.Model):
    _inherit = "store.complaint"  # pylint: disable=consider-merging-classes-inherited

    @api.depends("partner_id", "company_id")
    def _compute_loyalty_tier_id(self):
        """VIP also by value class: a customer of one of the company's VIP value classes."""
        res = super()._compute_loyalty_tier_id()
        for complaint in self.filtered(lambda c: not c.is_vip):
            company = complaint.company_id or self.env.company
            value_class = complaint.partner_id.commercial_partner_id.customer_value_class
            complaint.is_vip = bool(
                value_class and value_class in company.complaint_vip_value_class_ids.mapped("code")
            )
        return res
