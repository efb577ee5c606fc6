# The model's fields and helpers come through _inherit, which pylint cannot follow.
# pylint: disable=no-member
"""Visit generation with nothing to do (issue 18): the "after an order" rules skip
the orders a complete run already planned.

A rule's source query anti-joins every confirmed order of its age limit with the
visits (one visit per rule and source); when nothing is new, a run still probed
every one of them. A complete cron run now records, per rule, when it started
(``generated_until``, the transaction's start); the next run reads only the sale
orders written since then (``write_date``, indexed for confirmed orders, less a
margin for the transactions still open when the run started), and the anti-join
and unique index keep the one-visit-per-rule-and-source rule as before.

Everything else is scanned in full, as before: the bridges' orders (POS), and the
rules whose eligibility can change without the order being written: a rule
filtered by tiers, and a rule changed since its last complete run. An order
confirmed through the ORM gets its visits at once anyway (the order hooks).
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, create_index

#: transactions open longer than this when a run starts may write orders it misses
WATERMARK_MARGIN = timedelta(minutes=10)


class StoreReturnVisitRule(models.Model):
    # One concept per file (issue 13): the rules are extended in several files on purpose.
    _inherit = "store.return.visit.rule"  # pylint: disable=consider-merging-classes-inherited

    generated_until = fields.Datetime(
        string="Orders Planned Until",
        readonly=True,
        copy=False,
        help="Start of the last complete generation run: the orders written before it "
        "have their visits. Empty: the next run reads every order of the age limit.",
    )

    def init(self):
        res = super().init()
        # the generation reads the confirmed sale orders written since its last run
        create_index(
            self.env.cr,
            "sale_order_store_visit_confirmed_write_date_index",
            "sale_order",
            ["write_date"],
            where="state = 'sale'",
        )
        return res

    def _generate_run(self, source_ids, batch_size, commit, return_records):
        if source_ids is not None:
            return super()._generate_run(source_ids, batch_size, commit, return_records)
        rules = self or self.search([("active", "=", True)])
        started = self.env.cr.now()
        result = super()._generate_run(source_ids, batch_size, commit, return_records)
        # saved once every batch of every rule is written (a killed run leaves the old
        # marks: the next run reads more, never less); SQL: the rule's write_date
        # tells a changed rule
        rules.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE store_return_visit_rule SET generated_until = %s WHERE id = ANY(%s)",
                started,
                rules.ids,
            )
        )
        rules.invalidate_recordset(["generated_until"])
        return result

    @api.model
    def _watermark_orders_sql(self, source_ids):
        """SQL condition on the order source ``so`` of a sale-order rule: with a mark
        of its last complete run, only the sale orders written since then (the other
        models' orders all). ``TRUE`` when the rule must read everything."""
        if source_ids is not None or not self.generated_until or self.tier_ids:
            return SQL("TRUE")
        if self.write_date and self.write_date > self.generated_until:
            return SQL("TRUE")
        since = self.generated_until - WATERMARK_MARGIN
        if self.max_age_days and since < self.env.cr.now() - timedelta(days=self.max_age_days):
            return SQL("TRUE")  # not run for longer than the age limit: the date range is less
        self.env["sale.order"].flush_model(["write_date", "state"])
        self.env.cr.execute(
            SQL(
                "SELECT array_agg(id) FROM sale_order WHERE state = 'sale' AND write_date >= %s",
                since,
            )
        )
        recent = self.env.cr.fetchone()[0] or []
        # constant-folded per branch of the order source: an index scan of the sale
        # orders' ids, the other models' branches untouched
        return SQL(
            "(so.order_model <> 'sale.order' OR so.order_id = ANY(%s::int[]))",
            recent,
        )
