# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
from datetime import datetime, time, timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import make_users


class LoyaltyCase(TransactionCase):
    """A chain of its own (a separate company) so that demo customers don't count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = make_users(cls.env)
        cls.usd = cls.env.ref("base.USD")
        cls.company = cls.env["res.company"].create(
            {"name": "Loyalty Test Chain", "currency_id": cls.usd.id}
        )
        cls.env.user.company_ids |= cls.company
        for user in cls.users.values():
            user.company_ids |= cls.company
        Tier = cls.env["store.loyalty.tier"]
        cls.standard, cls.silver, cls.gold, cls.vip = (
            Tier.create(
                {
                    "name": name,
                    "sequence": seq,
                    "min_spend": spend,
                    "min_orders": orders,
                    "company_id": cls.company.id,
                }
            )
            for seq, (name, spend, orders) in enumerate(
                [
                    ("T-Standard", 0, 0),
                    ("T-Silver", 1000, 2),
                    ("T-Gold", 10000, 4),
                    ("T-VIP", 50000, 8),
                ]
            )
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Refrigerator", "list_price": 800.0, "type": "consu", "taxes_id": False}
        )
        cls.SaleOrder = cls.env["sale.order"].with_company(cls.company)
        cls.Partner = cls.env["res.partner"].with_company(cls.company)

    @classmethod
    def _customer(cls, name, **vals):
        return cls.Partner.create({"name": name, "company_id": cls.company.id, **vals})

    @classmethod
    def _order(cls, partner, amount, days_ago=None, confirm=True, **vals):
        order = cls.SaleOrder.create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [(6, 0, [])],
                        },
                    )
                ],
                **vals,
            }
        )
        if confirm:
            order.action_confirm()
        if days_ago is not None:
            order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        cls._settle()
        return order

    @classmethod
    def _settle(cls):
        """Run the deferred recompute of the customers queued by their orders (the cron
        ``ir_cron_loyalty_pending``, triggered by the order, does it after the commit)."""
        cls.env["store.loyalty.pending"]._cron_recompute_pending()
        cls.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestLoyaltyMoves(LoyaltyCase):
    def test_confirming_second_order_upgrades_tier_at_once(self):
        customer = self._customer("Ms. Wang")
        self._order(customer, 800)
        self.assertEqual(customer.loyalty_tier_id, self.standard)
        self.assertEqual(customer.loyalty_order_count, 1)
        order = self._order(customer, 700)
        self.assertEqual(customer.loyalty_tier_id, self.silver)
        self.assertEqual(customer.loyalty_spend, 1500.0)
        self.assertEqual(customer.loyalty_order_count, 2)
        self.assertEqual(customer.loyalty_last_order_date, order.date_order.date())
        self.assertEqual(order.partner_loyalty_tier_id, self.silver)

    def test_confirming_an_order_queues_the_customer_instead_of_writing_it(self):
        """The order's transaction does not write (nor lock) the customer's row: it
        queues the customer and triggers the cron, which recomputes set-based."""
        customer = self._customer("Ms. Busy")
        order = self._order(customer, 800, confirm=False)
        cron = self.env.ref("store_service_crm.ir_cron_loyalty_pending")
        Trigger = self.env["ir.cron.trigger"].sudo()
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        Partner = type(self.env["res.partner"])
        with patch.object(Partner, "_recompute_loyalty", autospec=True) as recompute:
            order.action_confirm()
            order.order_line.price_unit = 900
        recompute.assert_not_called()
        pending = self.env["store.loyalty.pending"].search([("partner_id", "=", customer.id)])
        self.assertTrue(pending)
        self.assertGreater(Trigger.search_count([("cron_id", "=", cron.id)]), triggers)
        self.assertEqual(customer.loyalty_spend, 0.0)
        self._settle()
        self.assertEqual(customer.loyalty_spend, 900.0)
        self.assertEqual(customer.loyalty_order_count, 1)
        self.assertFalse(pending.exists(), "the queue is emptied by the recompute")

    def test_quotations_do_not_count(self):
        customer = self._customer("Mr. Quote")
        self._order(customer, 5000, confirm=False)
        self.assertEqual(customer.loyalty_spend, 0.0)
        self.assertEqual(customer.loyalty_order_count, 0)

    def test_cancellation_lowers_spend(self):
        customer = self._customer("Mr. Li")
        self._order(customer, 800)
        order = self._order(customer, 700)
        order._action_cancel()
        self._settle()
        self.assertEqual(customer.loyalty_spend, 800.0)
        self.assertEqual(customer.loyalty_order_count, 1)

    def test_changing_a_confirmed_order_amount_moves_spend(self):
        customer = self._customer("Mr. Upsell")
        order = self._order(customer, 800)
        order.order_line.price_unit = 1200
        self._settle()
        self.assertEqual(customer.loyalty_spend, 1200.0)
        order.order_line = [
            (0, 0, {"product_id": self.product.id, "price_unit": 300, "tax_id": [(6, 0, [])]})
        ]
        self._settle()
        self.assertEqual(customer.loyalty_spend, 1500.0)

    def test_window_edge(self):
        """An order one day before the window doesn't count; one on its first day does."""
        customer = self._customer("Mrs. Zhao")
        today = fields.Date.context_today(customer)
        start = today - relativedelta(months=self.company.loyalty_window_months)
        inside = self._order(customer, 300)
        inside.date_order = datetime.combine(start, time(0, 0))
        outside = self._order(customer, 500)
        outside.date_order = datetime.combine(start - timedelta(days=1), time(23, 59))
        self._settle()
        self.assertEqual(customer.loyalty_spend, 300.0)
        self.assertEqual(customer.loyalty_order_count, 1)
        self.assertEqual(customer.loyalty_first_order_date, start - timedelta(days=1))

    def test_redating_an_order_out_of_the_window_lowers_spend(self):
        customer = self._customer("Mr. Sun")
        order = self._order(customer, 900)
        self.assertEqual(customer.loyalty_spend, 900.0)
        order.date_order = fields.Datetime.now() - relativedelta(months=13)
        self._settle()
        self.assertEqual(customer.loyalty_spend, 0.0)
        self.assertEqual(customer.loyalty_last_order_date, order.date_order.date())

    def test_changing_the_window_triggers_a_recompute(self):
        cron = self.env.ref("store_service_crm.ir_cron_loyalty_recompute")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        self.company.loyalty_window_months = 24
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before + 1)

    def test_wider_window_counts_older_orders(self):
        customer = self._customer("Mr. Old Buyer")
        self._order(customer, 600, days_ago=500)
        self._order(customer, 600, days_ago=10)
        self.assertEqual(customer.loyalty_order_count, 1)
        self.company.loyalty_window_months = 24
        self.env["res.partner"]._recompute_loyalty_all()
        self.assertEqual(customer.loyalty_order_count, 2)
        self.assertEqual(customer.loyalty_tier_id, self.silver)

    def test_multi_currency_converted_at_order_date(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        order_day = fields.Date.today() - timedelta(days=40)
        self.env["res.currency.rate"].create(
            [
                {
                    "name": order_day,
                    "rate": 2.0,
                    "currency_id": eur.id,
                    "company_id": self.company.id,
                },
                {
                    "name": fields.Date.today(),
                    "rate": 4.0,
                    "currency_id": eur.id,
                    "company_id": self.company.id,
                },
            ]
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR list", "currency_id": eur.id, "company_id": self.company.id}
        )
        customer = self._customer("Herr Braun")
        order = self._order(customer, 1000, confirm=False, pricelist_id=pricelist.id)
        order.action_confirm()
        order.date_order = datetime.combine(order_day, time(12, 0))
        self._settle()
        self.assertEqual(order.currency_id, eur)
        # 1000 EUR at 2 EUR per USD on the order date, not at today's 4.
        self.assertEqual(customer.loyalty_spend, 500.0)

    def test_company_contacts_roll_up_into_the_company(self):
        company = self._customer("Tile Works Ltd", is_company=True)
        buyer = self._customer("Mr. Chen", parent_id=company.id)
        other = self._customer("Ms. Chen", parent_id=company.id)
        self._order(buyer, 700)
        self._order(other, 600)
        self.assertEqual(company.loyalty_spend, 1300.0)
        self.assertEqual(company.loyalty_order_count, 2)
        self.assertEqual(company.loyalty_tier_id, self.silver)
        self.assertEqual(buyer.loyalty_spend, 1300.0)
        self.assertEqual(buyer.loyalty_tier_id, self.silver)
        history = self.env["store.loyalty.tier.history"].search(
            [("partner_id", "in", (buyer | other).ids)]
        )
        self.assertFalse(history, "history is kept on the company, not on its contacts")

    def test_sale_order_shows_the_customer_tier(self):
        company = self._customer("Builders Co", is_company=True)
        buyer = self._customer("Site Manager", parent_id=company.id)
        self._order(buyer, 800)
        order = self._order(buyer, 800)
        self.assertEqual(order.partner_loyalty_tier_id, self.silver)


@tagged("post_install", "-at_install")
class TestLoyaltyTiers(LoyaltyCase):
    def test_highest_thresholds_met_win_not_the_sequence(self):
        self.gold.sequence = -1
        customer = self._customer("Mrs. Big Spender")
        for _i in range(4):
            self._order(customer, 3000)
        self.assertEqual(customer.loyalty_tier_id, self.gold)
        # both thresholds must be met: spend for VIP, not the orders
        self._order(customer, 60000)
        self.assertEqual(customer.loyalty_tier_id, self.gold)

    def test_history_row_and_chatter_message_on_change(self):
        customer = self._customer("Ms. History")
        self._order(customer, 800)
        self._order(customer, 800)
        history = self.env["store.loyalty.tier.history"].search(
            [("partner_id", "=", customer.id)], order="id"
        )
        self.assertEqual(history.mapped("new_tier_id"), self.standard | self.silver)
        upgrade = history[-1]
        self.assertEqual(upgrade.old_tier_id, self.standard)
        self.assertEqual(upgrade.reason, "auto")
        self.assertEqual(upgrade.user_id, self.env.user)
        self.assertEqual(upgrade.spend, 1600.0)
        self.assertEqual(customer.loyalty_tier_history_count, 2)
        bodies = customer.message_ids.mapped("body")
        self.assertTrue(any("T-Standard" in b and "T-Silver" in b for b in bodies), bodies)

    def test_manual_locked_tier_survives_recompute(self):
        customer = self._customer("Mr. Friend Of The Owner")
        self._order(customer, 100)
        manager_customer = customer.with_user(self.users["manager"])
        manager_customer.write({"loyalty_tier_id": self.vip.id, "loyalty_tier_locked": True})
        self._order(customer, 100)
        self.env["res.partner"]._recompute_loyalty_all()
        self.assertEqual(customer.loyalty_tier_id, self.vip)
        self.assertEqual(customer.loyalty_order_count, 2)
        manual = self.env["store.loyalty.tier.history"].search(
            [("partner_id", "=", customer.id), ("reason", "=", "manual")]
        )
        self.assertEqual(manual.new_tier_id, self.vip)
        self.assertEqual(manual.old_tier_id, self.standard)
        self.assertEqual(manual.user_id, self.users["manager"])
        # unlocked, the tier follows the orders again: a downgrade, so the grace period starts
        manager_customer.write({"loyalty_tier_locked": False})
        self.env["res.partner"]._recompute_loyalty_all()
        self.assertEqual(customer.loyalty_tier_id, self.vip)
        self.assertEqual(customer.loyalty_downgrade_since, fields.Date.context_today(customer))

    def test_downgrade_waits_for_the_grace_period(self):
        customer = self._customer("Mrs. Refund")
        self._order(customer, 800)
        order = self._order(customer, 800)
        self.assertEqual(customer.loyalty_tier_id, self.silver)
        order._action_cancel()
        self._settle()
        today = fields.Date.context_today(customer)
        self.assertEqual(customer.loyalty_tier_id, self.silver, "not demoted by one refund")
        self.assertEqual(customer.loyalty_downgrade_since, today)
        Partner = self.env["res.partner"]
        with freeze_time(today + timedelta(days=29)):
            Partner._recompute_loyalty_all()
            self.assertEqual(customer.loyalty_tier_id, self.silver)
        with freeze_time(today + timedelta(days=30)):
            Partner._recompute_loyalty_all()
            self.assertEqual(customer.loyalty_tier_id, self.standard)
            self.assertFalse(customer.loyalty_downgrade_since)

    def test_back_above_the_tier_ends_the_grace_period(self):
        customer = self._customer("Mr. Comeback")
        self._order(customer, 800)
        order = self._order(customer, 800)
        order._action_cancel()
        self._settle()
        self.assertTrue(customer.loyalty_downgrade_since)
        self._order(customer, 900)
        self.assertEqual(customer.loyalty_tier_id, self.silver)
        self.assertFalse(customer.loyalty_downgrade_since)

    def test_no_grace_period_demotes_at_once(self):
        self.company.loyalty_downgrade_grace_days = 0
        customer = self._customer("Mr. Strict")
        self._order(customer, 800)
        order = self._order(customer, 800)
        order._action_cancel()
        self._settle()
        self.assertEqual(customer.loyalty_tier_id, self.standard)

    def test_negative_thresholds_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env["store.loyalty.tier"].create(
                {"name": "Bad", "min_spend": -1, "company_id": self.company.id}
            )
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.silver.min_orders = -2

    def test_two_tiers_with_the_same_thresholds_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "same thresholds"):
            self.env["store.loyalty.tier"].create(
                {"name": "Twin", "min_spend": 1000, "min_orders": 2, "company_id": self.company.id}
            )
        # an archived twin, or one of another company, is fine
        archived = self.env["store.loyalty.tier"].create(
            {
                "name": "Old Silver",
                "min_spend": 1000,
                "min_orders": 2,
                "company_id": self.company.id,
                "active": False,
            }
        )
        self.assertFalse(archived.active)
        with self.assertRaisesRegex(ValidationError, "same thresholds"):
            archived.active = True

    def test_bad_settings_are_refused(self):
        with self.assertRaises(ValidationError):
            self.company.loyalty_class_a_percent = 90
            self.company.loyalty_class_b_percent = 20
        with self.assertRaises(ValidationError):
            self.company.loyalty_lost_days = 100

    def test_store_user_cannot_edit_tiers(self):
        clerk = self.users["clerk"]
        tier = self.silver.with_user(clerk)
        self.assertEqual(tier.name, "T-Silver")
        with self.assertRaises(AccessError):
            tier.write({"min_spend": 1})
        with self.assertRaises(AccessError):
            self.env["store.loyalty.tier"].with_user(clerk).create({"name": "Mine"})
        customer = self._customer("Ms. Clerk Friend")
        with self.assertRaises(AccessError):
            customer.with_user(clerk).write({"loyalty_tier_id": self.vip.id})
        with self.assertRaises(AccessError):
            customer.with_user(clerk).action_recompute_loyalty()
        # the clerk may still edit the rest of the customer
        customer.with_user(clerk).write({"phone": "+86 10 1234 5678"})
        self.assertEqual(customer.phone, "+86 10 1234 5678")


