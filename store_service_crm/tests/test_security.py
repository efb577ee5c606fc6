# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""Who sees what: store record rules, multi-company rules and escalation guards, proven
with real non-admin users (never with the superuser of the test environment)."""

import re

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from .common import make_users


class SecurityCase(TransactionCase):
    """Company A with stores A and B, company B with store C.

    - ``clerk_a``: member of store A; ``clerk_b``: member of store B;
      ``leader_b``: leader (not member) of store B; ``clerk_c``: member of store C,
      company B only; ``manager``: service manager of company A;
    - ``salesman``: only ``sales_team.group_sale_salesman`` (no store group).
    """

    @classmethod
    def setUpClass(cls):
        """Two stores, their users and one record of each kind in each store.
        Long on purpose: every record an access test reads or writes is written out here."""
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        users = make_users(cls.env)
        cls.clerk_a = users["clerk"]
        cls.manager = users["manager"]
        cls.employee = users["employee"]
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Chain B (security test)"})
        store_groups = "base.group_user,store_service_crm.group_store_service_user"
        cls.clerk_b = new_test_user(cls.env, login="ssc_sec_clerk_b", groups=store_groups)
        cls.leader_b = new_test_user(cls.env, login="ssc_sec_leader_b", groups=store_groups)
        cls.clerk_c = new_test_user(
            cls.env,
            login="ssc_sec_clerk_c",
            groups=store_groups,
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.salesman = new_test_user(
            cls.env, login="ssc_sec_salesman", groups="sales_team.group_sale_salesman"
        )
        Team = cls.env["crm.team"]
        cls.store_a = Team.create(
            {
                "is_store": True,
                "name": "Store A (security)",
                "company_id": cls.company_a.id,
                "member_ids": [Command.link(cls.clerk_a.id)],
            }
        )
        cls.store_b = Team.create(
            {
                "is_store": True,
                "name": "Store B (security)",
                "company_id": cls.company_a.id,
                "user_id": cls.leader_b.id,
                "member_ids": [Command.link(cls.clerk_b.id)],
            }
        )
        cls.store_c = Team.create(
            {
                "is_store": True,
                "name": "Store C (security)",
                "company_id": cls.company_b.id,
                "member_ids": [Command.link(cls.clerk_c.id)],
            }
        )
        cls.customer_a = cls.env["res.partner"].create(
            {"name": "Customer of A", "email": "a@example.com"}
        )
        cls.customer_b = cls.env["res.partner"].create({"name": "Customer of B"})
        cls.customer_c = cls.env["res.partner"].create(
            {"name": "Customer of C", "company_id": cls.company_b.id}
        )
        cls.category = cls.env.ref("store_service_crm.complaint_category_product_quality")
        cls.category_c = cls.env["store.complaint.category"].create(
            {"name": "Chain B only", "code": "SEC_B", "company_id": cls.company_b.id}
        )
        cls.tier_c = cls.env["store.loyalty.tier"].create(
            {"name": "Chain B Gold", "min_spend": 123456, "company_id": cls.company_b.id}
        )
        cls.rule_c = cls.env["store.return.visit.rule"].create(
            {
                "name": "Chain B call",
                "trigger": "sale_confirmed",
                "delay_days": 2,
                "channel": "phone",
                "company_id": cls.company_b.id,
                "active": False,
            }
        )
        Complaint = cls.env["store.complaint"]
        cls.complaint_a = Complaint.create(cls._complaint_vals(cls.customer_a, cls.store_a))
        cls.complaint_b = Complaint.create(cls._complaint_vals(cls.customer_b, cls.store_b))
        cls.complaint_nostore = Complaint.create(cls._complaint_vals(cls.customer_b, None))
        cls.complaint_c = Complaint.create(
            dict(
                cls._complaint_vals(cls.customer_c, cls.store_c),
                company_id=cls.company_b.id,
                category_id=cls.category_c.id,
            )
        )
        Visit = cls.env["store.return.visit"]
        today = fields.Date.today()
        cls.visit_a = Visit.create(
            {
                "partner_id": cls.customer_a.id,
                "team_id": cls.store_a.id,
                "user_id": cls.manager.id,
                "scheduled_date": today,
            }
        )
        cls.visit_b = Visit.create(
            {
                "partner_id": cls.customer_b.id,
                "team_id": cls.store_b.id,
                "user_id": cls.leader_b.id,
                "scheduled_date": today,
            }
        )
        cls.visit_c = Visit.create(
            {
                "partner_id": cls.customer_c.id,
                "team_id": cls.store_c.id,
                "user_id": cls.clerk_c.id,
                "company_id": cls.company_b.id,
                "scheduled_date": today,
            }
        )
        cls.complaints = cls.complaint_a | cls.complaint_b | cls.complaint_nostore
        cls.complaints |= cls.complaint_c
        cls.visits = cls.visit_a | cls.visit_b | cls.visit_c

    @classmethod
    def _complaint_vals(cls, customer, store):
        return {
            "partner_id": customer.id,
            "category_id": cls.category.id,
            "description": f"Complaint of {customer.name}",
            "team_id": store.id if store else False,
        }

    def _seen(self, records, user):
        """The ids of ``records`` that ``user`` finds through search, sorted."""
        return sorted(
            self.env[records._name].with_user(user).search([("id", "in", records.ids)]).ids
        )


@tagged("post_install", "-at_install")
class TestStoreRules(SecurityCase):
    def test_store_user_reads_nothing_of_another_store(self):
        """Store A's clerk through every read path: search, search_count, search_read,
        read_group, _read_group, web_search_read and name_search."""
        for records, own in ((self.complaints, self.complaint_a), (self.visits, self.visit_a)):
            Model = self.env[records._name].with_user(self.clerk_a)
            domain = [("id", "in", records.ids)]
            self.assertEqual(Model.search(domain), own)
            self.assertEqual(Model.search_count(domain), 1)
            self.assertEqual([r["id"] for r in Model.search_read(domain, ["id"])], own.ids)
            groups = Model.read_group(domain, ["team_id"], ["team_id"])
            self.assertEqual(
                [(g["team_id"][0], g["team_id_count"]) for g in groups], [(self.store_a.id, 1)]
            )
            self.assertEqual(
                Model._read_group(domain, ["team_id"], ["__count"]), [(self.store_a, 1)]
            )
            result = Model.web_search_read(domain, {"display_name": {}})
            self.assertEqual([r["id"] for r in result["records"]], own.ids)
        complaint_names = [
            name
            for _id, name in self.env["store.complaint"]
            .with_user(self.clerk_a)
            .name_search(self.complaint_b.name)
        ]
        self.assertNotIn(self.complaint_b.name, complaint_names)
        self.assertEqual(self._seen(self.complaints, self.clerk_b), self.complaint_b.ids)
        self.assertEqual(self._seen(self.visits, self.clerk_b), self.visit_b.ids)

    def test_visit_ratings_follow_the_visits(self):
        """The customer's answer and the link's token are visit data."""
        tokens = {v: v._rating_get_access_token() for v in (self.visit_a, self.visit_b)}
        Rating = self.env["rating.rating"]
        ratings = Rating.search([("access_token", "in", list(tokens.values()))])
        self.assertEqual(len(ratings), 2)
        rating_b = ratings.filtered(lambda r: r.res_id == self.visit_b.id)
        seen = Rating.with_user(self.clerk_a).search([("id", "in", ratings.ids)])
        self.assertEqual(seen.mapped("res_id"), self.visit_a.ids)
        self.assertEqual(len(Rating.with_user(self.manager).search([("id", "in", ratings.ids)])), 2)
        for operation in (
            lambda r: r.read(["access_token", "feedback"]),
            lambda r: r.write({"rating": 1, "consumed": True}),
        ):
            with self.assertRaises(AccessError):
                operation(rating_b.with_user(self.clerk_a))
        self.assertFalse(rating_b.consumed)
        visit_ratings = self.visit_a.with_user(self.clerk_a).rating_ids
        self.assertEqual(visit_ratings.access_token, tokens[self.visit_a])
        # an employee outside the app reads no visit rating
        self.assertFalse(Rating.with_user(self.employee).search([("id", "in", ratings.ids)]))

    def test_reading_a_foreign_record_by_id_raises(self):
        for record in (self.complaint_b, self.visit_b, self.complaint_nostore):
            foreign = record.with_user(self.clerk_a)
            with self.assertRaises(AccessError):
                foreign.read(["partner_id"])
            foreign.invalidate_recordset()
            with self.assertRaises(AccessError):
                _name = foreign.partner_id.name
            with self.assertRaises(AccessError):
                foreign.write(
                    {"description" if record._name == "store.complaint" else "feedback": "x"}
                )

    def test_store_leader_and_handler_see_the_records(self):
        self.assertEqual(self._seen(self.complaints, self.leader_b), self.complaint_b.ids)
        self.assertEqual(self._seen(self.visits, self.leader_b), self.visit_b.ids)
        # a complaint of store B handled by store A's clerk: the handler sees it
        self.complaint_b.user_id = self.clerk_a
        self.visit_b.user_id = self.clerk_a
        self.assertEqual(
            self._seen(self.complaints, self.clerk_a),
            sorted((self.complaint_a | self.complaint_b).ids),
        )
        self.assertEqual(
            self._seen(self.visits, self.clerk_a), sorted((self.visit_a | self.visit_b).ids)
        )

    def test_managers_see_every_store_of_their_companies(self):
        self.assertEqual(
            set(self._seen(self.complaints, self.manager)),
            set((self.complaint_a | self.complaint_b | self.complaint_nostore).ids),
        )
        self.assertEqual(
            set(self._seen(self.visits, self.manager)),
            set((self.visit_a | self.visit_b).ids),
        )

    def test_store_membership_changes_apply_at_once(self):
        """The rule reads the memberships in SQL: no cached list of stores to go stale."""
        self.assertEqual(self._seen(self.complaints, self.clerk_a), self.complaint_a.ids)
        self.env["ir.config_parameter"].set_param("sales_team.membership_multi", True)
        self.store_b.member_ids = [Command.link(self.clerk_a.id)]
        self.assertEqual(
            self._seen(self.complaints, self.clerk_a),
            sorted((self.complaint_a | self.complaint_b).ids),
        )
        self.store_b.member_ids = [Command.unlink(self.clerk_a.id)]
        self.assertEqual(self._seen(self.complaints, self.clerk_a), self.complaint_a.ids)
        # archived memberships do not count
        self.store_a.crm_team_member_ids.filtered(
            lambda m: m.user_id == self.clerk_a
        ).action_archive()
        self.assertFalse(self._seen(self.complaints, self.clerk_a))
        self.assertFalse(self._seen(self.visits, self.clerk_a))

    def test_clerk_without_a_store_sees_what_they_register(self):
        """A store-less complaint is seen by whoever registered it (and managers), not by
        the other clerks."""
        loner = new_test_user(
            self.env,
            login="ssc_sec_loner",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        complaint = (
            self.env["store.complaint"]
            .with_user(loner)
            .create(self._complaint_vals(self.customer_a, None))
        )
        self.assertFalse(complaint.team_id)
        self.assertEqual(complaint.read(["name"])[0]["name"], complaint.name)
        complaint.write({"customer_request": "A call back"})
        self.assertEqual(self._seen(complaint, loner), complaint.ids)
        self.assertFalse(self._seen(complaint, self.clerk_a))
        self.assertEqual(self._seen(complaint, self.manager), complaint.ids)
        visit = (
            self.env["store.return.visit"]
            .with_user(loner)
            .create({"partner_id": self.customer_a.id, "user_id": False})
        )
        self.assertEqual(self._seen(visit, loner), visit.ids)
        self.assertFalse(self._seen(visit, self.clerk_a))

    def test_registered_complaint_moved_to_another_store_stays_readable_only(self):
        complaint = (
            self.env["store.complaint"]
            .with_user(self.clerk_a)
            .create(self._complaint_vals(self.customer_a, self.store_a))
        )
        complaint.with_user(self.manager).team_id = self.store_b
        mine = complaint.with_user(self.clerk_a)
        mine.invalidate_recordset()
        self.assertEqual(mine.team_id, self.store_b, "the clerk still reads what they registered")
        with self.assertRaises(AccessError):
            mine.write({"customer_request": "changed by the clerk"})
        self.assertEqual(self._seen(complaint, self.clerk_b), complaint.ids, "store B works it")


@tagged("post_install", "-at_install")
class TestNoEscalation(SecurityCase):
    def test_clerk_cannot_move_a_complaint_or_visit_to_a_foreign_store(self):
        complaint = self.complaint_a.with_user(self.clerk_a)
        with self.assertRaisesRegex(AccessError, "Store B"):
            complaint.write({"team_id": self.store_b.id})
        visit = self.visit_a.with_user(self.clerk_a)
        visit.user_id = self.clerk_a  # still theirs when it would leave the store
        with self.assertRaisesRegex(AccessError, "Store B"):
            visit.write({"team_id": self.store_b.id})
        self.assertEqual(self.complaint_a.team_id, self.store_a)
        self.assertEqual(self.visit_a.team_id, self.store_a)
        # their own store, and no store, are fine; so is writing the current store again
        complaint.write({"team_id": self.store_a.id})
        self.complaint_b.user_id = self.clerk_a
        self.complaint_b.with_user(self.clerk_a).write(
            {"team_id": self.store_b.id, "customer_request": "Same store"}
        )
        self.assertEqual(self.complaint_b.customer_request, "Same store")

    def test_clerk_cannot_create_in_a_foreign_store(self):
        with self.assertRaisesRegex(AccessError, "Store B"):
            self.env["store.complaint"].with_user(self.clerk_a).create(
                dict(self._complaint_vals(self.customer_b, self.store_b), user_id=self.clerk_a.id)
            )
        with self.assertRaisesRegex(AccessError, "Store B"):
            self.env["store.return.visit"].with_user(self.clerk_a).create(
                {"partner_id": self.customer_b.id, "team_id": self.store_b.id}
            )
        self.assertFalse(
            self.env["store.complaint"].search(
                [("partner_id", "=", self.customer_b.id), ("user_id", "=", self.clerk_a.id)]
            )
        )

    def test_error_message_is_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        complaint = self.complaint_a.with_user(self.clerk_a).with_context(lang="zh_CN")
        with self.assertRaises(AccessError) as error:
            complaint.write({"team_id": self.store_b.id})
        self.assertRegex(str(error.exception), "[\u4e00-\u9fff]")

    def test_manager_moves_records_between_stores(self):
        self.complaint_a.with_user(self.manager).team_id = self.store_b
        self.visit_a.with_user(self.manager).team_id = self.store_b
        self.assertEqual(self.complaint_a.team_id, self.store_b)
        self.assertEqual(self.visit_a.team_id, self.store_b)

    def test_clerk_cannot_change_a_tier_anywhere(self):
        tier = self.env["store.loyalty.tier"].search(
            [("company_id", "=", self.company_a.id)], limit=1
        )
        company = self.env["res.partner"].create({"name": "Tiles Ltd", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Mr. Tiles", "parent_id": company.id})
        Partner = self.env["res.partner"].with_user(self.clerk_a)
        for partner in (company, contact):
            for vals in ({"loyalty_tier_id": tier.id}, {"loyalty_tier_locked": True}):
                with self.assertRaises(AccessError):
                    partner.with_user(self.clerk_a).write(vals)
        for vals in (
            {"name": "New VIP", "loyalty_tier_id": tier.id},
            {"name": "New locked", "loyalty_tier_locked": True},
            {"name": "New contact", "parent_id": company.id, "loyalty_tier_id": tier.id},
        ):
            with self.assertRaises(AccessError):
                Partner.create(vals)
        self.assertFalse((company | contact).mapped("loyalty_tier_id"))
        self.assertEqual((company | contact).mapped("loyalty_tier_locked"), [False, False])

    def test_clerk_links_a_contact_to_a_company_with_a_tier(self):
        """The commercial fields sync copies the company's tier onto its contact: allowed."""
        tier = self.env["store.loyalty.tier"].search(
            [("company_id", "=", self.company_a.id)], limit=1
        )
        company = self.env["res.partner"].create({"name": "Tiles Ltd", "is_company": True})
        company.with_user(self.manager).write(
            {"loyalty_tier_id": tier.id, "loyalty_tier_locked": True}
        )
        Partner = self.env["res.partner"].with_user(self.clerk_a)
        new_contact = Partner.create({"name": "Ms. Tiles", "parent_id": company.id})
        self.assertEqual(new_contact.loyalty_tier_id, tier)
        loose = Partner.create({"name": "Mr. Loose"})
        loose.write({"parent_id": company.id})
        self.assertEqual(loose.loyalty_tier_id, tier)
        self.assertTrue(loose.loyalty_tier_locked)
        company.with_user(self.clerk_a).write({"phone": "+86 21 5555 0000"})

    def test_clerk_cannot_create_tiers_rules_or_categories(self):
        cases = (
            ("store.loyalty.tier", {"name": "Mine", "min_spend": 1}),
            (
                "store.return.visit.rule",
                {"name": "Mine", "trigger": "sale_confirmed", "channel": "phone"},
            ),
            ("store.complaint.category", {"name": "Mine", "code": "MINE"}),
        )
        for model, vals in cases:
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.clerk_a).create(vals)
            self.env[model].with_user(self.manager).create(vals)

    def test_only_managers_change_the_settings(self):
        Settings = self.env["res.config.settings"]
        with self.assertRaises(AccessError):
            Settings.with_user(self.clerk_a).create({})
        with self.assertRaises(AccessError):
            self.company_a.with_user(self.clerk_a).write({"complaint_response_hours": 1})
        with self.assertRaises(AccessError):
            self.company_a.with_user(self.manager).write({"loyalty_window_months": 1})
        # an administrator who is not a service manager: the Customer Service fields are not theirs
        admin = new_test_user(self.env, login="ssc_sec_it", groups="base.group_system")
        self.assertFalse(admin.has_group("store_service_crm.group_store_service_manager"))
        for fname in (
            "complaint_response_hours",
            "loyalty_window_months",
            "return_visit_max_attempts",
        ):
            with self.assertRaises(AccessError):
                Settings.with_user(admin).create({fname: 1})
        view = Settings.with_user(admin).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn('name="complaint_response_hours"', view)
        # ... and saves the other apps' settings (as Odoo's sale_stock tests do) without
        # tripping over ours, which stay as they were
        before = self.company_a.complaint_response_hours
        Settings.with_user(admin).create({"group_discount_per_so_line": True}).execute()
        self.assertEqual(self.company_a.complaint_response_hours, before)
        # a service manager who is also an administrator changes them
        self.manager.groups_id = [Command.link(self.env.ref("base.group_system").id)]
        settings = Settings.with_user(self.manager).create({"complaint_response_hours": 6})
        settings.execute()
        self.assertEqual(self.company_a.complaint_response_hours, 6)


