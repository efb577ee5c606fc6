from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.store_service_crm.tests.common import ComplaintCase, table_checksums  # pylint: disable=import-error


@tagged("post_install", "-at_install")
class TestStockReturns(ComplaintCase):
    """Returns, replacement deliveries and credit notes of a complaint through Odoo's
    own stock pickings and invoice reversals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.goods = cls.env["product.product"].create(
            {
                "name": "Dishwasher DW-10",
                "is_storable": True,
                "list_price": 600.0,
                "standard_price": 350.0,
                "invoice_policy": "delivery",
            }
        )
        cls.delivered = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "team_id": cls.store.id,
                "order_line": [
                    fields.Command.create({"product_id": cls.goods.id, "product_uom_qty": 2})
                ],
            }
        )
        cls.delivered.action_confirm()
        cls._validate(cls.delivered.picking_ids)
        cls.invoice = cls.delivered._create_invoices()
        cls.invoice.action_post()

    @classmethod
    def _validate(cls, pickings):
        for picking in pickings:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking.with_context(skip_backorder=True).button_validate()

    def _goods_complaint(self, **vals):
        values = {
            "partner_id": self.customer.id,
            "sale_order_id": self.delivered.id,
            "product_id": self.goods.id,
        }
        values.update(vals)
        return self._in_progress(**values)

    def test_return_goods_creates_a_return_of_the_delivery(self):
        complaint = self._goods_complaint()
        delivery = self.delivered.picking_ids
        complaint.with_user(self.clerk).action_return_goods()
        returns = complaint.picking_ids
        self.assertEqual(len(returns), 1)
        self.assertEqual(returns.return_id, delivery)
        self.assertEqual(returns.picking_type_code, "incoming")
        self.assertEqual(returns.move_ids.product_id, self.goods)
        self.assertEqual(returns.move_ids.product_uom_qty, 2)
        self.assertEqual(complaint.return_picking_count, 1)
        self.assertEqual(complaint.replacement_picking_count, 0)

    def test_goods_returned_already_cannot_be_returned_again(self):
        complaint = self._goods_complaint()
        complaint.action_return_goods()
        self._validate(complaint.picking_ids)
        with self.assertRaisesRegex(UserError, "returned already"):
            complaint.action_return_goods()
        self.assertEqual(len(complaint.picking_ids), 1)

    def test_return_without_a_delivered_order_is_refused_and_changes_nothing(self):
        undelivered = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [fields.Command.create({"product_id": self.goods.id})],
            }
        )
        undelivered.action_confirm()
        complaint = self._goods_complaint(sale_order_id=undelivered.id)
        before = table_checksums(self.env, ["stock_picking", "stock_move"])
        with self.assertRaisesRegex(UserError, "no delivered goods"):
            complaint.action_return_goods()
        self.assertEqual(table_checksums(self.env, ["stock_picking", "stock_move"]), before)

    def test_return_of_a_new_complaint_is_refused(self):
        complaint = self._complaint(
            partner_id=self.customer.id, sale_order_id=self.delivered.id, product_id=self.goods.id
        )
        with self.assertRaises(UserError):
            complaint.action_return_goods()
        self.assertFalse(complaint.picking_ids)

    def test_deliver_replacement_confirms_the_order_and_links_its_delivery(self):
        complaint = self._goods_complaint(resolution_type="replace")
        complaint.with_user(self.clerk).action_deliver_replacement()
        order = complaint.replacement_order_id
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.amount_total, 0.0)
        delivery = complaint.picking_ids
        self.assertEqual(delivery.picking_type_code, "outgoing")
        self.assertEqual(delivery.sale_id, order)
        self.assertEqual(delivery.move_ids.product_id, self.goods)
        self.assertEqual(complaint.replacement_picking_count, 1)

    def test_replacement_goods_count_in_service_cost(self):
        complaint = self._goods_complaint(resolution_type="replace")
        Kpi = self.env["store.service.kpi"]
        today = fields.Date.context_today(Kpi)
        before = Kpi.compute_kpis(today, today, team_ids=[self.store.id])["service_cost"]
        complaint.action_deliver_replacement()
        after = Kpi.compute_kpis(today, today, team_ids=[self.store.id])["service_cost"]
        self.assertAlmostEqual(after - before, 350.0, places=2)

    def test_refund_invoice_is_a_reversal_linked_to_the_complaint(self):
        complaint = self._goods_complaint(resolution_type="refund")
        complaint.action_refund_invoice()
        credit_note = complaint.refund_move_id
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.reversed_entry_id, self.invoice)
        self.assertEqual(credit_note.amount_untaxed, self.invoice.amount_untaxed)
        with self.assertRaisesRegex(UserError, "already has a credit note"):
            complaint.action_refund_invoice()

    def test_refund_without_a_posted_invoice_is_refused(self):
        complaint = self._goods_complaint(sale_order_id=self.order.id, product_id=False)
        with self.assertRaisesRegex(UserError, "no posted invoice"):
            complaint.action_refund_invoice()
        self.assertFalse(complaint.refund_move_id)

    def test_complaint_cannot_close_while_a_document_is_open(self):
        complaint = self._goods_complaint(resolution_type="refund")
        complaint.action_return_goods()
        complaint.action_refund_invoice()
        self._resolvable(complaint).action_resolve()
        closing = complaint.with_user(self.manager).with_context(
            store_complaint_close_reason="Customer confirmed by phone"
        )
        with self.assertRaisesRegex(UserError, "still open"):
            closing.action_close()
        self.assertEqual(complaint.state, "resolved")
        self._validate(complaint.picking_ids)
        with self.assertRaisesRegex(UserError, "still open"):
            closing.action_close()
        complaint.refund_move_id.action_post()
        closing.action_close()
        self.assertEqual(complaint.state, "closed")
