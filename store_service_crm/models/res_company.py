from odoo import fields, models

from .store_return_visit_rule import VISIT_CHANNELS


class ResCompany(models.Model):
    _inherit = "res.company"

    return_visit_delay_days = fields.Integer(
        string="Default visit delay (days)",
        default=3,
        help="Delay proposed for new return-visit rules.",
    )
    return_visit_channel = fields.Selection(
        VISIT_CHANNELS, string="Default visit channel", default="phone"
    )
    return_visit_max_attempts = fields.Integer(
        string="Attempts before unreachable",
        default=3,
        help="Failed calls after which a return visit is marked unreachable.",
    )
