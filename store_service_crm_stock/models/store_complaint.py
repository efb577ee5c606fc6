# pylint: disable=no-member
# (fields and methods of models defined in other addons, reached through _inherit:
# pylint cannot see them)
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

OPEN_PICKING = ("draft", "waiting", "confirmed", "assigned")


class StoreComplaint(models.Model):
    _inherit = "store.complaint"

    picking_ids = fields.One2many(
        "stock.picking", "store_complaint_id", string="Returns and Deliveries", readonly=True
    )
    return_picking_count = fields.Integer(compute="_compute_picking_counts", string="Returns")
    replacement_picking_count = fields.Integer(
        compute="_compute_picking_counts", string="Replacement Deliveries"
    )

    @api.depends("picking_ids.picking_type_code")
    def _compute_picking_counts(self):
        # counted in superuser mode: a store clerk sees how many documents exist even
        # without Inventory rights
        groups = (
            self.env["stock.picking"]
            .sudo()
            ._read_group(
                [("store_complaint_id", "in", self.ids)],
                ["store_complaint_id", "picking_type_code"],
                ["__count"],
            )
        )
        counts = {(complaint.id, code): count for complaint, code, count in groups}
        for complaint in self:
            complaint.return_picking_count = counts.get((complaint.id, "incoming"), 0)
            complaint.replacement_picking_count = counts.get((complaint.id, "outgoing"), 0)

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_return_goods(self):
        """Return the delivered goods of the complaint's order: an Odoo return picking
        (``stock.return.picking``) of the order's done delivery, for the complaint's
        product (else every delivered product), linked to the complaint."""
        self.ensure_one()
        self._check_state(("assigned", "in_progress", "resolved"), self.env._("Return goods"))
        self.check_access("write")
        deliveries = self._store_delivered_pickings()
        returns = self.env["stock.picking"]
        for picking in deliveries:
            wizard = (
                self.env["stock.return.picking"]
                .sudo()
                .with_context(active_id=picking.id, active_model="stock.picking")
                .create({"picking_id": picking.id})
            )
            for line in wizard.product_return_moves:
                line.quantity = self._store_returnable_quantity(line)
            if not any(wizard.product_return_moves.mapped("quantity")):
                continue
            new_picking = wizard._create_return()
            new_picking.store_complaint_id = self
            returns |= new_picking
        if not returns:
            raise UserError(
                self.env._(
                    "Nothing of %(complaint)s is left to return: the goods were returned already.",
                    complaint=self.name,
                )
            )
        self.message_post(
            body=self.env._(
                "Return of the goods: %(pickings)s", pickings=", ".join(returns.mapped("name"))
            )
        )
        return self._store_pickings_action(returns)

    def action_deliver_replacement(self):
        """Deliver the replacement: the replacement order (created for the complaint's
        product if missing) is confirmed, and its delivery, a real outgoing picking,
        is linked to the complaint. Its goods at cost count in the service cost."""
        self.ensure_one()
        self._check_state(
            ("assigned", "in_progress", "resolved"), self.env._("Deliver replacement")
        )
        self.check_access("write")
        if not self.replacement_order_id:
            # the store's clerk may not have Sales rights: the access to the complaint
            # is checked above, the order is the complaint's document
            self.sudo().action_create_replacement_order()
        order = self.replacement_order_id.sudo()
        if order.state == "cancel":
            raise UserError(
                self.env._(
                    "The replacement order %(order)s of %(complaint)s is cancelled.",
                    order=order.name,
                    complaint=self.name,
                )
            )
        if order.state in ("draft", "sent"):
            order.action_confirm()
        deliveries = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and not p.store_complaint_id
        )
        if not deliveries and not self.sudo().picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        ):
            raise UserError(
                self.env._(
                    "The replacement order %(order)s has no goods to deliver (a service product?).",
                    order=order.name,
                )
            )
        deliveries.store_complaint_id = self
        return self._store_pickings_action(
            self.sudo().picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        )

    def action_refund_invoice(self):
        """Refund through Odoo's credit note: a reversal (``account.move.reversal``) of
        the order's posted invoice, linked to the complaint as its credit note."""
        self.ensure_one()
        self._check_state(("assigned", "in_progress", "resolved"), self.env._("Refund"))
        self.check_access("write")
        if self.refund_move_id:
            raise UserError(self.env._("%s already has a credit note.", self.name))
        invoices = self.sale_order_id.sudo().invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )
        if not invoices:
            raise UserError(
                self.env._(
                    "%(complaint)s has no posted invoice to refund: link the order and "
                    "invoice it first.",
                    complaint=self.name,
                )
            )
        invoice = invoices.sorted("id")[-1]
        reversal = (
            self.env["account.move.reversal"]
            .sudo()
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "journal_id": invoice.journal_id.id,
                    "reason": self.env._("Complaint %s", self.name),
                }
            )
        )
        reversal.reverse_moves()
        credit_note = reversal.new_move_ids[:1]
        self.write({"refund_move_id": credit_note.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": credit_note.id,
            "view_mode": "form",
        }

    def action_view_return_pickings(self):
        self.ensure_one()
        return self._store_pickings_action(
            self.sudo().picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        )

    def action_view_replacement_pickings(self):
        self.ensure_one()
        return self._store_pickings_action(
            self.sudo().picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        )

    def action_view_credit_note(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.refund_move_id.id,
            "view_mode": "form",
        }

    def action_close(self):
        """A complaint does not close while one of its return, replacement delivery or
        credit note documents is still open."""
        for complaint in self:
            open_docs = complaint._store_open_documents()
            if open_docs:
                raise UserError(
                    self.env._(
                        "%(complaint)s cannot be closed while these documents are still "
                        "open: %(documents)s. Validate or cancel them first.",
                        complaint=complaint.name,
                        documents=", ".join(open_docs),
                    )
                )
        return super().action_close()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _store_open_documents(self):
        """Names of the complaint's documents still open: pickings not done nor
        cancelled, a credit note in draft."""
        self.ensure_one()
        pickings = self.sudo().picking_ids.filtered(lambda p: p.state in OPEN_PICKING)
        names = pickings.mapped("name")
        if self.sudo().refund_move_id.state == "draft":
            names.append(self.sudo().refund_move_id.display_name)
        return names

    def _store_delivered_pickings(self):
        self.ensure_one()
        if not self.sale_order_id:
            raise UserError(
                self.env._("Link %(complaint)s to the customer's order first.", complaint=self.name)
            )
        deliveries = self.sale_order_id.sudo().picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done"
        )
        if self.product_id:
            deliveries = deliveries.filtered(lambda p: self.product_id in p.move_ids.product_id)
        if not deliveries:
            raise UserError(
                self.env._(
                    "The order %(order)s has no delivered goods to return.",
                    order=self.sale_order_id.name,
                )
            )
        return deliveries

    def _store_returnable_quantity(self, line):
        """Delivered quantity of the return wizard ``line`` not returned yet (0 for
        the products the complaint is not about)."""
        move = line.move_id
        if not move or move.state != "done" or move.scrapped:
            return 0.0
        if self.product_id and line.product_id != self.product_id:
            return 0.0
        returned = sum(
            m.quantity
            for m in move.move_dest_ids
            if m.origin_returned_move_id == move and m.state != "cancel"
        )
        return float_round(
            move.quantity - returned, precision_rounding=move.product_id.uom_id.rounding
        )

    def _store_pickings_action(self, pickings):
        """Open ``pickings``; a user without Inventory rights stays on the complaint
        (its smart buttons count the documents)."""
        if not self.env["stock.picking"].has_access("read"):
            return False
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Returns and Deliveries"),
            "res_model": "stock.picking",
            "domain": [("id", "in", pickings.ids)],
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
        }
        if len(pickings) == 1:
            action.update(res_id=pickings.id, view_mode="form", views=[(False, "form")])
        return action

    # ------------------------------------------------------------------
    # demo
    # ------------------------------------------------------------------
    @api.model
    def _store_service_stock_demo(self):
        """Demo: a refrigerator delivered to a demo customer comes back through a return
        picking (validated); its replacement delivery is on its way; the complaint shows
        both documents as smart buttons."""
        store = self.env["crm.team"].search([("is_store", "=", True)], order="id", limit=1)
        customer = self.env["res.partner"].search(
            [("ref", "=like", "SSC-DEMO-%"), ("is_company", "=", False)], order="id", limit=1
        )
        category = self.env.ref(
            "store_service_crm.complaint_category_product_quality", raise_if_not_found=False
        )
        if not store or not customer or not category:
            return
        product = self.env["product.product"].create(
            {
                "name": self.env._("Refrigerator FR-300 (demo)"),
                "is_storable": True,
                "list_price": 1200.0,
                "standard_price": 700.0,
            }
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "team_id": store.id,
                "order_line": [fields.Command.create({"product_id": product.id})],
            }
        )
        order.action_confirm()
        self._store_demo_validate(order.picking_ids)
        complaint = self.create(
            {
                "partner_id": customer.id,
                "team_id": store.id,
                "sale_order_id": order.id,
                "product_id": product.id,
                "category_id": category.id,
                "description": self.env._("The refrigerator does not cool."),
                "customer_request": self.env._("A new refrigerator."),
                "resolution_type": "replace",
            }
        )
        complaint.action_assign()
        complaint.action_start()
        complaint.action_return_goods()
        self._store_demo_validate(complaint.picking_ids)
        complaint.action_deliver_replacement()

    @api.model
    def _store_demo_validate(self, pickings):
        for picking in pickings:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
