# pylint: disable=unsubscriptable-object
# (pylint cannot infer HttpCase.env in setUpClass)
"""A hostile client, with real non-admin users, over real XML-RPC and JSON-RPC.

Whatever context it sends (the old workflow key included), a client changes a
complaint's state and workflow figures only through the actions, deletes no
complaint, cannot overwrite a done visit's answer, and a user without Store
Service rights creates nothing through any public method of the addon. Each
refusal changes nothing: row count and md5 of every row of the tables touched,
before and after (as ``test_bad_input.py`` does).
"""

import json
import re
import xmlrpc.client

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import table_checksums as _table_checksums

MODULE = "odoo.addons.store_service_crm"
TABLES = (
    "store_loyalty_tier",
    "store_loyalty_tier_history",
    "store_complaint_category",
    "store_complaint",
    "store_return_visit",
    "store_return_visit_rule",
    "store_scorecard_log",
    "res_partner",
    "crm_team",
    "sale_order",
    "sale_order_line",
    "account_move",
    "mail_message",
    "mail_activity",
    "mail_followers",
    "mail_tracking_value",
    "rating_rating",
)
# context keys a client may send, the old workflow key first
CONTEXTS = (
    {},
    {"store_complaint_workflow": True},
    {"store_complaint_workflow": True, "store_complaint_close_reason": "because"},
    {"tracking_disable": True, "mail_notrack": True, "active_test": False},
)
LEGACY_CTX = {"store_complaint_workflow": True}


def table_checksums(env):
    return _table_checksums(env, TABLES)


class HostileClientCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))  # pylint: disable=not-callable
        groups_user = "base.group_user,store_service_crm.group_store_service_user"
        cls.clerk = new_test_user(env, login="ssc_hostile_clerk", groups=groups_user)
        cls.clerk2 = new_test_user(env, login="ssc_hostile_clerk2", groups=groups_user)
        cls.manager = new_test_user(
            env,
            login="ssc_hostile_manager",
            groups="base.group_user,store_service_crm.group_store_service_manager",
        )
        cls.employee = new_test_user(env, login="ssc_hostile_employee", groups="base.group_user")
        cls.store = env["crm.team"].create(
            {
                "is_store": True,
                "name": "Hostile Store",
                "user_id": cls.manager.id,
                "member_ids": [fields.Command.set([cls.clerk.id, cls.clerk2.id])],
            }
        )
        cls.partner = env["res.partner"].create(
            {"name": "Ms. Hostile", "email": "hostile@example.com", "customer_rank": 1}
        )
        cls.category = env.ref("store_service_crm.complaint_category_product_quality")
        Complaint = env["store.complaint"]
        vals = {
            "partner_id": cls.partner.id,
            "category_id": cls.category.id,
            "description": "Door scratched",
            "team_id": cls.store.id,
        }
        cls.new = Complaint.with_user(cls.clerk2).create(vals)
        cls.in_progress = Complaint.create(dict(vals, user_id=cls.clerk.id))
        cls.in_progress.action_assign()
        cls.in_progress.action_start()
        cls.visit = env["store.return.visit"].create(
            {"partner_id": cls.partner.id, "team_id": cls.store.id, "user_id": cls.clerk.id}
        )

    # -- transports ---------------------------------------------------------
    def xmlrpc(self, user, model, method, args, kwargs=None, context=None):
        kwargs = dict(kwargs or {}, context=dict(context or {}))
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, args, kwargs
        )

    def jsonrpc(self, user, model, method, args, kwargs=None, context=None):
        kwargs = dict(kwargs or {}, context=dict(context or {}))
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [self.env.cr.dbname, user.id, user.login, model, method, args, kwargs],
            },
        }
        response = self.url_open(
            "/jsonrpc",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        body = response.json()
        if "error" in body:
            raise xmlrpc.client.Fault(1, json.dumps(body["error"]))
        return body.get("result")  # Odoo leaves a None result out

    def assert_refused(self, call, case):
        """``call`` raises a fault and changes none of TABLES."""
        before = table_checksums(self.env)
        with self.assertRaises(xmlrpc.client.Fault, msg=case), mute_logger("odoo.http"):
            call()
        self.env.invalidate_all()
        after = table_checksums(self.env)
        changed = [table for table in TABLES if before[table] != after[table]]
        self.assertFalse(changed, f"{case}: refused but changed {changed}")

    def read_back(self, records, names):
        records.invalidate_recordset()
        return records.read(names)


@tagged("post_install", "-at_install")
class TestHostileWorkflow(HostileClientCase):
    FORBIDDEN = (
        ("state", "closed"),
        ("state", "resolved"),
        ("date_first_response", "2020-01-01 08:00:00"),
        ("date_resolved", "2020-01-01 09:00:00"),
        ("date_closed", "2020-01-01 10:00:00"),
        ("response_deadline", "2099-01-01 08:00:00"),
        ("resolution_deadline", "2099-01-01 08:00:00"),
        ("reopen_count", 0),
        ("first_contact_resolution", True),
        ("escalation_level", 0),
        ("date_escalated", False),
        ("satisfaction_score", 5),
        ("cancel_reason", "nothing to see"),
        ("close_override_reason", "I said so"),
    )

    def test_workflow_writes_are_refused_whatever_the_context(self):
        for transport in (self.xmlrpc, self.jsonrpc):
            for context in CONTEXTS:
                for name, value in self.FORBIDDEN:
                    case = f"{transport.__name__} {context} {name}={value}"
                    with self.subTest(case=case):
                        self.assert_refused(
                            lambda t=transport, c=context, n=name, v=value: t(
                                self.clerk,
                                "store.complaint",
                                "write",
                                [[self.in_progress.id], {n: v}],
                                context=c,
                            ),
                            case,
                        )
        self.assertEqual(self.in_progress.state, "in_progress")

    def test_a_manager_goes_through_the_same_door(self):
        for context in CONTEXTS:
            self.assert_refused(
                lambda c=context: self.xmlrpc(
                    self.manager,
                    "store.complaint",
                    "write",
                    [[self.in_progress.id], {"state": "closed", "date_closed": False}],
                    context=c,
                ),
                f"manager {context}",
            )

    def test_registering_in_another_state_or_with_dates_is_refused(self):
        vals = {
            "partner_id": self.partner.id,
            "category_id": self.category.id,
            "description": "Forged",
            "team_id": self.store.id,
        }
        for transport in (self.xmlrpc, self.jsonrpc):
            for context in CONTEXTS:
                for extra in (
                    {"state": "closed"},
                    {"date_first_response": "2020-01-01 08:00:00"},
                    {"first_contact_resolution": True},
                    {"date_received": "2099-01-01 08:00:00"},
                ):
                    case = f"{transport.__name__} create {context} {extra}"
                    self.assert_refused(
                        lambda t=transport, c=context, e=extra: t(
                            self.clerk, "store.complaint", "create", [dict(vals, **e)], context=c
                        ),
                        case,
                    )

    def test_clerk_cannot_close_a_new_complaint_or_skip_the_verification(self):
        for context in CONTEXTS:
            self.assert_refused(
                lambda c=context: self.jsonrpc(
                    self.clerk, "store.complaint", "action_close", [[self.new.id]], context=c
                ),
                f"close new {context}",
            )
        # resolved but not verified: only a manager closes it without verification
        self.in_progress.write({"responsibility": "staff", "resolution_type": "apology"})
        self.in_progress.action_resolve()
        for context in CONTEXTS:
            self.assert_refused(
                lambda c=context: self.xmlrpc(
                    self.clerk,
                    "store.complaint",
                    "action_close",
                    [[self.in_progress.id]],
                    context=dict(c, store_complaint_close_reason="no time"),
                ),
                f"close unverified {context}",
            )
        self.assertEqual(self.in_progress.state, "resolved")

    def test_moving_the_date_received_or_archiving_is_for_managers(self):
        for vals in ({"date_received": "2020-01-01 08:00:00"}, {"active": False}):
            for context in CONTEXTS:
                self.assert_refused(
                    lambda v=vals, c=context: self.xmlrpc(
                        self.clerk, "store.complaint", "write", [[self.new.id], v], context=c
                    ),
                    f"{vals} {context}",
                )

    def test_actions_still_work_over_rpc_and_stamp_the_dates(self):
        self.xmlrpc(self.clerk, "store.complaint", "action_assign", [[self.new.id]])
        self.xmlrpc(self.clerk, "store.complaint", "action_start", [[self.new.id]])
        values = self.read_back(self.new, ["state", "date_first_response", "write_uid"])[0]
        self.assertEqual(values["state"], "in_progress")
        self.assertTrue(values["date_first_response"])
        self.assertEqual(values["write_uid"][0], self.clerk.id)
        self.jsonrpc(
            self.clerk, "store.complaint", "action_cancel", [[self.new.id]], {"reason": "Twice"}
        )
        values = self.read_back(self.new, ["state", "cancel_reason"])[0]
        self.assertEqual((values["state"], values["cancel_reason"]), ("cancelled", "Twice"))

    def test_cancelling_needs_a_reason(self):
        for kwargs in ({}, {"reason": ""}, {"reason": "   "}):
            self.assert_refused(
                lambda k=kwargs: self.xmlrpc(
                    self.clerk, "store.complaint", "action_cancel", [[self.new.id]], k
                ),
                f"cancel {kwargs}",
            )

    def test_clerk_cannot_delete_a_complaint(self):
        for user in (self.clerk, self.clerk2):
            for context in CONTEXTS:
                self.assert_refused(
                    lambda u=user, c=context: self.xmlrpc(
                        u, "store.complaint", "unlink", [[self.new.id]], context=c
                    ),
                    f"{user.login} unlink {context}",
                )
        self.assertTrue(self.new.exists())

    def test_manager_deletes_only_a_fresh_complaint(self):
        self.assert_refused(
            lambda: self.xmlrpc(self.manager, "store.complaint", "unlink", [[self.in_progress.id]]),
            "manager deletes a handled complaint",
        )
        # the acknowledgement mailed to the customer is a message: that one stays
        self.assert_refused(
            lambda: self.xmlrpc(self.manager, "store.complaint", "unlink", [[self.new.id]]),
            "manager deletes an acknowledged complaint",
        )
        fresh = self.env["store.complaint"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "No email"}).id,
                "category_id": self.category.id,
                "description": "Typed by mistake",
                "team_id": self.store.id,
            }
        )
        self.xmlrpc(self.manager, "store.complaint", "unlink", [[fresh.id]])
        self.assertFalse(fresh.exists())


