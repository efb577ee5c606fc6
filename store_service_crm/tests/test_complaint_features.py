# pylint: disable=unsubscriptable-object
from datetime import datetime, timedelta
from unittest.mock import patch

from psycopg2 import errorcodes, errors

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintVerification(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["store.return.visit.rule"].search([]).active = False
        cls.rule = cls.env["store.return.visit.rule"].create(
            {
                "name": "Verify after complaint",
                "trigger": "complaint_resolved",
                "delay_days": 2,
                "channel": "phone",
            }
        )

    def _visit(self, complaint):
        return complaint.return_visit_ids.filtered(lambda v: v.origin == "complaint")

    def test_resolving_schedules_the_verification_visit_once(self):
        complaint = self._resolved()
        visit = self._visit(complaint)
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.state, "planned")
        self.assertEqual(visit.rule_id, self.rule)
        self.assertEqual(visit.partner_id, complaint.partner_id)
        self.assertEqual(
            visit.scheduled_date,
            fields.Date.context_today(complaint, complaint.date_resolved) + timedelta(days=2),
        )
        self.env["store.return.visit.rule"].search([]).generate_visits()
        self.assertEqual(len(self._visit(complaint)), 1)

    def test_close_waits_for_the_visit_then_takes_its_score(self):
        complaint = self._resolved()
        with self.assertRaises(UserError):
            complaint.action_close()
        visit = self._visit(complaint)
        visit.write({"csat_score": 4, "feedback": "Fixed, thanks"})
        visit.action_done()
        self.assertEqual(complaint.satisfaction_score, 4)
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")

    def test_reopen_cancels_the_pending_verification(self):
        complaint = self._resolved()
        first = self._visit(complaint)
        complaint.action_reopen()
        self.assertEqual(first.state, "cancelled")
        complaint.action_resolve()
        planned = self._visit(complaint).filtered(lambda v: v.state == "planned")
        self.assertEqual(len(planned), 1)
        self.assertNotEqual(planned, first)

    def test_customer_self_rating_allows_closing(self):
        complaint = self._resolved()
        visit = self._visit(complaint)
        token = visit._rating_get_access_token()
        rating = self.env["rating.rating"].sudo().search([("access_token", "=", token)])
        visit.sudo()._apply_customer_rating(rating, 5, feedback="Very good")
        self.assertEqual(complaint.satisfaction_score, 5)
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")

    def test_reopened_complaint_needs_a_new_verification(self):
        complaint = self._resolved()
        visit = self._visit(complaint)
        visit.write({"csat_score": 2, "feedback": "Still noisy"})
        visit.action_done()
        # the first verification took place a day before the complaint was reopened
        visit.date_done = fields.Datetime.now() - timedelta(days=1)
        complaint.action_reopen()
        self.assertFalse(complaint.satisfaction_score)
        complaint.action_resolve()
        with self.assertRaises(UserError):
            complaint.action_close()
        new_visit = self._visit(complaint).filtered(lambda v: v.state == "planned")
        self.assertEqual(len(new_visit), 1)
        self.assertEqual(new_visit.period_key, 1, "planned by the rule for the reopen")
        new_visit.write({"csat_score": 5, "feedback": "Now silent"})
        new_visit.action_done()
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.satisfaction_score, 5)


