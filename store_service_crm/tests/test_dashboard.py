# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from ..models.store_service_kpi_definitions import KPIS, KpiFormat
from .common import make_users

TARGETED = {
    "csat_avg",
    "satisfaction_rate",
    "resolution_on_time_rate",
    "first_contact_resolution_rate",
    "service_cost_ratio",
    "response_24h_rate",
    "response_on_time_rate",
    "return_rate",
}


@tagged("post_install", "-at_install")
class TestDashboard(TransactionCase):
    """Two stores rated today: the Good Store (CSAT 5) and the Poor Store (CSAT 2); the
    clerk works in the Good Store only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.users = make_users(cls.env)
        cls.clerk = cls.users["clerk"]
        cls.manager = cls.users["manager"]
        cls.today = fields.Date.context_today(cls.env["store.service.kpi"])
        cls.good = cls.env["crm.team"].create(
            {
                "is_store": True,
                "name": "Good Store",
                "user_id": cls.manager.id,
                "member_ids": [cls.clerk.id],
            }
        )
        cls.poor = cls.env["crm.team"].create(
            {"is_store": True, "name": "Poor Store", "user_id": cls.manager.id}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Ms. Dashboard", "customer_rank": 1})
        cls._visit(cls.good, 5)
        cls._visit(cls.good, 5)
        cls._visit(cls.poor, 2)

    @classmethod
    def _visit(cls, team, csat, day=None):
        visit = cls.env["store.return.visit"].create(
            {
                "partner_id": cls.customer.id,
                "team_id": team.id,
                "origin": "manual",
                "scheduled_date": day or cls.today,
                "csat_score": csat,
            }
        )
        visit.action_done()
        return visit

    def _data(self, team_ids=None, user=None):
        kpi = self.env["store.service.kpi"]
        if user:
            kpi = kpi.with_user(user)
        return kpi.get_dashboard_data(self.today, self.today, team_ids)

    def _card(self, data, key):
        return next(card for card in data["cards"] if card["key"] == key)

    def test_cards_for_every_kpi_with_targets_and_status(self):
        data = self._data([self.good.id])
        self.assertEqual([c["key"] for c in data["cards"]], list(KPIS))
        for card in data["cards"]:
            self.assertTrue(card["label"])
            self.assertIn(card["status"], ("good", "bad", None), card["key"])
            if card["key"] in TARGETED:
                self.assertTrue(card["target_display"], card["key"])
                self.assertIsNotNone(card["target"], card["key"])
            else:
                self.assertIsNone(card["status"], card["key"])
        csat = self._card(data, "csat_avg")
        # two ratings of 5: (5 + 5) / 2 = 5.0, above the 4.8 target
        self.assertEqual(csat["value"], 5.0)
        self.assertEqual(csat["value_display"], "5.00")
        self.assertEqual(csat["target_display"], "≥ 4.80")
        self.assertEqual(csat["status"], "good")
        cost = self._card(data, "service_cost_ratio")
        self.assertEqual(cost["target_display"], "≤ 3.0 %")

    def test_missed_target_is_bad(self):
        csat = self._card(self._data([self.poor.id]), "csat_avg")
        self.assertEqual(csat["value"], 2.0)
        self.assertEqual(csat["status"], "bad")

    def test_no_value_shows_a_dash(self):
        # no order in the period: no repurchase rate, shown as "–" and no status
        card = self._card(self._data([self.good.id]), "repurchase_rate")
        self.assertIsNone(card["value"])
        self.assertEqual(card["value_display"], "–")
        self.assertIsNone(card["status"])

    def test_change_from_previous_period(self):
        yesterday = fields.Date.subtract(self.today, days=1)
        self._visit(self.good, 4, day=yesterday)
        data = self._data([self.good.id])
        csat = self._card(data, "csat_avg")
        # today 5.0, yesterday (the previous one-day period) 4.0: +1.00, up and better
        self.assertEqual(csat["previous"], 4.0)
        self.assertAlmostEqual(csat["delta"], 1.0)
        self.assertEqual(csat["delta_display"], "+1.00")
        self.assertEqual(csat["trend"], "up")
        self.assertTrue(csat["improved"])

    def test_change_too_small_to_show_is_flat(self):
        fmt = KpiFormat(self.env(context={"lang": "en_US"}))
        kpi = KPIS["service_cost_ratio"]
        card = self.env["store.service.kpi"]._dashboard_card(
            fmt, kpi, {"service_cost_ratio": 0.00004}, {"service_cost_ratio": 0.0}, {}
        )
        # +0.004 points shows as 0.0: no arrow up, neither better nor worse
        self.assertEqual(card["trend"], "flat")
        self.assertIsNone(card["improved"])
        self.assertEqual(card["delta_display"], "0.0 pts")

    def test_ranking_by_service_score(self):
        data = self._data([self.poor.id, self.good.id])
        names = [row["team_name"] for row in data["teams"]]
        self.assertEqual(names, ["Good Store", "Poor Store"])
        self.assertEqual([row["rank"] for row in data["teams"]], [1, 2])
        scores = [row["service_score"] for row in data["teams"]]
        self.assertGreater(scores[0], scores[1])
        self.assertEqual(
            [cell["key"] for cell in data["teams"][0]["cells"]],
            [column["key"] for column in data["columns"]],
        )

    def test_store_filter(self):
        both = self._card(self._data([self.good.id, self.poor.id]), "csat_avg")
        # (5 + 5 + 2) / 3 = 4.0
        self.assertAlmostEqual(both["value"], 4.0)
        only_good = self._data([self.good.id])
        self.assertEqual([row["team_name"] for row in only_good["teams"]], ["Good Store"])
        self.assertEqual(self._card(only_good, "csat_avg")["value"], 5.0)

    def test_trend_has_twelve_months(self):
        trend = self._data([self.good.id])["trend"]
        self.assertEqual(len(trend["months"]), 12)
        self.assertEqual(trend["months"][-1], self.today.strftime("%Y-%m"))
        csat = next(s for s in trend["series"] if s["key"] == "csat_avg")
        self.assertEqual(csat["values"][-1], 5.0)
        self.assertIsNone(csat["values"][0])

    def test_store_user_gets_their_stores_only(self):
        data = self._data(user=self.clerk)
        names = {row["team_name"] for row in data["teams"]}
        self.assertIn("Good Store", names)
        self.assertNotIn("Poor Store", names)
        self.assertEqual(self._card(data, "csat_avg")["value"], 5.0)
        self.assertTrue(data["team_domain"])
        selectable = self.env["crm.team"].search(data["team_domain"])
        self.assertIn(self.good, selectable)
        self.assertNotIn(self.poor, selectable)
        with self.assertRaises(AccessError):
            self._data([self.poor.id], user=self.clerk)

    def test_manager_selects_any_store(self):
        data = self._data(user=self.manager)
        self.assertEqual(data["team_domain"], [("is_store", "=", True)])
        names = {row["team_name"] for row in data["teams"]}
        self.assertTrue({"Good Store", "Poor Store"} <= names)

    def test_same_query_count_for_one_and_five_stores(self):
        stores = self.good | self.poor
        for i in range(3):
            stores |= self.env["crm.team"].create({"is_store": True, "name": f"Extra Store {i}"})
            self._visit(stores[-1], 3 + i % 3)
        kpi = self.env["store.service.kpi"]
        cr = self.env.cr

        def count(team_ids):
            self.env.invalidate_all()
            before = cr.sql_log_count
            data = kpi.get_dashboard_data(self.today, self.today, team_ids)
            return cr.sql_log_count - before, data

        count(stores.ids)  # warm the caches (registry, ormcache) once
        one, data_one = count(self.good.ids)
        five, data_five = count(stores.ids)
        self.assertEqual(len(data_one["teams"]), 1)
        self.assertEqual(len(data_five["teams"]), 5)
        self.assertEqual(one, five)
        # +3: each of the three KPI reads asks whether the orders' pre-aggregate answers
        self.assertLessEqual(five, 18)

    def test_numbers_follow_the_user_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        fmt = KpiFormat(self.env(context={"lang": "de_DE"}))
        self.assertEqual(fmt("count", 1234567), "1.234.567")
        self.assertEqual(fmt("percent", 0.8766), "87,7 %")
        self.assertEqual(fmt("csat", 4.8), "4,80")
        self.assertEqual(fmt("percent", None), "–")
        self.assertEqual(fmt.delta("number", 2.0, 2.5), (-0.5, "-0,5"))
        en = KpiFormat(self.env(context={"lang": "en_US"}))
        self.assertEqual(en("count", 1234567), "1,234,567")
        self.assertEqual(en.delta("percent", 0.85, 0.8)[1], "+5.0 pts")
