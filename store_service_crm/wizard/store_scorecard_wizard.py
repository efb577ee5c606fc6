from datetime import date

from babel.dates import get_month_names
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import babel_locale_parse


class StoreScorecardWizard(models.TransientModel):
    _name = "store.scorecard.wizard"
    _description = "Print Store Scorecards"

    def _default_team_ids(self):
        """Managers: every store; store users: their stores (never a sales team that
        is not a store)."""
        Team = self.env["crm.team"]
        if Team._store_service_is_manager():
            return Team._store_service_stores()
        return self._get_user_teams()

    month = fields.Selection(
        "_selection_month",
        required=True,
        default=lambda self: str(fields.Date.context_today(self).month),
    )
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    date_from = fields.Date(
        string="From", compute="_compute_dates", help="First day of the month printed."
    )
    date_to = fields.Date(string="To", compute="_compute_dates")
    # Set when the wizard opens: managers choose any store, store users the stores they
    # belong to or lead (the report checks it again).
    is_manager = fields.Boolean(
        default=lambda self: self.env["crm.team"]._store_service_is_manager()
    )
    allowed_team_ids = fields.Many2many(
        "crm.team",
        "store_scorecard_wizard_allowed_team_rel",
        default=lambda self: self._get_user_teams(),
    )
    team_ids = fields.Many2many(
        "crm.team",
        string="Stores",
        required=True,
        default=lambda self: self._default_team_ids(),
        domain=lambda self: self.env["crm.team"]._store_service_selectable_domain(),
    )

    @api.model
    def _selection_month(self):
        # Month names in the user's language (January... / 一月...).
        names = get_month_names("wide", locale=babel_locale_parse(self.env.lang or "en_US"))
        return [(str(number), names[number]) for number in range(1, 13)]

    @api.depends("month", "year")
    def _compute_dates(self):
        for wizard in self:
            if wizard.month and 1900 < wizard.year < 3000:
                wizard.date_from = date(wizard.year, int(wizard.month), 1)
                wizard.date_to = wizard.date_from + relativedelta(months=1, days=-1)
            else:
                wizard.date_from = wizard.date_to = False

    @api.model
    def _get_user_teams(self):
        """The stores the user belongs to or leads (the definition of the record rules
        and of the KPI engine)."""
        return self.env["crm.team"]._store_service_user_stores()

    def action_print(self):
        self.ensure_one()
        if not self.date_from:
            raise UserError(self.env._("Choose a month and a valid year."))
        if not self.team_ids:
            raise UserError(self.env._("Choose at least one store."))
        not_stores = self.team_ids.filtered(lambda team: not team.is_store)  # pylint: disable=no-member
        if not_stores:
            raise UserError(
                self.env._(
                    "%(teams)s is not a store: scorecards are printed for stores only "
                    '(tick "Store" on the sales team to make it one).',
                    teams=", ".join(not_stores.mapped("display_name")),
                )
            )
        report = self.env.ref("store_service_crm.action_report_store_scorecard")
        # config=False: an internal report, printed in its own layout, never opens the
        # company's document layout configurator
        return report.report_action(
            self.team_ids,
            config=False,
            data={
                "date_from": fields.Date.to_string(self.date_from),
                "team_ids": self.team_ids.ids,  # pylint: disable=no-member
            },
        )

    def action_preview(self):
        """The same scorecards on screen (HTML), with a Print button for the PDF."""
        action = self.action_print()
        action["report_type"] = "qweb-html"
        return action
