# pylint: disable=unsubscriptable-object
"""Compensation as a coupon from a complaint; its value in the service cost."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.store_service_crm.tests.common import ComplaintCase  # pylint: disable=import-error

from ..hooks import uninstall_hook


@tagged("post_install", "-at_install")
class TestCompensationCoupon(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.voucher = cls.env.ref("store_service_crm_loyalty.loyalty_program_compensation")
        cls.percent_coupons = cls.env["loyalty.program"].create(
            {
                "name": "10% coupons",
                "program_type": "coupons",
                "trigger": "with_code",
                "applies_on": "current",
                "reward_ids": [(0, 0, {"discount": 10, "required_points": 1})],
            }
        )

    def _give(self, complaint, amount, program=None, user=None):
        complaint = complaint.with_user(user or self.clerk)
        wizard = (
            self.env["store.complaint.coupon.wizard"]
            .with_user(user or self.clerk)
            .create({"complaint_id": complaint.id, "amount": amount})
        )
        if program:
            wizard.program_id = program
        wizard.action_confirm()
        return complaint.sudo().compensation_card_ids

    def test_clerk_gives_a_voucher_linked_to_the_complaint(self):
        complaint = self._in_progress()
        card = self._give(complaint, 30.0)
        self.assertEqual(len(card), 1)
        self.assertEqual(card.program_id, self.voucher)
        self.assertEqual(card.partner_id, complaint.partner_id)
        self.assertEqual(card.points, 30.0, "1 point is worth 1 unit of currency")
        self.assertEqual(card.store_compensation_value, 30.0)
        self.assertEqual(complaint.compensation_card_count, 1)
        self.assertEqual(complaint.service_extra_cost, 30.0)
        self.assertIn(card.code, complaint.message_ids[0].body)

    def test_voucher_value_counts_in_service_cost(self):
        # the order of the fixture: 800 (list price); compensation 50 + voucher 30 + 20
        complaint = self._in_progress(
            partner_id=self.customer.id, compensation_amount=50.0, sale_order_id=self.order.id
        )
        self._give(complaint, 30.0)
        self._give(complaint, 20.0)
        other = self._in_progress()
        Kpi = self.env["store.service.kpi"]
        today = fields.Date.context_today(Kpi)
        kpis = Kpi.compute_kpis(today - timedelta(days=1), today, team_ids=self.store.ids)
        self.assertAlmostEqual(kpis["compensation_amount"], 50.0)
        self.assertAlmostEqual(kpis["service_cost"], 100.0)
        self.assertAlmostEqual(kpis["service_cost_ratio"], 100.0 / kpis["revenue"])
        # the drill-down of the KPI finds the complaint with a cost, not the other one
        action = Kpi.action_open_kpi_records(
            "service_cost_ratio", today - timedelta(days=1), today, team_ids=self.store.ids
        )
        found = self.env["store.complaint"].search(
            action["context"]["store_service_kpi_facet"]["domain"]
        )
        self.assertIn(complaint, found)
        self.assertNotIn(other, found)
        only_coupon = self._in_progress()
        self._give(only_coupon, 5.0)
        self.assertIn(
            only_coupon,
            self.env["store.complaint"].search(
                action["context"]["store_service_kpi_facet"]["domain"]
            ),
        )

    def test_coupon_refused_on_a_new_or_closed_complaint(self):
        fresh = self._complaint()
        with self.assertRaisesRegex(UserError, "not possible"):
            self._give(fresh, 10.0)
        cancelled = self._complaint()
        cancelled.action_cancel(reason="Registered twice")
        with self.assertRaisesRegex(UserError, "not possible"):
            cancelled.with_user(self.clerk).action_compensate_with_coupon(self.voucher.id, 10)
        self.assertFalse((fresh | cancelled).sudo().compensation_card_ids)

    def test_bad_value_or_programme_is_refused_and_creates_nothing(self):
        complaint = self._in_progress().with_user(self.clerk)
        for amount in (0, -5, 0.001):
            with self.assertRaisesRegex(UserError, "must be positive"):
                complaint.action_compensate_with_coupon(self.voucher.id, amount)
        with self.assertRaisesRegex(UserError, "fixed amount per point"):
            complaint.action_compensate_with_coupon(self.percent_coupons.id, 10)
        with self.assertRaisesRegex(UserError, "active coupon or gift card"):
            complaint.action_compensate_with_coupon(0, 10)
        loyalty = self.env["loyalty.program"].create({"name": "Points", "program_type": "loyalty"})
        with self.assertRaisesRegex(UserError, "active coupon or gift card"):
            complaint.action_compensate_with_coupon(loyalty.id, 10)
        self.assertFalse(complaint.sudo().compensation_card_ids)

    def test_employee_outside_the_store_service_cannot_give_a_coupon(self):
        complaint = self._in_progress()
        with self.assertRaises(AccessError):
            complaint.with_user(self.users["employee"]).action_compensate_with_coupon(
                self.voucher.id, 10
            )
        self.assertFalse(complaint.compensation_card_ids)

    def test_clerk_cannot_write_the_card_link_directly(self):
        complaint = self._in_progress()
        card = self._give(complaint, 10.0)
        with self.assertRaises(AccessError):
            card.with_user(self.clerk).write({"store_compensation_value": 1000})
        self.assertEqual(card.store_compensation_value, 10.0)

    def test_uninstall_hook_puts_back_the_service_cost_function_of_the_core(self):
        """Uninstalling the bridge drops loyalty_card.store_complaint_id: the function
        must not read it any more (and the bridge's init() puts it back)."""

        def body():
            self.env.cr.execute(
                "SELECT prosrc FROM pg_proc WHERE proname = 'store_service_kpi_extra_cost'"
            )
            return self.env.cr.fetchone()[0]

        self.assertIn("loyalty_card", body())
        uninstall_hook(self.env)
        self.assertNotIn("loyalty_card", body())
        self.env["store.service.kpi"].init()
        self.assertIn("loyalty_card", body())
