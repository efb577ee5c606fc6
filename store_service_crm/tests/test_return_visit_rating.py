# pylint: disable=unsubscriptable-object
# (pylint cannot infer HttpCase.env in setUpClass)
import re

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestReturnVisitRating(HttpCase):
    """The customer rates a visit from the emailed link, without logging in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            # English whatever the database's default language (the pages speak hers)
            {"name": "Ms. Zhang", "email": "zhang@example.com", "customer_rank": 1, "lang": "en_US"}
        )
        cls.visit = cls.env["store.return.visit"].create(
            {
                "partner_id": cls.customer.id,
                "scheduled_date": fields.Date.today(),
                "user_id": cls.env.ref("base.user_admin").id,
            }
        )
        cls.token = cls.visit._rating_get_access_token()
        cls.rating = cls.env["rating.rating"].search([("access_token", "=", cls.token)])

    def _csrf(self, html):
        match = re.search(r'name="csrf_token" value="([^"]+)"', html)
        self.assertTrue(match, "the rating form carries a CSRF token")
        return match.group(1)

    def _post(self, csrf, **data):
        return self.url_open(
            f"/rate/{self.token}/submit_feedback", data=dict(data, csrf_token=csrf), timeout=30
        )

    def test_email_template_links_to_the_public_rating_page(self):
        template = self.env.ref("store_service_crm.mail_template_return_visit_rating")
        body = template._render_field("body_html", self.visit.ids)[self.visit.id]
        for score in range(1, 6):
            self.assertIn(f"/rate/{self.token}/{score}", body)

    def test_send_rating_request_posts_the_mail(self):
        self.visit.action_send_rating_request()
        message = self.visit.message_ids.filtered(lambda m: self.token in (m.body or ""))
        self.assertTrue(message)

    def test_get_shows_the_form_and_records_nothing(self):
        response = self.url_open(f"/rate/{self.token}/4", timeout=30)
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="csat"', response.text)
        self.assertIn('name="nps"', response.text)
        response = self.url_open(f"/rate/{self.token}/submit_feedback", timeout=30)
        self.assertEqual(response.status_code, 200)
        self.rating.invalidate_recordset()
        self.visit.invalidate_recordset()
        self.assertFalse(self.rating.consumed)
        self.assertEqual(self.visit.csat_score, 0)
        self.assertEqual(self.visit.state, "planned")

    def test_post_records_once_and_refuses_a_second_answer(self):
        page = self.url_open(f"/rate/{self.token}/4", timeout=30)
        csrf = self._csrf(page.text)
        response = self._post(csrf, csat="4", nps="9", feedback="Friendly installer")
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertTrue(self.rating.consumed)
        self.assertEqual(self.rating.rating, 4)
        self.assertEqual(self.visit.csat_score, 4)
        self.assertEqual((self.visit.nps_score, self.visit.nps_given), (9, True))
        self.assertEqual(self.visit.state, "done", "the customer's answer completes the visit")
        self.assertEqual(self.visit.feedback, "Friendly installer")

        second = self._post(csrf, csat="1", nps="0", feedback="changed my mind")
        self.assertEqual(second.status_code, 409)
        self.assertIn("already answered", second.text)
        self.env.invalidate_all()
        self.assertEqual(self.visit.csat_score, 4, "the first answer stands")
        self.assertEqual(self.rating.rating, 4)
        again = self.url_open(f"/rate/{self.token}/2", timeout=30)
        self.assertIn("already answered", again.text)

    def test_out_of_range_answer_is_refused(self):
        csrf = self._csrf(self.url_open(f"/rate/{self.token}/4", timeout=30).text)
        self.assertEqual(self._post(csrf, csat="7").status_code, 400)
        self.assertEqual(self._post(csrf, csat="3", nps="11").status_code, 400)
        self.assertEqual(self.url_open(f"/rate/{self.token}/9", timeout=30).status_code, 400)
        self.env.invalidate_all()
        self.assertFalse(self.rating.consumed)

    def test_bad_token_is_not_found(self):
        self.assertEqual(self.url_open("/rate/not-a-token/4", timeout=30).status_code, 404)
        response = self.url_open(
            "/rate/not-a-token/submit_feedback", data={"csat": "5"}, timeout=30
        )
        self.assertIn(response.status_code, (400, 404))
