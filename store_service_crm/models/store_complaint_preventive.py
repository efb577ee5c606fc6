from odoo import api, fields, models

from .store_preventive_action import PREVENTIVE_COMPLAINT_STATES, PREVENTIVE_RESPONSIBILITIES

# salespeople register complaints from their orders but do not work them
USER_GROUP = "store_service_crm.group_store_service_user"


class StoreComplaint(models.Model):
    _inherit = "store.complaint"  # pylint: disable=consider-merging-classes-inherited

    preventive_action_ids = fields.One2many(
        "store.preventive.action", "complaint_id", string="Preventive Actions", groups=USER_GROUP
    )
    preventive_action_count = fields.Integer(
        compute="_compute_preventive_action_count", groups=USER_GROUP
    )
    preventive_open_count = fields.Integer(
        string="Open Preventive Actions",
        compute="_compute_preventive_action_count",
        groups=USER_GROUP,
    )
    can_add_preventive_action = fields.Boolean(
        compute="_compute_can_add_preventive_action", groups=USER_GROUP
    )

    def _compute_preventive_action_count(self):
        counts = {}
        for complaint, state, count in self.env["store.preventive.action"]._read_group(
            [("complaint_id", "in", self.ids)], ["complaint_id", "state"], ["__count"]
        ):
            counts.setdefault(complaint.id, {})[state] = count
        for complaint in self:
            by_state = counts.get(complaint.id, {})
            complaint.preventive_action_count = sum(by_state.values())
            complaint.preventive_open_count = by_state.get("open", 0)

    @api.depends("state", "responsibility")
    def _compute_can_add_preventive_action(self):
        for complaint in self:
            complaint.can_add_preventive_action = (
                complaint.state in PREVENTIVE_COMPLAINT_STATES
                and complaint.responsibility in PREVENTIVE_RESPONSIBILITIES
            )

    def action_open_preventive_actions(self):
        """The complaint's preventive actions; a new one is for this complaint."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preventive Actions"),
            "res_model": "store.preventive.action",
            "view_mode": "list,form",
            "domain": [("complaint_id", "=", self.id)],
            "context": {
                "default_complaint_id": self.id,
                "default_user_id": self.env.user.id,
            },
        }

    def action_new_preventive_action(self):
        """Form of a new preventive action for this complaint."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Preventive Action"),
            "res_model": "store.preventive.action",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_complaint_id": self.id,
                "default_user_id": self.env.user.id,
            },
        }
