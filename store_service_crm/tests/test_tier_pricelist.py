# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""Tier benefits: the pricelist a tier gives (issue 17)."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .test_loyalty import LoyaltyCase


@tagged("post_install", "-at_install")
class TestTierPricelist(LoyaltyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Pricelist = cls.env["product.pricelist"]
        cls.silver_prices, cls.gold_prices, cls.hand_prices = (
            Pricelist.create({"name": name, "company_id": cls.company.id})
            for name in ("Silver prices", "Gold prices", "Negotiated prices")
        )
        cls.silver.pricelist_id = cls.silver_prices
        cls.gold.pricelist_id = cls.gold_prices
        cls.company.loyalty_downgrade_grace_days = 0

    def _own_pricelist(self, partner):
        """The pricelist set on the customer in the test company (not a fallback)."""
        partner.invalidate_recordset()
        return partner.with_company(self.company).specific_property_product_pricelist

    def _customers_with_an_order(self, count, prefix):
        customers = self.Partner.create(
            [{"name": f"{prefix} {i}", "company_id": self.company.id} for i in range(count)]
        )
        orders = self.SaleOrder.create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": self.company.id,
                    "order_line": [(0, 0, {"product_id": self.product.id, "price_unit": 100})],
                }
                for customer in customers
            ]
        )
        orders.action_confirm()
        self._settle()
        return customers

    def _silver_customer(self, name):
        customer = self._customer(name)
        self._order(customer, 800)
        order = self._order(customer, 800)
        return customer, order

    def test_upgrade_gives_the_tier_pricelist(self):
        customer = self._customer("Ms. Upgrade")
        self._order(customer, 800)
        self.assertFalse(self._own_pricelist(customer), "T-Standard has no pricelist")
        self._order(customer, 800)  # 1,600 over 2 orders: T-Silver
        self.assertEqual(customer.loyalty_tier_id, self.silver)
        self.assertEqual(self._own_pricelist(customer), self.silver_prices)
        self.assertEqual(customer.loyalty_pricelist_id, self.silver_prices)
        self.assertEqual(
            customer.with_company(self.company).property_product_pricelist, self.silver_prices
        )
        quotation = self.SaleOrder.create({"partner_id": customer.id})
        self.assertEqual(quotation.pricelist_id, self.silver_prices)
        self.assertEqual(quotation.partner_loyalty_pricelist_id, self.silver_prices)

    def test_next_upgrade_swaps_the_pricelist_and_history_keeps_both(self):
        customer, _order = self._silver_customer("Mr. Climber")
        self._order(customer, 8400)  # 10,000 over 3 orders: still T-Silver (T-Gold needs 4)
        self.assertEqual(self._own_pricelist(customer), self.silver_prices)
        self._order(customer, 1)  # 10,001 over 4 orders: T-Gold
        self.assertEqual(customer.loyalty_tier_id, self.gold)
        self.assertEqual(self._own_pricelist(customer), self.gold_prices)
        last = self.env["store.loyalty.tier.history"].search(
            [("partner_id", "=", customer.id)], order="id desc", limit=1
        )
        self.assertEqual(last.new_tier_id, self.gold)
        self.assertEqual(last.old_pricelist_id, self.silver_prices)
        self.assertEqual(last.new_pricelist_id, self.gold_prices)

    def test_downgrade_takes_the_pricelist_back(self):
        customer, order = self._silver_customer("Mrs. Refund")
        order._action_cancel()
        self._settle()  # no grace period: 800 over 1 order is T-Standard at once
        self.assertEqual(customer.loyalty_tier_id, self.standard)
        self.assertFalse(self._own_pricelist(customer))
        self.assertFalse(customer.loyalty_pricelist_id)
        last = self.env["store.loyalty.tier.history"].search(
            [("partner_id", "=", customer.id)], order="id desc", limit=1
        )
        self.assertEqual(last.old_pricelist_id, self.silver_prices)
        self.assertFalse(last.new_pricelist_id)

    def test_pricelist_set_by_hand_is_never_overridden(self):
        customer = self._customer("Mr. Negotiator")
        self._order(customer, 800)
        customer.with_company(self.company).property_product_pricelist = self.hand_prices
        self._order(customer, 800)  # upgrade to T-Silver
        self.assertEqual(customer.loyalty_tier_id, self.silver)
        self.assertEqual(self._own_pricelist(customer), self.hand_prices)
        self.assertFalse(customer.loyalty_pricelist_id, "the tier gave nothing")
        self.assertTrue(customer.with_company(self.company).loyalty_pricelist_manual)
        self._order(customer, 8400)
        self._order(customer, 1)  # T-Gold
        self.assertEqual(customer.loyalty_tier_id, self.gold)
        self.assertEqual(self._own_pricelist(customer), self.hand_prices)

    def test_pricelist_changed_by_hand_after_the_upgrade_is_kept_on_downgrade(self):
        customer, order = self._silver_customer("Ms. Changed Her Mind")
        customer.with_company(self.company).property_product_pricelist = self.hand_prices
        order._action_cancel()
        self._settle()
        self.assertEqual(customer.loyalty_tier_id, self.standard)
        self.assertEqual(self._own_pricelist(customer), self.hand_prices)
        self.assertFalse(customer.loyalty_pricelist_id)

    def test_contacts_follow_their_company(self):
        company = self._customer("Tiles Ltd", is_company=True)
        buyer = self._customer("Tiles Buyer", parent_id=company.id)
        self._order(buyer, 800)
        self._order(buyer, 800)
        self.assertEqual(company.loyalty_tier_id, self.silver)
        self.assertEqual(self._own_pricelist(company), self.silver_prices)
        self.assertEqual(self._own_pricelist(buyer), self.silver_prices)

    def test_tier_set_by_hand_gives_its_pricelist(self):
        customer = self._customer("Mr. Friend Of The Owner")
        self._order(customer, 100)
        customer.with_user(self.users["manager"]).write(
            {"loyalty_tier_id": self.gold.id, "loyalty_tier_locked": True}
        )
        self.assertEqual(self._own_pricelist(customer), self.gold_prices)
        manual = self.env["store.loyalty.tier.history"].search(
            [("partner_id", "=", customer.id), ("reason", "=", "manual")]
        )
        self.assertEqual(manual.new_pricelist_id, self.gold_prices)
        self.assertFalse(manual.old_pricelist_id)

    def _apply_queued_pricelists(self, batch_size=5000):
        """Run the triggered cron the way its runner does: one batch per call while
        tiers wait; returns the number of calls."""
        Tier = self.env["store.loyalty.tier"]
        calls = 0
        while Tier.search_count([("pricelist_sync_pending", "=", True)]):
            Tier._cron_sync_tier_pricelists(batch_size=batch_size)
            calls += 1
            self.assertLess(calls, 50, "the queue empties")
        return calls

    def test_giving_a_tier_a_pricelist_reaches_its_customers_through_the_queue(self):
        customer = self._customer("Ms. Standard")
        self._order(customer, 800)
        standard_prices = self.env["product.pricelist"].create(
            {"name": "Member prices", "company_id": self.company.id}
        )
        cron = self.env.ref("store_service_crm.ir_cron_loyalty_tier_pricelist")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        self.standard.with_user(self.users["manager"]).pricelist_id = standard_prices
        # not in the manager's request: queued, and the cron is woken up
        self.assertTrue(self.standard.pricelist_sync_pending)
        self.assertFalse(self._own_pricelist(customer))
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers
        )
        self._apply_queued_pricelists()
        self.assertEqual(self._own_pricelist(customer), standard_prices)
        self.assertEqual(customer.loyalty_pricelist_id, standard_prices)
        self.standard.pricelist_id = False
        self._apply_queued_pricelists()
        self.assertFalse(self._own_pricelist(customer))
        self.assertFalse(customer.loyalty_pricelist_id)

    def test_queued_pricelist_in_bounded_batches_never_overrides_a_hand_set_one(self):
        customers = self._customers_with_an_order(5, "Batch")
        self.assertEqual(customers.mapped("loyalty_tier_id"), self.standard)
        customers[0].with_company(
            self.company
        ).specific_property_product_pricelist = self.hand_prices
        standard_prices = self.env["product.pricelist"].create(
            {"name": "Member prices", "company_id": self.company.id}
        )
        self._apply_queued_pricelists()  # the other tiers' (set up before)
        self.standard.pricelist_id = standard_prices
        # 4 customers to give it to (the hand-set one keeps hers), 2 per batch:
        # 2 + 2 + a last call finding nothing left (it clears the tier's flag)
        self.assertEqual(self._apply_queued_pricelists(batch_size=2), 3)
        self.assertEqual(self._own_pricelist(customers[0]), self.hand_prices)
        self.assertFalse(customers[0].loyalty_pricelist_id)
        for customer in customers[1:]:
            self.assertEqual(self._own_pricelist(customer), standard_prices)
        # a rerun writes nothing
        self.standard.sudo().pricelist_sync_pending = True
        self.assertEqual(self.env["store.loyalty.tier"]._cron_sync_tier_pricelists(batch_size=2), 0)
        self.assertFalse(self.standard.pricelist_sync_pending)

    def test_tier_set_by_hand_gives_its_pricelist_through_the_orm(self):
        """A tier set by hand is a few customers: the pricelist is written through the
        ORM as the user, so a user without the right to change the customer is
        refused (and nothing changes)."""
        customer = self._customer("Mr. Guarded")
        self._order(customer, 100)
        customer.sudo().write({"loyalty_tier_id": self.gold.id, "loyalty_tier_locked": True})
        customer.with_company(self.company).specific_property_product_pricelist = False
        customer.sudo().loyalty_pricelist_id = False
        employee = self.users["employee"]
        Partner = self.env["res.partner"].with_user(employee).with_company(self.company)
        with self.assertRaises(AccessError):
            Partner._loyalty_give_tier_pricelists(customer.with_user(employee))
        self.assertFalse(self._own_pricelist(customer))
        manager = self.users["manager"]
        changed = Partner.with_user(manager)._loyalty_give_tier_pricelists(
            customer.with_user(manager)
        )
        self.assertEqual(changed, customer)
        self.assertEqual(self._own_pricelist(customer), self.gold_prices)
        self.assertEqual(customer.loyalty_pricelist_id, self.gold_prices)

    def test_lost_customer_keeps_nothing_after_the_grace_period(self):
        self.company.loyalty_downgrade_grace_days = 30
        customer, order = self._silver_customer("Mr. Gone")
        order._action_cancel()
        self._settle()
        self.assertEqual(self._own_pricelist(customer), self.silver_prices, "grace period")
        with freeze_time(fields.Date.context_today(customer) + timedelta(days=30)):
            self.env["res.partner"]._recompute_loyalty_all()
            self.assertFalse(self._own_pricelist(customer))

    def test_recompute_query_count_does_not_depend_on_the_number_of_upgrades(self):
        """Set-based: the tiers, history rows and pricelists of 3 or 30 customers
        change in the same number of queries."""
        Partner = self.env["res.partner"]
        small = self._customers_with_an_order(3, "Small")
        large = self._customers_with_an_order(30, "Large")
        Partner._recompute_loyalty_all()
        Partner._recompute_loyalty(small.ids)
        self.standard.pricelist_id = self.silver_prices
        for customers, counted in ((small, False), (small, True), (large, True)):
            # back to no tier: the recompute gives T-Standard and its pricelist again
            self.env.cr.execute(
                "UPDATE res_partner SET loyalty_tier_id = NULL, loyalty_pricelist_id = NULL,"
                " specific_property_product_pricelist = NULL WHERE id = ANY(%s)",
                [customers.ids],
            )
            Partner.invalidate_model(
                ["loyalty_tier_id", "loyalty_pricelist_id", "specific_property_product_pricelist"]
            )
            if not counted:  # warm the caches (the company's language, ...)
                Partner._recompute_loyalty(customers.ids)
                continue
            # 3 statements of the recompute (as in test_loyalty) + reading back the
            # company's partner for the chatter language after the invalidation
            with self.assertQueryCount(5):
                Partner._recompute_loyalty(customers.ids)
            self.assertEqual(customers.mapped("loyalty_tier_id"), self.standard)
            self.assertEqual(
                [self._own_pricelist(c) for c in customers], [self.silver_prices] * len(customers)
            )

    def test_partner_form_and_order_show_the_benefits(self):
        customer, _order = self._silver_customer("Ms. Form")
        form = Form(customer.with_company(self.company))
        self.assertEqual(form.loyalty_pricelist_id, self.silver_prices)
        self.assertFalse(customer.with_company(self.company).loyalty_pricelist_manual)
        arch = self.env["sale.order"].get_view(view_type="form")["arch"]
        self.assertIn('name="partner_loyalty_pricelist_id"', arch)

    def test_nobody_records_a_pricelist_as_given_by_the_tier(self):
        customer, _order = self._silver_customer("Mr. Sly")
        for user in (self.users["clerk"], self.users["manager"]):
            with self.assertRaisesRegex(AccessError, "set by the tier only"):
                customer.with_user(user).write({"loyalty_pricelist_id": self.hand_prices.id})
        self.assertEqual(customer.loyalty_pricelist_id, self.silver_prices)
        # a contact added by a clerk under the customer gets the company's values
        contact = (
            self.Partner.with_user(self.users["clerk"])
            .create({"name": "Sly's buyer", "parent_id": customer.id})
            .sudo()
        )
        self.assertEqual(contact.loyalty_pricelist_id, self.silver_prices)
