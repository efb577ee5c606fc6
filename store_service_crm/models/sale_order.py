from odoo import api, fields, models

# Order fields that move a customer's loyalty figures.
LOYALTY_ORDER_FIELDS = {"state", "date_order", "partner_id", "company_id", "currency_rate"}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    partner_loyalty_tier_id = fields.Many2one(
        related="partner_id.commercial_partner_id.loyalty_tier_id", string="Customer Tier"
    )
    partner_loyalty_tier_color = fields.Integer(
        related="partner_id.commercial_partner_id.loyalty_tier_id.color", string="Tier Color"
    )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        confirmed = orders.filtered(lambda o: o.state == "sale")
        if confirmed:
            self.env["res.partner"]._recompute_loyalty(
                confirmed.mapped("partner_id.commercial_partner_id").ids
            )
        return orders

    def write(self, vals):
        if not LOYALTY_ORDER_FIELDS & vals.keys():
            return super().write(vals)
        # Only confirmed orders count: a change matters when an order is or was confirmed.
        before = self.filtered(lambda o: o.state == "sale").mapped(
            "partner_id.commercial_partner_id"
        )
        res = super().write(vals)
        after = self.filtered(lambda o: o.state == "sale").mapped(
            "partner_id.commercial_partner_id"
        )
        partners = before | after
        if partners:
            self.env["res.partner"]._recompute_loyalty(partners.ids)
        return res
