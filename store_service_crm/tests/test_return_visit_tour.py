from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import make_users


@tagged("post_install", "-at_install")
class TestReturnVisitTour(HttpCase):
    def test_clerk_logs_an_unhappy_visit_and_opens_a_complaint(self):
        users = make_users(self.env)
        customer = self.env["res.partner"].create(
            {"name": "Tour Customer Chen", "customer_rank": 1}
        )
        visit = self.env["store.return.visit"].create(
            {
                "partner_id": customer.id,
                "user_id": users["clerk"].id,
                "scheduled_date": fields.Date.today(),
            }
        )
        self.start_tour(
            f"/odoo/action-store_service_crm.store_return_visit_action_my/{visit.id}",
            "store_service_crm_return_visit_complaint",
            login=users["clerk"].login,
        )
        self.assertEqual(visit.csat_score, 2)
        complaint = visit.opened_complaint_ids
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.partner_id, customer)
        self.assertEqual(complaint.description, "The tiles cracked after a week")
        self.assertEqual(visit.complaint_id, complaint)
