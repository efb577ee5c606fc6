# pylint: disable=unsubscriptable-object
# (pylint cannot infer HttpCase.env in setUpClass)
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTourPortalComplaint(HttpCase):
    """The customer opens the link of their complaint, replies; the clerk resolves it
    (through the action); the customer confirms it is solved, which lets the clerk
    close it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env,
            login="ssc_tour_portal_clerk",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        store = cls.env["crm.team"].create(
            {"is_store": True, "name": "Tour Store", "member_ids": [(4, cls.clerk.id)]}
        )
        customer = cls.env["res.partner"].create(
            {"name": "Ms. Zhang", "email": "zhang@example.com", "lang": "en_US"}
        )
        cls.complaint = (
            cls.env["store.complaint"]
            .with_user(cls.clerk)
            .create(
                {
                    "partner_id": customer.id,
                    "team_id": store.id,
                    "category_id": cls.env.ref(
                        "store_service_crm.complaint_category_product_quality"
                    ).id,
                    "description": "The fridge is noisy",
                }
            )
        )
        cls.complaint.action_assign()
        cls.complaint.action_start()

    def test_customer_replies_then_confirms(self):
        url = self.complaint.sudo().get_portal_url()
        self.start_tour(url, "store_service_crm_portal_complaint_reply")
        reply = self.complaint.message_ids.filtered(
            lambda m: "The noise is back at night" in (m.body or "")
        )
        self.assertEqual(reply.author_id, self.complaint.partner_id)

        self.complaint.write(
            {"responsibility": "product", "resolution_type": "repair", "root_cause": "Loose fan"}
        )
        self.complaint.action_resolve()
        self.assertFalse(self.complaint.can_close)

        self.start_tour(url, "store_service_crm_portal_complaint_confirm")
        self.env.invalidate_all()
        self.assertTrue(self.complaint.can_close, "the customer's confirmation verifies it")
        self.complaint.action_close()
        self.assertEqual(self.complaint.state, "closed")
