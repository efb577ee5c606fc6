# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""Merging duplicate complaints of one customer: everything moves to the complaint
kept, the others are cancelled through the cancel door with a link, never deleted."""

import base64

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import ComplaintCase, table_checksums

TABLES = ("store_complaint", "mail_message", "ir_attachment", "mail_followers")


@tagged("post_install", "-at_install")
class TestComplaintMerge(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_clerk = new_test_user(
            cls.env,
            login="ssc_merge_other_clerk",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        cls.store.member_ids = [Command.link(cls.other_clerk.id)]
        cls.follower = cls.env["res.partner"].create({"name": "Mr. Li, the installer"})

    def _pair(self):
        first = self._complaint(
            partner_id=self.customer.id, sale_order_id=self.order.id, user_id=self.clerk.id
        )
        second = self._complaint(
            partner_id=self.customer.id,
            sale_order_id=self.order.id,
            user_id=self.clerk.id,
            description="Called again: the fridge is still noisy",
        )
        (first | second).action_assign()
        for complaint in (first, second):
            complaint.with_user(self.clerk).message_post(
                body=f"Note on {complaint.name}", message_type="comment"
            )
            self.env["ir.attachment"].create(
                {
                    "name": f"photo-{complaint.id}.jpg",
                    "datas": base64.b64encode(b"photo"),
                    "res_model": "store.complaint",
                    "res_id": complaint.id,
                }
            )
        second.message_subscribe(partner_ids=self.follower.ids)
        self.visit = self.env["store.return.visit"].create(
            {
                "partner_id": self.customer.id,
                "team_id": self.store.id,
                "complaint_id": second.id,
                "scheduled_date": "2030-01-01",
            }
        )
        return first, second

    def _of(self, model, complaints):
        field = "model" if model == "mail.message" else "res_model"
        return self.env[model].search(
            [(field, "=", "store.complaint"), ("res_id", "in", complaints.ids)]
        )

    def test_the_handler_merges_and_every_message_and_attachment_moves(self):
        first, second = self._pair()
        messages = self._of("mail.message", first | second)
        attachments = self._of("ir.attachment", first | second)
        self.assertEqual(len(attachments), 2)
        first.with_user(self.clerk).action_merge([second.id])
        # every message and attachment of the two is on the one kept
        self.assertLessEqual(messages, self._of("mail.message", first))
        self.assertEqual(self._of("ir.attachment", first), attachments)
        self.assertGreaterEqual(len(first.message_ids), len(messages))
        self.assertEqual(self.visit.complaint_id, first)
        self.assertIn(self.follower, first.message_partner_ids)
        # the duplicate is cancelled through the door, linked, not deleted
        self.assertTrue(second.exists())
        self.assertEqual(second.state, "cancelled")
        self.assertEqual(second.merged_into_id, first)
        self.assertIn(first.name, second.cancel_reason)
        self.assertEqual(first.state, "assigned")

    def test_the_merge_wizard_keeps_the_one_picked(self):
        first, second = self._pair()
        action = second.with_user(self.clerk).action_open_merge_wizard()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.clerk).with_context(**action["context"])
        )
        self.assertEqual(wizard_form.keep_id, first)
        wizard_form.keep_id = second
        wizard_form.save().action_merge()
        self.assertEqual(first.state, "cancelled")
        self.assertEqual(first.merged_into_id, second)
        self.assertEqual(second.state, "assigned")

    def test_a_clerk_who_is_not_the_handler_cannot_merge(self):
        first, second = self._pair()
        before = table_checksums(self.env, TABLES)
        with self.assertRaises(UserError):
            first.with_user(self.other_clerk).action_merge([second.id])
        self.assertEqual(table_checksums(self.env, TABLES), before)

    def test_a_manager_merges_complaints_of_any_handler(self):
        first, second = self._pair()
        first.with_user(self.manager).action_merge([second.id])
        self.assertEqual(second.merged_into_id, first)

    def test_complaints_of_two_customers_are_not_merged(self):
        first, _second = self._pair()
        stranger = self._complaint(partner_id=self.customer_no_email.id, user_id=self.clerk.id)
        before = table_checksums(self.env, TABLES)
        with self.assertRaises(UserError):
            first.with_user(self.manager).action_merge([stranger.id])
        self.assertEqual(table_checksums(self.env, TABLES), before)

    def test_a_resolved_complaint_is_not_merged_into_another(self):
        first, _second = self._pair()
        done = self._resolved(partner_id=self.customer.id)
        with self.assertRaises(UserError):
            first.with_user(self.manager).action_merge([done.id])
        self.assertEqual(done.state, "resolved")

    def test_the_link_is_written_only_by_the_merge(self):
        first, second = self._pair()
        with self.assertRaises(UserError):
            second.with_user(self.clerk).write({"merged_into_id": first.id})
        with self.assertRaises(UserError):
            first.with_user(self.clerk).action_merge([str(second.id)])
        self.assertFalse(second.merged_into_id)

    def test_the_register_form_warns_of_an_open_complaint_of_the_same_order(self):
        first = self._complaint(partner_id=self.customer.id, sale_order_id=self.order.id)
        with Form(self.env["store.complaint"].with_user(self.clerk)) as form:
            form.partner_id = self.customer
            self.assertFalse(form.duplicate_complaint_id)
            form.sale_order_id = self.order
            self.assertEqual(form.duplicate_complaint_id, first)
            form.category_id = self.category
            form.description = "Noisy again"
        # the warning does not block: the second one is registered
        self.assertEqual(form.record.duplicate_complaint_id, first)
        self.assertEqual(first.duplicate_complaint_id, form.record)
