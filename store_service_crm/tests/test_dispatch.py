# pylint: disable=unsubscriptable-object
"""On-site dispatch: deadline per severity, arrival and finish through the actions,
escalation of a missed deadline (once), the on-site KPI."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ComplaintCase

RECEIVED = datetime(2026, 3, 2, 9, 0)  # a Monday morning, UTC


@tagged("post_install", "-at_install")
class TestDispatch(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = new_test_user(
            cls.env,
            login="ssc_technician",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        cls.company.write(
            {
                "dispatch_hours_critical": 2.0,
                "dispatch_hours_high": 0.0,
                "dispatch_hours_medium": 48.0,
                "dispatch_hours_low": 72.0,
            }
        )
        cls.company.partner_id.tz = "Asia/Shanghai"

    def _dispatched(self, severity="critical", **vals):
        with freeze_time(RECEIVED):
            complaint = self._complaint(severity=severity, date_received=RECEIVED, **vals)
            complaint.action_assign()
            complaint.write(
                {
                    "technician_id": self.technician.id,
                    "appointment_date": RECEIVED + timedelta(hours=1),
                }
            )
            complaint.action_dispatch()
        return complaint

    def _escalations(self, complaint):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "store.complaint"),
                ("res_id", "=", complaint.id),
                ("summary", "like", "Technician not on site"),
            ]
        )

    def test_deadline_per_severity(self):
        expected = {
            "critical": RECEIVED + timedelta(hours=2),
            # high: the same day in the company's time zone (Shanghai, UTC+8): 15:59:59 UTC
            "high": datetime(2026, 3, 2, 15, 59, 59),
            "medium": RECEIVED + timedelta(hours=48),
            "low": RECEIVED + timedelta(hours=72),
        }
        for severity, deadline in expected.items():
            with self.subTest(severity=severity):
                complaint = self._dispatched(severity)
                self.assertEqual(complaint.dispatch_state, "dispatched")
                self.assertEqual(complaint.dispatch_deadline, deadline)
                self.assertEqual(complaint.date_dispatched, RECEIVED)

    def test_arrival_and_finish_by_the_technician(self):
        complaint = self._dispatched()
        as_technician = complaint.with_user(self.technician)
        with freeze_time(RECEIVED + timedelta(minutes=90)):
            as_technician.action_dispatch_arrive()
        with freeze_time(RECEIVED + timedelta(hours=3)):
            as_technician.action_dispatch_finish()
        self.assertEqual(complaint.dispatch_state, "done")
        self.assertEqual(complaint.date_arrived, RECEIVED + timedelta(minutes=90))
        self.assertEqual(complaint.date_finished, RECEIVED + timedelta(hours=3))
        self.assertFalse(complaint.is_dispatch_late)

    def test_steps_in_order_only(self):
        complaint = self._dispatched()
        with self.assertRaises(UserError):
            complaint.action_dispatch_finish()
        complaint.action_dispatch_arrive()
        with self.assertRaises(UserError):
            complaint.action_dispatch_arrive()
        with self.assertRaises(UserError):
            complaint.action_dispatch()
        self.assertEqual(complaint.dispatch_state, "on_site")

    def test_dispatch_needs_technician_and_appointment(self):
        complaint = self._complaint()
        with self.assertRaises(UserError):
            complaint.action_dispatch()
        complaint.technician_id = self.technician
        with self.assertRaises(UserError):
            complaint.action_dispatch()
        self.assertEqual(complaint.dispatch_state, "none")
        self.assertFalse(complaint.dispatch_deadline)

    def test_technician_is_not_the_handler(self):
        complaint = self._complaint(user_id=self.clerk.id)
        with self.assertRaises(ValidationError):
            complaint.technician_id = self.clerk

    def test_dispatch_figures_only_through_the_actions(self):
        complaint = self._dispatched().with_user(self.clerk)
        for name, value in (
            ("dispatch_state", "done"),
            ("date_arrived", "2026-03-02 09:30:00"),
            ("dispatch_deadline", "2099-01-01 00:00:00"),
            ("dispatch_escalated", True),
        ):
            with self.subTest(field=name), self.assertRaises(UserError):
                complaint.write({name: value})
        self.assertEqual(complaint.dispatch_state, "dispatched")

    def test_someone_else_cannot_record_the_arrival(self):
        other = new_test_user(
            self.env,
            login="ssc_other_clerk",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        self.store.member_ids |= other
        complaint = self._dispatched()
        with self.assertRaises(UserError):
            complaint.with_user(other).action_dispatch_arrive()
        self.assertEqual(complaint.dispatch_state, "dispatched")

    def test_missed_deadline_escalates_once(self):
        complaint = self._dispatched()  # critical: on site by 11:00
        on_time = self._dispatched()
        Complaint = self.env["store.complaint"]
        with freeze_time(RECEIVED + timedelta(minutes=110)):
            on_time.action_dispatch_arrive()
            Complaint._cron_escalate()
            self.assertFalse(complaint.dispatch_escalated)
        with freeze_time(RECEIVED + timedelta(hours=2, minutes=1)):
            Complaint._cron_escalate()
            Complaint._cron_escalate()
        self.assertTrue(complaint.dispatch_escalated)
        self.assertFalse(on_time.dispatch_escalated)
        activities = self._escalations(complaint)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.manager, "the store leader")
        self.assertFalse(self._escalations(on_time))
        with freeze_time(RECEIVED + timedelta(hours=5)):
            Complaint._cron_escalate()
        self.assertEqual(len(self._escalations(complaint)), 1)
        self.assertTrue(complaint.is_dispatch_late)

    def _kpi(self):
        kpis = self.env["store.service.kpi"].compute_kpis(
            RECEIVED.date(), RECEIVED.date(), team_ids=self.store.ids
        )
        return kpis["dispatch_on_time_rate"]

    def test_on_site_kpi(self):
        early = self._dispatched()
        late = self._dispatched()
        self._dispatched()  # never arrives
        with freeze_time(RECEIVED + timedelta(minutes=60)):
            early.action_dispatch_arrive()
        with freeze_time(RECEIVED + timedelta(minutes=90)):
            # only the arrival is due: the deadline (11:00) has not passed for the others
            self.assertAlmostEqual(self._kpi(), 1.0)
        with freeze_time(RECEIVED + timedelta(hours=2, minutes=30)):
            late.action_dispatch_arrive()
        with freeze_time(RECEIVED + timedelta(hours=2, minutes=45)):
            # all three due: one on time, one late, one missing
            self.assertAlmostEqual(self._kpi(), 1 / 3)

    def test_no_dispatch_no_kpi(self):
        self._complaint()
        kpis = self.env["store.service.kpi"].compute_kpis(
            RECEIVED.date(), RECEIVED.date() + timedelta(days=400), team_ids=self.store.ids
        )
        self.assertIsNone(kpis["dispatch_on_time_rate"])

    def test_my_dispatches_lists_the_technicians_dispatches(self):
        mine = self._dispatched()
        self._complaint()
        action = mine.action_my_dispatches()
        domain = safe_eval(action["domain"], {"uid": self.technician.id})
        found = self.env["store.complaint"].with_user(self.technician).search(domain)
        self.assertEqual(found, mine, "the technician reads the complaint they are sent to")
