"""SLA pause ("waiting for the customer") and the SLA reminder, with ``freeze_time``.

ComplaintCase's SLA: answer within 24 h, resolve within 72 h (medium severity, clock
hours). Every deadline below is worked out by hand from those."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCase

RECEIVED = "2024-05-06 08:00:00"  # a Monday


def dt(text):
    return datetime.fromisoformat(text)


@tagged("post_install", "-at_install")
class TestSlaPause(ComplaintCase):
    def _received(self, **vals):
        with freeze_time(RECEIVED):
            complaint = self._complaint(**vals)
        # response 08:00 + 24 h, resolution 08:00 + 72 h
        self.assertEqual(complaint.response_deadline, dt("2024-05-07 08:00"))
        self.assertEqual(complaint.resolution_deadline, dt("2024-05-09 08:00"))
        return complaint

    def _hold(self, complaint, at, reason="Waiting for the customer's photos"):
        with freeze_time(at):
            complaint.action_put_on_hold(reason=reason)

    def _resume(self, complaint, at):
        with freeze_time(at):
            complaint.action_resume()

    def test_a_pause_before_the_answer_moves_both_deadlines(self):
        complaint = self._received()
        with freeze_time("2024-05-06 09:00"):
            complaint.action_assign()
        self._hold(complaint, "2024-05-06 10:00")
        self.assertTrue(complaint.on_hold)
        self._resume(complaint, "2024-05-06 16:00")
        # 10:00 -> 16:00: 6 h waited; 2024-05-07 08:00 + 6 h, 2024-05-09 08:00 + 6 h
        self.assertFalse(complaint.on_hold)
        self.assertEqual(complaint.response_paused_hours, 6.0)
        self.assertEqual(complaint.resolution_paused_hours, 6.0)
        self.assertEqual(complaint.response_deadline, dt("2024-05-07 14:00"))
        self.assertEqual(complaint.resolution_deadline, dt("2024-05-09 14:00"))

    def test_a_pause_after_the_answer_moves_the_resolution_deadline_only(self):
        complaint = self._received()
        self._hold(complaint, "2024-05-06 10:00")
        self._resume(complaint, "2024-05-06 16:00")
        with freeze_time("2024-05-07 09:00"):
            complaint.action_assign()
            complaint.action_start()
        # answered at 09:00, before the moved response deadline (14:00)
        self._hold(complaint, "2024-05-07 12:00")
        self._resume(complaint, "2024-05-08 12:00")
        # second pause 24 h: resolution 2024-05-09 14:00 + 24 h; response unchanged
        self.assertEqual(complaint.response_paused_hours, 6.0)
        self.assertEqual(complaint.resolution_paused_hours, 30.0)
        self.assertEqual(complaint.response_deadline, dt("2024-05-07 14:00"))
        self.assertEqual(complaint.resolution_deadline, dt("2024-05-10 14:00"))

    def test_a_complaint_waiting_is_never_overdue_nor_escalated(self):
        complaint = self._received()
        self._hold(complaint, "2024-05-06 10:00")
        with freeze_time("2024-05-09 09:00"):
            # both original deadlines have passed
            complaint.invalidate_recordset()
            self.assertFalse(complaint.is_overdue)
            overdue = self.Complaint.search([("is_overdue", "=", True), ("id", "=", complaint.id)])
            self.assertFalse(overdue)
            self.assertFalse(self.Complaint._cron_escalate())
            self.assertEqual(complaint.escalation_level, 0)
        self._resume(complaint, "2024-05-09 10:00")
        # 10:00 on the 6th -> 10:00 on the 9th: 72 h; response 2024-05-10 08:00,
        # resolution 2024-05-12 08:00: nothing overdue at 10:00 on the 9th
        self.assertEqual(complaint.response_deadline, dt("2024-05-10 08:00"))
        self.assertEqual(complaint.resolution_deadline, dt("2024-05-12 08:00"))
        with freeze_time("2024-05-09 10:00"):
            complaint.invalidate_recordset()
            self.assertFalse(complaint.is_overdue)
        with freeze_time("2024-05-10 09:00"):
            complaint.invalidate_recordset()
            self.assertTrue(complaint.is_response_overdue)
            self.assertEqual(self.Complaint._cron_escalate(), complaint)

    def test_kpis_read_the_moved_deadlines(self):
        complaint = self._received()
        with freeze_time("2024-05-06 09:00"):
            complaint.action_assign()
            complaint.action_start()
        self._hold(complaint, "2024-05-06 10:00")
        self._resume(complaint, "2024-05-08 10:00")
        # 48 h waited: resolution deadline 2024-05-09 08:00 + 48 h = 2024-05-11 08:00
        self._resolvable(complaint)
        with freeze_time("2024-05-10 08:00"):
            complaint.action_resolve()
            kpis = self.env["store.service.kpi"].compute_kpis(
                "2024-05-01", "2024-05-31", team_ids=[self.store.id]
            )
        # resolved after 72 h, without the pause late; with it, 24 h early
        self.assertAlmostEqual(kpis["resolution_on_time_rate"], 1.0)

    def test_kpis_leave_out_a_complaint_waiting_past_its_deadline(self):
        complaint = self._received()
        self._hold(complaint, "2024-05-06 10:00")
        with freeze_time("2024-05-20 10:00"):
            kpis = self.env["store.service.kpi"].compute_kpis(
                "2024-05-01", "2024-05-31", team_ids=[self.store.id]
            )
        # unanswered and waiting: its clocks stand still, it is not due yet
        self.assertEqual(kpis["complaint_count"], 1)
        self.assertIsNone(kpis["response_on_time_rate"])
        self.assertIsNone(kpis["resolution_on_time_rate"])

    def test_resolving_a_waiting_complaint_resumes_it(self):
        complaint = self._resolvable(self._received())
        with freeze_time("2024-05-06 09:00"):
            complaint.action_assign()
            complaint.action_start()
        self._hold(complaint, "2024-05-06 12:00")
        with freeze_time("2024-05-06 15:00"):
            complaint.action_resolve()
        # 3 h waited, stopped by the resolution
        self.assertEqual(complaint.state, "resolved")
        self.assertFalse(complaint.on_hold)
        self.assertEqual(complaint.resolution_paused_hours, 3.0)
        self.assertEqual(complaint.resolution_deadline, dt("2024-05-09 11:00"))

    def test_the_pause_goes_through_the_door(self):
        complaint = self._received()
        with self.assertRaises(UserError):
            complaint.action_put_on_hold(reason="  ")
        with self.assertRaises(UserError):
            complaint.action_resume()
        for vals in ({"on_hold": True}, {"response_paused_hours": 100.0}, {"hold_reason": "x"}):
            with self.assertRaises(UserError):
                complaint.with_user(self.clerk).with_context(force=True).write(vals)
        with self.assertRaises(UserError):
            self.Complaint.with_user(self.clerk).create(
                {
                    "partner_id": self.customer.id,
                    "category_id": self.category.id,
                    "description": "Paused from the start",
                    "team_id": self.store.id,
                    "resolution_paused_hours": 10.0,
                }
            )
        self._hold(complaint, "2024-05-06 10:00")
        with self.assertRaises(UserError):
            complaint.action_put_on_hold(reason="Twice")
        self.assertEqual(complaint.hold_reason, "Waiting for the customer's photos")

    def test_a_closed_complaint_cannot_wait(self):
        complaint = self._resolved()
        with self.assertRaises(UserError):
            complaint.action_put_on_hold(reason="Too late")
        self.assertFalse(complaint.on_hold)

    def test_the_pause_and_the_moved_deadlines_are_tracked(self):
        complaint = self._received().with_context(tracking_disable=False)
        self.env.cr.precommit.run()
        self._hold(complaint.with_user(self.clerk), "2024-05-06 10:00")
        self.env.cr.precommit.run()  # tracking values are written before the commit
        self._resume(complaint.with_user(self.clerk), "2024-05-06 16:00")
        self.env.cr.precommit.run()
        tracked = complaint.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("on_hold", tracked)
        self.assertIn("hold_reason", tracked)
        self.assertIn("resolution_paused_hours", tracked)
        notes = complaint.message_ids.filtered(lambda m: "6.00 h" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes.author_id, self.clerk.partner_id)


@tagged("post_install", "-at_install")
class TestSlaReminder(ComplaintCase):
    def _reminders(self, complaint):
        return complaint._sla_reminder_activities()

    def _cron(self, at):
        with freeze_time(at):
            return self.Complaint._cron_sla_reminder()

    def test_the_reminder_comes_at_75_percent_of_the_sla_once(self):
        with freeze_time(RECEIVED):
            complaint = self._complaint(user_id=self.clerk.id)
        # response: 24 h, 75 % -> 18 h after receipt: 2024-05-07 02:00
        self.assertFalse(self._cron("2024-05-07 01:59"))
        self.assertEqual(self._cron("2024-05-07 02:00"), complaint)
        reminder = self._reminders(complaint)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.clerk)
        self.assertIn(complaint.name, reminder.summary)
        # a second run reminds nobody twice
        self.assertFalse(self._cron("2024-05-07 03:00"))
        self.assertEqual(len(self._reminders(complaint)), 1)
        # resolution: 72 h, 75 % -> 54 h: 2024-05-08 14:00 (the response one is past)
        self.assertFalse(self._cron("2024-05-08 13:59"))
        self.assertEqual(self._cron("2024-05-08 14:00"), complaint)
        self.assertEqual(len(self._reminders(complaint)), 2)
        self.assertFalse(self._cron("2024-05-08 15:00"))

    def test_the_share_is_a_setting(self):
        self.company.complaint_sla_reminder_share = 50.0
        with freeze_time(RECEIVED):
            complaint = self._complaint(user_id=self.clerk.id)
        # 50 % of 24 h: 2024-05-06 20:00
        self.assertFalse(self._cron("2024-05-06 19:59"))
        self.assertEqual(self._cron("2024-05-06 20:00"), complaint)

    def test_a_paused_complaint_is_reminded_on_its_moved_deadline(self):
        with freeze_time(RECEIVED):
            complaint = self._complaint(user_id=self.clerk.id)
        with freeze_time("2024-05-06 10:00"):
            complaint.action_put_on_hold(reason="Waiting for the invoice copy")
        # waiting: no reminder, even past the first reminder time
        self.assertFalse(self._cron("2024-05-07 03:00"))
        with freeze_time("2024-05-07 04:00"):
            complaint.action_resume()
        # 18 h waited: response deadline 2024-05-08 02:00; reminder 6 h before: 2024-05-07 20:00
        self.assertEqual(complaint.response_deadline, datetime(2024, 5, 8, 2, 0))
        self.assertFalse(self._cron("2024-05-07 19:59"))
        self.assertEqual(self._cron("2024-05-07 20:00"), complaint)
        self.assertEqual(len(self._reminders(complaint)), 1)

    def test_a_resume_drops_the_reminder_of_the_old_deadline(self):
        with freeze_time(RECEIVED):
            complaint = self._complaint(user_id=self.clerk.id)
        self.assertEqual(self._cron("2024-05-07 02:00"), complaint)
        with freeze_time("2024-05-07 03:00"):
            complaint.action_put_on_hold(reason="Customer abroad")
        with freeze_time("2024-05-07 05:00"):
            complaint.action_resume()
        # 2 h waited: response deadline 10:00, its reminder due at 04:00 already
        self.assertFalse(self._reminders(complaint))
        self.assertEqual(self._cron("2024-05-07 05:00"), complaint)
        self.assertEqual(len(self._reminders(complaint)), 1)
