from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import LazyTranslate

from ..tools import WorkflowDoor, check_not_blank, refuse_workflow_fields

_lt = LazyTranslate(__name__)

# root causes whose complaints can carry a preventive action (防止类似问题再次发生)
PREVENTIVE_RESPONSIBILITIES = ("product", "installation")
PREVENTIVE_COMPLAINT_STATES = ("resolved", "closed")
# written only by the actions (done / cancel)
PREVENTIVE_WORKFLOW_FIELDS = {"state", "date_done"}


class StorePreventiveAction(models.Model):
    """A corrective / preventive action decided on a resolved complaint whose root cause
    is the product or the installation: what changes, who does it, by when. Its owner
    gets a to-do activity with the deadline; *Done* and *Cancel* are the only ways to
    change its state (whatever the client sends)."""

    _name = "store.preventive.action"
    _description = "Preventive Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]  # noqa: RUF012
    _order = "state_sequence, date_deadline, id"

    name = fields.Char(
        string="What Changes",
        required=True,
        tracking=True,
        help="The change that keeps the problem from happening again (supplier, "
        "installation procedure, product check...).",
    )
    description = fields.Text(string="Details")
    complaint_id = fields.Many2one("store.complaint", required=True, index=True, ondelete="cascade")
    responsibility = fields.Selection(related="complaint_id.responsibility")
    product_id = fields.Many2one(related="complaint_id.product_id", store=True)
    team_id = fields.Many2one(related="complaint_id.team_id", store=True, string="Store")
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Carried Out By",
        required=True,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Who carries the change out: gets a to-do activity with the deadline.",
    )
    date_deadline = fields.Date(string="By When", required=True, tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    date_done = fields.Date(readonly=True, copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue")

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"open": 0, "done": 1, "cancelled": 2}
        for action in self:
            action.state_sequence = order.get(action.state, 3)

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = action.state == "open" and action.date_deadline < today

    @api.constrains("name")
    def _check_name(self):
        check_not_blank(self, ["name"])

    @api.constrains("complaint_id")
    def _check_complaint(self):
        for action in self:
            complaint = action.complaint_id
            if complaint.state not in PREVENTIVE_COMPLAINT_STATES:
                raise ValidationError(
                    self.env._(
                        "A preventive action is decided once the complaint %(complaint)s is "
                        "resolved.",
                        complaint=complaint.display_name,
                    )
                )
            if complaint.responsibility not in PREVENTIVE_RESPONSIBILITIES:
                raise ValidationError(
                    self.env._(
                        "A preventive action needs a complaint whose root cause is the "
                        "product or the installation; %(complaint)s is not.",
                        complaint=complaint.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_preventive_update(vals, creating=True)
        # the complaint must be one the user may change (its store): record rules
        complaints = self.env["store.complaint"].browse(
            {vals["complaint_id"] for vals in vals_list if vals.get("complaint_id")}
        )
        complaints.check_access("write")
        actions = super().create(vals_list)
        actions._schedule_preventive_activity()  # pylint: disable=no-member
        for action in actions:
            action.complaint_id.message_post(
                body=self.env._(
                    "Preventive action planned: %(action)s (%(user)s, by %(date)s).",
                    action=action.name,
                    user=action.user_id.name,
                    date=fields.Date.to_string(action.date_deadline),
                )
            )
        return actions

    def write(self, vals):
        if not self.env.su:
            self._check_preventive_update(vals)
        if "complaint_id" in vals and any(a.complaint_id.id != vals["complaint_id"] for a in self):
            raise UserError(self.env._("A preventive action stays on its complaint."))
        res = super().write(vals)
        if {"user_id", "date_deadline", "name"} & set(vals):
            self.filtered(lambda a: a.state == "open")._schedule_preventive_activity()
        return res

    def _workflow_doors(self):
        """The fields only the actions write (see ``refuse_workflow_fields``)."""
        return [
            WorkflowDoor(
                frozenset(PREVENTIVE_WORKFLOW_FIELDS),
                _lt(
                    "The state of a preventive action (%(fields)s) changes only through its "
                    "actions (Done, Cancel)."
                ),
                on_create={"state": ("open",)},
            )
        ]

    def _check_preventive_update(self, vals, creating=False):
        refuse_workflow_fields(self, vals, creating=creating)
        if not creating and self.filtered(lambda a: a.state != "open"):
            raise UserError(
                self.env._("A preventive action that is done or cancelled cannot be changed.")
            )

    def _check_open(self, action):
        wrong = self.filtered(lambda a: a.state != "open")
        if wrong:
            raise UserError(
                self.env._(
                    "%(action)s is not possible for the preventive action %(name)s: it is "
                    "not open.",
                    action=action,
                    name=wrong[0].name,
                )
            )

    def action_done(self):
        """The change is in place: closes the owner's to-do."""
        self._check_open(self.env._("Marking done"))
        self.check_access("write")
        self.sudo().write({"state": "done", "date_done": fields.Date.context_today(self)})
        for action in self:
            action._preventive_activities().action_feedback(
                feedback=self.env._("Preventive action done.")
            )
        return True

    def action_cancel(self):
        """The change is dropped: removes the owner's to-do."""
        self._check_open(self.env._("Cancelling"))
        self.check_access("write")
        self.sudo().write({"state": "cancelled"})
        self._preventive_activities().unlink()
        return True

    def _preventive_activities(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        return self.activity_ids.filtered(  # pylint: disable=no-member
            lambda a: a.activity_type_id == todo
        )

    def _schedule_preventive_activity(self):
        """One to-do per open action, for its owner, due on its deadline."""
        for action in self:
            summary = self.env._("Preventive action: %(name)s", name=action.name)
            activities = action._preventive_activities()
            if activities:
                activities.write(
                    {
                        "user_id": action.user_id.id,
                        "date_deadline": action.date_deadline,
                        "summary": summary,
                    }
                )
                continue
            action.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=action.date_deadline,
                summary=summary,
                user_id=action.user_id.id,
            )