@tagged("post_install", "-at_install")
class TestComplaintFeatures(ComplaintCase):
    def test_promise_kept_and_broken(self):
        today = fields.Date.context_today(self.env.user)
        kept = self._in_progress(promised_date=today + timedelta(days=1))
        self.assertEqual(kept.promise_status, "pending")
        self._resolvable(kept).action_resolve()
        self.assertEqual(kept.promise_status, "kept")
        broken = self._in_progress(
            promised_date=today - timedelta(days=2),
            date_received=fields.Datetime.now() - timedelta(days=3),
        )
        self._resolvable(broken).action_resolve()
        self.assertEqual(broken.promise_status, "broken")
        found = self.env["store.complaint"].search([("promise_status", "=", "broken")])
        self.assertIn(broken, found)
        self.assertNotIn(kept, found)
        none = self._resolved()
        self.assertEqual(none.promise_status, "none")

    def test_repeat_complaint_same_product_within_window(self):
        first = self._complaint(
            partner_id=self.customer.id, sale_order_id=self.order.id, product_id=self.product.id
        )
        second = self._complaint(partner_id=self.customer.id, product_id=self.product.id)
        self.assertTrue(second.is_repeat)
        self.assertEqual(second.repeat_of_id, first)
        self.assertFalse(first.is_repeat)
        same_order = self._complaint(partner_id=self.customer.id, sale_order_id=self.order.id)
        self.assertEqual(same_order.repeat_of_id, first, "same order, no product")

    def test_no_repeat_outside_window_other_product_or_cancelled(self):
        old = self._complaint(
            partner_id=self.customer.id,
            product_id=self.product.id,
            date_received=fields.Datetime.now() - timedelta(days=40),
        )
        fresh = self._complaint(partner_id=self.customer.id, product_id=self.product.id)
        self.assertFalse(fresh.is_repeat, "40 days ago is outside the 30-day window")
        other = self._complaint(partner_id=self.customer.id, product_id=self.other_product.id)
        self.assertFalse(other.is_repeat)
        other.action_cancel(reason="Registered twice")
        again = self._complaint(partner_id=self.customer.id, product_id=self.other_product.id)
        self.assertFalse(again.is_repeat)
        self.assertTrue(old.exists())

    def test_partner_complaint_count_counts_non_cancelled(self):
        contact = self.env["res.partner"].create(
            {"name": "Zhang's assistant", "parent_id": self.customer.id, "type": "contact"}
        )
        self._complaint(partner_id=self.customer.id)
        second = self._complaint(partner_id=contact.id)
        self.env.invalidate_all()
        self.assertEqual(self.customer.complaint_count, 2)
        second.action_cancel(reason="Registered twice")
        self.env.invalidate_all()  # computed on read: never written on the customer
        self.assertEqual(self.customer.complaint_count, 1)
        moved = self._complaint(partner_id=self.customer.id)
        moved.partner_id = self.customer_no_email
        self.env.invalidate_all()
        self.assertEqual(self.customer.complaint_count, 1)
        self.assertEqual(self.customer_no_email.complaint_count, 1)
        moved.with_user(self.manager).action_archive()
        self.env.invalidate_all()
        self.assertEqual(self.customer_no_email.complaint_count, 0)
        fresh = self._complaint(partner_id=self.customer_no_email.id)
        self.env.invalidate_all()
        self.assertEqual(self.customer_no_email.complaint_count, 1)
        fresh.unlink()
        self.env.invalidate_all()
        self.assertEqual(self.customer_no_email.complaint_count, 0)

    def test_compensation_and_replacement_order(self):
        complaint = self._in_progress(
            partner_id=self.customer.id, sale_order_id=self.order.id, product_id=self.product.id
        )
        complaint.compensation_amount = 120
        action = complaint.action_create_replacement_order()
        order = complaint.replacement_order_id
        self.assertEqual(action["res_id"], order.id)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.order_line.product_id, self.product)
        self.assertEqual(order.origin, complaint.name)
        with self.assertRaises(UserError):
            complaint.action_create_replacement_order()

    def test_credit_note_for_the_compensation(self):
        complaint = self._in_progress(
            partner_id=self.customer.id, sale_order_id=self.order.id, product_id=self.product.id
        )
        with self.assertRaises(UserError):
            complaint.action_create_credit_note()  # no amount yet
        self.assertFalse(complaint.refund_move_id)
        complaint.compensation_amount = 150
        has_journal = self.env["account.journal"].search_count(
            [("type", "=", "sale"), ("company_id", "=", complaint.company_id.id)]
        )
        if not has_journal:
            with self.assertRaises(UserError):
                complaint.action_create_credit_note()
            return
        action = complaint.action_create_credit_note()
        move = complaint.refund_move_id
        self.assertEqual(action["res_id"], move.id)
        self.assertEqual(move.move_type, "out_refund")
        self.assertEqual(move.state, "draft")
        self.assertEqual(move.partner_id, self.customer)
        self.assertEqual(move.amount_total, 150)
        self.assertEqual(move.invoice_origin, complaint.name)
        with self.assertRaises(UserError):
            complaint.action_create_credit_note()

    def test_sale_order_button_prefills_the_form(self):
        action = self.order.action_register_complaint()
        self.assertEqual(action["res_model"], "store.complaint")
        form = Form(self.env["store.complaint"].with_context(**action["context"]))
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.sale_order_id, self.order)
        self.assertEqual(form.team_id, self.store)
        self.assertEqual(form.product_id, self.product)
        form.category_id = self.category
        form.description = "Door seal broken"
        complaint = form.save()
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(self.order.complaint_count, 1)
        view = self.order.action_view_complaints()
        self.assertEqual(self.env["store.complaint"].search(view["domain"]), complaint)

    def test_partner_button_prefills_the_customer(self):
        action = self.customer.action_register_complaint()
        form = Form(self.env["store.complaint"].with_context(**action["context"]))
        self.assertEqual(form.partner_id, self.customer)
        form.category_id = self.category
        form.description = "Rude staff"
        complaint = form.save()
        view = self.customer.action_view_complaints()
        self.assertIn(complaint, self.env["store.complaint"].search(view["domain"]))

    def test_onchange_order_sets_customer_and_store(self):
        form = Form(self.env["store.complaint"])
        form.sale_order_id = self.order
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.team_id, self.store)
        self.assertEqual(form.product_id, self.product)

    def test_acknowledgement_and_resolution_mail_when_email(self):
        complaint = self._complaint(partner_id=self.customer.id)
        ack = complaint.message_ids.filtered(lambda m: self.customer in m.partner_ids)
        self.assertEqual(len(ack), 1)
        self.assertIn(complaint.name, ack.subject)
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "in", ack.ids)])
        self.assertTrue(mails, "the acknowledgement is queued, not sent in the request")
        complaint.action_assign()
        complaint.action_start()
        self._resolvable(complaint).action_resolve()
        notices = complaint.message_ids.filtered(lambda m: self.customer in m.partner_ids)
        # acknowledgement, then the progress messages of assignment, start and resolution
        # (one per step, company settings on by default: test_complaint_progress.py)
        self.assertEqual(len(notices), 4)

    def test_mail_failure_never_blocks_but_concurrency_is_retried(self):
        """A broken mail leaves the complaint registered (logged); a concurrent update
        met while posting it (e.g. on the customer's row) is raised, so that Odoo
        retries the whole request instead of losing the mail and the pending writes."""
        Complaint = type(self.env["store.complaint"])
        with (
            patch.object(Complaint, "message_post_with_source", side_effect=ValueError("smtp")),
            self.assertLogs("odoo.addons.store_service_crm.models.store_complaint", "ERROR"),
        ):
            complaint = self._complaint(partner_id=self.customer.id)
        self.assertTrue(complaint.exists())
        self.assertFalse(complaint.message_ids.filtered(lambda m: self.customer in m.partner_ids))
        serialization_failure = errors.lookup(errorcodes.SERIALIZATION_FAILURE)
        failure = serialization_failure("could not serialize access")
        with (
            patch.object(Complaint, "message_post_with_source", side_effect=failure),
            self.assertRaises(serialization_failure),
        ):
            self._complaint(partner_id=self.customer.id)

    def test_no_mail_without_email_and_action_still_works(self):
        complaint = self._resolved(partner_id=self.customer_no_email.id)
        self.assertEqual(complaint.state, "resolved")
        self.assertFalse(
            complaint.message_ids.filtered(lambda m: self.customer_no_email in m.partner_ids)
        )

    def test_mail_failure_never_blocks_the_action(self):
        complaint = self._in_progress(partner_id=self.customer.id)
        self._resolvable(complaint)
        with patch.object(
            type(self.env["store.complaint"]),
            "message_post_with_source",
            side_effect=ValueError("SMTP down"),
        ):
            complaint.action_resolve()
        self.assertEqual(complaint.state, "resolved")

    def test_overdue_flags_are_searchable(self):
        late = self._complaint(date_received=datetime(2020, 1, 1, 8, 0))
        fresh = self._complaint()
        self.assertTrue(late.is_overdue and late.is_response_overdue)
        self.assertFalse(fresh.is_overdue)
        Complaint = self.env["store.complaint"]
        scope = [("id", "in", (late | fresh).ids)]
        self.assertEqual(Complaint.search(scope + [("is_overdue", "=", True)]), late)
        self.assertEqual(Complaint.search(scope + [("is_overdue", "=", False)]), fresh)
        self.assertEqual(Complaint.search(scope + [("is_response_overdue", "!=", True)]), fresh)
        late.action_assign()
        late.action_start()
        self.assertFalse(late.is_response_overdue)
        self.assertTrue(late.is_resolution_overdue)
        self.assertEqual(Complaint.search(scope + [("is_resolution_overdue", "=", True)]), late)
        self._resolvable(late).action_resolve()
        self.assertFalse(late.is_overdue)
