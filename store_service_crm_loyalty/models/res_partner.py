"""Tier benefits given as coupons: the welcome coupon of an upgrade and the birthday
coupon, issued set-based (one SELECT of who is owed one, cards created in batches;
a rerun issues nothing twice)."""

# pylint: disable=no-member
# (the fields and methods come from store_service_crm and sale_loyalty, which pylint
# does not see through _inherit)

import calendar
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Welcome coupons are owed for the tier upgrades of the last days only: adding a
# welcome coupon to a tier does not pay out the upgrades of the past years.
WELCOME_DAYS = 7
# Coupons created per ORM batch.
COUPON_BATCH_SIZE = 1000


class ResPartner(models.Model):
    _inherit = "res.partner"

    loyalty_program_id = fields.Many2one(
        related="commercial_partner_id.loyalty_tier_id.loyalty_program_id",
        string="Loyalty Programme",
    )
    loyalty_points_multiplier = fields.Float(
        related="commercial_partner_id.loyalty_tier_id.loyalty_points_multiplier",
        string="Points Multiplier",
    )
    loyalty_birthday_program_id = fields.Many2one(
        related="commercial_partner_id.loyalty_tier_id.birthday_program_id",
        string="Birthday Coupon",
    )

    # ------------------------------------------------------------------
    # Welcome coupons: after every path that changes tiers
    # ------------------------------------------------------------------
    @api.model
    def _recompute_loyalty(self, partner_ids):
        count = super()._recompute_loyalty(partner_ids)
        self._loyalty_issue_welcome_coupons(partner_ids=partner_ids)
        return count

    @api.model
    def _recompute_loyalty_all_run(self, batch_size, commit, full_history):
        total = super()._recompute_loyalty_all_run(batch_size, commit, full_history)
        self._loyalty_issue_welcome_coupons(commit=commit)
        return total

    def write(self, vals):
        res = super().write(vals)
        if "loyalty_tier_id" in vals:
            self._loyalty_issue_welcome_coupons(
                partner_ids=self.mapped("commercial_partner_id").ids
            )
        return res

    @api.model
    def _loyalty_issue_welcome_coupons(self, partner_ids=None, commit=False):
        """Give a welcome coupon for each tier upgrade of the last WELCOME_DAYS days to
        a tier with a welcome programme, once per customer and programme. Returns the
        number of coupons created."""
        tier_ids = self.env["store.loyalty.tier"]._welcome_tier_ids()
        if not tier_ids:
            return 0  # no query when no tier gives a welcome coupon
        self.env["store.loyalty.tier.history"].flush_model()
        scope = SQL("AND h.partner_id = ANY(%s)", list(partner_ids)) if partner_ids else SQL()
        self.env.cr.execute(
            SQL(
                """
                SELECT h.id, h.partner_id, t.welcome_program_id
                  FROM store_loyalty_tier_history h
                  JOIN store_loyalty_tier t ON t.id = h.new_tier_id
                  JOIN loyalty_program pr ON pr.id = t.welcome_program_id AND pr.active
             LEFT JOIN store_loyalty_tier o ON o.id = h.old_tier_id
                 WHERE h.date >= %(since)s AND h.new_tier_id = ANY(%(tiers)s) %(scope)s
                   AND (o.id IS NULL
                        OR (COALESCE(t.min_spend, 0), COALESCE(t.min_orders, 0))
                           > (COALESCE(o.min_spend, 0), COALESCE(o.min_orders, 0)))
                   AND NOT EXISTS (
                        SELECT 1 FROM loyalty_card c
                         WHERE c.partner_id = h.partner_id
                           AND c.program_id = t.welcome_program_id
                           AND c.store_tier_history_id IS NOT NULL)
              ORDER BY h.id
                """,
                since=fields.Datetime.now() - timedelta(days=WELCOME_DAYS),
                scope=scope,
                tiers=list(tier_ids),
            )
        )
        owed = {}
        for history_id, partner_id, program_id in self.env.cr.fetchall():
            # one per customer and programme, for the latest upgrade
            owed[partner_id, program_id] = history_id
        values = [
            {"partner_id": partner_id, "program_id": program_id, "store_tier_history_id": hid}
            for (partner_id, program_id), hid in owed.items()
        ]
        return self._loyalty_create_coupons(values, commit, "welcome")

    # ------------------------------------------------------------------
    # Birthday coupons: a daily cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_birthday_coupons(self):
        self._loyalty_issue_birthday_coupons(commit=True)

    @api.model
    def _loyalty_issue_birthday_coupons(self, today=None, commit=False):
        """Give today's birthday customers of a tier with a birthday programme their
        coupon of the year (born on 29 February: on the 28th in other years). Idempotent:
        a rerun the same year creates nothing. Returns the number of coupons created."""
        today = today or fields.Date.context_today(self)
        days = [(today.month, today.day)]
        if (today.month, today.day) == (2, 28) and not calendar.isleap(today.year):
            days.append((2, 29))
        self.env["res.partner"].flush_model(["birthdate_date", "loyalty_tier_id", "active"])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, t.birthday_program_id
                  FROM res_partner p
                  JOIN store_loyalty_tier t ON t.id = p.loyalty_tier_id
                  JOIN loyalty_program pr ON pr.id = t.birthday_program_id AND pr.active
                 WHERE p.active AND p.id = p.commercial_partner_id
                   AND (EXTRACT(MONTH FROM p.birthdate_date)::int,
                        EXTRACT(DAY FROM p.birthdate_date)::int) IN %(days)s
                   AND NOT EXISTS (
                        SELECT 1 FROM loyalty_card c
                         WHERE c.partner_id = p.id AND c.program_id = t.birthday_program_id
                           AND c.store_birthday_year = %(year)s)
              ORDER BY p.id
                """,
                days=tuple(days),
                year=today.year,
            )
        )
        values = [
            {"partner_id": partner_id, "program_id": program_id, "store_birthday_year": today.year}
            for partner_id, program_id in self.env.cr.fetchall()
        ]
        return self._loyalty_create_coupons(values, commit, "birthday")

    @api.model
    def _loyalty_create_coupons(self, values, commit, what):
        """Create the coupons of ``values`` in batches, each with the points of one use
        of its programme's first reward."""
        if not values:
            return 0
        Card = self.env["loyalty.card"].sudo()
        programs = self.env["loyalty.program"].sudo().browse({v["program_id"] for v in values})
        points = {p.id: (p.reward_ids[:1].required_points or 1.0) for p in programs}
        done = 0
        for start in range(0, len(values), COUPON_BATCH_SIZE):
            batch = values[start : start + COUPON_BATCH_SIZE]
            Card.create([{**v, "points": points[v["program_id"]]} for v in batch])
            done += len(batch)
            if commit:
                self.env["ir.cron"]._notify_progress(done=done, remaining=len(values) - done)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        _logger.info("%s coupons: %s given", what, done)
        return done
