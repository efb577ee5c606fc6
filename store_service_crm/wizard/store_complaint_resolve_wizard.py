from odoo import api, fields, models
from odoo.exceptions import UserError

ROOT_CAUSE_RESPONSIBILITIES = ("product", "installation")


class StoreComplaintResolveWizard(models.TransientModel):
    """Ask everything resolving needs up front (who is responsible, how it was
    resolved, the root cause when the product or the installation is to blame),
    then resolve through :meth:`store.complaint.action_resolve`."""

    _name = "store.complaint.resolve.wizard"
    _description = "Resolve a complaint"

    complaint_id = fields.Many2one("store.complaint", required=True, readonly=True)
    responsibility = fields.Selection(
        selection=lambda self: (
            self.env["store.complaint"]._fields["responsibility"]._description_selection(self.env)
        ),
        required=True,
    )
    resolution_type = fields.Selection(
        selection=lambda self: (
            self.env["store.complaint"]._fields["resolution_type"]._description_selection(self.env)
        ),
        string="Resolution",
        required=True,
    )
    root_cause = fields.Text()
    resolution_note = fields.Text(string="What was done")
    root_cause_required = fields.Boolean(compute="_compute_root_cause_required")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        complaint = (
            self.env["store.complaint"]
            .browse(res.get("complaint_id") or self.env.context.get("active_id"))
            .exists()
        )
        if complaint:
            res["complaint_id"] = complaint.id
            for name in ("responsibility", "resolution_type", "root_cause", "resolution_note"):
                if name in fields_list and complaint[name] and not res.get(name):
                    res[name] = complaint[name]
        return res

    @api.depends("responsibility")
    def _compute_root_cause_required(self):
        for wizard in self:
            wizard.root_cause_required = wizard.responsibility in ROOT_CAUSE_RESPONSIBILITIES

    def action_confirm(self):
        self.ensure_one()
        if not self.responsibility or not self.resolution_type:
            raise UserError(
                self.env._("Choose who is responsible and how the complaint was resolved.")
            )
        root_cause = (self.root_cause or "").strip()
        if self.root_cause_required and not root_cause:
            raise UserError(
                self.env._(
                    "Describe the root cause: it is required when the product or the "
                    "installation is responsible."
                )
            )
        complaint = self.complaint_id
        complaint._check_state(("in_progress",), self.env._("Resolve"))
        vals = {
            "responsibility": self.responsibility,
            "resolution_type": self.resolution_type,
            "root_cause": root_cause or complaint.root_cause,
        }
        note = (self.resolution_note or "").strip()
        if note:
            vals["resolution_note"] = note
        complaint.write(vals)
        complaint.action_resolve()
        return {"type": "ir.actions.act_window_close"}


class StoreComplaintAssignWizard(models.TransientModel):
    """Choose the handler of new complaints among the members of their store
    (default: me), then assign through :meth:`store.complaint.action_assign`."""

    _name = "store.complaint.assign.wizard"
    _description = "Assign complaints"

    complaint_ids = fields.Many2many("store.complaint", required=True)
    allowed_user_ids = fields.Many2many("res.users", compute="_compute_allowed_user_ids")
    user_id = fields.Many2one(
        "res.users",
        string="Handler",
        required=True,
        default=lambda self: self.env.user,
        domain="[('id', 'in', allowed_user_ids)]",
    )

    @api.depends("complaint_ids")
    def _compute_allowed_user_ids(self):
        group = self.env.ref("store_service_crm.group_store_service_user")
        for wizard in self:
            teams = wizard.complaint_ids.sudo().team_id
            # the store's members and leader; no store yet: every store user
            users = (teams.member_ids | teams.user_id) if teams else group.sudo().users
            users = users.filtered(lambda u: group in u.groups_id) | self.env.user
            wizard.allowed_user_ids = users.with_env(self.env)

    def action_confirm(self):
        self.ensure_one()
        if self.user_id not in self.allowed_user_ids:
            raise UserError(
                self.env._(
                    "%(user)s is not a member of the complaint's store: choose one of its members.",
                    user=self.user_id.name,
                )
            )
        complaints = self.env["store.complaint"].browse(self.complaint_ids.ids)
        complaints._check_state(("new",), self.env._("Assign"))
        complaints.write({"user_id": self.user_id.id})
        complaints.action_assign()
        return {"type": "ir.actions.act_window_close"}
