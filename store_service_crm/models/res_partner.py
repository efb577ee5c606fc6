"""The customer: the partner's fields and smart buttons.

What computes the figures lives in files named after what it does:

- ``res_partner_loyalty.py``: the loyalty engine (set-based recompute of the
  figures and tiers, nightly cron, managers' button);
- ``res_partner_visit_planning.py``: care visits, return-visit stats, "needs attention";
- ``res_partner_satisfaction.py``: the satisfaction average.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.misc import format_date

MANAGER_GROUP = "store_service_crm.group_store_service_manager"

# The columns a recompute writes on res_partner, kept on the commercial entity and
# mirrored on its contacts (see _commercial_fields).
LOYALTY_FIGURES = (
    "loyalty_spend",
    "loyalty_order_count",
    "loyalty_last_order_date",
    "loyalty_first_order_date",
    "customer_value_class",
    "customer_lifecycle",
    "loyalty_tier_id",
    "loyalty_downgrade_since",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ---- Loyalty: written by the engine (res_partner_loyalty.py) ----
    loyalty_tier_id = fields.Many2one(
        "store.loyalty.tier",
        index="btree_not_null",
        copy=False,
        ondelete="set null",
        help="The highest tier whose thresholds the customer meets over the evaluation "
        "window (or the tier set by a manager when it is locked).",
    )
    loyalty_tier_color = fields.Integer(related="loyalty_tier_id.color", string="Tier Color")
    loyalty_tier_locked = fields.Boolean(
        string="Tier Locked",
        copy=False,
        help="Keep the tier set by a manager: the recompute updates the figures but not the tier.",
    )
    loyalty_downgrade_since = fields.Date(
        string="Below Tier Since",
        copy=False,
        readonly=True,
        help="The day the customer fell below the thresholds of the current tier; the tier "
        "is lowered when the grace period is over.",
    )
    loyalty_currency_id = fields.Many2one("res.currency", compute="_compute_loyalty_currency_id")
    loyalty_spend = fields.Monetary(
        currency_field="loyalty_currency_id",
        copy=False,
        readonly=True,
        help="Untaxed amount of the confirmed orders over the evaluation window, in company "
        "currency; orders of the company's contacts are included.",
    )
    loyalty_order_count = fields.Integer(
        string="Confirmed Orders",
        copy=False,
        readonly=True,
        help="Confirmed orders over the evaluation window (the Sales button also counts "
        "quotations and cancelled orders).",
    )
    loyalty_last_order_date = fields.Date(string="Last Order", copy=False, readonly=True)
    loyalty_first_order_date = fields.Date(string="Customer Since", copy=False, readonly=True)
    customer_value_class = fields.Selection(
        [("A", "A"), ("B", "B"), ("C", "C")],
        string="Value Class",
        copy=False,
        readonly=True,
        help="Pareto class: A are the customers making the top share of the spend, "
        "B the next share, C the rest.",
    )
    customer_lifecycle = fields.Selection(
        [
            ("new", "New customer"),
            ("active", "Active customer"),
            ("at_risk", "At Risk"),
            ("lost", "Lost"),
        ],
        string="Lifecycle",
        copy=False,
        readonly=True,
        help="From the days since the first and the last confirmed order.",
    )
    # ---- Service counters (satisfaction_avg: res_partner_satisfaction.py) ----
    # computed on read over _read_group (like sale's order count), never written: a
    # complaint, order or visit does not lock the customer's row
    complaint_count = fields.Integer(string="Complaints", compute="_compute_complaint_count")
    satisfaction_avg = fields.Float(
        string="Satisfaction", digits=(3, 2), compute="_compute_satisfaction_avg"
    )
    loyalty_tier_history_count = fields.Integer(
        string="Tier Changes", compute="_compute_loyalty_tier_history_count"
    )
    loyalty_can_edit_tier = fields.Boolean(compute="_compute_loyalty_can_edit_tier")

    # ---- Return visits (computed in res_partner_visit_planning.py) ----
    birthdate_date = fields.Date(string="Birthday", help="Used by the birthday return-visit rules.")
    return_visit_ids = fields.One2many(
        "store.return.visit",
        "partner_id",
        string="Return visits",
        groups="store_service_crm.group_store_service_user",
    )
    return_visit_count = fields.Integer(compute="_compute_return_visit_stats", string="Visit Count")
    next_visit_date = fields.Date(compute="_compute_return_visit_stats", string="Next visit")
    last_visit_csat = fields.Integer(
        compute="_compute_return_visit_stats", string="Last visit CSAT"
    )
    needs_attention = fields.Boolean(
        compute="_compute_needs_attention",
        search="_search_needs_attention",
        string="Needs attention",
        help="Last satisfaction score of 2 or less, an open complaint past its deadline, "
        "or at risk of leaving.",
    )

    attention_reason = fields.Text(
        compute="_compute_attention_reason",
        string="Why",
        help="Why the customer needs attention or is at risk of leaving.",
    )

    @api.depends_context("lang")
    @api.depends("customer_lifecycle", "loyalty_last_order_date", "last_visit_csat")
    def _compute_attention_reason(self):
        """The reasons behind "Needs attention" and "At Risk", in words."""
        overdue_counts = {}
        if self.ids and "store.complaint" in self.env:
            commercial = self.commercial_partner_id  # pylint: disable=no-member
            overdue_counts = dict(
                self.env["store.complaint"]
                .sudo()
                ._read_group(
                    [("commercial_partner_id", "in", commercial.ids), ("is_overdue", "=", True)],
                    ["commercial_partner_id"],
                    ["__count"],
                )
            )
        today = fields.Date.context_today(self)
        for partner in self:
            reasons = []
            commercial = partner.commercial_partner_id
            if 0 < partner.last_visit_csat <= 2:
                reasons.append(
                    self.env._(
                        "Last return visit: satisfaction %(score)s out of 5.",
                        score=partner.last_visit_csat,
                    )
                )
            overdue = overdue_counts.get(commercial, 0)
            if overdue:
                reasons.append(
                    self.env._("%(count)s complaint(s) past their deadline.", count=overdue)
                )
            if commercial.customer_lifecycle in ("at_risk", "lost") and (
                commercial.loyalty_last_order_date
            ):
                reasons.append(
                    self.env._(
                        "No purchase for %(days)s days (last order on %(date)s).",
                        days=(today - commercial.loyalty_last_order_date).days,
                        date=format_date(self.env, commercial.loyalty_last_order_date),
                    )
                )
            partner.attention_reason = "\n".join(reasons) or False

    def _compute_complaint_count(self):
        """Active, not cancelled complaints of the customer's commercial entity. Counted
        in superuser mode, as the former stored counter was readable by anyone who reads
        the customer (a salesman sees how many complaints, not which ones)."""
        commercial = self.commercial_partner_id  # pylint: disable=no-member
        counts = dict(
            self.env["store.complaint"]
            .sudo()
            ._read_group(
                [("commercial_partner_id", "in", commercial.ids), ("state", "!=", "cancelled")],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.complaint_count = counts.get(partner.commercial_partner_id.sudo(), 0)

    def _compute_loyalty_currency_id(self):
        for partner in self:
            partner.loyalty_currency_id = (
                partner.company_id.currency_id or self.env.company.currency_id
            )

    def _compute_loyalty_tier_history_count(self):
        groups = self.env["store.loyalty.tier.history"]._read_group(
            [("partner_id", "in", self.mapped("commercial_partner_id").ids)],
            ["partner_id"],
            ["__count"],
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.loyalty_tier_history_count = counts.get(partner["commercial_partner_id"].id, 0)

    @api.depends_context("uid")
    def _compute_loyalty_can_edit_tier(self):
        can_edit = self.env.user.has_group(MANAGER_GROUP)
        for partner in self:
            partner.loyalty_can_edit_tier = can_edit

    @api.constrains("loyalty_tier_id", "company_id")
    def _check_loyalty_tier_company(self):
        for partner in self:
            tier = partner.loyalty_tier_id
            if tier and partner.company_id and tier.company_id != partner.company_id:
                raise ValidationError(
                    self.env._(
                        "The tier %(tier)s belongs to %(tier_company)s, not to the company of "
                        "%(partner)s (%(company)s).",
                        tier=tier.name,
                        tier_company=tier.company_id.name,
                        partner=partner.display_name,
                        company=partner.company_id.name,
                    )
                )

    @api.model
    def _commercial_fields(self):
        # The figures belong to the commercial entity; its contacts show the same.
        return [
            *super()._commercial_fields(),  # pylint: disable=no-member
            *LOYALTY_FIGURES,
            "loyalty_tier_locked",
        ]

    @api.model_create_multi
    def create(self, vals_list):
        if not self._loyalty_can_set_tier():
            for vals in vals_list:
                self._loyalty_check_manual_values(vals, self.browse())
        return super().create(vals_list)

    def write(self, vals):
        manual = {"loyalty_tier_id", "loyalty_tier_locked"} & vals.keys()
        old_tiers = {}
        if manual and not self._loyalty_can_set_tier():
            for partner in self:
                self._loyalty_check_manual_values(vals, partner)
        if manual:
            commercial = self.filtered(lambda p: p["commercial_partner_id"] == p)
            changed = commercial.filtered(
                lambda p: (
                    (
                        "loyalty_tier_id" in vals
                        and p.loyalty_tier_id.id != (vals["loyalty_tier_id"] or False)
                    )
                    or (
                        "loyalty_tier_locked" in vals
                        and p.loyalty_tier_locked != bool(vals["loyalty_tier_locked"])
                    )
                )
            )
            old_tiers = {p: p.loyalty_tier_id for p in changed}
            if "loyalty_tier_id" in vals:
                vals = {**vals, "loyalty_downgrade_since": False}
        res = super().write(vals)
        if "loyalty_tier_id" in vals:
            self._loyalty_log_manual_changes(old_tiers)
        return res

    # ------------------------------------------------------------------
    # Smart buttons
    # ------------------------------------------------------------------
    def action_view_loyalty_tier_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_service_crm.store_loyalty_tier_history_action"
        )
        commercial = self["commercial_partner_id"]
        action["domain"] = [("partner_id", "=", commercial.id)]
        action["context"] = {"default_partner_id": commercial.id}
        return action

    def action_view_complaints(self):
        # pylint: disable=no-member
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_service_crm.store_complaint_action"
        )
        action.update(
            {
                "domain": [("commercial_partner_id", "=", self.commercial_partner_id.id)],
                "context": {"default_partner_id": self.id},
                "view_mode": "list,kanban,form",
                "views": [(False, "list"), (False, "kanban"), (False, "form")],
            }
        )
        return action

    def action_register_complaint(self):
        # pylint: disable=no-member
        """Open a new complaint form pre-filled with this customer (and their store)."""
        self.ensure_one()
        return self.env["store.complaint"]._action_register(
            {
                "default_partner_id": self.id,
                "default_team_id": (
                    self.env["crm.team"]._store_service_allowed(self.user_id.sale_team_id)
                    or self.env.user.sale_team_id
                ).id,
            }
        )

    def action_view_return_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_service_crm.store_return_visit_action"
        )
        action["domain"] = [("partner_id", "child_of", self.mapped("commercial_partner_id").ids)]
        action["context"] = {
            "default_partner_id": self.id,
            "default_origin": "manual",
            "search_default_group_state": 0,
        }
        return action

    # ------------------------------------------------------------------
    # Tiers set by hand (managers only)
    # ------------------------------------------------------------------
    def _loyalty_can_set_tier(self):
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    @api.model
    def _loyalty_check_manual_values(self, vals, partner):
        """Only managers set a tier or its lock. Others may only copy the values of the
        commercial entity onto one of its contacts: that is what the commercial fields
        sync does when a contact is created under or linked to a company.

        ``partner``: the partner written, or an empty recordset for a creation."""
        parent = self.browse(vals["parent_id"]) if "parent_id" in vals else partner["parent_id"]
        is_company = vals["is_company"] if "is_company" in vals else partner["is_company"]
        entity = parent["commercial_partner_id"] if parent and not is_company else partner
        for fname in ("loyalty_tier_id", "loyalty_tier_locked"):
            if fname not in vals:
                continue
            new = vals[fname] or False
            old = partner[fname].id if fname == "loyalty_tier_id" else partner[fname]
            if fname == "loyalty_tier_locked":
                new = bool(new)
            if new == (old or False):
                continue
            if entity and entity != partner:
                entity_value = entity[fname]
                if fname == "loyalty_tier_id":
                    entity_value = entity_value.id
                if (entity_value or False) == new:
                    continue
            raise AccessError(
                self.env._("Only customer service managers can change a loyalty tier.")
            )

    def _loyalty_log_manual_changes(self, old_tiers):
        """History row and chatter note for tiers set by hand (a few partners)."""
        history = []
        for partner, old_tier in old_tiers.items():
            if partner.loyalty_tier_id == old_tier:
                continue
            history.append(
                {
                    "partner_id": partner.id,
                    "old_tier_id": old_tier.id,
                    "new_tier_id": partner.loyalty_tier_id.id,
                    "reason": "manual",
                    "company_id": (partner.company_id or self.env.company).id,
                    "spend": partner.loyalty_spend,
                    "order_count": partner.loyalty_order_count,
                }
            )
            partner.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Loyalty tier changed from %(old)s to %(new)s (set by hand).",
                    old=old_tier.name or self.env._("none"),
                    new=partner.loyalty_tier_id.name or self.env._("none"),
                ),
                subtype_xmlid="mail.mt_note",
            )
        if history:
            self.env["store.loyalty.tier.history"].sudo().create(history)
