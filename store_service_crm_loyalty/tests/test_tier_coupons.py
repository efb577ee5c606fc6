# pylint: disable=unsubscriptable-object
"""Tier benefits with Odoo Loyalty: points multiplier, welcome and birthday coupons."""

from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.store_service_crm.tests.test_loyalty import LoyaltyCase  # pylint: disable=import-error


@tagged("post_install", "-at_install")
class TestTierCoupons(LoyaltyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Program = cls.env["loyalty.program"].with_company(cls.company)
        cls.welcome = Program.create(
            {
                "name": "Silver welcome",
                "program_type": "coupons",
                "company_id": cls.company.id,
                "reward_ids": [(0, 0, {"discount": 15, "required_points": 1})],
            }
        )
        cls.birthday = Program.create(
            {
                "name": "Birthday gift",
                "program_type": "coupons",
                "company_id": cls.company.id,
                "reward_ids": [(0, 0, {"discount": 20, "required_points": 2})],
            }
        )
        cls.points = Program.create(
            {
                "name": "Store points",
                "program_type": "loyalty",
                "company_id": cls.company.id,
                "trigger": "auto",
                "applies_on": "both",
                "rule_ids": [(0, 0, {"reward_point_mode": "money", "reward_point_amount": 1})],
                "reward_ids": [(0, 0, {"discount": 5, "required_points": 200})],
            }
        )
        cls.silver.write(
            {
                "welcome_program_id": cls.welcome.id,
                "birthday_program_id": cls.birthday.id,
                "loyalty_program_id": cls.points.id,
                "loyalty_points_multiplier": 2.0,
            }
        )
        cls.Card = cls.env["loyalty.card"]

    def _cards(self, partner, program):
        return self.Card.search([("partner_id", "=", partner.id), ("program_id", "=", program.id)])

    def test_upgrade_gives_one_welcome_coupon(self):
        customer = self._customer("Ms. Welcome")
        self._order(customer, 800)
        self.assertFalse(self._cards(customer, self.welcome), "T-Standard has no welcome coupon")
        self._order(customer, 800)  # T-Silver
        card = self._cards(customer, self.welcome)
        self.assertEqual(len(card), 1)
        self.assertEqual(card.points, 1.0, "one use of the programme's reward")
        self.assertEqual(card.store_tier_history_id.new_tier_id, self.silver)
        # reruns and more orders give nothing more
        self.env["res.partner"]._recompute_loyalty_all()
        self._order(customer, 10)
        self.assertEqual(len(self._cards(customer, self.welcome)), 1)

    def test_downgrade_and_new_upgrade_give_no_second_welcome_coupon(self):
        self.company.loyalty_downgrade_grace_days = 0
        customer = self._customer("Mr. Yoyo")
        self._order(customer, 800)
        order = self._order(customer, 800)
        order._action_cancel()
        self._settle()
        self.assertEqual(customer.loyalty_tier_id, self.standard)
        self._order(customer, 900)
        self.assertEqual(customer.loyalty_tier_id, self.silver)
        self.assertEqual(len(self._cards(customer, self.welcome)), 1)

    def test_tier_set_by_hand_gives_the_welcome_coupon(self):
        customer = self._customer("Mrs. Friend")
        self._order(customer, 100)
        customer.with_user(self.users["manager"]).write({"loyalty_tier_id": self.silver.id})
        self.assertEqual(len(self._cards(customer, self.welcome)), 1)

    def test_birthday_coupon_once_a_year(self):
        born = self._customer("Ms. Birthday", birthdate_date=date(1990, 6, 15))
        other_day = self._customer("Mr. Other Day", birthdate_date=date(1990, 6, 16))
        standard = self._customer("Ms. Standard", birthdate_date=date(1985, 6, 15))
        for customer in (born, other_day, standard):
            self._order(customer, 800)
        self._order(born, 800)
        self._order(other_day, 800)
        self.assertEqual((born | other_day).mapped("loyalty_tier_id"), self.silver)
        Partner = self.env["res.partner"]
        self.assertEqual(Partner._loyalty_issue_birthday_coupons(today=date(2026, 6, 15)), 1)
        card = self._cards(born, self.birthday)
        self.assertEqual((card.points, card.store_birthday_year), (2.0, 2026))
        self.assertFalse(self._cards(other_day, self.birthday))
        self.assertFalse(self._cards(standard, self.birthday), "T-Standard has none")
        # the cron runs twice the same day: nothing more; next year: a new one
        self.assertEqual(Partner._loyalty_issue_birthday_coupons(today=date(2026, 6, 15)), 0)
        self.assertEqual(Partner._loyalty_issue_birthday_coupons(today=date(2027, 6, 15)), 1)
        self.assertEqual(
            self._cards(born, self.birthday).mapped("store_birthday_year"), [2026, 2027]
        )

    def test_leap_day_birthday_on_28_february_of_other_years(self):
        leap = self._customer("Mr. Leap", birthdate_date=date(2000, 2, 29))
        self._order(leap, 800)
        self._order(leap, 800)
        Partner = self.env["res.partner"]
        self.assertEqual(Partner._loyalty_issue_birthday_coupons(today=date(2027, 2, 28)), 1)
        self.assertEqual(Partner._loyalty_issue_birthday_coupons(today=date(2028, 2, 28)), 0)
        self.assertEqual(Partner._loyalty_issue_birthday_coupons(today=date(2028, 2, 29)), 1)

    def test_points_multiplier_of_the_tier_programme(self):
        customer = self._customer("Ms. Points")
        self._order(customer, 800)
        self._order(customer, 800)
        self.assertEqual(customer.loyalty_program_id, self.points)
        order = self._order(customer, 150, confirm=False)
        self.assertEqual(order.partner_loyalty_program_id, self.points)
        order._update_programs_and_rewards()
        # 150 untaxed (no tax) x 1 point per unit x 2 = 300 points
        coupon_points = order.coupon_point_ids.filtered(
            lambda p: p.coupon_id.program_id == self.points
        )
        self.assertEqual(coupon_points.points, 300.0)
        standard = self._customer("Mr. Standard Points")
        order = self._order(standard, 150, confirm=False)
        order._update_programs_and_rewards()
        coupon_points = order.coupon_point_ids.filtered(
            lambda p: p.coupon_id.program_id == self.points
        )
        self.assertEqual(coupon_points.points, 150.0, "no multiplier outside the tier")

    def test_bad_tier_programmes_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            self.gold.loyalty_points_multiplier = 0
        with self.assertRaisesRegex(ValidationError, "loyalty card programme"):
            self.vip.loyalty_program_id = self.welcome
        with self.assertRaisesRegex(ValidationError, "coupons or gift cards"):
            self.standard.welcome_program_id = self.points
