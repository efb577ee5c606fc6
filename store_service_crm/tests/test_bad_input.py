# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""Bad input, table-driven, over every model of the addon.

Each case runs like one request (the ORM call in a savepoint; the XML-RPC call
in its own request) and must raise a clear error, translated when the message
is the addon's (asked in Chinese, it answers in Chinese), and leave the
database exactly as it was: row count and an md5 of every row of the tables
the addon touches, before and after.
"""

import re
import xmlrpc.client
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..tools import TEXT_MAX_LENGTH
from .common import make_users, table_checksums

MODULE = "store_service_crm"
CJK = re.compile("[\u4e00-\u9fff]")
TABLES = (
    "store_loyalty_tier",
    "store_loyalty_tier_history",
    "store_complaint_category",
    "store_complaint",
    "store_return_visit",
    "store_return_visit_rule",
    "res_partner",
    "res_company",
    "crm_team",
    "sale_order",
    "mail_message",
    "mail_activity",
    "rating_rating",
)
# Odoo's own messages (check_company, access rights): English here, or Chinese when
# Odoo's own zh_CN terms are loaded
CORE = r"Incompatible companies|belong to|another customer|not allowed|[\u4e00-\u9fff]"
SCRIPT = "<script>alert('pwned')</script>"
ESCAPED = "&lt;script&gt;alert("


def db_state(env):
    return table_checksums(env, TABLES)


def load_chinese(env):
    env["res.lang"]._activate_lang("zh_CN")
    env["ir.module.module"]._load_module_terms([MODULE], ["zh_CN"], overwrite=True)


class BadInputMixin:
    def assert_unchanged(self, before, case):
        self.env.invalidate_all()
        after = db_state(self.env)
        changed = [table for table in TABLES if before[table] != after[table]]
        self.assertFalse(changed, f"{case}: the database changed ({', '.join(changed)})")

    def run_cases(self, cases, run_one):
        """Run every case; report all failures at once."""
        failures = []
        for case in cases:
            try:
                run_one(*case)
            except AssertionError as error:
                failures.append(f"{case[0]}: {error}")
            except Exception as error:  # noqa: BLE001 - reported with the others
                failures.append(f"{case[0]}: unexpected {type(error).__name__}: {error}")
        self.assertFalse(failures, "\n".join(failures))


@tagged("post_install", "-at_install")
class TestBadInputOrm(BadInputMixin, TransactionCase):
    """Through the ORM, as a user in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.env = cls.env(
            context=dict(cls.env.context, lang="zh_CN", tracking_disable=True, mail_notrack=True)
        )
        env = cls.env
        cls.clerk = make_users(env)["clerk"]
        cls.company = env.company
        cls.company_b = env["res.company"].create({"name": "Chain B"})
        cls.partner = env["res.partner"].create({"name": "Ms. Li", "customer_rank": 1})
        cls.partner2 = env["res.partner"].create({"name": "Mr. Zhao", "customer_rank": 1})
        cls.partner_a = env["res.partner"].create(
            {"name": "Mrs. Qian", "company_id": cls.company.id}
        )
        cls.partner_b = env["res.partner"].create(
            {"name": "Mr. Sun (B)", "company_id": cls.company_b.id}
        )
        cls.team_b = env["crm.team"].create(
            {"is_store": True, "name": "Store B", "company_id": cls.company_b.id}
        )
        product = env["product.product"].create({"name": "Fridge", "type": "consu"})
        cls.order = env["sale.order"].create(
            {
                "partner_id": cls.partner.id,
                "order_line": [fields.Command.create({"product_id": product.id})],
            }
        )
        cls.order.action_confirm()
        cls.order_b = (
            env["sale.order"]
            .with_company(cls.company_b)
            .create({"partner_id": cls.partner_b.id, "company_id": cls.company_b.id})
        )
        cls.tier = env["store.loyalty.tier"].create({"name": "Test Gold", "min_spend": 123456})
        cls.tier_b = env["store.loyalty.tier"].create(
            {"name": "B Gold", "min_spend": 654321, "company_id": cls.company_b.id}
        )
        cls.category = env.ref("store_service_crm.complaint_category_product_quality")
        cls.category_b = env["store.complaint.category"].create(
            {"name": "B only", "code": "B_ONLY", "company_id": cls.company_b.id}
        )
        Complaint = env["store.complaint"]
        values = {
            "partner_id": cls.partner.id,
            "category_id": cls.category.id,
            "description": "The fridge is noisy",
            "date_received": fields.Datetime.now() - timedelta(days=2),
        }
        cls.new = Complaint.create(values)
        cls.in_progress = Complaint.create(values)
        cls.in_progress.action_assign()
        cls.in_progress.action_start()
        cls.resolved = Complaint.create(
            dict(values, responsibility="staff", resolution_type="apology")
        )
        cls.resolved.action_assign()
        cls.resolved.action_start()
        cls.resolved.action_resolve()
        Visit = env["store.return.visit"]
        cls.visit = Visit.create({"partner_id": cls.partner.id})
        cls.visit_cancelled = Visit.create({"partner_id": cls.partner.id})
        cls.visit_cancelled.action_cancel()
        cls.rule = env.ref("store_service_crm.return_visit_rule_after_purchase")

    def _settings(self, **values):
        self.env["res.config.settings"].create(values).execute()

    def _cases(self):
        """Every refused ORM input as (label, call, expected error). Long on purpose: one
        table of cases, read top to bottom, one line a case."""
        s = self
        Complaint = s.env["store.complaint"]
        Visit = s.env["store.return.visit"]
        Rule = s.env["store.return.visit.rule"]
        Tier = s.env["store.loyalty.tier"]
        Category = s.env["store.complaint.category"]
        complaint = {
            "partner_id": s.partner.id,
            "category_id": s.category.id,
            "description": "Broken door",
        }
        big = "x" * 1_000_000
        too_long = "y" * (TEXT_MAX_LENGTH + 1)
        yesterday = fields.Datetime.now() - timedelta(days=1)
        # (case, call, error, translated by the addon (else: regex of Odoo's own message))
        return [
            # loyalty tiers
            (
                "tier: negative min spend",
                lambda: s.tier.write({"min_spend": -1}),
                ValidationError,
                True,
            ),
            (
                "tier: negative min orders",
                lambda: Tier.create({"name": "T", "min_orders": -3}),
                ValidationError,
                True,
            ),
            (
                "tier: negative response time",
                lambda: s.tier.write({"response_hours": -2}),
                ValidationError,
                True,
            ),
            ("tier: blank name", lambda: s.tier.write({"name": "   "}), ValidationError, True),
            (
                "tier: same thresholds as another",
                lambda: Tier.create({"name": "Twin", "min_spend": 123456}),
                ValidationError,
                True,
            ),
            (
                "tier: written by a clerk",
                lambda: s.tier.with_user(s.clerk).write({"min_spend": 1}),
                AccessError,
                CORE,
            ),
            # complaint categories
            (
                "category: blank name",
                lambda: Category.create({"name": "", "code": "X1"}),
                ValidationError,
                True,
            ),
            (
                "category: blank code",
                lambda: s.category.write({"code": " "}),
                ValidationError,
                True,
            ),
            # complaints
            (
                "complaint: blank description",
                lambda: Complaint.create(dict(complaint, description="  \n ")),
                ValidationError,
                True,
            ),
            (
                "complaint: 1 MB description",
                lambda: Complaint.create(dict(complaint, description=big)),
                ValidationError,
                True,
            ),
            (
                "complaint: oversized customer request",
                lambda: s.new.write({"customer_request": too_long}),
                ValidationError,
                True,
            ),
            (
                "complaint: negative compensation",
                lambda: s.in_progress.write({"compensation_amount": -10}),
                ValidationError,
                True,
            ),
            (
                "complaint: satisfaction 6",
                lambda: s.resolved.write({"satisfaction_score": 6}),
                ValidationError,
                True,
            ),
            (
                "complaint: negative satisfaction",
                lambda: s.resolved.write({"satisfaction_score": -1}),
                ValidationError,
                True,
            ),
            (
                "complaint: customer of company B",
                lambda: Complaint.create(dict(complaint, partner_id=s.partner_b.id)),
                UserError,
                CORE,
            ),
            (
                "complaint: store of company B",
                lambda: s.new.write({"team_id": s.team_b.id}),
                UserError,
                CORE,
            ),
            (
                "complaint: order of company B",
                lambda: s.new.write({"sale_order_id": s.order_b.id}),
                UserError,
                CORE,
            ),
            (
                "complaint: category of company B",
                lambda: s.new.write({"category_id": s.category_b.id}),
                UserError,
                CORE,
            ),
            (
                "complaint: order of another customer",
                lambda: Complaint.create(
                    dict(complaint, sale_order_id=s.order.id, partner_id=s.partner2.id)
                ),
                ValidationError,
                True,
            ),
            (
                "complaint: order's complaint with a customer of company B",
                lambda: Complaint.create(
                    dict(complaint, sale_order_id=s.order.id, partner_id=s.partner_b.id)
                ),
                UserError,
                CORE,
            ),
            (
                "complaint: promised before received",
                lambda: s.new.write({"promised_date": fields.Date.today() - timedelta(days=10)}),
                ValidationError,
                True,
            ),
            (
                "complaint: received after it was resolved",
                lambda: s.resolved.write(
                    {"date_received": fields.Datetime.now() + timedelta(days=1)}
                ),
                ValidationError,
                True,
            ),
            (
                "complaint: resolved date written",
                lambda: s.in_progress.with_user(s.clerk).write({"date_resolved": yesterday}),
                UserError,
                True,
            ),
            (
                "complaint: state written",
                lambda: s.new.with_user(s.clerk).write({"state": "closed"}),
                UserError,
                True,
            ),
            (
                "complaint: registered as closed",
                lambda: Complaint.with_user(s.clerk).create(dict(complaint, state="closed")),
                UserError,
                True,
            ),
            ("complaint: resolve a new one", lambda: s.new.action_resolve(), UserError, True),
            (
                "complaint: close one in progress",
                lambda: s.in_progress.action_close(),
                UserError,
                True,
            ),
            ("complaint: reopen a new one", lambda: s.new.action_reopen(), UserError, True),
            ("complaint: start a resolved one", lambda: s.resolved.action_start(), UserError, True),
            (
                "complaint: resolve without cause",
                lambda: s.in_progress.action_resolve(),
                UserError,
                True,
            ),
            (
                "complaint: cancel a resolved one",
                lambda: s.resolved.action_cancel(reason="Registered twice"),
                UserError,
                True,
            ),
            # return visits
            ("visit: CSAT 6", lambda: s.visit.write({"csat_score": 6}), ValidationError, True),
            (
                "visit: negative CSAT",
                lambda: s.visit.write({"csat_score": -2}),
                ValidationError,
                True,
            ),
            ("visit: NPS 11", lambda: s.visit.write({"nps_score": 11}), ValidationError, True),
            (
                "visit: negative NPS",
                lambda: s.visit.write({"nps_score": -1}),
                ValidationError,
                True,
            ),
            (
                "visit: oversized feedback",
                lambda: s.visit.write({"feedback": too_long}),
                ValidationError,
                True,
            ),
            (
                "visit: done when cancelled",
                lambda: s.visit_cancelled.action_done(),
                UserError,
                True,
            ),
            ("visit: done without an answer", lambda: s.visit.action_done(), UserError, True),
            (
                "visit: unreachable when cancelled",
                lambda: s.visit_cancelled.action_unreachable(),
                UserError,
                True,
            ),
            (
                "visit: customer of company B",
                lambda: Visit.create({"partner_id": s.partner_b.id}),
                UserError,
                CORE,
            ),
            (
                "visit: store of company B",
                lambda: s.visit.write({"team_id": s.team_b.id}),
                UserError,
                CORE,
            ),
            # return visit rules
            ("rule: blank name", lambda: Rule.create({"name": ""}), ValidationError, True),
            (
                "rule: periodic every 0 days",
                lambda: Rule.create({"name": "P", "trigger": "periodic", "interval_days": 0}),
                ValidationError,
                True,
            ),
            (
                "rule: negative horizon",
                lambda: s.rule.write({"horizon_days": -1}),
                ValidationError,
                True,
            ),
            (
                "rule: fixed user missing",
                lambda: s.rule.write({"assign_to": "user", "user_id": False}),
                ValidationError,
                True,
            ),
            # settings
            (
                "settings: window of 0 months",
                lambda: s._settings(loyalty_window_months=0),
                ValidationError,
                True,
            ),
            (
                "settings: shares over 100 %",
                lambda: s._settings(loyalty_class_a_percent=90, loyalty_class_b_percent=20),
                ValidationError,
                True,
            ),
            (
                "settings: negative response time",
                lambda: s._settings(complaint_response_hours=-5),
                ValidationError,
                True,
            ),
            (
                "settings: zero severity factor",
                lambda: s._settings(complaint_factor_high=0),
                ValidationError,
                True,
            ),
            (
                "settings: zero call attempts",
                lambda: s._settings(return_visit_max_attempts=0),
                ValidationError,
                True,
            ),
            (
                "settings: lost before at risk",
                lambda: s._settings(loyalty_at_risk_days=200, loyalty_lost_days=100),
                ValidationError,
                True,
            ),
            # customers' loyalty fields
            (
                "partner: tier set by a clerk",
                lambda: s.partner.with_user(s.clerk).write({"loyalty_tier_id": s.tier.id}),
                AccessError,
                True,
            ),
            (
                "partner: tier locked by a clerk",
                lambda: s.partner.with_user(s.clerk).write({"loyalty_tier_locked": True}),
                AccessError,
                True,
            ),
            (
                "partner: tier of another company",
                lambda: s.partner_a.write({"loyalty_tier_id": s.tier_b.id}),
                ValidationError,
                True,
            ),
        ]

    def _run_one(self, case, call, error, expected):
        before = db_state(self.env)
        with self.assertRaises(error, msg=case) as caught, self.env.cr.savepoint():
            call()
        message = str(caught.exception.args[0] if caught.exception.args else caught.exception)
        if expected is True:
            self.assertRegex(message, CJK, f"{case}: not translated: {message}")
        else:
            self.assertRegex(message, expected)
        self.assert_unchanged(before, case)

    def test_bad_input_is_refused_and_changes_nothing(self):
        cases = self._cases()
        self.assertGreaterEqual(len(cases), 30)
        self.run_cases(cases, self._run_one)


