from odoo import api, fields, models
from odoo.exceptions import AccessError

from .res_company import KPI_SETTINGS

# Customer service settings are for service managers only (the Settings app also needs
# the Administration rights).
MANAGER_GROUP = "store_service_crm.group_store_service_manager"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_response_hours = fields.Float(
        related="company_id.complaint_response_hours", readonly=False, groups=MANAGER_GROUP
    )
    complaint_resolution_hours = fields.Float(
        related="company_id.complaint_resolution_hours", readonly=False, groups=MANAGER_GROUP
    )
    complaint_factor_low = fields.Float(
        related="company_id.complaint_factor_low", readonly=False, groups=MANAGER_GROUP
    )
    complaint_factor_medium = fields.Float(
        related="company_id.complaint_factor_medium", readonly=False, groups=MANAGER_GROUP
    )
    complaint_factor_high = fields.Float(
        related="company_id.complaint_factor_high", readonly=False, groups=MANAGER_GROUP
    )
    complaint_factor_critical = fields.Float(
        related="company_id.complaint_factor_critical", readonly=False, groups=MANAGER_GROUP
    )
    complaint_sla_working_hours = fields.Boolean(
        related="company_id.complaint_sla_working_hours", readonly=False, groups=MANAGER_GROUP
    )
    complaint_escalation_delay_hours = fields.Float(
        related="company_id.complaint_escalation_delay_hours", readonly=False, groups=MANAGER_GROUP
    )
    complaint_service_manager_id = fields.Many2one(
        related="company_id.complaint_service_manager_id", readonly=False, groups=MANAGER_GROUP
    )
    complaint_repeat_days = fields.Integer(
        related="company_id.complaint_repeat_days", readonly=False, groups=MANAGER_GROUP
    )
    complaint_vip_tier_ids = fields.Many2many(
        related="company_id.complaint_vip_tier_ids", readonly=False, groups=MANAGER_GROUP
    )
    complaint_vip_team_id = fields.Many2one(
        related="company_id.complaint_vip_team_id", readonly=False, groups=MANAGER_GROUP
    )
    return_visit_delay_days = fields.Integer(
        related="company_id.return_visit_delay_days", readonly=False, groups=MANAGER_GROUP
    )
    return_visit_channel = fields.Selection(
        related="company_id.return_visit_channel", readonly=False, groups=MANAGER_GROUP
    )
    return_visit_max_attempts = fields.Integer(
        related="company_id.return_visit_max_attempts", readonly=False, groups=MANAGER_GROUP
    )

    loyalty_window_months = fields.Integer(
        related="company_id.loyalty_window_months", readonly=False, groups=MANAGER_GROUP
    )
    loyalty_class_a_percent = fields.Float(
        related="company_id.loyalty_class_a_percent", readonly=False, groups=MANAGER_GROUP
    )
    loyalty_class_b_percent = fields.Float(
        related="company_id.loyalty_class_b_percent", readonly=False, groups=MANAGER_GROUP
    )
    loyalty_new_days = fields.Integer(
        related="company_id.loyalty_new_days", readonly=False, groups=MANAGER_GROUP
    )
    loyalty_at_risk_days = fields.Integer(
        related="company_id.loyalty_at_risk_days", readonly=False, groups=MANAGER_GROUP
    )
    loyalty_lost_days = fields.Integer(
        related="company_id.loyalty_lost_days", readonly=False, groups=MANAGER_GROUP
    )
    loyalty_downgrade_grace_days = fields.Integer(
        related="company_id.loyalty_downgrade_grace_days", readonly=False, groups=MANAGER_GROUP
    )

    # Not related fields: the weights are checked together (they must add up to 100),
    # so they are written to the company in one write by set_values().
    kpi_response_hours = fields.Float(string="Response Within (hours)", groups=MANAGER_GROUP)
    kpi_target_csat = fields.Float(string="CSAT Target (1-5)", groups=MANAGER_GROUP)
    kpi_target_satisfaction = fields.Float(
        string="Satisfied Customers Target (%)", groups=MANAGER_GROUP
    )
    kpi_target_on_time = fields.Float(string="Resolved within SLA Target (%)", groups=MANAGER_GROUP)
    kpi_target_fcr = fields.Float(string="One-pass Resolution Target (%)", groups=MANAGER_GROUP)
    kpi_target_cost = fields.Float(string="Service Cost Target (% of sales)", groups=MANAGER_GROUP)
    kpi_target_response_24h = fields.Float(
        string="Answered within 24 h Target (%)", groups=MANAGER_GROUP
    )
    kpi_target_response = fields.Float(
        string="Answered within SLA Target (%)", groups=MANAGER_GROUP
    )
    kpi_target_returns = fields.Float(string="Returns Target (% of orders)", groups=MANAGER_GROUP)
    kpi_weight_csat = fields.Integer(string="CSAT Weight (%)", groups=MANAGER_GROUP)
    kpi_weight_on_time = fields.Integer(
        string="On-time Resolution Weight (%)", groups=MANAGER_GROUP
    )
    kpi_weight_fcr = fields.Integer(string="One-pass Resolution Weight (%)", groups=MANAGER_GROUP)
    kpi_weight_cost = fields.Integer(string="Service Cost Weight (%)", groups=MANAGER_GROUP)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        company = self.env.company
        res.update({name: company[name] for name in KPI_SETTINGS if name in fields_list})
        return res

    def set_values(self):
        res = super().set_values()  # pylint: disable=no-member
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            # an administrator who is not a service manager saves other apps' settings:
            # create() refused them ours, so there is nothing of ours to write (and
            # reading our fields would be refused)
            return res
        for settings in self:
            vals = {
                name: settings[name]
                for name in KPI_SETTINGS
                if settings[name] != settings.company_id[name]
            }
            if vals:
                settings.company_id.write(vals)
        return res

    @api.model_create_multi
    def create(self, vals_list):
        # Field groups are checked on read and write, not on create: the related fields
        # would write the company at once.
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            ours = {name for name, field in self._fields.items() if field.groups == MANAGER_GROUP}
            if any(ours & vals.keys() for vals in vals_list):
                raise AccessError(
                    self.env._(
                        "Only customer service managers can change the customer service settings."
                    )
                )
        return super().create(vals_list)

    def action_recompute_loyalty(self):
        """Settings button: recompute every customer now."""
        return self.env["res.partner"].action_recompute_loyalty()
