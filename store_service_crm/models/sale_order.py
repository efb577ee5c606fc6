from odoo import api, fields, models
from odoo.osv import expression

# Order fields that move a customer's loyalty figures.
LOYALTY_ORDER_FIELDS = {"state", "date_order", "partner_id", "company_id", "currency_rate"}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    partner_loyalty_tier_id = fields.Many2one(
        related="partner_id.commercial_partner_id.loyalty_tier_id", string="Customer Tier"
    )
    partner_loyalty_tier_color = fields.Integer(
        related="partner_id.commercial_partner_id.loyalty_tier_id.color", string="Tier Color"
    )

    complaint_count = fields.Integer(
        compute="_compute_complaint_count", groups="store_service_crm.group_store_service_user"
    )

    @api.model
    def _store_complaint_order_domain(self, partner_id):
        """The orders a store user may link to a complaint of the customer ``partner_id``:
        that customer's orders (not cancelled) of the user's stores or their own, whoever
        the salesperson is; a service manager: all of the customer's orders."""
        partner = self.env["res.partner"].sudo().browse(partner_id).exists()
        if not partner:
            return expression.FALSE_DOMAIN
        domain = [
            ("partner_id", "child_of", partner.commercial_partner_id.id),
            ("state", "!=", "cancel"),
            ("company_id", "in", self.env.companies.ids),
        ]
        Team = self.env["crm.team"]
        if not Team._store_service_is_manager():
            domain += [
                "|",
                ("user_id", "=", self.env.uid),
                ("team_id", "in", Team._store_service_user_teams().ids),
            ]
        return domain

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """A complaint's order field (context ``store_complaint_order_partner_id``) offers
        the customer's orders of the clerk's store even when the salesperson is someone
        else (sale's "own documents" rule); never the orders of another customer."""
        partner_id = self.env.context.get("store_complaint_order_partner_id")
        if (
            not partner_id
            or not isinstance(partner_id, int)
            or not self.env.user.has_group("store_service_crm.group_store_service_user")
        ):
            return super().name_search(name=name, args=args, operator=operator, limit=limit)
        domain = expression.AND(
            [
                [("display_name", operator, name)] if name else [],
                args or [],
                self._store_complaint_order_domain(partner_id),
            ]
        )
        # under the user's rights: the read rule "store users read those of their
        # stores" (security/store_service_security.xml) lets them see these orders
        orders = self.search(domain, limit=limit)
        return [(order.id, order.display_name) for order in orders]

    def _compute_complaint_count(self):
        counts = dict(
            self.env["store.complaint"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.complaint_count = counts.get(order, 0)

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        confirmed = orders.filtered(lambda o: o.state == "sale")
        if confirmed:
            self.env["store.loyalty.pending"]._enqueue(confirmed.partner_id)  # pylint: disable=no-member
        return orders

    def write(self, vals):
        if not LOYALTY_ORDER_FIELDS & vals.keys():
            return super().write(vals)
        # Only confirmed orders count: a change matters when an order is or was confirmed.
        before = self.filtered(lambda o: o.state == "sale").mapped(
            "partner_id.commercial_partner_id"
        )
        res = super().write(vals)
        after = self.filtered(lambda o: o.state == "sale").mapped(
            "partner_id.commercial_partner_id"
        )
        partners = before | after
        if partners:
            # deferred: the customer's row is not written (nor locked) by the order
            self.env["store.loyalty.pending"]._enqueue(partners)
        return res

    def action_view_complaints(self):
        # pylint: disable=no-member
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_service_crm.store_complaint_action"
        )
        action.update(
            {
                "domain": [("sale_order_id", "=", self.id)],
                "context": {
                    "default_sale_order_id": self.id,
                    "default_partner_id": self.partner_id.id,
                    "default_team_id": self.team_id.id,
                },
                "view_mode": "list,kanban,form",
                "views": [(False, "list"), (False, "kanban"), (False, "form")],
            }
        )
        return action

    def action_register_complaint(self):
        # pylint: disable=no-member
        """Open a new complaint form pre-filled with the customer, the order and the store."""
        self.ensure_one()
        products = self.order_line.product_id
        return self.env["store.complaint"]._action_register(
            {
                "default_partner_id": self.partner_id.id,
                "default_sale_order_id": self.id,
                # the order's store, if the user may file complaints there
                "default_team_id": self.env["crm.team"]._store_service_allowed(self.team_id).id,
                "default_company_id": self.company_id.id,
                "default_product_id": products.id if len(products) == 1 else False,
            }
        )

    # ---- Return visits ----
    return_visit_ids = fields.One2many(
        "store.return.visit",
        "sale_order_id",
        string="Return visits",
        groups="store_service_crm.group_store_service_user",
    )
    return_visit_count = fields.Integer(
        compute="_compute_return_visit_count",
        string="Visit Count",
        groups="store_service_crm.group_store_service_user",
    )

    def _compute_return_visit_count(self):
        counts = dict(
            self.env["store.return.visit"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.return_visit_count = counts.get(order, 0)

    def action_confirm(self):
        res = super().action_confirm()  # pylint: disable=no-member
        self.env["store.return.visit.rule"].sudo()._generate_for_orders(
            self.filtered(lambda o: o.state == "sale")
        )
        return res

    def _action_cancel(self):
        res = super()._action_cancel()  # pylint: disable=no-member
        self.env["store.return.visit"].sudo()._cancel_visits_of_cancelled_orders(self)
        return res

    def action_view_return_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_service_crm.store_return_visit_action"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {
            "default_sale_order_id": self.id,
            "default_partner_id": self.mapped("partner_id").id,
            "default_team_id": self.mapped("team_id").id,
            "default_origin": "sale",
            "search_default_group_state": 0,
        }
        return action
