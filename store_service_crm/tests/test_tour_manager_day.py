from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import make_users


@tagged("post_install", "-at_install")
class TestTourManagerDay(HttpCase):
    def test_manager_day(self):
        """Issue 14, a manager's day in English: the dashboard ranks the stores only and
        compares this month with the previous calendar month; a drill-down is named
        after its KPI and period with a facet; the complaint report opens on this
        month, stores only, grouped by store; the scorecard wizard proposes the stores,
        shows the year plainly, previews and prints without the layout dialog."""
        self.env["res.lang"]._activate_lang("en_US")
        users = make_users(self.env)
        manager = users["manager"]
        manager.lang = "en_US"
        # the manager sits in a sales team that is not a store, with an order this month
        online = self.env["crm.team"].create(
            {"name": "Manager Day Online Team", "member_ids": [Command.link(manager.id)]}
        )
        manager.sale_team_id = online
        store = self.env["crm.team"].create(
            {"is_store": True, "name": "Manager Day Store", "user_id": manager.id}
        )
        customer = self.env["res.partner"].create(
            {"name": "Manager day customer", "customer_rank": 1}
        )
        product = self.env["product.product"].create({"name": "Manager day fridge"})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "team_id": online.id,
                "order_line": [Command.create({"product_id": product.id, "price_unit": 10})],
            }
        )
        order.action_confirm()
        today = fields.Date.context_today(self.env["store.service.kpi"])
        visit = self.env["store.return.visit"].create(
            {
                "partner_id": customer.id,
                "team_id": store.id,
                "origin": "manual",
                "scheduled_date": today,
                "csat_score": 4,
            }
        )
        visit.action_done()
        self.env["store.complaint"].create(
            {
                "partner_id": customer.id,
                "team_id": store.id,
                "category_id": self.env.ref(
                    "store_service_crm.complaint_category_product_quality"
                ).id,
                "description": "Door seal torn",
            }
        )
        self.start_tour("/odoo", "store_service_crm_manager_day", login=manager.login)
