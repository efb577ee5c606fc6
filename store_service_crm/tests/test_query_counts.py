# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""Hot screens pin absolute query counts per user (as Odoo's ``crm/tests/test_performances.py``).

Each screen is loaded by the store clerk and by the manager, after a warm-up run
(``@warmup``: registry caches such as access rights and record rules are warm,
the record cache is empty, as on a page load). The counts are the same for a
customer with a small history (2 orders, complaints and visits) and for one
with a history ten times larger, in the same store: a query per record fails
the test, and so does any new query on the screen. A lower count passes and is
logged: pin the new figure then.
"""

from odoo import fields
from odoo.tests import Form, TransactionCase, tagged, users, warmup

from .common import make_users

# Absolute query counts per user: {screen: {login: count}}.
QUERY_COUNTS = {
    # complaint_count and satisfaction_avg are computed on read (_read_group), not stored;
    # the reasons of a customer at risk (attention_reason): +2, the overdue complaints
    # grouped by customer and the commercial entity's lifecycle and last order
    "partner_form": {"ssc_clerk": 20, "ssc_manager": 20},
    "complaint_kanban": {"ssc_clerk": 9, "ssc_manager": 7},
    # the list shows the request type (+1: the names of the types)
    "complaint_list": {"ssc_clerk": 13, "ssc_manager": 11},
    "visit_list": {"ssc_clerk": 12, "ssc_manager": 9},
    # the dashboard's three KPI reads (period, previous period, trend) each look up
    # whether the orders' pre-aggregate can answer (+3)
    "dashboard": {"ssc_clerk": 20, "ssc_manager": 16},
}


def _spec(fields_info):
    """web_read specification for the fields of a view, as the web client sends it."""
    spec = {}
    for name, info in fields_info.items():
        if info["type"] in ("many2one", "one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


@tagged("post_install", "-at_install", "is_query_count")
class TestHotScreenQueryCounts(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        users = make_users(cls.env)
        cls.clerk = users["clerk"]
        cls.manager = users["manager"]
        # the clerk leads the small store and works in the large one (a user is a member of
        # one store only, unless multi-membership is on: a second membership archives the
        # first, and the record rules read the active memberships)
        cls.store = cls.env["crm.team"].create(
            {"is_store": True, "name": "Query Count Store", "user_id": cls.clerk.id}
        )
        cls.other_store = cls.env["crm.team"].create(
            {"is_store": True, "name": "Query Count Store 10x"}
        )
        cls.other_store.member_ids = cls.clerk
        cls.category = cls.env.ref("store_service_crm.complaint_category_product_quality")
        cls.product = cls.env["product.product"].create({"name": "QC Kettle", "list_price": 40.0})
        Partner = cls.env["res.partner"]
        cls.small = Partner.create({"name": "QC Small Customer", "customer_rank": 1})
        cls.large = Partner.create({"name": "QC Large Customer", "customer_rank": 1})
        cls._history(cls.small, cls.other_store, 2)
        cls._history(cls.large, cls.other_store, 20)
        cls.today = fields.Date.context_today(cls.env["store.service.kpi"])

    @classmethod
    def _history(cls, partner, store, n):
        """n confirmed orders, n complaints and n visits (half done with a score)."""
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "team_id": store.id,
                    "order_line": [fields.Command.create({"product_id": cls.product.id})],
                }
                for _i in range(n)
            ]
        )
        orders.action_confirm()
        cls.env["store.complaint"].create(
            [
                {
                    "partner_id": partner.id,
                    "team_id": store.id,
                    "sale_order_id": order.id,
                    "category_id": cls.category.id,
                    "description": f"Complaint {i}",
                    "user_id": cls.clerk.id,
                }
                for i, order in enumerate(orders)
            ]
        )
        visits = cls.env["store.return.visit"].create(
            [
                {
                    "partner_id": partner.id,
                    "team_id": store.id,
                    "sale_order_id": order.id,
                    "scheduled_date": fields.Date.today(),
                }
                for order in orders
            ]
        )
        for visit in visits[: n // 2]:
            visit.write({"csat_score": 4, "feedback": "fine"})
            visit.action_done()

    def _view_spec(self, model, view_type):
        views = self.env[model].get_views([(False, view_type)])
        return _spec(views["models"][model]["fields"])

    @users("ssc_clerk", "ssc_manager")
    @warmup
    def test_partner_form(self):
        spec = Form(self.env["res.partner"].browse(self.small.id))._view["fields_spec"]
        for partner in (self.small, self.large):
            self.env.invalidate_all()
            with self.assertQueryCount(**QUERY_COUNTS["partner_form"]):
                [values] = self.env["res.partner"].browse(partner.id).web_read(spec)
            self.assertEqual(values["complaint_count"], 20 if partner == self.large else 2)

    def _load_complaints(self, view_type, partner):
        spec = self._view_spec("store.complaint", view_type)
        self.env.invalidate_all()
        with self.assertQueryCount(**QUERY_COUNTS[f"complaint_{view_type}"]):
            result = self.env["store.complaint"].web_search_read(
                [("team_id", "=", self.other_store.id), ("partner_id", "=", partner.id)],
                spec,
                limit=80,
            )
        return result["length"]

    @users("ssc_clerk", "ssc_manager")
    @warmup
    def test_complaint_kanban(self):
        self.assertEqual(self._load_complaints("kanban", self.small), 2)
        self.assertEqual(self._load_complaints("kanban", self.large), 20)

    @users("ssc_clerk", "ssc_manager")
    @warmup
    def test_complaint_list(self):
        self.assertEqual(self._load_complaints("list", self.small), 2)
        self.assertEqual(self._load_complaints("list", self.large), 20)

    @users("ssc_clerk", "ssc_manager")
    @warmup
    def test_visit_list(self):
        spec = self._view_spec("store.return.visit", "list")
        loaded = {}
        for partner in (self.small, self.large):
            self.env.invalidate_all()
            with self.assertQueryCount(**QUERY_COUNTS["visit_list"]):
                result = self.env["store.return.visit"].web_search_read(
                    [("team_id", "=", self.other_store.id), ("partner_id", "=", partner.id)],
                    spec,
                    limit=80,
                )
            loaded[partner] = result["length"]
        # those logged by hand, plus those the after-purchase rule planned on confirmation
        self.assertGreaterEqual(loaded[self.small], 2)
        self.assertGreaterEqual(loaded[self.large], 20)

    @users("ssc_clerk", "ssc_manager")
    @warmup
    def test_dashboard(self):
        Kpi = self.env["store.service.kpi"]
        # the clerk's own store (empty), then the store with both histories
        for store in (self.store, self.other_store):
            self.env.invalidate_all()
            with self.assertQueryCount(**QUERY_COUNTS["dashboard"]):
                data = Kpi.get_dashboard_data(self.today, self.today, [store.id])
            self.assertTrue(data["cards"])
