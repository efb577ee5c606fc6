from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCase, VisitCase

EPOCH = date(2000, 1, 1)


@tagged("post_install", "-at_install")
class TestCareProgrammes(VisitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.class_a = cls.env.ref("store_service_crm.customer_value_class_a")
        cls.class_b = cls.env.ref("store_service_crm.customer_value_class_b")
        cls.gold = cls.env.ref("store_service_crm.loyalty_tier_gold")
        # 400 days on (VisitCase), the existing (demo) customers have not bought for
        # over a year: lost, as the loyalty recompute would find
        cls.env["res.partner"].search([("customer_lifecycle", "!=", False)]).write(
            {"customer_lifecycle": "lost"}
        )

    def _customer(self, name, value_class="A", lifecycle="active", **vals):
        # the loyalty engine's figures, set as it would (its own tests cover it)
        return self.env["res.partner"].create(
            dict(
                {
                    "name": name,
                    "customer_rank": 1,
                    "user_id": self.clerk.id,
                    "customer_value_class": value_class,
                    "customer_lifecycle": lifecycle,
                },
                **vals,
            )
        )

    def _care_rule(self, **vals):
        return self._rule(
            **dict(
                {
                    "name": "Quarterly check",
                    "trigger": "care_check",
                    "interval_days": 90,
                    "delay_days": 0,
                    "horizon_days": 89,
                    "value_class_ids": [Command.set((self.class_a | self.class_b).ids)],
                },
                **vals,
            )
        )

    def _greeting_rule(self, day, **vals):
        greeting = self.env["store.greeting.date"].create(
            {"name": "Store anniversary", "month": day.month, "day": day.day}
        )
        return self._rule(
            **dict(
                {
                    "name": "Anniversary greeting",
                    "trigger": "greeting",
                    "delay_days": 0,
                    "horizon_days": 30,
                    "greeting_date_ids": [Command.set(greeting.ids)],
                },
                **vals,
            )
        )

    @staticmethod
    def _care_day(partner, today, interval=90):
        """Hand computation: the first day d >= today with (d - 2000-01-01) mod 90 equal
        to the partner id mod 90."""
        day = today
        while (day - EPOCH).days % interval != partner.id % interval:
            day += timedelta(days=1)
        return day

    # ---------------------------------------------------------------- care check
    def test_care_check_plans_every_customer_once_on_its_own_day(self):
        rule = self._care_rule()
        customers = [self._customer(f"Customer {index}") for index in range(5)]
        today = fields.Date.context_today(rule)
        self.assertEqual(rule.generate_visits(), 5)
        for customer in customers:
            visit = self._visits(rule_id=rule.id, partner_id=customer.id)
            self.assertEqual(len(visit), 1)
            self.assertEqual(visit.origin, "care")
            self.assertEqual(visit.scheduled_date, self._care_day(customer, today))
            self.assertEqual(visit.user_id, self.clerk)
        # consecutive ids: consecutive days (mod 90), not all on one date
        days = {self._visits(partner_id=c.id).scheduled_date for c in customers}
        self.assertEqual(len(days), 5)

    def test_care_call_goes_to_the_salesperson_of_the_last_order(self):
        rule = self._care_rule()
        customer = self._customer("No salesperson", user_id=False)
        self._order(partner=customer, user=self.manager, days_ago=30)
        rule.generate_visits()
        visit = self._visits(rule_id=rule.id, partner_id=customer.id)
        self.assertEqual(visit.user_id, self.manager)
        self.assertEqual(visit.team_id, self.store, "the store of the last order")

    def test_care_check_rerun_creates_nothing(self):
        rule = self._care_rule()
        self._customer("Customer A")
        self._customer("Customer B", value_class="B")
        self.assertEqual(rule.generate_visits(), 2)
        self.assertEqual(rule.generate_visits(), 0)
        self.assertEqual(len(self._visits(rule_id=rule.id)), 2)

    def test_care_check_next_quarter_is_a_new_visit(self):
        rule = self._care_rule(horizon_days=0)
        customer = self._customer("Customer A")
        first_day = self._care_day(customer, fields.Date.context_today(rule))
        with freeze_time(first_day):
            self.assertEqual(rule.generate_visits(), 1)
        with freeze_time(first_day + timedelta(days=90)):
            self.assertEqual(rule.generate_visits(), 1)
            self.assertEqual(rule.generate_visits(), 0)
        visits = self._visits(rule_id=rule.id).sorted("scheduled_date")
        self.assertEqual(
            visits.mapped("scheduled_date"), [first_day, first_day + timedelta(days=90)]
        )
        self.assertEqual(visits[1].period_key - visits[0].period_key, 1)

    def test_care_check_selects_value_classes_or_tiers(self):
        rule = self._care_rule(tier_ids=[Command.set(self.gold.ids)])
        class_a = self._customer("Class A")
        class_c = self._customer("Class C", value_class="C")
        gold_c = self._customer("Gold C", value_class="C", loyalty_tier_id=self.gold.id)
        rule.generate_visits()
        planned = self._visits(rule_id=rule.id).partner_id
        self.assertEqual(planned, class_a | gold_c)
        self.assertNotIn(class_c, planned)

    def test_care_check_leaves_out_lost_and_non_customers(self):
        rule = self._care_rule(value_class_ids=[Command.clear()])
        active = self._customer("Active")
        self._customer("Lost", lifecycle="lost")
        self._customer("Never bought", value_class=False, lifecycle=False)
        company = self._customer("Company", is_company=True)
        contact = self.env["res.partner"].create({"name": "Contact", "parent_id": company.id})
        rule.generate_visits()
        self.assertEqual(self._visits(rule_id=rule.id).partner_id, active | company)
        self.assertFalse(self._visits(partner_id=contact.id))

    # ---------------------------------------------------------------- greetings
    def test_greeting_on_a_configured_date(self):
        today = fields.Date.context_today(self.Rule)
        day = today + timedelta(days=5)
        rule = self._greeting_rule(day)
        customer = self._customer("Greeted")
        self.assertEqual(rule.generate_visits(), 1)
        visit = self._visits(rule_id=rule.id)
        self.assertEqual(visit.partner_id, customer)
        self.assertEqual(visit.origin, "greeting")
        self.assertEqual(visit.scheduled_date, day)
        self.assertEqual(visit.period_key, day.year * 10000 + day.month * 100 + day.day)
        self.assertEqual(rule.generate_visits(), 0)

    def test_greeting_beyond_the_horizon_is_not_planned_yet(self):
        today = fields.Date.context_today(self.Rule)
        rule = self._greeting_rule(today + timedelta(days=40), horizon_days=30)
        self._customer("Greeted")
        self.assertEqual(rule.generate_visits(), 0)

    def test_greeting_of_one_year_only(self):
        today = fields.Date.context_today(self.Rule)
        day = today + timedelta(days=5)
        rule = self._greeting_rule(day)
        rule.greeting_date_ids.year = day.year + 1  # a lunar festival of next year
        self._customer("Greeted")
        self.assertEqual(rule.generate_visits(), 0)
        rule.greeting_date_ids.year = day.year
        self.assertEqual(rule.generate_visits(), 1)

    def test_greeting_on_29_february_falls_on_28_in_other_years(self):
        with freeze_time("2027-02-20"):
            rule = self._greeting_rule(date(2028, 2, 29))
            self._customer("Greeted")
            self.assertEqual(rule.generate_visits(), 1)
            self.assertEqual(self._visits(rule_id=rule.id).scheduled_date, date(2027, 2, 28))

    def test_greeting_date_must_exist(self):
        with self.assertRaises(ValidationError):
            self.env["store.greeting.date"].create({"name": "Bad", "month": 2, "day": 30})
        with self.assertRaises(ValidationError):
            self.env["store.greeting.date"].create({"name": "Bad", "month": 13, "day": 1})

    def test_greeting_rule_needs_dates(self):
        with self.assertRaises(ValidationError):
            self._rule(trigger="greeting", name="No dates")

    # ---------------------------------------------------------------- one call a day
    def test_same_day_visits_of_two_rules_merge_into_one_call(self):
        care = self._care_rule()
        customer = self._customer("Both")
        day = self._care_day(customer, fields.Date.context_today(care))
        greeting = self._greeting_rule(day, horizon_days=89)
        self.assertEqual((care | greeting).generate_visits(), 2)
        visits = self._visits(partner_id=customer.id)
        planned = visits.filtered(lambda v: v.state == "planned")
        merged = visits - planned
        self.assertEqual(len(planned), 1)
        self.assertEqual(planned.rule_id, care, "the care check comes before a greeting")
        self.assertEqual(merged.state, "cancelled")
        self.assertEqual(merged.merged_into_id, planned)
        self.assertEqual(planned.visit_reasons, "Quarterly check, Anniversary greeting")
        self.assertEqual(len(planned.activity_ids), 1)
        self.assertFalse(merged.activity_ids)
        # the merged visit keeps its key: a rerun plans nothing again
        self.assertEqual((care | greeting).generate_visits(), 0)
        self.assertEqual(len(self._visits(partner_id=customer.id, state="planned")), 1)

    def test_other_customers_or_days_do_not_merge(self):
        care = self._care_rule()
        first = self._customer("First")
        second = self._customer("Second")
        day = self._care_day(first, fields.Date.context_today(care))
        self.assertEqual(self._care_day(second, day), day + timedelta(days=1))
        # the greeting falls on the second customer's check day, the day after the first's
        greeting = self._greeting_rule(day + timedelta(days=1), horizon_days=89)
        (care | greeting).generate_visits()
        self.assertEqual(len(self._visits(partner_id=first.id, state="planned")), 2)
        second_planned = self._visits(partner_id=second.id, state="planned")
        self.assertEqual(len(second_planned), 1)
        self.assertEqual(
            self.Visit.search(
                [("merged_into_id", "!=", False), ("partner_id", "in", (first | second).ids)]
            ).merged_into_id,
            second_planned,
        )

    def test_purchase_follow_up_absorbs_a_greeting_of_the_same_day(self):
        today = fields.Date.context_today(self.Rule)
        customer = self._customer("Buyer")
        greeting = self._greeting_rule(today + timedelta(days=3))
        greeting.generate_visits()
        greeting_visit = self._visits(rule_id=greeting.id)
        self.assertEqual(len(greeting_visit.activity_ids), 1)
        sale_rule = self._rule(delay_days=3)
        order = self._order(partner=customer)
        sale_visit = self._visits(rule_id=sale_rule.id, sale_order_id=order.id)
        self.assertEqual(sale_visit.scheduled_date, greeting_visit.scheduled_date)
        self.assertEqual(sale_visit.state, "planned")
        self.assertEqual(greeting_visit.state, "cancelled")
        self.assertEqual(greeting_visit.merged_into_id, sale_visit)
        self.assertFalse(greeting_visit.activity_ids)
        self.assertEqual(sale_visit.visit_reasons, "Call after purchase, Anniversary greeting")

    def test_two_purchase_follow_ups_of_one_day_stay_two_calls(self):
        self._rule(delay_days=3)
        customer = self._customer("Buyer")
        first = self._order(partner=customer)
        second = self._order(partner=customer)
        visits = self._visits(partner_id=customer.id)
        self.assertEqual(visits.sale_order_id, first | second)
        self.assertEqual(set(visits.mapped("state")), {"planned"})

    def test_merged_into_is_a_workflow_field(self):
        care = self._care_rule()
        customer = self._customer("Both")
        care.generate_visits()
        visit = self._visits(partner_id=customer.id)
        other = self.Visit.create(
            {"partner_id": customer.id, "scheduled_date": visit.scheduled_date}
        )
        with self.assertRaises(UserError):
            other.with_user(self.manager).write({"merged_into_id": visit.id})

    # ---------------------------------------------------------------- shipped data
    def test_maintenance_reminders_and_programmes_ship_archived(self):
        rules = self.Rule.with_context(active_test=False).browse(
            [
                self.env.ref(f"store_service_crm.return_visit_rule_{name}").id
                for name in (
                    "maintenance_aircon",
                    "maintenance_water_filter",
                    "maintenance_hood",
                    "maintenance_water_heater",
                    "maintenance_flooring",
                    "care_quarterly",
                    "festival_greeting",
                )
            ]
        )
        self.assertEqual(len(rules), 7)
        maintenance = rules.filtered(lambda r: r.trigger == "periodic")
        self.assertEqual(len(maintenance), 5)
        self.assertTrue(all(rule.delay_days >= 180 for rule in maintenance))
        # VisitCase archives every rule: the shipped state is in the data file
        self.assertEqual(
            self.env["ir.model.data"]
            .search(
                [
                    ("module", "=", "store_service_crm"),
                    ("model", "=", "store.return.visit.rule"),
                    ("name", "=like", "return_visit_rule_maintenance%"),
                ]
            )
            .mapped("noupdate"),
            [True] * 5,
        )


@tagged("post_install", "-at_install")
class TestVipValueClass(ComplaintCase):
    def test_value_class_puts_a_complaint_in_the_vip_queue(self):
        self.company.complaint_vip_value_class_ids = self.env.ref(
            "store_service_crm.customer_value_class_a"
        )
        self.customer_no_email.customer_value_class = "A"
        self.customer.customer_value_class = "C"
        self.assertTrue(self._complaint().is_vip)
        complaint = self._complaint(partner_id=self.customer.id)
        self.assertFalse(complaint.is_vip)
        self.assertEqual(complaint.priority, "0")

    def test_vip_tiers_still_work_with_value_classes(self):
        gold = self.env.ref("store_service_crm.loyalty_tier_gold")
        self.company.write(
            {
                "complaint_vip_tier_ids": [Command.set(gold.ids)],
                "complaint_vip_value_class_ids": [
                    Command.set(self.env.ref("store_service_crm.customer_value_class_a").ids)
                ],
            }
        )
        self.customer.write({"loyalty_tier_id": gold.id, "customer_value_class": "C"})
        self.assertTrue(self._complaint(partner_id=self.customer.id).is_vip)
