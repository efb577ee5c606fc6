# pylint: disable=no-member
# (fields and methods of models defined in other addons, reached through _inherit:
# pylint cannot see them)
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StoreComplaint(models.Model):
    _inherit = "store.complaint"  # pylint: disable=consider-merging-classes-inherited

    order_lot_ids = fields.Many2many(
        "stock.lot",
        compute="_compute_order_lot_ids",
        string="Lots Delivered on the Order",
        help="The lots/serial numbers of the complaint's product delivered on its order.",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        index="btree_not_null",
        tracking=True,
        domain="[('id', 'in', order_lot_ids)] if order_lot_ids "
        "else [('product_id', '=', product_id)]",
        help="The lot or serial number of the product complained about: counted in the "
        "defect rate by lot.",
    )

    @api.depends("sale_order_id", "product_id")
    def _compute_order_lot_ids(self):
        # read in superuser mode: the store clerk who files the complaint may have no
        # Inventory rights; only the lots of the complaint's own order are shown
        MoveLine = self.env["stock.move.line"].sudo()
        for complaint in self:
            if not complaint.sale_order_id or not complaint.product_id:
                complaint.order_lot_ids = False
                continue
            lines = MoveLine.search(
                [
                    ("move_id.sale_line_id.order_id", "=", complaint.sale_order_id.id),
                    ("product_id", "=", complaint.product_id.id),
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                    ("lot_id", "!=", False),
                ]
            )
            complaint.order_lot_ids = lines.lot_id

    @api.onchange("product_id")
    def _onchange_product_id_lot(self):
        if self.lot_id and self.lot_id.product_id != self.product_id:
            self.lot_id = False

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for complaint in self:
            lot = complaint.lot_id.sudo()
            if lot and lot.product_id != complaint.product_id:
                raise ValidationError(
                    self.env._(
                        "The lot/serial number %(lot)s is not a lot of the complaint's "
                        "product (%(product)s).",
                        lot=lot.name,
                        product=complaint.product_id.display_name or self.env._("no product"),
                    )
                )
