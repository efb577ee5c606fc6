import logging
from collections import defaultdict
from datetime import timedelta

from psycopg2.errorcodes import LOCK_NOT_AVAILABLE

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, LazyTranslate

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from ..tools import (
    WorkflowDoor,
    check_not_blank,
    check_text_fields,
    lock_rows_nowait,
    refuse_workflow_fields,
    try_advisory_xact_lock,
)

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

OPEN_STATES = ("new", "assigned", "in_progress")
UNANSWERED_STATES = ("new", "assigned")
# Fields that only the workflow actions (and the escalation cron) may write: the
# figures the staff is measured by. ``write``/``create`` refuse them from any caller
# that is not in superuser mode, whatever context it sends; the actions check the
# user's rights and the state themselves, then write them with ``sudo()`` (see
# ``_workflow_write``), like ``hr.leave`` checks its approvals in ``write``.
WORKFLOW_FIELDS = {
    "state",
    "date_first_response",
    "date_resolved",
    "date_closed",
    "response_deadline",
    "resolution_deadline",
    "reopen_count",
    "escalation_level",
    "date_escalated",
    "close_override_reason",
    "cancel_reason",
    "first_contact_resolution",
    "handover_count",
    "repeat_of_id",
    "satisfaction_score",
}
MANAGER_GROUP = "store_service_crm.group_store_service_manager"
SEVERITIES = ("low", "medium", "high", "critical")


