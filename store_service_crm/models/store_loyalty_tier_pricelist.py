"""Tier benefits: the pricelist a tier gives its customers (see res_partner_tier_pricelist.py)."""

from odoo import api, fields, models

# customers given their tier's new pricelist per cron call (one committed batch)
PRICELIST_BATCH_SIZE = 5000


class StoreLoyaltyTier(models.Model):
    _inherit = "store.loyalty.tier"

    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        ondelete="restrict",
        help="Given to customers when they reach this tier and taken back when they leave "
        "it. A pricelist set by hand on a customer is never replaced.",
    )

    pricelist_sync_pending = fields.Boolean(
        string="Pricelist Being Applied",
        readonly=True,
        copy=False,
        help="The tier's pricelist changed: its customers get the new one in the "
        "background, in committed batches.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "pricelist_id" in vals:
            # a tier may hold 100 k customers: not one UPDATE in the manager's request,
            # but committed batches of a triggered cron
            self.sudo().pricelist_sync_pending = True
            cron = self.env.ref(
                "store_service_crm.ir_cron_loyalty_tier_pricelist", raise_if_not_found=False
            )
            if cron:
                cron.sudo()._trigger()
        return res

    @api.model
    def _cron_sync_tier_pricelists(self, batch_size=PRICELIST_BATCH_SIZE):
        """Give the customers of the tiers whose pricelist changed the new one: one
        bounded batch per call (the cron runner commits and calls again while some
        remain). Only the rows out of step are written, so a killed run loses nothing
        and a rerun writes nothing twice."""
        tier = self.sudo().search([("pricelist_sync_pending", "=", True)], order="id", limit=1)
        if not tier:
            return 0
        done = (
            self.env["res.partner"]
            .sudo()
            ._loyalty_sync_pricelists(tier_ids=tier.ids, limit=batch_size)
        )
        if done < batch_size:
            tier.pricelist_sync_pending = False
        remaining = self.sudo().search_count([("pricelist_sync_pending", "=", True)])
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done


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
