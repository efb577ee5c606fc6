"""The loyalty engine: the partners' loyalty figures and tiers, recomputed set-based."""

import logging

from dateutil.relativedelta import relativedelta
from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools import cron_run_lock
from .res_partner import LOYALTY_FIGURES, MANAGER_GROUP
from .res_partner_tier_pricelist import PRICELIST_COLUMN

_logger = logging.getLogger(__name__)

# Partners written per committed batch by the full recompute.
LOYALTY_BATCH_SIZE = 50000
# Name of the session-local table that holds the figures of a full recompute.
LOYALTY_TMP_TABLE = "store_loyalty_recompute_tmp"
# ... and the one that holds its order aggregate (one row per customer and company).
LOYALTY_AGG_TMP_TABLE = "store_loyalty_recompute_agg_tmp"
# Memory for the aggregate of the full recompute (ir.config_parameter
# store_service_crm.loyalty_work_mem overrides it).
LOYALTY_WORK_MEM = "256MB"
# Set once a full recompute has read every confirmed order (see _recompute_loyalty_all).
LOYALTY_SCANNED_PARAM = "store_service_crm.loyalty_history_scanned"


class ResPartner(models.Model):
    # One concept per file (issue 13): res.partner is extended in several files on purpose.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def action_recompute_loyalty(self):
        """Recompute the loyalty figures and tiers (public contract).

        On customers: recompute those customers (their commercial entities).
        On an empty recordset (the managers' button): recompute every customer.
        """
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(
                self.env._("Only customer service managers can recompute loyalty tiers.")
            )
        if self:
            count = self._recompute_loyalty(self.mapped("commercial_partner_id").ids)
        else:
            count = self._recompute_loyalty_all(full_history=True)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Loyalty figures recomputed for %(count)s customers.", count=count
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------------
    # Recompute: set-based SQL
    # ------------------------------------------------------------------
    @api.model
    def _cron_recompute_loyalty(self):
        """Nightly: every customer, in committed batches that report progress."""
        self._recompute_loyalty_all(commit=True)

    @api.model
    def _trigger_loyalty_recompute(self):
        """Settings or tiers changed: let the cron recompute everyone soon."""
        cron = self.env.ref("store_service_crm.ir_cron_loyalty_recompute", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _recompute_loyalty(self, partner_ids):
        """Recompute the given commercial partners: two queries whatever their number.

        The Pareto class uses the cut-offs found by the last full recompute.
        Returns the number of partners recomputed.
        """
        partner_ids = list({pid for pid in partner_ids if pid})
        if not partner_ids:
            return 0
        self._loyalty_flush()
        ctx = self._loyalty_context()
        figures = self._loyalty_figures_query(ctx, partner_ids=partner_ids)
        count = self._loyalty_apply(ctx, figures)
        self._loyalty_invalidate()
        return count

    @api.model
    def _recompute_loyalty_all(self, batch_size=None, commit=False, full_history=None):
        """Recompute every customer of every company.

        The confirmed orders' aggregate goes into a session table (PostgreSQL may run
        it in parallel). The figures are computed from it (the Pareto class found by
        window functions, the lifecycle and the tier picked in SQL), and the customers
        whose figures change are copied into a second session table. Then one UPDATE
        (with the history rows and chatter messages of the changed tiers in the same
        statement) per batch of partner ids. With ``commit``, each
        batch is committed and the progress reported to the cron; a killed run loses
        nothing (each batch is atomic) and a rerun duplicates nothing (only changed
        rows are written). Returns the number of partners processed.

        The aggregate reads the orders of the evaluation window only and takes the
        first/last order dates from before it from the partners (the order hooks keep
        them right). ``full_history=True`` reads every confirmed order instead: the
        first run does it (``None``: when it never ran), the managers' button too;
        run it after loading orders with SQL.
        """
        if commit:
            # Two committing runs at once (a manual run during the nightly one, two
            # workers) would each write the same batches: the second one skips.
            with cron_run_lock(self.env, "loyalty_recompute") as locked:
                if not locked:
                    _logger.info("loyalty recompute: already running elsewhere, skipped")
                    return 0
                return self._recompute_loyalty_all_run(batch_size, commit, full_history)
        return self._recompute_loyalty_all_run(batch_size, commit, full_history)

    @api.model
    def _recompute_loyalty_all_run(self, batch_size, commit, full_history):
        batch_size = batch_size or LOYALTY_BATCH_SIZE
        cr = self.env.cr
        self._loyalty_flush()
        ctx = self._loyalty_context()
        table = SQL.identifier(LOYALTY_TMP_TABLE)
        # The aggregate over every confirmed order is hashed in memory rather than
        # spilled to disk (for this transaction only).
        work_mem = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("store_service_crm.loyalty_work_mem", LOYALTY_WORK_MEM)
        )
        cr.execute(SQL("SELECT set_config('work_mem', %s, TRUE)", work_mem))
        agg_table = SQL.identifier(LOYALTY_AGG_TMP_TABLE)
        cr.execute(SQL("DROP TABLE IF EXISTS %s, %s", table, agg_table))
        params = self.env["ir.config_parameter"].sudo()
        if full_history is None:
            full_history = not params.get_param(LOYALTY_SCANNED_PARAM)
        self._loyalty_fill_aggregate(ctx, full_history, agg_table)
        figures = self._loyalty_figures_query(
            ctx, full_history=full_history, aggregate=SQL("SELECT * FROM %s", agg_table)
        )
        total, dirty, bounds = self._loyalty_fill_changes(figures, table, batch_size)
        self._loyalty_apply_batches(ctx, table, bounds, dirty, batch_size, commit)
        cr.execute(SQL("DROP TABLE IF EXISTS %s, %s", table, agg_table))
        self._loyalty_invalidate()
        self.env["res.company"].invalidate_model(
            ["loyalty_class_a_min_spend", "loyalty_class_b_min_spend"]
        )
        if commit:
            self.env["ir.cron"]._notify_progress(done=dirty, remaining=0)
            cr.commit()  # pylint: disable=invalid-commit
        if full_history and not params.get_param(LOYALTY_SCANNED_PARAM):
            params.set_param(LOYALTY_SCANNED_PARAM, fields.Datetime.to_string(ctx["now"]))
        _logger.info(
            "loyalty recompute (%s): %s customers evaluated, %s changed",
            "every order" if full_history else "orders of the window",
            total,
            dirty,
        )
        return total

    @api.model
    def _loyalty_fill_aggregate(self, ctx, full_history, agg_table):
        """The order aggregate of every customer into the session table ``agg_table``.

        A statement of its own (CREATE TABLE AS) because PostgreSQL runs no statement
        that writes in parallel, the next one included (it updates the companies'
        cut-offs). The planner keeps this aggregate serial: it expects a million
        groups and prices their transfer from the workers at 0.1 each. With the
        transfer priced at zero for this statement, two workers aggregate the orders
        in parts: 4.5-4.7 s instead of 6.5 s at chain scale (benchmarks/README.md).
        """
        # SET LOCAL lasts until the end of the transaction: RESET gives the database's
        # settings back at once (the five statements in one round trip)
        self.env.cr.execute(
            SQL(
                """SET LOCAL parallel_setup_cost = 0;
                   SET LOCAL parallel_tuple_cost = 0;
                   CREATE TEMPORARY TABLE %s AS %s;
                   RESET parallel_setup_cost;
                   RESET parallel_tuple_cost""",
                agg_table,
                self._loyalty_aggregate_sql(ctx, None, full_history),
            )
        )

    @api.model
    def _loyalty_fill_changes(self, figures, table, batch_size):
        """Evaluate every customer in one statement: store the Pareto cut-offs on the
        companies, copy the customers whose figures change into the session ``table``
        and return (customers evaluated, customers changed, lower bounds of the batches).
        """
        cr = self.env.cr
        # only the customers whose figures change (few, after the first run)
        cr.execute(SQL("CREATE TEMPORARY TABLE %s AS %s WITH NO DATA", table, figures))
        cr.execute(
            SQL(
                """
                WITH fig AS MATERIALIZED (%(figures)s),
                cut AS (
                    UPDATE res_company c
                       SET loyalty_class_a_min_spend = s.a_min,
                           loyalty_class_b_min_spend = s.b_min
                      FROM (SELECT company_id,
                                   MIN(spend) FILTER (WHERE value_class = 'A') AS a_min,
                                   MIN(spend) FILTER (WHERE value_class = 'B') AS b_min
                              FROM fig GROUP BY company_id) s
                     WHERE c.id = s.company_id
                       AND (c.loyalty_class_a_min_spend, c.loyalty_class_b_min_spend)
                           IS DISTINCT FROM (s.a_min, s.b_min)
                 RETURNING c.id
                ),
                ins AS (
                    INSERT INTO %(table)s SELECT * FROM fig WHERE dirty RETURNING partner_id
                ),
                b AS (
                    SELECT partner_id, row_number() OVER (ORDER BY partner_id) - 1 AS rn FROM ins
                )
                SELECT (SELECT COUNT(*) FROM fig), (SELECT COUNT(*) FROM ins),
                       ARRAY(SELECT partner_id FROM b WHERE mod(rn, %(batch_size)s) = 0
                              ORDER BY partner_id),
                       (SELECT COUNT(*) FROM cut)
                """,
                figures=figures,
                table=table,
                batch_size=batch_size,
            )
        )
        total, dirty, bounds, _companies = cr.fetchone()
        return total, dirty, bounds

    @api.model
    def _loyalty_apply_batches(self, ctx, table, bounds, dirty, batch_size, commit):
        """Write the changed customers of the session ``table`` batch by batch; with
        ``commit``, commit each batch and report the progress to the cron."""
        cr = self.env.cr
        if len(bounds) > 1:
            cr.execute(SQL("CREATE INDEX ON %s (partner_id)", table))
            cr.execute(SQL("ANALYZE %s", table))
        done = 0
        for index, low in enumerate(bounds):
            high = bounds[index + 1] if index + 1 < len(bounds) else None
            figures = SQL(
                "SELECT * FROM %s WHERE partner_id >= %s %s",
                table,
                low,
                SQL("AND partner_id < %s", high) if high else SQL(),
            )
            self._loyalty_apply(ctx, figures, low=low, high=high)
            done = min(dirty, done + batch_size)
            if commit:
                self.env["ir.cron"]._notify_progress(done=done, remaining=dirty - done)
                cr.commit()  # pylint: disable=invalid-commit
                _logger.info("loyalty recompute: %s/%s changed partners written", done, dirty)

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    @api.model
    def _loyalty_flush(self):
        self.env["store.order.source"]._confirmed_orders_flush()
        self.env["res.partner"].flush_model()
        self.env["store.loyalty.tier"].flush_model()
        self.env["res.company"].flush_model()

    @api.model
    def _loyalty_invalidate(self):
        self.env["res.partner"].invalidate_model(
            [*LOYALTY_FIGURES, "customer_rank", "message_ids", "loyalty_tier_history_count"]
        )
        self.env["res.partner"]._loyalty_pricelist_invalidate()
        self.env["store.loyalty.tier.history"].invalidate_model()

    @api.model
    def _loyalty_context(self):
        """What every recompute statement needs: dates, tiers, companies (2 queries)."""
        cr = self.env.cr
        today = fields.Date.context_today(self)
        cr.execute(
            SQL(
                """
                SELECT id, loyalty_window_months FROM res_company ORDER BY id
                """
            )
        )
        companies = cr.fetchall()
        cr.execute(
            SQL(
                """
                SELECT id, company_id, min_spend, min_orders FROM store_loyalty_tier
                 WHERE active
              ORDER BY company_id, COALESCE(min_spend, 0), COALESCE(min_orders, 0), id
                """
            )
        )
        tiers = cr.fetchall()
        rank = {}
        counter = {}
        for tier_id, company_id, _spend, _orders in tiers:
            counter[company_id] = counter.get(company_id, 0) + 1
            rank[tier_id] = counter[company_id]
        return {
            "today": today,
            "now": fields.Datetime.now(),
            "companies": companies,
            "tiers": tiers,
            "rank": rank,
            "lang": self.env.lang or "en_US",
            "default_company_id": self.env.company.id,
        }

    @api.model
    def _loyalty_window_starts(self, ctx):
        return {
            company_id: fields.Datetime.to_datetime(ctx["today"]) - relativedelta(months=months)
            for company_id, months in ctx["companies"]
        }

    @api.model
    def _loyalty_min_window_start(self, ctx):
        return min(self._loyalty_window_starts(ctx).values())

    @api.model
    def _loyalty_window_start(self, ctx):
        """SQL: the first instant of the evaluation window of the order's company."""
        starts = self._loyalty_window_starts(ctx)
        if len(set(starts.values())) <= 1:
            return SQL("%s", next(iter(starts.values())))
        return SQL(
            "CASE so.company_id %s END",
            SQL(" ").join(SQL("WHEN %s THEN %s", cid, start) for cid, start in starts.items()),
        )

    @api.model
    def _loyalty_tier_case(self, ctx):
        """SQL: the tier with the highest thresholds met by row ``f`` (spend, cnt, company)."""
        whens = [
            SQL(
                "WHEN f.company_id = %s AND f.spend_f >= %s AND f.cnt >= %s THEN %s",
                company_id,
                float(spend or 0),
                orders or 0,
                tier_id,
            )
            for tier_id, company_id, spend, orders in reversed(ctx["tiers"])
        ]
        if not whens:
            return SQL("NULL::integer")
        return SQL("CASE %s END", SQL(" ").join(whens))

    @api.model
    def _loyalty_rank_case(self, ctx, column):
        whens = [SQL("WHEN %s THEN %s", tier_id, rank) for tier_id, rank in ctx["rank"].items()]
        if not whens:
            return SQL("NULL::integer")
        return SQL("CASE %s %s END", column, SQL(" ").join(whens))

    @api.model
    def _loyalty_figures_query(self, ctx, partner_ids=None, full_history=True, aggregate=None):
        """SQL SELECT of the new figures of commercial partners, one row each.

        Columns: partner_id, company_id, spend, cnt, last_date, first_date,
        value_class, lifecycle, tier_id, since.

        Rules:
        - orders: confirmed (``store.order.source``: sale orders in state 'sale', and
          the orders the bridges add); a contact's orders count for its commercial
          entity; amount_untaxed converted to the company currency with the order's
          rate (the order's currency_rate, set from res_currency_rate at the order date,
          as Odoo's sales analysis does);
        - company: the partner's company; a partner shared between companies is
          evaluated in the company of its most recent confirmed order (only that
          company's orders count);
        - spend and orders over [today - window months, now]; first/last order date
          over all time (lifecycle);
        - class: Pareto over each company's customers (full recompute), or the
          company's cut-offs of the last full recompute (a few partners);
        - tier: the highest thresholds met; lower only after the grace period; a locked
          tier is kept.

        ``aggregate``: a SELECT of the order aggregate (``_loyalty_aggregate_sql``)
        already made, else it is made here.

        Long on purpose: one SQL statement read top to bottom (aggregate, figures,
        class, lifecycle, tier); the parts that vary are built by the
        ``_loyalty_*_sql`` helpers.
        """
        _from, partner_scope, _company, _group, orders = self._loyalty_orders_sql(ctx, partner_ids)
        if aggregate is None:
            aggregate = self._loyalty_aggregate_sql(ctx, partner_ids, full_history)
        # Pareto class: against the company's cut-offs, the lowest spend of class A and
        # of class B. The full recompute finds them with a running sum over the
        # customers ranked by spend (a narrow sort, in float: a class, not an amount);
        # a recompute of a few customers uses those of the last full recompute.
        value_class = SQL(
            """
            CASE WHEN c.spend_f <= 0 THEN 'C'
                 WHEN c.a_min IS NULL OR c.spend_f >= c.a_min THEN 'A'
                 WHEN c.spend_f >= c.b_min THEN 'B'
                 ELSE 'C' END
            """
        )
        cuts, cut_columns, cut_join = self._loyalty_pareto_cuts_sql(
            full_recompute=partner_ids is None
        )
        last_date, first_date = self._loyalty_history_sql(ctx, full_history)[1:]
        old_rank = self._loyalty_rank_case(ctx, SQL("c.old_tier_id"))
        new_rank = self._loyalty_rank_case(ctx, SQL("c.computed_tier_id"))
        return SQL(
            """
            /* OFFSET 0 keeps each step a subquery of its own: its columns are computed
               once per row rather than inlined (and repeated) in the next step. */
            WITH agg1 AS (%(aggregate)s),
            agg AS (%(orders)s),
            %(cuts)s
            f AS (
                SELECT cp.id AS partner_id,
                       COALESCE(cp.company_id, agg.company_id, %(default_company)s) AS company_id,
                       (round(COALESCE(agg.spend, 0) * 100) / 100)::numeric(16, 2) AS spend,
                       round(COALESCE(agg.spend, 0) * 100) / 100 AS spend_f,
                       COALESCE(agg.cnt, 0)::integer AS cnt,
                       %(last_date)s AS last_date,
                       %(first_date)s AS first_date,
                       cp.loyalty_tier_id AS old_tier_id,
                       COALESCE(cp.loyalty_tier_locked, FALSE) AS locked,
                       cp.loyalty_downgrade_since AS since,
                       ROW(cp.loyalty_spend, cp.loyalty_order_count, cp.loyalty_last_order_date,
                           cp.loyalty_first_order_date, cp.customer_value_class,
                           cp.customer_lifecycle, cp.loyalty_tier_id,
                           cp.loyalty_downgrade_since) AS current_row,
                       COALESCE(cp.customer_rank, 0) AS current_rank
                  FROM res_partner cp
             LEFT JOIN agg ON agg.partner_id = cp.id
                 WHERE cp.id = cp.commercial_partner_id
                   AND (agg.partner_id IS NOT NULL OR cp.customer_rank > 0
                        OR cp.loyalty_tier_id IS NOT NULL OR cp.loyalty_last_order_date IS NOT NULL)
                   %(partner_scope)s
                OFFSET 0
            ),
            c AS (
                SELECT f.*, %(tier_case)s AS computed_tier_id,
                       %(cut_columns)s,
                       co.loyalty_downgrade_grace_days AS grace,
                       CASE WHEN f.first_date IS NULL
                              OR f.first_date > %(today)s::date - co.loyalty_new_days
                            THEN 'new'
                            WHEN f.last_date > %(today)s::date - co.loyalty_at_risk_days
                            THEN 'active'
                            WHEN f.last_date > %(today)s::date - co.loyalty_lost_days
                            THEN 'at_risk'
                            ELSE 'lost' END AS lifecycle
                  FROM f JOIN res_company co ON co.id = f.company_id
                  %(cut_join)s
                OFFSET 0
            ),
            d AS (
                SELECT c.partner_id, c.company_id, c.spend, c.cnt, c.last_date, c.first_date,
                       c.lifecycle, c.old_tier_id, c.computed_tier_id, c.locked, c.since, c.grace,
                       c.current_row, c.current_rank,
                       (%(value_class)s)::varchar AS value_class,
                       (c.old_tier_id IS NOT NULL AND %(old_rank)s IS NOT NULL
                        AND COALESCE(%(new_rank)s, 0) < %(old_rank)s) AS is_down
                  FROM c
                OFFSET 0
            )
            SELECT e.partner_id, e.company_id, e.spend, e.cnt, e.last_date, e.first_date,
                   e.value_class, e.lifecycle, e.tier_id, e.since,
                   (e.current_row IS DISTINCT FROM
                    ROW(e.spend, e.cnt, e.last_date, e.first_date, e.value_class, e.lifecycle,
                        e.tier_id, e.since)
                    OR (e.first_date IS NOT NULL AND e.current_rank = 0)) AS dirty
              FROM (
                SELECT d.partner_id, d.company_id, d.spend, d.cnt, d.last_date, d.first_date,
                       d.value_class, d.lifecycle::varchar AS lifecycle,
                       d.current_row, d.current_rank,
                       CASE WHEN d.locked THEN d.old_tier_id
                            WHEN NOT d.is_down OR d.grace <= 0 THEN d.computed_tier_id
                            WHEN d.since IS NOT NULL
                                 AND d.since <= %(today)s::date - d.grace THEN d.computed_tier_id
                            ELSE d.old_tier_id END AS tier_id,
                       CASE WHEN d.locked OR NOT d.is_down OR d.grace <= 0 THEN NULL
                            WHEN d.since IS NOT NULL
                                 AND d.since <= %(today)s::date - d.grace THEN NULL
                            ELSE COALESCE(d.since, %(today)s::date) END AS since
                  FROM d
                OFFSET 0
              ) e
            """,
            aggregate=aggregate,
            orders=orders,
            default_company=ctx["default_company_id"],
            partner_scope=partner_scope,
            tier_case=self._loyalty_tier_case(ctx),
            today=ctx["today"],
            value_class=value_class,
            cuts=cuts,
            cut_columns=cut_columns,
            cut_join=cut_join,
            last_date=last_date,
            first_date=first_date,
            old_rank=old_rank,
            new_rank=new_rank,
        )

    @api.model
    def _loyalty_aggregate_sql(self, ctx, partner_ids, full_history):
        """SQL SELECT of the order aggregate, one row per commercial partner (and company,
        with several): partner_id, company_id, spend and cnt over the window, last_date
        and first_date over the orders read."""
        orders_from, _scope, agg_company, agg_group, _orders = self._loyalty_orders_sql(
            ctx, partner_ids
        )
        history_scope = self._loyalty_history_sql(ctx, full_history)[0]
        starts = set(self._loyalty_window_starts(ctx).values())
        if not full_history and len(starts) <= 1:
            # only the window's orders are read: every one of them counts
            in_window = SQL()
        else:
            in_window = SQL("FILTER (WHERE so.date_order >= %s)", self._loyalty_window_start(ctx))
        return SQL(
            """
            SELECT p.commercial_partner_id AS partner_id, %(agg_company)s AS company_id,
                   SUM(so.amount_untaxed::float8
                       / COALESCE(NULLIF(so.currency_rate, 0), 1)::float8)
                       %(in_window)s AS spend,
                   COUNT(*) %(in_window)s AS cnt,
                   MAX(so.date_order) AS last_date, MIN(so.date_order) AS first_date
              FROM %(orders_from)s
             WHERE TRUE %(history_scope)s
          GROUP BY p.commercial_partner_id %(agg_group)s
            """,
            agg_company=agg_company,
            in_window=in_window,
            orders_from=orders_from,
            history_scope=history_scope,
            agg_group=agg_group,
        )

    @api.model
    def _loyalty_orders_sql(self, ctx, partner_ids):
        """SQL pieces of the order aggregate: (the orders joined to their partner ``p``,
        partner filter, company column, extra GROUP BY, the aggregate kept per partner).

        For a few customers, their contacts are found first (by the commercial entity's
        index) and their orders read by the orders' customer index (the partial
        ``*_store_loyalty_partner_index`` covers every column read: an index-only scan),
        rather than joining every partner to the orders."""
        multi_company = len(ctx["companies"]) > 1
        confirmed = self.env["store.order.source"]._confirmed_orders_sql()
        orders_from = SQL("(%s) so JOIN res_partner p ON p.id = so.partner_id", confirmed)
        partner_scope = SQL()
        if partner_ids is not None:
            among = SQL("= ANY(%s)", partner_ids)
            orders_from = SQL(
                """(SELECT id, commercial_partner_id FROM res_partner
                     WHERE commercial_partner_id %s OFFSET 0) p
                   JOIN (%s) so ON so.partner_id = p.id AND %s""",
                among,
                confirmed,
                self.env["store.order.source"]._customers_orders_filter(among),
            )
            partner_scope = SQL("AND cp.id = ANY(%s)", partner_ids)
        # One aggregate, orders of contacts rolled up to their commercial partner at once.
        if multi_company:
            agg_company, agg_group = SQL("so.company_id"), SQL(", so.company_id")
        else:
            agg_company = SQL("%s::integer", ctx["companies"][0][0] if ctx["companies"] else None)
            agg_group = SQL()
        if multi_company:
            orders = SQL(
                """
                SELECT DISTINCT ON (o.partner_id) o.*
                  FROM agg1 o
                  JOIN res_partner cp ON cp.id = o.partner_id
                 WHERE cp.company_id IS NULL OR cp.company_id = o.company_id
              ORDER BY o.partner_id, o.last_date DESC
                """
            )
        else:
            orders = SQL("SELECT * FROM agg1")
        return orders_from, partner_scope, agg_company, agg_group, orders

    @api.model
    def _loyalty_pareto_cuts_sql(self, full_recompute):
        """SQL pieces of the Pareto class: (CTEs finding the cut-offs, cut-off columns, join).

        The full recompute finds each company's cut-offs (the lowest spend of class A
        and of class B); a recompute of a few customers reads those of the last full
        recompute from the company.
        """
        if full_recompute:
            # The running sum needs the customers in spend order, but only those of the
            # spend bucket (log scale, ~1.6 % wide) where the running sum crosses each
            # share: the buckets' own running sums find it without sorting everyone.
            # Every customer of a higher bucket is in the class, none of a lower one.
            cuts = SQL(
                """
                spend_r AS MATERIALIZED (
                    SELECT a.company_id, round(a.spend * 100) / 100 AS spend_f,
                           floor(ln(round(a.spend * 100) / 100) * 64)::integer AS bucket
                      FROM agg a
                     WHERE round(a.spend * 100) > 0
                ),
                bucket_sums AS (
                    SELECT b.company_id, b.bucket, b.s,
                           SUM(b.s) OVER (PARTITION BY b.company_id ORDER BY b.bucket DESC
                                          ROWS UNBOUNDED PRECEDING) - b.s AS before,
                           SUM(b.s) OVER (PARTITION BY b.company_id) AS total
                      FROM (SELECT company_id, bucket, SUM(spend_f) AS s
                              FROM spend_r GROUP BY company_id, bucket) b
                ),
                edges AS (
                    SELECT DISTINCT ON (bs.company_id, cls.name)
                           bs.company_id, cls.name, bs.bucket, bs.before,
                           bs.total * cls.pct / 100 AS threshold
                      FROM bucket_sums bs
                      JOIN res_company co ON co.id = bs.company_id
                     CROSS JOIN LATERAL (
                           VALUES ('A', co.loyalty_class_a_percent),
                                  ('B', co.loyalty_class_a_percent
                                        + co.loyalty_class_b_percent)) cls(name, pct)
                     WHERE bs.before < bs.total * cls.pct / 100
                  ORDER BY bs.company_id, cls.name, bs.bucket
                ),
                cuts AS MATERIALIZED (
                    SELECT x.company_id,
                           MIN(x.spend_f) FILTER (WHERE x.name = 'A' AND x.before < x.threshold)
                               AS a_min,
                           MIN(x.spend_f) FILTER (WHERE x.name = 'B' AND x.before < x.threshold)
                               AS b_min
                      FROM (SELECT e.company_id, e.name, e.threshold, r.spend_f,
                                   e.before
                                   + SUM(r.spend_f) OVER (PARTITION BY e.company_id, e.name
                                                          ORDER BY r.spend_f DESC
                                                          ROWS UNBOUNDED PRECEDING)
                                   - r.spend_f AS before
                              FROM edges e
                              JOIN spend_r r ON r.company_id = e.company_id
                                            AND r.bucket = e.bucket) x
                  GROUP BY x.company_id
                ),
                """
            )
            cut_columns = SQL("cuts.a_min, cuts.b_min")
            cut_join = SQL("LEFT JOIN cuts ON cuts.company_id = f.company_id")
        else:
            cuts = SQL()
            cut_columns = SQL(
                "co.loyalty_class_a_min_spend::float8 AS a_min,"
                " co.loyalty_class_b_min_spend::float8 AS b_min"
            )
            cut_join = SQL()
        return cuts, cut_columns, cut_join

    @api.model
    def _loyalty_history_sql(self, ctx, full_history):
        """SQL pieces of the order history read: (order filter, last date, first date)."""
        if full_history:
            history_scope = SQL()
            last_date = SQL("agg.last_date::date")
            first_date = SQL("agg.first_date::date")
        else:
            # Only the orders of the window are read; the first and last order dates
            # from before it are the stored ones (kept right by the order hooks).
            history_scope = SQL("AND so.date_order >= %s", self._loyalty_min_window_start(ctx))
            last_date = SQL("COALESCE(agg.last_date::date, cp.loyalty_last_order_date)")
            first_date = SQL("LEAST(agg.first_date::date, cp.loyalty_first_order_date)")
        return history_scope, last_date, first_date

    @api.model
    def _loyalty_apply(self, ctx, figures, low=None, high=None):
        """One statement: history rows and chatter notes for the changed tiers, then the
        UPDATE of the changed partners (and their contacts). Returns the number of
        commercial partners in ``figures``.

        Chatter: a set-based INSERT into mail_message (an internal note, author the
        current user), not message_post: no followers are notified of tier changes.

        Long on purpose: one data-modifying SQL statement (history, chatter, update),
        atomic per batch, read top to bottom.
        """
        range_filter = SQL()
        if low is not None:
            range_filter = SQL("AND rp.commercial_partner_id >= %s", low)
            if high is not None:
                range_filter = SQL("%s AND rp.commercial_partner_id < %s", range_filter, high)
        # The note is read by the store's staff: written in the language of the customer's
        # salesperson, else of the customer's company, else the customer's, else the
        # current one (a cron has none: the current company's).
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        default_lang = next(
            (
                code
                for code in (self.env.lang, self.env.company.partner_id.lang, ctx["lang"])
                if code in installed
            ),
            installed[0] if installed else "en_US",
        )
        lang_rows = []
        for code in installed or [default_lang]:
            env = self.with_context(lang=code).env
            template = str(
                escape(env._("Loyalty tier changed from %(old)s to %(new)s (automatic)."))
            )
            lang_rows.append(SQL("(%s, %s, %s)", code, template, str(escape(env._("none")))))
        langs = SQL(", ").join(lang_rows)

        def tier_label(alias):
            return SQL(
                "COALESCE(replace(replace(replace(COALESCE(%s.name->>lg.code, %s.name->>'en_US'),"
                " '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), lg.none_label)",
                SQL.identifier(alias),
                SQL.identifier(alias),
            )

        # tier benefits: the pricelist follows the tier unless set by hand (one rule)
        history_rule = self.env["res.partner"]._loyalty_pricelist_sql(
            "p", SQL("ntp.pricelist_id"), SQL("n.company_id")
        )
        row_rule = self.env["res.partner"]._loyalty_pricelist_sql(
            "rp", SQL("ntp.pricelist_id"), SQL("n.company_id")
        )
        subtype = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        author = self.env.user.partner_id.id
        uid = self.env.uid
        # JIT compilation of this statement (0.1 s and more) saves nothing on the rows of
        # one batch: off for the rest of the transaction (a batch), as the KPI reads do
        self.env.cr.execute(
            SQL(
                """
                SET LOCAL jit = off;
                WITH n AS MATERIALIZED (%(figures)s),
                langs (code, template, none_label) AS (VALUES %(langs)s),
                changed AS (
                    SELECT n.partner_id, n.company_id, p.loyalty_tier_id AS old_tier_id,
                           n.tier_id AS new_tier_id, n.spend, n.cnt,
                           %(old_pricelist)s AS old_pricelist_id,
                           %(new_pricelist)s AS new_pricelist_id
                      FROM n JOIN res_partner p ON p.id = n.partner_id
                 LEFT JOIN store_loyalty_tier ntp ON ntp.id = n.tier_id
                     WHERE p.loyalty_tier_id IS DISTINCT FROM n.tier_id
                ),
                hist AS (
                    INSERT INTO store_loyalty_tier_history
                        (partner_id, old_tier_id, new_tier_id, date, reason, user_id, company_id,
                         spend, order_count, old_pricelist_id, new_pricelist_id,
                         create_uid, create_date, write_uid, write_date)
                    SELECT partner_id, old_tier_id, new_tier_id, %(now)s, 'auto', %(uid)s,
                           company_id, spend, cnt, old_pricelist_id, new_pricelist_id,
                           %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM changed
                    RETURNING id
                ),
                msg AS (
                    INSERT INTO mail_message
                        (model, res_id, message_type, subtype_id, body, author_id, date,
                         is_internal, create_uid, create_date, write_uid, write_date)
                    SELECT 'res.partner', ch.partner_id, 'notification', %(subtype)s,
                           '<p>' || replace(replace(lg.template, %(old_ph)s, %(old_label)s),
                                            %(new_ph)s, %(new_label)s) || '</p>',
                           %(author)s, %(now)s, FALSE, %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM changed ch
                      JOIN res_partner cust ON cust.id = ch.partner_id
                 LEFT JOIN res_users sp ON sp.id = cust.user_id
                 LEFT JOIN res_partner spp ON spp.id = sp.partner_id
                 LEFT JOIN res_company co ON co.id = ch.company_id
                 LEFT JOIN res_partner cop ON cop.id = co.partner_id
                      JOIN langs lg ON lg.code = COALESCE(
                               (SELECT l.code FROM langs l WHERE l.code = spp.lang),
                               (SELECT l.code FROM langs l WHERE l.code = cop.lang),
                               (SELECT l.code FROM langs l WHERE l.code = cust.lang),
                               %(default_lang)s)
                 LEFT JOIN store_loyalty_tier ot ON ot.id = ch.old_tier_id
                 LEFT JOIN store_loyalty_tier nt ON nt.id = ch.new_tier_id
                    RETURNING id
                ),
                upd AS (
                    UPDATE res_partner rp
                       SET loyalty_spend = n.spend,
                           loyalty_order_count = n.cnt,
                           loyalty_last_order_date = n.last_date,
                           loyalty_first_order_date = n.first_date,
                           customer_value_class = n.value_class,
                           customer_lifecycle = n.lifecycle,
                           loyalty_tier_id = n.tier_id,
                           loyalty_downgrade_since = n.since,
                           %(pricelist_column)s = CASE WHEN %(tier_moves)s
                               THEN %(specific)s ELSE rp.%(pricelist_column)s END,
                           loyalty_pricelist_id = CASE WHEN %(tier_moves)s
                               THEN %(given)s ELSE rp.loyalty_pricelist_id END,
                           customer_rank = CASE
                               WHEN rp.id = n.partner_id AND n.first_date IS NOT NULL
                               THEN GREATEST(rp.customer_rank, 1)
                               ELSE rp.customer_rank END
                      FROM n LEFT JOIN store_loyalty_tier ntp ON ntp.id = n.tier_id
                     WHERE rp.commercial_partner_id = n.partner_id %(range_filter)s
                       AND ((rp.loyalty_spend, rp.loyalty_order_count, rp.loyalty_last_order_date,
                             rp.loyalty_first_order_date, rp.customer_value_class,
                             rp.customer_lifecycle, rp.loyalty_tier_id, rp.loyalty_downgrade_since)
                            IS DISTINCT FROM
                            (n.spend, n.cnt, n.last_date, n.first_date, n.value_class,
                             n.lifecycle, n.tier_id, n.since)
                            OR (rp.id = n.partner_id AND n.first_date IS NOT NULL
                                AND COALESCE(rp.customer_rank, 0) = 0))
                    RETURNING rp.id
                )
                SELECT (SELECT COUNT(*) FROM n), (SELECT COUNT(*) FROM hist),
                       (SELECT COUNT(*) FROM msg), (SELECT COUNT(*) FROM upd)
                """,
                figures=figures,
                now=ctx["now"],
                uid=uid,
                subtype=subtype,
                langs=langs,
                default_lang=default_lang,
                old_ph="%(old)s",
                new_ph="%(new)s",
                old_label=tier_label("ot"),
                new_label=tier_label("nt"),
                author=author,
                range_filter=range_filter,
                old_pricelist=history_rule["current"],
                new_pricelist=history_rule["result"],
                pricelist_column=SQL.identifier(PRICELIST_COLUMN),
                tier_moves=SQL("rp.loyalty_tier_id IS DISTINCT FROM n.tier_id"),
                specific=row_rule["specific"],
                given=row_rule["given"],
            )
        )
        count, _changed, _messages, _updated = self.env.cr.fetchone()
        return count
