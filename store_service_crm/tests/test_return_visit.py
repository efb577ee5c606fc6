from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from .common import VisitCase


@tagged("post_install", "-at_install")
class TestReturnVisit(VisitCase):
    def _visit(self, **vals):
        values = {
            "partner_id": self.customer.id,
            "user_id": self.clerk.id,
            "team_id": self.store.id,
            "scheduled_date": fields.Date.context_today(self.Visit),
            "channel": "phone",
        }
        values.update(vals)
        return self.Visit.create(values)

    # -------------------------------------------------------------- attempts
    def test_unreachable_attempt_reschedules_next_day(self):
        visit = self._visit()
        today = visit.scheduled_date
        visit.action_unreachable()
        self.assertEqual(visit.state, "planned")
        self.assertEqual(visit.attempt_count, 1)
        self.assertEqual(visit.scheduled_date, today + timedelta(days=1))
        activity = visit.activity_ids.filtered(lambda a: a.activity_type_id == self.activity_type)
        self.assertEqual(activity.date_deadline, today + timedelta(days=1), "the to-do moves too")

    def test_third_failed_attempt_marks_unreachable(self):
        visit = self._visit()
        visit.action_unreachable()
        visit.action_unreachable()
        self.assertEqual(visit.state, "planned")
        visit.action_unreachable()
        self.assertEqual(visit.state, "unreachable")
        self.assertEqual(visit.attempt_count, 3)
        self.assertFalse(visit.activity_ids)
        with self.assertRaises(UserError):
            visit.action_unreachable()

    def test_max_attempts_is_a_company_setting(self):
        self.env.company.return_visit_max_attempts = 2
        visit = self._visit()
        visit.action_unreachable()
        visit.action_unreachable()
        self.assertEqual(visit.state, "unreachable")

    # ---------------------------------------------------------------- scores
    def test_out_of_range_scores_are_refused(self):
        visit = self._visit()
        for vals in ({"csat_score": 6}, {"csat_score": -1}, {"nps_score": 11}, {"nps_score": -1}):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                visit.write(vals)
        visit.write({"csat_score": 5, "nps_score": 10})
        self.assertEqual((visit.csat_score, visit.nps_score), (5, 10))
        self.assertTrue(visit.nps_given)

    def test_done_needs_a_score_or_feedback(self):
        visit = self._visit()
        with self.assertRaises(UserError):
            visit.action_done()
        self.assertEqual(visit.state, "planned")
        visit.feedback = "Customer happy with the installation"
        visit.action_done()
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.date_done)
        self.assertFalse(visit.activity_ids, "the to-do is marked done")

    def test_nps_zero_counts_as_an_answer(self):
        visit = self._visit()
        visit.write({"nps_score": 0, "nps_given": True})
        visit.action_done()
        self.assertEqual(visit.state, "done")

    def test_done_visit_cannot_be_done_again_or_cancelled(self):
        visit = self._visit(csat_score=4)
        visit.action_done()
        with self.assertRaises(UserError):
            visit.action_done()
        with self.assertRaises(UserError):
            visit.action_cancel()

    def test_cancel_and_plan_again(self):
        visit = self._visit()
        visit.action_cancel()
        self.assertEqual(visit.state, "cancelled")
        self.assertFalse(visit.activity_ids)
        visit.action_reset()
        self.assertEqual(visit.state, "planned")
        self.assertEqual(len(visit.activity_ids), 1)

    def test_scored_visit_updates_customer_satisfaction(self):
        self._visit(csat_score=4).action_done()
        self._visit(csat_score=2).action_done()
        self._visit(csat_score=5)  # not done: does not count
        self.assertAlmostEqual(self.customer.satisfaction_avg, 3.0)
        contact = self.env["res.partner"].create(
            {"name": "Zhang Jr", "parent_id": self.customer.id}
        )
        self._visit(partner_id=contact.id, csat_score=5).action_done()
        self.env.invalidate_all()  # computed on read, like any figure of a new request
        self.assertAlmostEqual(self.customer.satisfaction_avg, 11 / 3, places=2)

    def test_visit_recorded_as_done_counts_at_once(self):
        self._visit(csat_score=2, state="done", date_done=fields.Datetime.now())
        self.assertAlmostEqual(self.customer.satisfaction_avg, 2.0)

    def test_reassigning_moves_the_todo(self):
        visit = self._visit()
        visit.user_id = self.manager
        activity = visit.activity_ids.filtered(lambda a: a.activity_type_id == self.activity_type)
        self.assertEqual(activity.user_id, self.manager)

    # ------------------------------------------------------- unhappy customer
    def test_low_csat_suggests_a_complaint_on_the_form(self):
        visit = self._visit()
        with Form(visit) as form:
            form.csat_score = 4
            self.assertFalse(form.suggest_complaint)
            form.csat_score = 2
            self.assertTrue(form.suggest_complaint)

    def test_create_complaint_from_visit(self):
        order = self._order()
        visit = self._visit(sale_order_id=order.id, csat_score=1, feedback="Two tiles broken")
        action = visit.action_create_complaint()
        complaint = self.env["store.complaint"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "store.complaint")
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.sale_order_id, order)
        self.assertEqual(complaint.team_id, self.store)
        self.assertEqual(complaint.description, "Two tiles broken")
        self.assertEqual(complaint.channel, "phone")
        self.assertEqual(complaint.origin_visit_id, visit)
        self.assertEqual(visit.complaint_id, complaint)
        self.assertEqual(visit.opened_complaint_ids, complaint)
        self.assertFalse(visit.suggest_complaint)
        again = visit.action_create_complaint()
        self.assertEqual(again["res_id"], complaint.id, "no second complaint for the same visit")

    def test_verification_visit_keeps_its_complaint_when_a_new_one_is_opened(self):
        first = self.env["store.complaint"].create(
            {
                "partner_id": self.customer.id,
                "category_id": self.env.ref("store_service_crm.complaint_category_other").id,
                "description": "Late delivery",
            }
        )
        visit = self._visit(origin="complaint", complaint_id=first.id, csat_score=2)
        action = visit.action_create_complaint()
        self.assertEqual(visit.complaint_id, first)
        self.assertEqual(visit.opened_complaint_ids.id, action["res_id"])

    # -------------------------------------------------------------- at risk
    def test_low_last_score_puts_customer_at_risk(self):
        Partner = self.env["res.partner"]
        happy = Partner.create({"name": "Happy", "customer_rank": 1})
        self._visit(partner_id=happy.id, csat_score=5).action_done()
        self._visit(csat_score=5).action_done()
        self.assertNotIn(self.customer, Partner.search([("needs_attention", "=", True)]))
        self._visit(csat_score=2).action_done()
        at_risk = Partner.search([("needs_attention", "=", True)])
        self.assertIn(self.customer, at_risk)
        self.assertNotIn(happy, at_risk)
        self.assertTrue(self.customer.needs_attention)
        self.assertEqual(self.customer.last_visit_csat, 2)

    def test_overdue_complaint_puts_customer_at_risk(self):
        customer = self.env["res.partner"].create({"name": "Waiting", "customer_rank": 1})
        complaint = self.env["store.complaint"].create(
            {
                "partner_id": customer.id,
                "category_id": self.env.ref("store_service_crm.complaint_category_other").id,
                "description": "Still waiting",
            }
        )
        self.assertFalse(customer.needs_attention)
        with freeze_time(complaint.resolution_deadline + timedelta(days=1)):
            self.env.invalidate_all()
            self.assertTrue(customer.needs_attention)

    def test_plan_care_visit_once_per_customer(self):
        other = self.env["res.partner"].create({"name": "Mr. Li", "customer_rank": 1})
        customers = self.customer | other
        customers.action_plan_care_visit()
        customers.action_plan_care_visit()
        care = self.Visit.search([("partner_id", "in", customers.ids), ("care_visit", "=", True)])
        self.assertEqual(len(care), 2)
        self.assertEqual(care.partner_id, customers)
        self.assertTrue(all(v.state == "planned" for v in care))
        care.filtered(lambda v: v.partner_id == other).write({"feedback": "called"})
        care.filtered(lambda v: v.partner_id == other).action_done()
        customers.action_plan_care_visit()
        care = self.Visit.search([("partner_id", "in", customers.ids), ("care_visit", "=", True)])
        self.assertEqual(len(care), 3, "a new care visit once the previous one is done")

    # --------------------------------------------------------------- access
    def test_store_user_sees_own_and_own_store_visits(self):
        clerk_store = self.env["crm.team"].create(
            {
                "is_store": True,
                "name": "Clerk's Store",
                "member_ids": [fields.Command.link(self.clerk.id)],
            }
        )
        other_store = self.env["crm.team"].create({"is_store": True, "name": "Elsewhere"})
        mine = self._visit(user_id=self.clerk.id, team_id=other_store.id)
        my_store = self._visit(user_id=self.manager.id, team_id=clerk_store.id)
        others = self._visit(user_id=self.manager.id, team_id=other_store.id)
        seen = self.Visit.with_user(self.clerk).search(
            [("id", "in", (mine | my_store | others).ids)]
        )
        self.assertEqual(seen, mine | my_store)
        seen_by_manager = self.Visit.with_user(self.manager).search(
            [("id", "in", (mine | my_store | others).ids)]
        )
        self.assertEqual(seen_by_manager, mine | my_store | others)

    def test_store_user_logs_a_visit_but_cannot_edit_rules(self):
        visit = self._visit().with_user(self.clerk)
        visit.write({"csat_score": 5, "feedback": "Fine"})
        visit.action_done()
        self.assertEqual(visit.state, "done")
        with self.assertRaises(AccessError):
            self._rule().with_user(self.clerk).write({"delay_days": 1})
        employee = self.users["employee"]
        self.assertFalse(self.Visit.with_user(employee).has_access("read"))

    # --------------------------------------------------------------- screens
    def test_smart_buttons_of_partner_and_order(self):
        self._rule()
        order = self._order()
        self.assertEqual(order.return_visit_count, 1)
        self.assertEqual(self.customer.return_visit_count, 1)
        action = order.action_view_return_visits()
        self.assertEqual(self.Visit.search(action["domain"]), order.return_visit_ids)
        action = self.customer.action_view_return_visits()
        self.assertEqual(self.Visit.search(action["domain"]), order.return_visit_ids)
        self.assertEqual(self.customer.next_visit_date, order.return_visit_ids.scheduled_date)


@tagged("post_install", "-at_install")
class TestReturnVisitScoresAggregation(TransactionCase):
    def test_grouped_visits_do_not_sum_scores(self):
        """A grouped list or pivot must not show a sum of CSAT or NPS scores."""
        fields_info = self.env["store.return.visit"].fields_get(["csat_score", "nps_score"])
        self.assertFalse(fields_info["csat_score"].get("aggregator"))
        self.assertFalse(fields_info["nps_score"].get("aggregator"))
        groups = self.env["store.return.visit"].read_group(
            [], ["csat_score", "nps_score"], ["state"]
        )
        for group in groups:
            self.assertNotIn("csat_score", group)