@tagged("post_install", "-at_install")
class TestLoyaltyClassification(LoyaltyCase):
    def test_pareto_classes_on_a_hand_computed_set(self):
        # total 1000: cumulated before each = 0, 500, 800, 900, 960
        spends = [500, 300, 100, 60, 40]
        customers = [self._customer(f"Pareto {amount}") for amount in spends]
        for customer, amount in zip(customers, spends, strict=True):
            self._order(customer, amount)
        idle = self._customer("Pareto idle", customer_rank=1)
        self.env["res.partner"]._recompute_loyalty_all()
        self.assertEqual([c.customer_value_class for c in customers], ["A", "A", "B", "B", "C"])
        self.assertEqual(idle.customer_value_class, "C")
        self.assertEqual(self.company.loyalty_class_a_min_spend, 300.0)
        self.assertEqual(self.company.loyalty_class_b_min_spend, 60.0)
        # between two full recomputes a new customer is classed with those cut-offs
        newcomer = self._customer("Pareto newcomer")
        self._order(newcomer, 350)
        self.assertEqual(newcomer.customer_value_class, "A")
        small = self._customer("Pareto small")
        self._order(small, 70)
        self.assertEqual(small.customer_value_class, "B")

    def test_class_thresholds_are_settings(self):
        spends = [500, 300, 100, 60, 40]
        customers = [self._customer(f"Setting {amount}") for amount in spends]
        for customer, amount in zip(customers, spends, strict=True):
            self._order(customer, amount)
        self.company.write({"loyalty_class_a_percent": 50, "loyalty_class_b_percent": 40})
        self.env["res.partner"]._recompute_loyalty_all()
        self.assertEqual([c.customer_value_class for c in customers], ["A", "B", "B", "C", "C"])

    def test_lifecycle_boundaries(self):
        cases = {
            # days since first order, days since last order: expected
            (89, 89): "new",
            (90, 90): "active",
            (400, 179): "active",
            (400, 180): "at_risk",
            (400, 364): "at_risk",
            (400, 365): "lost",
        }
        today = fields.Date.context_today(self.env.user)
        customers = {}
        for first, last in cases:
            customer = self._customer(f"Lifecycle {first}/{last}")
            for days in {first, last}:
                order = self._order(customer, 100)
                order.date_order = datetime.combine(today - timedelta(days=days), time(12, 0))
                self._settle()
            customers[first, last] = customer
        prospect = self._customer("Lifecycle prospect", customer_rank=1)
        self.env["res.partner"]._recompute_loyalty_all()
        got = {key: customer.customer_lifecycle for key, customer in customers.items()}
        self.assertEqual(got, cases)
        self.assertEqual(prospect.customer_lifecycle, "new")


