from odoo.tests import HttpCase, tagged

from .common import make_users


@tagged("post_install", "-at_install")
class TestTourApp(HttpCase):
    def test_clerk_opens_the_customer_service_app(self):
        """A store clerk logs in, opens the app from the home menu and sees the customers."""
        users = make_users(self.env)
        self.env["res.partner"].create({"name": "Tour Customer Li Wei", "customer_rank": 1})
        self.start_tour("/odoo", "store_service_crm_app_menu", login=users["clerk"].login)
