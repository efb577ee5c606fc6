"""Compensation as a coupon or gift card (Odoo's loyalty.card) from a complaint."""

# pylint: disable=no-member
# (the fields and methods come from store_service_crm and sale_loyalty, which pylint
# does not see through _inherit)

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero, float_round, format_amount

from .store_loyalty_tier import COUPON_TYPES

# A coupon is given while the complaint is being handled or just resolved.
COUPON_STATES = ("assigned", "in_progress", "resolved")


class StoreComplaint(models.Model):
    _inherit = "store.complaint"

    compensation_card_ids = fields.One2many(
        "loyalty.card", "store_complaint_id", string="Compensation Coupons", readonly=True
    )
    compensation_card_count = fields.Integer(
        string="Coupons", compute="_compute_compensation_card_count"
    )

    def _compute_compensation_card_count(self):
        groups = (
            self.env["loyalty.card"]
            .sudo()
            ._read_group(
                [("store_complaint_id", "in", self.ids)], ["store_complaint_id"], ["__count"]
            )
        )
        counts = {complaint.id: count for complaint, count in groups}
        for complaint in self:
            complaint.compensation_card_count = counts.get(complaint.id, 0)

    def action_open_coupon_wizard(self):
        self.ensure_one()
        self._check_coupon_allowed()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Compensate with a Coupon"),
            "res_model": "store.complaint.coupon.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def action_view_compensation_cards(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Compensation Coupons"),
            "res_model": "loyalty.card",
            "view_mode": "list,form",
            "domain": [("store_complaint_id", "=", self.id)],
            "context": {"create": False},
        }

    def action_compensate_with_coupon(self, program, amount, expiration_date=None):
        """Give the customer a coupon or gift card of ``program`` worth ``amount``
        (company currency) for this complaint; its value counts in the service cost.

        The one door for it: checks the state and the user's right to change the
        complaint, then creates the card in superuser mode (store staff have no rights
        on loyalty cards). Returns the card."""
        self.ensure_one()
        self._check_coupon_allowed()
        program = self.env["loyalty.program"].sudo().browse(int(program)).exists()
        reward = self._coupon_value_reward(program)
        currency = self.currency_id
        amount = float(amount or 0.0)
        if amount <= 0 or float_is_zero(amount, precision_rounding=currency.rounding):
            raise UserError(self.env._("The value of the coupon must be positive."))
        amount = currency.round(amount)
        points = float_round(amount / reward.discount, precision_digits=2)
        card = (
            self.env["loyalty.card"]
            .sudo()
            .create(
                {
                    "program_id": program.id,
                    "partner_id": self.partner_id.id,
                    "points": points,
                    "expiration_date": expiration_date or False,
                    "store_complaint_id": self.id,
                    "store_compensation_value": amount,
                }
            )
        )
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Compensation: %(program)s %(code)s worth %(amount)s given to the customer.",
                program=program.name,
                code=card.code,
                amount=format_amount(self.env, amount, currency),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return card

    def _check_coupon_allowed(self):
        self._check_state(COUPON_STATES, self.env._("Compensate with a coupon"))
        self.check_access("write")
        if not self.partner_id:
            raise UserError(self.env._("The complaint has no customer to give a coupon to."))

    def _coupon_value_reward(self, program):
        """The reward that gives a coupon of ``program`` its value: a discount of a
        fixed amount per point (gift cards, value coupons)."""
        if not program or program.program_type not in COUPON_TYPES or not program.active:
            raise UserError(
                self.env._("Choose an active coupon or gift card programme for the compensation.")
            )
        if program.company_id and program.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "The programme %(program)s belongs to another company than the complaint.",
                    program=program.name,
                )
            )
        reward = program.reward_ids.filtered(
            lambda r: (
                r.reward_type == "discount" and r.discount_mode == "per_point" and r.discount > 0
            )
        )[:1]
        if not reward:
            raise UserError(
                self.env._(
                    "The programme %(program)s gives no fixed amount per point: the value of "
                    "its coupons is not known. Choose a gift card or value coupon programme.",
                    program=program.name,
                )
            )
        return reward
