# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""Preventive actions on resolved product / installation complaints."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import ComplaintCase, table_checksums

TABLES = ["store_preventive_action", "mail_activity", "store_complaint"]


class TestPreventiveAction(ComplaintCase):
    def _product_complaint(self, responsibility="product"):
        complaint = self._in_progress(product_id=self.product.id)
        complaint.write(
            {
                "responsibility": responsibility,
                "resolution_type": "replace",
                "resolution_note": "Replaced the fridge",
                "root_cause": "Faulty compressor batch",
            }
        )
        complaint.action_resolve()
        return complaint

    def _plan(self, complaint, user=None, **vals):
        values = {
            "complaint_id": complaint.id,
            "name": "Check every compressor before delivery",
            "user_id": self.manager.id,
            "date_deadline": fields.Date.today() + timedelta(days=10),
        }
        values.update(vals)
        return self.env["store.preventive.action"].with_user(user or self.clerk).create(values)

    def _activities(self, action):
        return self.env["mail.activity"].search(
            [("res_model", "=", "store.preventive.action"), ("res_id", "=", action.id)]
        )

    def test_planned_action_gives_its_owner_a_todo(self):
        complaint = self._product_complaint()
        action = self._plan(complaint)
        self.assertEqual(action.state, "open")
        activity = self._activities(action)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager)
        self.assertEqual(activity.date_deadline, action.date_deadline)
        self.assertEqual(complaint.preventive_open_count, 1)
        self.assertTrue(complaint.can_add_preventive_action)
        # rescheduled with the action
        action.with_user(self.clerk).write({"user_id": self.clerk.id})
        self.assertEqual(self._activities(action).user_id, self.clerk)

    def test_only_resolved_product_or_installation_complaints(self):
        open_complaint = self._in_progress()
        staff = self._resolved()
        self.assertFalse(staff.can_add_preventive_action)
        before = table_checksums(self.env, TABLES)
        for complaint in (open_complaint, staff):
            with self.assertRaises(ValidationError):
                self._plan(complaint)
        self.assertEqual(table_checksums(self.env, TABLES), before)
        self.assertTrue(self._plan(self._product_complaint("installation")))

    def test_state_changes_only_through_actions(self):
        action = self._plan(self._product_complaint())
        other = self._product_complaint()
        before = table_checksums(self.env, TABLES)
        for vals in ({"state": "done"}, {"date_done": fields.Date.today()}):
            with self.assertRaises(UserError):
                action.with_user(self.clerk).with_context(store_service_system=True).write(vals)
        with self.assertRaises(UserError):
            self._plan(other, state="done")
        self.assertEqual(table_checksums(self.env, TABLES), before)

    def test_done_closes_the_todo_and_is_final(self):
        complaint = self._product_complaint()
        action = self._plan(complaint)
        action.with_user(self.clerk).action_done()
        self.assertEqual(action.state, "done")
        self.assertEqual(action.date_done, fields.Date.today())
        self.assertFalse(self._activities(action))
        self.assertEqual(complaint.preventive_open_count, 0)
        self.assertEqual(complaint.preventive_action_count, 1)
        with self.assertRaises(UserError):
            action.with_user(self.clerk).action_cancel()
        with self.assertRaises(UserError):
            action.with_user(self.clerk).write({"name": "Something else"})

    def test_cancel_removes_the_todo(self):
        action = self._plan(self._product_complaint())
        action.with_user(self.clerk).action_cancel()
        self.assertEqual(action.state, "cancelled")
        self.assertFalse(self._activities(action))
        with self.assertRaises(UserError):
            action.with_user(self.clerk).action_done()

    def test_other_store_user_neither_sees_nor_plans(self):
        outsider = self.env["res.users"].create(
            {
                "name": "Outsider",
                "login": "ssc_outsider",
                "groups_id": [
                    fields.Command.link(self.env.ref("base.group_user").id),
                    fields.Command.link(
                        self.env.ref("store_service_crm.group_store_service_user").id
                    ),
                ],
            }
        )
        complaint = self._product_complaint()
        action = self._plan(complaint)
        self.assertFalse(
            self.env["store.preventive.action"].with_user(outsider).search([("id", "=", action.id)])
        )
        with self.assertRaises(AccessError):
            self._plan(complaint, user=outsider)

    def test_complaint_analysis_counts_open_actions(self):
        first, second = self._product_complaint(), self._product_complaint("installation")
        self._plan(first)
        self._plan(first, name="Second supplier").with_user(self.clerk).action_done()
        self._plan(second)
        self._plan(second, name="Training").with_user(self.clerk).action_cancel()
        self.env.flush_all()
        [[open_count, total]] = self.env["store.complaint.report"]._read_group(
            [("complaint_id", "in", (first | second).ids)],
            [],
            ["preventive_open_count:sum", "preventive_count:sum"],
        )
        self.assertEqual((open_count, total), (2, 4))
