# pylint: disable=no-member
# (pylint does not see the fields and methods of the inherited model)
"""SLA pause: "waiting for the customer" stops the response and resolution clocks,
and the SLA reminder (an activity at a share of the SLA, before a breach).

The pause goes through the door like every workflow change: ``action_put_on_hold``
(with a reason) and ``action_resume`` check the state and the user's access, then
write in superuser mode. On resume the paused time is added to the deadlines (the
response deadline only if the complaint was not answered yet when it was put on
hold): ``response_paused_hours`` / ``resolution_paused_hours`` are tracked and the
deadlines are recomputed from them, so that every KPI, report and cron reads the
moved deadlines. While a complaint is on hold it is never overdue, escalated or
reminded.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, LazyTranslate

from ..tools import WorkflowDoor, try_advisory_xact_lock
from .store_complaint import OPEN_STATES, UNANSWERED_STATES

_lt = LazyTranslate(__name__)

# written only by the pause actions and the reminder cron (superuser mode)
HOLD_FIELDS = {
    "on_hold",
    "hold_reason",
    "date_on_hold",
    "hold_pauses_response",
    "response_paused_hours",
    "resolution_paused_hours",
    "sla_reminder_response_deadline",
    "sla_reminder_resolution_deadline",
}


class StoreComplaint(models.Model):
    _inherit = "store.complaint"  # pylint: disable=consider-merging-classes-inherited

    on_hold = fields.Boolean(
        string="Waiting for the Customer",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="The store waits for the customer: the response and resolution clocks stop "
        "until the complaint is resumed.",
    )
    hold_reason = fields.Char(string="Waiting Reason", readonly=True, copy=False, tracking=True)
    date_on_hold = fields.Datetime(string="Waiting Since", readonly=True, copy=False)
    hold_pauses_response = fields.Boolean(readonly=True, copy=False)
    response_paused_hours = fields.Float(
        string="Response Clock Paused (h)", readonly=True, copy=False, tracking=True
    )
    resolution_paused_hours = fields.Float(
        string="Resolution Clock Paused (h)", readonly=True, copy=False, tracking=True
    )
    sla_reminder_response_deadline = fields.Datetime(readonly=True, copy=False)
    sla_reminder_resolution_deadline = fields.Datetime(readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Deadlines and overdue flags
    # ------------------------------------------------------------------
    @api.depends("response_paused_hours", "resolution_paused_hours")
    def _compute_deadlines(self):
        res = super()._compute_deadlines()
        for complaint in self:
            if complaint.response_deadline and complaint.response_paused_hours:
                complaint.response_deadline += timedelta(hours=complaint.response_paused_hours)
            if complaint.resolution_deadline and complaint.resolution_paused_hours:
                complaint.resolution_deadline += timedelta(hours=complaint.resolution_paused_hours)
        return res

    @api.depends("on_hold")
    def _compute_overdue(self):
        res = super()._compute_overdue()
        for complaint in self.filtered("on_hold"):
            complaint.is_response_overdue = False
            complaint.is_resolution_overdue = False
            complaint.is_overdue = False
        return res

    @api.model
    def _response_overdue_domain(self):
        return [*super()._response_overdue_domain(), ("on_hold", "=", False)]

    @api.model
    def _resolution_overdue_domain(self):
        return [*super()._resolution_overdue_domain(), ("on_hold", "=", False)]

    def _escalation_condition(self, level):
        return SQL("(%s) AND c.on_hold IS NOT TRUE", super()._escalation_condition(level))

    # ------------------------------------------------------------------
    # The door
    # ------------------------------------------------------------------
    def _workflow_doors(self):
        return [
            *super()._workflow_doors(),
            WorkflowDoor(
                frozenset(HOLD_FIELDS),
                _lt(
                    "Waiting for the customer (%(fields)s) changes only through the actions "
                    "Wait for the Customer and Resume."
                ),
            ),
        ]

    def action_put_on_hold(self, reason=None):
        """Open complaint -> waiting for the customer (the SLA clocks stop); the reason
        is required and tracked."""
        reason = reason.strip() if isinstance(reason, str) else None
        if not reason:
            raise UserError(self.env._("Give the reason for waiting for the customer."))
        self._check_state(OPEN_STATES, self.env._("Wait for the Customer"))
        waiting = self.filtered("on_hold")
        if waiting:
            raise UserError(
                self.env._(
                    "%(complaint)s is already waiting for the customer.",
                    complaint=waiting[0].name,
                )
            )
        now = fields.Datetime.now()
        for complaint in self:
            complaint._workflow_write(
                {
                    "on_hold": True,
                    "hold_reason": reason,
                    "date_on_hold": now,
                    "hold_pauses_response": not complaint.date_first_response,
                }
            )
        return True

    def action_resume(self):
        """Waiting for the customer -> handled again: the deadlines move by the time
        waited (tracked, and told in the chatter)."""
        self._check_state(OPEN_STATES, self.env._("Resume"))
        not_waiting = self.filtered(lambda c: not c.on_hold)
        if not_waiting:
            raise UserError(
                self.env._(
                    "%(complaint)s is not waiting for the customer.",
                    complaint=not_waiting[0].name,
                )
            )
        self._resume()
        return True

    def _resume(self):
        now = fields.Datetime.now()
        for complaint in self:
            paused = max((now - complaint.date_on_hold).total_seconds() / 3600.0, 0.0)
            old = (complaint.response_deadline, complaint.resolution_deadline)
            vals = {
                "on_hold": False,
                "date_on_hold": False,
                "hold_pauses_response": False,
                "resolution_paused_hours": complaint.resolution_paused_hours + paused,
            }
            if complaint.hold_pauses_response:
                vals["response_paused_hours"] = complaint.response_paused_hours + paused
            complaint._workflow_write(vals)
            complaint._post_deadlines_moved(paused, old)
        # the reminders of the old deadlines are void: the cron reminds again in time
        self._sla_reminder_activities().sudo().unlink()

    def _post_deadlines_moved(self, paused, old):
        self.ensure_one()
        self.message_post(
            body=self.env._(
                "Resumed after waiting %(hours)s h for the customer. Response deadline: "
                "%(old_response)s → %(response)s; resolution deadline: %(old_resolution)s → "
                "%(resolution)s.",
                hours=f"{paused:.2f}",
                old_response=self._format_deadline(old[0]),
                response=self._format_deadline(self.response_deadline),
                old_resolution=self._format_deadline(old[1]),
                resolution=self._format_deadline(self.resolution_deadline),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _format_deadline(self, value):
        return (
            fields.Datetime.to_string(fields.Datetime.context_timestamp(self, value))
            if value
            else "–"
        )

    # a complaint the customer got back on is no longer waiting
    def action_start(self):
        self.filtered("on_hold")._check_state(("assigned",), self.env._("Start"))
        self.filtered("on_hold")._resume()
        return super().action_start()

    def action_resolve(self):
        self.filtered("on_hold")._check_state(("in_progress",), self.env._("Resolve"))
        self.filtered("on_hold")._resume()
        return super().action_resolve()

    def action_cancel(self, reason=None):
        if isinstance(reason, str) and reason.strip():
            self.filtered("on_hold")._check_state(OPEN_STATES, self.env._("Cancel"))
            self.filtered("on_hold")._resume()
        return super().action_cancel(reason=reason)

    def action_open_hold_wizard(self):
        self._check_state(OPEN_STATES, self.env._("Wait for the Customer"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Wait for the customer"),
            "res_model": "store.complaint.hold.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_complaint_ids": self.ids},
        }

    # ------------------------------------------------------------------
    # SLA reminder
    # ------------------------------------------------------------------
    def _sla_reminder_activities(self):
        activity_type = self.env.ref(
            "store_service_crm.mail_activity_type_complaint_sla_reminder",
            raise_if_not_found=False,
        )
        if not activity_type or not self:
            return self.env["mail.activity"]
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )

    @api.model
    def _sla_reminder_condition(self, kind, now):
        """Open complaints not waiting whose ``kind`` deadline is still ahead but whose
        reminder share of the SLA (paused time left out) has elapsed, and that were not
        reminded of this deadline yet."""
        deadline = SQL.identifier("c", f"{kind}_deadline")
        paused = SQL.identifier("c", f"{kind}_paused_hours")
        reminded = SQL.identifier("c", f"sla_reminder_{kind}_deadline")
        if kind == "response":
            state = SQL("c.state IN %s AND c.date_first_response IS NULL", tuple(UNANSWERED_STATES))
        else:
            state = SQL("c.state IN %s", tuple(OPEN_STATES))
        return SQL(
            """c.active AND %(state)s AND c.on_hold IS NOT TRUE
               AND %(deadline)s > %(now)s
               AND %(now)s >= %(deadline)s - (1 - COALESCE(comp.complaint_sla_reminder_share,
                                                           75.0) / 100.0)
                   * (%(deadline)s - c.date_received
                      - make_interval(secs => COALESCE(%(paused)s, 0) * 3600))
               AND %(reminded)s IS DISTINCT FROM %(deadline)s""",
            state=state,
            deadline=deadline,
            now=now,
            paused=paused,
            reminded=reminded,
        )

    @api.model
    def _cron_sla_reminder(self, batch_size=500):
        """Give the handler a reminder activity for each deadline getting close: one per
        complaint and deadline (the deadline reminded of is stamped in the same UPDATE),
        in bounded batches; a rerun creates nothing twice."""
        if not try_advisory_xact_lock(self.env.cr, "complaint_sla_reminder"):
            return self.browse()
        self.flush_model()
        self.env["res.company"].flush_model(["complaint_sla_reminder_share"])
        now = fields.Datetime.now()
        reminded = self.browse()
        left = batch_size
        for kind in ("response", "resolution"):
            if left <= 0:
                break
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE store_complaint
                       SET %(reminded)s = %(deadline)s
                     WHERE id IN (
                            SELECT c.id FROM store_complaint c
                              JOIN res_company comp ON comp.id = c.company_id
                             WHERE %(condition)s
                          ORDER BY %(c_deadline)s, c.id
                             LIMIT %(limit)s
                               FOR UPDATE OF c SKIP LOCKED)
                 RETURNING id
                    """,
                    reminded=SQL.identifier(f"sla_reminder_{kind}_deadline"),
                    deadline=SQL.identifier(f"{kind}_deadline"),
                    c_deadline=SQL.identifier("c", f"{kind}_deadline"),
                    condition=self._sla_reminder_condition(kind, now),
                    limit=left,
                )
            )
            complaints = self.browse(row[0] for row in self.env.cr.fetchall())
            complaints.invalidate_recordset([f"sla_reminder_{kind}_deadline"])
            complaints._create_sla_reminder_activities(kind)
            reminded |= complaints
            left -= len(complaints)
        self.env.cr.execute(
            SQL(
                """SELECT count(*) FROM store_complaint c
                     JOIN res_company comp ON comp.id = c.company_id
                    WHERE (%s) OR (%s)""",
                self._sla_reminder_condition("response", now),
                self._sla_reminder_condition("resolution", now),
            )
        )
        self.env["ir.cron"]._notify_progress(
            done=len(reminded), remaining=self.env.cr.fetchone()[0]
        )
        return reminded

    def _sla_reminder_user(self):
        self.ensure_one()
        return self.user_id or self.team_id.user_id or self.company_id.complaint_service_manager_id

    def _sla_reminder_summary(self, kind, user):
        self.ensure_one()
        env = self.with_context(lang=user.lang or self.env.lang).env
        if kind == "response":
            return env._("Response due soon: %s", self.name)
        return env._("Resolution due soon: %s", self.name)

    def _create_sla_reminder_activities(self, kind):
        activity_type = self.env.ref(
            "store_service_crm.mail_activity_type_complaint_sla_reminder",
            raise_if_not_found=False,
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for complaint in self:
            user = complaint._sla_reminder_user()
            if not user:
                continue
            deadline = complaint[f"{kind}_deadline"]
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": complaint.id,
                    "activity_type_id": activity_type.id if activity_type else False,
                    "user_id": user.id,
                    "date_deadline": fields.Datetime.context_timestamp(
                        complaint.with_user(user), deadline
                    ).date(),
                    "summary": complaint._sla_reminder_summary(kind, user),
                }
            )
        if vals_list:
            self.env["mail.activity"].sudo().create(vals_list)
