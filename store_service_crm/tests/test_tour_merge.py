# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""A clerk waits for the customer, then merges a duplicate registration (headless
Chromium). Set ``SSC_SCREENSHOTS`` to a directory (e.g. ``docs/screenshots``) to save
the screenshots of the tour there (``p16a_<step>.png``; README: request_form_type_waiting,
complaint_merge_wizard, complaint_merged)."""

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
        # the clerk works in Chinese (the screenshots of the README)
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "store_service_crm"], ["zh_CN"], overwrite=True
        )

    def test_a_handler_merges_a_duplicate_registration(self):
        clerk = new_test_user(
            self.env,
            login="ssc_tour_merge_clerk",
            name="导览店员",
            lang="zh_CN",
            tz="Asia/Shanghai",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        store = self.env["crm.team"].create(
            {"is_store": True, "name": "导览门店", "member_ids": [Command.link(clerk.id)]}
        )
        customer = self.env["res.partner"].create({"name": "王女士 (Tour Merge Customer)"})
        product = self.env["product.product"].create({"name": "烤箱 OV-3", "type": "consu"})
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
        keep = Complaint.create(dict(common, name="Tour Merge Keep", description="烤箱不加热"))
        duplicate = Complaint.create(
            dict(common, name="Tour Merge Twin", description="客户再次来电：仍不加热")
        )
        duplicate.message_post(
            body="客户再次致电热线 (Customer called again from the hotline)", message_type="comment"
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