@tagged("post_install", "-at_install")
class TestMultiCompany(SecurityCase):
    def test_company_b_user_reads_nothing_of_company_a(self):
        cases = (
            (self.complaints, self.complaint_c),
            (self.visits, self.visit_c),
        )
        for records, own in cases:
            self.assertEqual(self._seen(records, self.clerk_c), own.ids)
        Tier = self.env["store.loyalty.tier"].with_user(self.clerk_c)
        self.assertEqual(Tier.search([]), self.tier_c)
        Rule = self.env["store.return.visit.rule"].with_user(self.clerk_c)
        self.assertFalse(Rule.search([("company_id", "=", self.company_a.id)]))
        Category = self.env["store.complaint.category"].with_user(self.clerk_c)
        self.assertIn(self.category_c, Category.search([]))
        self.assertFalse(Category.search([("company_id", "=", self.company_a.id)]))
        for record in (self.complaint_a, self.visit_a):
            with self.assertRaises(AccessError):
                record.with_user(self.clerk_c).read(["partner_id"])
        tier_a = self.env["store.loyalty.tier"].search(
            [("company_id", "=", self.company_a.id)], limit=1
        )
        with self.assertRaises(AccessError):
            tier_a.with_user(self.clerk_c).read(["name"])

    def test_company_a_users_never_read_company_b(self):
        for user in (self.clerk_a, self.manager):
            self.assertNotIn(self.complaint_c.id, self._seen(self.complaints, user))
            self.assertNotIn(self.visit_c.id, self._seen(self.visits, user))
            self.assertNotIn(self.tier_c.id, self._seen(self.tier_c, user))
            self.assertFalse(
                self.env["store.return.visit.rule"]
                .with_user(user)
                .with_context(active_test=False)
                .search([("id", "=", self.rule_c.id)])
            )
            self.assertFalse(self._seen(self.category_c, user))
            with self.assertRaises(AccessError):
                self.complaint_c.with_user(user).read(["name"])

    def test_multi_company_manager_sees_only_the_active_companies(self):
        self.manager.company_ids = [Command.link(self.company_b.id)]
        Complaint = self.env["store.complaint"].with_user(self.manager)
        domain = [("id", "in", self.complaints.ids)]
        only_a = Complaint.with_context(allowed_company_ids=self.company_a.ids).search(domain)
        self.assertNotIn(self.complaint_c, only_a)
        both = Complaint.with_context(
            allowed_company_ids=(self.company_a | self.company_b).ids
        ).search(domain)
        self.assertIn(self.complaint_c, both)


