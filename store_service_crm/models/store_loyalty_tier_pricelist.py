"""Tier benefits: the pricelist a tier gives its customers (see res_partner_tier_pricelist.py)."""

from odoo import fields, models


class StoreLoyaltyTier(models.Model):
    _inherit = "store.loyalty.tier"

    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        ondelete="restrict",
        help="Given to customers when they reach this tier and taken back when they leave "
        "it. A pricelist set by hand on a customer is never replaced.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "pricelist_id" in vals:
            # the customers already in the tier get (or lose) it at once: one UPDATE
            self.env["res.partner"]._loyalty_sync_pricelists(tier_ids=self.ids)
        return res


class StoreLoyaltyTierHistory(models.Model):
    _inherit = "store.loyalty.tier.history"

    old_pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Pricelist Before",
        ondelete="set null",
        help="The customer's own pricelist in the tier's company before the change.",
    )
    new_pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Pricelist After",
        ondelete="set null",
        help="The customer's own pricelist after the change: the new tier's, or the one "
        "set by hand, which the tier does not replace.",
    )
