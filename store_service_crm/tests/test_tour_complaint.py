from datetime import timedelta

from odoo import Command, fields
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

    def test_complaint_views_open_for_a_clerk(self):
        clerk = new_test_user(
            self.env,
            login="ssc_tour_clerk",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        # the clerk's store: a clerk sees the complaints of their stores (record rules)
        store = self.env["crm.team"].create(
            {"is_store": True, "name": "Tour Store", "member_ids": [Command.link(clerk.id)]}
        )
        category = self.env.ref("store_service_crm.complaint_category_staff")
        Complaint = self.env["store.complaint"]
        for name, age in (("Tour Overdue Customer", 10), ("Tour Fresh Customer", 0)):
            Complaint.create(
                {
                    "partner_id": self.env["res.partner"].create({"name": name}).id,
                    "category_id": category.id,
                    "description": "Waited too long",
                    "date_received": fields.Datetime.now() - timedelta(days=age),
                    "team_id": store.id,
                }
            )
        self.start_tour(
            "/odoo/action-store_service_crm.store_complaint_action",
            "store_service_crm_complaint_views",
            login=clerk.login,
        )