@tagged("post_install", "-at_install")
class TestSalesman(SecurityCase):
    """A salesperson with no store group sees the tier badge and registers complaints."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier = cls.env["store.loyalty.tier"].search(
            [("company_id", "=", cls.company_a.id)], limit=1
        )
        cls.customer_a.write({"loyalty_tier_id": cls.tier.id, "loyalty_tier_locked": True})
        cls.product = cls.env["product.product"].create({"name": "Oven OV-1", "type": "consu"})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer_a.id,
                "user_id": cls.salesman.id,
                "team_id": cls.store_a.id,
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )
        cls.order.action_confirm()
        cls.others_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer_a.id,
                "user_id": cls.clerk_a.id,
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )

    def test_salesman_sees_the_tier_on_partner_and_order(self):
        self.assertFalse(self.salesman.has_group("store_service_crm.group_store_service_user"))
        order_form = Form(self.order.with_user(self.salesman))
        self.assertEqual(order_form.partner_loyalty_tier_id, self.tier)
        partner_form = Form(self.customer_a.with_user(self.salesman))
        self.assertEqual(partner_form.loyalty_tier_id, self.tier)
        arch = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="action_register_complaint"', arch)

    def test_salesman_registers_a_complaint_from_an_order(self):
        order = self.order.with_user(self.salesman)
        action = order.action_register_complaint()
        self.assertFalse(
            action["context"]["default_team_id"], "store A is not the salesman's store"
        )
        Complaint = self.env["store.complaint"].with_user(self.salesman)
        form = Form(Complaint.with_context(**action["context"]))
        form.category_id = self.category
        form.description = "The oven door does not close"
        complaint = form.save()
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.partner_id, self.customer_a)
        self.assertEqual(complaint.state, "new")
        self.assertEqual(complaint.loyalty_tier_id, self.tier)
        self.assertTrue(
            complaint.sudo().message_ids.filtered(lambda m: m.message_type == "comment"),
            "the acknowledgement went to the customer",
        )
        # the salesman reads the complaints of their orders, nothing else, and changes nothing
        self.assertEqual(self._seen(self.complaints | complaint, self.salesman), complaint.ids)
        with self.assertRaises(AccessError):
            complaint.write({"severity": "high"})
        with self.assertRaises(AccessError):
            self.complaint_a.with_user(self.salesman).read(["name"])

    def test_salesman_in_the_store_gets_the_store(self):
        self.store_a.member_ids = [Command.link(self.salesman.id)]
        action = self.order.with_user(self.salesman).action_register_complaint()
        self.assertEqual(action["context"]["default_team_id"], self.store_a.id)
        complaint = (
            self.env["store.complaint"]
            .with_user(self.salesman)
            .create(
                {
                    "sale_order_id": self.order.id,
                    "category_id": self.category.id,
                    "description": "Scratched",
                }
            )
        )
        self.assertEqual(complaint.team_id, self.store_a)

    def test_salesman_cannot_register_on_someone_elses_order(self):
        Complaint = self.env["store.complaint"].with_user(self.salesman)
        with self.assertRaises(AccessError):
            Complaint.create(
                {
                    "sale_order_id": self.others_order.id,
                    "category_id": self.category.id,
                    "description": "Not my order",
                }
            )
        with self.assertRaises(AccessError):
            Complaint.create(
                {
                    "partner_id": self.customer_a.id,
                    "category_id": self.category.id,
                    "description": "No order at all",
                }
            )

    def test_employee_without_sales_or_store_group_sees_no_complaint(self):
        self.assertFalse(self.env["store.complaint"].with_user(self.employee).has_access("read"))
        self.assertFalse(self.env["store.complaint"].with_user(self.employee).has_access("create"))


@tagged("post_install", "-at_install")
class TestRatingPageSecurity(HttpCase):
    """The public rating page: CSRF on POST, a valid token, nothing about anyone else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store = cls.env["crm.team"].create({"is_store": True, "name": "Rating Store"})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ms. Rated", "email": "rated@example.com", "phone": "+86 139 0000 1111"}
        )
        cls.neighbour = cls.env["res.partner"].create(
            {"name": "Mr. Neighbour Secret", "email": "neighbour@example.com"}
        )
        handler = new_test_user(
            cls.env,
            login="ssc_sec_rating_handler",
            name="Handler Hidden Name",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        Visit = cls.env["store.return.visit"]
        cls.visit = Visit.create(
            {
                "partner_id": cls.customer.id,
                "team_id": cls.store.id,
                "user_id": handler.id,
                "scheduled_date": fields.Date.today(),
                "feedback": "Internal remark: difficult customer",
            }
        )
        cls.visit.message_post(
            body="Note: refund refused, keep quiet", subtype_xmlid="mail.mt_note"
        )
        cls.other_visit = Visit.create(
            {
                "partner_id": cls.neighbour.id,
                "team_id": cls.store.id,
                "scheduled_date": fields.Date.today(),
                "feedback": "Neighbour feedback",
            }
        )
        cls.token = cls.visit._rating_get_access_token()
        cls.other_token = cls.other_visit._rating_get_access_token()
        cls.rating = cls.env["rating.rating"].search([("access_token", "=", cls.token)])

    def _csrf(self, html):
        match = re.search(r'name="csrf_token" value="([^"]+)"', html)
        self.assertTrue(match)
        return match.group(1)

    def test_post_without_or_with_a_wrong_csrf_token_records_nothing(self):
        self.url_open(f"/rate/{self.token}/4", timeout=30)  # a session, as a browser has
        url = f"/rate/{self.token}/submit_feedback"
        missing = self.url_open(url, data={"csat": "5"}, timeout=30)
        wrong = self.url_open(url, data={"csat": "5", "csrf_token": "forged"}, timeout=30)
        self.assertEqual((missing.status_code, wrong.status_code), (400, 400))
        self.env.invalidate_all()
        self.assertFalse(self.rating.consumed)
        self.assertEqual((self.visit.state, self.visit.csat_score), ("planned", 0))

    def test_pages_leak_nothing_about_others(self):
        secrets = (
            self.neighbour.name,
            self.neighbour.email,
            "Neighbour feedback",
            "Internal remark",
            "refund refused",
            "Handler Hidden Name",
            self.customer.phone,
            self.customer.email,
            self.other_token,
        )
        form = self.url_open(f"/rate/{self.token}/4", timeout=30)
        self.assertEqual(form.status_code, 200)
        self.assertIn("Rating Store", form.text, "the customer sees which store asks")
        response = self.url_open(
            f"/rate/{self.token}/submit_feedback",
            data={"csat": "5", "csrf_token": self._csrf(form.text)},
            timeout=30,
        )
        self.assertEqual(response.status_code, 200)
        answered = self.url_open(f"/rate/{self.token}/2", timeout=30)
        for page in (form, response, answered):
            for secret in secrets:
                self.assertNotIn(secret, page.text)
        # the answer went to this visit only
        self.env.invalidate_all()
        self.assertEqual(self.visit.csat_score, 5)
        self.assertEqual(self.other_visit.csat_score, 0)
        self.assertEqual(self.other_visit.state, "planned")

    def test_a_token_writes_only_its_own_visit(self):
        form = self.url_open(f"/rate/{self.other_token}/3", timeout=30)
        csrf = self._csrf(form.text)
        # a token with a visit id appended or a guessed token is not found
        for token in (f"{self.token}x", self.token[:-1], "0" * len(self.token)):
            response = self.url_open(
                f"/rate/{token}/submit_feedback", data={"csat": "1", "csrf_token": csrf}, timeout=30
            )
            self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertEqual((self.visit.csat_score, self.other_visit.csat_score), (0, 0))


@tagged("post_install", "-at_install")
class TestKpiAccess(SecurityCase):
    """The KPI engine gives a store user their stores' figures, nothing else."""

    def _kpis(self, user, **kwargs):
        today = fields.Date.today()
        return self.env["store.service.kpi"].with_user(user).compute_kpis(today, today, **kwargs)

    def test_store_user_gets_only_their_stores_figures(self):
        own = self._kpis(self.clerk_a)
        as_manager = self._kpis(self.manager, team_ids=[self.store_a.id])
        self.assertEqual(own["complaint_count"], 1)
        self.assertEqual(own["visit_due_count"], 1)
        for key in ("complaint_count", "visit_due_count", "order_count", "csat_count"):
            self.assertEqual(own[key], as_manager[key], key)
        both = self._kpis(self.manager, team_ids=[self.store_a.id, self.store_b.id])
        self.assertEqual(both["complaint_count"], 2)
        grouped = self._kpis(self.clerk_a, group_by="team")
        self.assertEqual([t["team_id"] for t in grouped["teams"]], [self.store_a.id])
        self.assertEqual(self._kpis(self.leader_b)["complaint_count"], 1)

    def test_store_user_asking_for_another_store_is_refused(self):
        for user, team in (
            (self.clerk_a, self.store_b),
            (self.clerk_a, self.store_c),
            (self.clerk_c, self.store_a),
        ):
            with self.assertRaises(AccessError):
                self._kpis(user, team_ids=[team.id])
            with self.assertRaises(AccessError):
                self.env["store.service.kpi"].with_user(user).action_open_kpi_records(
                    "complaint_rate", fields.Date.today(), fields.Date.today(), team_ids=[team.id]
                )

    def test_companies_do_not_mix_in_the_kpis(self):
        self.assertEqual(self._kpis(self.clerk_c)["complaint_count"], 1)
        self.assertEqual(self._kpis(self.clerk_c)["visit_due_count"], 1)
        # a manager of company A, even asking for store C by id, reads nothing of company B
        self.assertEqual(self._kpis(self.manager, team_ids=[self.store_c.id])["complaint_count"], 0)
