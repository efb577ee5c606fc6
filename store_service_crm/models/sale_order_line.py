from odoo import api, models

# Line fields that change the untaxed amount of an order.
LOYALTY_LINE_FIELDS = {"price_unit", "product_uom_qty", "discount", "tax_id", "product_id"}


def _recompute_loyalty_of(orders):
    """A confirmed order's amount changed: its customer is queued for the deferred
    recompute (see store_loyalty_pending.py)."""
    confirmed = orders.filtered(lambda o: o.state == "sale")
    if confirmed:
        confirmed.env["store.loyalty.pending"]._enqueue(confirmed.partner_id)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        _recompute_loyalty_of(lines["order_id"])
        return lines

    def write(self, vals):
        res = super().write(vals)
        if LOYALTY_LINE_FIELDS & vals.keys():
            _recompute_loyalty_of(self["order_id"])
        return res

    def unlink(self):
        orders = self["order_id"]
        res = super().unlink()
        _recompute_loyalty_of(orders.exists())
        return res
