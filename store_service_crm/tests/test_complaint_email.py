# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""A store's complaint alias: real MIME messages through the mail gateway."""

import base64
from email.message import EmailMessage
from email.utils import make_msgid

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCommon  # pylint: disable=import-error

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestComplaintEmail(MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.handler = cls.user_employee
        cls.handler.groups_id += cls.env.ref("store_service_crm.group_store_service_user")
        cls.store = cls.env["crm.team"].create(
            {
                "name": "Riverside Store",
                "is_store": True,
                "member_ids": [(4, cls.handler.id)],
            }
        )
        cls.store.complaint_alias_name = "ssc-test-complaints"
        cls.alias_email = f"ssc-test-complaints@{cls.alias_domain}"
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ms. Zhang", "email": "zhang.wei@example.com", "lang": "en_US"}
        )

    def _mail(self, sender, subject, body, headers=None, attachment=None, reply_to_msg=None):
        msg = EmailMessage()
        msg["From"] = sender
        msg["To"] = self.alias_email
        msg["Subject"] = subject
        msg["Message-ID"] = make_msgid(domain="example.com")
        for key, value in (headers or {}).items():
            msg[key] = value
        if reply_to_msg:
            msg["In-Reply-To"] = reply_to_msg
            msg["References"] = reply_to_msg
        msg.set_content(body)
        if attachment:
            msg.add_attachment(attachment, maintype="image", subtype="png", filename="noise.png")
        return msg.as_string()

    def _process(self, mail):
        return self.env["mail.thread"].sudo().message_process(None, mail)

    def _complaints(self):
        return self.env["store.complaint"].search([("team_id", "=", self.store.id)])

    def test_alias_belongs_to_the_store_and_creates_complaints(self):
        alias = self.store.complaint_alias_id
        self.assertEqual(self.store.complaint_alias_email, self.alias_email)
        self.assertEqual(alias.alias_model_id.model, "store.complaint")
        self.assertEqual(alias.alias_parent_thread_id, self.store.id)

    def test_email_creates_an_email_complaint_for_the_known_customer(self):
        mail = self._mail(
            '"Zhang Wei" <Zhang.Wei@Example.com>',
            "Broken fridge door",
            "The door of the fridge I bought last week does not close.",
            attachment=PNG,
        )
        with self.mock_mail_gateway():
            self._process(mail)
        complaint = self._complaints()
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.partner_id, self.customer, "no duplicate contact")
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(complaint.state, "new")
        self.assertNotEqual(complaint.name, "/", "the reference comes from the sequence")
        self.assertIn("Broken fridge door", complaint.description)
        self.assertIn("does not close", complaint.description)
        self.assertEqual(
            complaint.category_id, self.env.ref("store_service_crm.complaint_category_other")
        )
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "store.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertIn("noise.png", attachments.mapped("name"))
        self.assertTrue(complaint.resolution_deadline)

    def test_unknown_sender_becomes_a_new_contact(self):
        with self.mock_mail_gateway():
            self._process(self._mail('"Chen Jie" <chen.jie@example.com>', "Late delivery", "Late."))
        complaint = self._complaints()
        self.assertEqual(complaint.partner_id.email, "chen.jie@example.com")
        self.assertEqual(complaint.partner_id.name, "Chen Jie")

    def test_email_cannot_set_workflow_or_other_fields(self):
        mail = self._mail(
            "zhang.wei@example.com",
            "state=closed",
            "x",
            headers={"X-Odoo-Objects": "store.complaint-1"},
        )
        with self.mock_mail_gateway():
            self._process(mail)
        complaint = self._complaints()
        self.assertEqual(complaint.state, "new")
        self.assertFalse(complaint.user_id)
        self.assertEqual(complaint.team_id, self.store)

    def test_reply_threads_onto_the_complaint_and_notifies_the_handler(self):
        first = self._mail("zhang.wei@example.com", "Noisy fridge", "It is noisy.")
        with self.mock_mail_gateway():
            self._process(first)
        complaint = self._complaints()
        complaint.with_user(self.handler).write({"user_id": self.handler.id})
        complaint.message_unsubscribe(partner_ids=self.handler.partner_id.ids)
        original_msgid = complaint.message_ids.filtered(lambda m: m.message_type == "email")[
            :1
        ].message_id
        reply = self._mail(
            "zhang.wei@example.com",
            "Re: Noisy fridge",
            "Here is a second photo.",
            reply_to_msg=original_msgid,
        )
        with self.mock_mail_gateway():
            self._process(reply)
        self.assertEqual(len(self._complaints()), 1, "the reply made no new complaint")
        message = complaint.message_ids.filtered(lambda m: "second photo" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn(self.handler.partner_id, message.notified_partner_ids)
        self.assertEqual(complaint.description, "Noisy fridge\n\nIt is noisy.")

    def test_auto_reply_opens_no_complaint(self):
        for headers in (
            {"Auto-Submitted": "auto-replied"},
            {"X-Autoreply": "yes"},
            {"Precedence": "bulk"},
        ):
            with self.mock_mail_gateway():
                self._process(
                    self._mail("zhang.wei@example.com", "Out of office", "Back on Monday.", headers)
                )
        self.assertFalse(self._complaints())

    def test_bounce_opens_no_complaint(self):
        bounce = EmailMessage()
        bounce["From"] = "MAILER-DAEMON@example.com"
        bounce["To"] = self.alias_email
        bounce["Subject"] = "Undelivered Mail Returned to Sender"
        bounce["Message-ID"] = make_msgid(domain="example.com")
        bounce.set_content("The mail could not be delivered.")
        with self.mock_mail_gateway():
            self._process(bounce.as_string())
        self.assertFalse(self._complaints())
