from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import make_users


@tagged("post_install", "-at_install")
class TestTourDashboard(HttpCase):
    def test_manager_opens_the_dashboard_and_drills_down(self):
        """A manager opens the dashboard from the app menu, sees the cards against their
        targets, focuses a store and opens the complaints behind a card."""
        users = make_users(self.env)
        store = self.env["crm.team"].create(
            {"is_store": True, "name": "Tour Dashboard Store", "user_id": users["manager"].id}
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour dashboard customer", "customer_rank": 1}
        )
        today = fields.Date.context_today(self.env["store.service.kpi"])
        visit = self.env["store.return.visit"].create(
            {
                "partner_id": customer.id,
                "team_id": store.id,
                "origin": "manual",
                "scheduled_date": today,
                "csat_score": 5,
            }
        )
        visit.action_done()
        complaint = self.env["store.complaint"].create(
            {
                "partner_id": customer.id,
                "team_id": store.id,
                "category_id": self.env.ref(
                    "store_service_crm.complaint_category_product_quality"
                ).id,
                "description": "Scratched door",
                "responsibility": "logistics",
                "resolution_type": "apology",
                "resolution_note": "Sorry",
            }
        )
        complaint.action_assign()
        complaint.action_start()
        complaint.action_resolve()
        self.start_tour("/odoo", "store_service_crm_kpi_dashboard", login=users["manager"].login)
