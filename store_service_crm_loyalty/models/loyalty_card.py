"""Coupons and gift cards given by the store service: compensation of a complaint,
welcome coupon of a tier, birthday coupon."""

from odoo import fields, models


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    store_complaint_id = fields.Many2one(
        "store.complaint",
        string="Complaint",
        index="btree_not_null",
        ondelete="restrict",
        copy=False,
        readonly=True,
        help="The complaint this coupon or gift card compensates.",
    )
    store_compensation_value = fields.Monetary(
        string="Compensation Value",
        currency_field="currency_id",
        copy=False,
        readonly=True,
        help="What the coupon is worth to the customer when it was given, counted in the "
        "service cost of its complaint.",
    )
    store_tier_history_id = fields.Many2one(
        "store.loyalty.tier.history",
        string="Tier Upgrade",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        readonly=True,
        help="The tier upgrade this welcome coupon was given for.",
    )
    store_birthday_year = fields.Integer(
        string="Birthday Year",
        copy=False,
        readonly=True,
        help="The year of the birthday this coupon was given for.",
    )

    _sql_constraints = [  # noqa: RUF012
        (
            "store_tier_history_unique",
            "UNIQUE(store_tier_history_id)",
            "A tier upgrade gives one welcome coupon.",
        ),
        (
            "store_birthday_unique",
            "UNIQUE(partner_id, program_id, store_birthday_year)",
            "A customer gets one birthday coupon of a programme a year.",
        ),
        (
            "store_compensation_value_positive",
            "CHECK(store_compensation_value IS NULL OR store_compensation_value >= 0)",
            "A compensation value cannot be negative.",
        ),
    ]
