from odoo import api, models

STORE_USER_GROUP = "store_service_crm.group_store_service_user"
HOME_ACTION = "store_service_crm.store_complaint_action"


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _store_service_set_home_action(self, users=None):
        """Store users land on their complaint queue after login, not on Discuss:
        their home action (``action_id``) is the complaint queue, unless one was
        chosen for them already."""
        action = self.env.ref(HOME_ACTION, raise_if_not_found=False)
        group = self.env.ref(STORE_USER_GROUP, raise_if_not_found=False)
        if not action or not group:
            return
        if users is None:
            users = group.sudo().users
        users = users.sudo().filtered(
            lambda u: not u.action_id and not u.share and group in u.groups_id
        )
        if users:
            users.write({"action_id": action.id})

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        self._store_service_set_home_action(users)
        return users

    def write(self, vals):
        res = super().write(vals)
        if "groups_id" in vals or any(key.startswith("in_group_") for key in vals):
            self._store_service_set_home_action(self)
        return res
