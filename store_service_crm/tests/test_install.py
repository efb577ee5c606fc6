import ast
from pathlib import Path

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

from .common import make_users

ROOT_MENU = "store_service_crm.menu_store_service_root"


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = make_users(cls.env)

    def test_module_is_installed_with_its_manifest(self):
        module = self.env["ir.module.module"].search([("name", "=", "store_service_crm")])
        self.assertEqual(module.state, "installed")
        manifest = ast.literal_eval(
            (Path(get_module_path("store_service_crm")) / "__manifest__.py").read_text()
        )
        self.assertEqual(manifest["license"], "LGPL-3")
        self.assertRegex(manifest["version"], r"^18\.0\.\d+\.\d+\.\d+$")
        for dep in ("sale_management", "contacts", "mail", "rating"):
            self.assertIn(dep, manifest["depends"])
            dep_state = self.env["ir.module.module"].search([("name", "=", dep)]).state
            self.assertEqual(dep_state, "installed", dep)

    def test_groups_exist_and_manager_implies_user(self):
        user_group = self.env.ref("store_service_crm.group_store_service_user")
        manager_group = self.env.ref("store_service_crm.group_store_service_manager")
        self.assertEqual(user_group.name, "Store Service: User")
        self.assertEqual(manager_group.name, "Store Service: Manager")
        self.assertIn(user_group, manager_group.implied_ids)
        manager = self.users["manager"]
        self.assertTrue(manager.has_group("store_service_crm.group_store_service_user"))
        clerk = self.users["clerk"]
        self.assertFalse(clerk.has_group("store_service_crm.group_store_service_manager"))

    def test_admin_is_store_service_manager(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("store_service_crm.group_store_service_manager"))

    def _visible_menu_ids(self, user):
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def test_app_menu_visible_to_store_service_users_only(self):
        root = self.env.ref(ROOT_MENU)
        self.assertEqual(root.name, "Customer Service")
        self.assertTrue(root.web_icon.startswith("store_service_crm,"))
        self.assertIn(root.id, self._visible_menu_ids(self.users["clerk"]))
        self.assertIn(root.id, self._visible_menu_ids(self.users["manager"]))
        self.assertNotIn(root.id, self._visible_menu_ids(self.users["employee"]))

    def test_configuration_menu_is_for_managers(self):
        config = self.env.ref("store_service_crm.menu_store_service_config")
        self.assertIn(config.id, self._visible_menu_ids(self.users["manager"]))
        self.assertNotIn(config.id, self._visible_menu_ids(self.users["clerk"]))

    def test_every_menu_of_the_app_leads_somewhere(self):
        """No dead menu: every leaf menu of the app opens an action that a manager may read."""
        root = self.env.ref(ROOT_MENU)
        menus = self.env["ir.ui.menu"].search([("id", "child_of", root.id)])
        leaves = menus.filtered(lambda m: not m.child_id)
        self.assertTrue(leaves)
        for menu in leaves:
            self.assertTrue(menu.action, f"menu {menu.complete_name} has no action")
            if menu.action._name == "ir.actions.act_window":
                model = self.env[menu.action.res_model].with_user(self.users["manager"])
                self.assertTrue(model.has_access("read"), menu.complete_name)

    def test_customers_action_lists_customers(self):
        action = self.env.ref("store_service_crm.res_partner_action_customer")
        customer = self.env["res.partner"].create({"name": "Ms. Zhang", "customer_rank": 1})
        prospect = self.env["res.partner"].create({"name": "Not a customer"})
        found = self.env["res.partner"].search(ast.literal_eval(action.domain))
        self.assertIn(customer, found)
        self.assertNotIn(prospect, found)

    def test_demo_chain_has_three_stores(self):
        stores = self.env["crm.team"].search(
            [
                (
                    "id",
                    "in",
                    [
                        self.env.ref(f"store_service_crm.crm_team_store_{name}").id
                        for name in ("downtown", "riverside", "airport")
                    ],
                )
            ]
        )
        self.assertEqual(len(stores), 3)
