# pylint: disable=unsubscriptable-object
# (pylint cannot infer HttpCase.env in setUpClass)
from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTourPublicComplaint(HttpCase):
    """A customer files a complaint on the store's public form on a phone, without an
    account; a clerk of the store finds it in the queue."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("store_service_crm.public_form_limit", 50)
        cls.clerk = new_test_user(
            cls.env,
            login="ssc_public_clerk",
            groups="base.group_user,store_service_crm.group_store_service_user",
            lang="en_US",
        )
        cls.store = cls.env["crm.team"].create(
            {
                "name": "Tour Store",
                "is_store": True,
                "complaint_form_published": True,
                "member_ids": [fields.Command.link(cls.clerk.id)],
            }
        )

    def test_customer_files_online_and_clerk_sees_it(self):
        self.start_tour(f"/store/{self.store.id}/complaint", "store_service_crm_public_complaint")
        complaint = self.env["store.complaint"].search([("team_id", "=", self.store.id)])
        self.assertEqual(complaint.partner_id.name, "Tour Customer Qian")
        self.assertEqual(complaint.channel, "online")
        self.assertEqual(complaint.customer_request, "A new cover")
        self.assertEqual(
            complaint.category_id, self.env.ref("store_service_crm.complaint_category_delivery")
        )
        self.browser_size = "1440x900"
        self.touch_enabled = False
        self.start_tour(
            "/odoo/action-store_service_crm.store_complaint_action",
            "store_service_crm_public_complaint_queue",
            login=self.clerk.login,
        )
