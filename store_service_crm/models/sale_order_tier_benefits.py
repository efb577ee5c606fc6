"""Tier benefits on the sale order: what the customer's tier gives them."""

from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    partner_loyalty_pricelist_id = fields.Many2one(
        related="partner_id.commercial_partner_id.loyalty_pricelist_id",
        string="Tier Pricelist",
    )
