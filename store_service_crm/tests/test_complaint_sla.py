# pylint: disable=unsubscriptable-object
import ast
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import Form, tagged

from .common import ComplaintCase

RECEIVED = datetime(2026, 3, 2, 9, 0)  # a Monday morning


@tagged("post_install", "-at_install")
class TestComplaintSla(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tier = cls.env["store.loyalty.tier"]
        cls.gold = Tier.create(
            {"name": "Test Gold", "response_hours": 4, "resolution_hours": 24, "min_spend": 1e9}
        )
        cls.vip = Tier.create(
            {"name": "Test VIP", "response_hours": 1, "resolution_hours": 8, "min_spend": 2e9}
        )
        cls.company.complaint_vip_tier_ids = cls.vip
        cls.gold_customer = cls.env["res.partner"].create(
            {"name": "Gold Li", "loyalty_tier_id": cls.gold.id, "loyalty_tier_locked": True}
        )
        cls.vip_customer = cls.env["res.partner"].create(
            {"name": "VIP Chen", "loyalty_tier_id": cls.vip.id, "loyalty_tier_locked": True}
        )

    def _deadlines(self, partner, severity):
        complaint = self._complaint(
            partner_id=partner.id, severity=severity, date_received=RECEIVED
        )
        return (
            self._hours(complaint.response_deadline - RECEIVED),
            self._hours(complaint.resolution_deadline - RECEIVED),
        )

    def test_deadlines_per_tier_and_severity(self):
        factors = {"low": 1.5, "medium": 1.0, "high": 0.5, "critical": 0.25}
        tiers = {
            self.customer_no_email: (24, 72),  # no tier: company defaults
            self.gold_customer: (4, 24),
            self.vip_customer: (1, 8),
        }
        for partner, (response, resolution) in tiers.items():
            self.assertEqual(partner.loyalty_tier_id.response_hours or 24, response)
            for severity, factor in factors.items():
                with self.subTest(partner=partner.name, severity=severity):
                    self.assertEqual(
                        self._deadlines(partner, severity),
                        (response * factor, resolution * factor),
                    )

    def test_critical_is_always_the_shortest(self):
        by_severity = {
            severity: self._deadlines(self.gold_customer, severity)
            for severity in ("low", "medium", "high", "critical")
        }
        self.assertEqual(min(by_severity.values()), by_severity["critical"])

    def test_factors_come_from_the_settings(self):
        settings = self.env["res.config.settings"].create({"complaint_factor_critical": 0.1})
        settings.execute()
        self.assertEqual(self.company.complaint_factor_critical, 0.1)
        self.assertEqual(self._deadlines(self.gold_customer, "critical"), (0.4, 2.4))

    def test_severity_change_moves_the_deadline(self):
        complaint = self._complaint(partner_id=self.gold_customer.id, date_received=RECEIVED)
        complaint.severity = "critical"
        self.assertEqual(self._hours(complaint.resolution_deadline - RECEIVED), 6)

    def test_tier_is_a_snapshot_at_registration(self):
        complaint = self._complaint(partner_id=self.gold_customer.id, date_received=RECEIVED)
        self.gold_customer.loyalty_tier_id = self.vip
        complaint.invalidate_recordset()
        self.assertEqual(complaint.loyalty_tier_id, self.gold)
        self.assertEqual(self._hours(complaint.resolution_deadline - RECEIVED), 24)

    def test_working_hours_option_uses_the_company_calendar(self):
        self.company.complaint_sla_working_hours = True
        calendar = self.company.resource_calendar_id
        calendar.tz = "UTC"
        # Friday 16:00 UTC with 4 working hours (8-12, 13-17 standard calendar)
        friday = datetime(2026, 3, 6, 16, 0)
        complaint = self._complaint(
            partner_id=self.gold_customer.id, severity="medium", date_received=friday
        )
        self.assertEqual(complaint.response_deadline.weekday(), 0, "lands on Monday")
        self.assertGreater(complaint.response_deadline - friday, timedelta(hours=4))

    def test_vip_customer_is_flagged_and_routed(self):
        vip_team = self.env["crm.team"].create({"is_store": True, "name": "VIP Desk"})
        self.company.complaint_vip_team_id = vip_team
        complaint = self._complaint(partner_id=self.vip_customer.id)
        self.assertTrue(complaint.is_vip)
        self.assertEqual(complaint.priority, "1")
        self.assertEqual(complaint.team_id, vip_team)
        normal = self._complaint(partner_id=self.gold_customer.id)
        self.assertFalse(normal.is_vip)
        self.assertEqual(normal.team_id, self.store)
        vip_queue = self.env.ref("store_service_crm.store_complaint_action_vip")
        found = self.env["store.complaint"].search(ast.literal_eval(vip_queue.domain))
        self.assertIn(complaint, found)
        self.assertNotIn(normal, found)


@tagged("post_install", "-at_install")
class TestComplaintEscalation(ComplaintCase):
    def _activities(self, complaint):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "store.complaint"),
                ("res_id", "=", complaint.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("store_service_crm.mail_activity_type_complaint_escalation").id,
                ),
            ]
        )

    def test_cron_twice_escalates_once_per_level(self):
        service_manager = self.env.ref("base.user_admin")
        self.company.complaint_service_manager_id = service_manager
        late = self._complaint(date_received=fields.Datetime.now() - timedelta(days=10))
        on_time = self._complaint()
        Complaint = self.env["store.complaint"]
        Complaint._cron_escalate()
        Complaint._cron_escalate()
        self.assertEqual(late.escalation_level, 1)
        self.assertEqual(on_time.escalation_level, 0)
        activities = self._activities(late)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.manager, "the store manager first")
        self.assertFalse(self._activities(on_time))
        # the further delay passes: second level, once
        with freeze_time(fields.Datetime.now() + timedelta(hours=25)):
            Complaint._cron_escalate()
            Complaint._cron_escalate()
        self.assertEqual(late.escalation_level, 2)
        activities = self._activities(late)
        self.assertEqual(len(activities), 2)
        self.assertEqual(set(activities.user_id.ids), {self.manager.id, service_manager.id})
        Complaint._cron_escalate()
        self.assertEqual(len(self._activities(late)), 2)

    def test_second_level_waits_for_the_delay(self):
        late = self._complaint(date_received=fields.Datetime.now() - timedelta(days=10))
        Complaint = self.env["store.complaint"]
        Complaint._cron_escalate()
        Complaint._cron_escalate()
        self.assertEqual(late.escalation_level, 1)

    def test_resolved_complaints_are_not_escalated(self):
        done = self._in_progress(date_received=fields.Datetime.now() - timedelta(days=10))
        self._resolvable(done).action_resolve()
        self.env["store.complaint"]._cron_escalate()
        self.assertEqual(done.escalation_level, 0)
        self.assertFalse(self._activities(done))

    def test_cron_works_in_bounded_batches(self):
        Complaint = self.env["store.complaint"]
        Complaint._cron_escalate(batch_size=100000)  # whatever the database already had
        complaints = Complaint
        for _i in range(3):
            complaints |= self._complaint(date_received=fields.Datetime.now() - timedelta(days=10))
        escalated = Complaint._cron_escalate(batch_size=2)
        self.assertEqual(len(escalated), 2)
        self.assertEqual(Complaint._escalation_candidates_count(), 1)
        escalated |= Complaint._cron_escalate(batch_size=2)
        self.assertEqual(set(complaints.mapped("escalation_level")), {1})
        self.assertEqual(escalated, complaints)
        self.assertEqual(Complaint._escalation_candidates_count(), 0)

    def test_escalation_cron_record_exists(self):
        cron = self.env.ref("store_service_crm.ir_cron_complaint_escalation")
        self.assertTrue(cron.active)
        self.assertIn("_cron_escalate", cron.code)


