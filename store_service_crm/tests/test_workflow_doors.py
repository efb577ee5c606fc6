# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""The one door, declared once: every feature's workflow fields are refused by the
same check (``tools.refuse_workflow_fields`` over ``_workflow_doors()``), on
complaints, return visits and preventive actions, whatever the context, naming the
fields refused; empty values on create are no change; superuser mode passes."""

import re
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError

from ..tools import EMPTY_VALUES
from .common import ComplaintCase, table_checksums

TABLES = ["store_complaint", "store_return_visit", "store_preventive_action"]
# the doors each model must have (one per feature): a field of each
COMPLAINT_DOORS = {
    "state",  # core
    "dispatch_state",  # on-site service
    "compensation_approval_state",  # compensation approval
    "on_hold",  # waiting for the customer
    "merged_into_id",  # merge
}
# a context a hostile client may send: it switches nothing off
HOSTILE_CONTEXT = {"active_test": False, "tracking_disable": True, "install_mode": True}


class TestWorkflowDoors(ComplaintCase):
    def _label(self, record, name):
        return record._fields[name]._description_string(record.env)

    def _assert_refused(self, call, labels):
        before = table_checksums(self.env, TABLES)
        with self.assertRaises(UserError) as caught:
            call()
        for label in labels:
            self.assertIn(label, str(caught.exception))
        self.env.invalidate_all()
        self.assertEqual(table_checksums(self.env, TABLES), before)

    def test_every_feature_declares_one_door(self):
        doors = self.env["store.complaint"]._workflow_doors()
        for name in COMPLAINT_DOORS:
            self.assertEqual(
                sum(name in door.fields for door in doors), 1, f"{name} is in exactly one door"
            )
        for door in doors:
            self.assertIn("%(fields)s", self.env._(door.message))
        for model in ("store.return.visit", "store.preventive.action"):
            # the core's door first (a bridge may add its own after it)
            self.assertIn("state", self.env[model]._workflow_doors()[0].fields)

    def test_complaint_write_refuses_every_door_field(self):
        complaint = self._complaint().with_user(self.manager).with_context(**HOSTILE_CONTEXT)
        for door in complaint._workflow_doors():
            for name in sorted(door.fields):
                with self.subTest(field=name):
                    self._assert_refused(
                        lambda n=name: complaint.write({n: False}),
                        [self._label(complaint, name)],
                    )

    def test_complaint_write_names_every_field_refused(self):
        complaint = self._complaint().with_user(self.manager)
        names = ["date_resolved", "reopen_count"]
        self._assert_refused(
            lambda: complaint.write(dict.fromkeys(names, 1)),
            [self._label(complaint, name) for name in names],
        )

    def test_complaint_create_refuses_values_accepts_empty_ones(self):
        Complaint = self.Complaint.with_user(self.manager).with_context(**HOSTILE_CONTEXT)
        base = {
            "partner_id": self.customer_no_email.id,
            "category_id": self.category.id,
            "description": "The fridge is noisy",
            "team_id": self.store.id,
        }
        for door in Complaint._workflow_doors():
            for name in sorted(door.fields - {"state"}):
                with self.subTest(field=name):
                    self._assert_refused(
                        lambda n=name: Complaint.create(dict(base, **{n: 1})),
                        [self._label(Complaint, name)],
                    )
        # a client sending the whole record: the empty values (and "none" for the
        # dispatch and the approval) are what a new complaint has anyway
        empty = dict(base, state="new", dispatch_state="none")
        empty["compensation_approval_state"] = "none"
        for door in Complaint._workflow_doors():
            for name in door.fields - {"state", "dispatch_state", "compensation_approval_state"}:
                empty[name] = EMPTY_VALUES[0]
        complaint = Complaint.create(empty)
        self.assertEqual(complaint.state, "new")
        self.assertFalse(complaint.merged_into_id)
        self.assertFalse(complaint.on_hold)
        with self.assertRaisesRegex(UserError, "always registered as new"):
            Complaint.create(dict(base, state="resolved"))

    def test_superuser_passes_the_door(self):
        complaint = self._complaint()
        complaint.sudo().write({"on_hold": True, "hold_reason": "Away"})
        self.assertTrue(complaint.on_hold)

    def test_message_is_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["store_service_crm"], ["zh_CN"], overwrite=True
        )
        complaint = self._complaint().with_user(self.manager).with_context(lang="zh_CN")
        for name, chinese in (
            ("merged_into_id", "合并"),
            ("on_hold", "等待客户"),
            ("compensation_approval_state", "补偿审批"),
            ("dispatch_state", "上门服务"),
            ("state", "流程数据"),
        ):
            with self.subTest(field=name):
                label = self._label(complaint, name)
                with self.assertRaisesRegex(UserError, re.escape(label)) as caught:
                    complaint.write({name: False})
                self.assertIn(chinese, str(caught.exception))

    def test_visit_door(self):
        Visit = self.env["store.return.visit"].with_user(self.manager)
        visit = Visit.create(
            {
                "partner_id": self.customer.id,
                "team_id": self.store.id,
                "state": "planned",
                "care_visit": True,
                "attempt_count": 0,
            }
        )
        self.assertEqual(visit.state, "planned")
        for name in ("state", "date_done", "attempt_count", "rule_id", "merged_into_id"):
            with self.subTest(field=name):
                self._assert_refused(
                    lambda n=name: visit.write({n: False}), [self._label(visit, name)]
                )
        self._assert_refused(
            lambda: Visit.create({"partner_id": self.customer.id, "state": "done"}),
            [self._label(visit, "state")],
        )
        self._assert_refused(
            lambda: Visit.create({"partner_id": self.customer.id, "source_id": 7}),
            [self._label(visit, "source_id")],
        )

    def test_visit_answer_frozen_once_done(self):
        visit = self.env["store.return.visit"].create(
            {"partner_id": self.customer.id, "team_id": self.store.id}
        )
        visit.action_done(csat_score=4)
        reason = self.env["store.lost.reason"].search([], limit=1)
        self.assertTrue(reason, "the addon ships lost reasons")
        for vals in ({"csat_score": 2}, {"lost_reason_id": reason.id}):
            with self.subTest(vals=vals):
                self._assert_refused(
                    lambda v=vals: visit.with_user(self.clerk).write(v), [visit.display_name]
                )
        visit.with_user(self.manager).write({"lost_reason_id": reason.id})
        self.assertEqual(visit.lost_reason_id, reason)

    def test_preventive_action_door(self):
        complaint = self._in_progress(product_id=self.product.id)
        complaint.write(
            {
                "responsibility": "product",
                "resolution_type": "replace",
                "resolution_note": "Replaced",
                "root_cause": "Faulty batch",
            }
        )
        complaint.action_resolve()
        Action = self.env["store.preventive.action"].with_user(self.manager)
        values = {
            "complaint_id": complaint.id,
            "name": "Check compressors",
            "user_id": self.manager.id,
            "date_deadline": fields.Date.today() + timedelta(days=10),
        }
        action = Action.create(dict(values, state="open", date_done=False))
        self.assertEqual(action.state, "open")
        self._assert_refused(
            lambda: Action.create(dict(values, state="done")), [self._label(action, "state")]
        )
        self._assert_refused(
            lambda: action.write({"date_done": False}), [self._label(action, "date_done")]
        )
