from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    return_visit_delay_days = fields.Integer(
        related="company_id.return_visit_delay_days", readonly=False
    )
    return_visit_channel = fields.Selection(
        related="company_id.return_visit_channel", readonly=False
    )
    return_visit_max_attempts = fields.Integer(
        related="company_id.return_visit_max_attempts", readonly=False
    )
