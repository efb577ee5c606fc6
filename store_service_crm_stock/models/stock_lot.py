from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    store_defect_alarm_date = fields.Date(
        string="Defect alarm raised on",
        readonly=True,
        copy=False,
        help="Set when the lot's complaint rate crossed the defect threshold (one to-do); "
        "cleared once it falls below, so that a new crossing alarms again.",
    )
