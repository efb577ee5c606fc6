from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintWorkflow(ComplaintCase):
    def test_registration_gets_a_sequence_reference_and_defaults(self):
        complaint = self._complaint()
        self.assertRegex(complaint.name, r"^CMP/\d{4}/\d{5}$")
        self.assertEqual(complaint.state, "new")
        self.assertEqual(complaint.company_id, self.env.company)
        self.assertEqual(complaint.channel, "store")
        self.assertEqual(complaint.severity, "medium")
        second = self._complaint()
        self.assertNotEqual(second.name, complaint.name)

    def test_team_and_company_default_from_the_user(self):
        self.store.member_ids = [(4, self.clerk.id)]
        complaint = self.Complaint.with_user(self.clerk).create(
            {
                "partner_id": self.customer.id,
                "category_id": self.category.id,
                "description": "Scratched door",
            }
        )
        self.assertEqual(complaint.team_id, self.store)
        self.assertEqual(complaint.company_id, self.env.company)
        self.assertIn("team_id", complaint._fields)

    def test_full_workflow_new_to_closed(self):
        complaint = self._complaint()
        complaint.action_assign()
        self.assertEqual(complaint.state, "assigned")
        self.assertEqual(complaint.user_id, self.env.user)
        self.assertFalse(complaint.date_first_response)
        complaint.action_start()
        self.assertEqual(complaint.state, "in_progress")
        self.assertTrue(complaint.date_first_response)
        self._resolvable(complaint).action_resolve()
        self.assertEqual(complaint.state, "resolved")
        self.assertTrue(complaint.date_resolved)
        complaint.with_user(self.manager).with_context(
            store_complaint_close_reason="Customer confirmed in store"
        ).action_close()
        self.assertEqual(complaint.state, "closed")
        self.assertTrue(complaint.date_closed)

    def test_assign_keeps_the_chosen_handler(self):
        complaint = self._complaint(user_id=self.clerk.id)
        complaint.action_assign()
        self.assertEqual(complaint.user_id, self.clerk)

    def test_cancel_from_each_open_state(self):
        new = self._complaint()
        assigned = self._complaint()
        assigned.action_assign()
        started = self._in_progress()
        (new | assigned | started).action_cancel(reason="Registered twice")
        self.assertEqual(set((new | assigned | started).mapped("state")), {"cancelled"})
        self.assertEqual(
            set((new | assigned | started).mapped("cancel_reason")), {"Registered twice"}
        )

    def test_cancel_needs_a_reason(self):
        complaint = self._complaint()
        for reason in (None, "", "   ", 42):
            with self.subTest(reason=reason), self.assertRaises(UserError):
                complaint.with_user(self.clerk).action_cancel(reason=reason)
        self.assertEqual(complaint.state, "new")
        self.assertFalse(complaint.cancel_reason)

    def test_cancel_wizard_records_the_reason_for_a_clerk(self):
        complaint = self._complaint()
        action = complaint.with_user(self.clerk).action_open_cancel_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.clerk)
            .with_context(**action["context"])
            .create({"reason": "Customer withdrew the complaint"})
        )
        wizard.action_confirm()
        self.assertEqual(complaint.state, "cancelled")
        self.assertEqual(complaint.cancel_reason, "Customer withdrew the complaint")

    def test_wrong_state_actions_are_refused_and_change_nothing(self):
        refused = {
            "new": ["action_start", "action_resolve", "action_close", "action_reopen"],
            "assigned": ["action_assign", "action_resolve", "action_close", "action_reopen"],
            "in_progress": ["action_assign", "action_start", "action_close", "action_reopen"],
            "resolved": ["action_assign", "action_start", "action_resolve", "action_cancel"],
            "cancelled": [
                "action_assign",
                "action_start",
                "action_resolve",
                "action_close",
                "action_reopen",
                "action_cancel",
            ],
        }
        complaints = {
            "new": self._complaint(),
            "assigned": self._complaint(),
            "in_progress": self._resolvable(self._in_progress()),
            "resolved": self._resolved(),
            "cancelled": self._complaint(),
        }
        complaints["assigned"].action_assign()
        complaints["cancelled"].action_cancel(reason="Registered twice")
        for state, actions in refused.items():
            complaint = complaints[state]
            for action in actions:
                kwargs = {"reason": "A reason"} if action == "action_cancel" else {}
                with self.subTest(state=state, action=action):
                    before = complaint.read(["state", "date_resolved", "reopen_count"])[0]
                    with self.assertRaises(UserError):
                        getattr(complaint, action)(**kwargs)
                    complaint.invalidate_recordset()
                    after = complaint.read(["state", "date_resolved", "reopen_count"])[0]
                    self.assertEqual(before, after)

    def test_closed_complaint_refuses_everything_but_reopen(self):
        complaint = self._resolved()
        complaint.with_context(store_complaint_close_reason="ok").action_close()
        for action in ("action_assign", "action_start", "action_resolve", "action_cancel"):
            kwargs = {"reason": "A reason"} if action == "action_cancel" else {}
            with self.assertRaises(UserError):
                getattr(complaint, action)(**kwargs)
        self.assertEqual(complaint.state, "closed")

    def test_state_cannot_be_written_directly_whatever_the_context(self):
        complaint = self._complaint()
        for context in ({}, {"store_complaint_workflow": True}):
            as_clerk = complaint.with_user(self.clerk).with_context(**context)
            for vals in (
                {"state": "resolved"},
                {"date_resolved": "2026-01-01 10:00:00"},
                {"date_first_response": "2026-01-01 10:00:00"},
                {"response_deadline": "2099-01-01 10:00:00"},
                {"first_contact_resolution": True},
                {"reopen_count": 0},
            ):
                with self.subTest(context=context, vals=vals), self.assertRaises(UserError):
                    as_clerk.write(vals)
        self.assertEqual(complaint.state, "new")
        self.assertFalse(complaint.date_resolved)

    def test_create_in_another_state_is_refused(self):
        for context in ({}, {"store_complaint_workflow": True}):
            with self.subTest(context=context), self.assertRaises(UserError):
                self.Complaint.with_user(self.clerk).with_context(**context).create(
                    {
                        "partner_id": self.customer_no_email.id,
                        "category_id": self.category.id,
                        "description": "The fridge is noisy",
                        "team_id": self.store.id,
                        "state": "resolved",
                    }
                )
        self.assertFalse(self.Complaint.search([("description", "=", "The fridge is noisy")]))

    def test_only_a_manager_moves_the_date_received_or_archives(self):
        complaint = self._complaint()
        received = complaint.date_received
        with self.assertRaises(UserError):
            complaint.with_user(self.clerk).date_received = "2020-01-01 08:00:00"
        with self.assertRaises(UserError):
            complaint.with_user(self.clerk).active = False
        self.assertEqual(complaint.date_received, received)
        self.assertTrue(complaint.active)
        complaint.with_user(self.manager).write({"date_received": received, "active": False})
        self.assertFalse(complaint.active)

    def test_quick_create_in_a_kanban_column_registers_as_new(self):
        complaint = self.Complaint.with_context(default_state="in_progress").create(
            {
                "partner_id": self.customer.id,
                "category_id": self.category.id,
                "description": "From the kanban",
            }
        )
        self.assertEqual(complaint.state, "new")

    def test_resolve_requires_responsibility_and_resolution_type(self):
        complaint = self._in_progress()
        with self.assertRaises(UserError):
            complaint.action_resolve()
        complaint.responsibility = "staff"
        with self.assertRaises(UserError):
            complaint.action_resolve()
        self.assertEqual(complaint.state, "in_progress")
        self.assertFalse(complaint.date_resolved)

    def test_resolve_requires_root_cause_for_product_responsibility(self):
        complaint = self._in_progress()
        complaint.write({"responsibility": "product", "resolution_type": "repair"})
        with self.assertRaises(UserError):
            complaint.action_resolve()
        self.assertEqual(complaint.state, "in_progress")
        complaint.root_cause = "Compressor defect in batch 2026-03"
        complaint.action_resolve()
        self.assertEqual(complaint.state, "resolved")

    def test_close_before_verification_is_refused(self):
        complaint = self._resolved()
        with self.assertRaises(UserError):
            complaint.action_close()
        self.assertEqual(complaint.state, "resolved")
        self.assertFalse(complaint.date_closed)

    def test_close_override_needs_a_manager_and_logs_the_reason(self):
        complaint = self._resolved()
        wizard = (
            self.env["store.complaint.close.wizard"]
            .with_user(self.manager)
            .create({"complaint_ids": [(6, 0, complaint.ids)], "reason": "Customer unreachable"})
        )
        with self.assertRaises(UserError):
            complaint.with_user(self.clerk).with_context(
                store_complaint_close_reason="I say so"
            ).action_close()
        self.assertEqual(complaint.state, "resolved")
        wizard.action_confirm()
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.close_override_reason, "Customer unreachable")
        self.assertTrue(
            any("Customer unreachable" in (m.body or "") for m in complaint.message_ids)
        )

    def test_reopen_counts_and_returns_to_in_progress(self):
        complaint = self._resolved()
        complaint.action_reopen()
        self.assertEqual(complaint.state, "in_progress")
        self.assertEqual(complaint.reopen_count, 1)
        self.assertFalse(complaint.date_resolved)
        complaint.action_resolve()
        complaint.with_context(store_complaint_close_reason="ok").action_close()
        complaint.action_reopen()
        self.assertEqual(complaint.reopen_count, 2)
        self.assertEqual(complaint.state, "in_progress")
        self.assertFalse(complaint.date_closed)

    def test_negative_compensation_is_refused(self):
        complaint = self._complaint()
        with self.assertRaises(ValidationError):
            complaint.compensation_amount = -10
        complaint.invalidate_recordset()
        self.assertEqual(complaint.compensation_amount, 0)
        complaint.compensation_amount = 50
        self.assertEqual(complaint.compensation_amount, 50)

    def test_product_must_belong_to_the_order(self):
        with self.assertRaises(ValidationError):
            self._complaint(
                partner_id=self.customer.id,
                sale_order_id=self.order.id,
                product_id=self.other_product.id,
            )
        complaint = self._complaint(
            partner_id=self.customer.id, sale_order_id=self.order.id, product_id=self.product.id
        )
        with self.assertRaises(ValidationError):
            complaint.product_id = self.other_product
        self.assertEqual(complaint.product_id, self.product)

    def test_order_of_another_customer_is_refused(self):
        with self.assertRaises(ValidationError):
            self._complaint(partner_id=self.customer_no_email.id, sale_order_id=self.order.id)

    def test_clerk_cannot_delete_even_a_fresh_complaint(self):
        fresh = self._complaint()
        with self.assertRaises(UserError):  # AccessError is a UserError
            fresh.with_user(self.clerk).unlink()
        self.assertTrue(fresh.exists())
        fresh.with_user(self.manager).unlink()
        self.assertFalse(fresh.exists())

    def test_unlink_only_new_without_messages(self):
        fresh = self._complaint()
        fresh.unlink()
        self.assertFalse(fresh.exists())
        discussed = self._complaint()
        discussed.message_post(body="Called the customer", message_type="comment")
        with self.assertRaises(UserError):
            discussed.unlink()
        handled = self._complaint()
        handled.action_assign()
        with self.assertRaises(UserError):
            handled.with_user(self.manager).unlink()
        self.assertTrue(discussed.exists() and handled.exists())

    def test_first_contact_resolution_when_resolved_quickly(self):
        complaint = self._resolved()
        self.assertTrue(complaint.first_contact_resolution)

    def test_one_pass_resolution_has_no_clock_but_ends_with_a_reopen(self):
        slow = self._in_progress(date_received="2020-01-01 08:00:00")
        self._resolvable(slow).action_resolve()
        self.assertTrue(slow.first_contact_resolution, "no clock window (one-pass)")
        reopened = self._resolved()
        reopened.action_reopen()
        self.assertFalse(reopened.first_contact_resolution)
        reopened.action_resolve()
        self.assertFalse(reopened.first_contact_resolution)

    def test_handler_cannot_write_their_own_fcr(self):
        complaint = self._resolved()
        self.assertTrue(complaint.first_contact_resolution)
        with self.assertRaises(UserError):
            complaint.with_user(self.clerk).first_contact_resolution = False
        self.assertTrue(complaint.first_contact_resolution)