@tagged("post_install", "-at_install")
class TestHostileVisits(HostileClientCase):
    def test_second_clerk_cannot_overwrite_a_done_visit(self):
        self.xmlrpc(
            self.clerk,
            "store.return.visit",
            "action_done",
            [[self.visit.id]],
            {"csat_score": 2, "nps_score": 3, "feedback": "Installer was late"},
        )
        answer = ["state", "csat_score", "nps_score", "nps_given", "feedback"]
        recorded = self.read_back(self.visit, answer)[0]
        self.assertEqual(
            [recorded[name] for name in answer], ["done", 2, 3, True, "Installer was late"]
        )
        for user in (self.clerk2, self.clerk):
            for context in CONTEXTS:
                for vals in (
                    {"csat_score": 5},
                    {"nps_score": 10},
                    {"nps_given": False},
                    {"feedback": "All good"},
                    {"state": "planned"},
                    {"date_done": "2020-01-01 08:00:00"},
                ):
                    self.assert_refused(
                        lambda u=user, v=vals, c=context: self.jsonrpc(
                            u, "store.return.visit", "write", [[self.visit.id], v], context=c
                        ),
                        f"{user.login} {vals} {context}",
                    )
        self.assertEqual(self.read_back(self.visit, answer)[0], recorded)

    def test_a_manager_corrects_a_done_visit_and_it_is_tracked(self):
        self.visit.with_user(self.clerk).action_done(csat_score=2)
        self.xmlrpc(
            self.manager, "store.return.visit", "write", [[self.visit.id], {"csat_score": 3}]
        )
        self.assertEqual(self.read_back(self.visit, ["csat_score"])[0]["csat_score"], 3)
        trackings = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "store.return.visit"),
                ("mail_message_id.res_id", "=", self.visit.id),
                ("field_id.name", "=", "csat_score"),
            ]
        )
        self.assertIn((2, 3), [(t.old_value_integer, t.new_value_integer) for t in trackings])
        self.assertEqual(trackings.mail_message_id.author_id, self.manager.partner_id)

    def test_clerk_cannot_start_the_batch_generation(self):
        for transport in (self.xmlrpc, self.jsonrpc):
            self.assert_refused(
                lambda t=transport: t(
                    self.clerk, "store.return.visit.rule", "generate_visits", [[]]
                ),
                f"{transport.__name__} generate_visits by a clerk",
            )

    def test_visit_state_only_through_the_actions(self):
        for context in CONTEXTS:
            for vals in (
                {"state": "done"},
                {"state": "cancelled"},
                {"attempt_count": 5},
                {"date_done": "2020-01-01 08:00:00"},
            ):
                self.assert_refused(
                    lambda v=vals, c=context: self.xmlrpc(
                        self.clerk, "store.return.visit", "write", [[self.visit.id], v], context=c
                    ),
                    f"{vals} {context}",
                )
            self.assert_refused(
                lambda c=context: self.xmlrpc(
                    self.clerk,
                    "store.return.visit",
                    "create",
                    [{"partner_id": self.partner.id, "state": "done", "csat_score": 5}],
                    context=c,
                ),
                f"create done {context}",
            )


