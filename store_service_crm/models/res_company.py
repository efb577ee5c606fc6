from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .store_return_visit_rule import VISIT_CHANNELS
from .store_service_kpi_definitions import DEFINITION_FIELDS, KPIS, TARGET_FIELDS, WEIGHT_FIELDS

LOYALTY_SETTINGS = (
    "loyalty_window_months",
    "loyalty_class_a_percent",
    "loyalty_class_b_percent",
    "loyalty_new_days",
    "loyalty_at_risk_days",
    "loyalty_lost_days",
    "loyalty_downgrade_grace_days",
)


# every KPI setting: targets and weights (declared with their KPI) and the response hours
KPI_SETTINGS = TARGET_FIELDS + WEIGHT_FIELDS + DEFINITION_FIELDS


class ResCompany(models.Model):
    _inherit = "res.company"

    # Complaint SLA: hours used when the customer has no tier, then multiplied by the
    # severity factor (critical the shortest).
    complaint_response_hours = fields.Float(string="Default Response Hours", default=24.0)
    complaint_resolution_hours = fields.Float(string="Default Resolution Hours", default=72.0)
    complaint_factor_low = fields.Float(string="Low Severity Factor", default=1.5)
    complaint_factor_medium = fields.Float(string="Medium Severity Factor", default=1.0)
    complaint_factor_high = fields.Float(string="High Severity Factor", default=0.5)
    complaint_factor_critical = fields.Float(string="Critical Severity Factor", default=0.25)
    complaint_sla_working_hours = fields.Boolean(
        string="SLA in Working Hours",
        help="Count complaint SLA hours on the company's working calendar instead of the clock.",
    )
    complaint_escalation_delay_hours = fields.Float(
        string="Second Escalation After (hours)", default=24.0
    )
    complaint_service_manager_id = fields.Many2one(
        "res.users", string="Service Manager", domain="[('share', '=', False)]"
    )
    complaint_repeat_days = fields.Integer(string="Repeat Window (days)", default=30)
    complaint_vip_tier_ids = fields.Many2many(
        "store.loyalty.tier",
        "res_company_complaint_vip_tier_rel",
        "company_id",
        "tier_id",
        string="VIP Tiers",
        help="Complaints of customers in these tiers are flagged VIP and go to the VIP queue.",
    )
    complaint_vip_team_id = fields.Many2one(
        "crm.team",
        string="VIP Queue Team",
        help="If set, complaints of VIP customers are routed to this team.",
    )
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

    # Service KPI targets (percentages as shown in Settings; the KPI engine compares
    # fractions) and the weights of the service score; each KPI names its own
    # (store_service_kpi_definitions.KPIS).
    kpi_response_hours = fields.Float(
        string="Response Within (hours)",
        default=24.0,
        help='The "answered within 24 h" KPI counts the complaints answered within this '
        "many hours after they were received (the SLA response rate uses the deadlines).",
    )
    kpi_target_csat = fields.Float(string="CSAT Target (1-5)", default=4.8)
    kpi_target_satisfaction = fields.Float(
        string="Satisfied Customers Target (%)",
        default=95.0,
        help="Share of the CSAT scores of 4 or 5: at least this share.",
    )
    kpi_target_on_time = fields.Float(string="Resolved within SLA Target (%)", default=90.0)
    kpi_target_fcr = fields.Float(string="One-pass Resolution Target (%)", default=80.0)
    kpi_target_cost = fields.Float(
        string="Service Cost Target (% of sales)",
        default=3.0,
        help="Compensation, credit notes and replacement goods over untaxed sales: at most "
        "this share.",
    )
    kpi_target_response_24h = fields.Float(
        string="Answered within 24 h Target (%)",
        default=85.0,
        help="Complaints answered within the response hours after they were received: at "
        "least this share.",
    )
    kpi_target_response = fields.Float(string="Answered within SLA Target (%)", default=85.0)
    kpi_target_returns = fields.Float(
        string="Returns Target (% of orders)",
        default=3.0,
        help="Refund, exchange and replacement complaints over confirmed orders: at most "
        "this share.",
    )
    kpi_weight_csat = fields.Integer(string="CSAT Weight (%)", default=35)
    kpi_weight_on_time = fields.Integer(string="On-time Resolution Weight (%)", default=25)
    kpi_weight_fcr = fields.Integer(string="One-pass Resolution Weight (%)", default=20)
    kpi_weight_cost = fields.Integer(string="Service Cost Weight (%)", default=20)

    @api.constrains(*KPI_SETTINGS)
    def _check_kpi_settings(self):
        for company in self:
            weights = [company[name] for name in WEIGHT_FIELDS]
            if min(weights) < 0 or sum(weights) != 100:
                raise ValidationError(
                    self.env._(
                        "The service score weights must not be negative and must add up "
                        "to 100 (now %(total)s).",
                        total=sum(weights),
                    )
                )
            if not 1 <= company.kpi_target_csat <= 5:
                raise ValidationError(self.env._("The CSAT target must be between 1 and 5."))
            percents = [
                company[kpi.target_field]
                for kpi in KPIS.values()
                if kpi.target_field and kpi.target_percent
            ]
            if not all(0 <= p <= 100 for p in percents):
                raise ValidationError(
                    self.env._("The KPI targets in percent must be between 0 and 100.")
                )
            if company.kpi_response_hours <= 0:
                raise ValidationError(
                    self.env._("The response hours of the response KPI must be positive.")
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

    @api.constrains(
        "complaint_response_hours",
        "complaint_resolution_hours",
        "complaint_factor_low",
        "complaint_factor_medium",
        "complaint_factor_high",
        "complaint_factor_critical",
        "complaint_escalation_delay_hours",
        "complaint_repeat_days",
        "return_visit_max_attempts",
    )
    def _check_service_settings(self):
        for company in self:
            if company.complaint_response_hours <= 0 or company.complaint_resolution_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "The default complaint response and resolution times must be positive."
                    )
                )
            factors = (
                company.complaint_factor_low,
                company.complaint_factor_medium,
                company.complaint_factor_high,
                company.complaint_factor_critical,
            )
            if any(factor <= 0 for factor in factors):
                raise ValidationError(self.env._("The severity factors must be positive."))
            if company.complaint_escalation_delay_hours < 0 or company.complaint_repeat_days < 0:
                raise ValidationError(
                    self.env._("The escalation delay and the repeat window cannot be negative.")
                )
            if company.return_visit_max_attempts < 1:
                raise ValidationError(self.env._("A return visit needs at least one call attempt."))

    def write(self, vals):
        res = super().write(vals)
        if set(LOYALTY_SETTINGS) & vals.keys():
            self.env["res.partner"]._trigger_loyalty_recompute()
        return res
