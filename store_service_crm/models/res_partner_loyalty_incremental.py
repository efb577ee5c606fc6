# The model's helpers come through _inherit, which pylint cannot follow.
# pylint: disable=no-member
"""The nightly tier recompute, incremental: only the customers whose figures can
have changed since the last run (issue 18).

What can change a customer's figures (spend and orders over the window, first and
last order, lifecycle, tier) between two nightly runs, and how the run finds it:

- an order confirmed, cancelled or changed (sale orders, and the bridges' orders:
  ``store.order.source``): the order hooks queue its customer in
  ``store.loyalty.pending`` (the pending cron usually recomputes it within
  minutes; what it has not done yet, the nightly run does);
- a tier set by hand or a lock changed: queued as well, for the nightly run only
  (``nightly``: the pending cron leaves them, so a tier set by hand stays until
  the night, as before);
- an order leaving the rolling window: the confirmed orders dated between the
  window start of the last run and today's (a range on the indexed
  ``date_order``);
- the lifecycle's edges (new → active → at risk → lost): the customers whose first
  or last order date crossed ``today - days`` since the last run (ranges on
  indexed dates);
- a downgrade whose grace period ends: ``loyalty_downgrade_since`` due (indexed);
- a tier, a threshold or a loyalty setting changed, or the previous run too old
  or missing: everyone (the full recompute). The run keeps the date and a
  fingerprint of the tiers and settings it ran with in ``ir.config_parameter``.

The Pareto class uses the company's cut-offs of the last full recompute (as the
pending cron does); the full recompute refreshes them, at least every
``store_service_crm.loyalty_full_every_days`` days (7 by default).

Kill-safe: the customers are recomputed in committed batches, each batch removes
its queue rows in the same transaction, and the run's date is saved last: a
killed run is redone from the same starting point, and a rerun changes nothing.

The cron runs its batches on ``store_service_crm.loyalty_workers`` connections at
once (2 by default; 1 runs them one after the other): the rewrite of a batch's rows
(an entry in each index of ``res_partner`` per row) is what the run's time is made
of, and PostgreSQL does it on one core per connection.
"""

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import cron_run_lock, split_batches
from .res_company import LOYALTY_SETTINGS
from .res_partner import LOYALTY_FIGURES

_logger = logging.getLogger(__name__)

#: JSON {"date": the last run's day, "fingerprint": its tiers and settings,
#: "full": the day of the last full recompute}
#: what an incremental run leaves as a full one would: every figure of a recompute but the
#: value class, whose chain-wide cut-offs only a full run refreshes (at least weekly)
INCREMENTAL_FIGURES = tuple(name for name in LOYALTY_FIGURES if name != "customer_value_class")
LOYALTY_RUN_PARAM = "store_service_crm.loyalty_last_run"
LOYALTY_FULL_EVERY_PARAM = "store_service_crm.loyalty_full_every_days"
LOYALTY_FULL_EVERY_DAYS = 7
INCREMENTAL_BATCH_SIZE = 20000
LOYALTY_WORKERS_PARAM = "store_service_crm.loyalty_workers"
LOYALTY_WORKERS_DEFAULT = 2


