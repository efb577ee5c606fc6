# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import TransactionCase, tagged

from .common import complaint_through_actions, make_users

REPORTS = (
    "store.complaint.report",
    "store.return.visit.report",
    "store.staff.performance.report",
    "store.repurchase.report",
)


@tagged("post_install", "-at_install")
class TestReports(TransactionCase):
    """Hand-built complaints, visits and orders in two stores of the company (plus one
    complaint and one visit of another company), and the analysis views read over them.

    Stores: A (the clerk is a member), B (led by the manager). T0 = 10 days ago.

    Complaints, through the workflow actions (compensation, hours to respond / to
    resolve, SLA 24 h / 72 h):
      c1 A clerk   closed       100.00  1 h / 10 h  on time / on time, FCR
      c2 A manager resolved      50.50 30 h / 80 h  late / late, not FCR: resolved at
                                                    40 h, reopened at 50 h
      c3 B manager in progress    0    30 h / -     late / late (deadline passed, open)
      c4 B nobody  cancelled     20.00
      c5 A clerk   new, received now: deadlines ahead, no rate yet
      cx other company

    Visits (done 200 days ago unless said):
      v1 P1 A clerk   done CSAT 5 NPS 10  | P1 orders 20 days after
      v2 P2 A clerk   done CSAT 4 NPS 7   | P2 orders 100 days after
      v3 P3 B manager done CSAT 4 NPS 3   | P3 ordered before; cancelled order after
      v4 P4 B manager done CSAT 5         | P4's contact orders 60 days after
      v5 P5 A clerk   done CSAT 5, 10 days ago | P5 orders 5 days after
      v6 P1 A clerk   done, no score (feedback only)
      v7 P2 B manager planned, 2 failed attempts
      v8 P3 A clerk   cancelled
      v9 P3 B manager unreachable, 3 failed attempts
      vx other company, done CSAT 1
    """

    @classmethod
    def setUpClass(cls):
        """The hand-computed data set of the report tests. Long on purpose: each
        record is written out with the row of the report it stands for."""
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        cls.env["store.return.visit.rule"].search([]).active = False
        cls.users = make_users(cls.env)
        cls.clerk = cls.users["clerk"]
        cls.manager = cls.users["manager"]
        cls.company = cls.env.company
        cls.company.write(
            {
                "complaint_response_hours": 24.0,
                "complaint_resolution_hours": 72.0,
                "complaint_factor_medium": 1.0,
                "complaint_sla_working_hours": False,
            }
        )
        Team = cls.env["crm.team"]
        cls.store_a = Team.create(
            {"is_store": True, "name": "Report Store A", "company_id": cls.company.id}
        )
        cls.store_a.member_ids = [(4, cls.clerk.id)]
        cls.store_b = Team.create(
            {
                "is_store": True,
                "name": "Report Store B",
                "user_id": cls.manager.id,
                "company_id": cls.company.id,
            }
        )
        cls.stores = cls.store_a | cls.store_b
        cls.other_company = cls.env["res.company"].create({"name": "Other Chain"})
        cls.manager.company_ids = [(4, cls.other_company.id)]

        Partner = cls.env["res.partner"]
        cls.p1, cls.p2, cls.p3, cls.p4, cls.p5 = Partner.create(
            [{"name": f"Report Customer {i}", "customer_rank": 1} for i in range(1, 6)]
        )
        cls.p4_contact = Partner.create({"name": "P4 Contact", "parent_id": cls.p4.id})
        cls.product = cls.env["product.product"].create(
            {"name": "Fridge FR-300", "list_price": 800.0, "type": "consu"}
        )
        cls.quality = cls.env.ref("store_service_crm.complaint_category_product_quality")
        cls.installation = cls.env.ref("store_service_crm.complaint_category_installation")

        now = fields.Datetime.now().replace(microsecond=0)
        cls.t0 = t0 = now - timedelta(days=10)
        Complaint = cls.env["store.complaint"]
        base = {"partner_id": cls.p1.id, "description": "Noisy", "category_id": cls.quality.id}

        def hours(n):
            return t0 + timedelta(hours=n)

        # registered at T0 and handled through the workflow actions at the times in the
        # docstring (SLA 24 h / 72 h from the settings above)
        cls.c1 = complaint_through_actions(
            Complaint,
            dict(
                base,
                team_id=cls.store_a.id,
                user_id=cls.clerk.id,
                compensation_amount=100.0,
                responsibility="product",
                root_cause="Compressor mount loose",
                resolution_type="repair",
            ),
            t0,
            responded=hours(1),
            resolved=hours(10),
            closed=hours(12),
        )
        cls.c2 = complaint_through_actions(
            Complaint,
            dict(
                base,
                team_id=cls.store_a.id,
                user_id=cls.manager.id,
                compensation_amount=50.5,
                responsibility="staff",
                resolution_type="compensation",
            ),
            t0,
            responded=hours(30),
            reopened=[(hours(40), hours(50))],
            resolved=hours(80),
        )
        cls.c3 = complaint_through_actions(
            Complaint,
            dict(
                base,
                team_id=cls.store_b.id,
                user_id=cls.manager.id,
                category_id=cls.installation.id,
            ),
            t0,
            responded=hours(30),
        )
        cls.c4 = complaint_through_actions(
            Complaint,
            dict(base, team_id=cls.store_b.id, user_id=False, compensation_amount=20.0),
            t0,
            cancelled=hours(2),
        )
        cls.c5 = Complaint.create(dict(base, team_id=cls.store_a.id, user_id=cls.clerk.id))
        with freeze_time(t0):
            cls.cx = Complaint.with_company(cls.other_company).create(
                dict(base, team_id=False, company_id=cls.other_company.id)
            )

        Visit = cls.env["store.return.visit"]
        cls.visit_at = visit_at = now - timedelta(days=200)
        recent = now - timedelta(days=10)

        def visit(partner, store, user, **vals):
            return dict(
                {
                    "partner_id": partner.id,
                    "team_id": store.id,
                    "user_id": user.id,
                    "scheduled_date": visit_at.date(),
                },
                **vals,
            )

        done = {"state": "done", "date_done": visit_at}
        a, b, clerk, manager = cls.store_a, cls.store_b, cls.clerk, cls.manager
        cls.visits = Visit.create(
            [
                visit(cls.p1, a, clerk, csat_score=5, nps_score=10, **done),
                visit(cls.p2, a, clerk, csat_score=4, nps_score=7, **done),
                visit(cls.p3, b, manager, csat_score=4, nps_score=3, **done),
                visit(cls.p4, b, manager, csat_score=5, **done),
                visit(
                    cls.p5,
                    a,
                    clerk,
                    csat_score=5,
                    state="done",
                    date_done=recent,
                    scheduled_date=recent.date(),
                ),
                visit(cls.p1, a, clerk, feedback="Fine, no score", **done),
                visit(cls.p2, b, manager, attempt_count=2),
                visit(cls.p3, a, clerk, state="cancelled"),
                visit(cls.p3, b, manager, state="unreachable", attempt_count=3),
            ]
        )
        cls.vx = Visit.with_company(cls.other_company).create(
            {
                "partner_id": cls.p1.id,
                "company_id": cls.other_company.id,
                "user_id": cls.manager.id,
                "csat_score": 1,
                "state": "done",
                "date_done": visit_at,
                "scheduled_date": visit_at.date(),
            }
        )

        # orders, dated relative to the visits
        cls._order(cls.p1, visit_at + timedelta(days=20))
        cls._order(cls.p2, visit_at + timedelta(days=100))
        cls._order(cls.p3, visit_at - timedelta(days=5))
        cls._order(cls.p3, visit_at + timedelta(days=10), confirm=False).action_cancel()
        cls._order(cls.p4_contact, visit_at + timedelta(days=60))
        cls._order(cls.p5, recent + timedelta(days=5))
        cls.env.flush_all()

    @classmethod
    def _order(cls, partner, date_order, confirm=True):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "team_id": cls.store_a.id,
                "order_line": [
                    fields.Command.create({"product_id": cls.product.id, "product_uom_qty": 1})
                ],
            }
        )
        if confirm:
            order.action_confirm()
        order.date_order = date_order
        return order

    def _group(self, model, domain, groupby, measures, user=None):
        Report = self.env[model].with_user(user) if user else self.env[model]
        groups = Report.read_group(domain, measures, groupby, lazy=False)
        return {g[groupby][0] if isinstance(g[groupby], tuple) else g[groupby]: g for g in groups}

    # ------------------------------------------------------------------
    # Complaint analysis
    # ------------------------------------------------------------------
    def test_complaint_report_totals_match_the_complaints(self):
        domain = [("team_id", "in", self.stores.ids), ("state", "!=", "cancelled")]
        Report = self.env["store.complaint.report"]
        [total] = Report.read_group(
            domain,
            [
                "complaint_count:sum",
                "compensation_amount:sum",
                "reopen_count:sum",
                "resolution_hours:avg",
                "resolution_on_time_rate:avg",
                "response_on_time_rate:avg",
                "fcr_rate:avg",
                "resolved_count:sum",
                "open_overdue_count:sum",
            ],
            [],
        )
        # c1, c2, c3, c5 (c4 cancelled)
        self.assertEqual(total["__count"], 4)
        self.assertEqual(total["complaint_count"], 4)
        self.assertEqual(total["resolved_count"], 2)  # c1 closed, c2 resolved
        self.assertEqual(total["open_overdue_count"], 1)  # c3
        # 100.00 + 50.50 (the cancelled c4's 20.00 left out)
        self.assertAlmostEqual(total["compensation_amount"], 150.5)
        self.assertEqual(total["reopen_count"], 1)
        # resolved in 10 h and 80 h: (10 + 80) / 2
        self.assertAlmostEqual(total["resolution_hours"], 45.0)
        # c1 on time, c2 late, c3 late (deadline passed, open), c5 not due: 1 / 3
        self.assertAlmostEqual(total["resolution_on_time_rate"], 100.0 / 3)
        self.assertAlmostEqual(total["response_on_time_rate"], 100.0 / 3)
        # resolved: c1 FCR, c2 not: 1 / 2
        self.assertAlmostEqual(total["fcr_rate"], 50.0)

        # the same totals as the ORM over the complaints
        complaint_domain = [("team_id", "in", self.stores.ids), ("state", "!=", "cancelled")]
        [(count, compensation)] = self.env["store.complaint"]._read_group(
            complaint_domain, [], ["__count", "compensation_amount:sum"]
        )
        self.assertEqual(total["__count"], count)
        self.assertAlmostEqual(total["compensation_amount"], compensation)

    def test_complaint_report_by_category_matches_the_orm(self):
        domain = [("team_id", "in", self.stores.ids)]
        report = self._group(
            "store.complaint.report", domain, "category_id", ["compensation_amount:sum"]
        )
        orm = {
            category.id: (count, amount)
            for category, count, amount in self.env["store.complaint"]._read_group(
                domain, ["category_id"], ["__count", "compensation_amount:sum"]
            )
        }
        # quality: c1, c2, c4, c5 = 100 + 50.5 + 20 (cancelled kept: state filter is the
        # user's); installation: c3
        self.assertEqual(report[self.quality.id]["__count"], 4)
        self.assertAlmostEqual(report[self.quality.id]["compensation_amount"], 170.5)
        self.assertEqual(report[self.installation.id]["__count"], 1)
        self.assertEqual(
            {key: (g["__count"], g["compensation_amount"]) for key, g in report.items()}, orm
        )

    def test_complaint_report_hides_archived_complaints(self):
        self.c5.active = False
        self.env.flush_all()
        rows = self.env["store.complaint.report"].search([("team_id", "in", self.stores.ids)])
        self.assertEqual(rows.complaint_id, self.c1 | self.c2 | self.c3 | self.c4)

    def test_reports_agree_with_the_kpi_engine(self):
        """Over the same complaints and visits, the views give the KPI engine's figures
        (its rates are fractions, the reports' percentages)."""
        today = fields.Date.today()
        date_from = today - timedelta(days=365)
        kpis = self.env["store.service.kpi"].compute_kpis(
            date_from, today, team_ids=self.stores.ids
        )
        [complaints] = self.env["store.complaint.report"].read_group(
            [
                ("team_id", "in", self.stores.ids),
                ("state", "!=", "cancelled"),
                ("date_received", ">=", fields.Datetime.to_datetime(date_from)),
            ],
            [
                "compensation_amount:sum",
                "resolution_hours:avg",
                "response_on_time_rate:avg",
                "resolution_on_time_rate:avg",
                "fcr_rate:avg",
            ],
            [],
        )
        self.assertEqual(complaints["__count"], kpis["complaint_count"])
        self.assertAlmostEqual(complaints["compensation_amount"], kpis["compensation_amount"])
        self.assertAlmostEqual(complaints["resolution_hours"], kpis["avg_resolution_hours"])
        for rate, key in (
            ("response_on_time_rate", "response_on_time_rate"),
            ("resolution_on_time_rate", "resolution_on_time_rate"),
            ("fcr_rate", "first_contact_resolution_rate"),
        ):
            self.assertAlmostEqual(complaints[rate], kpis[key] * 100, msg=rate)
        [visits] = self.env["store.return.visit.report"].read_group(
            [("team_id", "in", self.stores.ids), ("scheduled_date", ">=", date_from)],
            ["done_count:sum", "completion_rate:avg", "csat_score:avg", "nps_value:avg"],
            [],
        )
        self.assertEqual(visits["done_count"], kpis["visit_done_count"])
        self.assertAlmostEqual(visits["completion_rate"], kpis["visit_completion_rate"] * 100)
        self.assertAlmostEqual(visits["csat_score"], kpis["csat_avg"])
        self.assertAlmostEqual(visits["nps_value"], kpis["nps"])

    # ------------------------------------------------------------------
    # Return visit analysis
    # ------------------------------------------------------------------
    def test_visit_report_totals(self):
        domain = [("team_id", "in", self.stores.ids), ("state", "!=", "cancelled")]
        [total] = self.env["store.return.visit.report"].read_group(
            domain,
            [
                "visit_count:sum",
                "done_count:sum",
                "completion_rate:avg",
                "attempt_count:sum",
                "csat_count:sum",
                "csat_score:avg",
                "satisfaction_rate:avg",
                "top_box_rate:avg",
                "nps_count:sum",
                "promoter_count:sum",
                "detractor_count:sum",
                "nps_value:avg",
            ],
            [],
        )
        # v1..v7 and v9 (v8 cancelled)
        self.assertEqual(total["visit_count"], 8)
        self.assertEqual(total["done_count"], 6)  # v1..v6
        self.assertAlmostEqual(total["completion_rate"], 75.0)  # 6 / 8
        self.assertEqual(total["attempt_count"], 5)  # 2 + 3
        # CSAT of v1..v5 (v6 has no score): (5 + 4 + 4 + 5 + 5) / 5 = 4.6
        self.assertEqual(total["csat_count"], 5)
        self.assertAlmostEqual(total["csat_score"], 4.6)
        self.assertAlmostEqual(total["satisfaction_rate"], 100.0)  # all >= 4
        self.assertAlmostEqual(total["top_box_rate"], 60.0)  # 3 fives of 5
        # NPS: v1 10 promoter, v2 7 passive, v3 3 detractor: (1 - 1) / 3 * 100 = 0
        self.assertEqual(total["nps_count"], 3)
        self.assertEqual(total["promoter_count"], 1)
        self.assertEqual(total["detractor_count"], 1)
        self.assertAlmostEqual(total["nps_value"], 0.0)

        # the ORM over the same visits
        Visit = self.env["store.return.visit"]
        visits = Visit.search(domain)
        self.assertEqual(total["visit_count"], len(visits))
        scored = visits.filtered(lambda v: v.state == "done" and v.csat_score > 0)
        self.assertAlmostEqual(total["csat_score"], sum(scored.mapped("csat_score")) / len(scored))

    def test_visit_report_nps_by_store(self):
        groups = self._group(
            "store.return.visit.report",
            [("team_id", "in", self.stores.ids)],
            "team_id",
            ["nps_value:avg", "csat_score:avg"],
        )
        # A: v1 (10) promoter, v2 (7) passive -> (1 - 0) / 2 * 100 = 50; CSAT (5+4+5)/3
        self.assertAlmostEqual(groups[self.store_a.id]["nps_value"], 50.0)
        self.assertAlmostEqual(groups[self.store_a.id]["csat_score"], 14 / 3)
        # B: v3 (3) detractor only -> -100; CSAT (4 + 5) / 2
        self.assertAlmostEqual(groups[self.store_b.id]["nps_value"], -100.0)
        self.assertAlmostEqual(groups[self.store_b.id]["csat_score"], 4.5)

    # ------------------------------------------------------------------
    # Staff performance
    # ------------------------------------------------------------------
    def test_staff_performance_per_user(self):
        groups = self._group(
            "store.staff.performance.report",
            [("team_id", "in", self.stores.ids)],
            "user_id",
            [
                "complaint_count:sum",
                "resolved_count:sum",
                "resolution_on_time_rate:avg",
                "fcr_rate:avg",
                "visit_count:sum",
                "visit_done_count:sum",
                "csat_score:avg",
            ],
        )
        clerk, manager = groups[self.clerk.id], groups[self.manager.id]
        # clerk: c1 (on time, FCR) and c5 (not due); visits v1, v2, v5, v6 (v8 cancelled)
        self.assertEqual(clerk["complaint_count"], 2)
        self.assertEqual(clerk["resolved_count"], 1)
        self.assertAlmostEqual(clerk["resolution_on_time_rate"], 100.0)
        self.assertAlmostEqual(clerk["fcr_rate"], 100.0)
        self.assertEqual(clerk["visit_count"], 4)
        self.assertEqual(clerk["visit_done_count"], 4)
        self.assertAlmostEqual(clerk["csat_score"], 14 / 3)  # (5 + 4 + 5) / 3
        # manager: c2 (late, not FCR), c3 (late); visits v3, v4, v7, v9
        self.assertEqual(manager["complaint_count"], 2)
        self.assertEqual(manager["resolved_count"], 1)
        self.assertAlmostEqual(manager["resolution_on_time_rate"], 0.0)
        self.assertAlmostEqual(manager["fcr_rate"], 0.0)
        self.assertEqual(manager["visit_count"], 4)
        self.assertEqual(manager["visit_done_count"], 2)
        self.assertAlmostEqual(manager["csat_score"], 4.5)  # (4 + 5) / 2
        # the complaints handled match the ORM's count per handler
        orm = dict(
            self.env["store.complaint"]._read_group(
                [("team_id", "in", self.stores.ids), ("state", "!=", "cancelled")],
                ["user_id"],
                ["__count"],
            )
        )
        self.assertEqual(orm[self.clerk], clerk["complaint_count"])
        self.assertEqual(orm[self.manager], manager["complaint_count"])

    # ------------------------------------------------------------------
    # Satisfaction -> repurchase
    # ------------------------------------------------------------------
    def test_repurchase_rate_by_csat_score(self):
        groups = self._group(
            "store.repurchase.report",
            [("team_id", "in", self.stores.ids)],
            "csat_level",
            [
                "visit_count:sum",
                "repurchase_30_rate:avg",
                "repurchase_90_rate:avg",
                "repurchase_180_rate:avg",
                "revenue_90:avg",
                "days_to_next_order:avg",
            ],
        )
        self.assertEqual(set(groups), {"4", "5"})
        five, four = groups["5"], groups["4"]
        # score 5: v1 (P1, +20 days), v4 (P4's contact, +60 days), v5 (10 days ago: no
        # window is over yet, so it weighs in no rate)
        self.assertEqual(five["visit_count"], 3)
        self.assertAlmostEqual(five["repurchase_30_rate"], 50.0)  # P1 yes, P4 no: 1 / 2
        self.assertAlmostEqual(five["repurchase_90_rate"], 100.0)  # 2 / 2
        self.assertAlmostEqual(five["repurchase_180_rate"], 100.0)
        # revenue within 90 days: P1 800, P4 800 -> 800 per visit
        self.assertAlmostEqual(five["revenue_90"], 800.0)
        # days to the next order: 20, 60, 5 -> 85 / 3
        self.assertAlmostEqual(five["days_to_next_order"], 85 / 3, places=3)
        # score 4: v2 (P2, +100 days), v3 (P3: an older order and a cancelled one only)
        self.assertEqual(four["visit_count"], 2)
        self.assertAlmostEqual(four["repurchase_30_rate"], 0.0)
        self.assertAlmostEqual(four["repurchase_90_rate"], 0.0)
        self.assertAlmostEqual(four["repurchase_180_rate"], 50.0)  # P2 yes, P3 no: 1 / 2
        self.assertAlmostEqual(four["revenue_90"], 0.0)

    def test_repurchase_rate_matches_the_orders(self):
        """The 90-day rate recomputed from sale orders with the ORM."""
        rows = self.env["store.repurchase.report"].search(
            [
                ("team_id", "in", self.stores.ids),
                ("date", "<=", fields.Date.today() - timedelta(days=90)),
            ]
        )
        Order = self.env["sale.order"]
        for row in rows:
            visit = row.visit_id
            bought = Order.search_count(
                [
                    ("partner_id", "child_of", visit.partner_id.commercial_partner_id.id),
                    ("state", "=", "sale"),
                    ("date_order", ">", visit.date_done),
                    ("date_order", "<=", visit.date_done + timedelta(days=90)),
                ]
            )
            self.assertEqual(row.repurchase_90_rate, 100.0 if bought else 0.0, visit.partner_id)
        # v1, v2, v3, v4 have a closed 90-day window
        self.assertEqual(len(rows), 4)

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def test_store_user_sees_only_their_stores_rows(self):
        clerk_env_domain = [("team_id", "in", self.stores.ids)]
        complaints = self.env["store.complaint.report"].with_user(self.clerk)
        # store A's complaints: c1, c2, c5; not B's c3/c4
        self.assertEqual(
            complaints.search(clerk_env_domain).complaint_id.sudo(), self.c1 | self.c2 | self.c5
        )
        [total] = complaints.read_group(clerk_env_domain, ["compensation_amount:sum"], [])
        self.assertEqual(total["__count"], 3)
        self.assertAlmostEqual(total["compensation_amount"], 150.5)
        visits = self.env["store.return.visit.report"].with_user(self.clerk)
        self.assertEqual(set(visits.search([]).mapped("team_id.id")), {self.store_a.id})
        # staff figures: store A's rows only (the clerk's own and their colleagues')
        leader_groups = self._group(
            "store.staff.performance.report", [], "team_id", ["complaint_count:sum"], self.clerk
        )
        self.assertEqual(set(leader_groups), {self.store_a.id})
        repurchase = self.env["store.repurchase.report"].with_user(self.clerk).search([])
        self.assertEqual(repurchase.visit_id.sudo().partner_id, self.p1 | self.p2 | self.p5)

    def test_store_leader_sees_the_store_they_lead(self):
        self.manager.groups_id = [
            (3, self.env.ref("store_service_crm.group_store_service_manager").id)
        ]
        leader = self.env["store.complaint.report"].with_user(self.manager)
        # B (led): c3, c4; handler of c2 in A
        self.assertEqual(
            leader.search([("team_id", "in", self.stores.ids)]).complaint_id.sudo(),
            self.c2 | self.c3 | self.c4,
        )

    def test_manager_sees_every_store_of_allowed_companies_only(self):
        for model, record in (
            ("store.complaint.report", self.cx),
            ("store.return.visit.report", self.vx),
            ("store.staff.performance.report", self.vx),
            ("store.repurchase.report", self.vx),
        ):
            field = "complaint_id" if record._name == "store.complaint" else "visit_id"
            Report = self.env[model].with_user(self.manager)
            one_company = Report.with_context(allowed_company_ids=[self.company.id])
            self.assertFalse(one_company.search([(field, "=", record.id)]), model)
            self.assertTrue(one_company.search([("team_id", "=", self.store_b.id)]), model)
            both = Report.with_context(allowed_company_ids=[self.company.id, self.other_company.id])
            self.assertTrue(both.search([(field, "=", record.id)]), model)

    def test_employee_without_group_cannot_read_reports(self):
        employee = self.users["employee"]
        for model in REPORTS:
            self.assertFalse(self.env[model].with_user(employee).has_access("read"), model)
            self.assertTrue(self.env[model].with_user(self.clerk).has_access("read"), model)
            self.assertFalse(self.env[model].with_user(self.manager).has_access("write"), model)

    # ------------------------------------------------------------------
    # Screens
    # ------------------------------------------------------------------
    def test_report_actions_load_their_views_and_open_the_records(self):
        actions = {
            "store_service_crm.store_complaint_report_action": "complaint_id",
            "store_service_crm.store_return_visit_report_action": "visit_id",
            "store_service_crm.store_staff_performance_report_action": "complaint_id",
            "store_service_crm.store_repurchase_report_action": "visit_id",
        }
        for xmlid, field in actions.items():
            action = self.env.ref(xmlid)
            for user in (self.clerk, self.manager):
                Report = self.env[action.res_model].with_user(user)
                views = [(False, mode) for mode in action.view_mode.split(",")]
                result = Report.get_views(
                    [*views, (action.search_view_id.id, "search")], {"toolbar": True}
                )
                self.assertEqual(
                    set(result["views"]), {*action.view_mode.split(","), "search"}, xmlid
                )
                row = Report.search([(field, "!=", False)], limit=1)
                self.assertTrue(row, xmlid)
                list_arch = result["views"]["list"]["arch"]
                method = list_arch.split('action="')[1].split('"')[0]
                opened = getattr(row, method)()
                self.assertEqual(opened["res_id"], row[field].id, xmlid)
            # the pivot's default grouping works for a store user
            self.env[action.res_model].with_user(self.clerk).read_group(
                [], [], ["team_id"], lazy=False
            )

    def test_reporting_menu_for_store_users(self):
        menu = self.env.ref("store_service_crm.menu_store_service_reporting")
        visible = self.env["ir.ui.menu"].with_user(self.clerk)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        # every report of the store teams; the chain-wide product defect ranking is the
        # managers' (quality and purchasing decide on it)
        managers_only = self.env.ref("store_service_crm.menu_store_service_reporting_defects")
        self.assertNotIn(managers_only.id, visible)
        self.assertTrue(set((menu.child_id - managers_only).ids) <= visible)
        self.assertLessEqual(set(REPORTS), {child.action.res_model for child in menu.child_id})
