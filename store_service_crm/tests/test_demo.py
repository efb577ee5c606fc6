# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
from datetime import timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

MODULE = "store_service_crm"
STORES = ("downtown", "riverside", "airport")
MONTHS = 14


@tagged("post_install", "-at_install")
class TestDemoChain(TransactionCase):
    """The demo chain (demo/demo_chain_demo.xml): the README's test command installs the
    addon with its demo data, so these tests fail when it is missing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = (
            cls.env["res.partner"]
            .with_context(active_test=False)
            .search([("ref", "=like", "SSC-DEMO-%")])
        )
        cls.stores = cls.env["crm.team"].browse(
            [cls.env.ref(f"{MODULE}.crm_team_store_{name}").id for name in STORES]
        )
        cls.partners = cls.customers | cls.customers.child_ids
        cls.orders = cls.env["sale.order"].search([("partner_id", "in", cls.partners.ids)])
        cls.complaints = cls.env["store.complaint"].search(
            [("commercial_partner_id", "in", cls.customers.ids)]
        )
        cls.visits = cls.env["store.return.visit"].search([("partner_id", "in", cls.partners.ids)])
        today = fields.Date.context_today(cls.env.user)
        first = today.replace(day=1)
        cls.months = [
            (first - relativedelta(months=k), first - relativedelta(months=k - 1, days=1))
            for k in range(MONTHS)
        ]

    def test_demo_chain_is_loaded(self):
        self.assertGreaterEqual(
            len(self.customers),
            45,
            "the demo chain is missing: the addon must be installed with its demo data",
        )
        self.assertFalse(
            self.env["crm.team"]._store_service_create_demo_chain(),
            "a second run must create nothing",
        )
        self.assertEqual(
            self.env["res.partner"].search_count([("ref", "=like", "SSC-DEMO-%")]),
            len(self.customers),
        )

    def test_demo_files_are_noupdate(self):
        manifest_demo = [
            "demo/crm_team_demo.xml",
            "demo/loyalty_demo.xml",
            "demo/store_return_visit_demo.xml",
            "demo/store_complaint_demo.xml",
            "demo/demo_chain_demo.xml",
        ]
        for name in manifest_demo:
            root = etree.parse(str(Path(get_module_path(MODULE)) / name)).getroot()
            self.assertEqual(root.get("noupdate"), "1", name)

    def test_three_stores_with_leaders_and_members(self):
        user_group = self.env.ref(f"{MODULE}.group_store_service_user")
        admin = self.env.ref("base.user_admin")
        for store in self.stores:
            self.assertTrue(store.user_id, store.name)
            self.assertNotEqual(store.user_id, admin, store.name)
            self.assertIn(store.user_id, store.member_ids, store.name)
            self.assertGreaterEqual(len(store.member_ids), 3, store.name)
            for user in store.member_ids:
                self.assertIn(user_group, user.groups_id, user.name)
                self.assertEqual(user.sale_team_id, store, user.name)
        self.assertEqual(len(self.stores.member_ids), 9, "nobody works in two stores")

    def test_customers_cover_every_tier_class_and_lifecycle(self):
        tiers = {
            self.env.ref(f"{MODULE}.loyalty_tier_{name}")
            for name in ("standard", "silver", "gold", "vip")
        }
        self.assertEqual(set(self.customers.loyalty_tier_id), tiers)
        self.assertEqual(set(self.customers.mapped("customer_value_class")), {"A", "B", "C"})
        self.assertEqual(
            set(self.customers.mapped("customer_lifecycle")), {"new", "active", "at_risk", "lost"}
        )
        self.assertTrue(any(c.is_company and c.child_ids for c in self.customers))
        self.assertTrue(all(c.phone for c in self.customers))
        vip = self.customers.filtered(
            lambda c: c.loyalty_tier_id == self.env.ref(f"{MODULE}.loyalty_tier_vip")
        )
        self.assertTrue(all(c.loyalty_spend >= 50000 for c in vip))
        # the history of the tiers reads like the chain's past, not like one install day
        history = self.env["store.loyalty.tier.history"].search(
            [("partner_id", "in", self.customers.ids)]
        )
        self.assertGreaterEqual(len({h.date.strftime("%Y-%m") for h in history}), 6)
        self.assertTrue(history.filtered(lambda h: h.new_tier_id in vip.loyalty_tier_id))

    def test_orders_every_month_in_every_store(self):
        confirmed = self.orders.filtered(lambda o: o.state == "sale")
        self.assertGreaterEqual(len(confirmed), 200)
        self.assertGreaterEqual(len(self.orders.filtered(lambda o: o.state == "cancel")), 10)
        self.assertLessEqual(max(confirmed.mapped("date_order")), fields.Datetime.now())
        for first, last in self.months:
            for store in self.stores:
                in_month = confirmed.filtered(
                    lambda o, f=first, la=last, s=store: (
                        f <= o.date_order.date() <= la and o.team_id == s
                    )
                )
                self.assertTrue(in_month, f"{store.name} sold nothing in {first:%Y-%m}")
        self.assertTrue(all(o.amount_untaxed > 0 for o in confirmed))
        self.assertTrue(all(o.user_id in o.team_id.member_ids for o in confirmed))

    def test_complaints_in_every_state_and_case(self):
        complaints = self.complaints
        self.assertGreaterEqual(len(complaints), 70)
        self.assertEqual(
            set(complaints.mapped("state")),
            {"new", "assigned", "in_progress", "resolved", "closed", "cancelled"},
        )
        Complaint = self.env["store.complaint"]
        overdue = Complaint.search([("id", "in", complaints.ids), ("is_overdue", "=", True)])
        self.assertTrue(overdue.filtered("is_response_overdue"))
        self.assertTrue(overdue.filtered(lambda c: c.state == "in_progress"))
        self.assertTrue(overdue.filtered("escalation_level"), "overdue complaints escalated")
        self.assertTrue(complaints.filtered(lambda c: c.reopen_count and c.state == "closed"))
        self.assertTrue(complaints.filtered(lambda c: c.reopen_count and c.state == "in_progress"))
        self.assertTrue(complaints.filtered(lambda c: c.promise_status == "broken"))
        self.assertTrue(complaints.filtered(lambda c: c.promise_status == "kept"))
        self.assertTrue(complaints.filtered(lambda c: c.close_override_reason))
        self.assertTrue(complaints.filtered("origin_visit_id"))
        self.assertTrue(complaints.filtered(lambda c: c.compensation_amount > 0))
        self.assertGreaterEqual(len(complaints.category_id), 7)
        self.assertGreaterEqual(len(set(complaints.mapped("responsibility")) - {False}), 5)
        self.assertGreaterEqual(len(set(complaints.mapped("resolution_type")) - {False}), 6)
        self.assertEqual(set(complaints.mapped("severity")), {"low", "medium", "high", "critical"})
        self.assertEqual(set(complaints.team_id), set(self.stores))
        handled = complaints.filtered(lambda c: c.state not in ("new", "cancelled"))
        self.assertFalse(handled.filtered(lambda c: c.user_id not in self.stores.member_ids))
        self.assertTrue(
            complaints.filtered(
                lambda c: c.date_received > fields.Datetime.now() - timedelta(days=7)
            )
        )
        for first, last in self.months[1:]:
            self.assertTrue(
                complaints.filtered(lambda c, f=first, la=last: f <= c.date_received.date() <= la),
                f"no complaint in {first:%Y-%m}",
            )

    def test_complaint_dates_follow_the_workflow(self):
        now = fields.Datetime.now()
        resolved = self.complaints.filtered(lambda c: c.state in ("resolved", "closed"))
        self.assertTrue(resolved.filtered("first_contact_resolution"))
        self.assertTrue(resolved.filtered(lambda c: not c.first_contact_resolution))
        for complaint in self.complaints:
            self.assertLessEqual(complaint.date_received, now)
            self.assertGreater(complaint.response_deadline, complaint.date_received)
            self.assertGreaterEqual(complaint.resolution_deadline, complaint.response_deadline)
            if complaint.state in ("new", "assigned", "cancelled"):
                self.assertFalse(complaint.date_first_response, complaint.name)
                continue
            self.assertGreaterEqual(complaint.date_first_response, complaint.date_received)
            if complaint.state == "in_progress":
                self.assertFalse(complaint.date_resolved)
                continue
            self.assertGreaterEqual(complaint.date_resolved, complaint.date_first_response)
            self.assertLessEqual(complaint.date_resolved, now)
            self.assertEqual(
                complaint.first_contact_resolution,
                # one pass: never reopened, never handed over, no repeat complaint
                complaint.reopen_count == 0
                and complaint.handover_count == 0
                and not complaint.repeat_ids.filtered(lambda r: r.state != "cancelled"),
                complaint.name,
            )
            if complaint.state == "closed":
                self.assertGreater(complaint.date_closed, complaint.date_resolved)
                self.assertLessEqual(complaint.date_closed, now)
                self.assertTrue(
                    complaint._is_verified() or complaint.close_override_reason, complaint.name
                )
        # months differ: the KPIs of a month are not a copy of the others
        by_month = {}
        for complaint in resolved:
            month = by_month.setdefault(complaint.date_received.strftime("%Y-%m"), [0, 0])
            month[0] += complaint.first_contact_resolution
            month[1] += 1
        self.assertGreaterEqual(len({round(fcr / count, 2) for fcr, count in by_month.values()}), 4)

    def test_visits_done_planned_unreachable_with_scores(self):
        visits = self.visits
        self.assertEqual(
            set(visits.mapped("state")), {"planned", "done", "unreachable", "cancelled"}
        )
        done = visits.filtered(lambda v: v.state == "done")
        self.assertGreaterEqual(len(done), 200)
        self.assertTrue(all(v.csat_score for v in done))
        self.assertEqual(set(done.mapped("csat_score")), {1, 2, 3, 4, 5})
        self.assertTrue(done.filtered("nps_given"))
        self.assertTrue(done.filtered(lambda v: v.nps_given and v.nps_score <= 6))
        self.assertTrue(done.filtered(lambda v: v.origin == "complaint"))
        now = fields.Datetime.now()
        for visit in done:
            self.assertLessEqual(visit.date_done, now)
            self.assertGreaterEqual(visit.date_done.date(), visit.scheduled_date)
        planned = visits.filtered(lambda v: v.state == "planned")
        today = fields.Date.context_today(self.env.user)
        self.assertTrue(planned.filtered(lambda v: v.scheduled_date >= today))
        self.assertTrue(planned.filtered("is_overdue"))
        self.assertTrue(all(v.activity_ids for v in planned))
        self.assertFalse(done.activity_ids)
        self.assertTrue(all(v.attempt_count for v in visits if v.state == "unreachable"))
        self_rated = self.env["rating.rating"].search(
            [
                ("res_model", "=", "store.return.visit"),
                ("res_id", "in", done.ids),
                ("consumed", "=", True),
            ]
        )
        self.assertGreaterEqual(len(self_rated), 5)
        for rating in self_rated:
            visit = self.env["store.return.visit"].browse(rating.res_id)
            self.assertEqual(visit.csat_score, int(rating.rating))
        for first, last in self.months[1:]:
            scored = done.filtered(
                lambda v, f=first, la=last: f <= v.scheduled_date <= la and v.csat_score
            )
            self.assertGreaterEqual(len(scored), 5, f"few scores in {first:%Y-%m}")
        rated = self.customers.filtered("satisfaction_avg")
        self.assertGreaterEqual(len(rated), 30)

    def test_demo_texts_speak_the_chains_language(self):
        """The chain is a Chinese one: with Chinese installed its customers speak Chinese
        (their language, their words, the staff's notes); without it, the company's."""
        from ..demo.demo_chain import DemoChain, demo_lang

        if not self.env["res.lang"]._lang_get("zh_CN"):
            # the database of the README's test command: no Chinese, English texts
            english = DemoChain(self.env)
            self.assertEqual(demo_lang(self.env), self.env.company.partner_id.lang)
            self.assertEqual(english.feedback[2][2], "Two tiles arrived cracked.")
        self.env["res.lang"]._activate_lang("zh_CN")
        chinese = DemoChain(self.env)
        self.assertEqual(chinese.lang, "zh_CN")
        self.assertEqual(chinese.feedback[2][2], "有两块瓷砖送到时已经裂了。")
        description, request = chinese.complaints["complaint_category_delivery"][0]
        self.assertEqual(description, "有三箱瓷砖送到时已破损。")
        self.assertEqual(request, "在瓦工上门前把破损的几箱换掉。")
        # a complaint opened from an unhappy visit keeps its category in any language
        self.assertEqual(
            chinese.feedback_category["有两块瓷砖送到时已经裂了。"],
            "complaint_category_delivery",
        )
        for texts in chinese.feedback.values():
            for text in texts:
                self.assertFalse(text.isascii(), f"untranslated demo text: {text}")
