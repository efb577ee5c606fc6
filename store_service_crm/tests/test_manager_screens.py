# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""Issue 14, the manager's screens: a store is a sales team marked as a store; the
dashboard compares with the previous calendar period; a drill-down says which KPI and
period; reports show no data as empty; the scorecard prints equal values with "=", is
named after its store and month and never opens the layout configurator."""

from datetime import date

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import make_users


@tagged("post_install", "-at_install")
class TestManagerScreens(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.users = make_users(cls.env)
        cls.clerk = cls.users["clerk"]
        cls.manager = cls.users["manager"]
        Team = cls.env["crm.team"]
        cls.store = Team.create(
            {"is_store": True, "name": "Screens Store", "member_ids": [Command.link(cls.clerk.id)]}
        )
        cls.other_store = Team.create({"is_store": True, "name": "Screens Other Store"})
        # a sales team the clerk also works in (as its leader: one membership only
        # without multi-team membership), which is not a store
        cls.sales = Team.create({"name": "Screens Online Sales", "user_id": cls.clerk.id})
        cls.customer = cls.env["res.partner"].create({"name": "Screens customer"})
        cls.Kpi = cls.env["store.service.kpi"]

    # ------------------------------------------------------------------ stores
    def test_store_selections_offer_stores_only(self):
        Team = self.env["crm.team"]
        manager_domain = Team.with_user(self.manager)._store_service_selectable_domain()
        offered = Team.search(manager_domain)
        self.assertIn(self.store, offered)
        self.assertIn(self.other_store, offered)
        self.assertNotIn(self.sales, offered)
        clerk_offered = Team.search(Team.with_user(self.clerk)._store_service_selectable_domain())
        self.assertEqual(clerk_offered, self.store)
        # the complaint's and the visit's store fields read the same definition
        for model in ("store.complaint", "store.return.visit"):
            records = self.env[model].with_user(self.clerk)
            domain = records._fields["team_id"].domain(records)
            with self.subTest(model=model):
                self.assertEqual(Team.search(domain), self.store)

    def test_a_sales_team_that_is_not_a_store_gives_no_store(self):
        """An order of the "Sales" team files its complaint or visit in no store."""
        Team = self.env["crm.team"]
        self.assertEqual(Team._store_service_allowed(self.sales), Team)
        self.assertEqual(Team._store_service_allowed(self.store), self.store)
        self.assertEqual(Team.with_user(self.clerk)._store_service_allowed(self.sales), Team)
        self.assertEqual(Team.with_user(self.clerk)._store_service_allowed(self.store), self.store)

    def test_default_store_is_the_users_store_not_their_sales_team(self):
        self.clerk.sale_team_id = self.sales
        Complaint = self.env["store.complaint"].with_user(self.clerk)
        self.assertEqual(Complaint._default_team_id(), self.store)
        self.clerk.sale_team_id = self.store
        self.assertEqual(Complaint._default_team_id(), self.store)

    def test_all_stores_leave_other_sales_teams_out(self):
        """The KPI engine's "all stores" (dashboard ranking) counts stores only."""
        for team in (self.store, self.sales):
            self.env["store.complaint"].create(
                {
                    "partner_id": self.customer.id,
                    "team_id": team.id,
                    "category_id": self.env.ref(
                        "store_service_crm.complaint_category_product_quality"
                    ).id,
                    "description": "Noise",
                }
            )
        today = fields.Date.context_today(self.Kpi)
        data = self.Kpi.with_user(self.manager).get_dashboard_data(today, today)
        ranked = {row["team_id"] for row in data["teams"]}
        self.assertIn(self.store.id, ranked)
        self.assertNotIn(self.sales.id, ranked)
        self.assertEqual(data["team_domain"], [("is_store", "=", True)])

    def test_scorecard_wizard_defaults_to_stores_and_refuses_other_teams(self):
        Wizard = self.env["store.scorecard.wizard"]
        manager_default = Wizard.with_user(self.manager).create({}).team_ids
        self.assertIn(self.store, manager_default)
        self.assertNotIn(self.sales, manager_default)
        self.assertEqual(Wizard.with_user(self.clerk).create({}).team_ids, self.store)
        wizard = Wizard.create({"team_ids": [Command.set(self.sales.ids)]})
        with self.assertRaisesRegex(UserError, "Screens Online Sales is not a store"):
            wizard.action_print()

    # ------------------------------------------------------------------ periods
    def test_previous_period_is_the_previous_calendar_period(self):
        previous = self.Kpi._kpi_previous_period
        cases = [
            # a month: the previous month, whatever their lengths
            ((date(2026, 12, 1), date(2026, 12, 31)), (date(2026, 11, 1), date(2026, 11, 30))),
            ((date(2024, 3, 1), date(2024, 3, 31)), (date(2024, 2, 1), date(2024, 2, 29))),
            # a quarter and a year
            ((date(2026, 10, 1), date(2026, 12, 31)), (date(2026, 7, 1), date(2026, 9, 30))),
            ((date(2026, 1, 1), date(2026, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))),
            # a custom range: the same length just before
            ((date(2026, 12, 5), date(2026, 12, 14)), (date(2026, 11, 25), date(2026, 12, 4))),
            ((date(2026, 12, 3), date(2026, 12, 3)), (date(2026, 12, 2), date(2026, 12, 2))),
        ]
        for period, expected in cases:
            with self.subTest(period=period):
                self.assertEqual(previous(*period), expected)
        data = self.Kpi.with_context(lang="en_US").get_dashboard_data(
            "2026-12-01", "2026-12-31", [self.store.id]
        )
        self.assertEqual(data["previous_label"], "11/01/2026 – 11/30/2026")

    def test_drill_down_names_the_kpi_and_period_with_a_facet(self):
        action = self.Kpi.with_context(lang="en_US").action_open_kpi_records(
            "complaint_rate", "2026-12-01", "2026-12-31", [self.store.id]
        )
        self.assertEqual(action["name"], "Complaints per 100 Orders · 12/01/2026 – 12/31/2026")
        # the facet travels in the action (restored on a browser reload), not as a
        # hidden domain: removing the facet widens the list
        self.assertNotIn("domain", action)
        facet = action["context"]["store_service_kpi_facet"]
        self.assertEqual(
            facet["description"],
            "Complaints per 100 Orders: Complaints Received (12/01/2026 – 12/31/2026)",
        )
        self.assertEqual(facet["model"], "store.complaint")
        listed = self.env["store.complaint"].search(facet["domain"])
        self.assertEqual(
            len(listed),
            self.Kpi.compute_kpis("2026-12-01", "2026-12-31", [self.store.id])["complaint_count"],
        )

    # ------------------------------------------------------------------ reports
    def test_report_average_without_data_is_empty(self):
        """A store whose visits have no repurchase window over yet shows an empty rate
        (False, an empty cell), not 0.00 (None); a real 0 stays 0."""
        Report = self.env["store.return.visit.report"]
        groups = Report.read_group(
            [("team_id", "=", self.other_store.id)], ["csat_score:avg"], ["team_id"]
        )
        self.assertEqual(groups, [])
        visit = self.env["store.return.visit"].create(
            {"partner_id": self.customer.id, "team_id": self.other_store.id, "origin": "manual"}
        )
        self.assertTrue(visit)
        self.env.flush_all()
        groups = Report.read_group(
            [("team_id", "=", self.other_store.id)], ["csat_score:avg"], ["team_id"]
        )
        self.assertEqual(len(groups), 1)
        self.assertIs(groups[0]["csat_score"], False)

    def test_report_actions_open_on_this_month_by_store(self):
        for xmlid, date_filter in (
            ("store_service_crm.store_complaint_report_action", "filter_date_received"),
            ("store_service_crm.store_return_visit_report_action", "filter_scheduled_date"),
            ("store_service_crm.store_staff_performance_report_action", "filter_date"),
            ("store_service_crm.store_repurchase_report_action", "filter_date"),
        ):
            action = self.env.ref(xmlid)
            context = json_domain(action.context)
            with self.subTest(report=xmlid):
                self.assertEqual(context.get(f"search_default_{date_filter}"), 1)
                self.assertEqual(context.get("search_default_stores"), 1)
                self.assertEqual(context.get("search_default_groupby_team"), 1)
                arch = self.env[action.res_model].get_views([(False, "search")])["views"]
                search = arch["search"]["arch"]
                self.assertIn('default_period="month"', search)
                self.assertIn("team_id.is_store", search)

    # ------------------------------------------------------------------ scorecard
    def test_scorecard_equal_values_show_equal_sign(self):
        Scorecard = self.env["report.store_service_crm.report_store_scorecard"]
        # 85.63 and 85.6 both print as 85.6: no arrow
        self.assertEqual(Scorecard._trend_mark("service_score", 85.63, 85.6), ("=", "flat"))
        self.assertEqual(Scorecard._trend_mark("csat_avg", 4.0, 4.0), ("=", "flat"))
        self.assertEqual(Scorecard._trend_mark("service_score", 86.0, 85.0), ("\u25b2", "good"))
        self.assertIsNone(Scorecard._trend_mark("service_score", None, 85.0))

    def test_scorecard_paper_name_and_no_layout_dialog(self):
        report = self.env.ref("store_service_crm.action_report_store_scorecard")
        self.assertEqual(report.paperformat_id.format, "A4")
        self.assertLessEqual(report.paperformat_id.margin_top, 15)
        Scorecard = self.env["report.store_service_crm.report_store_scorecard"]
        self.assertEqual(
            Scorecard.with_context(lang="en_US")._get_scorecard_file_name(
                self.store, date(2026, 12, 1)
            ),
            "Scorecard - Screens Store - 2026-12",
        )
        self.assertEqual(
            Scorecard.with_context(lang="en_US")._get_scorecard_file_name(
                self.store | self.other_store, date(2026, 12, 1)
            ),
            "Scorecards - 2026-12",
        )
        # no document layout chosen: the admin's first print still gets the report
        self.env.company.external_report_layout_id = False
        wizard = self.env["store.scorecard.wizard"].create(
            {"month": "12", "year": 2026, "team_ids": [Command.set(self.store.ids)]}
        )
        action = wizard.action_print()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "store_service_crm.report_store_scorecard")

    def test_monthly_scorecard_email_goes_to_stores_only(self):
        self.store.user_id = self.manager
        self.sales.user_id = self.manager
        logs = self.env["store.scorecard.log"]._send_monthly_scorecards(month="2026-11-15")
        self.assertIn(self.store, logs.team_id)
        self.assertNotIn(self.sales, logs.team_id)


def json_domain(value):
    """A domain or context given as a string (Python literal) or a list."""
    if isinstance(value, str):
        return safe_eval(value)
    return value
