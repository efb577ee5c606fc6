from odoo import api, fields, models
from odoo.exceptions import ValidationError

LOYALTY_SETTINGS = (
    "loyalty_window_months",
    "loyalty_class_a_percent",
    "loyalty_class_b_percent",
    "loyalty_new_days",
    "loyalty_at_risk_days",
    "loyalty_lost_days",
    "loyalty_downgrade_grace_days",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    loyalty_window_months = fields.Integer(
        string="Loyalty Evaluation Window (months)",
        default=12,
        help="Spend and orders are counted over this many months up to today.",
    )
    loyalty_class_a_percent = fields.Float(
        string="Class A Share of Spend (%)",
        default=80.0,
        help="Class A: the best customers who together make this share of the spend.",
    )
    loyalty_class_b_percent = fields.Float(
        string="Class B Share of Spend (%)",
        default=15.0,
        help="Class B: the next customers who make this share of the spend; class C is the rest.",
    )
    loyalty_new_days = fields.Integer(
        string="New Customer Period (days)",
        default=90,
        help="A customer whose first order is more recent than this is new.",
    )
    loyalty_at_risk_days = fields.Integer(
        string="At Risk After (days)",
        default=180,
        help="A customer without an order for this many days is at risk.",
    )
    loyalty_lost_days = fields.Integer(
        string="Lost After (days)",
        default=365,
        help="A customer without an order for this many days is lost.",
    )
    loyalty_downgrade_grace_days = fields.Integer(
        string="Downgrade Grace Period (days)",
        default=30,
        help="A customer keeps a higher tier this many days after falling below it; "
        "upgrades are immediate.",
    )
    # Pareto cut-offs found by the last full recompute; used between two of them when a
    # single order moves a customer (a new order must not rescan the whole customer base).
    loyalty_class_a_min_spend = fields.Monetary(
        string="Class A From", currency_field="currency_id", readonly=True
    )
    loyalty_class_b_min_spend = fields.Monetary(
        string="Class B From", currency_field="currency_id", readonly=True
    )

    @api.constrains(*LOYALTY_SETTINGS)
    def _check_loyalty_settings(self):
        for company in self:
            if company.loyalty_window_months < 1:
                raise ValidationError(
                    self.env._("The loyalty evaluation window must be at least one month.")
                )
            a, b = company.loyalty_class_a_percent, company.loyalty_class_b_percent
            if a <= 0 or b < 0 or a + b > 100:
                raise ValidationError(
                    self.env._(
                        "The class A and B shares must be positive and add up to 100% at most."
                    )
                )
            if company.loyalty_downgrade_grace_days < 0:
                raise ValidationError(self.env._("The downgrade grace period cannot be negative."))
            if not (
                0 < company.loyalty_new_days
                and 0 < company.loyalty_at_risk_days < company.loyalty_lost_days
            ):
                raise ValidationError(
                    self.env._(
                        "Customer lifecycle days must be positive, and 'lost' must come "
                        "after 'at risk'."
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if set(LOYALTY_SETTINGS) & vals.keys():
            self.env["res.partner"]._trigger_loyalty_recompute()
        return res
