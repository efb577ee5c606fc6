# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""Every KPI is defined once: every screen shows the same figure.

For every KPI, two stores of the demo chain and last month (in a time zone far from
UTC, so that local and UTC day bounds differ): the dashboard card, the store's row of
``compute_kpis(group_by='team')``, the drill-down's record count, the analysis
report's pivot (read_group) and the printed scorecard agree.
"""

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.tests import TransactionCase, tagged

from ..models.store_service_kpi_definitions import COMPLAINT, KPIS, SUMS, VISIT, KpiFormat

MODULE = "store_service_crm"
REPORTS = {COMPLAINT: "store.complaint.report", VISIT: "store.return.visit.report"}
# the sums an analysis report adds up, for the KPIs over orders (numerator per row)
REPORT_SUMS = {
    "complaint_count": "complaint_count",
    "return_count": "return_count",
    "service_cost": "service_cost",
}


@tagged("post_install", "-at_install")
class TestKpiOneDefinition(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="Asia/Shanghai", lang="en_US"))
        cls.stores = cls.env.ref(f"{MODULE}.crm_team_store_downtown") | cls.env.ref(
            f"{MODULE}.crm_team_store_riverside"
        )
        first = fields.Date.context_today(cls.env.user).replace(day=1)
        cls.date_from = first - relativedelta(months=1)
        cls.date_to = first - relativedelta(days=1)
        cls.Kpi = cls.env["store.service.kpi"]
        cls.scorecard = cls.env["report.store_service_crm.report_store_scorecard"]

    def _report_domain(self, source, store):
        """The rows of ``store`` that the KPIs of ``source`` count over the period."""
        domain = self.Kpi._kpi_base_domain(source, self.date_from, self.date_to, store.ids)
        return domain

    def _pivot(self, source, store, measure, aggregator="avg"):
        report = self.env[REPORTS[source]]
        [[value]] = report._read_group(
            self._report_domain(source, store), [], [f"{measure}:{aggregator}"]
        )
        return value

    def test_demo_period_has_figures(self):
        """The proof below means something: the stores have complaints, visits, orders and
        most KPIs in the period."""
        grouped = self.Kpi.compute_kpis(
            self.date_from, self.date_to, team_ids=self.stores.ids, group_by="team"
        )
        for row in grouped["teams"]:
            with self.subTest(store=row["team_name"]):
                self.assertGreater(row["complaint_count"], 0)
                self.assertGreater(row["order_count"], 0)
                self.assertGreater(row["csat_count"], 0)
                known = [key for key in KPIS if row[key] is not None]
                self.assertGreaterEqual(len(known), len(KPIS) - 2, known)

    def test_every_kpi_is_the_same_on_every_surface(self):
        grouped = self.Kpi.compute_kpis(
            self.date_from, self.date_to, team_ids=self.stores.ids, group_by="team"
        )
        by_team = {row["team_id"]: row for row in grouped["teams"]}
        self.assertEqual(set(by_team), set(self.stores.ids))
        fmt = KpiFormat(self.env)
        for store in self.stores:
            figures = by_team[store.id]
            alone = self.Kpi.compute_kpis(self.date_from, self.date_to, team_ids=store.ids)
            sums = self.Kpi._kpi_sums(self.date_from, self.date_to, store.ids, None)[None]
            dashboard = self.Kpi.get_dashboard_data(self.date_from, self.date_to, store.ids)
            cards = {card["key"]: card for card in dashboard["cards"]}
            ranking = {cell["key"]: cell for cell in dashboard["teams"][0]["cells"]}
            card = self.scorecard._get_scorecard(store, self.date_from, self.date_to)
            printed = {row["key"]: row for row in card["rows"]}
            self.assertEqual(set(cards), set(KPIS))
            for key, kpi in KPIS.items():
                value = figures[key]
                with self.subTest(store=store.name, kpi=key):
                    # compute_kpis for the store alone and grouped by store
                    self._assert_same(alone[key], value)
                    # the dashboard card and the store ranking
                    self._assert_same(cards[key]["value"], value)
                    self.assertEqual(cards[key]["value_display"], fmt(kpi.unit, value))
                    if key in ranking:
                        self.assertEqual(ranking[key]["display"], fmt(kpi.unit, value))
                    # the printed scorecard (and its monthly email, which attaches it)
                    if kpi.scorecard:
                        self.assertEqual(printed[key]["value"], fmt(kpi.unit, value))
                        self.assertEqual(printed[key]["status"], cards[key]["status"])
                    else:
                        self._assert_same(card["score"], value)
                    # the drill-down opens the records the KPI counts
                    if kpi.records:
                        action = self.Kpi.action_open_kpi_records(
                            key, self.date_from, self.date_to, store.ids
                        )
                        count = self.env[action["res_model"]].search_count(
                            action["context"]["store_service_kpi_facet"]["domain"]
                        )
                        self.assertEqual(count, sums[kpi.records])
                    # the analysis report's pivot
                    if kpi.report_field:
                        pivot = self._pivot(kpi.source, store, kpi.report_field)
                        scale = 100.0 if kpi.unit == "percent" else 1.0
                        self._assert_same(None if pivot is None else pivot / scale, value)
                    elif kpi.numerator in REPORT_SUMS:
                        total = self._pivot(
                            COMPLAINT, store, REPORT_SUMS[kpi.numerator], aggregator="sum"
                        )
                        denominator = sums[kpi.denominator]
                        expected = kpi.factor * (total or 0) / denominator if denominator else None
                        self._assert_same(expected, value)

    def test_scorecard_lists_count_what_the_kpis_count(self):
        """The category list of the scorecard adds up to the complaints the KPIs count
        (same local-day bounds, no archived, no cancelled complaint)."""
        for store in self.stores:
            with self.subTest(store=store.name):
                kpis = self.Kpi.compute_kpis(self.date_from, self.date_to, team_ids=store.ids)
                groups = self.env["store.complaint"]._read_group(
                    [
                        *self.Kpi._kpi_base_domain(
                            COMPLAINT, self.date_from, self.date_to, store.ids
                        ),
                        ("counts_as_complaint", "=", True),
                    ],
                    ["category_id"],
                    ["__count"],
                )
                self.assertEqual(sum(count for _c, count in groups), kpis["complaint_count"])
                card = self.scorecard._get_scorecard(store, self.date_from, self.date_to)
                listed = sum(category["count"] for category in card["categories"])
                if len(groups) <= len(card["categories"]):
                    self.assertEqual(listed, kpis["complaint_count"])
                else:
                    self.assertLess(listed, kpis["complaint_count"])

    def test_scorecard_lists_use_local_days_and_skip_archived_and_cancelled(self):
        """In Shanghai (UTC+8), a complaint received on the 1st at 00:30 local time
        (the last day of the previous month in UTC) belongs to the month; archived and
        cancelled complaints are in no list."""
        store = self.env["crm.team"].create({"is_store": True, "name": "Scorecard Bounds Store"})
        category = self.env.ref(f"{MODULE}.complaint_category_product_quality")
        customer = self.env["res.partner"].create({"name": "Mr. Bounds", "customer_rank": 1})

        def complaint(received_utc):
            with freeze_time(received_utc):
                return self.env["store.complaint"].create(
                    {
                        "partner_id": customer.id,
                        "team_id": store.id,
                        "category_id": category.id,
                        "description": "Bounds",
                        "severity": "critical",
                    }
                )

        first = self.date_from
        # 00:30 on the 1st in Shanghai is 16:30 UTC the day before
        at_midnight = f"{first - relativedelta(days=1)} 16:30:00"
        counted = complaint(at_midnight)
        archived = complaint(at_midnight)
        archived.active = False
        cancelled = complaint(at_midnight)
        cancelled.action_cancel(reason="Registered twice")
        # 23:30 UTC on the last day is the 1st of the next month in Shanghai
        next_month = complaint(f"{self.date_to} 23:30:00")
        kpis = self.Kpi.compute_kpis(self.date_from, self.date_to, team_ids=store.ids)
        self.assertEqual(kpis["complaint_count"], 1)
        card = self.scorecard._get_scorecard(store, self.date_from, self.date_to)
        self.assertEqual(
            [(line["name"], line["count"]) for line in card["categories"]],
            [(category.display_name, 1)],
        )
        # overdue at the end of the month (its last local day): the open complaint of
        # the month (deadline 18 h after receipt); not the archived one, and not the
        # one whose deadline falls after the month's end in Shanghai
        self.assertEqual(card["overdue"]["records"], counted)
        self.assertEqual(card["overdue"]["count"], 1)
        month_end = self.Kpi._kpi_period(self.date_from, self.date_to)[3]
        self.assertGreater(next_month.resolution_deadline, month_end)

    def test_every_sum_has_a_domain_when_a_drill_down_opens_it(self):
        for key, kpi in KPIS.items():
            with self.subTest(kpi=key):
                if kpi.records:
                    self.assertTrue(SUMS[kpi.records].domain, kpi.records)
                if kpi.target_field:
                    self.assertIn(kpi.target_field, self.env["res.company"]._fields)
                    self.assertIn(kpi.target_field, self.env["res.config.settings"]._fields)

    def _assert_same(self, first, second):
        if first is None or second is None:
            self.assertEqual(first, second)
        else:
            self.assertAlmostEqual(float(first), float(second), places=6)
