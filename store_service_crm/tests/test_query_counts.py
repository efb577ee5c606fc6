# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""Hot screens do not issue more queries when the data grows tenfold.

The count of the small case is measured, then pinned with ``assertQueryCount``
for the same screen on ten times the data: any per-record query fails it.
"""

from odoo import fields
from odoo.tests import Form, TransactionCase, tagged

from .common import make_users


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
        cls.store = cls.env["crm.team"].create({"name": "Query Count Store"})
        cls.store.member_ids = cls.clerk
        cls.other_store = cls.env["crm.team"].create({"name": "Query Count Store 10x"})
        cls.other_store.member_ids = cls.clerk
        cls.category = cls.env.ref("store_service_crm.complaint_category_product_quality")
        cls.product = cls.env["product.product"].create({"name": "QC Kettle", "list_price": 40.0})
        Partner = cls.env["res.partner"]
        cls.small = Partner.create({"name": "QC Small Customer", "customer_rank": 1})
        cls.large = Partner.create({"name": "QC Large Customer", "customer_rank": 1})
        cls._history(cls.small, cls.store, 2)
        cls._history(cls.large, cls.other_store, 20)

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

    def _count(self, func):
        self.env.invalidate_all()
        self.env.flush_all()
        count0 = self.cr.sql_log_count
        func()
        return self.cr.sql_log_count - count0

    def test_partner_form(self):
        env = self.env(user=self.clerk)
        spec = Form(env["res.partner"].browse(self.small.id))._view["fields_spec"]
        small = self._count(lambda: env["res.partner"].browse(self.small.id).web_read(spec))
        self.assertGreater(small, 0)
        self.env.invalidate_all()
        with self.assertQueryCount(small):
            env["res.partner"].browse(self.large.id).web_read(spec)

    def test_complaint_kanban(self):
        env = self.env(user=self.clerk)
        Complaint = env["store.complaint"]
        views = Complaint.get_views([(False, "kanban")])
        spec = _spec(views["models"]["store.complaint"]["fields"])

        def load(store):
            result = Complaint.web_search_read([("team_id", "=", store.id)], spec, limit=80)
            return result["length"]

        small = self._count(lambda: load(self.store))
        self.env.invalidate_all()
        with self.assertQueryCount(small):
            self.assertEqual(load(self.other_store), 20)

    def test_visit_list(self):
        env = self.env(user=self.clerk)
        Visit = env["store.return.visit"]
        views = Visit.get_views([(False, "list")])
        spec = _spec(views["models"]["store.return.visit"]["fields"])

        def load(store):
            return Visit.web_search_read([("team_id", "=", store.id)], spec, limit=80)["length"]

        small = self._count(lambda: load(self.store))
        self.env.invalidate_all()
        with self.assertQueryCount(small):
            loaded = load(self.other_store)
        # 20 logged by hand, plus those the after-purchase rule planned on confirmation
        self.assertGreaterEqual(loaded, 20)
