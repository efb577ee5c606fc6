# pylint: disable=unsubscriptable-object
"""The staff a complaint is about: reported by person and type, coaching planned for
the store leader, complaints handled and complaints about side by side."""

from odoo.tests import new_test_user, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestStaffInvolved(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff_category = cls.env.ref("store_service_crm.complaint_category_staff")
        cls.seller = new_test_user(
            cls.env,
            login="ssc_seller",
            name="Seller Liu",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        cls.coaching = cls.env.ref("store_service_crm.mail_activity_type_staff_coaching")

    def _coaching(self, record):
        return record.activity_ids.filtered(lambda a: a.activity_type_id == self.coaching)

    def test_a_user_is_own_staff(self):
        complaint = self._complaint(involved_user_id=self.seller.id)
        self.assertEqual(complaint.involved_type, "own_staff")
        self.assertEqual(complaint.involved_person, "Seller Liu")

    def test_a_promoter_by_name(self):
        complaint = self._complaint(involved_name=" Promoter Wu ", involved_type="promoter")
        self.assertEqual(complaint.involved_person, "Promoter Wu")
        self.assertEqual(complaint.involved_type, "promoter")

    def test_staff_attitude_complaint_plans_coaching_for_the_store_leader(self):
        complaint = self._complaint(
            category_id=self.staff_category.id,
            involved_name="Promoter Wu",
            involved_type="promoter",
        )
        activity = self._coaching(complaint)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager, "the store leader (crm.team user_id)")
        self.assertIn("Promoter Wu", activity.summary)
        complaint.involved_name = "Promoter Wu Jr"
        self.assertEqual(len(self._coaching(complaint)), 1, "once per complaint")

    def test_other_categories_plan_no_coaching(self):
        complaint = self._complaint(involved_user_id=self.seller.id)
        self.assertFalse(self._coaching(complaint))

    def _visit(self, **vals):
        return self.env["store.return.visit"].create(
            {"partner_id": self.customer.id, "team_id": self.store.id, **vals}
        )

    def test_unhappy_visit_about_a_person_plans_coaching_on_the_complaint(self):
        complaint = self._resolved(involved_user_id=self.seller.id)
        visit = self._visit(complaint_id=complaint.id, origin="complaint")
        visit.action_done(csat_score=2)
        activity = self._coaching(complaint)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("Seller Liu", activity.summary)
        self.assertFalse(visit.activity_ids, "a done visit keeps no to-do")

    def test_a_visit_with_csat_3_plans_no_coaching(self):
        complaint = self._resolved(involved_user_id=self.seller.id)
        self._visit(complaint_id=complaint.id, origin="complaint").action_done(csat_score=3)
        self.assertFalse(self._coaching(complaint))

    def test_unhappy_visit_after_a_sale_is_about_the_salesperson(self):
        self.order.user_id = self.seller
        self._visit(sale_order_id=self.order.id, origin="sale").action_done(csat_score=1)
        activity = self._coaching(self.order)
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("Seller Liu", activity.summary)

    def test_analysis_by_person_and_type(self):
        self._complaint(involved_user_id=self.seller.id)
        self._complaint(involved_user_id=self.seller.id)
        self._complaint(involved_name="Vendor Zhao", involved_type="vendor_staff")
        self._complaint()
        groups = self.env["store.complaint"]._read_group(
            [("team_id", "=", self.store.id), ("involved_person", "!=", False)],
            ["involved_type", "involved_person"],
            ["__count"],
        )
        self.assertEqual(
            sorted(groups),
            [("own_staff", "Seller Liu", 2), ("vendor_staff", "Vendor Zhao", 1)],
        )

    def test_staff_report_shows_handled_and_about_side_by_side(self):
        handled = self._complaint(user_id=self.seller.id)
        self._complaint(user_id=self.clerk.id, involved_user_id=self.seller.id)
        self._complaint(user_id=self.clerk.id, involved_user_id=self.seller.id)
        handled.flush_recordset()
        self.env.flush_all()
        report = self.env["store.staff.performance.report"]
        rows = report._read_group(
            [("team_id", "=", self.store.id)],
            ["user_id"],
            ["complaint_count:sum", "complaint_about_count:sum"],
        )
        by_user = {user: (handled_count, about) for user, handled_count, about in rows}
        self.assertEqual(by_user[self.seller], (1, 2))
        self.assertEqual(by_user[self.clerk], (2, 0))
