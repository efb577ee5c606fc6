# pylint: disable=unsubscriptable-object
"""Progress messages to the customer (one per step, switched per company) and the
customer's rating of a complaint (CSAT/NPS from the resolution message)."""

import re

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintProgress(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the messages speak the customer's language: English here, whatever the database's
        cls.customer.lang = "en_US"

    def _mails(self, complaint, subject):
        return complaint.message_ids.filtered(lambda m: subject in (m.subject or ""))

    def _registered(self):
        return self._complaint(partner_id=self.customer.id).with_user(self.clerk)

    def test_each_step_mails_the_customer_with_the_tracking_link(self):
        complaint = self._registered()
        complaint.action_assign()
        assigned = self._mails(complaint, "has a handler")
        self.assertEqual(len(assigned), 1)
        self.assertEqual(assigned.partner_ids, self.customer)
        token = complaint.sudo().access_token
        self.assertTrue(token)
        self.assertIn(f"/my/complaints/{complaint.id}?access_token={token}", assigned.body)
        complaint.action_start()
        self.assertEqual(len(self._mails(complaint, "we are working on")), 1)
        complaint.promised_date = fields.Date.today()
        self.assertEqual(len(self._mails(complaint, "a date for your complaint")), 1)
        complaint.promised_date = fields.Date.today()  # unchanged: no second message
        self.assertEqual(len(self._mails(complaint, "a date for your complaint")), 1)
        self._resolvable(complaint)
        complaint.action_resolve()
        resolved = self._mails(complaint, "is resolved")
        self.assertEqual(len(resolved), 1)
        rating_token = complaint.sudo()._rating_get_access_token()
        for score in range(1, 6):
            self.assertIn(f"/rate/{rating_token}/{score}", resolved.body)
        complaint.with_user(self.manager).with_context(
            store_complaint_close_reason="Confirmed by phone"
        ).action_close()
        self.assertEqual(len(self._mails(complaint, "is closed")), 1)

    def test_a_step_switched_off_sends_nothing(self):
        self.company.write(
            {"complaint_progress_assigned": False, "complaint_progress_started": False}
        )
        complaint = self._registered()
        complaint.action_assign()
        complaint.action_start()
        self.assertFalse(self._mails(complaint, "has a handler"))
        self.assertFalse(self._mails(complaint, "we are working on"))

    def test_template_speaks_the_customers_language(self):
        for step in ("assigned", "started", "promise", "resolved", "closed"):
            template = self.env.ref(f"store_service_crm.mail_template_complaint_progress_{step}")
            self.assertEqual(template.lang, "{{ object.partner_id.lang }}")

    def test_staff_cannot_write_the_customers_rating(self):
        complaint = self._resolved(partner_id=self.customer.id)
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).write({"nps_score": 10, "nps_given": True})


@tagged("post_install", "-at_install")
class TestComplaintRating(HttpCase):
    """The customer rates the resolution from the link of the resolution message."""

    def test_rating_lands_on_the_complaint(self):
        customer = self.env["res.partner"].create(
            {"name": "Ms. Zhang", "email": "zhang@example.com", "lang": "en_US"}
        )
        store = self.env["crm.team"].create({"is_store": True, "name": "Rated Store"})
        complaint = self.env["store.complaint"].create(
            {
                "partner_id": customer.id,
                "team_id": store.id,
                "category_id": self.env.ref(
                    "store_service_crm.complaint_category_product_quality"
                ).id,
                "description": "Noisy fridge",
            }
        )
        complaint.action_assign()
        complaint.action_start()
        complaint.write({"responsibility": "staff", "resolution_type": "apology"})
        complaint.action_resolve()
        token = complaint._rating_get_access_token()
        page = self.url_open(f"/rate/{token}/4", timeout=30)
        self.assertEqual(page.status_code, 200)
        self.env.invalidate_all()
        self.assertFalse(complaint.satisfaction_score, "a GET records nothing")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"csrf_token": csrf, "csat": "4", "nps": "0", "feedback": "OK now"},
            timeout=30,
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(complaint.satisfaction_score, 4)
        self.assertEqual((complaint.nps_score, complaint.nps_given), (0, True))
        self.assertEqual(complaint.rating_last_value, 4)
        today = fields.Date.context_today(complaint)  # the KPI period is in local days
        kpis = self.env["store.service.kpi"].compute_kpis(today, today, team_ids=store.ids)
        self.assertEqual(kpis["complaint_csat_avg"], 4, "the score lands in the KPI layer")
