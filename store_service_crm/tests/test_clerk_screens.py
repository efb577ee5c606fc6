# pylint: disable=unsubscriptable-object
"""The clerk's screens without dead ends (issue 14, part A): the resolve and assign
dialogs, the close/verify step, the customer's orders offered on a complaint, an
unhappy visit offering a complaint, the queue's folded columns, the home action and
the reasons of a customer at risk."""

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestClerkScreens(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk.groups_id = [Command.link(cls.env.ref("sales_team.group_sale_salesman").id)]
        cls.salesman = new_test_user(
            cls.env,
            login="ssc_s14a_salesman",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        cls.order.user_id = cls.salesman
        cls.other_customer = cls.env["res.partner"].create({"name": "Mr. Li", "customer_rank": 1})
        cls.other_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.other_customer.id,
                "team_id": cls.store.id,
                "user_id": cls.salesman.id,
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )
        cls.foreign_store = cls.env["crm.team"].create({"name": "Foreign Store"})
        cls.foreign_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "team_id": cls.foreign_store.id,
                "user_id": cls.salesman.id,
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )

    # ---- resolve dialog ----------------------------------------------------------
    def _resolve_wizard(self, complaint, user=None):
        action = complaint.with_user(user or self.clerk).action_open_resolve_wizard()
        self.assertEqual(action["res_model"], "store.complaint.resolve.wizard")
        self.assertEqual(action["target"], "new")
        return Form(
            self.env[action["res_model"]]
            .with_user(user or self.clerk)
            .with_context(**action["context"])
        )

    def test_resolve_dialog_asks_everything_and_resolves(self):
        complaint = self._in_progress()
        form = self._resolve_wizard(complaint)
        form.responsibility = "product"
        self.assertTrue(form.root_cause_required)
        form.resolution_type = "replace"
        form.root_cause = "Weak packaging"
        form.resolution_note = "Replaced the fridge"
        form.save().action_confirm()
        self.assertEqual(complaint.state, "resolved")
        self.assertEqual(complaint.responsibility, "product")
        self.assertEqual(complaint.resolution_type, "replace")
        self.assertEqual(complaint.root_cause, "Weak packaging")
        self.assertEqual(complaint.resolution_note, "Replaced the fridge")

    def test_resolve_dialog_refuses_a_missing_root_cause_without_change(self):
        complaint = self._in_progress()
        wizard = (
            self.env["store.complaint.resolve.wizard"]
            .with_user(self.clerk)
            .create(
                {
                    "complaint_id": complaint.id,
                    "responsibility": "installation",
                    "resolution_type": "repair",
                    "root_cause": "   ",
                }
            )
        )
        with self.assertRaisesRegex(UserError, "root cause"):
            wizard.action_confirm()
        self.assertEqual(complaint.state, "in_progress")
        self.assertFalse(complaint.responsibility)

    def test_resolve_dialog_only_for_complaints_in_progress(self):
        complaint = self._complaint()
        with self.assertRaises(UserError):
            complaint.with_user(self.clerk).action_open_resolve_wizard()

    def test_resolve_dialog_prefills_what_is_recorded(self):
        complaint = self._in_progress()
        complaint.write({"responsibility": "logistics", "resolution_type": "refund"})
        form = self._resolve_wizard(complaint)
        self.assertEqual(form.responsibility, "logistics")
        self.assertEqual(form.resolution_type, "refund")

    # ---- close or verify ---------------------------------------------------------
    def test_close_is_offered_only_when_it_can_succeed(self):
        complaint = self._resolved()
        self.assertFalse(complaint.can_close)
        with self.assertRaises(UserError):
            complaint.with_user(self.clerk).action_close()
        action = complaint.with_user(self.clerk).action_open_verification_visit()
        self.assertEqual(action["res_model"], "store.return.visit")
        visits = complaint._verification_visits()
        if action.get("res_id"):
            visit = visits.browse(action["res_id"])
        else:
            visit = self.env["store.return.visit"].create(
                {
                    "partner_id": complaint.partner_id.id,
                    "complaint_id": complaint.id,
                    "origin": "complaint",
                    "team_id": self.store.id,
                    "scheduled_date": fields.Date.today(),
                }
            )
        visit.action_done(csat_score=5)
        complaint.invalidate_recordset(["can_close"])
        self.assertTrue(complaint.can_close)
        complaint.with_user(self.clerk).action_close()
        self.assertEqual(complaint.state, "closed")

    # ---- assign dialog -----------------------------------------------------------
    def test_assign_dialog_defaults_to_me_among_the_store_members(self):
        colleague = new_test_user(
            self.env,
            login="ssc_s14a_colleague",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        outsider = new_test_user(
            self.env,
            login="ssc_s14a_outsider",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        self.store.member_ids = [Command.link(colleague.id)]
        complaint = self._complaint()
        action = complaint.with_user(self.clerk).action_open_assign_wizard()
        Wizard = (
            self.env[action["res_model"]].with_user(self.clerk).with_context(**action["context"])
        )
        form = Form(Wizard)
        self.assertEqual(form.user_id, self.clerk)
        wizard = form.save()
        self.assertIn(colleague, wizard.allowed_user_ids)
        self.assertNotIn(outsider, wizard.allowed_user_ids)
        wizard.user_id = outsider
        with self.assertRaisesRegex(UserError, "not a member"):
            wizard.action_confirm()
        self.assertEqual(complaint.state, "new")
        wizard.user_id = colleague
        wizard.action_confirm()
        self.assertEqual(complaint.state, "assigned")
        self.assertEqual(complaint.user_id, colleague)

    # ---- the customer's orders ---------------------------------------------------
    def test_order_field_offers_the_customers_orders_of_my_store_only(self):
        Order = self.env["sale.order"].with_user(self.clerk)
        # sold by someone else in the clerk's store: readable, not writable
        self.assertEqual(Order.search([("partner_id", "=", self.customer.id)]), self.order)
        with self.assertRaises(AccessError):
            self.order.with_user(self.clerk).write({"note": "mine"})
        # another store's order of the same customer stays hidden
        self.assertFalse(Order.search([("id", "=", self.foreign_order.id)]))
        offered = Order.with_context(store_complaint_order_partner_id=self.customer.id).name_search(
            ""
        )
        ids = [oid for oid, _name in offered]
        self.assertIn(self.order.id, ids)
        self.assertNotIn(self.other_order.id, ids, "another customer's order leaked")
        self.assertNotIn(self.foreign_order.id, ids, "another store's order leaked")

    def test_sales_button_and_service_tab_agree(self):
        self.env["store.loyalty.pending"]._cron_recompute_pending()
        customer = self.customer.with_user(self.clerk)
        customer.invalidate_recordset()
        self.assertEqual(customer.sale_order_count, 1)
        self.assertEqual(customer.loyalty_order_count, 1)
        # the salesman of another store's order keeps it to themselves
        self.foreign_order.action_confirm()
        self.assertEqual(self.customer.with_user(self.clerk).sale_order_count, 1)

    def test_clerk_links_an_order_sold_by_someone_else(self):
        Complaint = self.env["store.complaint"].with_user(self.clerk)
        with Form(Complaint) as form:
            form.partner_id = self.customer
            form.sale_order_id = self.order
            form.category_id = self.category
            form.description = "Cracked door"
        complaint = form.record
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.product_id, self.product)
        self.assertEqual(complaint.team_id, self.store)

    # ---- visits ------------------------------------------------------------------
    def _visit(self, **vals):
        values = {
            "partner_id": self.customer.id,
            "user_id": self.clerk.id,
            "team_id": self.store.id,
            "scheduled_date": fields.Date.today(),
        }
        values.update(vals)
        return self.env["store.return.visit"].create(values)

    def test_a_detractor_nps_offers_a_complaint(self):
        visit = self._visit()
        visit.with_user(self.clerk).action_done(nps_score=0)
        self.assertTrue(visit.suggest_complaint)
        happy = self._visit()
        happy.with_user(self.clerk).action_done(csat_score=4, nps_score=9)
        self.assertFalse(happy.suggest_complaint)
        low_csat = self._visit()
        low_csat.with_user(self.clerk).action_done(csat_score=2, nps_score=8)
        self.assertTrue(low_csat.suggest_complaint)
        action = low_csat.with_user(self.clerk).action_create_complaint()
        self.assertEqual(action["res_model"], "store.complaint")
        self.assertFalse(low_csat.suggest_complaint)

    def test_visit_lists_open_the_form(self):
        for xmlid in (
            "store_service_crm.store_return_visit_view_list",
            "store_service_crm.store_complaint_view_list",
        ):
            arch = self.env.ref(xmlid).arch
            self.assertNotIn("editable=", arch, xmlid)
            self.assertNotIn('sample="1"', arch, xmlid)
        visit = self._visit()
        action = visit.with_user(self.clerk).action_open_visit()
        self.assertEqual((action["res_model"], action["res_id"]), (visit._name, visit.id))

    # ---- the queue ---------------------------------------------------------------
    def test_queue_folds_empty_columns_and_keeps_resolved_in_view(self):
        open_complaint = self._complaint()
        resolved = self._resolved()
        action = self.env.ref("store_service_crm.store_complaint_action")
        self.assertIn("search_default_to_handle", action.context)
        Complaint = self.env["store.complaint"].with_user(self.clerk)
        domain = [("state", "in", ("new", "assigned", "in_progress", "resolved"))]
        self.assertEqual(Complaint.search(domain), open_complaint | resolved)
        groups = Complaint.web_read_group(domain, ["state"], ["state"])["groups"]
        folded = {g["state"]: bool(g.get("__fold")) for g in groups}
        self.assertFalse(folded["new"])
        self.assertFalse(folded["resolved"])
        self.assertTrue(folded["assigned"])
        self.assertTrue(folded["closed"])

    def test_fresh_complaint_is_not_overdue(self):
        complaint = self._complaint()
        self.assertFalse(complaint.is_overdue)

    # ---- home action -------------------------------------------------------------
    def test_store_users_land_on_their_queue(self):
        queue = self.env.ref("store_service_crm.store_complaint_action").id
        self.assertEqual(self.clerk.action_id.id, queue)
        self.assertEqual(self.manager.action_id.id, queue)
        employee = new_test_user(self.env, login="ssc_s14a_employee", groups="base.group_user")
        self.assertFalse(employee.action_id)
        employee.groups_id = [
            Command.link(self.env.ref("store_service_crm.group_store_service_user").id)
        ]
        self.assertEqual(employee.action_id.id, queue)
        # a home action chosen for someone is kept
        discuss = self.env.ref("mail.action_discuss").id
        employee.action_id = discuss
        employee.groups_id = [
            Command.link(self.env.ref("store_service_crm.group_store_service_manager").id)
        ]
        self.assertEqual(employee.action_id.id, discuss)

    # ---- the customer's reasons --------------------------------------------------
    def test_customer_shows_why_attention_is_needed(self):
        visit = self._visit(partner_id=self.customer_no_email.id)
        visit.action_done(csat_score=1)
        partner = self.customer_no_email.with_context(lang="en_US")
        partner.invalidate_recordset()
        self.assertTrue(partner.needs_attention)
        self.assertIn("satisfaction 1 out of 5", partner.attention_reason)
        self.assertFalse(self.other_customer.attention_reason)
