from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import check_not_blank

# A commercial entity: its contacts' figures roll up into it.
COMMERCIAL_DOMAIN = ["|", ("parent_id", "=", False), ("is_company", "=", True)]


class StoreLoyaltyTier(models.Model):
    _name = "store.loyalty.tier"
    _description = "Loyalty Tier"
    _order = "company_id, sequence, min_spend, min_orders, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        help="Display order only: a customer's tier is the one with the highest "
        "thresholds that are met.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer(string="Color Index")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    min_spend = fields.Monetary(
        string="Minimum Spend",
        currency_field="currency_id",
        help="Untaxed amount of confirmed orders, in company currency, over the evaluation window.",
    )
    min_orders = fields.Integer(
        string="Minimum Orders", help="Confirmed orders over the evaluation window."
    )
    response_hours = fields.Float(
        string="Response Time (hours)",
        default=24.0,
        help="Complaint SLA: hours to the first response for customers of this tier.",
    )
    resolution_hours = fields.Float(
        string="Resolution Time (hours)",
        default=72.0,
        help="Complaint SLA: hours to resolve a complaint for customers of this tier.",
    )
    description = fields.Text(
        string="Benefits", translate=True, help="What customers of this tier are offered."
    )
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")

    def _compute_partner_count(self):
        groups = self.env["res.partner"]._read_group(
            [("loyalty_tier_id", "in", self.ids), *COMMERCIAL_DOMAIN],
            ["loyalty_tier_id"],
            ["__count"],
        )
        counts = {tier.id: count for tier, count in groups}
        for tier in self:
            tier.partner_count = counts.get(tier.id, 0)

    @api.constrains("name")
    def _check_name(self):
        check_not_blank(self, ["name"])

    @api.constrains("min_spend", "min_orders", "response_hours", "resolution_hours")
    def _check_thresholds_positive(self):
        for tier in self:
            if tier.min_spend < 0 or tier.min_orders < 0:
                raise ValidationError(
                    self.env._(
                        "The thresholds of the tier %(tier)s cannot be negative.",
                        tier=tier.name,
                    )
                )
            if tier.response_hours < 0 or tier.resolution_hours < 0:
                raise ValidationError(
                    self.env._(
                        "The service times of the tier %(tier)s cannot be negative.",
                        tier=tier.name,
                    )
                )

    @api.constrains("min_spend", "min_orders", "company_id", "active")
    def _check_thresholds_unique(self):
        for tier in self.filtered("active"):
            twin = self.search(
                [
                    ("id", "!=", tier.id),
                    ("company_id", "=", tier.company_id.id),
                    ("min_spend", "=", tier.min_spend),
                    ("min_orders", "=", tier.min_orders),
                ],
                limit=1,
            )
            if twin:
                raise ValidationError(
                    self.env._(
                        "The tiers %(tier)s and %(twin)s of %(company)s have the same "
                        "thresholds: a customer could not be placed in one of them. "
                        "Change the minimum spend or orders of one of them.",
                        tier=tier.name,
                        twin=twin.name,
                        company=tier.company_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        tiers = super().create(vals_list)
        self.env["res.partner"]._trigger_loyalty_recompute()
        return tiers

    def write(self, vals):
        res = super().write(vals)
        if {"min_spend", "min_orders", "company_id", "active"} & vals.keys():
            self.env["res.partner"]._trigger_loyalty_recompute()
        return res

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_service_crm.res_partner_action_customer"
        )
        action["domain"] = [("loyalty_tier_id", "=", self.id), *COMMERCIAL_DOMAIN]
        action["context"] = {}
        return action