@tagged("post_install", "-at_install")
class TestComplaintAccess(ComplaintCase):
    def test_clerk_registers_and_handles_a_complaint(self):
        self.store.member_ids = [(4, self.clerk.id)]
        Complaint = self.env["store.complaint"].with_user(self.clerk)
        complaint = Complaint.create(
            {
                "partner_id": self.customer.id,
                "category_id": self.category.id,
                "description": "Late delivery",
            }
        )
        self.assertEqual(complaint.team_id, self.store)
        complaint.action_assign()
        complaint.action_start()
        self.assertEqual(complaint.user_id, self.clerk)
        self.assertEqual(complaint.state, "in_progress")

    def test_employee_without_group_cannot_read_complaints(self):
        complaint = self._complaint()
        employee = self.users["employee"]
        self.assertFalse(self.env["store.complaint"].with_user(employee).has_access("read"))
        self.assertTrue(complaint.with_user(self.clerk).has_access("read"))

    def test_other_company_complaints_are_hidden(self):
        other = self.env["res.company"].create({"name": "Other Chain"})
        complaint = self._complaint()
        foreign = self._complaint(company_id=other.id, team_id=False)
        self.manager.company_ids = [(4, other.id)]
        visible = (
            self.env["store.complaint"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id])
            .search([("id", "in", (complaint | foreign).ids)])
        )
        self.assertEqual(visible, complaint)

    def test_clerk_reads_a_complaint_form_with_order_links(self):
        complaint = self._complaint(
            partner_id=self.customer.id, sale_order_id=self.order.id, product_id=self.product.id
        )
        Complaint = self.env["store.complaint"].with_user(self.clerk)
        view = Complaint.get_views([(False, "form")])["views"]["form"]
        self.assertIn("sale_order_id", view["arch"])
        data = Complaint.browse(complaint.id).web_read(
            {
                "sale_order_id": {"fields": {"display_name": {}}},
                "product_id": {"fields": {"display_name": {}}},
                "partner_id": {"fields": {"display_name": {}}},
            }
        )
        self.assertEqual(data[0]["sale_order_id"]["id"], self.order.id)

    def test_quick_create_needs_at_most_five_fields(self):
        view = self.env.ref("store_service_crm.store_complaint_view_form_quick_create")
        self.assertLessEqual(view.arch.count("<field "), 5)
        form = Form(self.env["store.complaint"], view=view)
        form.partner_id = self.customer_no_email
        form.category_id = self.category
        form.description = "Long queue at the counter"
        complaint = form.save()
        self.assertEqual(complaint.state, "new")
        self.assertRegex(complaint.name, r"^CMP/")


