import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import split_every

_logger = logging.getLogger(__name__)


class StoreScorecardLog(models.Model):
    _name = "store.scorecard.log"
    _description = "Monthly Scorecard Email"
    _order = "month desc, team_id"
    _rec_name = "team_id"

    team_id = fields.Many2one("crm.team", string="Store", required=True, ondelete="cascade")
    month = fields.Date(required=True, help="First day of the month of the scorecard.")
    company_id = fields.Many2one(related="team_id.company_id", store=True)
    recipient_id = fields.Many2one("res.partner", string="Sent To", ondelete="set null")
    mail_id = fields.Many2one("mail.mail", string="Email", ondelete="set null")
    date_sent = fields.Datetime(string="Queued On", default=fields.Datetime.now, required=True)

    _sql_constraints = [  # noqa: RUF012
        (
            "team_month_uniq",
            "UNIQUE(team_id, month)",
            "The scorecard of a store is sent once per month.",
        ),
    ]

    @api.model
    def _cron_send_monthly_scorecards(self):
        """Monthly cron (inactive by default): last month's scorecard to each store's
        leader, in committed batches; a rerun sends nothing twice."""
        self._send_monthly_scorecards(commit=True)

    @api.model
    def _send_monthly_scorecards(self, month=None, batch_size=10, commit=False):
        """Queue the scorecard email of ``month`` (any day in it; default: last month)
        for every store with a leader who has an email, unless already sent.
        Returns the logs created."""
        if not month:
            month = fields.Date.context_today(self) - relativedelta(months=1)
        month = fields.Date.to_date(month).replace(day=1)
        template = self.env.ref(
            "store_service_crm.mail_template_store_scorecard", raise_if_not_found=False
        )
        if not template:
            return self.browse()
        Team = self.env["crm.team"]
        teams = Team.search(
            [
                *Team._store_service_store_domain(),
                ("user_id", "!=", False),
                ("user_id.email", "!=", False),
            ],
            order="id",
        )
        sent = self.search([("month", "=", month), ("team_id", "in", teams.ids)]).team_id
        todo = teams - sent
        logs = self.browse()
        done = 0
        template = template.with_context(scorecard_date=fields.Date.to_string(month))
        for batch_ids in split_every(batch_size, todo.ids):
            for team in self.env["crm.team"].browse(batch_ids):
                try:
                    with self.env.cr.savepoint():
                        log = self.create({"team_id": team.id, "month": month})
                        mail_id = template.send_mail(team.id)
                        log.write({"mail_id": mail_id, "recipient_id": team.user_id.partner_id.id})
                        logs |= log
                except Exception:
                    # Left for the next run (no log written): one failing store does
                    # not stop the others.
                    _logger.exception("Scorecard email of store %s failed", team.display_name)
            done += len(batch_ids)
            if commit:
                self.env["ir.cron"]._notify_progress(done=done, remaining=len(todo) - done)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return logs
