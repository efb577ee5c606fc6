# pylint: disable=no-member
# (fields and methods of models defined in other addons, reached through _inherit:
# pylint cannot see them)
from odoo import api, fields, models

from .store_order_source import POS_PAID_STATES


class PosOrder(models.Model):
    _inherit = "pos.order"

    loyalty_tier_id = fields.Many2one(
        related="partner_id.commercial_partner_id.loyalty_tier_id", string="Customer Tier"
    )
    store_complaint_ids = fields.One2many(
        "store.complaint",
        "pos_order_id",
        string="Complaints",
        groups="store_service_crm.group_store_service_user",
    )
    store_complaint_count = fields.Integer(
        compute="_compute_store_complaint_count",
        string="Complaint Count",
        groups="store_service_crm.group_store_service_user",
    )

    store_return_visit_count = fields.Integer(
        compute="_compute_store_return_visit_count",
        string="Return Visit Count",
        groups="store_service_crm.group_store_service_user",
    )

    def _compute_store_complaint_count(self):
        self._compute_linked_count("store.complaint", "store_complaint_count")

    def _compute_store_return_visit_count(self):
        self._compute_linked_count("store.return.visit", "store_return_visit_count")

    def _compute_linked_count(self, model, count_field):
        """Count the records of ``model`` linked by their ``pos_order_id`` (one query)."""
        counts = dict(
            self.env[model]._read_group(
                [("pos_order_id", "in", self.ids)], ["pos_order_id"], ["__count"]
            )
        )
        for order in self:
            order[count_field] = counts.get(order, 0)

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        paid = orders.filtered(lambda o: o.state in POS_PAID_STATES)
        if paid.partner_id:
            self.env["store.loyalty.pending"]._enqueue(paid.partner_id)
        return orders

    def write(self, vals):
        """A POS order paid, cancelled, or moved to another customer queues its
        customers for the deferred loyalty recompute (as a sale order does); a POS
        order paid gets the visits of the "after an order" rules."""
        watched = {"state", "partner_id", "amount_total", "amount_tax", "date_order"}
        before = self.env["res.partner"]
        if watched.intersection(vals):
            before = self.filtered(lambda o: o.state in POS_PAID_STATES).partner_id
        was_paid = self.filtered(lambda o: o.state in POS_PAID_STATES)
        res = super().write(vals)
        if watched.intersection(vals):
            paid = self.filtered(lambda o: o.state in POS_PAID_STATES)
            partners = before | paid.partner_id
            if partners:
                self.env["store.loyalty.pending"]._enqueue(partners)
            # visits after an order: planned when it is paid, as a sale order's when
            # it is confirmed (whoever the cashier is: in superuser mode)
            newly_paid = (paid - was_paid).filtered("partner_id")
            if newly_paid:
                self.env["store.return.visit.rule"].sudo()._generate_for_orders(newly_paid)
        return res

    def action_view_store_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_service_crm.store_complaint_action"
        )
        action.update(
            {
                "domain": [("pos_order_id", "=", self.id)],
                "context": self._store_complaint_defaults(),
                "view_mode": "list,kanban,form",
                "views": [(False, "list"), (False, "kanban"), (False, "form")],
            }
        )
        return action

    def action_view_store_return_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_service_crm.store_return_visit_action"
        )
        action.update({"domain": [("pos_order_id", "=", self.id)], "context": {}})
        return action

    def action_register_store_complaint(self):
        """Open a new complaint form pre-filled with the customer, the POS order and
        the store of its point of sale."""
        self.ensure_one()
        return self.env["store.complaint"]._action_register(self._store_complaint_defaults())

    def _store_complaint_defaults(self):
        products = self.lines.product_id
        return {
            "default_partner_id": self.partner_id.id,
            "default_pos_order_id": self.id,
            # the POS's store, if the user may file complaints there
            "default_team_id": self.env["crm.team"]._store_service_allowed(self.crm_team_id).id,
            "default_company_id": self.company_id.id,
            "default_product_id": products.id if len(products) == 1 else False,
        }

    @api.model
    def _store_service_pos_demo(self):
        """Demo: the furniture shop POS sells for the first demo store; six demo
        customers with a tier bought there today (paid through the POS's own action),
        and their figures are recomputed."""
        config = self.env.ref("point_of_sale.pos_config_main", raise_if_not_found=False)
        store = self.env["crm.team"].search([("is_store", "=", True)], order="id", limit=1)
        method = config and config.payment_method_ids.filtered("is_cash_count")[:1]
        if not config or not store or not method:
            return
        config.crm_team_id = store
        customers = self.env["res.partner"].search(
            [("ref", "=like", "SSC-DEMO-%"), ("loyalty_tier_id", "!=", False)],
            order="loyalty_spend desc, id",
            limit=6,
        )
        products = self.env["product.product"].search(
            [("available_in_pos", "=", True), ("list_price", ">", 0)], order="id", limit=3
        )
        if not customers or not products:
            return
        session = (
            self.env["pos.session"]
            .with_context(onboarding_creation=True)
            .create({"config_id": config.id, "user_id": self.env.ref("base.user_admin").id})
        )
        for index, partner in enumerate(customers):
            product = products[index % len(products)]
            qty = 1 + index % 3
            amount = product.list_price * qty
            order = self.create(
                {
                    "session_id": session.id,
                    "partner_id": partner.id,
                    "amount_total": amount,
                    "amount_tax": 0.0,
                    "amount_paid": 0.0,
                    "amount_return": 0.0,
                    "lines": [
                        fields.Command.create(
                            {
                                "product_id": product.id,
                                "full_product_name": product.name,
                                "qty": qty,
                                "price_unit": product.list_price,
                                "price_subtotal": amount,
                                "price_subtotal_incl": amount,
                            }
                        )
                    ],
                }
            )
            order.add_payment(
                {"pos_order_id": order.id, "payment_method_id": method.id, "amount": amount}
            )
            order.action_pos_order_paid()
        self.env["res.partner"]._recompute_loyalty(customers.commercial_partner_id.ids)
