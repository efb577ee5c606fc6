"""A clerk waits for the customer, then merges a duplicate registration (headless
Chromium). Set ``SSC_SCREENSHOTS`` to a directory (e.g. ``docs/screenshots``) to save
the screenshots of the tour there (``p16a_<step>.png``)."""

from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser

from .test_tour_clerk_day import _handle_console_with_screenshots


@tagged("post_install", "-at_install")
class TestTourMerge(HttpCase):
    browser_size = "1440x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(
            patch.object(
                ChromeBrowser,
                "_handle_console",
                _handle_console_with_screenshots(ChromeBrowser._handle_console),
            )
        )

    def test_a_handler_merges_a_duplicate_registration(self):
        clerk = new_test_user(
            self.env,
            login="ssc_tour_merge_clerk",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        store = self.env["crm.team"].create(
            {"is_store": True, "name": "Tour Merge Store", "member_ids": [Command.link(clerk.id)]}
        )
        customer = self.env["res.partner"].create({"name": "Tour Merge Customer"})
        product = self.env["product.product"].create({"name": "Oven OV-3", "type": "consu"})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "team_id": store.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        order.action_confirm()
        Complaint = self.env["store.complaint"]
        common = {
            "partner_id": customer.id,
            "sale_order_id": order.id,
            "team_id": store.id,
            "user_id": clerk.id,
            "category_id": self.env.ref("store_service_crm.complaint_category_product_quality").id,
        }
        keep = Complaint.create(
            dict(common, name="Tour Merge Keep", description="The oven does not heat")
        )
        duplicate = Complaint.create(
            dict(common, name="Tour Merge Twin", description="Called again: still cold")
        )
        duplicate.message_post(
            body="Customer called again from the hotline", message_type="comment"
        )
        self.start_tour(
            f"/odoo/action-store_service_crm.store_complaint_action/{duplicate.id}",
            "store_service_crm_complaint_merge",
            login=clerk.login,
        )
        self.assertEqual(duplicate.state, "cancelled")
        self.assertFalse(duplicate.on_hold)
        self.assertEqual(duplicate.hold_reason, "Waiting for the photos of the door")
        self.assertEqual(duplicate.merged_into_id, keep)
        self.assertIn(
            "Customer called again from the hotline", "".join(keep.message_ids.mapped("body"))
        )
