from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    store_complaint_id = fields.Many2one(
        "store.complaint",
        string="Complaint",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The complaint this return or replacement delivery was made for.",
    )
