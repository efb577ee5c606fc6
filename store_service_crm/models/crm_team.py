from odoo import api, models
from odoo.exceptions import AccessError

MANAGER_GROUP = "store_service_crm.group_store_service_manager"


class CrmTeam(models.Model):
    """Stores are sales teams. A user belongs to the stores they are a member or the
    leader of; the record rules of complaints and visits use the same definition."""

    _inherit = "crm.team"

    @api.model
    def _store_service_is_manager(self):
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    @api.model
    def _store_service_user_teams(self):
        """The stores of the current user: member (active membership) or leader."""
        uid = self.env.uid
        teams = self.sudo().search(["|", ("user_id", "=", uid), ("member_ids", "in", [uid])])
        return teams.with_env(self.env)

    @api.model
    def _store_service_allowed(self, team):
        """The store ``team`` if the current user may file records in it, else an empty
        recordset (managers: any store; others: their own stores)."""
        if not team or self._store_service_is_manager():
            return team
        return team & self._store_service_user_teams()

    @api.model
    def _store_service_check_teams(self, teams, what):
        """Raise a translated AccessError when the current user puts a ``what`` (the
        records' label) in a store they do not belong to."""
        if not teams or self._store_service_is_manager():
            return
        foreign = teams.sudo() - self._store_service_user_teams().sudo()
        if foreign:
            raise AccessError(
                self.env._(
                    "You cannot put %(records)s in the store %(store)s: you are neither a "
                    "member nor the leader of it. Choose one of your stores, or leave the "
                    "store empty and a manager will assign it.",
                    records=what,
                    store=foreign[0].display_name,
                )
            )
