# pylint: disable=unsubscriptable-object
# (pylint cannot infer HttpCase.env in setUpClass)
"""The customer's page of a complaint, with real users and real HTTP sessions: the
token link, /my/complaints for portal users, replies with attachments, confirming
and "not solved", and what a hostile client gets (4xx, nothing changed)."""

import base64
import re

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import table_checksums

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
TABLES = ("store_complaint", "mail_message", "ir_attachment", "store_return_visit")


@tagged("post_install", "-at_install")
class TestComplaintPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.clerk = new_test_user(
            cls.env,
            login="ssc_portal_clerk",
            name="Li Wei",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        cls.store = cls.env["crm.team"].create(
            {
                "is_store": True,
                "name": "Portal Test Store",
                "company_id": cls.company.id,
                "member_ids": [fields.Command.link(cls.clerk.id)],
            }
        )
        Partner = cls.env["res.partner"]
        cls.entity = Partner.create({"name": "Zhang Trading", "is_company": True})
        cls.customer = Partner.create(
            {
                "name": "Ms. Zhang",
                "parent_id": cls.entity.id,
                "email": "zhang@example.com",
                "lang": "en_US",
            }
        )
        cls.colleague = Partner.create(
            {"name": "Mr. Zhao", "parent_id": cls.entity.id, "email": "zhao@example.com"}
        )
        cls.stranger = Partner.create({"name": "Mr. Qian", "email": "qian@example.com"})
        cls.portal_user = new_test_user(
            cls.env,
            login="ssc_portal_zhang",
            password="ssc_portal_zhang",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )
        cls.stranger_user = new_test_user(
            cls.env,
            login="ssc_portal_qian",
            password="ssc_portal_qian",
            groups="base.group_portal",
            partner_id=cls.stranger.id,
        )
        category = cls.env.ref("store_service_crm.complaint_category_product_quality")
        Complaint = cls.env["store.complaint"].with_user(cls.clerk)
        vals = {"category_id": category.id, "team_id": cls.store.id}
        cls.complaint = Complaint.create(
            dict(vals, partner_id=cls.customer.id, description="The fridge is noisy")
        )
        cls.colleague_complaint = Complaint.create(
            dict(vals, partner_id=cls.colleague.id, description="Late delivery")
        )
        cls.stranger_complaint = Complaint.create(
            dict(vals, partner_id=cls.stranger.id, description="Broken tile")
        )
        cls.complaint.action_assign()
        cls.token = cls.complaint.sudo()._portal_ensure_token()
        cls.url = f"/my/complaints/{cls.complaint.id}"

    # ------------------------------------------------------------------
    def _page(self, url=None, token=None):
        token = self.token if token is None else token
        return self.url_open(f"{url or self.url}?access_token={token}", timeout=30)

    def _csrf(self, html):
        match = re.search(r'name="csrf_token" value="([^"]+)"', html)
        self.assertTrue(match, "the page's forms carry a CSRF token")
        return match.group(1)

    def _post(self, action, data=None, files=None, token=None, csrf=True):
        data = dict(data or {})
        data["access_token"] = self.token if token is None else token
        if csrf:
            data["csrf_token"] = self._csrf(self._page().text)
        return self.url_open(
            f"{self.url}/{action}", data=data, files=files, timeout=30, allow_redirects=False
        )

    def _resolve(self):
        complaint = self.complaint.with_user(self.clerk)
        complaint.action_start()
        complaint.write(
            {"responsibility": "staff", "resolution_type": "apology", "resolution_note": "Sorry"}
        )
        complaint.action_resolve()

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def test_token_link_opens_the_page_without_an_account(self):
        response = self._page()
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn(self.complaint.name, html)
        self.assertIn("The fridge is noisy", html)
        self.assertIn("o_complaint_timeline", html)
        self.assertIn("Li", re.search(r"o_complaint_handler.*?</li>", html, re.DOTALL).group(0))
        self.assertNotIn("Li Wei", html, "the handler's first name only")
        self.assertIn('name="csrf_token"', html)

    def test_wrong_missing_or_foreign_token_is_not_found(self):
        self.assertEqual(self._page(token="wrong").status_code, 404)
        self.assertEqual(self.url_open(self.url, timeout=30).status_code, 404)
        other_token = self.stranger_complaint.sudo()._portal_ensure_token()
        self.assertEqual(self._page(token=other_token).status_code, 404)
        self.assertEqual(self._page(url="/my/complaints/999999999").status_code, 404)

    def test_internal_notes_never_show(self):
        self.complaint.with_user(self.clerk).message_post(
            body="SECRET internal remark", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.complaint.with_user(self.clerk).message_post(
            body="We will call you tomorrow",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        html = self._page().text
        self.assertIn("We will call you tomorrow", html)
        self.assertNotIn("SECRET internal remark", html)

    def test_portal_user_sees_only_their_entity(self):
        self.authenticate("ssc_portal_zhang", "ssc_portal_zhang")
        html = self.url_open("/my/complaints", timeout=30).text
        self.assertIn(self.complaint.name, html)
        self.assertIn(self.colleague_complaint.name, html, "the commercial entity's complaints")
        self.assertNotIn(self.stranger_complaint.name, html)
        mine = self.url_open(f"/my/complaints/{self.colleague_complaint.id}", timeout=30)
        self.assertEqual(mine.status_code, 200)
        theirs = self.url_open(f"/my/complaints/{self.stranger_complaint.id}", timeout=30)
        self.assertEqual(theirs.status_code, 404)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["complaint_count"]})
        self.assertEqual(counters["complaint_count"], 2)
        sorted_page = self.url_open("/my/complaints?sortby=name", timeout=30)
        self.assertEqual(sorted_page.status_code, 200)

    def test_portal_user_of_another_company_sees_nothing(self):
        Complaint = self.env["store.complaint"].with_user(self.stranger_user)
        self.assertEqual(Complaint.search([]), self.stranger_complaint)
        self.authenticate("ssc_portal_qian", "ssc_portal_qian")
        html = self.url_open("/my/complaints", timeout=30).text
        self.assertNotIn(self.complaint.name, html)
        self.assertEqual(self.url_open(self.url, timeout=30).status_code, 404)

    # ------------------------------------------------------------------
    # Replying
    # ------------------------------------------------------------------
    def test_reply_with_a_photo_is_posted_escaped(self):
        response = self._post(
            "reply",
            {"message": "<script>alert(1)</script> Still noisy"},
            files={"attachments": ("fridge.png", PNG, "image/png")},
        )
        self.assertEqual(response.status_code, 303)
        message = self.complaint.message_ids.filtered(lambda m: "Still noisy" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.customer)
        self.assertNotIn("<script>", message.body)
        self.assertIn("&lt;script&gt;", message.body)
        self.assertEqual(message.attachment_ids.mimetype, "image/png")
        self.assertIn(self.clerk.partner_id, message.notified_partner_ids, "the handler is told")

    def test_reply_refuses_executables_and_oversized_files(self):
        before = table_checksums(self.env, TABLES)
        executable = self._post(
            "reply",
            {"message": "see file"},
            files={"attachments": ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg")},
        )
        self.assertEqual(executable.status_code, 400)
        self.assertIn("only photos", executable.text)
        self.company.complaint_portal_max_file_mb = 1
        oversized = self._post(
            "reply",
            {"message": "big photo"},
            files={"attachments": ("big.png", PNG + b"\x00" * (1024 * 1024), "image/png")},
        )
        self.assertEqual(oversized.status_code, 400)
        self.assertIn("too large", oversized.text)
        self.company.complaint_portal_max_file_mb = 10
        self.assertEqual(table_checksums(self.env, TABLES), before)

    def test_post_without_csrf_or_with_a_wrong_token_changes_nothing(self):
        before = table_checksums(self.env, TABLES)
        no_csrf = self._post("reply", {"message": "hello"}, csrf=False)
        self.assertEqual(no_csrf.status_code, 400)
        wrong = self._post("reply", {"message": "hello"}, token="wrong")
        self.assertEqual(wrong.status_code, 404)
        empty = self._post("reply", {"message": "   "})
        self.assertEqual(empty.status_code, 400)
        self.assertIn("Write your message first", empty.text)
        self.assertEqual(table_checksums(self.env, TABLES), before)

    # ------------------------------------------------------------------
    # Confirming, not solved
    # ------------------------------------------------------------------
    def test_confirm_before_resolution_is_refused(self):
        before = table_checksums(self.env, TABLES)
        response = self._post("confirm")
        self.assertEqual(response.status_code, 400)
        self.assertIn("not possible", response.text)
        self.assertEqual(table_checksums(self.env, TABLES), before)

    def test_confirm_is_the_verification_the_close_step_needs(self):
        self._resolve()
        complaint = self.complaint.with_user(self.clerk)
        self.assertFalse(complaint._is_verified())
        self.assertIn("o_complaint_confirm_button", self._page().text)
        response = self._post("confirm")
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertTrue(complaint._is_verified())
        self.assertNotIn("o_complaint_confirm_button", self._page().text)
        again = self._post("confirm")
        self.assertEqual(again.status_code, 400)
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")

    def test_not_solved_reopens_like_a_staff_reopen(self):
        self._resolve()
        response = self._post("not_solved", {"reason": "Still noisy at night"})
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(self.complaint.state, "in_progress")
        self.assertEqual(self.complaint.reopen_count, 1)
        self.assertTrue(
            self.complaint.message_ids.filtered(lambda m: "Still noisy at night" in (m.body or ""))
        )
        before = table_checksums(self.env, TABLES)
        refused = self._post("not_solved", {"reason": "again"})
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(table_checksums(self.env, TABLES), before)
