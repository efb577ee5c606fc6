from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_response_hours = fields.Float(
        related="company_id.complaint_response_hours", readonly=False
    )
    complaint_resolution_hours = fields.Float(
        related="company_id.complaint_resolution_hours", readonly=False
    )
    complaint_factor_low = fields.Float(related="company_id.complaint_factor_low", readonly=False)
    complaint_factor_medium = fields.Float(
        related="company_id.complaint_factor_medium", readonly=False
    )
    complaint_factor_high = fields.Float(related="company_id.complaint_factor_high", readonly=False)
    complaint_factor_critical = fields.Float(
        related="company_id.complaint_factor_critical", readonly=False
    )
    complaint_sla_working_hours = fields.Boolean(
        related="company_id.complaint_sla_working_hours", readonly=False
    )
    complaint_escalation_delay_hours = fields.Float(
        related="company_id.complaint_escalation_delay_hours", readonly=False
    )
    complaint_service_manager_id = fields.Many2one(
        related="company_id.complaint_service_manager_id", readonly=False
    )
    complaint_repeat_days = fields.Integer(
        related="company_id.complaint_repeat_days", readonly=False
    )
    complaint_fcr_hours = fields.Float(related="company_id.complaint_fcr_hours", readonly=False)
    return_visit_delay_days = fields.Integer(
        related="company_id.return_visit_delay_days", readonly=False
    )
    return_visit_channel = fields.Selection(
        related="company_id.return_visit_channel", readonly=False
    )
    return_visit_max_attempts = fields.Integer(
        related="company_id.return_visit_max_attempts", readonly=False
    )
