# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""The orders' KPI pre-aggregate (issue 18): order count, revenue, distinct and repeat
customers equal to the engine's for every store, month and total, whatever was written
since the last refresh; a rebuild from scratch equals the incrementally refreshed
tables; periods it cannot answer are read live."""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.store_service_kpi_customers import (
    CHAIN_TABLE,
    ORDER_DAY_TABLE,
    ORDER_DIRTY_TABLE,
)
from ..tools import kpi_differences
from .common import ComplaintCase, confirmed_order

TIMEZONES = ("UTC", "Asia/Shanghai", "America/New_York")


@tagged("post_install", "-at_install")
class TestKpiCustomers(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The pre-aggregate answers a session with one company selected; a database with
        # more companies (the Point of Sale demo adds one) selects the test's company.
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        cls.Aggregate = cls.env["store.service.kpi.aggregate"]
        cls.Kpi = cls.env["store.service.kpi"]
        Team = cls.env["crm.team"]
        cls.store_b = Team.create(
            {"is_store": True, "name": "Customers Store B", "company_id": cls.company.id}
        )
        cls.store_c = Team.create({"is_store": True, "name": "Customers Store C"})
        Partner = cls.env["res.partner"]
        cls.firm = Partner.create({"name": "Li Hardware", "is_company": True})
        cls.firm_buyer = Partner.create({"name": "Mr. Li", "parent_id": cls.firm.id})
        cls.other_firm = Partner.create({"name": "Zhou Tiles", "is_company": True})
        cls.p2 = Partner.create({"name": "Ms. Chen"})
        cls.p3 = Partner.create({"name": "Mr. Sun"})
        cls.today = fields.Date.context_today(cls.Kpi)
        now = datetime.combine(cls.today, time(12, 0))
        store, b, c = cls.store.id, cls.store_b.id, cls.store_c.id
        # (customer, store, days ago, hour): near midnight UTC, other zones move the day
        plan = [
            (cls.firm, store, 3, 12),
            (cls.firm_buyer, store, 40, 23),
            (cls.firm_buyer, b, 41, 1),
            (cls.firm, store, 75, 12),
            (cls.firm, b, 200, 12),
            (cls.firm, store, 390, 12),
            (cls.p2, store, 0, 1),
            (cls.p2, store, 0, 2),
            (cls.p2, c, 35, 12),
            (cls.p2, store, 100, 23),
            (cls.p3, b, 62, 0),
            (cls.p3, b, 70, 12),
            (cls.p3, c, 130, 12),
            (cls.customer, c, 15, 12),
        ]
        cls.orders = cls.env["sale.order"]
        for index, (partner, team, days, hour) in enumerate(plan):
            when = now.replace(hour=hour) - timedelta(days=days)
            cls.orders |= cls._order(partner, team, 100.0 + index, when)
        cls.future = cls._order(cls.p3, b, 55.0, now + timedelta(days=2))
        cls.cancelled = cls._order(cls.p2, store, 999.0, now - timedelta(days=36))
        cls.cancelled._action_cancel()
        month = cls.today.replace(day=1)
        cls.periods = [
            (cls.today - timedelta(days=364), cls.today, "team", None),
            (month, cls.today, "team", None),
            (month - relativedelta(months=1), month - timedelta(days=1), "team", None),
            (month - relativedelta(months=12), cls.today, "month", None),
            (cls.today - timedelta(days=90), cls.today, None, "store"),
            # ends 3 days ago (the chain rows after it are read); then read live:
            # neither a month nor within a week of today
            (cls.today - timedelta(days=60), cls.today - timedelta(days=3), "team", None),
            (cls.today - timedelta(days=90), cls.today - timedelta(days=20), "team", None),
        ]

    @classmethod
    def _order(cls, partner, team_id, amount, date_order):
        return confirmed_order(cls.env, partner, team_id, cls.product, amount, date_order)

    # ------------------------------------------------------------------ helpers
    def _kpis(self, tz):
        kpi = self.Kpi.with_context(tz=tz)
        return [
            kpi.compute_kpis(
                date_from,
                date_to,
                team_ids=[self.store.id] if teams == "store" else None,
                group_by=group,
            )
            for date_from, date_to, group, teams in self.periods
        ]

    def assertSameAsEngine(self, timezones=TIMEZONES):
        self.env.flush_all()
        for tz in timezones:
            ours = self._kpis(tz)
            with self.Kpi._kpi_unaggregated():
                reference = self._kpis(tz)
            self.assertFalse(kpi_differences(ours, reference), tz)
            self.assertTrue(ours[0]["customer_count"], "the periods hold orders")

    def _digest(self):
        digests = []
        for table, order in ((CHAIN_TABLE, "c"), (ORDER_DAY_TABLE, "c")):
            self.env.cr.execute(
                SQL(
                    "SELECT count(*), md5(COALESCE(string_agg(%s::text, ',' ORDER BY %s::text),"
                    " '')) FROM %s %s",
                    SQL.identifier(order),
                    SQL.identifier(order),
                    SQL.identifier(table),
                    SQL.identifier(order),
                )
            )
            digests.append(self.env.cr.fetchone())
        return digests

    def _marks(self):
        self.env.cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(ORDER_DIRTY_TABLE)))
        return self.env.cr.fetchone()[0]

    def _answers(self, team_ids):
        """Whether the pre-aggregate answers a read of ``team_ids`` (UTC)."""
        return bool(self.Kpi.with_context(tz="UTC")._kpi_order_scope(team_ids))

    def _refresh(self):
        self.env.flush_all()
        self.Aggregate._refresh()

    # ------------------------------------------------------------------ tests
    def test_same_figures_as_engine(self):
        self._refresh()
        self.assertEqual(self._marks(), 0)
        stores = self.env["crm.team"]._store_service_stores().ids
        self.assertTrue(self._answers(stores), "every store: the company scope")
        self.assertTrue(self._answers([self.store.id]), "one store")
        self.assertFalse(self._answers([self.store.id, self.store_b.id]), "a few: live")
        self.assertSameAsEngine()
        # the figures themselves, by hand, in the first store over the last 364 days:
        # the firm (its contact's order included: 3, 40 and 75 days ago), Ms. Chen
        # (today twice, 100 days ago) and the common order of Ms. Zhang
        year = self.Kpi.with_context(tz="UTC").compute_kpis(
            self.today - timedelta(days=364), self.today, team_ids=[self.store.id]
        )
        self.assertEqual(year["order_count"], 7)
        self.assertEqual(year["customer_count"], 3)
        self.assertEqual(year["repeat_customer_count"], 2)

    def test_writes_read_live_until_refreshed(self):
        self._refresh()
        built = self._digest()
        now = fields.Datetime.now()
        # every door of a customer's chain: a new order, a cancelled one, one moved to
        # another day and store, a contact moved to another customer
        self._order(self.p3, self.store.id, 77.0, now - timedelta(days=1))
        self.orders[9]._action_cancel()
        self.orders[4].write({"date_order": now - timedelta(days=33), "team_id": self.store_c.id})
        self.firm_buyer.parent_id = self.other_firm
        self.env.flush_all()
        self.assertGreater(self._marks(), 0)
        self.assertEqual(self._digest(), built, "not refreshed yet")
        self.assertSameAsEngine()
        self._refresh()
        self.assertEqual(self._marks(), 0)
        self.assertSameAsEngine()
        incremental = self._digest()
        batch = 7  # partner ids per batch of the rebuild: many batches
        self.Aggregate._build_orders(self.Aggregate._order_built_tzs(), batch_customers=batch)
        self.assertEqual(self._digest(), incremental, "a rebuild equals the refreshed tables")

    def test_clerk_and_several_companies(self):
        """A store clerk's read of their store answers from the pre-aggregate (orders
        have no record rules of their own); a session with two companies reads live.
        The figures are the engine's either way."""
        self._refresh()
        other = self.env["res.company"].create({"name": "Customers Second Company"})
        self.env.user.company_ids |= other
        Kpi = self.Kpi.with_context(tz="UTC")
        year = (self.today - timedelta(days=364), self.today)
        clerk = Kpi.with_user(self.clerk)
        self.assertTrue(clerk._kpi_order_scope([self.store.id]))
        two = Kpi.with_context(allowed_company_ids=[self.company.id, other.id])
        self.assertFalse(two._kpi_order_scope([self.store.id]))
        for kpi in (clerk, two):
            ours = kpi.compute_kpis(*year, team_ids=[self.store.id])
            with kpi._kpi_unaggregated():
                reference = kpi.compute_kpis(*year, team_ids=[self.store.id])
            self.assertFalse(kpi_differences([ours], [reference]))
            self.assertEqual(ours["order_count"], 7)

    def test_not_built_reads_live(self):
        self.env.cr.execute("DELETE FROM store_service_kpi_order_state")
        self.assertFalse(self._answers([self.store.id]))
        self.assertSameAsEngine(timezones=("UTC",))

    def test_new_store_rebuilds(self):
        self._refresh()
        self.env["crm.team"].create({"is_store": True, "name": "Customers Store D"})
        stores = self.env["crm.team"]._store_service_stores().ids
        self.assertFalse(self._answers(stores), "the company scope is another set now")
        self.assertSameAsEngine(timezones=("UTC",))
        self._refresh()
        self.assertTrue(self._answers(stores))
        self.assertSameAsEngine(timezones=("UTC",))
