# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""The KPI pre-aggregate (issue 18): the same figures as the engine alone, whatever
was written since the last refresh, whatever time it is; a rebuild from scratch
equals the incrementally refreshed table; only the managers' reads use it."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.store_service_kpi_aggregate import DAY_TABLE, DIRTY_TABLE, aggregated_sums
from ..models.store_service_kpi_definitions import COMPLAINT, ORDER, SUMS, VISIT
from ..tools import kpi_differences
from .common import ComplaintCase, complaint_through_actions, visit_through_actions

TIMEZONES = ("UTC", "Asia/Shanghai", "America/New_York")


@tagged("post_install", "-at_install")
class TestKpiAggregate(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Aggregate = cls.env["store.service.kpi.aggregate"]
        cls.other_store = cls.env["crm.team"].create(
            {"is_store": True, "name": "Aggregate Store B", "company_id": cls.company.id}
        )
        now = fields.Datetime.now()
        cls.today = fields.Date.context_today(cls.env["store.service.kpi"])
        # complaints of the last weeks in every state, some near midnight (UTC) so that
        # time zones put them on other days
        Complaint = cls.Complaint
        base = {
            "partner_id": cls.customer.id,
            "category_id": cls.category.id,
            "description": "Door seal broken",
            "team_id": cls.store.id,
        }
        cls.resolved = complaint_through_actions(
            Complaint,
            dict(base, compensation_amount=30.0),
            now - timedelta(days=20, hours=3),
            responded=now - timedelta(days=20, hours=1),
            resolved=now - timedelta(days=19),
        )
        cls.open = complaint_through_actions(
            Complaint, base, now.replace(hour=23, minute=30) - timedelta(days=9)
        )
        cls.started = complaint_through_actions(
            Complaint,
            dict(base, team_id=cls.other_store.id),
            now.replace(hour=0, minute=20) - timedelta(days=4),
            responded=now - timedelta(days=3),
        )
        cls.cancelled = complaint_through_actions(
            Complaint,
            base,
            now - timedelta(days=6),
            cancelled=now - timedelta(days=5),
        )
        Visit = cls.env["store.return.visit"].with_context(tracking_disable=True)
        cls.visit_planned = Visit.create(
            {
                "partner_id": cls.customer.id,
                "team_id": cls.store.id,
                "scheduled_date": cls.today - timedelta(days=2),
            }
        )
        cls.visit_done = visit_through_actions(
            Visit.create(
                {
                    "partner_id": cls.customer.id,
                    "team_id": cls.other_store.id,
                    "scheduled_date": cls.today - timedelta(days=8),
                }
            ),
            "done",
            csat=5,
            nps=9,
        )
        cls.periods = [
            (cls.today - timedelta(days=40), cls.today, "team"),
            (cls.today - timedelta(days=400), cls.today, "month"),
            (cls.today.replace(day=1), cls.today, None),
        ]

    # ------------------------------------------------------------------ helpers
    def _kpis(self, tz, user=None):
        kpi = self.env["store.service.kpi"].with_context(tz=tz)
        if user:
            kpi = kpi.with_user(user)
        return [
            kpi.compute_kpis(date_from, date_to, group_by=group, compare=True)
            for date_from, date_to, group in self.periods
        ]

    def _pure(self, tz, user=None):
        kpi = self.env["store.service.kpi"]
        with kpi._kpi_unaggregated():
            return self._kpis(tz, user)

    def assertSameAsEngine(self, user=None, timezones=TIMEZONES):
        self.env.flush_all()
        for tz in timezones:
            ours, reference = self._kpis(tz, user), self._pure(tz, user)
            self.assertFalse(kpi_differences(ours, reference), tz)

    def _digest(self):
        self.env.cr.execute(
            SQL(
                "SELECT count(*), md5(COALESCE(string_agg(d::text, ',' ORDER BY tz, source,"
                " team_id, day, company_id), '')) FROM %s d",
                SQL.identifier(DAY_TABLE),
            )
        )
        return self.env.cr.fetchone()

    def _marks(self):
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(DIRTY_TABLE)))
        return self.env.cr.fetchone()[0]

    def _build(self, timezones=TIMEZONES):
        for tz in timezones:
            self.Aggregate._build_tz(tz)
        self.Aggregate._refresh()

    # ------------------------------------------------------------------ tests
    def test_sums_classified(self):
        """Every sum says whether it is additive; complaint and visit sums all are (the
        pre-aggregate keeps them), distinct customers are not."""
        self.assertFalse(SUMS["customer_count"].additive)
        self.assertFalse(SUMS["repeat_customer_count"].additive)
        self.assertTrue(SUMS["order_count"].additive)
        for source in (COMPLAINT, VISIT):
            keys = {s.key for s in SUMS.values() if s.source == source}
            self.assertEqual({s.key for s in aggregated_sums(source)}, keys)
        self.assertTrue(SUMS["resolution_due"].volatile, "open complaints move with now")
        self.assertNotIn(ORDER, {s.source for s in aggregated_sums(ORDER) if s.volatile})

    def test_same_figures_as_engine(self):
        """Built for three time zones: the figures (totals, per store, per month, the
        previous period) are the engine's, and they come from the pre-aggregate."""
        self._build()
        self.assertFalse(self._marks())
        self.env.cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(DAY_TABLE)))
        self.assertGreater(self.env.cr.fetchone()[0], 0)
        kpi = self.env["store.service.kpi"].with_user(self.manager).with_context(tz="UTC")
        self.assertTrue(kpi._kpi_aggregate_usable(COMPLAINT, [self.store.id]))
        self.assertEqual(
            kpi._kpi_aggregate_settled(),
            fields.Date.today() - timedelta(days=1),
            "a manager's read uses the pre-aggregate, the last two days live",
        )
        self.assertSameAsEngine()
        self.assertSameAsEngine(user=self.manager)

    def test_writes_read_live_until_refreshed(self):
        """Writes since the refresh (a complaint resolved today, one cancelled, one moved
        to another store, one archived, a visit done, one deleted) mark their store-days:
        those are read live, the figures stay the engine's; the refresh rebuilds them and
        the table then equals a rebuild from scratch."""
        self._build()
        self.assertSameAsEngine()
        self.open.action_assign()
        self.open.action_start()
        self._resolvable(self.open).action_resolve()
        self.started.action_cancel(reason="Registered twice")
        self.resolved.team_id = self.other_store
        self.cancelled.active = False
        visit_through_actions(self.visit_planned, "done", csat=2, nps=3)
        self.visit_done.unlink()
        self.assertGreater(self._marks(), 0)
        self.assertSameAsEngine()
        self.Aggregate._refresh()
        self.assertFalse(self._marks())
        self.assertSameAsEngine()
        incremental = self._digest()
        self._build()
        self.assertEqual(self._digest(), incremental, "rebuild from scratch = incremental")

    def test_time_passes(self):
        """Deadlines pass and visits fall due without any write: the open complaints are
        read live, the planned visits of the days from the settled day too; the figures
        stay the engine's days later, before and after the refresh brings the settled
        day forward (which then equals a rebuild from scratch)."""
        Visit = self.env["store.return.visit"].with_context(tracking_disable=True)
        coming = Visit.create(
            {
                "partner_id": self.customer.id,
                "team_id": self.store.id,
                "scheduled_date": self.today + timedelta(days=2),
            }
        )
        self._build()
        # a planned visit of a past day is kept, counted due; one to come is not kept
        self.env.cr.execute(
            SQL(
                "SELECT day, visit_due_count FROM %s WHERE tz = 'UTC' AND source = %s"
                " AND team_id = %s AND day IN %s",
                SQL.identifier(DAY_TABLE),
                VISIT,
                self.store.id,
                (self.visit_planned.scheduled_date, coming.scheduled_date),
            )
        )
        self.assertEqual(dict(self.env.cr.fetchall())[self.visit_planned.scheduled_date], 1)
        later = fields.Datetime.now() + timedelta(days=5)
        with freeze_time(later):
            self.assertSameAsEngine(timezones=("UTC", "Asia/Shanghai"))
            self.Aggregate._refresh()
            kpi = self.env["store.service.kpi"].with_context(tz="UTC")
            self.assertEqual(kpi._kpi_aggregate_settled(), later.date() - timedelta(days=1))
            self.assertSameAsEngine(timezones=("UTC", "Asia/Shanghai"))
            settled = self._digest()
            self._build()
            self.assertEqual(self._digest(), settled, "rebuild from scratch = settled")

    def test_setting_change(self):
        """The response hours (a company setting the 24 h sums read) change: every
        bucket of the company is read live until the refresh rebuilds it."""
        self._build()
        self.company.kpi_response_hours = 1
        self.assertTrue(self._marks())
        self.assertSameAsEngine(timezones=("UTC",))
        self.Aggregate._refresh()
        self.assertFalse(self._marks())
        self.assertSameAsEngine(timezones=("UTC",))

    def test_not_built_or_clerk_reads_live(self):
        """A time zone not built yet, and a clerk (record rules inside the store), get
        the engine's live figures."""
        self._build(timezones=("UTC",))
        kpi = self.env["store.service.kpi"]
        self.assertIsNone(kpi._kpi_aggregate_settled("Asia/Tokyo"))
        self.assertTrue(kpi._kpi_aggregate_settled("UTC"))
        self.assertSameAsEngine(timezones=("Asia/Tokyo",))
        self.assertFalse(kpi.with_user(self.clerk)._kpi_aggregate_usable(COMPLAINT, [1]))
        self.assertTrue(kpi.with_user(self.manager)._kpi_aggregate_usable(COMPLAINT, [1]))
        self.assertFalse(
            kpi.with_context(active_test=False)._kpi_aggregate_usable(COMPLAINT, [1]),
            "a context that would count archived complaints reads live",
        )
        with kpi._kpi_unaggregated():
            self.assertFalse(kpi._kpi_aggregate_usable(COMPLAINT, [1]))
        self.assertSameAsEngine(user=self.clerk, timezones=("UTC",))

    def test_refresh_batches(self):
        """The refresh takes the marks in batches: each batch rebuilds its buckets and
        deletes exactly its marks (a killed run leaves the others for the next)."""
        self._build()
        visit_through_actions(self.visit_planned, "done", csat=4)
        self.open.write({"description": "Door seal broken, and the light"})
        marks = self._marks()
        self.assertGreaterEqual(marks, 2)
        done = self.Aggregate._refresh_marks(self.Aggregate._built_tzs(), limit=1)
        self.assertEqual(done, 1)
        self.assertEqual(self._marks(), marks - 1)
        self.assertSameAsEngine(timezones=("UTC",))
        self.Aggregate._refresh()
        self.assertFalse(self._marks())
        self.assertSameAsEngine(timezones=("UTC",))
