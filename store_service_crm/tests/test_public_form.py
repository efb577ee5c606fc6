# pylint: disable=unsubscriptable-object
# (pylint cannot infer HttpCase.env in setUpClass)
"""The public complaint form of a store, as a customer without an account (and a
robot) posts it: no session, real HTTP requests."""

import base64
import re

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import english_frontend, table_checksums

TABLES = ("store_complaint", "res_partner", "ir_attachment", "mail_message")
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestPublicComplaintForm(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("store_service_crm.public_form_limit", 50)
        english_frontend(cls.env)
        cls.store = cls.env["crm.team"].create(
            {"name": "Riverside Store", "is_store": True, "complaint_form_published": True}
        )
        cls.hidden_store = cls.env["crm.team"].create(
            {"name": "Unpublished Store", "is_store": True}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Ms. Zhang",
                "email": "Zhang.Wei@Example.com",
                "phone": "+86 138 0013 8000",
                "lang": "en_US",
            }
        )
        cls.other = cls.env["res.partner"].create(
            {"name": "Mr. Li", "email": "li@example.com", "lang": "en_US"}
        )
        product = cls.env["product.product"].create({"name": "Fridge FR-200", "list_price": 800})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "team_id": cls.store.id,
                "order_line": [fields.Command.create({"product_id": product.id})],
            }
        )
        cls.other_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.other.id,
                "team_id": cls.store.id,
                "order_line": [fields.Command.create({"product_id": product.id})],
            }
        )
        (cls.order | cls.other_order).action_confirm()
        cls.category = cls.env.ref("store_service_crm.complaint_category_product_quality")
        cls.url = f"/store/{cls.store.id}/complaint"

    def _csrf(self, url=None):
        page = self.url_open(url or self.url, timeout=30)
        self.assertEqual(page.status_code, 200)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        self.assertTrue(match, "the form carries a CSRF token")
        return match.group(1)

    def _values(self, **values):
        data = {
            "name": "Zhang Wei",
            "email": "zhang.wei@example.com",
            "phone": "",
            "order_ref": "",
            "category_id": str(self.category.id),
            "description": "The fridge makes a loud noise at night.",
            "customer_request": "A technician visit",
        }
        data.update(values)
        return data

    def _post(self, csrf=None, files=None, url=None, **values):
        data = self._values(**values)
        if csrf is not False:
            data["csrf_token"] = csrf or self._csrf(url)
        return self.url_open(url or self.url, data=data, files=files, timeout=30)

    def _complaints(self):
        return self.env["store.complaint"].search([("team_id", "=", self.store.id)])

    # -- what a customer gets ---------------------------------------------------
    def test_form_files_an_online_complaint_for_the_existing_contact(self):
        response = self._post(order_ref=self.order.name.lower())
        self.assertEqual(response.status_code, 200)
        complaint = self._complaints()
        self.assertEqual(len(complaint), 1)
        self.assertIn(complaint.name, response.text, "the thank-you page shows the reference")
        self.assertEqual(complaint.partner_id, self.customer, "matched by normalized email")
        self.assertEqual(complaint.channel, "online")
        self.assertEqual(complaint.state, "new")
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.category_id, self.category)
        self.assertEqual(complaint.customer_request, "A technician visit")
        self.assertTrue(complaint.resolution_deadline, "the SLA of the customer's tier applies")
        ack = complaint.message_ids.filtered(
            lambda m: "we received your complaint" in (m.subject or "")
        )
        self.assertTrue(ack, "the acknowledgement mail is posted to the customer")
        self.assertIn(
            f"/my/complaints/{complaint.id}?access_token=", ack.body, "with the tracking link"
        )

    def test_phone_matches_the_contact_whatever_its_format(self):
        self._post(email="", phone="138-0013-8000 ", name="Zhang")
        self.assertEqual(self._complaints().partner_id, self.customer)

    def test_unknown_customer_becomes_one_new_contact(self):
        before = self.env["res.partner"].search_count([])
        self._post(email="new.customer@example.com", name="Chen Jie")
        complaint = self._complaints()
        self.assertEqual(complaint.partner_id.name, "Chen Jie")
        self.assertEqual(complaint.partner_id.email, "new.customer@example.com")
        self.assertEqual(self.env["res.partner"].search_count([]), before + 1)

    def test_photos_are_attached_to_the_complaint(self):
        response = self._post(files=[("attachments", ("noise.png", PNG, "image/png"))])
        self.assertEqual(response.status_code, 200)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "store.complaint"), ("res_id", "=", self._complaints().id)]
        )
        self.assertEqual(attachment.mapped("name"), ["noise.png"])
        self.assertEqual(attachment.mimetype, "image/png")

    # -- what is refused, changing nothing ---------------------------------------
    def _assert_refused(self, response, status, text=None):
        self.assertEqual(response.status_code, status, response.text[:500])
        if text:
            self.assertIn(text, response.text)

    def test_unpublished_or_unknown_store_is_not_found(self):
        before = table_checksums(self.env, TABLES)
        url = f"/store/{self.hidden_store.id}/complaint"
        self.assertEqual(self.url_open(url, timeout=30).status_code, 404)
        self.assertEqual(self.url_open("/store/999999/complaint", timeout=30).status_code, 404)
        response = self.url_open(url, data=self._values(csrf_token="x"), timeout=30)
        self._assert_refused(response, 404)
        self.assertEqual(table_checksums(self.env, TABLES), before)

    def test_missing_or_wrong_csrf_changes_nothing(self):
        self._csrf()  # a session exists
        before = table_checksums(self.env, TABLES)
        self._assert_refused(self._post(csrf=False), 400, "send it again")
        self._assert_refused(self._post(csrf="forged-token"), 400, "Zhang Wei")
        self.assertEqual(table_checksums(self.env, TABLES), before)

    def test_filled_honeypot_changes_nothing(self):
        csrf = self._csrf()
        before = table_checksums(self.env, TABLES)
        response = self._post(csrf=csrf, company_website="http://spam.example.com")
        self._assert_refused(response, 400, "robot")
        self.assertEqual(table_checksums(self.env, TABLES), before)

    def test_over_the_rate_limit_gets_429_and_changes_nothing(self):
        self.env["ir.config_parameter"].sudo().set_param("store_service_crm.public_form_limit", 1)
        self.assertEqual(self._post().status_code, 200)
        csrf = self._csrf()
        before = table_checksums(self.env, TABLES)
        self._assert_refused(self._post(csrf=csrf, email="li@example.com"), 429, "Too many")
        self.assertEqual(table_checksums(self.env, TABLES), before)
        self.assertEqual(len(self._complaints()), 1)

    def test_oversized_or_executable_upload_changes_nothing(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "store_service_crm.public_form_max_file_mb", 1
        )
        csrf = self._csrf()
        before = table_checksums(self.env, TABLES)
        big = PNG + b"\0" * (1024 * 1024 + 10)
        response = self._post(csrf=csrf, files=[("attachments", ("big.png", big, "image/png"))])
        self._assert_refused(response, 400, "too big")
        exe = b"MZ\x90\x00" + b"\0" * 200
        response = self._post(csrf=csrf, files=[("attachments", ("photo.png", exe, "image/png"))])
        self._assert_refused(response, 400, "cannot be sent")
        response = self._post(csrf=csrf, files=[("attachments", ("photo.exe", PNG, "image/png"))])
        self._assert_refused(response, 400, "cannot be sent")
        self.assertEqual(table_checksums(self.env, TABLES), before)

    def test_script_in_the_text_is_refused_and_echoed_escaped(self):
        csrf = self._csrf()
        before = table_checksums(self.env, TABLES)
        response = self._post(csrf=csrf, description="<script>alert('x')</script> broken")
        self._assert_refused(response, 400, "without HTML")
        self.assertNotIn("<script>alert", response.text)
        self.assertIn("&lt;script&gt;alert", response.text)
        self.assertEqual(table_checksums(self.env, TABLES), before)

    def test_another_customers_order_is_refused_without_revealing_it(self):
        csrf = self._csrf()
        before = table_checksums(self.env, TABLES)
        response = self._post(csrf=csrf, order_ref=self.other_order.name)
        self._assert_refused(response, 400, "We found no order")
        self.assertNotIn("Mr. Li", response.text)
        self.assertNotIn("li@example.com", response.text)
        response = self._post(csrf=csrf, order_ref="S-DOES-NOT-EXIST")
        self._assert_refused(response, 400, "We found no order")
        self.assertEqual(table_checksums(self.env, TABLES), before)

    def test_missing_contact_or_category_is_refused(self):
        csrf = self._csrf()
        before = table_checksums(self.env, TABLES)
        self._assert_refused(self._post(csrf=csrf, email="", phone=""), 400, "phone number")
        self._assert_refused(self._post(csrf=csrf, email="not-an-email"), 400, "not valid")
        self._assert_refused(self._post(csrf=csrf, category_id="0"), 400, "what your complaint")
        self.assertEqual(table_checksums(self.env, TABLES), before)
