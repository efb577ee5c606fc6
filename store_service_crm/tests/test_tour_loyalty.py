from odoo.tests import HttpCase, tagged

from .common import make_users


@tagged("post_install", "-at_install")
class TestTourLoyalty(HttpCase):
    def test_manager_sees_tiers_and_a_customer_tier(self):
        """A manager opens the tiers, then a Silver customer's badge, figures and history."""
        users = make_users(self.env)
        product = self.env["product.product"].create({"name": "Tour Fridge", "list_price": 900})
        customer = self.env["res.partner"].create({"name": "Tour Loyal Customer"})
        for _i in range(2):
            order = self.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "order_line": [
                        (0, 0, {"product_id": product.id, "price_unit": 900, "tax_id": False})
                    ],
                }
            )
            order.action_confirm()
        # what the cron triggered by the orders does after their commit
        self.env["store.loyalty.pending"]._cron_recompute_pending()
        self.env.invalidate_all()
        self.assertEqual(
            customer.loyalty_tier_id, self.env.ref("store_service_crm.loyalty_tier_silver")
        )
        self.start_tour("/odoo", "store_service_crm_loyalty", login=users["manager"].login)
