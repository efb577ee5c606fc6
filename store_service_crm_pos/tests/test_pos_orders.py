from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common import PosCase


@tagged("post_install", "-at_install")
class TestPosOrders(PosCase):
    """Paid POS orders count wherever confirmed sale orders count."""

    def _recompute(self, partner):
        self.env["res.partner"]._recompute_loyalty(partner.commercial_partner_id.ids)
        partner.invalidate_recordset()

    def test_paid_pos_order_counts_in_spend_orders_and_last_order(self):
        self._recompute(self.customer)
        spend_before = self.customer.loyalty_spend
        orders_before = self.customer.loyalty_order_count
        pos_order = self._pos_order(self.customer, amount=230.0, tax=30.0)
        self._recompute(self.customer)
        self.assertEqual(self.customer.loyalty_order_count, orders_before + 1)
        self.assertAlmostEqual(self.customer.loyalty_spend, spend_before + 200.0, places=2)
        self.assertEqual(self.customer.loyalty_last_order_date, pos_order.date_order.date())

    def test_unpaid_and_refund_pos_orders_do_not_count(self):
        self._recompute(self.customer)
        before = (self.customer.loyalty_spend, self.customer.loyalty_order_count)
        self._pos_order(self.customer, amount=500.0, paid=False)
        self._pos_order(self.customer, amount=-80.0)
        self._recompute(self.customer)
        self.assertEqual((self.customer.loyalty_spend, self.customer.loyalty_order_count), before)

    def test_pos_orders_alone_earn_a_tier(self):
        walk_in = self.env["res.partner"].create({"name": "Walk-in Li"})
        tier = self.env["store.loyalty.tier"].create(
            {"name": "POS Gold (test)", "min_spend": 300.0, "min_orders": 2, "sequence": 99}
        )
        self._pos_order(walk_in, amount=200.0)
        self._recompute(walk_in)
        self.assertNotEqual(walk_in.loyalty_tier_id, tier)
        self._pos_order(walk_in, amount=200.0)
        self._recompute(walk_in)
        self.assertEqual(walk_in.loyalty_tier_id, tier)
        self.assertEqual(walk_in.customer_lifecycle, "new")
        self.assertGreater(walk_in.customer_rank, 0)

    def test_paying_queues_the_customer_for_the_recompute(self):
        Pending = self.env["store.loyalty.pending"].sudo()
        Pending.search([]).unlink()
        self._pos_order(self.customer, amount=50.0, paid=False)
        self.assertFalse(Pending.search([("partner_id", "=", self.customer.id)]))
        self._pos_order(self.customer, amount=50.0)
        self.assertTrue(Pending.search([("partner_id", "=", self.customer.id)]))

    def test_kpis_count_pos_orders_in_the_store_of_their_pos(self):
        Kpi = self.env["store.service.kpi"]
        today = fields.Date.context_today(Kpi)
        period = (today - timedelta(days=1), today + timedelta(days=1))
        before = Kpi.compute_kpis(*period, team_ids=[self.store.id])
        other_before = Kpi.compute_kpis(*period, team_ids=[self.other_store.id])
        self._pos_order(self.customer, amount=120.0, tax=20.0)
        after = Kpi.compute_kpis(*period, team_ids=[self.store.id])
        self.assertEqual(after["order_count"], before["order_count"] + 1)
        self.assertAlmostEqual(after["revenue"], before["revenue"] + 100.0, places=2)
        # the customer now has a sale order and a POS order in the store: a repeat customer
        self.assertEqual(after["repeat_customer_count"], 1)
        self.assertEqual(after["repurchase_rate"], 1.0)
        other_after = Kpi.compute_kpis(*period, team_ids=[self.other_store.id])
        self.assertEqual(other_after["order_count"], other_before["order_count"])

    def test_kpi_pre_aggregate_counts_pos_orders_as_the_engine(self):
        """The orders' KPI pre-aggregate reads the POS orders too: a paid POS order
        (marked by the bridge's trigger) is read live until the refresh, then stored;
        the figures equal the engine's either way (one company in the session, as the
        web client sends it: several are read live)."""
        Kpi = self.env["store.service.kpi"].with_context(allowed_company_ids=self.company.ids)
        Aggregate = self.env["store.service.kpi.aggregate"]
        today = fields.Date.context_today(Kpi)
        period = (today - timedelta(days=30), today)
        self._pos_order(self.customer, amount=120.0, tax=20.0)
        self.env.flush_all()
        Aggregate._refresh()
        self.assertTrue(Kpi._kpi_order_scope([self.store.id]), "the pre-aggregate answers")

        def same_as_engine():
            self.env.flush_all()
            ours = Kpi.compute_kpis(*period, team_ids=[self.store.id])
            with Kpi._kpi_unaggregated():
                reference = Kpi.compute_kpis(*period, team_ids=[self.store.id])
            for key in ("order_count", "revenue", "customer_count", "repeat_customer_count"):
                self.assertEqual(ours[key], reference[key], key)
            return ours

        before = same_as_engine()
        walk_in = self.env["res.partner"].create({"name": "Walk-in Wu"})
        self._pos_order(walk_in, amount=60.0)
        self._pos_order(walk_in, amount=-60.0)  # a refund: not an order
        live = same_as_engine()
        self.assertEqual(live["order_count"], before["order_count"] + 1)
        self.assertEqual(live["customer_count"], before["customer_count"] + 1)
        Aggregate._refresh()
        self.assertEqual(same_as_engine(), live)

    def test_order_source_matches_the_raw_aggregate_of_both_tables(self):
        self._pos_order(self.customer, amount=60.0)
        self._pos_order(self.customer_no_email, amount=40.0, tax=4.0)
        Source = self.env["store.order.source"]
        Source._confirmed_orders_flush()
        cr = self.env.cr
        cr.execute(
            """SELECT SUM(n), SUM(amount) FROM (
                   SELECT COUNT(*) AS n, SUM(amount_untaxed) AS amount
                     FROM sale_order WHERE state = 'sale'
                   UNION ALL
                   SELECT COUNT(*), SUM(amount_total - amount_tax) FROM pos_order
                    WHERE state IN ('paid', 'done', 'invoiced')
                      AND partner_id IS NOT NULL AND amount_total >= 0) raw"""
        )
        raw = cr.fetchone()
        cr.execute(
            SQL("SELECT COUNT(*), SUM(amount_untaxed) FROM (%s) o", Source._confirmed_orders_sql())
        )
        self.assertEqual(cr.fetchone(), raw)

    def test_register_complaint_from_a_pos_order(self):
        pos_order = self._pos_order(self.customer, amount=80.0)
        action = pos_order.with_user(self.clerk).action_register_store_complaint()
        self.assertEqual(action["res_model"], "store.complaint")
        form = Form(
            self.env["store.complaint"].with_user(self.clerk).with_context(**action["context"])
        )
        form.category_id = self.category
        form.description = "The fridge bought at the till is noisy."
        complaint = form.save()
        self.assertEqual(complaint.pos_order_id, pos_order)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.team_id, self.store)
        self.assertEqual(complaint.product_id, self.product)
        self.assertEqual(pos_order.with_user(self.clerk).store_complaint_count, 1)
        view = pos_order.with_user(self.clerk).action_view_store_complaints()
        self.assertEqual(
            self.env["store.complaint"].with_user(self.clerk).search(view["domain"]), complaint
        )

    def test_complaint_refuses_a_pos_order_of_another_customer(self):
        pos_order = self._pos_order(self.customer, amount=80.0)
        with self.assertRaisesRegex(ValidationError, "another customer"):
            self._complaint(partner_id=self.customer_no_email.id, pos_order_id=pos_order.id)

    def test_complaint_refuses_a_product_not_in_the_pos_order(self):
        pos_order = self._pos_order(self.customer, amount=80.0)
        with self.assertRaises(ValidationError):
            self._complaint(pos_order_id=pos_order.id, product_id=self.other_product.id)

    def test_pos_loads_the_customer_tier(self):
        tier = self.env["store.loyalty.tier"].search([], limit=1)
        self.customer.sudo().write({"loyalty_tier_id": tier.id, "loyalty_tier_locked": True})
        fields_loaded = self.env["res.partner"]._load_pos_data_fields(self.pos_config.id)
        self.assertIn("loyalty_tier_name", fields_loaded)
        cashier = self.env["res.users"].create(
            {
                "name": "Cashier",
                "login": "cashier_pos_test",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id, self.pos_user_group.id])],
            }
        )
        data = (
            self.env["res.partner"]
            .with_user(cashier)
            .search_read([("id", "=", self.customer.id)], fields_loaded)
        )
        self.assertEqual(data[0]["loyalty_tier_name"], tier.name)

    def test_paying_plans_the_after_order_visit_and_the_cron_adds_nothing(self):
        rule = self.env.ref("store_service_crm.return_visit_rule_after_purchase")
        rule.write({"active": True, "delay_days": 3})
        pos_order = self._pos_order(self.customer, amount=90.0)
        Visit = self.env["store.return.visit"]
        visits = Visit.search([("rule_id", "=", rule.id), ("source_id", "=", -pos_order.id)])
        self.assertEqual(len(visits), 1)
        self.assertEqual(visits.partner_id, self.customer)
        self.assertEqual(visits.team_id, self.store)
        self.assertFalse(visits.sale_order_id)
        self.assertEqual(visits.scheduled_date, pos_order.date_order.date() + timedelta(days=3))
        rule._generate()
        self.assertEqual(
            Visit.search_count([("rule_id", "=", rule.id), ("source_id", "=", -pos_order.id)]), 1
        )

    def test_category_rule_reads_the_pos_order_lines(self):
        category = self.env["product.category"].create({"name": "Fridges (POS test)"})
        self.product.categ_id = category
        rule = self.env["store.return.visit.rule"].create(
            {
                "name": "Fridges bought at the till",
                "trigger": "sale_confirmed",
                "delay_days": 7,
                "channel": "phone",
                "company_id": False,
                "product_categ_ids": [(6, 0, category.ids)],
            }
        )
        fridge_order = self._pos_order(self.customer, amount=90.0)
        tile_order = self._pos_order(self.customer, amount=10.0, product=self.other_product)
        sources = (
            self.env["store.return.visit"].search([("rule_id", "=", rule.id)]).mapped("source_id")
        )
        self.assertIn(-fridge_order.id, sources)
        self.assertNotIn(-tile_order.id, sources)