class StoreComplaint(models.Model):
    _name = "store.complaint"
    _inherit = ["mail.thread", "mail.activity.mixin"]  # noqa: RUF012
    _description = "Customer Complaint"
    _order = "date_received desc, id desc"
    _check_company_auto = True

    def _default_team_id(self):
        return self.env["crm.team"]._store_service_default_store()

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, index="trigram", default="/"
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True, string="Customer Entity"
    )
    partner_email = fields.Char(related="partner_id.email", string="Email")
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    loyalty_tier_id = fields.Many2one(
        "store.loyalty.tier",
        string="Customer Tier",
        compute="_compute_loyalty_tier_id",
        store=True,
        readonly=True,
        help="The customer's tier when the complaint was registered: it sets the SLA.",
    )
    is_vip = fields.Boolean(
        string="VIP",
        compute="_compute_loyalty_tier_id",
        store=True,
        readonly=True,
        help="The customer's tier is one of the VIP tiers (Settings): the complaint goes to "
        "the VIP queue.",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id), ('state', '!=', 'cancel')] "
        "if commercial_partner_id else [('state', '!=', 'cancel')]",
    )
    order_product_ids = fields.Many2many(
        "product.product", compute="_compute_order_product_ids", string="Products of the Order"
    )
    product_id = fields.Many2one(
        "product.product",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('id', 'in', order_product_ids)] if sale_order_id else [('sale_ok', '=', True)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Store",
        index=True,
        tracking=True,
        default=lambda self: self._default_team_id(),
        check_company=True,
        domain=lambda self: self.env["crm.team"]._store_service_selectable_domain(),
    )
    user_id = fields.Many2one(
        "res.users",
        string="Handler",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    channel = fields.Selection(
        [
            ("store", "In store"),
            ("phone", "Phone"),
            ("online", "Online"),
            ("social", "Social media"),
            ("email", "Email"),
            ("other", "Other"),
        ],
        required=True,
        default="store",
    )
    category_id = fields.Many2one(
        "store.complaint.category", required=True, tracking=True, check_company=True
    )
    severity = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")],
        required=True,
        default="medium",
        tracking=True,
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "VIP")], compute="_compute_priority", store=True, readonly=False
    )
    description = fields.Text(required=True)
    customer_request = fields.Text(help="What the customer expects: in their own words.")
    state = fields.Selection(
        [
            ("new", "New"),
            ("assigned", "Assigned"),
            ("in_progress", "In Progress"),
            ("resolved", "Resolved"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="new",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand="_group_expand_states",
    )
    date_received = fields.Datetime(
        string="Received", required=True, default=fields.Datetime.now, index=True, tracking=True
    )
    date_first_response = fields.Datetime(string="First Response", readonly=True, copy=False)
    date_resolved = fields.Datetime(string="Resolved On", readonly=True, copy=False)
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    response_deadline = fields.Datetime(
        compute="_compute_deadlines", store=True, index=True, copy=False
    )
    resolution_deadline = fields.Datetime(
        compute="_compute_deadlines", store=True, index=True, copy=False
    )
    is_response_overdue = fields.Boolean(
        string="Response Overdue",
        compute="_compute_overdue",
        search="_search_is_response_overdue",
    )
    is_resolution_overdue = fields.Boolean(
        string="Resolution Overdue",
        compute="_compute_overdue",
        search="_search_is_resolution_overdue",
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_overdue", search="_search_is_overdue"
    )
    escalation_level = fields.Integer(
        readonly=True,
        copy=False,
        default=0,
        help="0: not escalated, 1: escalated to the store manager, "
        "2: escalated to the service manager.",
    )
    date_escalated = fields.Datetime(string="Last Escalation", readonly=True, copy=False)
    can_close = fields.Boolean(
        compute="_compute_can_close",
        help="Technical: the complaint is resolved and the customer confirmed the "
        "resolution, so that closing it succeeds.",
    )
    responsibility = fields.Selection(
        [
            ("product", "Product"),
            ("installation", "Installation"),
            ("logistics", "Logistics"),
            ("staff", "Staff"),
            ("customer", "Customer use"),
            ("unknown", "Unknown"),
        ],
        tracking=True,
    )
    root_cause = fields.Text()
    resolution_type = fields.Selection(
        [
            ("repair", "Repair"),
            ("replace", "Replacement"),
            ("refund", "Refund"),
            ("exchange", "Exchange"),
            ("compensation", "Compensation"),
            ("apology", "Apology"),
            ("explanation", "Explanation"),
            ("other", "Other"),
        ],
        tracking=True,
    )
    resolution_note = fields.Text(string="Resolution")
    compensation_amount = fields.Monetary(currency_field="currency_id", tracking=True)
    first_contact_resolution = fields.Boolean(
        string="One-pass Resolution",
        compute="_compute_first_contact_resolution",
        store=True,
        readonly=True,
        copy=False,
        tracking=True,
        help="Resolved in one pass: never reopened, not handed over to another handler, and "
        "no repeat complaint of the customer about the same order or product within the "
        "repeat window. Recomputed when any of these happens.",
    )
    handover_count = fields.Integer(
        string="Handovers",
        readonly=True,
        copy=False,
        default=0,
        help="Times the complaint was handed over to another handler after assignment.",
    )
    promised_date = fields.Date(
        tracking=True, help="Date promised to the customer for the resolution."
    )
    promise_status = fields.Selection(
        [("none", "No promise"), ("pending", "Pending"), ("kept", "Kept"), ("broken", "Broken")],
        compute="_compute_promise_status",
        store=True,
        index=True,
    )
    reopen_count = fields.Integer(readonly=True, copy=False, default=0)
    satisfaction_score = fields.Float(
        copy=False, aggregator="avg", help="Customer satisfaction (1-5)."
    )
    # Return visits (store.return.visit): the visit this complaint was opened from,
    # and the visits planned for it (verification after resolution).
    origin_visit_id = fields.Many2one(
        "store.return.visit",
        string="Opened From Visit",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    return_visit_ids = fields.One2many("store.return.visit", "complaint_id", string="Return Visits")
    return_visit_count = fields.Integer(compute="_compute_return_visit_count")
    repeat_of_id = fields.Many2one(
        "store.complaint", readonly=True, copy=False, index="btree_not_null"
    )
    is_repeat = fields.Boolean(
        string="Repeat Complaint", compute="_compute_is_repeat", store=True, readonly=True
    )
    repeat_ids = fields.One2many("store.complaint", "repeat_of_id", string="Repeated By")
    refund_move_id = fields.Many2one(
        "account.move",
        string="Credit Note",
        copy=False,
        check_company=True,
        domain="[('move_type', '=', 'out_refund'), "
        "('commercial_partner_id', '=', commercial_partner_id)]",
    )
    replacement_order_id = fields.Many2one(
        "sale.order", copy=False, check_company=True, index="btree_not_null"
    )
    close_override_reason = fields.Text(readonly=True, copy=False)
    cancel_reason = fields.Text(
        readonly=True,
        copy=False,
        tracking=True,
        help="Why the complaint was cancelled (required by the Cancel action).",
    )

    _sql_constraints = [  # noqa: RUF012
        (
            "compensation_amount_positive",
            "CHECK(compensation_amount >= 0)",
            "The compensation amount cannot be negative.",
        ),
        ("reopen_count_positive", "CHECK(reopen_count >= 0)", "Invalid reopen count."),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.model
    def _web_read_group(
        self, domain, fields, groupby, limit=None, offset=0, orderby=False, lazy=True
    ):
        """The queue grouped by state: the empty columns come folded (they keep their
        place in the workflow without taking the width)."""
        groups = super()._web_read_group(  # pylint: disable=no-member
            domain, fields, groupby, limit, offset, orderby, lazy
        )
        first = groupby[0] if isinstance(groupby, (list, tuple)) and groupby else groupby
        if first == "state":
            for group in groups:
                count = group.get("state_count", group.get("__count"))
                if not count:
                    group["__fold"] = True
        return groups

    @api.depends("sale_order_id")
    def _compute_order_product_ids(self):
        for complaint in self:
            # the customer's order may belong to another salesperson: its products
            # are shown to the store clerk who files the complaint
            complaint.order_product_ids = complaint.sale_order_id.sudo().order_line.product_id

    @api.depends("partner_id", "company_id")
    def _compute_loyalty_tier_id(self):
        for complaint in self:
            tier = complaint.partner_id.commercial_partner_id.loyalty_tier_id
            company = complaint.company_id or self.env.company
            complaint.loyalty_tier_id = tier
            complaint.is_vip = bool(tier and tier in company.complaint_vip_tier_ids)

    @api.depends("is_vip")
    def _compute_priority(self):
        for complaint in self:
            complaint.priority = "1" if complaint.is_vip else "0"

    def _get_sla_base_hours(self):
        """(response hours, resolution hours) before the severity factor: those of the
        customer's tier, else the company defaults."""
        self.ensure_one()
        company = self.company_id or self.env.company
        tier = self.loyalty_tier_id
        return (
            tier.response_hours or company.complaint_response_hours,
            tier.resolution_hours or company.complaint_resolution_hours,
        )

    def _get_severity_factor(self):
        self.ensure_one()
        company = self.company_id or self.env.company
        return company[f"complaint_factor_{self.severity or 'medium'}"] or 1.0

    def _add_sla_hours(self, start, hours):
        """Deadline ``hours`` after ``start``: clock hours, or working hours of the
        company calendar when the setting asks for it."""
        self.ensure_one()
        company = self.company_id or self.env.company
        calendar = company.resource_calendar_id
        if company.complaint_sla_working_hours and calendar and hours > 0:
            deadline = calendar.plan_hours(hours, start, compute_leaves=True)
            if deadline:
                return deadline
        return start + timedelta(hours=hours)

    @api.depends("date_received", "severity", "company_id", "loyalty_tier_id")
    def _compute_deadlines(self):
        for complaint in self:
            if not complaint.date_received:
                complaint.response_deadline = complaint.resolution_deadline = False
                continue
            response_hours, resolution_hours = complaint._get_sla_base_hours()
            factor = complaint._get_severity_factor()
            complaint.response_deadline = complaint._add_sla_hours(
                complaint.date_received, response_hours * factor
            )
            complaint.resolution_deadline = complaint._add_sla_hours(
                complaint.date_received, resolution_hours * factor
            )

    @api.depends_context("uid")
    @api.depends("state", "date_first_response", "response_deadline", "resolution_deadline")
    def _compute_overdue(self):
        now = fields.Datetime.now()
        for complaint in self:
            complaint.is_response_overdue = bool(
                complaint.state in UNANSWERED_STATES
                and not complaint.date_first_response
                and complaint.response_deadline
                and complaint.response_deadline < now
            )
            complaint.is_resolution_overdue = bool(
                complaint.state in OPEN_STATES
                and complaint.resolution_deadline
                and complaint.resolution_deadline < now
            )
            complaint.is_overdue = complaint.is_response_overdue or complaint.is_resolution_overdue

    @api.model
    def _response_overdue_domain(self):
        return [
            ("state", "in", UNANSWERED_STATES),
            ("date_first_response", "=", False),
            ("response_deadline", "<", fields.Datetime.now()),
        ]

    @api.model
    def _resolution_overdue_domain(self):
        return [
            ("state", "in", OPEN_STATES),
            ("resolution_deadline", "<", fields.Datetime.now()),
        ]

    @api.model
    def _overdue_search(self, operator, value, domain):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on an overdue flag: %s", operator))
        positive = (operator == "=") == bool(value)
        domain = expression.normalize_domain(domain)
        return domain if positive else ["!", *domain]

    def _search_is_response_overdue(self, operator, value):
        return self._overdue_search(operator, value, self._response_overdue_domain())

    def _search_is_resolution_overdue(self, operator, value):
        return self._overdue_search(operator, value, self._resolution_overdue_domain())

    def _search_is_overdue(self, operator, value):
        return self._overdue_search(
            operator,
            value,
            expression.OR([self._response_overdue_domain(), self._resolution_overdue_domain()]),
        )

    @api.depends("promised_date", "date_resolved")
    def _compute_promise_status(self):
        for complaint in self:
            if not complaint.promised_date:
                complaint.promise_status = "none"
            elif not complaint.date_resolved:
                complaint.promise_status = "pending"
            else:
                resolved_day = fields.Date.context_today(complaint, complaint.date_resolved)
                complaint.promise_status = (
                    "kept" if resolved_day <= complaint.promised_date else "broken"
                )

    @api.depends("date_resolved", "reopen_count", "handover_count", "repeat_ids.state")
    def _compute_first_contact_resolution(self):
        """One-pass resolution (DESIGN.md, "KPI definitions"): resolved, never reopened,
        never handed over, and no repeat complaint (not cancelled) points at it. No clock
        window: a case that needs a site visit counts when it is solved in one pass."""
        for complaint in self:
            complaint.first_contact_resolution = bool(
                complaint.date_resolved
                and not complaint.reopen_count
                and not complaint.handover_count
                and not any(repeat.state != "cancelled" for repeat in complaint.repeat_ids)
            )

    @api.depends("repeat_of_id")
    def _compute_is_repeat(self):
        for complaint in self:
            complaint.is_repeat = bool(complaint.repeat_of_id)

    # ------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------
    @api.constrains("compensation_amount")
    def _check_compensation_amount(self):
        if any(c.compensation_amount < 0 for c in self):
            raise ValidationError(self.env._("The compensation amount cannot be negative."))

    @api.constrains(
        "description", "customer_request", "root_cause", "resolution_note", "cancel_reason"
    )
    def _check_texts(self):
        check_not_blank(self, ["description"])
        check_text_fields(
            self,
            ["description", "customer_request", "root_cause", "resolution_note", "cancel_reason"],
        )

    @api.constrains("satisfaction_score")
    def _check_satisfaction_score(self):
        for complaint in self:
            score = complaint.satisfaction_score
            if score and not 1 <= score <= 5:
                raise ValidationError(
                    self.env._("The satisfaction score is between 1 and 5 (0: not rated).")
                )

    @api.constrains(
        "date_received", "date_first_response", "date_resolved", "date_closed", "promised_date"
    )
    def _check_dates(self):
        for complaint in self:
            received = complaint.date_received
            if not received:
                continue
            for name in ("date_first_response", "date_resolved", "date_closed"):
                if complaint[name] and complaint[name] < received:
                    raise ValidationError(
                        self.env._(
                            "%(complaint)s: %(field)s cannot be before the date received.",
                            complaint=complaint.name,
                            field=complaint._fields[name]._description_string(self.env),
                        )
                    )
            received_day = fields.Date.context_today(complaint, received)
            if complaint.promised_date and complaint.promised_date < received_day:
                raise ValidationError(
                    self.env._(
                        "%(complaint)s: the promised date cannot be before the date received.",
                        complaint=complaint.name,
                    )
                )

    @api.constrains("sale_order_id", "partner_id", "product_id")
    def _check_sale_order(self):
        self._check_complaint_order("sale_order_id", "order_line")

    def _check_complaint_order(self, order_field, lines_field):
        """The order in ``order_field`` (a sale order, or a POS order in the POS bridge)
        belongs to the complaint's customer and holds its product (in ``lines_field``).
        Read in superuser mode: the order may be another salesperson's."""
        for complaint in self:
            order = complaint[order_field].sudo()
            if not order:
                continue
            if (
                complaint.partner_id
                and order.partner_id.commercial_partner_id != complaint.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "The order %(order)s belongs to another customer than %(partner)s.",
                        order=order.name,
                        partner=complaint.partner_id.display_name,
                    )
                )
            if complaint.product_id and complaint.product_id not in order[lines_field].product_id:
                raise ValidationError(
                    self.env._(
                        "The product %(product)s is not part of the order %(order)s.",
                        product=complaint.product_id.display_name,
                        order=order.name,
                    )
                )

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        # the order may belong to another salesperson (sale's "own documents" rule):
        # the complaint's form only reads its customer, store and products
        order = self.sale_order_id.sudo()
        if not order:
            return
        if not self.partner_id:
            self.partner_id = order.partner_id
        if self.env["crm.team"]._store_service_allowed(order.team_id):
            self.team_id = order.team_id
        if self.product_id and self.product_id not in order.order_line.product_id:
            self.product_id = False
        if not self.product_id and len(order.order_line.product_id) == 1:
            self.product_id = order.order_line.product_id

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_workflow_update(vals, creating=True)
        # a kanban grouped by state passes its column as default: always register as new
        for vals in vals_list:
            vals.setdefault("state", "new")
        orders = (
            self.env["sale.order"]
            .browse([vals["sale_order_id"] for vals in vals_list if vals.get("sale_order_id")])
            .sudo()
        )
        Team = self.env["crm.team"]
        for vals in vals_list:
            if vals.get("sale_order_id"):
                order = orders.filtered(lambda o, v=vals: o.id == v["sale_order_id"])
                vals.setdefault("partner_id", order.partner_id.id)
                if order.team_id and not vals.get("team_id"):
                    # the order's store, if the user may file complaints there
                    vals["team_id"] = Team._store_service_allowed(order.team_id).id
                vals.setdefault("company_id", order.company_id.id)
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company or self.env.company)
                    .next_by_code("store.complaint")
                    or "/"
                )
        Team._store_service_check_teams(
            Team.browse({vals["team_id"] for vals in vals_list if vals.get("team_id")}),
            self.env._("a complaint"),
        )
        complaints = self.browse(super().create(vals_list).ids)
        complaints._route_vip()
        complaints._detect_repeats()
        complaints._send_customer_mail("store_service_crm.mail_template_complaint_acknowledgement")
        return complaints

    def write(self, vals):
        if not self.env.su:
            self._check_workflow_update(vals)
        if {"first_contact_resolution", "handover_count"}.intersection(vals):
            raise UserError(
                self.env._(
                    "One-pass resolution and handovers are computed from the complaint's "
                    "history: they cannot be written."
                )
            )
        handed_over = self._handed_over(vals)
        if vals.get("team_id") and any(c.team_id.id != vals["team_id"] for c in self):
            self.env["crm.team"]._store_service_check_teams(
                self.env["crm.team"].browse(vals["team_id"]), self.env._("a complaint")
            )
        res = super().write(vals)
        for complaint in handed_over:
            # past the check above: the count is written by this method only
            super(StoreComplaint, complaint).write({"handover_count": complaint.handover_count + 1})
        return res

    def _handed_over(self, vals):
        """The complaints that ``vals`` hands over to another handler after assignment
        (a handover ends one-pass resolution)."""
        if "user_id" not in vals:
            return self.browse()
        return self.filtered(
            lambda c: c.state != "new" and c.user_id and c.user_id.id != vals["user_id"]
        )

    def _workflow_doors(self):
        """The fields only the actions write (see ``refuse_workflow_fields``); each
        feature adds its own door."""
        return [
            WorkflowDoor(
                frozenset(WORKFLOW_FIELDS),
                _lt(
                    "The state and the workflow figures of a complaint (%(fields)s) change "
                    "only through its actions (Assign, Start, Resolve, Close, Reopen, Cancel)."
                ),
                # the state of a new complaint is checked on its own (always new)
                on_create={"state": None},
            )
        ]

    def _check_workflow_update(self, vals, creating=False):
        """The one door: refuse what only the actions (or a manager) may change.

        Called by ``create``/``write`` for every caller that is not in superuser
        mode, whatever its context: a JSON-RPC client sets any context it likes,
        but cannot switch to superuser. The actions check the state and the
        user's rights themselves, then write in superuser mode."""
        if creating and vals.get("state", "new") != "new":
            raise UserError(self.env._("A complaint is always registered as new."))
        refuse_workflow_fields(self, vals, creating=creating)
        if creating:
            received = vals.get("date_received")
            if received and fields.Datetime.to_datetime(received) > fields.Datetime.now() + (
                timedelta(minutes=5)
            ):
                raise UserError(self.env._("A complaint cannot be received in the future."))
            return
        is_manager = self.env.user.has_group(MANAGER_GROUP)
        if "date_received" in vals and not is_manager:
            raise UserError(
                self.env._(
                    "Only a service manager can change when a complaint was received: "
                    "it sets the deadlines the handling is measured by."
                )
            )
        if "active" in vals and not is_manager:
            raise UserError(
                self.env._(
                    "Only a service manager can archive or restore a complaint: "
                    "cancel it with a reason instead."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_handled(self):
        """Only a service manager deletes a complaint, and only a fresh one (new,
        nobody answered or wrote about it); everyone else cancels with a reason."""
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(
                self.env._(
                    "Only a service manager can delete a complaint: cancel it with a reason."
                )
            )
        if any(c.state != "new" or c.date_first_response for c in self):
            raise UserError(
                self.env._(
                    "A complaint that is being handled cannot be deleted: cancel it with a reason."
                )
            )
        visits = (
            self.env["store.return.visit"]
            .sudo()
            .search_count(
                ["|", ("complaint_id", "in", self.ids), ("id", "in", self.origin_visit_id.ids)],
                limit=1,
            )
        )
        if visits:
            raise UserError(
                self.env._(
                    "A complaint linked to return visits cannot be deleted: cancel it with a "
                    "reason."
                )
            )

    def unlink(self):
        # before mail.thread deletes the messages (the ondelete checks run after that)
        if not self.env.context.get(MODULE_UNINSTALL_FLAG):
            self._check_unlink_no_messages()
        return super().unlink()

    def _check_unlink_no_messages(self):
        with_messages = (
            self.env["mail.message"]
            .sudo()
            ._read_group(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("message_type", "in", ("comment", "email")),
                ],
                ["res_id"],
            )
        )
        if with_messages:
            raise UserError(
                self.env._("A complaint with messages cannot be deleted: cancel it with a reason.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _check_state(self, allowed, action_label):
        """Lock the complaints for the action, then check the state it starts from.

        Two users acting on one complaint at once (resolve and cancel): the first
        one locks it until their transaction ends, the second one gets a clear
        error instead of waiting, or of overwriting what the first one did."""
        self._lock_for_action()
        wrong = self.filtered(lambda c: c.state not in allowed)
        if wrong:
            state_labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(action)s is not possible for %(complaint)s in state %(state)s.",
                    action=action_label,
                    complaint=wrong[0].name,
                    state=state_labels[wrong[0].state],
                )
            )

    def _lock_for_action(self):
        ids = [record_id for record_id in self.ids if isinstance(record_id, int)]
        if not ids:
            return
        self.flush_recordset()
        error = lock_rows_nowait(self.env.cr, self._table, ids)
        if error is not None:
            names = ", ".join(self.mapped("name")[:3])
            if error == LOCK_NOT_AVAILABLE:
                raise UserError(
                    self.env._(
                        "Someone else is changing the complaint %(complaint)s right now: "
                        "wait a moment, reload it and try again.",
                        complaint=names,
                    )
                )
            raise UserError(
                self.env._(
                    "The complaint %(complaint)s was just changed by someone else: "
                    "reload it and try again.",
                    complaint=names,
                )
            )
        # read the state again now that nobody else can change it
        self.invalidate_recordset()

    @api.model
    def _action_register(self, defaults):
        """The "Register complaint" form, pre-filled with ``defaults`` (context keys),
        as opened from a customer or a sale order."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Register complaint"),
            "res_model": "store.complaint",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": defaults,
        }

    def _workflow_write(self, vals):
        """Write workflow fields for an action, after checking that the user may
        change these complaints (access rights and record rules, as themselves).
        The write itself runs in superuser mode: it is the only way past
        ``_check_workflow_update``; the tracking still names the user."""
        self.check_access("write")
        res = self.sudo().write(vals)
        # the rows are locked by the action already: write them now, so that what reads
        # SQL in this transaction (KPIs, escalation, rules) sees the new state
        self.flush_recordset()
        return res

    def action_assign(self):
        """new -> assigned; the handler defaults to the current user."""
        self._check_state(("new",), self.env._("Assign"))
        without_handler = self.filtered(lambda c: not c.user_id)
        if without_handler:
            without_handler.write({"user_id": self.env.uid})
        self._workflow_write({"state": "assigned"})
        return True

    def action_start(self):
        """assigned -> in_progress; stamps the first response."""
        self._check_state(("assigned",), self.env._("Start"))
        now = fields.Datetime.now()
        unanswered = self.filtered(lambda c: not c.date_first_response)
        unanswered._workflow_write({"date_first_response": now})
        self._workflow_write({"state": "in_progress"})
        return True

    def action_resolve(self):
        """in_progress -> resolved, once cause and resolution are recorded."""
        self._check_state(("in_progress",), self.env._("Resolve"))
        for complaint in self:
            if not complaint.responsibility or not complaint.resolution_type:
                raise UserError(
                    self.env._(
                        "Record who is responsible and how %(complaint)s was resolved "
                        "before resolving it.",
                        complaint=complaint.name,
                    )
                )
            if (
                complaint.responsibility in ("product", "installation")
                and not (complaint.root_cause or "").strip()
            ):
                raise UserError(
                    self.env._(
                        "Describe the root cause of %(complaint)s: it is required when the "
                        "product or the installation is responsible.",
                        complaint=complaint.name,
                    )
                )
        self._workflow_write({"state": "resolved", "date_resolved": fields.Datetime.now()})
        self._schedule_verification_visits()
        self._send_customer_mail("store_service_crm.mail_template_complaint_resolution")
        return True

    def action_close(self):
        """resolved -> closed, once the resolution is verified with the customer."""
        self._check_state(("resolved",), self.env._("Close"))
        override = self.env.context.get("store_complaint_close_reason")
        if override:
            if not self.env.user.has_group("store_service_crm.group_store_service_manager"):
                raise UserError(
                    self.env._("Only a service manager can close without verification.")
                )
        else:
            unverified = self.filtered(lambda c: not c._is_verified())
            if unverified:
                raise UserError(
                    self.env._(
                        "%(complaint)s cannot be closed before the customer has confirmed the "
                        "resolution: complete the verification visit, wait for the customer's "
                        "rating, or ask a manager to close it with a reason.",
                        complaint=unverified[0].name,
                    )
                )
        vals = {"state": "closed", "date_closed": fields.Datetime.now()}
        if override:
            vals["close_override_reason"] = override
        self._workflow_write(vals)
        if override:
            for complaint in self:
                complaint.message_post(
                    body=self.env._(
                        "Closed without verification by %(user)s. Reason: %(reason)s",
                        user=self.env.user.name,
                        reason=override,
                    ),
                )
        return True

    def action_reopen(self):
        """resolved/closed -> in_progress; counts the reopening. The pending verification
        visits of the previous resolution are cancelled: a new one follows the next one."""
        self._check_state(("resolved", "closed"), self.env._("Reopen"))
        pending = self.return_visit_ids.filtered(
            lambda v: v.origin == "complaint" and v.state in ("planned", "unreachable")
        )
        if pending:
            pending.sudo().action_cancel()
        for complaint in self:
            complaint._workflow_write(
                {
                    "state": "in_progress",
                    "reopen_count": complaint.reopen_count + 1,
                    "date_resolved": False,
                    "date_closed": False,
                    "close_override_reason": False,
                    "satisfaction_score": 0,
                }
            )
        return True

    def action_cancel(self, reason=None):
        """new/assigned/in_progress -> cancelled, with the reason (required, tracked).

        The form's Cancel button opens a small wizard asking for it
        (:meth:`action_open_cancel_wizard`)."""
        reason = reason.strip() if isinstance(reason, str) else None
        if not reason:
            raise UserError(self.env._("Give the reason for cancelling the complaint."))
        self._check_state(OPEN_STATES, self.env._("Cancel"))
        self._workflow_write({"state": "cancelled", "cancel_reason": reason})
        return True

    def action_open_cancel_wizard(self):
        self._check_state(OPEN_STATES, self.env._("Cancel"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel complaint"),
            "res_model": "store.complaint.close.wizard",
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("store_service_crm.store_complaint_cancel_wizard_view_form").id,
                    "form",
                )
            ],
            "target": "new",
            "context": {"default_complaint_ids": self.ids, "default_mode": "cancel"},
        }

    def action_open_close_wizard(self):
        self.ensure_one()
        self._check_state(("resolved",), self.env._("Close"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close without verification"),
            "res_model": "store.complaint.close.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_ids": self.ids},
        }

    def action_open_resolve_wizard(self):
        """The Resolve button: one dialog asking responsibility, resolution and root
        cause up front, which then calls :meth:`action_resolve`."""
        self.ensure_one()
        self._check_state(("in_progress",), self.env._("Resolve"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Resolve complaint"),
            "res_model": "store.complaint.resolve.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def action_open_assign_wizard(self):
        """The Assign button: choose the handler among the store's members (default: me)."""
        self._check_state(("new",), self.env._("Assign"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Assign complaint"),
            "res_model": "store.complaint.assign.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_complaint_ids": self.ids},
        }

    @api.depends("state", "date_resolved", "return_visit_ids.state", "return_visit_ids.date_done")
    def _compute_can_close(self):
        for complaint in self:
            complaint.can_close = complaint.state == "resolved" and complaint._is_verified()

    def action_open_verification_visit(self):
        """The primary step of a resolved complaint not verified yet: the visit asking
        the customer to confirm the resolution."""
        self.ensure_one()
        visits = self._verification_visits().filtered(
            lambda v: v.state in ("planned", "unreachable")
        )
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Verification visits"),
            "res_model": "store.return.visit",
            "target": "current",
        }
        if len(visits) == 1:
            action.update({"res_id": visits.id, "view_mode": "form", "views": [(False, "form")]})
            return action
        action.update(
            {
                "view_mode": "list,form",
                "views": [(False, "list"), (False, "form")],
                "domain": [("complaint_id", "=", self.id)],
                "context": {
                    "default_complaint_id": self.id,
                    "default_partner_id": self.partner_id.id,
                    "default_origin": "complaint",
                    "default_team_id": self.team_id.id,
                },
            }
        )
        return action

    def action_create_credit_note(self):
        """Create a draft customer credit note for the compensation, linked to the complaint."""
        self.ensure_one()
        if self.refund_move_id:
            raise UserError(self.env._("%s already has a credit note.", self.name))
        if self.compensation_amount <= 0:
            raise UserError(
                self.env._(
                    "Set the amount to refund in Compensation Amount on %s first.", self.name
                )
            )
        journal = self.env["account.journal"].search(
            [
                ("type", "=", "sale"),
                *self.env["account.journal"]._check_company_domain(self.company_id),
            ],
            limit=1,
        )
        if not journal:
            raise UserError(self.env._("Configure accounting (a sales journal) first."))
        line = {
            "name": self.env._("Compensation for complaint %s", self.name),
            "quantity": 1,
            "price_unit": self.compensation_amount,
        }
        if self.product_id:
            line["product_id"] = self.product_id.id
            line["tax_ids"] = [fields.Command.clear()]
        move = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.partner_id.id,
                "journal_id": journal.id,
                "company_id": self.company_id.id,
                "invoice_origin": self.name,
                "ref": self.name,
                "invoice_line_ids": [fields.Command.create(line)],
            }
        )
        self.refund_move_id = move
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": move.id,
            "view_mode": "form",
        }

    def action_create_replacement_order(self):
        """Create a quotation for the replacement, linked to the complaint."""
        self.ensure_one()
        if self.replacement_order_id:
            raise UserError(self.env._("%s already has a replacement order.", self.name))
        if not self.product_id:
            raise UserError(self.env._("Set the product to replace on %s first.", self.name))
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner_id.id,
                "team_id": self.team_id.id,
                "company_id": self.company_id.id,
                "origin": self.name,
                "order_line": [
                    fields.Command.create(
                        {"product_id": self.product_id.id, "product_uom_qty": 1, "price_unit": 0}
                    )
                ],
            }
        )
        self.replacement_order_id = order
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "view_mode": "form",
        }

    def _compute_return_visit_count(self):
        counts = dict(
            self.env["store.return.visit"]._read_group(
                [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]
            )
        )
        for complaint in self:
            complaint.return_visit_count = counts.get(complaint, 0) + (
                1 if complaint.origin_visit_id else 0
            )

    def action_view_return_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_service_crm.store_return_visit_action"
        )
        action["domain"] = [
            "|",
            ("complaint_id", "=", self.id),
            ("id", "=", self.origin_visit_id.id),
        ]
        action["context"] = {
            "default_complaint_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_team_id": self.team_id.id,
            "default_origin": "complaint",
            "search_default_group_state": 0,
        }
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _verification_visits(self):
        """The return visits verifying this resolution (planned by a complaint rule)."""
        self.ensure_one()
        return self.return_visit_ids.filtered(lambda v: v.origin == "complaint")

    def _is_verified(self):
        """The customer confirmed the current resolution: a verification visit was done
        (or the customer answered its rating link, which marks it done) after the
        complaint was last resolved."""
        self.ensure_one()
        return any(
            visit.state == "done" and visit.date_done and visit.date_done >= self.date_resolved
            for visit in self._verification_visits()
        )

    def _schedule_verification_visits(self):
        """Plan the verification visit through the ``complaint_resolved`` rules. The visit
        side owns the rule engine; it is idempotent (one visit per rule, complaint and
        reopen count), so a complaint resolved again after a reopen is verified again."""
        self.flush_recordset()
        return self.env["store.return.visit.rule"].sudo()._generate_for_complaints(self)

    def _send_customer_mail(self, template_xmlid):
        """Post the template to the customer when they have an email; never blocks.
        Not with the context key ``store_complaint_no_customer_mail`` (imports, demo
        history: the customers must not be mailed about the past)."""
        if self.env.context.get("store_complaint_no_customer_mail"):
            return
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        for complaint in self.filtered(lambda c: c.partner_id.email):
            try:
                with self.env.cr.savepoint():
                    # a system mail: posted whatever the user's rights on the complaint
                    # (a salesperson registering one from an order cannot write it)
                    complaint.sudo().with_context(
                        mail_notify_force_send=False, mail_post_autofollow=False
                    ).message_post_with_source(
                        template,
                        message_type="comment",
                        subtype_xmlid="mail.mt_comment",
                    )
            except Exception as error:  # a mail problem must never block the workflow
                if isinstance(error, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
                    # a concurrent update (e.g. of the customer's row): the whole request
                    # is retried by Odoo, the mail with it; swallowed here, the mail and
                    # the writes pending in the savepoint would be lost
                    raise
                _logger.exception(
                    "Could not send %s for complaint %s", template_xmlid, complaint.id
                )

    def _route_vip(self):
        """VIP complaints go to the VIP queue (the VIP store team of the settings, if any)."""
        for complaint in self.filtered("is_vip"):
            team = complaint.company_id.complaint_vip_team_id
            if team and complaint.team_id != team:
                # routing by the settings, whoever registered it
                complaint.sudo().write({"team_id": team.id})

    def _detect_repeats(self):
        """Link each complaint to the latest earlier complaint of the same customer about the
        same product or order within the repeat window (company setting): one SQL read
        for the set, then an ORM write (``repeat_of_id`` is a workflow figure: written
        in superuser mode, as the registration's consequence)."""
        if not self:
            return
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT c.id, (
                        SELECT p.id
                          FROM store_complaint p
                         WHERE p.commercial_partner_id = c.commercial_partner_id
                           AND p.state != 'cancelled'
                           AND (p.date_received, p.id) < (c.date_received, c.id)
                           AND p.date_received >= c.date_received
                               - make_interval(days => COALESCE(comp.complaint_repeat_days, 0))
                           AND ((c.product_id IS NOT NULL AND p.product_id = c.product_id)
                             OR (c.sale_order_id IS NOT NULL AND p.sale_order_id = c.sale_order_id))
                      ORDER BY p.date_received DESC, p.id DESC
                         LIMIT 1)
                  FROM store_complaint c
                  JOIN res_company comp ON comp.id = c.company_id
                 WHERE c.id = ANY(%s)
                   AND COALESCE(comp.complaint_repeat_days, 0) > 0
                """,
                self.ids,
            )
        )
        by_repeat = defaultdict(list)
        for complaint_id, repeat_id in self.env.cr.fetchall():
            if repeat_id:
                by_repeat[repeat_id].append(complaint_id)
        for repeat_id, complaint_ids in by_repeat.items():
            self.browse(complaint_ids).sudo().write({"repeat_of_id": repeat_id})

    @api.model
    def _cron_escalate(self, batch_size=500):
        """Escalate breached complaints, each level exactly once, in bounded batches.

        One batch per call (the cron runner commits and calls again while some
        remain). A run started while another one is in a batch skips: the other
        one continues until nothing remains."""
        if not try_advisory_xact_lock(self.env.cr, "complaint_escalation"):
            _logger.info("complaint escalation: already running elsewhere, skipped")
            return self.browse()
        level1 = self._escalate(1, batch_size)
        level2 = self._escalate(2, max(batch_size - len(level1), 0))
        remaining = self._escalation_candidates_count()
        self.env["ir.cron"]._notify_progress(done=len(level1) + len(level2), remaining=remaining)
        return level1 | level2

    def _escalation_condition(self, level):
        now = fields.Datetime.now()
        breached = SQL(
            "((c.state IN ('new', 'assigned') AND c.date_first_response IS NULL"
            " AND c.response_deadline < %(now)s) OR c.resolution_deadline < %(now)s)",
            now=now,
        )
        base = SQL("c.active AND c.state IN ('new', 'assigned', 'in_progress') AND %s", breached)
        if level == 1:
            return SQL("%s AND c.escalation_level = 0", base)
        return SQL(
            "%s AND c.escalation_level = 1 AND c.date_escalated <= %s"
            " - make_interval(secs => COALESCE(comp.complaint_escalation_delay_hours, 24) * 3600)",
            base,
            now,
        )

    def _escalation_candidates_count(self):
        self.env.cr.execute(
            SQL(
                """SELECT count(*) FROM store_complaint c
                     JOIN res_company comp ON comp.id = c.company_id
                    WHERE (%s) OR (%s)""",
                self._escalation_condition(1),
                self._escalation_condition(2),
            )
        )
        return self.env.cr.fetchone()[0]

    def _escalate(self, level, limit):
        """Mark up to ``limit`` complaints as escalated to ``level`` (the WHERE on the current
        level makes it happen once) and give the escalation activity to the right person."""
        if limit <= 0:
            return self.browse()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                UPDATE store_complaint
                   SET escalation_level = %(level)s, date_escalated = %(now)s
                 WHERE id IN (
                        SELECT c.id FROM store_complaint c
                          JOIN res_company comp ON comp.id = c.company_id
                         WHERE %(condition)s
                      ORDER BY c.resolution_deadline, c.id
                         LIMIT %(limit)s
                           FOR UPDATE OF c SKIP LOCKED)
             RETURNING id
                """,
                level=level,
                now=fields.Datetime.now(),
                condition=self._escalation_condition(level),
                limit=limit,
            )
        )
        complaints = self.browse(row[0] for row in self.env.cr.fetchall())
        complaints.invalidate_recordset(["escalation_level", "date_escalated"])
        if complaints:
            complaints._create_escalation_activities(level)
        return complaints

    def _escalation_user(self, level):
        self.ensure_one()
        if level == 1:
            return self.team_id.user_id or self.company_id.complaint_service_manager_id
        return self.company_id.complaint_service_manager_id or self.team_id.user_id

    def _escalation_summary(self, level, user):
        """The escalation to-do's summary, in ``user``'s language."""
        self.ensure_one()
        env = self.with_context(lang=user.lang or self.env.lang).env
        if level == 1:
            return env._("SLA breached: %s", self.name)
        return env._("SLA still breached, escalated: %s", self.name)

    def _create_escalation_activities(self, level):
        activity_type = self.env.ref(
            "store_service_crm.mail_activity_type_complaint_escalation", raise_if_not_found=False
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        vals_list = []
        for complaint in self:
            user = complaint._escalation_user(level)
            if not user:
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": complaint.id,
                    "activity_type_id": activity_type.id if activity_type else False,
                    "user_id": user.id,
                    "date_deadline": today,
                    # in the language of the person who reads it (a cron has none)
                    "summary": complaint._escalation_summary(level, user),
                }
            )
        if vals_list:
            self.env["mail.activity"].sudo().create(vals_list)
