"""Visit generation with nothing to do (issue 18): the "after an order" rules read
only the sale orders written since their last complete run."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import VisitCase


@tagged("post_install", "-at_install")
class TestVisitWatermark(VisitCase):
    def _at(self, table, record, column, value):
        self.env.flush_all()
        self.env.cr.execute(
            f"UPDATE {table} SET {column} = %s WHERE id = %s",
            [value, record.id],
        )
        self.env.invalidate_all()

    def _forget_visits(self, order):
        self.env.flush_all()
        self.env.cr.execute("DELETE FROM store_return_visit WHERE sale_order_id = %s", [order.id])
        self.env.invalidate_all()

    def _setup_run(self, **rule_vals):
        """A rule run once; an old order (written before the mark) and a new one
        (after it), both without their visit."""
        rule = self._rule(**rule_vals)
        old, new = self._order(), self._order()
        self.assertEqual(rule.generate_visits(), 0, "both planned when confirmed")
        self.assertTrue(rule.generated_until, "a complete run leaves its mark")
        # the database's clock (write dates, marks), not the tests' frozen one
        now = self.env.cr.now()
        self._at("store_return_visit_rule", rule, "generated_until", now - timedelta(hours=1))
        self._at("store_return_visit_rule", rule, "write_date", now - timedelta(hours=3))
        self._at("sale_order", old, "write_date", now - timedelta(hours=2))
        self._at("sale_order", new, "write_date", now)
        self._forget_visits(old)
        self._forget_visits(new)
        return rule, old, new

    def test_a_run_reads_only_the_orders_written_since_the_last_one(self):
        rule, old, new = self._setup_run()
        self.assertEqual(rule.generate_visits(), 1)
        self.assertEqual(len(self._visits(sale_order_id=new.id)), 1)
        self.assertFalse(self._visits(sale_order_id=old.id), "planned before: not read again")
        self.assertEqual(rule.generate_visits(), 0, "nothing new: nothing created")
        self.assertEqual(len(self._visits(sale_order_id=new.id)), 1)

    def test_a_changed_rule_reads_every_order_again(self):
        rule, old, new = self._setup_run()
        self._at("store_return_visit_rule", rule, "write_date", self.env.cr.now())
        self.assertEqual(rule.generate_visits(), 2)
        self.assertEqual(len(self._visits(sale_order_id=old.id)), 1)
        self.assertEqual(len(self._visits(sale_order_id=new.id)), 1)

    def test_a_tier_rule_reads_every_order(self):
        """A customer entering the tier makes his old orders eligible without writing
        them: such rules keep the full read."""
        gold = self.env.ref("store_service_crm.loyalty_tier_gold")
        self.customer.write({"loyalty_tier_id": gold.id, "loyalty_tier_locked": True})
        _rule, old, _new = self._setup_run(tier_ids=[fields.Command.set(gold.ids)])
        self.assertEqual(self.Rule.generate_visits(), 2)
        self.assertEqual(len(self._visits(sale_order_id=old.id)), 1)

    def test_no_mark_reads_every_order(self):
        rule, old, _new = self._setup_run()
        self._at("store_return_visit_rule", rule, "generated_until", None)
        self.assertEqual(rule.generate_visits(), 2)
        self.assertEqual(len(self._visits(sale_order_id=old.id)), 1)
