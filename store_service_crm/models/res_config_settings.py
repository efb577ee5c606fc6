from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

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

    def action_recompute_loyalty(self):
        """Settings button: recompute every customer now."""
        return self.env["res.partner"].action_recompute_loyalty()
