from odoo import api, fields, models
from odoo.exceptions import AccessError

MANAGER_GROUP = "store_service_crm.group_store_service_manager"


class CrmTeam(models.Model):
    """A store is a sales team marked as a store (``is_store``): other sales teams
    ("Sales", "Pre-Sales", an online shop) are not ranked, printed or offered as a
    store. A user belongs to the stores they are a member or the leader of; the record
    rules of complaints and visits use the same definition."""

    _inherit = "crm.team"

    is_store = fields.Boolean(
        string="Store",
        default=False,
        index=True,
        help="This team is a store: its complaints and return visits are filed in it, it "
        "is ranked on the service dashboard and gets a monthly scorecard. Sales teams "
        "that are not stores are not offered as a complaint's or a visit's store.",
    )

    @api.model
    def _store_service_store_domain(self):
        """The one definition of a store, as a domain on crm.team (every store
        selection reads it: complaint and visit fields, dashboard, scorecard, reports,
        the KPI engine's "all stores")."""
        return [("is_store", "=", True)]

    @api.model
    def _store_service_selectable_domain(self):
        """Domain of the stores the current user may choose (a complaint's or a visit's
        store, the dashboard's and the scorecard's store selector): every store for
        managers, else the stores they work in."""
        if self._store_service_is_manager():
            return self._store_service_store_domain()
        return [
            *self._store_service_store_domain(),
            ("id", "in", self._store_service_user_stores().ids),
        ]

    @api.model
    def _store_service_stores(self):
        """Every store of the session's companies (managers' "all stores")."""
        return self.search(
            [
                *self._store_service_store_domain(),
                ("company_id", "in", [False, *self.env.companies.ids]),
            ]
        )

    @api.model
    def _store_service_user_stores(self):
        """The stores (not other sales teams) the current user works in."""
        return self._store_service_user_teams().filtered("is_store")

    @api.model
    def _store_service_default_store(self):
        """The store a new complaint or visit of the current user goes to: their sales
        team if it is a store, else their only store, else none."""
        team = self.env.user.sale_team_id
        if team.is_store:
            return team
        stores = self._store_service_user_stores()
        return stores if len(stores) == 1 else self.browse()

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
        """The store ``team`` if it is a store and the current user may file records in
        it, else an empty recordset (managers: any store; others: their own stores). A
        sales team that is not a store (an order's "Sales" team) gives no store."""
        team = team.filtered("is_store")
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
