# pylint: disable=unsubscriptable-object
"""What crons and automatic paths write is in the language of whoever reads it, and
times in mails are in the reader's time zone (issue 14, part C)."""

import importlib.util
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools.misc import file_path, format_datetime

from .common import ComplaintCase
from .test_bad_input import load_chinese
from .test_loyalty import LoyaltyCase


@tagged("post_install", "-at_install")
class TestReaderLanguage(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.manager.lang = "zh_CN"  # the store's manager reads Chinese
        cls.service_manager = cls.env.ref("base.user_admin")
        cls.service_manager.lang = "en_US"
        cls.company.complaint_service_manager_id = cls.service_manager

    def _escalations(self, complaint):
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

    def test_escalation_summary_in_the_assignees_language(self):
        late = self._complaint(date_received=fields.Datetime.now() - timedelta(days=10))
        # the cron runs without a language
        Complaint = self.env["store.complaint"].with_context(lang=None)
        Complaint._cron_escalate()
        first = self._escalations(late)
        self.assertEqual(first.user_id, self.manager)
        self.assertEqual(first.summary, f"SLA 超时：{late.name}")
        with freeze_time(fields.Datetime.now() + timedelta(hours=25)):
            Complaint._cron_escalate()
        second = self._escalations(late) - first
        self.assertEqual(second.user_id, self.service_manager)
        self.assertEqual(
            second.summary,
            f"SLA still breached, escalated: {late.name}",
            "the English reader gets English from the same run",
        )

    def test_visit_todo_summary_in_the_assignees_language(self):
        Visit = self.env["store.return.visit"].with_context(lang=None)
        visit = Visit.create(
            {
                "partner_id": self.customer.id,
                "user_id": self.manager.id,
                "scheduled_date": fields.Date.today(),
            }
        )
        todo = visit.activity_ids
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.summary, "回访客户")
        # the batch generation (SQL) too, per assignee
        visits = Visit.create(
            [
                {"partner_id": self.customer.id, "user_id": user.id}
                for user in (self.manager, self.service_manager)
            ]
        )
        visits.activity_ids.unlink()
        Visit._create_visit_activities(visits.ids, new=False)
        summaries = {a.user_id: a.summary for a in visits.activity_ids}
        self.assertEqual(summaries[self.manager], "回访客户")
        self.assertEqual(summaries[self.service_manager], "Call the customer back")

    def _ack_body(self, complaint):
        ack = complaint.message_ids.filtered(lambda m: complaint.partner_id in m.partner_ids)
        self.assertEqual(len(ack), 1)
        return str(ack.body)

    def test_ack_mail_deadline_in_the_customers_time_zone(self):
        self.customer.tz = "Asia/Shanghai"
        self.env.user.tz = "UTC"
        complaint = self._complaint(partner_id=self.customer.id)
        self.assertTrue(complaint.resolution_deadline)
        body = self._ack_body(complaint)
        local = format_datetime(
            self.env,
            complaint.resolution_deadline,
            tz="Asia/Shanghai",
            dt_format="short",
            lang_code=complaint.partner_id.lang,
        )
        utc = format_datetime(
            self.env,
            complaint.resolution_deadline,
            tz="UTC",
            dt_format="short",
            lang_code=complaint.partner_id.lang,
        )
        self.assertNotEqual(local, utc)
        self.assertIn(local, body)
        self.assertNotIn(utc, body)

    def test_ack_mail_deadline_in_the_stores_time_zone_without_customer_tz(self):
        self.customer.tz = False
        self.env.user.tz = "UTC"
        self.company.partner_id.tz = "Asia/Shanghai"
        complaint = self._complaint(partner_id=self.customer.id)
        body = self._ack_body(complaint)
        local = format_datetime(
            self.env,
            complaint.resolution_deadline,
            tz="Asia/Shanghai",
            dt_format="short",
            lang_code=complaint.partner_id.lang,
        )
        self.assertIn(local, body)


@tagged("post_install", "-at_install")
class TestTierNoteLanguage(LoyaltyCase):
    def test_automatic_tier_note_in_the_salespersons_language(self):
        load_chinese(self.env)
        self.users["clerk"].lang = "zh_CN"
        customer = self._customer("Ms. Chen", user_id=self.users["clerk"].id)
        # the order hooks recompute the tiers in SQL, like the cron
        self._order(customer, 800)
        self._order(customer, 800)
        bodies = customer.message_ids.mapped("body")
        self.assertTrue(
            any("会员等级由" in b and "T-Silver" in b and "（自动）" in b for b in bodies), bodies
        )
        self.assertFalse(any("(automatic)" in b for b in bodies), bodies)


@tagged("post_install", "-at_install")
class TestAckMailMigration(ComplaintCase):
    """The acknowledgement template is noupdate: the migration fixes the deadline's time
    zone in place, in every language, and leaves a rewritten template alone."""

    def _migrate(self):
        path = file_path("store_service_crm/migrations/18.0.2.0.0/post-s14c-ack-mail-timezone.py")
        spec = importlib.util.spec_from_file_location("post_s14c_ack_mail_timezone", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        self.env.flush_all()
        module.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        return module

    def test_old_expression_replaced_in_every_language(self):
        load_chinese(self.env)
        template = self.env.ref("store_service_crm.mail_template_complaint_acknowledgement")
        new_body = template.body_html
        module = self._migrate()  # the module's constants
        old_body = str(new_body).replace(module.NEW, module.OLD)
        self.assertNotEqual(old_body, str(new_body))
        template.with_context(lang="en_US").body_html = old_body
        template.with_context(lang="zh_CN").body_html = old_body.replace("Dear", "尊敬的")
        self._migrate()
        for lang in ("en_US", "zh_CN"):
            body = str(template.with_context(lang=lang).body_html)
            self.assertIn(module.NEW, body, lang)
            self.assertNotIn(module.OLD, body, lang)
        self.assertIn("尊敬的", str(template.with_context(lang="zh_CN").body_html))

    def test_rewritten_template_left_alone(self):
        template = self.env.ref("store_service_crm.mail_template_complaint_acknowledgement")
        template.body_html = "<p>Our own text, no deadline.</p>"
        self._migrate()
        self.assertEqual(str(template.body_html), "<p>Our own text, no deadline.</p>")
