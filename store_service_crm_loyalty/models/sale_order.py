"""Tier benefits on the order: the points multiplier of the customer's tier programme."""

# pylint: disable=no-member
# (the fields and methods come from store_service_crm and sale_loyalty, which pylint
# does not see through _inherit)

from odoo import fields, models
from odoo.tools import float_round


class SaleOrder(models.Model):
    _inherit = "sale.order"

    partner_loyalty_program_id = fields.Many2one(
        related="partner_id.commercial_partner_id.loyalty_tier_id.loyalty_program_id",
        string="Tier Programme",
    )
    partner_loyalty_points_multiplier = fields.Float(
        related="partner_id.commercial_partner_id.loyalty_tier_id.loyalty_points_multiplier",
        string="Points Multiplier",
    )

    def _program_check_compute_points(self, programs):
        result = super()._program_check_compute_points(programs)
        tier = self.partner_id.commercial_partner_id.loyalty_tier_id
        program = tier.loyalty_program_id
        factor = tier.loyalty_points_multiplier
        status = result.get(program) if program else None
        if status and "points" in status and factor and factor != 1.0:
            status["points"] = [
                float_round(points * factor, precision_digits=2, rounding_method="DOWN")
                for points in status["points"]
            ]
        return result
