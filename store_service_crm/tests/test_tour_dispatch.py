# pylint: disable=unsubscriptable-object
"""Tours of issue 16 (part p16b) in headless Chromium: dispatching a technician (and
the appointments calendar), the technician's day on a phone, a manager approving a
compensation. Set ``SSC_SCREENSHOTS`` (e.g. ``docs/screenshots``) to save the
screenshots the tours ask for (``dispatch_*.png``)."""

from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser

from .test_tour_clerk_day import _handle_console_with_screenshots

USER_GROUPS = "base.group_user,store_service_crm.group_store_service_user"


class DispatchTourCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(
            patch.object(
                ChromeBrowser,
                "_handle_console",
                _handle_console_with_screenshots(ChromeBrowser._handle_console),
            )
        )
        env = cls.env
        cls.clerk = new_test_user(
            env, login="ssc_tour_dispatch_clerk", name="Tour Clerk", groups=USER_GROUPS
        )
        cls.technician = new_test_user(
            env, login="ssc_tour_technician", name="Tour Technician", groups=USER_GROUPS
        )
        cls.manager = new_test_user(
            env,
            login="ssc_tour_dispatch_manager",
            name="Tour Manager",
            groups="base.group_user,store_service_crm.group_store_service_manager",
        )
        cls.store = env["crm.team"].create(
            {
                "is_store": True,
                "name": "Tour Dispatch Store",
                "user_id": cls.manager.id,
                "member_ids": [Command.set([cls.clerk.id, cls.technician.id])],
            }
        )
        cls.category = env.ref("store_service_crm.complaint_category_installation")
        env.company.complaint_service_manager_id = cls.manager

    def _complaint(self, name, **vals):
        complaint = self.env["store.complaint"].create(
            {
                "partner_id": self.env["res.partner"]
                .create({"name": name, "phone": "+86 138 0013 8000"})
                .id,
                "category_id": self.category.id,
                "description": "The tiles are loose",
                "team_id": self.store.id,
                "user_id": self.clerk.id,
                **vals,
            }
        )
        complaint.action_assign()
        complaint.action_start()
        return complaint

    def _dispatch(self, complaint, hours):
        complaint.write(
            {
                "technician_id": self.technician.id,
                "appointment_date": fields.Datetime.now().replace(minute=0, second=0)
                + timedelta(hours=hours),
            }
        )
        complaint.action_dispatch()


@tagged("post_install", "-at_install")
class TestTourDispatch(DispatchTourCase):
    browser_size = "1440x900"

    def test_dispatch_a_technician(self):
        complaint = self._complaint("Tour Customer Fang", severity="critical")
        for index, name in enumerate(("Tour Customer Gao", "Tour Customer Hu")):
            self._dispatch(self._complaint(name), 2 + 3 * index)
        self.start_tour(
            f"/odoo/action-store_service_crm.store_complaint_action/{complaint.id}",
            "store_service_crm_dispatch",
            login=self.clerk.login,
        )
        self.assertEqual(complaint.dispatch_state, "dispatched")
        self.assertEqual(complaint.technician_id, self.technician)
        self.assertTrue(complaint.appointment_date)
        self.assertEqual(complaint.dispatch_deadline, complaint.date_received + timedelta(hours=2))

    def test_manager_approves_a_compensation(self):
        complaint = self._complaint("Tour Customer Jin", compensation_amount=1500.0)
        complaint.with_user(self.clerk).action_request_compensation_approval()
        self.start_tour(
            f"/odoo/action-store_service_crm.store_complaint_action/{complaint.id}",
            "store_service_crm_compensation_approval",
            login=self.manager.login,
        )
        self.assertEqual(complaint.compensation_approval_state, "approved")
        self.assertEqual(complaint.compensation_approved_amount, 1500.0)


@tagged("post_install", "-at_install")
class TestTourTechnicianDay(DispatchTourCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_technicians_day_on_a_phone(self):
        first = self._complaint("Tour Customer Fang", severity="high")
        self._dispatch(first, 1)
        self._dispatch(self._complaint("Tour Customer Gao"), 3)
        self.start_tour(
            "/odoo/action-store_service_crm.store_complaint_action_my_dispatches",
            "store_service_crm_technician_day",
            login=self.technician.login,
        )
        self.assertEqual(first.dispatch_state, "on_site")
        self.assertTrue(first.date_arrived)
