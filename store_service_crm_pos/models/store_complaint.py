# pylint: disable=no-member
# (fields and methods of models defined in other addons, reached through _inherit:
# pylint cannot see them)
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StoreComplaint(models.Model):
    _inherit = "store.complaint"

    pos_order_id = fields.Many2one(
        "pos.order",
        string="POS Order",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id)] "
        "if commercial_partner_id else []",
        help="The Point of Sale order the complaint is about.",
    )

    @api.constrains("pos_order_id", "partner_id")
    def _check_pos_order_customer(self):
        for complaint in self:
            order = complaint.pos_order_id.sudo()
            if (
                order
                and complaint.partner_id
                and order.partner_id.commercial_partner_id != complaint.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "The POS order %(order)s belongs to another customer than %(partner)s.",
                        order=order.name,
                        partner=complaint.partner_id.display_name,
                    )
                )

    @api.constrains("pos_order_id", "product_id")
    def _check_product_in_pos_order(self):
        for complaint in self:
            order = complaint.pos_order_id.sudo()
            if (
                order
                and complaint.product_id
                and complaint.product_id not in order.lines.product_id
            ):
                raise ValidationError(
                    self.env._(
                        "The product %(product)s is not part of the POS order %(order)s.",
                        product=complaint.product_id.display_name,
                        order=order.name,
                    )
                )