@tagged("post_install", "-at_install")
class TestBadInputRpc(BadInputMixin, HttpCase):
    """Through XML-RPC (/xmlrpc/2/object) and the public rating pages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))  # pylint: disable=not-callable
        cls.clerk = new_test_user(
            env,
            login="ssc_rpc_clerk",
            groups="base.group_user,store_service_crm.group_store_service_user",
        )
        cls.admin = env.ref("base.user_admin")
        cls.partner = env["res.partner"].create(
            {"name": "Ms. Zhou", "email": "zhou@example.com", "customer_rank": 1}
        )
        cls.category = env.ref("store_service_crm.complaint_category_product_quality")
        env["store.complaint.category"].create({"name": "Dup", "code": "DUP_A"})
        cls.env.flush_all()
        cls.complaint = env["store.complaint"].create(
            {
                "partner_id": cls.partner.id,
                "category_id": cls.category.id,
                "description": "Late delivery",
            }
        )
        cls.visit = env["store.return.visit"].create(
            {"partner_id": cls.partner.id, "user_id": cls.admin.id}
        )
        cls.tier = env["store.loyalty.tier"].search([], limit=1)

    def rpc(self, model, method, args, user=None, kwargs=None):
        login, uid = ("admin", self.admin.id) if user is None else (user.login, user.id)
        kwargs = dict(kwargs or {}, context={"lang": "zh_CN"})
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, login, model, method, args, kwargs
        )

    def _rpc_cases(self):
        """Every refused XML-RPC input as (label, model, method, args). Long on purpose: one
        table of cases, read top to bottom."""
        c, v = self.complaint.id, self.visit.id
        complaint = {
            "partner_id": self.partner.id,
            "category_id": self.category.id,
            "description": "Wrong colour",
        }
        return [
            (
                "rpc complaint: unknown channel",
                ("store.complaint", "create", [dict(complaint, channel="fax")]),
                "Wrong value for store.complaint.channel",
            ),
            (
                "rpc complaint: unknown severity",
                ("store.complaint", "write", [[c], {"severity": "urgent"}]),
                "Wrong value for store.complaint.severity",
            ),
            (
                "rpc complaint: compensation is not a number",
                ("store.complaint", "write", [[c], {"compensation_amount": "lots"}]),
                "could not convert string to float",
            ),
            (
                "rpc complaint: 1 MB description",
                ("store.complaint", "create", [dict(complaint, description="z" * 1_000_000)]),
                True,
            ),
            (
                "rpc complaint: empty description",
                ("store.complaint", "create", [dict(complaint, description="")]),
                True,
            ),
            (
                "rpc complaint: resolve a new one",
                ("store.complaint", "action_resolve", [[c]]),
                True,
            ),
            (
                "rpc complaint: state written",
                ("store.complaint", "write", [[c], {"state": "closed"}]),
                True,
            ),
            (
                "rpc complaint: negative compensation",
                ("store.complaint", "write", [[c], {"compensation_amount": -5}]),
                True,
            ),
            ("rpc visit: CSAT 6", ("store.return.visit", "write", [[v], {"csat_score": 6}]), True),
            ("rpc visit: NPS 11", ("store.return.visit", "write", [[v], {"nps_score": 11}]), True),
            (
                "rpc visit: CSAT is not a number",
                ("store.return.visit", "write", [[v], {"csat_score": "five"}]),
                "invalid literal for int",
            ),
            (
                "rpc visit: unknown channel",
                ("store.return.visit", "write", [[v], {"channel": "pigeon"}]),
                "Wrong value for store.return.visit.channel",
            ),
            (
                "rpc tier: negative min spend",
                ("store.loyalty.tier", "create", [{"name": "Neg", "min_spend": -100}]),
                True,
            ),
            (
                "rpc category: duplicate code",
                ("store.complaint.category", "create", [{"name": "Dup 2", "code": "DUP_A"}]),
                True,
            ),
            (
                "rpc rule: unknown trigger",
                ("store.return.visit.rule", "create", [{"name": "R", "trigger": "weekly"}]),
                "Wrong value for store.return.visit.rule.trigger",
            ),
            ("rpc rule: empty name", ("store.return.visit.rule", "create", [{"name": ""}]), True),
            (
                "rpc partner: unknown value class",
                ("res.partner", "write", [[self.partner.id], {"customer_value_class": "Z"}]),
                "Wrong value for res.partner.customer_value_class",
            ),
            (
                "rpc partner: tier set by a clerk",
                (
                    "res.partner",
                    "write",
                    [[self.partner.id], {"loyalty_tier_id": self.tier.id}],
                    self.clerk,
                ),
                True,
            ),
            (
                "rpc settings: negative severity factor",
                (
                    "res.company",
                    "write",
                    [[self.env.company.id], {"complaint_factor_critical": -1}],
                ),
                True,
            ),
        ]

    def _run_rpc(self, case, call, expected):
        before = db_state(self.env)
        with (
            self.assertRaises(xmlrpc.client.Fault, msg=case) as caught,
            mute_logger("odoo.http"),
        ):
            self.rpc(*call)
        message = caught.exception.faultString
        self.assertRegex(message, CJK if expected is True else expected, case)
        self.assert_unchanged(before, case)

    def test_bad_input_over_xmlrpc_is_refused_and_changes_nothing(self):
        self.run_cases(self._rpc_cases(), self._run_rpc)

    # -- the public rating page -------------------------------------------------
    def _token(self):
        return self.visit._rating_get_access_token()

    def _csrf(self, token):
        html = self.url_open(f"/rate/{token}/submit_feedback", timeout=30).text
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def test_bad_ratings_are_refused_and_change_nothing(self):
        token = self._token()
        csrf = self._csrf(token)
        cases = [
            ("rating: CSAT 6", "post", {"csat": "6"}, 400),
            ("rating: CSAT 0", "post", {"csat": "0"}, 400),
            ("rating: negative CSAT", "post", {"csat": "-1"}, 400),
            ("rating: CSAT not a number", "post", {"csat": "great"}, 400),
            ("rating: NPS 11", "post", {"csat": "5", "nps": "11"}, 400),
            ("rating: NPS not a number", "post", {"csat": "5", "nps": "ten"}, 400),
            ("rating: link with score 9", "get", 9, 400),
            ("rating: unknown token", "get-token", "not-a-token", 404),
        ]

        def run_one(case, method, data, status):
            before = db_state(self.env)
            if method == "post":
                url = f"/rate/{token}/submit_feedback"
                response = self.url_open(url, data=dict(data, csrf_token=csrf), timeout=30)
            elif method == "get":
                response = self.url_open(f"/rate/{token}/{data}", timeout=30)
            else:
                response = self.url_open(f"/rate/{data}/5", timeout=30)
            self.assertEqual(response.status_code, status, case)
            self.assert_unchanged(before, case)

        self.run_cases(cases, run_one)
        # a good answer is recorded once; a second one is refused (409) and changes nothing
        response = self.url_open(
            f"/rate/{token}/submit_feedback", data={"csat": "4", "csrf_token": csrf}, timeout=30
        )
        self.assertEqual(response.status_code, 200)
        before = db_state(self.env)
        response = self.url_open(
            f"/rate/{token}/submit_feedback", data={"csat": "1", "csrf_token": csrf}, timeout=30
        )
        self.assertEqual(response.status_code, 409)
        self.assert_unchanged(before, "rating: answered twice")
        self.visit.invalidate_recordset()
        self.assertEqual(self.visit.csat_score, 4)

    # -- HTML and scripts are text ---------------------------------------------
    def test_script_in_a_complaint_is_stored_as_text_and_shown_escaped(self):
        complaint_id = self.rpc(
            "store.complaint",
            "create",
            [
                {
                    "partner_id": self.partner.id,
                    "category_id": self.category.id,
                    "description": SCRIPT,
                    "customer_request": f"<b>{SCRIPT}</b>",
                }
            ],
        )
        [stored] = self.rpc(
            "store.complaint", "read", [[complaint_id], ["description", "customer_request"]]
        )
        self.assertEqual(stored["description"], SCRIPT)
        self.assertEqual(stored["customer_request"], f"<b>{SCRIPT}</b>")
        # the acknowledgement mail in the chatter quotes the customer's request, escaped
        messages = self.env["mail.message"].search(
            [("model", "=", "store.complaint"), ("res_id", "=", complaint_id)]
        )
        bodies = "".join(str(m.body) for m in messages)
        self.assertIn(ESCAPED, bodies)
        self.assertNotIn("<script>", bodies)

    def test_script_in_names_and_feedback_is_escaped_on_the_rating_page(self):
        team = self.env["crm.team"].create({"is_store": True, "name": f"Store {SCRIPT}"})
        self.visit.team_id = team
        token = self._token()
        page = self.url_open(f"/rate/{token}/5", timeout=30)
        self.assertEqual(page.status_code, 200)
        self.assertIn(ESCAPED, page.text)
        self.assertNotIn(SCRIPT, page.text)
        csrf = self._csrf(token)
        response = self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"csat": "2", "feedback": SCRIPT, "csrf_token": csrf},
            timeout=30,
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(SCRIPT, response.text)
        self.visit.invalidate_recordset()
        self.assertEqual(self.visit.feedback, SCRIPT)  # stored as the customer typed it
        bodies = "".join(str(m.body) for m in self.visit.message_ids)
        self.assertIn(ESCAPED, bodies)
        self.assertNotIn("<script>", bodies)
