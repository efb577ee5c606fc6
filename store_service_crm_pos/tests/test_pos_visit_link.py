# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""Issue 17: a visit planned from a POS order links to it (``pos_order_id``), on the
interactive path (the order paid) and in the set-based batch of the cron, once per
rule and order; the visits planned before the link existed get it on the bridge's
install/upgrade; the POS order counts its visits; only the rule sets the link."""

from odoo.exceptions import UserError

from .common import PosCase


class TestPosVisitLink(PosCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env.ref("store_service_crm.return_visit_rule_after_purchase")
        cls.rule.write({"active": True, "delay_days": 3})
        cls.Visit = cls.env["store.return.visit"]

    def _visits(self, pos_order):
        return self.Visit.search(
            [("rule_id", "=", self.rule.id), ("source_id", "=", -pos_order.id)]
        )

    def _sale_visit(self):
        self.env["store.return.visit.rule"]._generate_for_orders(self.order)
        visit = self.Visit.search(
            [("rule_id", "=", self.rule.id), ("sale_order_id", "=", self.order.id)]
        )
        self.assertEqual(len(visit), 1)
        return visit

    def test_paying_links_the_visit_to_the_pos_order(self):
        pos_order = self._pos_order(self.customer, amount=90.0)
        visit = self._visits(pos_order)
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.pos_order_id, pos_order)
        self.assertFalse(visit.sale_order_id)
        # the sale order's visit stays without a POS order
        sale_visit = self._sale_visit()
        self.assertEqual(sale_visit.sale_order_id, self.order)
        self.assertFalse(sale_visit.pos_order_id)

    def test_the_cron_batch_links_and_adds_nothing_twice(self):
        self.rule.active = False
        pos_order = self._pos_order(self.customer, amount=90.0)
        self.assertFalse(self._visits(pos_order))
        self.rule.active = True
        created = self.rule._generate(return_records=True)
        visit = self._visits(pos_order)
        self.assertIn(visit, created)
        self.assertEqual(visit.pos_order_id, pos_order)
        self.assertEqual(self.rule._generate(), 0)
        self.assertEqual(len(self._visits(pos_order)), 1)
        # the sale order of the case: a positive source, no POS order
        sale_visits = self.Visit.search(
            [("rule_id", "=", self.rule.id), ("sale_order_id", "=", self.order.id)]
        )
        self.assertTrue(sale_visits)
        self.assertFalse(sale_visits.pos_order_id)

    def test_upgrade_links_the_visits_planned_before_the_link(self):
        pos_order = self._pos_order(self.customer, amount=90.0)
        visit = self._visits(pos_order)
        sale_visit = self._sale_visit()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE store_return_visit SET pos_order_id = NULL WHERE id = ANY(%s)",
            [(visit | sale_visit).ids],
        )
        self.Visit.invalidate_model(["pos_order_id"])
        self.assertFalse(visit.pos_order_id)
        self.Visit.init()
        self.Visit.invalidate_model(["pos_order_id"])
        self.assertEqual(visit.pos_order_id, pos_order)
        self.assertFalse(sale_visit.pos_order_id)

    def test_pos_order_counts_and_opens_its_visits(self):
        pos_order = self._pos_order(self.customer, amount=90.0)
        visit = self._visits(pos_order)
        as_clerk = pos_order.with_user(self.clerk)
        self.assertEqual(as_clerk.store_return_visit_count, 1)
        action = as_clerk.action_view_store_return_visits()
        self.assertEqual(self.Visit.with_user(self.clerk).search(action["domain"]), visit)
        back = visit.with_user(self.clerk).action_open_pos_order()
        self.assertEqual((back["res_model"], back["res_id"]), ("pos.order", pos_order.id))

    def test_only_the_rule_sets_the_link(self):
        pos_order = self._pos_order(self.customer, amount=90.0)
        other = self._pos_order(self.customer, amount=20.0)
        visit = self._visits(pos_order).with_user(self.manager)
        with self.assertRaisesRegex(UserError, "POS Order"):
            visit.write({"pos_order_id": other.id})
        with self.assertRaisesRegex(UserError, "POS Order"):
            self.Visit.with_user(self.manager).create(
                {"partner_id": self.customer.id, "pos_order_id": pos_order.id}
            )
        self.assertEqual(visit.pos_order_id, pos_order)