@tagged("post_install", "-at_install")
class TestHostileNpsZero(HostileClientCase):
    def _kpis(self):
        today = fields.Date.to_string(fields.Date.today())
        return self.xmlrpc(
            self.manager,
            "store.service.kpi",
            "compute_kpis",
            [today, today],
            {"team_ids": [self.store.id]},
        )

    def test_nps_zero_through_the_api_and_the_list_counts_as_a_detractor(self):
        Visit = "store.return.visit"
        base = {"partner_id": self.partner.id, "team_id": self.store.id}
        # the API: created with a 0
        created = self.xmlrpc(self.clerk, Visit, "create", [dict(base, nps_score=0)])
        self.xmlrpc(self.clerk, Visit, "action_done", [[created]])
        # the list's inline edit: a write of the 0 alone, then the Done button
        self.xmlrpc(self.clerk, Visit, "write", [[self.visit.id], {"nps_score": 0}])
        self.jsonrpc(self.clerk, Visit, "action_done", [[self.visit.id]])
        # the action's own argument
        third = self.jsonrpc(self.clerk, Visit, "create", [base])
        self.jsonrpc(self.clerk, Visit, "action_done", [[third]], {"nps_score": 0})
        # a promoter, so that the figure is not a division of zeros
        fourth = self.xmlrpc(self.clerk, Visit, "create", [base])
        self.xmlrpc(self.clerk, Visit, "action_done", [[fourth]], {"nps_score": 10})
        visits = self.env[Visit].browse([created, self.visit.id, third, fourth])
        self.assertEqual(
            [
                (v["nps_score"], v["nps_given"], v["state"])
                for v in self.read_back(visits, ["nps_score", "nps_given", "state"])
            ],
            [(0, True, "done"), (0, True, "done"), (0, True, "done"), (10, True, "done")],
        )
        kpis = self._kpis()
        # 1 promoter, 3 detractors: (1 - 3) / 4 * 100
        self.assertAlmostEqual(kpis["nps"], -50.0)

    def test_a_visit_never_asked_is_not_a_detractor(self):
        self.xmlrpc(
            self.clerk, "store.return.visit", "action_done", [[self.visit.id]], {"csat_score": 4}
        )
        self.assertFalse(self.read_back(self.visit, ["nps_given"])[0]["nps_given"])
        self.assertIsNone(self._kpis()["nps"])

    def test_the_rating_page_submits_an_nps_of_zero(self):
        token = self.visit._rating_get_access_token()
        html = self.url_open(f"/rate/{token}/submit_feedback", timeout=30).text
        self.assertRegex(html, r'name="nps"[^>]*value="0"|value="0"[^>]*name="nps"')
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        response = self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"csrf_token": csrf, "csat": "1", "nps": "0"},
            timeout=30,
        )
        self.assertEqual(response.status_code, 200)
        values = self.read_back(self.visit, ["state", "nps_score", "nps_given"])[0]
        self.assertEqual(
            (values["state"], values["nps_score"], values["nps_given"]), ("done", 0, True)
        )
        self.assertAlmostEqual(self._kpis()["nps"], -100.0)


