"""Customers whose loyalty figures wait for the recompute (deferred, set-based).

Why deferred: an order confirmed, cancelled or changed used to UPDATE its
customer's row at once (spend, order count, tier) inside the order's
transaction. Under load (30 clerks, one busy customer, a company with many
buyers) the customer's row became a lock hot spot and caused serialization
retries; the loyalty figures do not need to be right within the same
transaction. Now the order only appends its customer here (an INSERT, which
locks nothing but its own row) and triggers the cron ``ir_cron_loyalty_pending``
(``ir.cron._trigger()``), which recomputes the queued customers set-based (the
same two queries as any recompute) in bounded, committed batches. The nightly
full recompute stays the safety net.
"""

from odoo import api, fields, models

PENDING_BATCH_SIZE = 5000


class StoreLoyaltyPending(models.Model):
    _name = "store.loyalty.pending"
    _description = "Customer waiting for a loyalty recompute"
    _order = "id"
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    # for the nightly run only (a tier set by hand, a lock changed): the pending cron
    # leaves these rows, so a tier set by hand stays until the night (issue 18)
    nightly = fields.Boolean(string="For the Nightly Run", readonly=True)

    @api.model
    def _enqueue(self, partners, nightly=False):
        """Queue the commercial entities of ``partners`` and wake the cron up. Called by
        the order hooks whoever changes the order: in superuser mode. ``nightly``: for
        the nightly run only (no wake-up)."""
        partner_ids = {pid for pid in partners.commercial_partner_id.ids if pid}
        if not partner_ids:
            return
        self.sudo().create([{"partner_id": pid, "nightly": nightly} for pid in sorted(partner_ids)])
        if nightly:
            return
        # one trigger per transaction, however many orders and lines it changes
        if self.env.cr.precommit.data.get("store_loyalty_pending_triggered"):
            return
        self.env.cr.precommit.data["store_loyalty_pending_triggered"] = True
        cron = self.env.ref("store_service_crm.ir_cron_loyalty_pending", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _cron_recompute_pending(self, batch_size=PENDING_BATCH_SIZE):
        """Recompute the queued customers, one bounded batch per call (the cron runner
        commits and calls again while some remain). A killed run loses nothing: the
        queue rows go in the same transaction as the figures they stand for."""
        pending = self.sudo().search([("nightly", "=", False)], limit=batch_size)
        if not pending:
            return 0
        partner_ids = pending.partner_id.ids
        # the same customer may be queued several times: every row up to the last one read
        self.sudo().search(
            [("partner_id", "in", partner_ids), ("id", "<=", max(pending.ids))]
        ).unlink()
        count = self.env["res.partner"].sudo()._recompute_loyalty(partner_ids)
        self.env["ir.cron"]._notify_progress(
            done=len(partner_ids), remaining=self.sudo().search_count([("nightly", "=", False)])
        )
        return count