@tagged("post_install", "-at_install", "is_query_count")
class TestLoyaltyRecompute(LoyaltyCase):
    def _customers_with_orders(self, count, prefix):
        customers = self.Partner.create(
            [{"name": f"{prefix} {i}", "company_id": self.company.id} for i in range(count)]
        )
        orders = self.SaleOrder.create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": self.company.id,
                    "order_line": [(0, 0, {"product_id": self.product.id, "price_unit": 100 + i})],
                }
                for i, customer in enumerate(customers)
            ]
        )
        orders.action_confirm()
        self._settle()
        return customers

    def test_confirming_many_orders_at_once_recomputes_each_customer(self):
        customers = self._customers_with_orders(5, "Bulk")
        self.assertEqual(customers.mapped("loyalty_order_count"), [1] * 5)
        self.assertEqual(customers.mapped("loyalty_tier_id"), self.standard)

    def test_query_count_does_not_depend_on_the_number_of_partners(self):
        Partner = self.env["res.partner"]
        small = self._customers_with_orders(3, "Small")
        large = self._customers_with_orders(30, "Large")
        # warm the caches (the first run may record that every order was read once)
        Partner._recompute_loyalty_all()
        Partner._recompute_loyalty_all()
        Partner._recompute_loyalty(small.ids)

        def forget(customers):
            self.env.cr.execute(
                "UPDATE res_partner SET loyalty_order_count = 0 WHERE id = ANY(%s)",
                [customers.ids],
            )
            Partner.invalidate_model(["loyalty_order_count"])

        for customers in (small, large):
            forget(customers)
            with self.assertQueryCount(3):
                Partner._recompute_loyalty(customers.ids)
            self.assertEqual(customers.mapped("loyalty_order_count"), [1] * len(customers))
            forget(customers)
            # 8, and 2 for the incremental runs: the tiers' and settings' fingerprint and
            # the run's date saved (res_partner_loyalty_incremental.py); 1 for the order
            # aggregate in a statement of its own (run in parallel: _loyalty_fill_aggregate)
            # and 1 for the queue's rows read (a full run takes the queue)
            with self.assertQueryCount(12):
                Partner._recompute_loyalty_all()
            self.assertEqual(customers.mapped("loyalty_order_count"), [1] * len(customers))

    def test_action_recompute_on_customers_and_on_everyone(self):
        customers = self._customers_with_orders(3, "Action")
        manager = self.users["manager"]
        self.env.cr.execute(
            "UPDATE res_partner SET loyalty_spend = 0, loyalty_order_count = 0 WHERE id = ANY(%s)",
            [customers.ids],
        )
        self.env["res.partner"].invalidate_model()
        customers[0].with_user(manager).action_recompute_loyalty()
        self.assertEqual(customers.mapped("loyalty_order_count"), [1, 0, 0])
        action = self.env["res.partner"].with_user(manager).action_recompute_loyalty()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(customers.mapped("loyalty_order_count"), [1, 1, 1])

    def test_cron_commits_each_batch_reports_progress_and_reruns_cleanly(self):
        customers = self._customers_with_orders(5, "Batch")
        Partner = self.env["res.partner"]
        History = self.env["store.loyalty.tier.history"]
        Partner._recompute_loyalty_all()
        self.env.cr.execute(
            "UPDATE res_partner SET loyalty_tier_id = NULL, loyalty_order_count = 0"
            " WHERE id = ANY(%s)",
            [customers.ids],
        )
        Partner.invalidate_model()
        total = Partner.search_count([])  # an upper bound of the customers recomputed
        progress = []

        def notify(cron_self, *, done, remaining, deactivate=False):
            progress.append((done, remaining))

        with (
            patch.object(self.env.cr, "commit") as commit,
            patch.object(type(self.env["ir.cron"]), "_notify_progress", notify),
        ):
            processed = Partner._recompute_loyalty_all(batch_size=2, commit=True)
        self.assertLessEqual(processed, total)
        changed = progress[-1][0]
        self.assertGreaterEqual(changed, 5)
        self.assertEqual(progress[-1], (changed, 0))
        # one commit per batch of 2 changed customers, and one at the end
        self.assertEqual(commit.call_count, -(-changed // 2) + 1)
        self.assertEqual([d + r for d, r in progress], [changed] * len(progress))
        self.assertEqual(customers.mapped("loyalty_order_count"), [1] * 5)
        self.assertEqual(customers.mapped("loyalty_tier_id"), self.standard)
        # a rerun writes no second history row
        count = History.search_count([("partner_id", "in", customers.ids)])
        Partner._recompute_loyalty_all(batch_size=2)
        self.assertEqual(History.search_count([("partner_id", "in", customers.ids)]), count)

    def test_full_history_run_restores_dates_from_before_the_window(self):
        customer = self._customer("Mr. Imported")
        order = self._order(customer, 400, days_ago=500)
        self.assertEqual(customer.customer_lifecycle, "lost")
        # as if the order had been imported with SQL, bypassing the order hooks
        self.env.cr.execute(
            "UPDATE res_partner SET loyalty_first_order_date = NULL,"
            " loyalty_last_order_date = NULL, customer_lifecycle = NULL WHERE id = %s",
            [customer.id],
        )
        self.env["res.partner"].invalidate_model()
        self.env["res.partner"]._recompute_loyalty_all(full_history=True)
        self.assertEqual(customer.loyalty_last_order_date, order.date_order.date())
        self.assertEqual(customer.loyalty_first_order_date, order.date_order.date())
        self.assertEqual(customer.customer_lifecycle, "lost")
        # the nightly run reads the window only and keeps those dates
        self.env["res.partner"]._recompute_loyalty_all()
        self.assertEqual(customer.loyalty_last_order_date, order.date_order.date())
        self.assertEqual(customer.customer_lifecycle, "lost")

    def test_cron_runs_the_full_recompute(self):
        customers = self._customers_with_orders(2, "Cron")
        self.env.cr.execute(
            "UPDATE res_partner SET loyalty_order_count = 0 WHERE id = ANY(%s)", [customers.ids]
        )
        self.env["res.partner"].invalidate_model()
        cron = self.env.ref("store_service_crm.ir_cron_loyalty_recompute")
        with patch.object(self.env.cr, "commit"):
            cron.method_direct_trigger()
        self.assertEqual(customers.mapped("loyalty_order_count"), [1, 1])
