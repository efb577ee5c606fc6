from odoo import fields, models

from .store_return_visit_rule import VISIT_CHANNELS


class ResCompany(models.Model):
    _inherit = "res.company"

    # Complaint SLA: hours used when the customer has no tier, then multiplied by the
    # severity factor (critical the shortest).
    complaint_response_hours = fields.Float(default=24.0)
    complaint_resolution_hours = fields.Float(default=72.0)
    complaint_factor_low = fields.Float(default=1.5)
    complaint_factor_medium = fields.Float(default=1.0)
    complaint_factor_high = fields.Float(default=0.5)
    complaint_factor_critical = fields.Float(default=0.25)
    complaint_sla_working_hours = fields.Boolean(
        help="Count complaint SLA hours on the company's working calendar instead of the clock."
    )
    complaint_escalation_delay_hours = fields.Float(default=24.0)
    complaint_service_manager_id = fields.Many2one("res.users", domain="[('share', '=', False)]")
    complaint_repeat_days = fields.Integer(default=30)
    complaint_fcr_hours = fields.Float(default=2.0)
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
