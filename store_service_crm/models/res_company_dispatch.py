from odoo import api, fields, models
from odoo.exceptions import ValidationError

# settings of the on-site dispatch and of the compensation authority (issue 16)
DISPATCH_HOURS_FIELDS = {
    "low": "dispatch_hours_low",
    "medium": "dispatch_hours_medium",
    "high": "dispatch_hours_high",
    "critical": "dispatch_hours_critical",
}


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    # On site within: hours after the request is received, per severity; 0 means
    # "the same day" (before midnight of the day the request was received).
    dispatch_hours_low = fields.Float(string="On Site Within, Low (hours)", default=72.0)
    dispatch_hours_medium = fields.Float(string="On Site Within, Medium (hours)", default=48.0)
    dispatch_hours_high = fields.Float(
        string="On Site Within, High (hours)",
        default=0.0,
        help="0: the same day the request was received.",
    )
    dispatch_hours_critical = fields.Float(string="On Site Within, Critical (hours)", default=2.0)
    # Compensation a user may grant without a manager's approval (managers: unlimited)
    compensation_limit_clerk = fields.Monetary(
        string="Compensation Limit, Clerk", currency_field="currency_id", default=200.0
    )
    compensation_limit_leader = fields.Monetary(
        string="Compensation Limit, Store Leader", currency_field="currency_id", default=1000.0
    )

    @api.constrains(
        *DISPATCH_HOURS_FIELDS.values(), "compensation_limit_clerk", "compensation_limit_leader"
    )
    def _check_dispatch_settings(self):
        for company in self:
            if any(company[name] < 0 for name in DISPATCH_HOURS_FIELDS.values()):
                raise ValidationError(self.env._("The on-site dispatch times cannot be negative."))
            if company.compensation_limit_clerk < 0 or company.compensation_limit_leader < 0:
                raise ValidationError(self.env._("The compensation limits cannot be negative."))
