# pylint: disable=no-member
# (fields and methods of models defined in other addons, reached through _inherit:
# pylint cannot see them)
from odoo import api, fields, models


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

    @api.constrains("pos_order_id", "partner_id", "product_id")
    def _check_pos_order(self):
        self._check_complaint_order("pos_order_id", "lines")
