from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, LazyTranslate, create_index
from odoo.tools.misc import format_date

from ..tools import WorkflowDoor, check_text_fields, refuse_workflow_fields
from .store_return_visit_rule import VISIT_CHANNELS

_lt = LazyTranslate(__name__)

# Fields that only the actions (and the batch generation) write: refused in
# ``create``/``write`` for any caller that is not in superuser mode, whatever its
# context (the actions check the state and the user's rights, then write in sudo).
VISIT_WORKFLOW_FIELDS = {
    "state",
    "date_done",
    "attempt_count",
    "care_visit",
    "rule_id",
    "source_id",
    "period_key",
    "merged_into_id",
}
# What the customer said: recorded by ``action_done()`` (or the customer's rating
# link), frozen once the visit is done; a manager may correct it (tracked).
SCORE_FIELDS = {"csat_score", "nps_score", "nps_given", "feedback"}
MANAGER_GROUP = "store_service_crm.group_store_service_manager"

# visit channel -> complaint channel
COMPLAINT_CHANNEL = {
    "phone": "phone",
    "visit": "store",
    "sms": "other",
    "email": "email",
    "messaging": "social",
}


class StoreReturnVisit(models.Model):
    """One follow-up of a customer: a call, a visit, a message.

    States change through actions only: ``action_done()``,
    ``action_unreachable()`` (one failed attempt: +1 day, unreachable after
    the company's maximum attempts), ``action_cancel()``, ``action_reset()``.
    The customer can also rate the visit through a rating link (rating.mixin):
    see ``_apply_customer_rating()``.
    """

    _name = "store.return.visit"
    _inherit = ["rating.mixin", "mail.activity.mixin"]  # noqa: RUF012
    _description = "Return Visit"
    _order = "scheduled_date, id"
    _rec_names_search = ["partner_id.complete_name"]  # noqa: RUF012
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id")
    phone = fields.Char(related="partner_id.phone")
    origin = fields.Selection(
        [
            ("sale", "After a purchase"),
            ("complaint", "After a complaint"),
            ("maintenance", "Periodic maintenance"),
            ("birthday", "Birthday"),
            ("manual", "Manual"),
        ],
        required=True,
        default="manual",
    )
    sale_order_id = fields.Many2one(
        "sale.order", string="Sale order", index="btree_not_null", check_company=True
    )
    complaint_id = fields.Many2one(
        "store.complaint",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="The complaint this visit verifies, or the complaint opened from this visit.",
    )
    rule_id = fields.Many2one("store.return.visit.rule", ondelete="set null", readonly=True)
    source_id = fields.Integer(
        readonly=True,
        help="Technical: id of the order, complaint or partner the rule planned it for.",
    )
    period_key = fields.Integer(
        readonly=True,
        help="Technical: birthday year, maintenance period or complaint reopen count.",
    )
    care_visit = fields.Boolean(readonly=True, help="Planned from the customers-at-risk list.")
    scheduled_date = fields.Date(
        required=True, index=True, default=fields.Date.context_today, tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned to",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Store",
        index=True,
        check_company=True,
        domain=lambda self: self.env["crm.team"]._store_service_selectable_domain(),
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    channel = fields.Selection(VISIT_CHANNELS, required=True, default="phone")
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("done", "Done"),
            ("unreachable", "Unreachable"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="planned",
        readonly=True,
        tracking=True,
        copy=False,
    )
    attempt_count = fields.Integer(
        string="Failed attempts",
        readonly=True,
        copy=False,
        help="Calls that did not reach the customer.",
    )
    date_done = fields.Datetime(readonly=True, copy=False)
    csat_score = fields.Integer(
        string="CSAT (1-5)",
        copy=False,
        tracking=True,
        help="Satisfaction, 1 (very unhappy) to 5 (very happy); 0: not asked.",
        # a sum of scores means nothing, and 0 (not asked) spoils an average:
        # satisfaction figures come from the KPI engine
        aggregator=None,
    )
    nps_score = fields.Integer(
        string="NPS (0-10)",
        copy=False,
        tracking=True,
        help="How likely the customer recommends us, 0 to 10.",
        aggregator=None,
    )
    nps_given = fields.Boolean(
        string="NPS answered",
        copy=False,
        tracking=True,
        help="Set whenever a recommendation score was given, 0 included (tells the "
        "strongest detractor from no answer).",
    )
    feedback = fields.Text(copy=False, tracking=True)
    can_edit_answer = fields.Boolean(
        compute="_compute_can_edit_answer",
        help="Technical: the answer is open (visit not done nor cancelled), or the user "
        "is a service manager (who may correct it).",
    )
    opened_complaint_ids = fields.One2many(
        "store.complaint", "origin_visit_id", string="Complaints opened from this visit"
    )
    suggest_complaint = fields.Boolean(compute="_compute_suggest_complaint")
    is_overdue = fields.Boolean(compute="_compute_is_overdue")

    @api.depends("partner_id", "scheduled_date")
    def _compute_display_name(self):
        for visit in self:
            date = format_date(self.env, visit.scheduled_date) if visit.scheduled_date else ""
            visit.display_name = f"{visit.partner_id.display_name or ''} - {date}"

    @api.depends("csat_score", "nps_score", "nps_given", "opened_complaint_ids")
    def _compute_suggest_complaint(self):
        """An unhappy answer (CSAT 2 or less, or a detractor's NPS: 6 or less, 0 included)
        and no complaint opened from the visit yet: the complaint is offered at once."""
        for visit in self:
            unhappy = 0 < visit.csat_score <= 2 or (visit.nps_given and visit.nps_score <= 6)
            visit.suggest_complaint = unhappy and not visit.opened_complaint_ids

    def action_open_visit(self):
        """Open the visit's form: the outcome is logged there, through Done, which records
        the scores and offers a complaint when the customer is unhappy."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "store.return.visit",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    @api.depends_context("uid")
    @api.depends("state")
    def _compute_can_edit_answer(self):
        is_manager = self.env.user.has_group(MANAGER_GROUP)
        for visit in self:
            visit.can_edit_answer = is_manager or visit.state in ("planned", "unreachable")

    @api.depends("scheduled_date", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for visit in self:
            visit.is_overdue = visit.state == "planned" and visit.scheduled_date < today

    @api.constrains("feedback")
    def _check_feedback(self):
        check_text_fields(self, ["feedback"])

    @api.constrains("csat_score", "nps_score")
    def _check_scores(self):
        for visit in self:
            if visit.csat_score and not 1 <= visit.csat_score <= 5:
                raise ValidationError(self.env._("The CSAT score is between 1 and 5."))
            if not 0 <= visit.nps_score <= 10:
                raise ValidationError(self.env._("The NPS score is between 0 and 10."))

    @api.onchange("nps_score")
    def _onchange_nps_score(self):
        # typing a score in the form is an answer, 0 included
        if self.state in ("planned", "unreachable"):
            self.nps_given = True

    _sql_constraints = [  # noqa: RUF012
        (
            "csat_score_range",
            "CHECK (csat_score BETWEEN 0 AND 5)",
            "The CSAT score is between 1 and 5.",
        ),
        (
            "nps_score_range",
            "CHECK (nps_score BETWEEN 0 AND 10)",
            "The NPS score is between 0 and 10.",
        ),
    ]

    def init(self):
        # last guard against duplicates: one visit per rule, source and period
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS store_return_visit_rule_source_period_uniq
                   ON store_return_visit (rule_id, source_id, period_key)
                WHERE rule_id IS NOT NULL"""
        )
        # one planned care visit per customer
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS store_return_visit_care_planned_uniq
                   ON store_return_visit (partner_id)
                WHERE care_visit AND state = 'planned'"""
        )
        create_index(
            self.env.cr,
            "store_return_visit_planned_date_index",
            self._table,
            ["user_id", "scheduled_date"],
            where="state = 'planned'",
        )
        # the generation sweeps recently cancelled orders
        create_index(
            self.env.cr,
            "sale_order_store_visit_cancel_write_date_index",
            "sale_order",
            ["write_date"],
            where="state = 'cancel'",
        )
        # the generation reads recently confirmed orders
        create_index(
            self.env.cr,
            "sale_order_store_visit_date_order_index",
            "sale_order",
            ["date_order"],
            where="state = 'sale'",
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_visit_update(vals, creating=True)
        vals_list = [self._with_nps_given(vals) for vals in vals_list]
        Team = self.env["crm.team"]
        Team._store_service_check_teams(
            Team.browse({vals["team_id"] for vals in vals_list if vals.get("team_id")}),
            self.env._("a return visit"),
        )
        visits = super().create(vals_list)
        visits.filtered(lambda v: v.state == "planned")._schedule_visit_activities()  # pylint: disable=no-member
        visits._after_scored()  # pylint: disable=no-member
        return visits

    def write(self, vals):
        if not self.env.su:
            self._check_visit_update(vals)
        vals = self._with_nps_given(vals)
        if vals.get("team_id") and any(v.team_id.id != vals["team_id"] for v in self):
            self.env["crm.team"]._store_service_check_teams(
                self.env["crm.team"].browse(vals["team_id"]), self.env._("a return visit")
            )
        res = super().write(vals)
        if "user_id" in vals or "scheduled_date" in vals:
            for visit in self:
                activities = visit._visit_activities()
                if not activities:
                    continue
                if visit.user_id:
                    activities.write(
                        {"user_id": visit.user_id.id, "date_deadline": visit.scheduled_date}
                    )
                else:
                    activities.unlink()
        if {"csat_score", "state"} & set(vals):
            self._after_scored()
        return res

    @api.model
    def _with_nps_given(self, vals):
        """An NPS given is an answer, 0 included: ``nps_given`` follows ``nps_score``
        unless the caller says it explicitly; a score above 0 is always an answer."""
        if "nps_score" not in vals:
            return vals
        score = vals["nps_score"]
        if "nps_given" not in vals:
            return dict(vals, nps_given=score is not None and score is not False)
        if score and not vals["nps_given"]:
            return dict(vals, nps_given=True)
        return vals

    def _workflow_doors(self):
        """The fields only the actions write (see ``refuse_workflow_fields``)."""
        return [
            WorkflowDoor(
                frozenset(VISIT_WORKFLOW_FIELDS),
                _lt(
                    "The state of a return visit (%(fields)s) changes only through its "
                    "actions (Done, Not reached, Cancel, Plan again)."
                ),
                # a visit is planned by whoever creates it (a care visit flags itself)
                on_create={"state": ("planned",), "care_visit": None},
            )
        ]

    def _visit_answer_fields(self):
        """What the customer said: frozen once the visit is done or cancelled."""
        return SCORE_FIELDS

    def _check_visit_update(self, vals, creating=False):
        """The one door of a visit: its state and counters change only through the
        actions; what the customer said is frozen once the visit is done, except for
        a manager. Whatever the context: only superuser mode passes."""
        refuse_workflow_fields(self, vals, creating=creating)
        if creating or not self._visit_answer_fields().intersection(vals):
            return
        closed = self.filtered(lambda v: v.state in ("done", "cancelled"))
        if closed and not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(
                self.env._(
                    "The answer recorded on the visit %(visit)s is final: only a service "
                    "manager can correct it.",
                    visit=closed[0].display_name,
                )
            )

    def _system_write(self, vals):
        """Write action fields after checking the user may change these visits (access
        rights and record rules, as themselves); the write runs in superuser mode, the
        only way past ``_check_visit_update``. The tracking still names the user."""
        self.check_access("write")
        return self.sudo().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda v: v.state not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "%(action)s is not possible for the visit %(visit)s in state %(state)s.",
                    action=action,
                    visit=wrong[0].display_name,
                    state=dict(wrong[0]._fields["state"]._description_selection(self.env))[
                        wrong[0].state
                    ],
                )
            )

    def action_done(self, csat_score=None, nps_score=None, feedback=None):
        """Record what the customer said and mark the visit done, in one step.

        The scores come as arguments (API) or from the form, saved before the
        button runs. An NPS of 0 is an answer. Needs a score (CSAT or NPS) or
        some feedback. Afterwards the answer is frozen (a manager may correct it).
        """
        self._check_state(("planned", "unreachable"), self.env._("Marking done"))
        answer = {}
        if csat_score is not None and csat_score is not False:
            answer["csat_score"] = csat_score
        if nps_score is not None and nps_score is not False:
            answer["nps_score"] = nps_score
        if feedback:
            answer["feedback"] = feedback
        for name, value in answer.items():
            if name != "feedback" and (isinstance(value, bool) or not isinstance(value, int)):
                raise UserError(
                    self.env._(
                        "%(field)s must be a whole number.",
                        field=self._fields[name]._description_string(self.env),
                    )
                )
        if answer:
            self.write(answer)
        missing = self.filtered(
            lambda v: not (v.csat_score or v.nps_given or (v.feedback or "").strip())
        )
        if missing:
            raise UserError(
                self.env._(
                    "Record what the customer said before closing the visit %(visit)s: "
                    "a satisfaction score or some feedback.",
                    visit=missing[0].display_name,
                )
            )
        self._system_write({"state": "done", "date_done": fields.Datetime.now()})
        for visit in self:
            visit._visit_activities().action_feedback(
                feedback=visit.feedback or self.env._("Return visit done.")
            )
        return True

    def action_unreachable(self):
        """One failed attempt: try again tomorrow, or give up after the maximum attempts."""
        self._check_state(("planned",), self.env._("Logging a failed attempt"))
        for visit in self:
            max_attempts = visit.company_id.return_visit_max_attempts or 3
            attempts = visit.attempt_count + 1
            if attempts >= max_attempts:
                visit._system_write({"attempt_count": attempts, "state": "unreachable"})
                visit._visit_activities().unlink()
                visit.message_post(
                    body=self.env._(
                        "Customer not reached after %(count)s attempts: visit marked unreachable.",
                        count=attempts,
                    )
                )
            else:
                new_date = max(visit.scheduled_date, fields.Date.context_today(self)) + timedelta(
                    days=1
                )
                visit._system_write({"attempt_count": attempts, "scheduled_date": new_date})
                visit.message_post(
                    body=self.env._(
                        "Attempt %(count)s: customer not reached, rescheduled to %(date)s.",
                        count=attempts,
                        date=format_date(self.env, new_date),
                    )
                )
        return True

    def action_cancel(self):
        self._check_state(("planned", "unreachable"), self.env._("Cancelling"))
        self._system_write({"state": "cancelled"})
        self._visit_activities().unlink()
        return True

    def action_reset(self):
        """Plan a cancelled or unreachable visit again, from today."""
        self._check_state(("cancelled", "unreachable"), self.env._("Planning again"))
        today = fields.Date.context_today(self)
        for visit in self:
            visit._system_write(
                {
                    "state": "planned",
                    "attempt_count": 0,
                    "scheduled_date": max(visit.scheduled_date, today),
                }
            )
        self.filtered(lambda v: not v._visit_activities())._schedule_visit_activities()
        return True

    def action_create_complaint(self):
        """Open a complaint pre-filled from this visit, linked both ways."""
        self.ensure_one()
        Complaint = self.env["store.complaint"]
        complaint = self.opened_complaint_ids.filtered(
            lambda c: c.state not in ("closed", "cancelled")
        )[:1]
        if not complaint:
            vals = {
                "partner_id": self.partner_id.id,
                "sale_order_id": (self.sale_order_id or self.complaint_id.sale_order_id).id
                or False,
                # the visit's store if the user may file complaints there (the assignee
                # of another store's visit leaves it to a manager)
                "team_id": self.env["crm.team"]._store_service_allowed(self.team_id).id,
                "channel": COMPLAINT_CHANNEL.get(self.channel, "other"),
                "description": self.feedback
                or self.env._(
                    "Customer unhappy during the return visit of %(date)s.",
                    date=format_date(self.env, self.scheduled_date),
                ),
                "origin_visit_id": self.id,
            }
            if "company_id" in Complaint._fields:
                vals["company_id"] = self.company_id.id
            category = self.env.ref(
                "store_service_crm.complaint_category_other", raise_if_not_found=False
            ) or self.env["store.complaint.category"].search([], limit=1)
            if category:
                vals["category_id"] = category.id
            complaint = Complaint.create(vals)
            if not self.complaint_id:
                self.complaint_id = complaint
            self.message_post(  # pylint: disable=no-member
                body=self.env._(
                    "Complaint %(name)s opened from this visit.", name=complaint.display_name
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "store.complaint",
            "res_id": complaint.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_send_rating_request(self):
        """Email the customer a rating link (works without login)."""
        template = self.env.ref("store_service_crm.mail_template_return_visit_rating")
        no_email = self.filtered(lambda v: not v.partner_id.email)
        if no_email:
            raise UserError(
                self.env._(
                    "The customer %(name)s has no email address.",
                    name=no_email[0].partner_id.display_name,
                )
            )
        for visit in self:
            visit.rating_send_request(template, lang=visit.partner_id.lang, force_send=False)
        return True

    def action_view_complaint(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "store.complaint",
            "res_id": self.complaint_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Rating (rating.mixin)
    # ------------------------------------------------------------------
    def _rating_get_partner(self):
        return self.partner_id

    def _rating_get_operator(self):
        return self.user_id.partner_id

    def _apply_customer_rating(self, rating, csat, nps=None, feedback=None):
        """Record the customer's own answer (from the rating link).

        The CSAT lands in ``csat_score`` and in the rating record; the NPS in
        ``nps_score``; a planned visit answered this way is done. Called with
        sudo by the public controller after the token check.
        """
        self.ensure_one()
        if not 1 <= csat <= 5 or (nps is not None and not 0 <= nps <= 10):
            raise ValidationError(self.env._("The CSAT score is between 1 and 5."))
        self.rating_apply(  # pylint: disable=no-member
            csat, rating=rating, feedback=feedback, subtype_xmlid="mail.mt_note"
        )
        vals = {"csat_score": csat}
        if nps is not None:
            vals.update(nps_score=nps, nps_given=True)
        if feedback and not self.feedback:
            vals["feedback"] = feedback
        if self.state in ("planned", "unreachable"):
            vals.update(state="done", date_done=fields.Datetime.now())
        self.write(vals)
        # the note is read by the assignee, not by the customer who answered
        reader_env = self.with_context(lang=self.user_id.lang or self.env.lang).env
        self._visit_activities().action_feedback(feedback=reader_env._("Rated by the customer."))

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _visit_activities(self):
        activity_type = self.env.ref(
            "store_service_crm.mail_activity_type_return_visit", raise_if_not_found=False
        )
        activities = self.activity_ids  # pylint: disable=no-member
        return activities.filtered(lambda a: a.activity_type_id == activity_type)

    def _after_scored(self):
        """Keep the complaints' score right (the customers' satisfaction is computed on
        read)."""
        scored = self.filtered(lambda v: v.state == "done")
        if not scored:
            return
        Complaint = self.env["store.complaint"]
        if "satisfaction_score" in Complaint._fields:
            for visit in scored.filtered(
                lambda v: v.complaint_id and v.csat_score and v.origin == "complaint"
            ):
                visit.complaint_id.sudo().satisfaction_score = visit.csat_score

    def _schedule_visit_activities(self):
        """Put a to-do on the assignee's list for each of these planned visits, through
        ``activity_schedule`` (interactive paths; the batch generation inserts them in
        SQL). The visits were created or changed with the user's rights: the to-do
        follows in superuser mode, as the assignee of a visit is whoever the rule or
        the customer's salesperson says, even someone who cannot open it yet."""
        activity_type = self.env.ref(
            "store_service_crm.mail_activity_type_return_visit", raise_if_not_found=False
        )
        if not activity_type:
            return
        for visit in self.sudo().filtered(lambda v: v.state == "planned" and v.user_id.active):
            # the summary in the language of the person who reads it
            reader_type = activity_type.with_context(lang=visit.user_id.lang or self.env.lang)
            visit.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=visit.scheduled_date,
                summary=reader_type.summary or reader_type.name,
                user_id=visit.user_id.id,
                automated=True,
            )

    @api.model
    def _create_visit_activities(self, visit_ids, new=True):
        """Put a to-do on the assignee's list for each planned visit of ``visit_ids``, set-based.
        Only for the batch generation (cron); interactive paths use
        :meth:`_schedule_visit_activities`.

        ``new``: the visits were just created, so none has a to-do yet (no check: on a
        fresh table a per-row anti-join on mail_activity is planned badly)."""
        if not visit_ids:
            return
        activity_type = self.env.ref(
            "store_service_crm.mail_activity_type_return_visit", raise_if_not_found=False
        )
        if not activity_type:
            return
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO mail_activity (
                    res_model_id, res_model, res_id, res_name, activity_type_id, summary,
                    date_deadline, user_id, user_tz, automated, active,
                    create_uid, create_date, write_uid, write_date)
                SELECT %(model_id)s, %(model)s, v.id,
                       COALESCE(p.complete_name, p.name) || ' - '
                           || to_char(v.scheduled_date, 'YYYY-MM-DD'),
                       %(type)s, %(summary)s, v.scheduled_date, v.user_id, up.tz, true, true,
                       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                  FROM store_return_visit v
                  JOIN res_partner p ON p.id = v.partner_id
                  JOIN res_users u ON u.id = v.user_id AND u.active
                  JOIN res_partner up ON up.id = u.partner_id
                  JOIN mail_activity_type t ON t.id = %(type)s
                 WHERE v.id = ANY(%(ids)s) AND v.state = 'planned'
                   AND %(not_existing)s
                """,
                not_existing=SQL("TRUE")
                if new
                else SQL(
                    """NOT EXISTS (SELECT 1 FROM mail_activity a
                                    WHERE a.res_model = %s AND a.res_id = v.id
                                      AND a.activity_type_id = %s)""",
                    self._name,
                    activity_type.id,
                ),
                model_id=self.env["ir.model"]._get_id(self._name),
                model=self._name,
                type=activity_type.id,
                # the summary in the assignee's language (a cron has none)
                summary=SQL(
                    "COALESCE(t.summary->>up.lang, t.summary->>'en_US',"
                    " t.name->>up.lang, t.name->>'en_US')"
                ),
                uid=self.env.uid,
                ids=list(visit_ids),
            )
        )
        self.env["mail.activity"].invalidate_model()
        self.invalidate_model(["activity_ids"])

    @api.model
    def _cancel_visits_of_cancelled_orders(self, orders=None, since_days=None):
        """Cancel the planned visits of cancelled orders.

        ``orders`` (an order cancelled in the web client): through the ORM, in
        superuser mode since it follows from the order's cancellation whoever
        cancels it (tracking, activities removed). Otherwise set-based SQL for
        the generation cron's sweep: the orders written in the last
        ``since_days`` days, or all of them."""
        if orders is not None:
            visits = (
                self.sudo()
                .search([("sale_order_id", "in", orders.ids), ("state", "=", "planned")])
                .filtered(lambda v: v.sale_order_id.state == "cancel")
            )
            if visits:
                visits.write({"state": "cancelled"})
                visits._visit_activities().unlink()
            return len(visits)
        self.env.flush_all()
        if since_days is not None:
            since = fields.Datetime.now() - timedelta(days=since_days)
            order_filter = SQL("so.write_date >= %s", since)
        else:
            order_filter = SQL("TRUE")
        self.env.cr.execute(
            SQL(
                """
                UPDATE store_return_visit v
                   SET state = 'cancelled', write_uid = %s, write_date = now() at time zone 'UTC'
                 WHERE v.state = 'planned'
                   -- the cancelled orders first (an array: one index probe per order,
                   -- rather than a merge over every planned visit of an order)
                   AND v.sale_order_id = ANY(ARRAY(
                       SELECT so.id FROM sale_order so WHERE so.state = 'cancel' AND %s))
             RETURNING v.id
                """,
                self.env.uid,
                order_filter,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            self.env.cr.execute(
                SQL(
                    "DELETE FROM mail_activity WHERE res_model = %s AND res_id = ANY(%s)",
                    self._name,
                    ids,
                )
            )
            self.invalidate_model()
            self.env["mail.activity"].invalidate_model()
        return len(ids)

    @api.model
    def _plan_care_visits(self, partners):
        """One planned care visit per customer, skipping those who already have one.

        Through ``create`` as the current user: their access rights, record rules
        and store checks apply (a user without Store Service rights plans nothing)."""
        if not partners:
            return self.browse()
        self.check_access("create")
        planned = self.search(
            [
                ("partner_id", "in", partners.ids),
                ("care_visit", "=", True),
                ("state", "=", "planned"),
            ]
        )
        today = fields.Date.context_today(self)
        channel = self.env.company.return_visit_channel or "phone"
        vals_list = []
        for partner in partners - planned.partner_id:
            user = partner.user_id or self.env.user
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "origin": "manual",
                    "scheduled_date": today,
                    "user_id": user.id,
                    "team_id": self.env["crm.team"]._store_service_allowed(user.sale_team_id).id,
                    "company_id": (partner.company_id or self.env.company).id,
                    "channel": channel,
                    "care_visit": True,
                }
            )
        return self.create(vals_list)
