from odoo.tests import HttpCase, tagged

from .common import make_users


@tagged("post_install", "-at_install")
class TestTourScorecard(HttpCase):
    def test_manager_opens_the_dashboard_and_prints_a_scorecard(self):
        """A manager goes from the dashboard to Reporting -> Store Scorecards, previews
        a store's scorecard for this month and prints it."""
        users = make_users(self.env)
        store = self.env["crm.team"].create(
            {"is_store": True, "name": "Tour Scorecard Store", "user_id": users["manager"].id}
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour scorecard customer", "customer_rank": 1}
        )
        # one complaint resolved at once (on time, first contact) and one happy
        # customer: every service component at its best -> 100.0
        complaint = self.env["store.complaint"].create(
            {
                "partner_id": customer.id,
                "team_id": store.id,
                "category_id": self.env.ref(
                    "store_service_crm.complaint_category_product_quality"
                ).id,
                "description": "Wobbly shelf",
                "responsibility": "logistics",
                "resolution_type": "repair",
                "resolution_note": "Fixed on the spot",
            }
        )
        complaint.action_assign()
        complaint.action_start()
        complaint.action_resolve()
        self.assertTrue(complaint.first_contact_resolution)
        visit = self.env["store.return.visit"].create(
            {
                "partner_id": customer.id,
                "team_id": store.id,
                "origin": "manual",
                "scheduled_date": complaint.date_received.date(),
                "csat_score": 5,
            }
        )
        visit.action_done()
        self.start_tour("/odoo", "store_service_crm_scorecard", login=users["manager"].login)
