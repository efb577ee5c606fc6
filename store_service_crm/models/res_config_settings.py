from odoo import api, fields, models

from .res_company import KPI_SETTINGS


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
    complaint_vip_tier_ids = fields.Many2many(
        related="company_id.complaint_vip_tier_ids", readonly=False
    )
    complaint_vip_team_id = fields.Many2one(
        related="company_id.complaint_vip_team_id", readonly=False
    )
    return_visit_delay_days = fields.Integer(
        related="company_id.return_visit_delay_days", readonly=False
    )
    return_visit_channel = fields.Selection(
        related="company_id.return_visit_channel", readonly=False
    )
    return_visit_max_attempts = fields.Integer(
        related="company_id.return_visit_max_attempts", readonly=False
    )

    loyalty_window_months = fields.Integer(
        related="company_id.loyalty_window_months", readonly=False
    )
    loyalty_class_a_percent = fields.Float(
        related="company_id.loyalty_class_a_percent", readonly=False
    )
    loyalty_class_b_percent = fields.Float(
        related="company_id.loyalty_class_b_percent", readonly=False
    )
    loyalty_new_days = fields.Integer(related="company_id.loyalty_new_days", readonly=False)
    loyalty_at_risk_days = fields.Integer(related="company_id.loyalty_at_risk_days", readonly=False)
    loyalty_lost_days = fields.Integer(related="company_id.loyalty_lost_days", readonly=False)
    loyalty_downgrade_grace_days = fields.Integer(
        related="company_id.loyalty_downgrade_grace_days", readonly=False
    )

    # Not related fields: the weights are checked together (they must add up to 100),
    # so they are written to the company in one write by set_values().
    kpi_target_csat = fields.Float(string="CSAT Target (1-5)")
    kpi_target_on_time = fields.Float(string="On-time Handling Target (%)")
    kpi_target_fcr = fields.Float(string="First-contact Resolution Target (%)")
    kpi_target_cost = fields.Float(string="Service Cost Target (% of sales)")
    kpi_target_response = fields.Float(string="24 h Response Target (%)")
    kpi_target_returns = fields.Float(string="Returns Target (% of orders)")
    kpi_weight_csat = fields.Integer(string="CSAT Weight (%)")
    kpi_weight_on_time = fields.Integer(string="On-time Handling Weight (%)")
    kpi_weight_fcr = fields.Integer(string="First-contact Resolution Weight (%)")
    kpi_weight_cost = fields.Integer(string="Service Cost Weight (%)")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        company = self.env.company
        res.update({name: company[name] for name in KPI_SETTINGS if name in fields_list})
        return res

    def set_values(self):
        res = super().set_values()  # pylint: disable=no-member
        for settings in self:
            vals = {
                name: settings[name]
                for name in KPI_SETTINGS
                if settings[name] != settings.company_id[name]
            }
            if vals:
                settings.company_id.write(vals)
        return res

    def action_recompute_loyalty(self):
        """Settings button: recompute every customer now."""
        return self.env["res.partner"].action_recompute_loyalty()
