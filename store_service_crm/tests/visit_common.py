# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase

from .common import make_users


class VisitCase(TransactionCase):
    """A store, a clerk, a customer and helpers to make orders; the shipped rules are
    archived so that each test decides which rules exist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.users = make_users(cls.env)
        cls.clerk = cls.users["clerk"]
        cls.manager = cls.users["manager"]
        cls.Rule = cls.env["store.return.visit.rule"]
        cls.Visit = cls.env["store.return.visit"]
        cls.Rule.search([]).active = False
        # existing (demo) orders are too old for the rules: each test sees its own orders only
        cls.env.cr.execute("UPDATE sale_order SET date_order = date_order - interval '400 days'")
        cls.env.invalidate_all()
        cls.store = cls.env["crm.team"].create(
            {"name": "Visit Test Store", "user_id": cls.manager.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ms. Zhang", "email": "zhang@example.com", "customer_rank": 1}
        )
        cls.tiles = cls.env["product.category"].create({"name": "Tiles"})
        cls.floor_tiles = cls.env["product.category"].create(
            {"name": "Floor tiles", "parent_id": cls.tiles.id}
        )
        cls.fridge = cls.env["product.product"].create(
            {"name": "Fridge FR-200", "list_price": 800.0, "type": "consu"}
        )
        cls.tile = cls.env["product.product"].create(
            {
                "name": "Tile 60x60",
                "list_price": 5.0,
                "type": "consu",
                "categ_id": cls.floor_tiles.id,
            }
        )
        cls.activity_type = cls.env.ref("store_service_crm.mail_activity_type_return_visit")

    def _rule(self, **vals):
        values = {
            "name": "Call after purchase",
            "trigger": "sale_confirmed",
            "delay_days": 3,
            "channel": "phone",
            "assign_to": "salesperson",
            "company_id": False,
        }
        values.update(vals)
        return self.Rule.create(values)

    def _order(self, partner=None, product=None, confirm=True, user=None, days_ago=0):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "team_id": self.store.id,
                "user_id": (user or self.clerk).id,
                "order_line": [
                    fields.Command.create(
                        {"product_id": (product or self.fridge).id, "product_uom_qty": 1}
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
            if days_ago:
                order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    def _visits(self, **domain):
        return self.Visit.search([(key, "=", value) for key, value in domain.items()])
