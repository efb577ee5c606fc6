from odoo import api, models

# Line fields that change the untaxed amount of an order.
LOYALTY_LINE_FIELDS = {"price_unit", "product_uom_qty", "discount", "tax_id", "product_id"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _loyalty_recompute_confirmed(self):
        """A confirmed order's amount changed: its customer's figures follow at once."""
        orders = self.order_id.filtered(lambda o: o.state == "sale")
        if orders:
            self.env["res.partner"]._recompute_loyalty(
                orders.mapped("partner_id.commercial_partner_id").ids
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._loyalty_recompute_confirmed()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if LOYALTY_LINE_FIELDS & vals.keys():
            self._loyalty_recompute_confirmed()
        return res

    def unlink(self):
        orders = self.order_id
        res = super().unlink()
        orders.exists().order_line._loyalty_recompute_confirmed()
        return res
