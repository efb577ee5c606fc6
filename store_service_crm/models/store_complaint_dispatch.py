# pylint: disable=no-member
"""On-site dispatch of a complaint (a repair, an installation...): a technician, an
appointment, a deadline to be on site from the settings per severity, and the arrival
and finish times, recorded through the actions (the one door). A missed deadline is
escalated by the escalation cron, once."""

import logging
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, LazyTranslate

from ..tools import EMPTY_VALUES, WorkflowDoor, try_advisory_xact_lock
from .res_company_dispatch import DISPATCH_HOURS_FIELDS
from .store_complaint import MANAGER_GROUP, OPEN_STATES

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

# written by the dispatch actions and the escalation cron only
DISPATCH_WORKFLOW_FIELDS = {
    "dispatch_state",
    "date_dispatched",
    "dispatch_deadline",
    "date_arrived",
    "date_finished",
    "dispatch_escalated",
}


class StoreComplaint(models.Model):
    _inherit = "store.complaint"  # pylint: disable=consider-merging-classes-inherited

    technician_id = fields.Many2one(
        "res.users",
        index="btree_not_null",
        tracking=True,
        domain="[('share', '=', False)]",
        help="Who goes on site (a user other than the handler).",
    )
    appointment_date = fields.Datetime(
        string="Appointment", tracking=True, help="When the technician is expected on site."
    )
    appointment_stop = fields.Datetime(
        string="Appointment End", compute="_compute_appointment_stop"
    )
    dispatch_state = fields.Selection(
        [
            ("none", "Not dispatched"),
            ("dispatched", "Dispatched"),
            ("on_site", "On site"),
            ("done", "Finished"),
        ],
        string="On-site Service",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    date_dispatched = fields.Datetime(string="Dispatched On", readonly=True, copy=False)
    dispatch_deadline = fields.Datetime(
        string="On Site By",
        readonly=True,
        copy=False,
        tracking=True,
        help="The technician must be on site by then: hours after the request per severity "
        "(Settings; 0 means the same day).",
    )
    date_arrived = fields.Datetime(string="Arrived On", readonly=True, copy=False, tracking=True)
    date_finished = fields.Datetime(string="Finished On", readonly=True, copy=False, tracking=True)
    dispatch_escalated = fields.Boolean(readonly=True, copy=False, default=False)
    is_dispatch_late = fields.Boolean(
        string="Late on Site",
        compute="_compute_is_dispatch_late",
        help="Arrived after the deadline, or not yet on site and the deadline has passed.",
    )

    @api.depends("appointment_date")
    def _compute_appointment_stop(self):
        for complaint in self:
            start = complaint.appointment_date
            complaint.appointment_stop = start and start + timedelta(hours=1)

    @api.depends("dispatch_deadline", "date_arrived")
    def _compute_is_dispatch_late(self):
        now = fields.Datetime.now()
        for complaint in self:
            deadline = complaint.dispatch_deadline
            complaint.is_dispatch_late = bool(deadline) and (complaint.date_arrived or now) > (
                deadline
            )

    @api.constrains("technician_id", "user_id")
    def _check_technician(self):
        for complaint in self:
            if complaint.technician_id and complaint.technician_id == complaint.user_id:
                raise ValidationError(
                    self.env._(
                        "The technician of %(complaint)s must be someone other than its handler.",
                        complaint=complaint.name,
                    )
                )

    def _workflow_doors(self):
        return [
            *super()._workflow_doors(),
            WorkflowDoor(
                frozenset(DISPATCH_WORKFLOW_FIELDS),
                _lt(
                    "The on-site service figures of a complaint (%(fields)s) change only "
                    "through its actions (Dispatch, Arrived, Finished)."
                ),
                empty=(*EMPTY_VALUES, "none"),
            ),
        ]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_dispatch(self):
        """Send the technician: needs a technician and an appointment; the deadline to
        be on site follows from the severity and when the request was received.
        Dispatching again (another technician or time) before arrival keeps the
        deadline."""
        self._check_state(OPEN_STATES, self.env._("Dispatch"))
        for complaint in self:
            if complaint.dispatch_state not in ("none", "dispatched"):
                raise UserError(
                    self.env._(
                        "The technician is already on site for %(complaint)s.",
                        complaint=complaint.name,
                    )
                )
            if not complaint.technician_id or not complaint.appointment_date:
                raise UserError(
                    self.env._(
                        "Choose the technician and the appointment of %(complaint)s before "
                        "dispatching.",
                        complaint=complaint.name,
                    )
                )
        now = fields.Datetime.now()
        for complaint in self:
            vals = {"dispatch_state": "dispatched", "date_dispatched": now}
            if not complaint.dispatch_deadline:
                vals["dispatch_deadline"] = complaint._dispatch_deadline()
            complaint._workflow_write(vals)
            complaint._notify_technician()
        return True

    def action_dispatch_arrive(self):
        """The technician is on site: stamps the arrival."""
        self._check_dispatch_step("dispatched", self.env._("Arrived"))
        self._workflow_write({"dispatch_state": "on_site", "date_arrived": fields.Datetime.now()})
        return True

    def action_dispatch_finish(self):
        """The technician has finished on site: stamps the finish."""
        self._check_dispatch_step("on_site", self.env._("Finished"))
        self._workflow_write({"dispatch_state": "done", "date_finished": fields.Datetime.now()})
        return True

    def _check_dispatch_step(self, dispatch_state, action_label):
        self._check_state(OPEN_STATES, action_label)
        wrong = self.filtered(lambda c: c.dispatch_state != dispatch_state)
        if wrong:
            labels = dict(self._fields["dispatch_state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(action)s is not possible for %(complaint)s: its on-site service is "
                    "%(state)s.",
                    action=action_label,
                    complaint=wrong[0].name,
                    state=labels[wrong[0].dispatch_state],
                )
            )
        user = self.env.user
        if not (self.env.su or user.has_group(MANAGER_GROUP)):
            foreign = self.filtered(
                lambda c: user not in (c.technician_id | c.user_id | c.team_id.user_id)
            )
            if foreign:
                raise UserError(
                    self.env._(
                        "Only the technician, the handler or the store leader records the "
                        "on-site service of %(complaint)s.",
                        complaint=foreign[0].name,
                    )
                )

    def action_my_dispatches(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "store_service_crm.store_complaint_action_my_dispatches"
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _dispatch_deadline(self):
        """On site by: the severity's hours after the request was received, or, for 0
        hours, the end of the day it was received (in the company's time zone)."""
        self.ensure_one()
        received = self.date_received or fields.Datetime.now()
        hours = self.company_id[DISPATCH_HOURS_FIELDS[self.severity or "medium"]]
        if hours > 0:
            return received + timedelta(hours=hours)
        tz = pytz.timezone(self.company_id.partner_id.tz or self.env.user.tz or "UTC")
        local_day = pytz.utc.localize(received).astimezone(tz).date()
        end = tz.localize(datetime.combine(local_day + timedelta(days=1), time.min))
        return end.astimezone(pytz.utc).replace(tzinfo=None) - timedelta(seconds=1)

    def _notify_technician(self):
        self.ensure_one()
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.context_today(self, self.appointment_date),
            summary=self.with_context(lang=self.technician_id.lang or self.env.lang).env._(
                "On site: %s", self.name
            ),
            user_id=self.technician_id.id,
        )

    # ------------------------------------------------------------------
    # Escalation of missed dispatch deadlines (the escalation cron)
    # ------------------------------------------------------------------
    @api.model
    def _cron_escalate(self, batch_size=500):
        late = self._escalate_dispatch(batch_size)
        return super()._cron_escalate(max(batch_size - len(late), 1)) | late

    def _dispatch_escalation_condition(self):
        return SQL(
            "c.active AND c.state IN ('new', 'assigned', 'in_progress')"
            " AND c.dispatch_state = 'dispatched' AND NOT c.dispatch_escalated"
            " AND c.dispatch_deadline < %s",
            fields.Datetime.now(),
        )

    def _escalation_candidates_count(self):
        count = super()._escalation_candidates_count()
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM store_complaint c WHERE %s",
                self._dispatch_escalation_condition(),
            )
        )
        return count + self.env.cr.fetchone()[0]

    def _escalate_dispatch(self, limit):
        """Flag up to ``limit`` complaints whose technician is not on site by the deadline
        (the flag in the WHERE makes it happen once) and give the store leader the
        escalation activity."""
        if not try_advisory_xact_lock(self.env.cr, "complaint_dispatch_escalation"):
            return self.browse()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                UPDATE store_complaint SET dispatch_escalated = TRUE
                 WHERE id IN (SELECT c.id FROM store_complaint c
                               WHERE %(condition)s
                            ORDER BY c.dispatch_deadline, c.id
                               LIMIT %(limit)s
                                 FOR UPDATE OF c SKIP LOCKED)
             RETURNING id
                """,
                condition=self._dispatch_escalation_condition(),
                limit=limit,
            )
        )
        complaints = self.browse(row[0] for row in self.env.cr.fetchall())
        complaints.invalidate_recordset(["dispatch_escalated"])
        if complaints:
            complaints._create_dispatch_escalation_activities()
        return complaints

    def _create_dispatch_escalation_activities(self):
        activity_type = self.env.ref(
            "store_service_crm.mail_activity_type_complaint_escalation", raise_if_not_found=False
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        vals_list = []
        for complaint in self:
            user = complaint._escalation_user(1)
            if not user:
                continue
            env = complaint.with_context(lang=user.lang or self.env.lang).env
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": complaint.id,
                    "activity_type_id": activity_type.id if activity_type else False,
                    "user_id": user.id,
                    "date_deadline": today,
                    "summary": env._("Technician not on site in time: %s", complaint.name),
                }
            )
        if vals_list:
            self.env["mail.activity"].sudo().create(vals_list)