@tagged("post_install", "-at_install")
class TestComplaintQueries(ComplaintCase):
    SPEC = {  # noqa: RUF012
        "name": {},
        "priority": {},
        "partner_id": {"fields": {"display_name": {}}},
        "category_id": {"fields": {"display_name": {}}},
        "severity": {},
        "state": {},
        "resolution_deadline": {},
        "user_id": {"fields": {"display_name": {}}},
        "is_overdue": {},
        "is_repeat": {},
        "promise_status": {},
        "activity_ids": {"fields": {}},
    }

    def _queries(self, complaints):
        Complaint = self.env["store.complaint"].with_user(self.clerk)
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = Complaint.web_search_read([("id", "in", complaints.ids)], self.SPEC)
        self.assertEqual(result["length"], len(complaints))
        return self.env.cr.sql_log_count - before

    def test_queue_queries_do_not_grow_with_the_complaints(self):
        few = self._complaint() | self._complaint(
            partner_id=self.customer.id, user_id=self.clerk.id
        )
        many = few
        for i in range(20):
            many |= self._complaint(
                partner_id=self.customer.id if i % 2 else self.customer_no_email.id,
                user_id=self.clerk.id,
            )
        self._queries(few)  # warm the access caches (groups, rules) up
        self.assertEqual(self._queries(few), self._queries(many))
