from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    store_defect_alarm_date = fields.Date(
        string="Defect alarm raised on",
        readonly=True,
        copy=False,
        help="Set when the product's complaint rate crossed the defect threshold (one "
        "to-do); cleared once it falls below, so that a new crossing alarms again.",
    )
