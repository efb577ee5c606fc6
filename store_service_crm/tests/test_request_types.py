# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""Request types (complaint, repair, installation, return/exchange, question): the same
record and workflow; only the complaint types weigh in the complaint rate and the
complaint analyses; the other KPIs per type. Every figure worked out by hand."""

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, tagged

from .common import complaint_through_actions, make_users

MARCH = ("2024-03-01", "2024-03-31")


@tagged("post_install", "-at_install")
class TestRequestTypes(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC", tracking_disable=True))
        cls.users = make_users(cls.env)
        cls.company = cls.env.company
        cls.company.write(
            {
                "complaint_response_hours": 4.0,
                "complaint_resolution_hours": 48.0,
                "complaint_factor_medium": 1.0,
                "complaint_sla_working_hours": False,
            }
        )
        cls.env["store.return.visit.rule"].search([]).active = False
        cls.store = cls.env["crm.team"].create(
            {"is_store": True, "name": "Types Store", "company_id": cls.company.id}
        )
        cls.store.member_ids = cls.users["clerk"]
        cls.customer = cls.env["res.partner"].create({"name": "Types Customer"})
        cls.product = cls.env["product.product"].create(
            {"name": "Types Widget", "type": "consu", "list_price": 1.0, "taxes_id": False}
        )
        cls.category = cls.env.ref("store_service_crm.complaint_category_product_quality")
        ref = cls.env.ref
        cls.complaint_type = ref("store_service_crm.request_type_complaint")
        cls.repair = ref("store_service_crm.request_type_repair")
        cls.question = ref("store_service_crm.request_type_question")
        # four confirmed orders in March
        for day in (3, 10, 17, 24):
            order = cls.env["sale.order"].create(
                {
                    "partner_id": cls.customer.id,
                    "team_id": cls.store.id,
                    "order_line": [
                        fields.Command.create({"product_id": cls.product.id, "price_unit": 100.0})
                    ],
                }
            )
            order.action_confirm()
            order.date_order = f"2024-03-{day:02d} 10:00:00"
        # SLA: answer within 4 h, resolve within 48 h (medium)
        r = cls._request
        # C1 complaint: answered in 1 h, resolved in 28 h (on time)
        cls.c1 = r(cls.complaint_type, "2024-03-02 08:00", "2024-03-02 09:00", "2024-03-03 12:00")
        # C2 complaint: answered in 6 h (late), resolved in 72 h (late)
        cls.c2 = r(cls.complaint_type, "2024-03-05 08:00", "2024-03-05 14:00", "2024-03-08 08:00")
        # R1 repair: answered in 1 h, resolved in 10 h (on time)
        cls.r1 = r(cls.repair, "2024-03-10 08:00", "2024-03-10 09:00", "2024-03-10 18:00")
        # R2 repair: answered in 2 h, never resolved: the 48 h passed (due, not on time)
        cls.r2 = r(cls.repair, "2024-03-12 08:00", "2024-03-12 10:00", None)
        # Q1 question: answered in 30 min, resolved in 1 h
        cls.q1 = r(cls.question, "2024-03-15 08:00", "2024-03-15 08:30", "2024-03-15 09:00")
        cls.Kpi = cls.env["store.service.kpi"]

    @classmethod
    def _request(cls, request_type, received, responded, resolved):
        return complaint_through_actions(
            cls.env["store.complaint"],
            {
                "partner_id": cls.customer.id,
                "team_id": cls.store.id,
                "category_id": cls.category.id,
                "request_type_id": request_type.id,
                "description": "Types test request",
            },
            received,
            responded=responded,
            resolved=resolved,
        )

    def _kpis(self, **kwargs):
        return self.Kpi.compute_kpis(*MARCH, team_ids=[self.store.id], **kwargs)

    def test_the_five_types_and_what_counts_as_a_complaint(self):
        types = self.env["store.request.type"].search([])
        self.assertEqual(
            set(types.mapped("code")),
            {"complaint", "repair", "installation", "return", "question"},
        )
        self.assertEqual(types.filtered("counts_as_complaint"), self.complaint_type)

    def test_a_new_request_is_a_complaint_unless_changed(self):
        with Form(self.env["store.complaint"].with_user(self.users["clerk"])) as form:
            form.partner_id = self.customer
            form.category_id = self.category
            form.severity = "medium"
            form.description = "Noisy"
            form.customer_request = "Repair"
            self.assertEqual(form.request_type_id, self.complaint_type)
            form.request_type_id = self.repair
        request = form.record
        self.assertEqual(request.request_type_id, self.repair)
        self.assertFalse(request.counts_as_complaint)

    def test_a_repair_follows_the_complaint_workflow(self):
        self.assertEqual((self.r1.state, self.r1.request_type_id), ("resolved", self.repair))
        self.assertEqual(self.r2.state, "in_progress")
        self.r1.with_context(store_complaint_close_reason="Fixed on site").action_close()
        self.assertEqual(self.r1.state, "closed")
        self.r1.action_reopen()
        self.assertEqual((self.r1.state, self.r1.reopen_count), ("in_progress", 1))

    def test_kpis_count_complaint_types_only_in_the_complaint_rate(self):
        k = self._kpis()
        # five requests, two of them complaints, over four orders: 2 / 4 * 100 = 50
        self.assertEqual(k["request_count"], 5)
        self.assertEqual(k["complaint_count"], 2)
        self.assertEqual(k["order_count"], 4)
        self.assertAlmostEqual(k["complaint_rate"], 50.0)
        # resolution on time over every request: C1, R1, Q1 of the five -> 3 / 5
        self.assertAlmostEqual(k["resolution_on_time_rate"], 3 / 5)
        # resolution hours 28, 72, 10, 1 -> 111 / 4
        self.assertAlmostEqual(k["avg_resolution_hours"], 111 / 4)

    def test_kpis_per_type(self):
        repair = self._kpis(request_type_ids=[self.repair.id])
        # repairs: R1, R2; none counts as a complaint -> 0 per 100 orders
        self.assertEqual((repair["request_count"], repair["complaint_count"]), (2, 0))
        self.assertAlmostEqual(repair["complaint_rate"], 0.0)
        # answered within 4 h: R1 (1 h), R2 (2 h) -> 2 / 2
        self.assertAlmostEqual(repair["response_on_time_rate"], 1.0)
        # resolved on time: R1; due: R1, R2 (deadline passed) -> 1 / 2
        self.assertAlmostEqual(repair["resolution_on_time_rate"], 0.5)
        self.assertAlmostEqual(repair["avg_resolution_hours"], 10.0)
        complaint = self._kpis(request_type_ids=[self.complaint_type.id])
        # C1 answered in 1 h, C2 in 6 h -> 1 / 2; resolved on time C1 -> 1 / 2
        self.assertAlmostEqual(complaint["response_on_time_rate"], 0.5)
        self.assertAlmostEqual(complaint["resolution_on_time_rate"], 0.5)
        # 28 and 72 h -> 50; two complaints over four orders -> 50 per 100
        self.assertAlmostEqual(complaint["avg_resolution_hours"], 50.0)
        self.assertAlmostEqual(complaint["complaint_rate"], 50.0)
        question = self._kpis(request_type_ids=self.question.id)
        self.assertEqual(question["request_count"], 1)
        self.assertAlmostEqual(question["resolution_on_time_rate"], 1.0)
        self.assertAlmostEqual(question["avg_resolution_hours"], 1.0)

    def test_the_drill_down_opens_the_complaints_of_the_rate(self):
        action = self.Kpi.action_open_kpi_records("complaint_rate", *MARCH, [self.store.id])
        listed = self.env["store.complaint"].search(
            action["context"]["store_service_kpi_facet"]["domain"]
        )
        self.assertEqual(listed, self.c1 | self.c2)

    def test_the_complaint_analysis_counts_complaint_types(self):
        Report = self.env["store.complaint.report"]
        domain = [("team_id", "=", self.store.id), ("state", "!=", "cancelled")]
        [[requests, complaints]] = Report._read_group(
            domain, aggregates=["request_count:sum", "complaint_count:sum"]
        )
        self.assertEqual((requests, complaints), (5, 2))
        per_type = dict(Report._read_group(domain, ["request_type_id"], ["request_count:sum"]))
        self.assertEqual(
            {t.code: n for t, n in per_type.items()}, {"complaint": 2, "repair": 2, "question": 1}
        )

    def test_a_type_made_a_complaint_counts_from_then_on(self):
        self.repair.with_user(self.users["manager"]).counts_as_complaint = True
        self.assertTrue(self.r1.counts_as_complaint)
        k = self._kpis()
        # C1, C2, R1, R2 over four orders -> 100 per 100
        self.assertEqual(k["complaint_count"], 4)
        self.assertAlmostEqual(k["complaint_rate"], 100.0)

    def test_a_clerk_cannot_change_the_types(self):
        with self.assertRaises(AccessError):
            self.repair.with_user(self.users["clerk"]).counts_as_complaint = True
        self.assertFalse(self.repair.counts_as_complaint)

    def test_a_used_type_cannot_be_deleted(self):
        with self.assertRaises(UserError):
            self.repair.with_user(self.users["manager"]).unlink()
        self.assertTrue(self.repair.exists())

    def test_request_types_given_badly_are_refused(self):
        for bad in ("repair", [True], ["1"], {"id": 1}):
            with self.assertRaises(UserError):
                self._kpis(request_type_ids=bad)
