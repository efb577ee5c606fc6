"""Tier benefits on the sale order: what the customer's tier gives them."""

from odoo import fields, models


class SaleOrder(models.Model):
    # One concept per file: sale.order is extended in several files on purpose.
    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    partner_loyalty_pricelist_id = fields.Many2one(
        related="partner_id.commercial_partner_id.loyalty_pricelist_id",
        string="Tier Pricelist",
    )