class ResPartner(models.Model):
    # One concept per file (issue 13): res.partner is extended in several files on purpose.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # the ranges read by the nightly run
    loyalty_last_order_date = fields.Date(index="btree_not_null")
    loyalty_first_order_date = fields.Date(index="btree_not_null")
    loyalty_downgrade_since = fields.Date(index="btree_not_null")

    def write(self, vals):
        watched = {"loyalty_tier_id", "loyalty_tier_locked", "parent_id", "is_company"}
        if not watched & vals.keys():
            return super().write(vals)
        before = self._loyalty_queue_snapshot()
        res = super().write(vals)
        self._loyalty_queue_changes(before)
        return res

    def _loyalty_queue_snapshot(self):
        return {
            partner: (
                partner.commercial_partner_id,
                partner.loyalty_tier_id,
                partner.loyalty_tier_locked,
            )
            for partner in self
        }

    @api.model
    def _loyalty_queue_changes(self, before):
        """Queue for the nightly run the customers whose tier was set by hand or whose
        lock changed; queue at once both customers of a contact that moved to another
        one (its orders count for the new one)."""
        manual = self.browse()
        moved = self.browse()
        for partner, (commercial, tier, locked) in before.items():
            if partner.commercial_partner_id != commercial:
                if partner.loyalty_last_order_date:
                    moved |= commercial | partner.commercial_partner_id
            elif partner == commercial and (
                partner.loyalty_tier_id != tier or partner.loyalty_tier_locked != locked
            ):
                manual |= partner
        pending = self.env["store.loyalty.pending"]
        if manual:
            pending._enqueue(manual, nightly=True)
        if moved:
            pending._enqueue(moved)

    @api.model
    def _cron_recompute_loyalty(self):
        """Nightly: the customers whose figures can have changed (everyone when the
        tiers or settings changed), in committed batches that report progress."""
        self._recompute_loyalty_nightly(commit=True)

    @api.model
    def _recompute_loyalty_nightly(self, commit=False, batch_size=INCREMENTAL_BATCH_SIZE):
        """Incremental recompute when it can be, else the full one. Returns
        (``"incremental"`` or ``"full"``, customers evaluated)."""
        if commit:
            with cron_run_lock(self.env, "loyalty_recompute") as locked:
                if not locked:
                    _logger.info("loyalty recompute: already running elsewhere, skipped")
                    return "skipped", 0
                return self._recompute_loyalty_nightly_run(commit, batch_size)
        return self._recompute_loyalty_nightly_run(commit, batch_size)

    @api.model
    def _recompute_loyalty_nightly_run(self, commit, batch_size):
        ctx = self._loyalty_context()
        last = self._loyalty_incremental_start(ctx)
        if last is None:
            return "full", self._recompute_loyalty_all_run(None, commit, None)
        return "incremental", self._recompute_loyalty_incremental(ctx, last, commit, batch_size)

    @api.model
    def _loyalty_incremental_start(self, ctx):
        """The last run's day when an incremental run is enough, else None."""
        state = self._loyalty_last_run_state()
        if not state or state.get("fingerprint") != self._loyalty_fingerprint():
            return None
        last = fields.Date.to_date(state.get("date"))
        full = fields.Date.to_date(state.get("full"))
        every = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(LOYALTY_FULL_EVERY_PARAM, LOYALTY_FULL_EVERY_DAYS)
        )
        if not last or not full or last > ctx["today"] or (ctx["today"] - full).days >= every:
            return None
        return last

    @api.model
    def _loyalty_last_run_state(self):
        value = self.env["ir.config_parameter"].sudo().get_param(LOYALTY_RUN_PARAM)
        try:
            return json.loads(value) if value else {}
        except ValueError:
            return {}

    @api.model
    def _loyalty_fingerprint(self):
        """A digest of what every customer's figures depend on: the active tiers and
        their thresholds, the loyalty settings of the companies (one query)."""
        self.env["res.company"].flush_model(list(LOYALTY_SETTINGS))
        self.env.cr.execute(
            SQL(
                """SELECT md5(string_agg(row_text, ';' ORDER BY row_text)) FROM (
                       SELECT ROW(id, %s)::text AS row_text FROM res_company
                        UNION ALL
                       SELECT ROW(id, company_id, min_spend, min_orders)::text
                         FROM store_loyalty_tier WHERE active) AS s""",
                SQL(", ").join(SQL.identifier(name) for name in LOYALTY_SETTINGS),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _loyalty_save_run(self, ctx, fingerprint, full):
        state = self._loyalty_last_run_state() if not full else {}
        state.update({"date": fields.Date.to_string(ctx["today"]), "fingerprint": fingerprint})
        if full:
            state["full"] = fields.Date.to_string(ctx["today"])
        self.env["ir.config_parameter"].sudo().set_param(LOYALTY_RUN_PARAM, json.dumps(state))

    @api.model
    def _recompute_loyalty_all_run(self, batch_size, commit, full_history):
        """Every full recompute (the nightly one, the managers' button) is a starting
        point for the incremental runs that follow it."""
        ctx = {"today": fields.Date.context_today(self)}
        fingerprint = self._loyalty_fingerprint()
        # The queued customers are evaluated too. Their queue rows are read in the
        # transaction (the snapshot) of the run's aggregate, and removed only at its end:
        # a killed run keeps them, a row queued meanwhile stays for the next run. Through
        # the ORM, as the pending cron removes them (the managers' button runs this too).
        queued = self.env["store.loyalty.pending"].sudo().search([])
        total = super()._recompute_loyalty_all_run(batch_size, commit, full_history)
        queued.unlink()
        # saved last (the cron commits it): a killed run is followed by a full one again
        self._loyalty_save_run(ctx, fingerprint, full=True)
        return total

    @api.model
    def _recompute_loyalty_incremental(self, ctx, last, commit=False, batch_size=None):
        """Recompute the customers whose figures can have changed since the day
        ``last``; returns their number. With ``commit`` (the cron), the batches run on
        ``store_service_crm.loyalty_workers`` connections at once."""
        batch_size = batch_size or INCREMENTAL_BATCH_SIZE
        fingerprint = self._loyalty_fingerprint()
        self._loyalty_flush()
        self.env["store.loyalty.pending"].flush_model()
        cr = self.env.cr
        cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM store_loyalty_pending"))
        max_pending = cr.fetchone()[0]
        cr.execute(self._loyalty_incremental_partners_sql(ctx, last, max_pending))
        partner_ids = [row[0] for row in cr.fetchall()]
        workers = self._loyalty_workers() if commit else 1
        batches = split_batches(partner_ids, batch_size, workers)
        if workers > 1 and len(batches) > 1:
            # nothing of this transaction may hold a row a worker writes (it would wait)
            cr.commit()  # pylint: disable=invalid-commit
            counts = self._loyalty_recompute_batches_parallel(batches, max_pending, workers)
        else:
            counts = (self._loyalty_recompute_batch(batch, max_pending) for batch in batches)
        done = 0
        for count in counts:
            done += count
            if commit:
                # a batch run here is committed here; one run by a worker was committed
                # by it, and this commits only the cron's progress
                self.env["ir.cron"]._notify_progress(done=done, remaining=len(partner_ids) - done)
                cr.commit()  # pylint: disable=invalid-commit
        self.env["store.loyalty.pending"].invalidate_model()
        self._loyalty_invalidate()
        self._loyalty_save_run(ctx, fingerprint, full=False)
        if commit:
            self.env["ir.cron"]._notify_progress(done=done, remaining=0)
            cr.commit()  # pylint: disable=invalid-commit
        _logger.info(
            "loyalty recompute (incremental since %s): %s customers recomputed in %s batches"
            " on %s connection(s)",
            last,
            done,
            len(batches),
            min(workers, len(batches)) or 1,
        )
        return done

    @api.model
    def _loyalty_recompute_batch(self, batch, max_pending):
        """Recompute one batch of customers and remove their queue rows, in the
        transaction of this environment's cursor; returns the batch's size."""
        self._recompute_loyalty(batch)
        # the queue rows go with the figures they stand for (same transaction)
        self.env.cr.execute(
            SQL(
                "DELETE FROM store_loyalty_pending WHERE partner_id = ANY(%s) AND id <= %s",
                batch,
                max_pending,
            )
        )
        return len(batch)

    @api.model
    def _loyalty_workers(self):
        """How many connections the nightly run recomputes its batches on
        (``store_service_crm.loyalty_workers``, 2 by default, 1 for one at a time)."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(LOYALTY_WORKERS_PARAM, LOYALTY_WORKERS_DEFAULT)
        )
        try:
            return max(int(value), 1)
        except (TypeError, ValueError):
            _logger.warning(
                "%s is %r, not a number of connections: %s used",
                LOYALTY_WORKERS_PARAM,
                value,
                LOYALTY_WORKERS_DEFAULT,
            )
            return LOYALTY_WORKERS_DEFAULT

    @api.model
    def _loyalty_recompute_batches_parallel(self, batches, max_pending, workers):
        """Recompute ``batches`` on ``workers`` threads, each batch in a transaction of
        its own on a cursor of its own, committed. Yields each batch's size as it is
        committed, in the calling thread.

        The batches are disjoint sets of commercial partners, and a customer's contacts
        follow it: two batches never write the same row. A batch that fails is rolled
        back, the batches not started are cancelled, and the error is raised here once
        the running ones have ended: the run's date is not saved, so the next run
        starts from the same day (committed batches are simply redone, no-ops).
        """
        registry = self.env.registry
        uid, context = self.env.uid, dict(self.env.context)
        dbname = self.env.cr.dbname

        def run(batch):
            threading.current_thread().dbname = dbname  # for Odoo's log records
            with registry.cursor() as cr:  # committed when the block ends without error
                env = api.Environment(cr, uid, context)
                return env["res.partner"]._loyalty_recompute_batch(batch, max_pending)

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="loyalty") as pool:
            futures = [pool.submit(run, batch) for batch in batches]
            try:
                for future in as_completed(futures):
                    yield future.result()
            finally:
                for future in futures:
                    future.cancel()

    @api.model
    def _loyalty_incremental_partners_sql(self, ctx, last, max_pending):
        """SQL: the commercial partners whose figures can have changed since the day
        ``last`` (sorted ids). Each part reads an index: the queue, the orders by
        date, the partners by first/last order date and by downgrade date. With
        several companies, the union of their ranges (a few more customers)."""
        today = ctx["today"]
        # orders that left the window: dated between the last run's window start and today's
        old_starts, new_starts = [], []
        for _company_id, months in ctx["companies"]:
            old_starts.append(fields.Datetime.to_datetime(last) - relativedelta(months=months))
            new_starts.append(fields.Datetime.to_datetime(today) - relativedelta(months=months))
        parts = [
            SQL(
                "SELECT partner_id FROM store_loyalty_pending WHERE id <= %s",
                max_pending,
            )
        ]
        if old_starts:
            parts.append(
                SQL(
                    """SELECT p.commercial_partner_id FROM (%s) so
                         JOIN res_partner p ON p.id = so.partner_id
                        WHERE so.date_order >= %s AND so.date_order < %s""",
                    self.env["store.order.source"]._confirmed_orders_sql(),
                    min(old_starts),
                    max(new_starts),
                )
            )
        # lifecycle edges: a date that crossed ``today - days`` since the last run
        self.env["res.company"].flush_model(list(LOYALTY_SETTINGS))
        self.env.cr.execute(
            SQL(
                """SELECT loyalty_new_days, loyalty_at_risk_days, loyalty_lost_days,
                          loyalty_downgrade_grace_days FROM res_company"""
            )
        )
        settings = self.env.cr.fetchall()
        edges = []
        for new_days, at_risk_days, lost_days, _grace in settings:
            edges.append(
                self._loyalty_date_edge_sql("loyalty_first_order_date", new_days, last, today)
            )
            for days in (at_risk_days, lost_days):
                edges.append(
                    self._loyalty_date_edge_sql("loyalty_last_order_date", days, last, today)
                )
        if edges:
            parts.append(
                SQL(
                    "SELECT id FROM res_partner WHERE id = commercial_partner_id AND (%s)",
                    SQL(" OR ").join(edges),
                )
            )
        # downgrades whose grace period is over
        graces = [grace for *_days, grace in settings]
        if graces:
            parts.append(
                SQL(
                    """SELECT id FROM res_partner WHERE id = commercial_partner_id
                          AND loyalty_downgrade_since <= %s""",
                    today - timedelta(days=max(min(graces), 0)),
                )
            )
        return SQL(
            "SELECT DISTINCT partner_id FROM (%s) AS s(partner_id)"
            " WHERE partner_id IS NOT NULL ORDER BY partner_id",
            SQL(" UNION ALL ").join(parts),
        )

    @api.model
    def _loyalty_date_edge_sql(self, column, days, last, today):
        """SQL: ``column`` went from after ``last - days`` to ``today - days`` or before."""
        return SQL(
            "(%s > %s AND %s <= %s)",
            SQL.identifier(column),
            last - timedelta(days=days or 0),
            SQL.identifier(column),
            today - timedelta(days=days or 0),
        )
