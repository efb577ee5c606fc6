# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""KPI engine against a hand-built data set (March 2024, two stores).

Every expected figure is worked out by hand in the comments next to it.
"""

import xmlrpc.client

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, tagged

from .common import (
    complaint_through_actions,
    confirmed_order,
    make_users,
    visit_through_actions,
)

MARCH = ("2024-03-01", "2024-03-31")


@tagged("post_install", "-at_install")
class TestKpiEngine(TransactionCase):
    @classmethod
    def setUpClass(cls):
        """The hand-computed data set of the KPI tests. Long on purpose: each complaint,
        visit and order is written out with the figure it stands for."""
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC", tracking_disable=True))
        cls.users = make_users(cls.env)
        cls.company = cls.env.company
        cls.company.write(
            {
                "kpi_target_csat": 4.8,
                "kpi_target_on_time": 90.0,
                "kpi_target_fcr": 80.0,
                "kpi_target_cost": 3.0,
                "kpi_target_response": 85.0,
                "kpi_target_returns": 3.0,
                "kpi_weight_csat": 35,
                "kpi_weight_on_time": 25,
                "kpi_weight_fcr": 20,
                "kpi_weight_cost": 20,
                "complaint_response_hours": 4.0,
                "complaint_resolution_hours": 48.0,
                "complaint_factor_medium": 1.0,
                "complaint_sla_working_hours": False,
            }
        )
        # the verification visits of resolved complaints would add to the visit figures
        cls.env["store.return.visit.rule"].search([]).active = False
        Team = cls.env["crm.team"]
        cls.store_a = Team.create(
            {"is_store": True, "name": "KPI Store A", "company_id": cls.company.id}
        )
        cls.store_b = Team.create(
            {"is_store": True, "name": "KPI Store B", "company_id": cls.company.id}
        )
        cls.store_a.member_ids = cls.users["clerk"]
        Partner = cls.env["res.partner"]
        cls.p1, cls.p2, cls.p3 = Partner.create(
            [{"name": f"KPI Customer {i}", "customer_rank": 1} for i in (1, 2, 3)]
        )
        cls.product = cls.env["product.product"].create(
            {"name": "KPI Widget", "type": "consu", "list_price": 1.0, "taxes_id": False}
        )
        cls.category = cls.env.ref("store_service_crm.complaint_category_product_quality")
        cls.a, cls.b = cls.store_a.id, cls.store_b.id

        # Orders. Store A: P1 1000 + 2000, P2 1000; store B: P3 1000.
        # Outside: a cancelled order in March, an order on April 1st.
        cls._order(cls.p1, cls.a, 1000, "2024-03-03 10:00:00")
        cls._order(cls.p1, cls.a, 2000, "2024-03-20 10:00:00")
        cls._order(cls.p2, cls.a, 1000, "2024-03-21 10:00:00")
        cls._order(cls.p3, cls.b, 1000, "2024-03-22 10:00:00")
        cls._order(cls.p2, cls.a, 5000, "2024-03-23 10:00:00", state="cancel")
        cls._order(cls.p3, cls.b, 7000, "2024-04-01 10:00:00")

        # Complaints, registered and handled through the workflow actions at the given
        # times. SLA: answer within 4 h, resolve within 48 h of receipt (medium severity)
        # (received, first response, [(resolved, reopened)], resolved, resolution type,
        # compensation); one-pass: resolved, never reopened
        c = cls._complaint
        # #1 answered in 1 h, resolved in 28 h: on time, one pass
        cls.c1 = c(cls.a, "2024-03-02 08:00", "2024-03-02 09:00", (), "2024-03-03 12:00",
          "repair", 50.0)  # fmt: skip
        # #2 answered in 6 h, resolved after 72 h: late; reopened once: not one pass
        cls.c2 = c(cls.a, "2024-03-05 08:00", "2024-03-05 14:00",
          [("2024-03-06 08:00", "2024-03-07 09:00")], "2024-03-08 08:00",
          "refund", 150.0)  # fmt: skip
        # #3 never answered (still new): both deadlines passed
        cls.c3 = c(cls.a, "2024-03-10 08:00", None, (), None, None, 0.0)
        # #4 answered in 1 h, resolved in 2 h: on time, one pass
        cls.c4 = c(cls.b, "2024-03-15 08:00", "2024-03-15 09:00", (), "2024-03-15 10:00",
          "exchange", 0.0)  # fmt: skip
        # not counted: cancelled, received in April, received in February
        c(cls.a, "2024-03-11 08:00", None, (), None, "refund", 999.0,
          cancelled="2024-03-11 09:00")  # fmt: skip
        c(cls.a, "2024-04-01 00:30", "2024-04-01 01:00", (), None, None, 0.0)
        c(cls.a, "2024-02-20 08:00", "2024-02-20 09:00", (), "2024-02-21 08:00", None, 0.0)

        # Visits (store, scheduled, state, csat, nps or None)
        v = cls._visit
        v(cls.a, "2024-03-05", "done", 5, 10)
        v(cls.a, "2024-03-06", "done", 4, 9)
        v(cls.a, "2024-03-07", "done", 2, 3)
        v(cls.a, "2024-03-08", "unreachable", 0, None)
        v(cls.b, "2024-03-09", "done", 0, None)  # done, CSAT not asked
        v(cls.b, "2024-03-20", "planned", 0, None)  # due, not done
        v(cls.b, "2024-03-21", "cancelled", 1, 0)  # never counted
        v(cls.a, "2024-04-02", "done", 1, 0)  # April
        cls.env.invalidate_all()
        cls.Kpi = cls.env["store.service.kpi"]

    @classmethod
    def _order(cls, partner, team_id, amount, date_order, state="sale"):
        return confirmed_order(
            cls.env, partner, team_id, cls.product, amount, date_order, cancel=state == "cancel"
        )

    @classmethod
    def _complaint(cls, team_id, received, responded, reopened, resolved, resolution_type,
                   compensation, cancelled=None):  # fmt: skip
        return complaint_through_actions(
            cls.env["store.complaint"],
            {
                "partner_id": cls.p1.id,
                "team_id": team_id,
                "category_id": cls.category.id,
                "description": "KPI test complaint",
                "resolution_type": resolution_type,
                "compensation_amount": compensation,
            },
            received,
            responded=responded,
            reopened=reopened,
            resolved=resolved,
            cancelled=cancelled,
        )

    @classmethod
    def _visit(cls, team_id, scheduled, state, csat, nps):
        visit = cls.env["store.return.visit"].create(
            {"partner_id": cls.p1.id, "team_id": team_id, "scheduled_date": scheduled}
        )
        return visit_through_actions(visit, state, csat, nps)

    def _kpis(self, *period, **kwargs):
        return self.Kpi.compute_kpis(*(period or MARCH), **kwargs)

    def test_every_kpi_of_the_period(self):
        k = self._kpis(team_ids=[self.a, self.b])
        # CSAT over done visits with a score: 5, 4, 2 -> 11 / 3
        self.assertAlmostEqual(k["csat_avg"], 11 / 3)
        self.assertEqual(k["csat_count"], 3)
        # >= 4: two of three; = 5: one of three
        self.assertAlmostEqual(k["satisfaction_rate"], 2 / 3)
        self.assertAlmostEqual(k["top_box_rate"], 1 / 3)
        # NPS answers 10, 9, 3: promoters 2/3 - detractors 1/3 = 33.33
        self.assertAlmostEqual(k["nps"], 100 / 3)
        # complaints: four counted (cancelled, February and April left out)
        self.assertEqual(k["complaint_count"], 4)
        # response: on time = #1 and #4; due = all four (#3 unanswered, deadline passed)
        self.assertAlmostEqual(k["response_on_time_rate"], 2 / 4)
        # within 24 h of receipt: #1 (1 h), #2 (6 h), #4 (1 h); #3 never answered -> 3 / 4
        self.assertAlmostEqual(k["response_24h_rate"], 3 / 4)
        # resolution: on time = #1 and #4; due = #1, #2 resolved, #3 late, #4 -> 2 / 4
        self.assertAlmostEqual(k["resolution_on_time_rate"], 2 / 4)
        # resolved #1, #2, #4; first contact #1, #4 -> 2 / 3
        self.assertAlmostEqual(k["first_contact_resolution_rate"], 2 / 3)
        # resolution hours 28, 72 and 2 -> 102 / 3 = 34
        self.assertAlmostEqual(k["avg_resolution_hours"], 34.0)
        # 4 complaints per 4 confirmed orders -> 100 per 100 orders
        self.assertEqual(k["order_count"], 4)
        self.assertAlmostEqual(k["complaint_rate"], 100.0)
        # visits due: 6 (cancelled left out); done 4 -> 2 / 3
        self.assertEqual(k["visit_due_count"], 6)
        self.assertEqual(k["visit_done_count"], 4)
        self.assertAlmostEqual(k["visit_completion_rate"], 4 / 6)
        # customers P1 (2 orders), P2 (1), P3 (1) -> 1 / 3
        self.assertEqual((k["customer_count"], k["repeat_customer_count"]), (3, 1))
        self.assertAlmostEqual(k["repurchase_rate"], 1 / 3)
        # refund #2 + exchange #4 over 4 orders
        self.assertAlmostEqual(k["return_rate"], 0.5)
        # compensation 50 + 150 + 0 over revenue 1000 + 2000 + 1000 + 1000 = 200 / 5000
        self.assertAlmostEqual(k["compensation_amount"], 200.0)
        self.assertAlmostEqual(k["revenue"], 5000.0)
        self.assertAlmostEqual(k["service_cost_ratio"], 0.04)
        # score: 35 * (3.6667 / 4.8) + 25 * (0.5 / 0.9) + 20 * (0.6667 / 0.8)
        #        + 20 * (0.03 / 0.04) = 26.736 + 13.889 + 16.667 + 15 = 72.292
        expected = 35 * (11 / 3) / 4.8 + 25 * 0.5 / 0.9 + 20 * (2 / 3) / 0.8 + 20 * 0.75
        self.assertAlmostEqual(k["service_score"], expected)
        self.assertAlmostEqual(k["service_score"], 72.29, places=2)
        self.assertEqual((k["date_from"], k["date_to"]), MARCH)

    def test_the_figures_come_from_the_workflow(self):
        """The data set is made by the actions: the deadlines follow the SLA settings,
        one-pass resolution the reopen, the states the actions taken."""
        dt = fields.Datetime.to_datetime
        self.assertEqual(
            (self.c1.response_deadline, self.c1.resolution_deadline),
            (dt("2024-03-02 12:00:00"), dt("2024-03-04 08:00:00")),
        )
        self.assertEqual(self.c1.date_first_response, dt("2024-03-02 09:00:00"))
        self.assertEqual(self.c2.date_resolved, dt("2024-03-08 08:00:00"))
        self.assertEqual(self.c2.reopen_count, 1)
        complaints = self.c1 | self.c2 | self.c3 | self.c4
        self.assertEqual(complaints.mapped("first_contact_resolution"), [True, False, False, True])
        self.assertEqual(complaints.mapped("state"), ["resolved", "resolved", "new", "resolved"])

    def test_empty_period_gives_none(self):
        k = self._kpis("2023-01-01", "2023-01-31", team_ids=[self.a, self.b])
        for key in (
            "csat_avg",
            "satisfaction_rate",
            "top_box_rate",
            "nps",
            "response_on_time_rate",
            "response_24h_rate",
            "resolution_on_time_rate",
            "first_contact_resolution_rate",
            "avg_resolution_hours",
            "complaint_rate",
            "visit_completion_rate",
            "repurchase_rate",
            "return_rate",
            "service_cost_ratio",
            "service_score",
        ):
            self.assertIsNone(k[key], key)
        self.assertEqual(k["complaint_count"], 0)
        self.assertEqual(k["order_count"], 0)

    def test_store_filter_and_breakdown(self):
        k = self._kpis(team_ids=[self.b])
        # store B: one complaint on time (response and resolution), FCR, exchange
        self.assertEqual(k["complaint_count"], 1)
        self.assertEqual(k["order_count"], 1)
        self.assertEqual(k["resolution_on_time_rate"], 1.0)
        self.assertEqual(k["return_rate"], 1.0)
        # its only done visit has no score: CSAT has no denominator
        self.assertIsNone(k["csat_avg"])
        self.assertAlmostEqual(k["visit_completion_rate"], 1 / 2)
        # score without CSAT: on time 1, FCR 1, cost 0 <= 3 % -> 100 on the other 65 %
        self.assertAlmostEqual(k["service_score"], 100.0)

        grouped = self._kpis(team_ids=[self.a, self.b], group_by="team")
        by_team = {t["team_id"]: t for t in grouped["teams"]}
        self.assertEqual(set(by_team), {self.a, self.b})
        # ranked by score: B (100) before A
        self.assertEqual([t["team_id"] for t in grouped["teams"]], [self.b, self.a])
        self.assertEqual(by_team[self.b]["team_name"], "KPI Store B")
        team_a = by_team[self.a]
        # store A: 3 complaints, 3 orders; on time 1 of 3 due; P1 repeat of P1, P2
        self.assertEqual(team_a["complaint_count"], 3)
        self.assertAlmostEqual(team_a["resolution_on_time_rate"], 1 / 3)
        self.assertAlmostEqual(team_a["repurchase_rate"], 1 / 2)
        self.assertAlmostEqual(team_a["service_cost_ratio"], 200 / 4000)
        # the breakdown adds up to the totals
        self.assertEqual(sum(t["complaint_count"] for t in grouped["teams"]), 4)
        self.assertEqual(grouped["complaint_count"], 4)

    def test_pending_orm_writes_are_counted(self):
        visit = self.env["store.return.visit"].search(
            [("team_id", "=", self.b), ("scheduled_date", "=", "2024-03-20")]
        )
        self.assertEqual(len(visit), 1)
        visit.scheduled_date = "2023-06-15"  # not flushed yet
        k = self._kpis("2023-06-01", "2023-06-30", team_ids=[self.b])
        self.assertEqual(k["visit_due_count"], 1)

    def test_months_and_previous_period(self):
        k = self._kpis("2024-02-01", "2024-04-30", team_ids=[self.a, self.b], group_by="month")
        months = {m["month"]: m for m in k["months"]}
        self.assertEqual(list(months), ["2024-02", "2024-03", "2024-04"])
        self.assertEqual(
            [months[m]["complaint_count"] for m in months], [1, 4, 1]
        )  # Feb, Mar, the April 1st one
        self.assertEqual(months["2024-04"]["order_count"], 1)
        k = self._kpis(team_ids=[self.a], compare=True)
        # a calendar month is compared with the previous calendar month (one complaint)
        previous = k["previous"]
        self.assertEqual((previous["date_from"], previous["date_to"]), ("2024-02-01", "2024-02-29"))
        self.assertEqual(previous["complaint_count"], 1)
        self.assertEqual(k["complaint_count"], 3)

    def test_days_start_at_local_midnight(self):
        # received 2024-04-01 00:30 UTC = 2024-03-31 20:30 in New York: March there
        in_march = self.Kpi.with_context(tz="America/New_York").compute_kpis(
            *MARCH, team_ids=[self.a]
        )
        self.assertEqual(in_march["complaint_count"], 4)
        self.assertEqual(self._kpis(team_ids=[self.a])["complaint_count"], 3)

    def test_bad_arguments(self):
        with self.assertRaises(UserError):
            self._kpis("2024-03-31", "2024-03-01")
        with self.assertRaises(UserError):
            self._kpis("March", "2024-03-31")
        with self.assertRaises(UserError):
            self._kpis(False, "2024-03-31")
        with self.assertRaises(UserError):
            self._kpis(group_by="product")
        with self.assertRaises(UserError):
            self._kpis(team_ids=["A"])
        with self.assertRaises(UserError):
            self.Kpi.action_open_kpi_records("happiness", *MARCH)

    def test_store_user_sees_only_own_stores(self):
        clerk = self.users["clerk"]
        kpi = self.Kpi.with_user(clerk)
        own = kpi.compute_kpis(*MARCH)
        self.assertEqual(own["complaint_count"], 3)
        self.assertEqual(own["order_count"], 3)
        grouped = kpi.compute_kpis(*MARCH, group_by="team")
        self.assertEqual([t["team_id"] for t in grouped["teams"]], [self.a])
        with self.assertRaises(AccessError):
            kpi.compute_kpis(*MARCH, team_ids=[self.b])
        with self.assertRaises(AccessError):
            kpi.action_open_kpi_records("complaint_rate", *MARCH, team_ids=[self.b])
        # a user outside the app cannot read complaints at all
        with self.assertRaises(AccessError):
            self.Kpi.with_user(self.users["employee"]).compute_kpis(*MARCH)

    def test_drill_down_opens_the_records_behind_a_kpi(self):
        action = self.Kpi.action_open_kpi_records("return_rate", *MARCH, team_ids=[self.a, self.b])
        self.assertEqual(action["res_model"], "store.complaint")
        records = self.env["store.complaint"].search(
            action["context"]["store_service_kpi_facet"]["domain"]
        )
        self.assertEqual(sorted(records.mapped("resolution_type")), ["exchange", "refund"])
        action = self.Kpi.action_open_kpi_records("csat_avg", *MARCH, team_ids=[self.a, self.b])
        visits = self.env["store.return.visit"].search(
            action["context"]["store_service_kpi_facet"]["domain"]
        )
        self.assertEqual(sorted(visits.mapped("csat_score")), [2, 4, 5])
        action = self.Kpi.action_open_kpi_records("repurchase_rate", *MARCH, team_ids=[self.a])
        self.assertEqual(
            self.env["sale.order"].search_count(
                action["context"]["store_service_kpi_facet"]["domain"]
            ),
            3,
        )

    def test_targets_status_and_score_formula(self):
        targets = self.Kpi.get_targets()
        self.assertEqual(
            targets["weights"],
            {
                "csat_avg": 35,
                "resolution_on_time_rate": 25,
                "first_contact_resolution_rate": 20,
                "service_cost_ratio": 20,
            },
        )
        self.assertAlmostEqual(targets["resolution_on_time_rate"], 0.9)
        self.assertEqual(self.Kpi.kpi_status("csat_avg", 4.8, targets), "good")
        self.assertEqual(self.Kpi.kpi_status("csat_avg", 4.79, targets), "bad")
        self.assertEqual(self.Kpi.kpi_status("service_cost_ratio", 0.05, targets), "bad")
        self.assertEqual(self.Kpi.kpi_status("return_rate", 0.01, targets), "good")
        self.assertIsNone(self.Kpi.kpi_status("csat_avg", None, targets))
        self.assertIsNone(self.Kpi.kpi_status("nps", 50, targets))
        # all on target -> 100; all at half their target, cost at twice -> 50
        perfect = {
            "csat_avg": 4.8,
            "resolution_on_time_rate": 0.95,
            "first_contact_resolution_rate": 0.8,
            "service_cost_ratio": 0.01,
        }
        self.assertAlmostEqual(self.Kpi._service_score(perfect, targets), 100.0)
        half = {
            "csat_avg": 2.4,
            "resolution_on_time_rate": 0.45,
            "first_contact_resolution_rate": 0.4,
            "service_cost_ratio": 0.06,
        }
        self.assertAlmostEqual(self.Kpi._service_score(half, targets), 50.0)
        # only CSAT known (4.8 -> 1.0): the score is that component alone
        self.assertAlmostEqual(self.Kpi._service_score({"csat_avg": 4.8}, targets), 100.0)
        self.assertIsNone(self.Kpi._service_score({}, targets))
        # a store that only sells (cost ratio 0, no service figure) has no score
        self.assertIsNone(self.Kpi._service_score({"service_cost_ratio": 0.0}, targets))

    def test_weights_must_add_up_to_100(self):
        with self.assertRaises(ValidationError):
            self.company.kpi_weight_csat = 40
        with self.assertRaises(ValidationError):
            self.company.write({"kpi_weight_csat": -5, "kpi_weight_cost": 60})
        with self.assertRaises(ValidationError):
            self.company.kpi_target_csat = 6
        self.assertEqual(self.company.kpi_weight_csat, 35)
        # Settings write the four weights together: 40/20/20/20 is accepted
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(settings.kpi_weight_csat, 35)
        settings.kpi_weight_csat = 40
        settings.kpi_weight_on_time = 20
        settings.save().execute()
        self.assertEqual((self.company.kpi_weight_csat, self.company.kpi_weight_on_time), (40, 20))
        settings = Form(self.env["res.config.settings"])
        settings.kpi_weight_fcr = 50
        with self.assertRaises(ValidationError):
            settings.save().execute()


@tagged("post_install", "-at_install")
class TestKpiRpc(HttpCase):
    def test_integrator_reads_kpis_over_xmlrpc(self):
        """None (no denominator) travels as <nil/>; the figures as numbers."""
        models = self.xmlrpc_object
        uid = self.xmlrpc_common.login(self.env.cr.dbname, "admin", "admin")
        empty = models.execute_kw(
            self.env.cr.dbname, uid, "admin", "store.service.kpi", "compute_kpis",
            ["1990-01-01", "1990-01-31"], {"group_by": "team"},
        )  # fmt: skip
        self.assertIsNone(empty["csat_avg"])
        self.assertIsNone(empty["service_score"])
        self.assertEqual(empty["complaint_count"], 0)
        self.assertEqual(empty["teams"], [])
        with self.assertRaises(xmlrpc.client.Fault) as fault:
            models.execute_kw(
                self.env.cr.dbname, uid, "admin", "store.service.kpi", "compute_kpis",
                ["1990-01-31", "1990-01-01"],
            )  # fmt: skip
        self.assertIn("after it ends", fault.exception.faultString)
