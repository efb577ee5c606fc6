# pylint: disable=unsubscriptable-object
# (pylint cannot infer HttpCase.env in setUpClass)
"""Compensation authority with real clerk / store leader / manager users over
XML-RPC: above their limit, resolving needs a manager's approval (request ->
approve / refuse with a reason, the approver notified with an activity); the
approved amount is what counts in the service cost."""

import xmlrpc.client

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import table_checksums

TABLES = ("store_complaint", "mail_activity", "mail_tracking_value")
USER_GROUPS = "base.group_user,store_service_crm.group_store_service_user"


@tagged("post_install", "-at_install")
class TestCompensationAuthority(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))  # pylint: disable=not-callable
        cls.clerk = new_test_user(env, login="ssc_comp_clerk", groups=USER_GROUPS)
        cls.leader = new_test_user(env, login="ssc_comp_leader", groups=USER_GROUPS)
        cls.manager = new_test_user(
            env,
            login="ssc_comp_manager",
            groups="base.group_user,store_service_crm.group_store_service_manager",
        )
        cls.company = env.company
        cls.company.write(
            {
                "compensation_limit_clerk": 200.0,
                "compensation_limit_leader": 1000.0,
                "complaint_service_manager_id": cls.manager.id,
            }
        )
        cls.store = env["crm.team"].create(
            {
                "is_store": True,
                "name": "Authority Store",
                "user_id": cls.leader.id,
                "member_ids": [fields.Command.set([cls.clerk.id])],
            }
        )
        cls.partner = env["res.partner"].create({"name": "Ms. Authority", "customer_rank": 1})
        cls.category = env.ref("store_service_crm.complaint_category_product_quality")

    def _in_progress(self, amount):
        complaint = self.env["store.complaint"].create(
            {
                "partner_id": self.partner.id,
                "category_id": self.category.id,
                "description": "Tiles cracked",
                "team_id": self.store.id,
                "user_id": self.clerk.id,
                "responsibility": "staff",
                "resolution_type": "compensation",
                "compensation_amount": amount,
            }
        )
        complaint.action_assign()
        complaint.action_start()
        return complaint

    def call(self, user, complaint, method, *args):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            user.id,
            user.login,
            "store.complaint",
            method,
            [[complaint.id], *args],
            {},
        )

    def assert_refused(self, user, complaint, method, *args):
        before = table_checksums(self.env, TABLES)
        with self.assertRaises(xmlrpc.client.Fault), mute_logger("odoo.http"):
            self.call(user, complaint, method, *args)
        self.env.invalidate_all()
        self.assertEqual(table_checksums(self.env, TABLES), before, f"{method}: changed data")

    def _approval_activities(self, complaint):
        activity_type = self.env.ref("store_service_crm.mail_activity_type_compensation_approval")
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "store.complaint"),
                ("res_id", "=", complaint.id),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def test_within_the_clerks_authority(self):
        complaint = self._in_progress(150.0)
        self.call(self.clerk, complaint, "action_resolve")
        self.assertEqual(complaint.state, "resolved")
        self.assertEqual(complaint.compensation_approval_state, "none")

    def test_above_the_clerks_limit_needs_approval(self):
        complaint = self._in_progress(0.0)
        self.call(self.clerk, complaint, "write", {"compensation_amount": 300.0})
        self.assert_refused(self.clerk, complaint, "action_resolve")
        self.assertEqual(complaint.state, "in_progress")
        self.call(self.clerk, complaint, "action_request_compensation_approval")
        self.assertEqual(complaint.compensation_approval_state, "requested")
        activity = self._approval_activities(complaint)
        self.assertEqual(activity.user_id, self.manager, "the approver is notified")
        # the clerk cannot approve their own request, nor write the approval
        self.assert_refused(self.clerk, complaint, "action_approve_compensation")
        self.assert_refused(
            self.clerk, complaint, "write", {"compensation_approval_state": "approved"}
        )
        self.assert_refused(self.leader, complaint, "action_approve_compensation")
        self.call(self.manager, complaint, "action_approve_compensation")
        self.assertEqual(complaint.compensation_approval_state, "approved")
        self.assertEqual(complaint.compensation_approved_amount, 300.0)
        self.assertEqual(complaint.compensation_approver_id, self.manager)
        self.assertFalse(self._approval_activities(complaint), "the to-do is done")
        self.call(self.clerk, complaint, "action_resolve")
        self.assertEqual(complaint.state, "resolved")
        # once resolved, more than approved is refused
        self.assert_refused(self.clerk, complaint, "write", {"compensation_amount": 900.0})

    def test_a_store_leader_has_a_higher_limit(self):
        complaint = self._in_progress(800.0)
        self.call(self.leader, complaint, "action_resolve")
        self.assertEqual(complaint.state, "resolved")
        above = self._in_progress(1500.0)
        self.assert_refused(self.leader, above, "action_resolve")
        self.assertEqual(above.state, "in_progress")

    def test_a_manager_has_no_limit(self):
        complaint = self._in_progress(50000.0)
        self.call(self.manager, complaint, "action_resolve")
        self.assertEqual(complaint.state, "resolved")

    def test_refusal_needs_a_reason_and_blocks_resolving(self):
        complaint = self._in_progress(500.0)
        self.call(self.clerk, complaint, "action_request_compensation_approval")
        self.assert_refused(self.manager, complaint, "action_refuse_compensation", "  ")
        self.call(self.manager, complaint, "action_refuse_compensation", "Too much for a scratch")
        self.assertEqual(complaint.compensation_approval_state, "refused")
        self.assertEqual(complaint.compensation_refuse_reason, "Too much for a scratch")
        self.assert_refused(self.clerk, complaint, "action_resolve")
        # a lower amount within the authority: the refusal no longer applies
        self.call(self.clerk, complaint, "write", {"compensation_amount": 150.0})
        self.assertEqual(complaint.compensation_approval_state, "none")
        self.call(self.clerk, complaint, "action_resolve")
        self.assertEqual(complaint.state, "resolved")

    def test_the_approved_amount_counts_in_the_service_cost(self):
        today = fields.Date.today()
        pending = self._in_progress(500.0)
        self.call(self.clerk, pending, "action_request_compensation_approval")
        approved = self._in_progress(300.0)
        self.call(self.clerk, approved, "action_request_compensation_approval")
        self.call(self.manager, approved, "action_approve_compensation")
        self._in_progress(120.0)
        self.env.flush_all()
        kpis = self.env["store.service.kpi"].compute_kpis(today, today, team_ids=self.store.ids)
        # the pending 500 does not count until approved
        self.assertAlmostEqual(kpis["compensation_amount"], 420.0)
        self.assertAlmostEqual(kpis["service_cost"], 420.0)

    def test_dispatch_and_approval_figures_are_refused_over_rpc(self):
        complaint = self._in_progress(0.0)
        for name, value in (
            ("dispatch_state", "done"),
            ("date_arrived", "2026-03-02 09:30:00"),
            ("dispatch_deadline", "2099-01-01 00:00:00"),
            ("dispatch_escalated", True),
            ("compensation_approval_state", "approved"),
            ("compensation_approved_amount", 99999.0),
        ):
            with self.subTest(field=name):
                self.assert_refused(self.clerk, complaint, "write", {name: value})
                self.assert_refused(self.manager, complaint, "write", {name: value})
