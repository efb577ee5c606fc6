# pylint: disable=unsubscriptable-object
# (pylint cannot infer HttpCase.env in setUpClass)
import re

from odoo import fields
from odoo.tests import HttpCase, tagged

from .test_bad_input import load_chinese


@tagged("post_install", "-at_install")
class TestTourCustomerRating(HttpCase):
    """A customer rates a visit on a phone (390x844), without a session, in Chinese:
    an NPS of 0 is recorded and counts as a detractor."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        # the thank-you page is the rating module's
        cls.env["ir.module.module"]._load_module_terms(["rating"], ["zh_CN"], overwrite=True)
        cls.store = cls.env["crm.team"].create({"name": "Flagship Store"})
        cls.store.with_context(lang="zh_CN").name = "旗舰店"
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Ms. Zhang",
                "email": "zhang@example.com",
                "customer_rank": 1,
                "lang": "zh_CN",
            }
        )
        cls.visit = cls.env["store.return.visit"].create(
            {
                "partner_id": cls.customer.id,
                "team_id": cls.store.id,
                "scheduled_date": fields.Date.today(),
                "user_id": cls.env.ref("base.user_admin").id,
            }
        )
        cls.token = cls.visit._rating_get_access_token()

    def _kpis(self):
        today = fields.Date.today()
        return self.env["store.service.kpi"].compute_kpis(today, today, team_ids=self.store.ids)

    def test_customer_rates_nps_zero_on_a_phone_in_chinese(self):
        before = self._kpis()
        self.assertEqual(before["nps_count"], 0)
        self.start_tour(f"/rate/{self.token}/3", "store_service_crm_customer_rating")
        self.env.invalidate_all()
        self.assertEqual(self.visit.state, "done")
        self.assertEqual(self.visit.csat_score, 2)
        self.assertEqual((self.visit.nps_score, self.visit.nps_given), (0, True))
        self.assertEqual(self.visit.feedback, "送货晚了两天")
        kpis = self._kpis()
        self.assertEqual(kpis["nps_count"], 1, "an NPS of 0 is an answer")
        self.assertEqual(kpis["nps"], -100, "an NPS of 0 is a detractor")

    def _csrf(self, html):
        match = re.search(r'name="csrf_token" value="([^"]+)"', html)
        self.assertTrue(match, "the rating form carries a CSRF token")
        return match.group(1)

    def test_every_choice_submits_its_value(self):
        page = self.url_open(f"/rate/{self.token}/4", timeout=30).text
        for score in range(11):
            self.assertRegex(page, rf'<input[^>]*name="nps"[^>]*value="{score}"')
        for score in range(1, 6):
            self.assertRegex(page, rf'<input[^>]*name="csat"[^>]*value="{score}"')
        self.assertIn("旗舰店", page, "the store's name in the customer's language")
        self.assertNotIn("Flagship Store", page)

    def test_bad_answer_shows_the_form_again_in_chinese(self):
        page = self.url_open(f"/rate/{self.token}/4", timeout=30).text
        csrf = self._csrf(page)
        for data in ({"nps": "0"}, {"csat": "9", "nps": "3"}, {"csat": "4", "nps": "11"}):
            response = self.url_open(
                f"/rate/{self.token}/submit_feedback",
                data=dict(data, csrf_token=csrf, feedback="太慢了"),
                timeout=30,
            )
            self.assertEqual(response.status_code, 400, data)
            self.assertIn("o_store_service_rating_error", response.text)
            self.assertNotIn("Oops", response.text)
            self.assertNotIn("Bad Request", response.text)
            self.assertIn("请选择", response.text, "the message is in the customer's language")
            self.assertIn("太慢了", response.text, "the comment is kept")
            self.env.invalidate_all()
            self.assertEqual(self.visit.state, "planned", data)
            self.assertFalse(self.visit.nps_given, data)

    def test_expired_session_keeps_the_answer_to_send_again(self):
        self.url_open(f"/rate/{self.token}/4", timeout=30)
        url = f"/rate/{self.token}/submit_feedback"
        response = self.url_open(
            url,
            data={"csat": "2", "nps": "0", "feedback": "太慢了", "csrf_token": "stale"},
            timeout=30,
        )
        self.assertEqual(response.status_code, 400)
        page = response.text
        self.assertIn("请再提交一次", page, "told in the customer's language")
        self.assertRegex(page, r'<input[^>]*id="csat_2"[^>]*checked')
        self.assertRegex(page, r'<input[^>]*id="nps_0"[^>]*checked', "the NPS 0 is kept")
        self.assertIn("太慢了", page)
        self.env.invalidate_all()
        self.assertEqual(self.visit.state, "planned", "nothing recorded")
        # sent again with the fresh token of that page: recorded
        response = self.url_open(
            url,
            data={"csat": "2", "nps": "0", "feedback": "太慢了", "csrf_token": self._csrf(page)},
            timeout=30,
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual((self.visit.csat_score, self.visit.nps_score), (2, 0))
        self.assertTrue(self.visit.nps_given)
