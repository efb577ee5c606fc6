# pylint: disable=no-member
"""Compensation authority: a clerk and a store leader grant compensation up to their
limit (Settings), managers without limit. Above the limit, resolving needs a
manager's approval: request -> approve / refuse with a reason, tracked, the approver
notified with an activity. The approved amount is what counts in the service cost."""

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate, float_compare, format_amount

from ..tools import EMPTY_VALUES, WorkflowDoor
from .store_complaint import MANAGER_GROUP, OPEN_STATES

_lt = LazyTranslate(__name__)

APPROVAL_WORKFLOW_FIELDS = {
    "compensation_approval_state",
    "compensation_requested_amount",
    "compensation_approved_amount",
    "compensation_approver_id",
    "compensation_refuse_reason",
}


class StoreComplaint(models.Model):
    _inherit = "store.complaint"  # pylint: disable=consider-merging-classes-inherited

    compensation_approval_state = fields.Selection(
        [
            ("none", "Within authority"),
            ("requested", "Approval requested"),
            ("approved", "Approved"),
            ("refused", "Refused"),
        ],
        string="Compensation Approval",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    compensation_requested_amount = fields.Monetary(
        string="Compensation Requested", currency_field="currency_id", readonly=True, copy=False
    )
    compensation_approved_amount = fields.Monetary(
        string="Compensation Approved",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        tracking=True,
    )
    compensation_approver_id = fields.Many2one(
        "res.users", string="Approver", readonly=True, copy=False, tracking=True
    )
    compensation_refuse_reason = fields.Text(
        string="Refusal Reason", readonly=True, copy=False, tracking=True
    )
    compensation_limit = fields.Monetary(
        string="Your Compensation Limit",
        currency_field="currency_id",
        compute="_compute_compensation_limit",
        help="What you may grant without a manager's approval (0 for managers: no limit).",
    )
    needs_compensation_approval = fields.Boolean(compute="_compute_compensation_limit")

    def _compute_compensation_limit(self):
        for complaint in self:
            limit = complaint._compensation_limit()
            complaint.compensation_limit = limit or 0.0
            complaint.needs_compensation_approval = complaint._needs_compensation_approval()

    # ------------------------------------------------------------------
    # The door
    # ------------------------------------------------------------------
    def _workflow_doors(self):
        return [
            *super()._workflow_doors(),
            WorkflowDoor(
                frozenset(APPROVAL_WORKFLOW_FIELDS),
                _lt(
                    "A compensation approval (%(fields)s) changes only through its actions "
                    "(Request approval, Approve, Refuse)."
                ),
                empty=(*EMPTY_VALUES, "none"),
            ),
        ]

    def _check_workflow_update(self, vals, creating=False):
        res = super()._check_workflow_update(vals, creating=creating)
        if not creating and "compensation_amount" in vals:
            self._check_compensation_after_resolution(vals["compensation_amount"])
        return res

    def _check_compensation_after_resolution(self, amount):
        """Once resolved, the compensation only goes up within the user's authority."""
        for complaint in self.filtered(lambda c: c.state in ("resolved", "closed")):
            limit = complaint._compensation_limit()
            if limit is not None and (amount or 0.0) > max(limit, complaint._approved_amount()):
                raise UserError(
                    self.env._(
                        "A compensation of %(amount)s for %(complaint)s is above your "
                        "authority (%(limit)s): reopen it and request a manager's approval.",
                        amount=format_amount(self.env, amount or 0.0, complaint.currency_id),
                        complaint=complaint.name,
                        limit=format_amount(self.env, limit, complaint.currency_id),
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if "compensation_amount" in vals:
            # another amount than the one requested or approved: ask again
            stale = self.filtered(
                lambda c: (
                    c.compensation_approval_state != "none"
                    and float_compare(
                        c.compensation_amount,
                        c.compensation_approved_amount
                        if c.compensation_approval_state == "approved"
                        else c.compensation_requested_amount,
                        precision_rounding=c.currency_id.rounding or 0.01,
                    )
                )
            )
            if stale:
                stale.sudo().write(
                    {
                        "compensation_approval_state": "none",
                        "compensation_requested_amount": 0.0,
                        "compensation_approved_amount": 0.0,
                    }
                )
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_resolve(self):
        blocked = self.filtered(lambda c: c._needs_compensation_approval())
        if blocked:
            complaint = blocked[0]
            raise UserError(
                self.env._(
                    "A compensation of %(amount)s for %(complaint)s is above your authority "
                    "(%(limit)s): request a manager's approval before resolving.",
                    amount=format_amount(
                        self.env, complaint.compensation_amount, complaint.currency_id
                    ),
                    complaint=complaint.name,
                    limit=format_amount(
                        self.env, complaint._compensation_limit(), complaint.currency_id
                    ),
                )
            )
        return super().action_resolve()

    def action_request_compensation_approval(self):
        """Ask a manager to approve a compensation above the user's authority; the
        approver (the company's service manager, else the store leader if they are a
        manager) gets an activity."""
        self._check_state(OPEN_STATES, self.env._("Request approval"))
        for complaint in self:
            if complaint.compensation_amount <= 0:
                raise UserError(
                    self.env._(
                        "Enter the compensation of %(complaint)s before requesting approval.",
                        complaint=complaint.name,
                    )
                )
            if complaint.compensation_approval_state == "requested":
                raise UserError(
                    self.env._(
                        "The compensation of %(complaint)s is already waiting for approval.",
                        complaint=complaint.name,
                    )
                )
            approver = complaint._compensation_approver()
            if not approver:
                raise UserError(
                    self.env._(
                        "Nobody can approve the compensation: set the service manager in "
                        "the Settings."
                    )
                )
            complaint._workflow_write(
                {
                    "compensation_approval_state": "requested",
                    "compensation_requested_amount": complaint.compensation_amount,
                    "compensation_approved_amount": 0.0,
                    "compensation_approver_id": approver.id,
                    "compensation_refuse_reason": False,
                }
            )
            env = complaint.with_context(lang=approver.lang or self.env.lang).env
            complaint.sudo().activity_schedule(
                "store_service_crm.mail_activity_type_compensation_approval",
                summary=env._(
                    "Approve a compensation of %(amount)s (%(complaint)s)",
                    amount=format_amount(env, complaint.compensation_amount, complaint.currency_id),
                    complaint=complaint.name,
                ),
                user_id=approver.id,
            )
        return True

    def action_approve_compensation(self):
        """A manager approves the requested amount."""
        self._check_compensation_decision()
        for complaint in self:
            complaint._workflow_write(
                {
                    "compensation_approval_state": "approved",
                    "compensation_approved_amount": complaint.compensation_requested_amount,
                    "compensation_approver_id": self.env.uid,
                }
            )
            complaint._approval_activities().action_feedback(
                feedback=self.env._("Compensation approved.")
            )
        return True

    def action_refuse_compensation(self, reason=None):
        """A manager refuses, with the reason (required, tracked)."""
        reason = reason.strip() if isinstance(reason, str) else None
        if not reason:
            raise UserError(self.env._("Give the reason for refusing the compensation."))
        self._check_compensation_decision()
        self._workflow_write(
            {
                "compensation_approval_state": "refused",
                "compensation_approver_id": self.env.uid,
                "compensation_refuse_reason": reason,
            }
        )
        for complaint in self:
            complaint._approval_activities().action_feedback(
                feedback=self.env._("Compensation refused: %s", reason)
            )
        return True

    def action_open_refuse_compensation_wizard(self):
        self.ensure_one()
        self._check_compensation_decision()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse compensation"),
            "res_model": "store.complaint.compensation.refuse.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _check_compensation_decision(self):
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise UserError(self.env._("Only a service manager approves or refuses compensation."))
        self._check_state(OPEN_STATES, self.env._("Approve or refuse"))
        waiting = self.filtered(lambda c: c.compensation_approval_state != "requested")
        if waiting:
            raise UserError(
                self.env._(
                    "No compensation of %(complaint)s is waiting for approval.",
                    complaint=waiting[0].name,
                )
            )

    def _compensation_limit(self, user=None):
        """What ``user`` (default: the current user) may grant on this complaint without
        approval; None: no limit (managers, superuser)."""
        self.ensure_one()
        user = user or self.env.user
        if self.env.su and user == self.env.user or user.has_group(MANAGER_GROUP):
            return None
        company = self.company_id or self.env.company
        if self.team_id.user_id == user:
            return company.compensation_limit_leader
        return company.compensation_limit_clerk

    def _approved_amount(self):
        self.ensure_one()
        if self.compensation_approval_state == "approved":
            return self.compensation_approved_amount
        return 0.0

    def _needs_compensation_approval(self):
        self.ensure_one()
        limit = self._compensation_limit()
        amount = self.compensation_amount or 0.0
        return limit is not None and amount > limit and amount > self._approved_amount()

    def _compensation_approver(self):
        self.ensure_one()
        manager = self.company_id.complaint_service_manager_id
        if manager:
            return manager
        leader = self.team_id.user_id
        return leader if leader and leader.has_group(MANAGER_GROUP) else self.env["res.users"]

    def _approval_activities(self):
        activity_type = self.env.ref(
            "store_service_crm.mail_activity_type_compensation_approval", raise_if_not_found=False
        )
        return self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
