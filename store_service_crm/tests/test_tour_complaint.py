from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTourComplaint(HttpCase):
    def test_register_a_complaint_from_a_sale_order_and_resolve_it(self):
        user = new_test_user(
            self.env,
            login="ssc_tour_seller",
            groups="base.group_user,sales_team.group_sale_salesman,"
            "store_service_crm.group_store_service_user",
        )
        customer = self.env["res.partner"].create({"name": "Tour Customer Zhao"})
        product = self.env["product.product"].create({"name": "Washer WM-8", "type": "consu"})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": user.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        order.action_confirm()
        self.start_tour(
            f"/odoo/action-sale.action_orders/{order.id}",
            "store_service_crm_complaint_from_sale_order",
            login=user.login,
        )
        complaint = self.env["store.complaint"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.state, "resolved")
        self.assertEqual(complaint.partner_id, customer)
        self.assertEqual(complaint.product_id, product)
        self.assertEqual(complaint.responsibility, "logistics")
        self.assertEqual(complaint.user_id, user)
        self.assertEqual(order.complaint_count, 1)
