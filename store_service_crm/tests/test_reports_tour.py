from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestReportsTour(HttpCase):
    def test_store_user_opens_every_report(self):
        """A store clerk opens each report from Reporting: pivot, graph and list render
        with their store's complaint and rated visit."""
        clerk = new_test_user(
            self.env,
            login="ssc_tour_report_clerk",
            name="Tour Report Clerk",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        store = self.env["crm.team"].create({"is_store": True, "name": "Tour Report Store"})
        store.member_ids = [(4, clerk.id)]
        customer = self.env["res.partner"].create(
            {"name": "Tour Report Customer", "customer_rank": 1}
        )
        self.env["store.complaint"].create(
            {
                "partner_id": customer.id,
                "team_id": store.id,
                "user_id": clerk.id,
                "category_id": self.env.ref(
                    "store_service_crm.complaint_category_product_quality"
                ).id,
                "description": "Scratched door",
            }
        )
        self.env["store.return.visit"].create(
            {
                "partner_id": customer.id,
                "team_id": store.id,
                "user_id": clerk.id,
                "state": "done",
                "csat_score": 5,
            }
        )
        self.start_tour("/odoo", "store_service_crm_reports", login=clerk.login)
