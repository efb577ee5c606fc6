# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""The nightly tier recompute, incremental (issue 18): whom it recomputes, and that
it ends where the full recompute ends."""

import threading
from datetime import datetime, time, timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from ..models.res_partner_loyalty_incremental import INCREMENTAL_FIGURES, LOYALTY_WORKERS_PARAM
from ..tools import split_batches
from .test_loyalty import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyIncremental(LoyaltyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Pending = cls.env["store.loyalty.pending"]
        cls.today = fields.Date.context_today(cls.env.user)

    def _unsettled_order(self, partner, amount, date=None):
        """A confirmed order whose customer stays queued (the pending cron not run)."""
        order = self.SaleOrder.create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "order_line": [
                    (0, 0, {"product_id": self.product.id, "price_unit": amount, "tax_id": False})
                ],
            }
        )
        order.action_confirm()
        if date:
            order.date_order = date
        return order

    def _tamper(self, partner, count=99):
        """Write a wrong order count behind the ORM: recomputing the customer repairs it."""
        self.env.cr.execute(
            "UPDATE res_partner SET loyalty_order_count = %s WHERE id = %s", [count, partner.id]
        )
        self.env["res.partner"].invalidate_model(["loyalty_order_count"])

    def _nightly(self):
        result = self.env["res.partner"]._recompute_loyalty_nightly()
        self.env.invalidate_all()
        return result

    def _full(self):
        self.env["res.partner"]._recompute_loyalty_all()
        self.env.invalidate_all()

    def test_first_run_is_full_then_incremental(self):
        self.env["ir.config_parameter"].set_param("store_service_crm.loyalty_last_run", "")
        self.assertEqual(self._nightly()[0], "full")
        self.assertEqual(self._nightly(), ("incremental", 0), "nothing changed since")

    def test_full_run_takes_the_queue(self):
        """A full run evaluates the queued customers too: their queue rows go with it,
        and the next night has nothing to redo for them."""
        buyer = self._customer("Mrs. Queued")
        self._order(buyer, 800)
        self._full()
        self._unsettled_order(buyer, 700)
        self._unsettled_order(buyer, 100)
        self.assertEqual(len(self.Pending.search([("partner_id", "=", buyer.id)])), 2)
        self._full()
        self.assertEqual(buyer.loyalty_spend, 1600.0)
        self.assertEqual(buyer.loyalty_order_count, 3)
        self.assertFalse(self.Pending.search([]), "the queue is emptied by the full run")
        self.assertEqual(self._nightly(), ("incremental", 0))

    def test_confirmed_and_cancelled_orders_recompute_only_their_customer(self):
        buyer, bystander = self._customer("Mr. Buyer"), self._customer("Mrs. Bystander")
        self._order(buyer, 800)
        self._order(bystander, 800)
        self._full()
        self._tamper(bystander)
        order = self._unsettled_order(buyer, 700)
        self.assertEqual(self.Pending.search([]).partner_id, buyer)
        self.assertEqual(self._nightly(), ("incremental", 1))
        self.assertEqual(buyer.loyalty_spend, 1500.0)
        self.assertEqual(buyer.loyalty_order_count, 2)
        self.assertEqual(buyer.loyalty_tier_id, self.silver)
        self.assertEqual(bystander.loyalty_order_count, 99, "not recomputed")
        self.assertFalse(self.Pending.search([]), "the queue is emptied")
        order._action_cancel()
        self.assertEqual(self._nightly(), ("incremental", 1))
        self.assertEqual(buyer.loyalty_spend, 800.0)
        self.assertEqual(buyer.loyalty_order_count, 1)
        self.assertEqual(bystander.loyalty_order_count, 99)

    def test_an_order_leaving_the_window_drops_the_tier(self):
        self.company.loyalty_downgrade_grace_days = 0
        customer, bystander = self._customer("Mrs. Edge"), self._customer("Mr. Recent")
        # 12 months minus one day ago: the first day after tomorrow's window start
        start = self.today - relativedelta(months=12)
        self._unsettled_order(
            customer, 800, date=datetime.combine(start + timedelta(days=1), time(10))
        )
        self._order(customer, 800)
        self._order(bystander, 100)
        self._full()
        self.assertEqual(customer.loyalty_tier_id, self.silver)
        self._tamper(bystander)
        with freeze_time(self.today + timedelta(days=2)):
            mode, count = self._nightly()
        self.assertEqual(mode, "incremental")
        self.assertGreaterEqual(count, 1)
        self.assertEqual(customer.loyalty_spend, 800.0)
        self.assertEqual(customer.loyalty_order_count, 1)
        self.assertEqual(customer.loyalty_tier_id, self.standard)
        self.assertEqual(bystander.loyalty_order_count, 99, "no order of his left the window")

    def test_lifecycle_and_grace_edges(self):
        newcomer = self._customer("Ms. Newcomer")
        # dated from the user's today (his time zone may be a day ahead of UTC)
        self._unsettled_order(
            newcomer, 100, date=datetime.combine(self.today - timedelta(days=89), time(12))
        )
        refund = self._customer("Mr. Refund")
        self._order(refund, 800)
        cancelled = self._order(refund, 800)
        cancelled._action_cancel()
        self._settle()
        self._full()
        self.assertEqual(newcomer.customer_lifecycle, "new")
        self.assertEqual(refund.loyalty_tier_id, self.silver, "in the grace period")
        with freeze_time(self.today + timedelta(days=2)):
            self.assertEqual(self._nightly()[0], "incremental")
            self.assertEqual(newcomer.customer_lifecycle, "active")
            self.assertEqual(refund.loyalty_tier_id, self.silver)
        # weekly full run: keep the last full run within the week for this test
        self.env["ir.config_parameter"].set_param("store_service_crm.loyalty_full_every_days", 60)
        with freeze_time(self.today + timedelta(days=30)):
            self.assertEqual(self._nightly()[0], "incremental")
            self.assertEqual(refund.loyalty_tier_id, self.standard, "grace period over")
            self.assertFalse(refund.loyalty_downgrade_since)

    def test_threshold_change_recomputes_everyone(self):
        first, second = self._customer("Mr. One"), self._customer("Mrs. Two")
        self._order(first, 600)
        self._order(second, 600)
        self._full()
        self._tamper(first)
        self._tamper(second)
        self.silver.min_orders = 1
        self.silver.min_spend = 500
        self.assertEqual(self._nightly()[0], "full")
        self.assertEqual((first | second).mapped("loyalty_order_count"), [1, 1])
        self.assertEqual((first | second).loyalty_tier_id, self.silver)

    def test_a_tier_set_by_hand_waits_for_the_night(self):
        customer = self._customer("Mr. Favourite")
        self._order(customer, 100)
        self._full()
        customer.with_user(self.users["manager"]).loyalty_tier_id = self.vip
        queued = self.Pending.search([("partner_id", "=", customer.id)])
        self.assertTrue(queued.nightly)
        self.Pending._cron_recompute_pending()
        self.assertEqual(customer.loyalty_tier_id, self.vip, "the pending cron leaves it")
        self.assertEqual(self._nightly(), ("incremental", 1))
        # not locked: recomputed, a downgrade (as the full run does): the grace period starts
        self.assertEqual(customer.loyalty_tier_id, self.vip)
        self.assertEqual(customer.loyalty_downgrade_since, self.today)
        customer.with_user(self.users["manager"]).loyalty_tier_locked = True
        self.assertEqual(self._nightly(), ("incremental", 1))
        self.assertEqual(customer.loyalty_tier_id, self.vip, "locked")
        self.assertFalse(customer.loyalty_downgrade_since)

    def _queued_customers(self, count, prefix):
        """Customers with a settled order (a full run), then an order each that stays
        queued."""
        customers = self.Partner.create(
            [{"name": f"{prefix} {i}", "company_id": self.company.id} for i in range(count)]
        )
        for customer in customers:
            self._order(customer, 100)
        self._full()
        for customer in customers:
            self._unsettled_order(customer, 900)
        return customers

    def test_committed_batches_and_a_clean_rerun(self):
        customers = self._queued_customers(5, "Batch")
        progress = []

        def notify(cron_self, *, done, remaining, deactivate=False):
            progress.append((done, remaining))

        # one connection: the batches one after the other, in the cron's transaction
        self.env["ir.config_parameter"].set_param(LOYALTY_WORKERS_PARAM, "1")
        with (
            patch.object(self.env.cr, "commit") as commit,
            patch.object(type(self.env["ir.cron"]), "_notify_progress", notify),
        ):
            mode, count = self.env["res.partner"]._recompute_loyalty_nightly(
                commit=True, batch_size=2
            )
        self.assertEqual((mode, count), ("incremental", 5))
        self.assertEqual(commit.call_count, 3 + 1, "one per batch of 2, one at the end")
        self.assertEqual(progress, [(2, 3), (4, 1), (5, 0), (5, 0)])
        self.env.invalidate_all()
        self.assertEqual(customers.mapped("loyalty_order_count"), [2] * 5)
        self.assertEqual(customers.loyalty_tier_id, self.silver)
        self.assertFalse(self.Pending.search([]))
        self.assertEqual(self._nightly(), ("incremental", 0))

    def test_split_batches(self):
        self.assertEqual(split_batches([], 2), [])
        self.assertEqual(split_batches([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]])
        self.assertEqual(split_batches([1], 10, parts=2), [[1]])
        self.assertEqual(split_batches([1, 2], 10, parts=3), [[1], [2]], "no empty batch")
        # two workers, a batch each rather than one full batch and a small one
        self.assertEqual(split_batches(list(range(7)), 20000, parts=2), [[0, 1, 2, 3], [4, 5, 6]])
        # a multiple of the workers, sizes within one of each other
        self.assertEqual(
            [len(batch) for batch in split_batches(list(range(9)), 4, parts=2)], [3, 2, 2, 2]
        )

    def test_workers_parameter(self):
        Partner, ICP = self.env["res.partner"], self.env["ir.config_parameter"]
        ICP.set_param(LOYALTY_WORKERS_PARAM, "")
        self.assertEqual(Partner._loyalty_workers(), 2, "the default")
        ICP.set_param(LOYALTY_WORKERS_PARAM, "4")
        self.assertEqual(Partner._loyalty_workers(), 4)
        ICP.set_param(LOYALTY_WORKERS_PARAM, "0")
        self.assertEqual(Partner._loyalty_workers(), 1, "at least one")
        ICP.set_param(LOYALTY_WORKERS_PARAM, "two")
        with self.assertLogs("odoo.addons.store_service_crm", "WARNING") as logs:
            self.assertEqual(Partner._loyalty_workers(), 2, "not a number: the default")
        self.assertIn("not a number of connections", logs.output[0])

    def _run_on_workers(self, batch_size, fail_on=None):
        """The cron's incremental run with its batches on 3 worker threads. In test mode
        each worker's cursor is a test cursor on this test's transaction (taken in
        turn, so the workers do not really overlap here; they do on a server)."""
        Partner = self.env["res.partner"]
        self.env["ir.config_parameter"].set_param(LOYALTY_WORKERS_PARAM, "3")
        progress, threads = [], set()
        recompute_batch = type(Partner)._loyalty_recompute_batch

        def notify(cron_self, *, done, remaining, deactivate=False):
            progress.append((done, remaining))

        def batch_on_worker(partner_self, batch, max_pending):
            threads.add(threading.current_thread().name)
            if fail_on and fail_on in batch:
                raise RuntimeError("a worker's batch failed")
            return recompute_batch(partner_self, batch, max_pending)

        ctx = Partner._loyalty_context()
        last = Partner._loyalty_incremental_start(ctx)
        self.assertTrue(last, "an incremental run")
        self.env.flush_all()
        self.registry.enter_test_mode(self.cr)
        try:
            with (
                patch.object(self.env.cr, "commit") as commit,
                patch.object(type(self.env["ir.cron"]), "_notify_progress", notify),
                patch.object(type(Partner), "_loyalty_recompute_batch", batch_on_worker),
            ):
                count = Partner._recompute_loyalty_incremental(
                    ctx, last, commit=True, batch_size=batch_size
                )
        finally:
            self.registry.leave_test_mode()
        self.env.invalidate_all()
        return count, progress, threads, commit.call_count

    def test_batches_on_worker_connections(self):
        customers = self._queued_customers(6, "Worker")
        count, progress, threads, commits = self._run_on_workers(batch_size=2)
        self.assertEqual(count, 6)
        self.assertEqual(len(progress), 3 + 1, "each batch as it ends, then the end")
        self.assertEqual([d + r for d, r in progress], [6] * 4)
        self.assertEqual(progress[-1], (6, 0))
        self.assertEqual(commits, 1 + 3 + 1, "before the workers, the progress, the end")
        self.assertTrue(threads)
        self.assertTrue(all(name.startswith("loyalty") for name in threads), threads)
        self.assertNotIn(threading.current_thread().name, threads)
        self.assertEqual(customers.mapped("loyalty_order_count"), [2] * 6)
        self.assertEqual(customers.loyalty_tier_id, self.silver)
        self.assertFalse(self.Pending.search([]), "each batch removed its queue rows")
        self.assertEqual(self._nightly(), ("incremental", 0))

    def test_a_failed_worker_batch_fails_the_run(self):
        """The failed batch changes nothing, the run's date is not saved: the next run
        redoes the day. (Whether the batches not started yet were cancelled depends on
        the threads' timing: they are then redone too.)"""
        customers = self._queued_customers(4, "Failing")
        state = self.env["res.partner"]._loyalty_last_run_state()
        with self.assertRaisesRegex(RuntimeError, "a worker's batch failed"):
            self._run_on_workers(batch_size=2, fail_on=customers[0].id)
        self.assertEqual(self.env["res.partner"]._loyalty_last_run_state(), state)
        failed = customers[:2]  # the first of three batches (2, 1, 1)
        self.assertEqual(failed.mapped("loyalty_order_count"), [1, 1], "its batch rolled back")
        self.assertEqual(self.Pending.search([("partner_id", "in", failed.ids)]).partner_id, failed)
        mode, count = self._nightly()
        self.assertEqual(mode, "incremental")
        self.assertIn(count, (2, 3, 4), "the failed batch, and any batch cancelled")
        self.assertEqual(customers.mapped("loyalty_order_count"), [2] * 4)
        self.assertFalse(self.Pending.search([]))

    def _snapshot(self):
        self.env["res.partner"].flush_model()
        self.env.cr.execute(
            f"""SELECT id, {", ".join(INCREMENTAL_FIGURES)} FROM res_partner
                 WHERE id = commercial_partner_id ORDER BY id"""
        )
        return self.env.cr.fetchall()

    def test_incremental_equals_full_on_the_demo_data(self):
        """The demo chain and this chain: a day of changes (orders confirmed and
        cancelled), then three days later the incremental run, then the full one."""
        self._full()
        demo_orders = self.env["sale.order"].search([("state", "=", "sale")], limit=6)
        self.assertTrue(demo_orders, "demo data")
        demo_orders[:2]._action_cancel()
        for order in demo_orders[2:4]:
            order.date_order = fields.Datetime.now() - relativedelta(months=12, days=-1)
        self._settle()  # those leave the window in three days: the edge, not the queue
        customers = self.Partner.create(
            [{"name": f"Equal {i}", "company_id": self.company.id} for i in range(3)]
        )
        for i, customer in enumerate(customers):
            self._unsettled_order(customer, 700 * (i + 1))
            self._unsettled_order(customer, 400, date=fields.Datetime.now() - timedelta(days=89))
        with freeze_time(self.today + timedelta(days=3)):
            self.assertEqual(self._nightly()[0], "incremental")
            incremental = self._snapshot()
            self._full()
            self.assertEqual(self._snapshot(), incremental)
