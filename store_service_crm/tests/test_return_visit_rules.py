from datetime import date, timedelta
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import VisitCase


class Killed(Exception):
    """Simulates the cron worker being killed between two batches."""


@tagged("post_install", "-at_install")
class TestReturnVisitRules(VisitCase):
    # ---------------------------------------------------------------- sale rules
    def test_confirmed_order_gets_a_visit_at_the_rule_delay(self):
        rule = self._rule(delay_days=3)
        order = self._order()
        visit = self._visits(sale_order_id=order.id)
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.rule_id, rule)
        self.assertEqual(visit.origin, "sale")
        self.assertEqual(visit.state, "planned")
        self.assertEqual(visit.scheduled_date, order.date_order.date() + timedelta(days=3))
        self.assertEqual(visit.user_id, self.clerk, "assigned to the order's salesperson")
        self.assertEqual(visit.team_id, self.store)
        self.assertEqual(visit.partner_id, self.customer)

    def test_visit_puts_an_activity_on_the_assignee_todo_list(self):
        self._rule()
        order = self._order()
        visit = self._visits(sale_order_id=order.id)
        activity = visit.activity_ids.filtered(lambda a: a.activity_type_id == self.activity_type)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.clerk)
        self.assertEqual(activity.date_deadline, visit.scheduled_date)
        self.assertEqual(activity.res_model, "store.return.visit")

    def test_team_leader_and_fixed_user_roles(self):
        leader_rule = self._rule(assign_to="team_leader")
        fixed_rule = self._rule(assign_to="user", user_id=self.env.ref("base.user_admin").id)
        order = self._order()
        self.assertEqual(
            self._visits(rule_id=leader_rule.id, sale_order_id=order.id).user_id, self.manager
        )
        self.assertEqual(
            self._visits(rule_id=fixed_rule.id, sale_order_id=order.id).user_id,
            self.env.ref("base.user_admin"),
        )

    def test_two_runs_create_one_visit(self):
        rule = self._rule()
        rule.active = False
        orders = self._order() | self._order()
        rule.active = True
        self.assertEqual(rule.generate_visits(), 2)
        self.assertEqual(rule.generate_visits(), 0)
        self.assertEqual(self.Rule.generate_visits(), 0, "all rules: still nothing new")
        for order in orders:
            self.assertEqual(len(self._visits(sale_order_id=order.id)), 1)

    def test_tier_filter(self):
        gold = self.env.ref("store_service_crm.loyalty_tier_gold")
        rule = self._rule(tier_ids=[fields.Command.set(gold.ids)])
        other = self.env["res.partner"].create({"name": "Mr. Li", "customer_rank": 1})
        self.customer.write({"loyalty_tier_id": gold.id, "loyalty_tier_locked": True})
        gold_order = self._order()
        other_order = self._order(partner=other)
        rule.generate_visits()
        self.assertEqual(len(self._visits(sale_order_id=gold_order.id)), 1)
        self.assertFalse(self._visits(sale_order_id=other_order.id), "not in the rule's tiers")

    def test_product_category_filter_includes_subcategories(self):
        self._rule(product_categ_ids=[fields.Command.set(self.tiles.ids)])
        tile_order = self._order(product=self.tile)
        fridge_order = self._order(product=self.fridge)
        self.assertEqual(len(self._visits(sale_order_id=tile_order.id)), 1)
        self.assertFalse(self._visits(sale_order_id=fridge_order.id))

    def test_old_orders_and_quotations_get_no_visit(self):
        rule = self._rule(max_age_days=30)
        rule.active = False
        old = self._order(days_ago=45)
        quotation = self._order(confirm=False)
        recent = self._order(days_ago=10)
        rule.active = True
        rule.generate_visits()
        self.assertFalse(self._visits(sale_order_id=old.id))
        self.assertFalse(self._visits(sale_order_id=quotation.id))
        self.assertEqual(len(self._visits(sale_order_id=recent.id)), 1)

    def test_company_of_the_rule(self):
        other_company = self.env["res.company"].create({"name": "Other Chain"})
        rule = self._rule(company_id=other_company.id)
        order = self._order()
        rule.generate_visits()
        self.assertFalse(self._visits(sale_order_id=order.id), "order of another company")

    # ----------------------------------------------------------- cancellation
    def test_cancelled_order_cancels_its_planned_visits(self):
        self._rule()
        order = self._order()
        visit = self._visits(sale_order_id=order.id)
        self.assertEqual(visit.state, "planned")
        order._action_cancel()
        self.assertEqual(visit.state, "cancelled")
        self.assertFalse(visit.activity_ids, "the to-do disappears with the visit")

    def test_cancelled_order_gets_no_visit(self):
        rule = self._rule()
        rule.active = False
        order = self._order()
        order._action_cancel()
        rule.active = True
        self.assertEqual(rule.generate_visits(), 0)
        self.assertFalse(self._visits(sale_order_id=order.id))

    def test_generation_cancels_visits_of_orders_cancelled_in_sql(self):
        self._rule()
        order = self._order()
        visit = self._visits(sale_order_id=order.id)
        # an SQL-level fault on purpose: the order cancelled behind the ORM's back (today)
        self.env.cr.execute(
            "UPDATE sale_order SET state = 'cancel', write_date = %s WHERE id = %s",
            [fields.Datetime.now(), order.id],
        )
        self.env.invalidate_all()
        self.Rule.generate_visits()
        self.assertEqual(visit.state, "cancelled")

    # ------------------------------------------------------------ batches
    def test_cron_commits_batches_and_reports_progress(self):
        rule = self._rule()
        rule.active = False
        orders = self.env["sale.order"]
        for _i in range(5):
            orders |= self._order()
        rule.active = True
        cron = self.env.ref("store_service_crm.ir_cron_generate_return_visits")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        commits = []
        with patch.object(self.env.cr, "commit", lambda: commits.append(1)):
            self.Rule.with_context(ir_cron_progress_id=progress.id)._cron_generate_visits(
                batch_size=2
            )
        self.assertEqual(len(commits), 3, "batches of 2, 2 and 1, each committed")
        self.assertEqual(progress.done, 5)
        self.assertEqual(progress.remaining, 0)
        self.assertEqual(len(self._visits(rule_id=rule.id)), 5)

    def test_killed_run_and_rerun_leave_one_visit_per_order(self):
        rule = self._rule()
        rule.active = False
        orders = self.env["sale.order"]
        for _i in range(5):
            orders |= self._order()
        rule.active = True
        cr = self.env.cr
        calls = []

        def commit():
            # first commit: the batch is saved; second: the worker dies
            calls.append(1)
            if len(calls) == 1:
                cr.execute("SAVEPOINT visit_batch_committed")
                return
            raise Killed()

        # not self.assertRaises(): Odoo's version rolls back to a savepoint of its own
        killed = False
        with patch.object(cr, "commit", commit):
            try:
                self.Rule._cron_generate_visits(batch_size=2)
            except Killed:
                killed = True
        self.assertTrue(killed)
        cr.execute("ROLLBACK TO SAVEPOINT visit_batch_committed")
        self.env.invalidate_all()
        self.assertEqual(len(self._visits(rule_id=rule.id)), 2, "the committed batch survived")
        self.assertEqual(self.Rule.generate_visits(), 3)
        for order in orders:
            self.assertEqual(len(self._visits(rule_id=rule.id, sale_order_id=order.id)), 1)

    def _queries_to_generate(self, rule, n_orders):
        rule.active = False
        for _i in range(n_orders):
            self._order()
        rule.active = True
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        created = rule.generate_visits()
        count = self.env.cr.sql_log_count - before
        self.assertEqual(created, n_orders)
        return count

    def test_generation_is_set_based(self):
        """The number of queries does not grow with the number of orders."""
        rule = self._rule()
        self._queries_to_generate(rule, 1)  # warm the caches (xml ids, models)
        few = self._queries_to_generate(rule, 2)
        many = self._queries_to_generate(rule, 12)
        self.assertEqual(few, many)

    def test_unique_index_refuses_a_duplicate(self):
        self._rule()
        visit = self._visits(sale_order_id=self._order().id)
        with self.assertRaises(psycopg2.IntegrityError), self.cr.savepoint():
            self.env.cr.execute(
                """INSERT INTO store_return_visit (partner_id, origin, rule_id, source_id,
                       period_key, scheduled_date, company_id, channel, state)
                   VALUES (%s, 'sale', %s, %s, 0, now(), %s, 'phone', 'planned')""",
                [visit.partner_id.id, visit.rule_id.id, visit.source_id, visit.company_id.id],
            )

    # ------------------------------------------------------------- birthdays
    @freeze_time("2026-06-10")
    def test_birthday_visit_within_the_horizon(self):
        rule = self._rule(trigger="birthday", delay_days=0, horizon_days=7, channel="messaging")
        self.customer.birthdate_date = date(1980, 6, 14)
        far = self.env["res.partner"].create({"name": "Far", "birthdate_date": date(1980, 7, 30)})
        rule.generate_visits()
        visit = self._visits(rule_id=rule.id, partner_id=self.customer.id)
        self.assertEqual(visit.scheduled_date, date(2026, 6, 14))
        self.assertEqual(visit.origin, "birthday")
        self.assertEqual(visit.period_key, 2026)
        self.assertFalse(self._visits(rule_id=rule.id, partner_id=far.id))
        self.assertEqual(rule.generate_visits(), 0, "one greeting per year")

    @freeze_time("2027-02-25")
    def test_birthday_on_feb_29_in_a_non_leap_year(self):
        rule = self._rule(trigger="birthday", delay_days=0, horizon_days=7)
        self.customer.birthdate_date = date(1988, 2, 29)
        rule.generate_visits()
        visit = self._visits(rule_id=rule.id, partner_id=self.customer.id)
        self.assertEqual(visit.scheduled_date, date(2027, 2, 28))

    @freeze_time("2028-02-25")
    def test_birthday_on_feb_29_in_a_leap_year(self):
        rule = self._rule(trigger="birthday", delay_days=0, horizon_days=7)
        self.customer.birthdate_date = date(1988, 2, 29)
        rule.generate_visits()
        visit = self._visits(rule_id=rule.id, partner_id=self.customer.id)
        self.assertEqual(visit.scheduled_date, date(2028, 2, 29))

    @freeze_time("2026-12-29")
    def test_birthday_early_january_is_planned_in_december(self):
        rule = self._rule(trigger="birthday", delay_days=0, horizon_days=7)
        self.customer.birthdate_date = date(1975, 1, 2)
        rule.generate_visits()
        visit = self._visits(rule_id=rule.id, partner_id=self.customer.id)
        self.assertEqual(visit.scheduled_date, date(2027, 1, 2))
        self.assertEqual(visit.period_key, 2027)

    def test_birthday_rule_shipped_for_gold_and_vip(self):
        rule = self.env.ref("store_service_crm.return_visit_rule_birthday")
        self.assertEqual(rule.trigger, "birthday")
        self.assertEqual(
            rule.tier_ids,
            self.env.ref("store_service_crm.loyalty_tier_gold")
            | self.env.ref("store_service_crm.loyalty_tier_vip"),
        )
        purchase = self.env.ref("store_service_crm.return_visit_rule_after_purchase")
        self.assertEqual((purchase.trigger, purchase.delay_days), ("sale_confirmed", 3))
        complaint = self.env.ref("store_service_crm.return_visit_rule_after_complaint")
        self.assertEqual((complaint.trigger, complaint.delay_days), ("complaint_resolved", 2))

    # -------------------------------------------------------------- periodic
    def test_periodic_maintenance_plans_the_current_period_only(self):
        rule = self._rule(
            trigger="periodic",
            delay_days=180,
            interval_days=365,
            horizon_days=30,
            product_categ_ids=[fields.Command.set(self.tiles.ids)],
        )
        rule.active = False
        first_year = self._order(product=self.tile, days_ago=170)
        second_year = self._order(product=self.tile, days_ago=535)
        not_due = self._order(product=self.tile, days_ago=20)
        rule.active = True
        rule.generate_visits()
        today = fields.Date.context_today(rule)
        visit1 = self._visits(rule_id=rule.id, sale_order_id=first_year.id)
        visit2 = self._visits(rule_id=rule.id, sale_order_id=second_year.id)
        self.assertEqual(
            (visit1.period_key, visit1.scheduled_date), (0, today + timedelta(days=10))
        )
        self.assertEqual(
            (visit2.period_key, visit2.scheduled_date), (1, today + timedelta(days=10))
        )
        self.assertEqual(visit1.origin, "maintenance")
        self.assertFalse(self._visits(rule_id=rule.id, sale_order_id=not_due.id))
        self.assertEqual(rule.generate_visits(), 0)

    # ------------------------------------------------------------ complaints
    def _resolved_complaint(self):
        complaint = self.env["store.complaint"].create(
            {
                "partner_id": self.customer.id,
                "category_id": self.env.ref("store_service_crm.complaint_category_other").id,
                "description": "Noisy fridge",
                "team_id": self.store.id,
                "user_id": self.clerk.id,
            }
        )
        complaint.action_assign()
        complaint.action_start()
        complaint.write(
            {"responsibility": "product", "resolution_type": "repair", "root_cause": "Fan"}
        )
        complaint.action_resolve()
        return complaint

    def test_resolved_complaint_gets_one_verification_visit(self):
        rule = self._rule(trigger="complaint_resolved", delay_days=2, name="Verify")
        complaint = self._resolved_complaint()
        # action_resolve() planned it already; asking again plans nothing more
        self.assertFalse(self.Rule._generate_for_complaints(complaint))
        rule.generate_visits()
        visit = self._visits(rule_id=rule.id, complaint_id=complaint.id)
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.origin, "complaint")
        self.assertEqual(visit.scheduled_date, complaint.date_resolved.date() + timedelta(days=2))
        self.assertEqual(visit.user_id, self.clerk, "the complaint's handler calls back")

    def test_done_verification_visit_scores_the_complaint(self):
        rule = self._rule(trigger="complaint_resolved", delay_days=2, name="Verify")
        complaint = self._resolved_complaint()
        self.Rule._generate_for_complaints(complaint)
        visit = self._visits(rule_id=rule.id, complaint_id=complaint.id)
        visit.csat_score = 4
        visit.action_done()
        self.assertEqual(complaint.satisfaction_score, 4)

    def test_confirming_without_purchase_rule_plans_nothing(self):
        """Only sale rules react to a confirmation, even when other rules are active."""
        self._rule(trigger="birthday", horizon_days=400)
        order = self._order(confirm=False)
        evaluated = []

        def birthday_query(rule, today, source_ids):
            evaluated.append(rule)

        with patch.object(type(self.Rule), "_source_query_birthday", birthday_query):
            order.action_confirm()
            self.assertFalse(self.Rule._generate_for_orders(order))
        self.assertFalse(evaluated, "the birthday rule is not run on order ids")
        self.assertFalse(self._visits(sale_order_id=order.id))