@tagged("post_install", "-at_install")
class TestHostileNoRights(HostileClientCase):
    """An internal user without Store Service rights calls every public method the
    addon defines or overrides, on every model: nothing is created or changed."""

    def _public_methods(self):
        found = {}
        for model_name in sorted(self.env.registry):
            cls = type(self.env[model_name])
            for attr in dir(cls):
                if attr.startswith("_"):
                    continue
                for klass in cls.__mro__:
                    func = klass.__dict__.get(attr)
                    if callable(func) and getattr(func, "__module__", "").startswith(MODULE):
                        found.setdefault(model_name, []).append(attr)
                        break
        return found

    def _args(self, model_name, method):
        Model = self.env[model_name].with_context(active_test=False)
        ids = [] if Model._transient or Model._abstract else Model.search([], limit=1).ids
        if method == "create":
            vals = {"partner_id": self.partner.id, "name": "Intruder"}
            if model_name == "store.complaint":
                vals = {
                    "partner_id": self.partner.id,
                    "category_id": self.category.id,
                    "description": "Intruder",
                }
            vals = {k: v for k, v in vals.items() if k in Model._fields}
            return [vals], {}
        if method == "write":
            return [ids, {"name": "Intruder"} if "name" in Model._fields else {}], {}
        if method in ("compute_kpis",):
            today = fields.Date.to_string(fields.Date.today())
            return [today, today], {}
        if method in ("kpi_status",):
            return ["nps", 50, {}], {}
        if method in ("default_get",):
            return [list(Model._fields)], {}
        return [ids], {}

    def test_user_without_store_rights_creates_nothing_through_any_public_method(self):
        methods = self._public_methods()
        # the ones the issue names are among them
        self.assertIn("action_plan_care_visit", methods["res.partner"])
        self.assertIn("action_confirm", methods["sale.order"])
        self.assertIn("generate_visits", methods["store.return.visit.rule"])
        called = refused = 0
        for model_name, names in methods.items():
            for method in names:
                args, kwargs = self._args(model_name, method)
                for transport in (self.xmlrpc, self.jsonrpc):
                    case = f"{transport.__name__} {model_name}.{method}"
                    with self.subTest(case=case):
                        before = table_checksums(self.env)
                        try:
                            with mute_logger("odoo.http"):
                                transport(self.employee, model_name, method, args, kwargs)
                        except xmlrpc.client.Fault:
                            refused += 1
                        self.env.invalidate_all()
                        after = table_checksums(self.env)
                        changed = [t for t in TABLES if before[t] != after[t]]
                        self.assertFalse(changed, f"{case} changed {changed}")
                        called += 1
        self.assertGreater(called, 80)
        # creating, writing and the workflow actions are refused outright
        self.assertGreater(refused, called // 2)

    def test_care_visit_planning_needs_store_rights(self):
        self.assert_refused(
            lambda: self.xmlrpc(
                self.employee, "res.partner", "action_plan_care_visit", [[self.partner.id]]
            ),
            "care visit by an employee",
        )
        self.assert_refused(
            lambda: self.jsonrpc(
                self.employee,
                "store.return.visit.rule",
                "generate_visits",
                [[]],
            ),
            "generation by an employee",
        )


@tagged("post_install", "-at_install")
class TestOrderSideEffects(HostileClientCase):
    """A salesman without Store Service rights confirms an order over RPC: the rule's
    visit is planned through the ORM (with its to-do), the customer is queued for the
    loyalty recompute, and the customer's row is not written by the order."""

    def test_salesman_confirms_an_order(self):
        env = self.env
        salesman = new_test_user(
            env,
            login="ssc_hostile_salesman",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        rule = env.ref("store_service_crm.return_visit_rule_after_purchase")
        rule.active = True
        product = env["product.product"].create({"name": "Hostile fridge", "list_price": 500})
        order_id = self.xmlrpc(
            salesman,
            "sale.order",
            "create",
            [
                {
                    "partner_id": self.partner.id,
                    "user_id": salesman.id,
                    "order_line": [(0, 0, {"product_id": product.id, "price_unit": 500})],
                }
            ],
        )
        env.flush_all()
        env.cr.execute("SELECT ctid, write_date FROM res_partner WHERE id = %s", [self.partner.id])
        partner_row = env.cr.fetchone()
        self.jsonrpc(salesman, "sale.order", "action_confirm", [[order_id]])
        env.invalidate_all()
        env.cr.execute("SELECT ctid, write_date FROM res_partner WHERE id = %s", [self.partner.id])
        self.assertEqual(env.cr.fetchone(), partner_row, "the customer's row is not written")
        self.assertTrue(
            env["store.loyalty.pending"].search([("partner_id", "=", self.partner.id)]),
            "the customer waits for the triggered recompute",
        )
        visit = env["store.return.visit"].search([("sale_order_id", "=", order_id)])
        self.assertEqual(len(visit), 1)
        self.assertEqual((visit.rule_id, visit.state), (rule, "planned"))
        self.assertEqual(visit.create_uid, salesman, "created through the ORM, as the salesman")
        self.assertEqual(len(visit.activity_ids), 1, "the to-do is scheduled with it")
        self.assertEqual(visit.activity_ids.user_id, salesman)
        # the salesman still cannot touch the visit itself
        self.assert_refused(
            lambda: self.xmlrpc(
                salesman, "store.return.visit", "write", [[visit.id], {"csat_score": 5}]
            ),
            "salesman writes a visit",
        )
