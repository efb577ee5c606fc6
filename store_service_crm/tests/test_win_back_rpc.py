# pylint: disable=unsubscriptable-object
# (pylint cannot infer HttpCase.env in setUpClass)
"""Reasons for leaving and preventive actions over real XML-RPC, as a store clerk:
state changes only through the actions whatever the context, bad input changes
nothing."""

import xmlrpc.client
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import table_checksums

TABLES = (
    "store_preventive_action",
    "store_return_visit",
    "store_complaint",
    "res_partner",
    "mail_activity",
    "mail_message",
)
CONTEXTS = (
    {},
    {"store_complaint_workflow": True},
    {"tracking_disable": True, "active_test": False},
)


@tagged("post_install", "-at_install")
class TestWinBackRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))  # pylint: disable=not-callable
        groups = "base.group_user,store_service_crm.group_store_service_user"
        cls.clerk = new_test_user(env, login="ssc_winback_clerk", groups=groups)
        cls.store = env["crm.team"].create(
            {
                "is_store": True,
                "name": "Win-back RPC Store",
                "member_ids": [fields.Command.set([cls.clerk.id])],
            }
        )
        cls.partner = env["res.partner"].create({"name": "Ms. Liu", "customer_rank": 1})
        cls.visit = env["store.return.visit"].create(
            {
                "partner_id": cls.partner.id,
                "team_id": cls.store.id,
                "user_id": cls.clerk.id,
                "care_visit": True,
            }
        )
        complaint = env["store.complaint"].create(
            {
                "partner_id": cls.partner.id,
                "team_id": cls.store.id,
                "category_id": env.ref("store_service_crm.complaint_category_installation").id,
                "description": "The washing machine leaks",
            }
        )
        complaint.action_assign()
        complaint.action_start()
        complaint.write(
            {
                "responsibility": "installation",
                "resolution_type": "repair",
                "resolution_note": "Hose fixed",
                "root_cause": "Hose not tightened",
            }
        )
        complaint.action_resolve()
        cls.action = env["store.preventive.action"].create(
            {
                "complaint_id": complaint.id,
                "name": "Installation checklist",
                "user_id": cls.clerk.id,
                "date_deadline": fields.Date.today() + timedelta(days=7),
            }
        )

    def xmlrpc(self, model, method, args, kwargs=None, context=None):
        proxy = xmlrpc.client.ServerProxy(f"{self.base_url()}/xmlrpc/2/object", allow_none=True)
        kwargs = dict(kwargs or {}, context=dict(context or {}))
        return proxy.execute_kw(
            self.env.cr.dbname, self.clerk.id, self.clerk.login, model, method, args, kwargs
        )

    def assert_refused(self, call, case):
        before = table_checksums(self.env, TABLES)
        with self.assertRaises(xmlrpc.client.Fault, msg=case), mute_logger("odoo.http"):
            call()
        self.env.invalidate_all()
        self.assertEqual(table_checksums(self.env, TABLES), before, case)

    def test_preventive_action_state_only_through_its_actions(self):
        for context in CONTEXTS:
            for vals in ({"state": "done"}, {"state": "cancelled"}, {"date_done": "2026-01-01"}):
                self.assert_refused(
                    lambda v=vals, c=context: self.xmlrpc(
                        "store.preventive.action", "write", [[self.action.id], v], context=c
                    ),
                    f"write {vals} with {context}",
                )
        self.xmlrpc("store.preventive.action", "action_done", [[self.action.id]])
        self.action.invalidate_recordset()
        self.assertEqual(self.action.state, "done")
        self.assert_refused(
            lambda: self.xmlrpc("store.preventive.action", "action_cancel", [[self.action.id]]),
            "cancel a done action",
        )

    def test_bad_reason_over_rpc_changes_nothing(self):
        for bad in (0.5, "price", [1], 10**9):
            self.assert_refused(
                lambda b=bad: self.xmlrpc(
                    "store.return.visit",
                    "action_done",
                    [[self.visit.id]],
                    {"csat_score": 3, "lost_reason_id": b},
                ),
                f"lost_reason_id={bad!r}",
            )

    def test_reason_over_rpc_reaches_the_customer(self):
        reason = self.env.ref("store_service_crm.lost_reason_price")
        self.xmlrpc(
            "store.return.visit",
            "action_done",
            [[self.visit.id]],
            {"csat_score": 2, "lost_reason_id": reason.id},
        )
        self.env.invalidate_all()
        self.assertEqual(self.visit.state, "done")
        self.assertEqual(self.partner.lost_reason_id, reason)
        self.assert_refused(
            lambda: self.xmlrpc(
                "store.return.visit",
                "write",
                [[self.visit.id], {"lost_reason_id": False}],
                context={"store_complaint_workflow": True},
            ),
            "clear the reason of a done visit",
        )
