# pylint: disable=unsubscriptable-object
"""Concurrency: two users on one complaint, two runs of one cron.

These tests open real cursors of their own (``registry.cursor()``): each one is
a separate PostgreSQL transaction, as two users or two workers are. What they
commit is deleted again in the cleanups.
"""

from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..tools import try_advisory_xact_lock

CTX = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}


@tagged("post_install", "-at_install")
class TestComplaintConcurrency(TransactionCase):
    """Resolve and cancel at the same time: one wins, the other gets a clear error."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CTX)
            partner = env["res.partner"].create({"name": "Concurrent customer"})
            complaint = env["store.complaint"].create(
                {
                    "partner_id": partner.id,
                    "category_id": env.ref(
                        "store_service_crm.complaint_category_product_quality"
                    ).id,
                    "description": "Two clerks at once",
                    "responsibility": "staff",
                    "resolution_type": "apology",
                }
            )
            complaint.action_assign()
            complaint.action_start()
            self.partner_id, self.complaint_id = partner.id, complaint.id
        self.addCleanup(self._delete_committed)

    def _delete_committed(self):
        with self.registry.cursor() as cr:
            ids = [self.complaint_id]
            cr.execute(SQL("SELECT id FROM store_return_visit WHERE complaint_id = ANY(%s)", ids))
            visit_ids = [row[0] for row in cr.fetchall()]
            for model, res_ids in (("store.complaint", ids), ("store.return.visit", visit_ids)):
                for table, column in (
                    ("mail_activity", "res_model"),
                    ("mail_followers", "res_model"),
                    ("mail_message", "model"),
                    ("rating_rating", "res_model"),
                ):
                    cr.execute(
                        SQL(
                            "DELETE FROM %s WHERE %s = %s AND res_id = ANY(%s)",
                            SQL.identifier(table),
                            SQL.identifier(column),
                            model,
                            res_ids,
                        )
                    )
            cr.execute(SQL("DELETE FROM store_return_visit WHERE id = ANY(%s)", visit_ids))
            cr.execute(SQL("DELETE FROM store_complaint WHERE id = ANY(%s)", ids))
            cr.execute(SQL("DELETE FROM res_partner WHERE id = %s", self.partner_id))

    def _complaint(self, cr):
        return api.Environment(cr, SUPERUSER_ID, CTX)["store.complaint"].browse(self.complaint_id)

    def _state(self):
        with self.registry.cursor() as cr:
            cr.execute("SELECT state FROM store_complaint WHERE id = %s", [self.complaint_id])
            return cr.fetchone()[0]

    def test_second_user_gets_an_error_while_the_first_one_acts(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            # not committed yet: the row is locked
            self._complaint(cr1).action_cancel(reason="Duplicate")
            with self.assertRaisesRegex(UserError, "Someone else is changing the complaint"):
                self._complaint(cr2).action_resolve()
            cr2.rollback()
            cr1.commit()
        self.assertEqual(self._state(), "cancelled")

    def test_second_user_with_a_stale_view_gets_an_error(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            loser = self._complaint(cr2)
            self.assertEqual(loser.state, "in_progress")  # cr2's snapshot starts here
            self._complaint(cr1).action_resolve()
            cr1.commit()
            with self.assertRaisesRegex(UserError, "was just changed by someone else"):
                loser.action_cancel(reason="Duplicate")
            cr2.rollback()
        self.assertEqual(self._state(), "resolved")

    def test_next_attempt_sees_the_new_state(self):
        with self.registry.cursor() as cr1:
            self._complaint(cr1).action_resolve()
        with (
            self.registry.cursor() as cr2,
            self.assertRaisesRegex(UserError, "Cancel is not possible .* Resolved"),
        ):
            self._complaint(cr2).action_cancel(reason="Duplicate")
        self.assertEqual(self._state(), "resolved")


@tagged("post_install", "-at_install")
class TestCronRunLocks(TransactionCase):
    """A cron run started while another one holds the job's lock does nothing."""

    def _hold(self, name):
        """Hold the lock ``name`` in another transaction until the test ends."""
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        self.assertTrue(try_advisory_xact_lock(cr, name))
        return cr

    def _breached_complaint(self):
        complaint = (
            self.env["store.complaint"]
            .with_context(**CTX)
            .create(
                {
                    "partner_id": self.env["res.partner"].create({"name": "Late"}).id,
                    "category_id": self.env.ref(
                        "store_service_crm.complaint_category_product_quality"
                    ).id,
                    "description": "Nobody answered",
                    "date_received": fields.Datetime.now() - timedelta(days=10),
                }
            )
        )
        self.env.company.complaint_service_manager_id = self.env.ref("base.user_admin")
        return complaint

    def test_escalation_skips_while_another_run_holds_the_lock(self):
        complaint = self._breached_complaint()
        other = self._hold("complaint_escalation")
        self.assertFalse(self.env["store.complaint"]._cron_escalate())
        self.assertEqual(complaint.escalation_level, 0)
        other.rollback()  # the other run ends
        self.assertIn(complaint, self.env["store.complaint"]._cron_escalate())
        self.assertEqual(complaint.escalation_level, 1)

    def test_escalation_of_one_batch_happens_once(self):
        complaint = self._breached_complaint()
        Complaint = self.env["store.complaint"]
        Complaint._cron_escalate()
        activities = complaint.activity_ids
        self.assertEqual(len(activities), 1)
        Complaint._cron_escalate()  # a second run (or a rerun after a kill) adds nothing
        self.assertEqual(complaint.activity_ids, activities)
        self.assertEqual(complaint.escalation_level, 1)

    def test_loyalty_recompute_skips_while_another_run_holds_the_lock(self):
        self._hold("loyalty_recompute")
        history = self.env["store.loyalty.tier.history"].search_count([])
        with patch.object(type(self.env.cr), "commit") as commit:
            self.assertEqual(self.env["res.partner"]._recompute_loyalty_all(commit=True), 0)
        commit.assert_not_called()
        self.assertEqual(self.env["store.loyalty.tier.history"].search_count([]), history)

    def test_visit_generation_skips_while_another_run_holds_the_lock(self):
        product = self.env["product.product"].create({"name": "Fridge", "type": "consu"})
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Buyer"}).id,
                "order_line": [fields.Command.create({"product_id": product.id})],
            }
        )
        order.action_confirm()
        Visit = self.env["store.return.visit"]
        planned = Visit.search([("sale_order_id", "=", order.id)])
        self.assertTrue(planned, "the purchase rule plans a visit on confirmation")
        planned.unlink()  # as if the generation had not run yet
        self._hold("return_visit_generation")
        with patch.object(type(self.env.cr), "commit") as commit:
            self.env["store.return.visit.rule"]._cron_generate_visits()
        commit.assert_not_called()
        self.assertFalse(Visit.search([("sale_order_id", "=", order.id)]))
        # the same generation without the run lock plans it
        self.env["store.return.visit.rule"].search([])._generate(commit=False)
        self.assertTrue(Visit.search([("sale_order_id", "=", order.id)]))
