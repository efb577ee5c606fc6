# pylint: disable=unsubscriptable-object
# (pylint cannot infer HttpCase.env in setUpClass)
"""The QR code of a printed order or invoice and the page it opens."""

import re

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import english_frontend, table_checksums

TABLES = ("rating_rating", "store_complaint", "mail_message", "res_partner")


@tagged("post_install", "-at_install")
class TestOrderFeedback(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("store_service_crm.public_form_limit", 50)
        english_frontend(cls.env)
        cls.store = cls.env["crm.team"].create(
            {"name": "Riverside Store", "is_store": True, "complaint_form_published": True}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ms. Zhang", "email": "zhang.wei@example.com", "lang": "en_US"}
        )
        product = cls.env["product.product"].create(
            {"name": "Fridge FR-200", "list_price": 800, "invoice_policy": "order"}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "team_id": cls.store.id,
                "order_line": [fields.Command.create({"product_id": product.id})],
            }
        )
        cls.order.action_confirm()
        cls.order._portal_ensure_token()
        cls.url = f"/store/order/{cls.order.id}/feedback?access_token={cls.order.access_token}"

    def _csrf(self, html):
        match = re.search(r'name="csrf_token" value="([^"]+)"', html)
        self.assertTrue(match)
        return match.group(1)

    def _rating(self):
        return self.order._store_service_purchase_rating()

    def test_printed_order_and_invoice_carry_the_qr_code(self):
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html("sale.action_report_saleorder", self.order.ids)[0]
        self.assertIn(b"o_store_feedback_qr", html)
        self.assertIn(b"data:image/png;base64", html)
        invoice = self.order._create_invoices()
        invoice.action_post()
        html = Report._render_qweb_html("account.account_invoices", invoice.ids)[0]
        self.assertIn(b"o_store_feedback_qr", html)

    def test_no_qr_code_when_the_store_does_not_publish_its_form(self):
        self.store.complaint_form_published = False
        html = self.env["ir.actions.report"]._render_qweb_html(
            "sale.action_report_saleorder", self.order.ids
        )[0]
        self.assertNotIn(b"o_store_feedback_qr", html)
        self.assertEqual(self.url_open(self.url, timeout=30).status_code, 404)

    def test_qr_link_opens_the_order_page_and_a_get_records_nothing(self):
        url = self.order._store_service_feedback_url()
        self.assertTrue(url.endswith(self.url))
        before = table_checksums(self.env, TABLES)
        response = self.url_open(self.url, timeout=30)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order.name, response.text)
        self.assertIn("Report a problem", response.text)
        # a crawler following the link with the score in the query records nothing
        self.url_open(self.url + "&score=1&feedback=bot", timeout=30)
        self.assertEqual(table_checksums(self.env, TABLES), before)
        self.assertFalse(self._rating())

    def test_post_rates_the_purchase_once(self):
        csrf = self._csrf(self.url_open(self.url, timeout=30).text)
        response = self.url_open(
            self.url,
            data={"csrf_token": csrf, "score": "4", "feedback": "Quick delivery"},
            timeout=30,
        )
        self.assertEqual(response.status_code, 200)
        rating = self._rating()
        self.assertEqual(rating.rating, 4)
        self.assertEqual(rating.partner_id, self.customer)
        self.assertEqual(rating.feedback, "Quick delivery")
        self.assertTrue(
            self.order.message_ids.filtered(lambda m: "rated this purchase 4/5" in m.body)
        )
        before = table_checksums(self.env, TABLES)
        second = self.url_open(self.url, data={"csrf_token": csrf, "score": "1"}, timeout=30)
        self.assertEqual(second.status_code, 409)
        self.assertEqual(table_checksums(self.env, TABLES), before)

    def test_wrong_token_bad_csrf_or_bad_score_changes_nothing(self):
        csrf = self._csrf(self.url_open(self.url, timeout=30).text)
        before = table_checksums(self.env, TABLES)
        bad = f"/store/order/{self.order.id}/feedback?access_token=wrong"
        self.assertEqual(self.url_open(bad, timeout=30).status_code, 404)
        self.assertEqual(
            self.url_open(bad, data={"csrf_token": csrf, "score": "5"}, timeout=30).status_code, 404
        )
        no_token = f"/store/order/{self.order.id}/feedback"
        self.assertEqual(self.url_open(no_token, timeout=30).status_code, 404)
        response = self.url_open(self.url, data={"csrf_token": "forged", "score": "5"}, timeout=30)
        self.assertEqual(response.status_code, 400)
        response = self.url_open(self.url, data={"csrf_token": csrf, "score": "9"}, timeout=30)
        self.assertEqual(response.status_code, 400)
        self.assertIn("1 to 5", response.text)
        self.assertEqual(table_checksums(self.env, TABLES), before)

    def test_report_a_problem_files_a_complaint_on_the_order(self):
        form_url = (
            f"/store/{self.store.id}/complaint?order_id={self.order.id}"
            f"&access_token={self.order.access_token}"
        )
        page = self.url_open(form_url, timeout=30)
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.order.name, page.text)
        data = {
            "csrf_token": self._csrf(page.text),
            "order_id": str(self.order.id),
            "access_token": self.order.access_token,
            "name": "Zhang Wei",
            "email": "zhang.wei@example.com",
            "category_id": str(self.env.ref("store_service_crm.complaint_category_delivery").id),
            "description": "The box arrived dented.",
        }
        response = self.url_open(f"/store/{self.store.id}/complaint", data=data, timeout=30)
        self.assertEqual(response.status_code, 200)
        complaint = self.env["store.complaint"].search([("sale_order_id", "=", self.order.id)])
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.channel, "online")
        # a wrong token on the form is a 404 and files nothing
        before = table_checksums(self.env, TABLES)
        data["access_token"] = "wrong"
        response = self.url_open(f"/store/{self.store.id}/complaint", data=data, timeout=30)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(table_checksums(self.env, TABLES), before)
