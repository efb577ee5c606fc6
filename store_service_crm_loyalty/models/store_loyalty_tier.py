"""Tier benefits with Odoo Loyalty: the programme a tier's customers earn points in
(with a multiplier), a welcome coupon on upgrade and a birthday coupon."""

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

COUPON_TYPES = ("coupons", "gift_card", "next_order_coupons")


class StoreLoyaltyTier(models.Model):
    _inherit = "store.loyalty.tier"

    loyalty_program_id = fields.Many2one(
        "loyalty.program",
        string="Loyalty Programme",
        domain="[('program_type', '=', 'loyalty'), ('company_id', 'in', (company_id, False))]",
        ondelete="restrict",
        help="The points programme of this tier's customers: their orders earn its points "
        "times the multiplier below.",
    )
    loyalty_points_multiplier = fields.Float(
        string="Points Multiplier",
        default=1.0,
        digits=(4, 2),
        help="Points earned in the tier's programme are multiplied by this (e.g. 2 for "
        "double points).",
    )
    welcome_program_id = fields.Many2one(
        "loyalty.program",
        string="Welcome Coupon",
        domain=f"[('program_type', 'in', {list(COUPON_TYPES)}),"
        " ('company_id', 'in', (company_id, False))]",
        ondelete="restrict",
        help="A coupon of this programme is given to customers when they reach this tier.",
    )
    birthday_program_id = fields.Many2one(
        "loyalty.program",
        string="Birthday Coupon",
        domain=f"[('program_type', 'in', {list(COUPON_TYPES)}),"
        " ('company_id', 'in', (company_id, False))]",
        ondelete="restrict",
        help="A coupon of this programme is given to the tier's customers on their "
        "birthday, once a year.",
    )

    @api.model
    @tools.ormcache()
    def _welcome_tier_ids(self):
        """The tiers that give a welcome coupon (cached: every recompute asks)."""
        return tuple(
            self.sudo()
            .with_context(active_test=False)
            .search([("welcome_program_id", "!=", False)])
            .ids
        )

    @api.model_create_multi
    def create(self, vals_list):
        tiers = super().create(vals_list)
        if any(vals.get("welcome_program_id") for vals in vals_list):
            self.env.registry.clear_cache()
        return tiers

    def write(self, vals):
        res = super().write(vals)
        if "welcome_program_id" in vals:
            self.env.registry.clear_cache()
        return res

    @api.constrains("loyalty_points_multiplier")
    def _check_loyalty_points_multiplier(self):
        for tier in self:
            if tier.loyalty_points_multiplier <= 0:
                raise ValidationError(
                    self.env._(
                        "The points multiplier of the tier %(tier)s must be positive.",
                        tier=tier.name,
                    )
                )

    @api.constrains("loyalty_program_id", "welcome_program_id", "birthday_program_id")
    def _check_loyalty_programs(self):
        for tier in self:
            if tier.loyalty_program_id and tier.loyalty_program_id.program_type != "loyalty":
                raise ValidationError(
                    self.env._(
                        "The loyalty programme of the tier %(tier)s must be a loyalty card "
                        "programme.",
                        tier=tier.name,
                    )
                )
            for program in tier.welcome_program_id | tier.birthday_program_id:
                if program.program_type not in COUPON_TYPES:
                    raise ValidationError(
                        self.env._(
                            "The programme %(program)s of the tier %(tier)s must give coupons "
                            "or gift cards.",
                            program=program.name,
                            tier=tier.name,
                        )
                    )
            programs = tier.loyalty_program_id | tier.welcome_program_id | tier.birthday_program_id
            if any(p.company_id and p.company_id != tier.company_id for p in programs):
                raise ValidationError(
                    self.env._(
                        "The programmes of the tier %(tier)s must belong to its company.",
                        tier=tier.name,
                    )
                )
