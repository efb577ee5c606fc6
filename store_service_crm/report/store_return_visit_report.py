from odoo import fields, models, tools
from odoo.tools import SQL

from .store_complaint_report import _selection_of


class StoreReturnVisitReport(models.Model):
    """Return visit analysis: one row per visit.

    Scores only count for done visits that have them: ``csat_score`` is NULL
    when the visit is not done or the customer gave no CSAT (0), so that its
    average is the CSAT of the KPIs; ``nps_value`` is +100 for a promoter (9-10),
    0 for a passive (7-8), -100 for a detractor (0-6) and NULL without an answer,
    so that its average is the NPS.
    """

    _name = "store.return.visit.report"
    _description = "Return Visit Analysis"
    _auto = False
    _order = "scheduled_date desc"

    visit_id = fields.Many2one("store.return.visit", string="Return Visit", readonly=True)
    scheduled_date = fields.Date(readonly=True)
    date_done = fields.Datetime(string="Done On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("crm.team", string="Store", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned to", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    loyalty_tier_id = fields.Many2one("store.loyalty.tier", string="Customer Tier", readonly=True)
    rule_id = fields.Many2one("store.return.visit.rule", readonly=True)
    complaint_id = fields.Many2one("store.complaint", readonly=True)
    origin = fields.Selection(_selection_of("store.return.visit", "origin"), readonly=True)
    channel = fields.Selection(_selection_of("store.return.visit", "channel"), readonly=True)
    state = fields.Selection(
        _selection_of("store.return.visit", "state"), string="Outcome", readonly=True
    )

    # measures
    visit_count = fields.Integer(string="Visits", readonly=True)
    done_count = fields.Integer(string="Done", readonly=True)
    completion_rate = fields.Float(
        string="Completion (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the visits done over the visits due (not cancelled, scheduled "
        "today or before, or done).",
    )
    attempt_count = fields.Integer(
        string="Failed Attempts", readonly=True, help="Calls that did not reach the customer."
    )
    csat_count = fields.Integer(string="CSAT Answers", readonly=True)
    csat_score = fields.Float(
        string="CSAT (1-5)",
        readonly=True,
        aggregator="avg",
        help="Average satisfaction of the done visits with a score.",
    )
    satisfaction_rate = fields.Float(
        string="Satisfied (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the CSAT scores of 4 or 5.",
    )
    top_box_rate = fields.Float(
        string="Very Satisfied (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the CSAT scores of 5.",
    )
    nps_count = fields.Integer(string="NPS Answers", readonly=True)
    promoter_count = fields.Integer(string="Promoters", readonly=True, help="NPS of 9 or 10.")
    detractor_count = fields.Integer(string="Detractors", readonly=True, help="NPS of 0 to 6.")
    nps_score = fields.Float(
        string="NPS Score (0-10)",
        readonly=True,
        aggregator="avg",
        help="Average recommendation score of the answers.",
    )
    nps_value = fields.Float(
        string="NPS",
        readonly=True,
        aggregator="avg",
        help="Net Promoter Score, -100 to 100: % of promoters minus % of detractors.",
    )

    def action_open_visit(self):
        """Open the return visit behind the row (list view click)."""
        self.ensure_one()
        return self.visit_id.get_formview_action()

    def _select(self):
        return SQL(
            """
            v.id AS id,
            v.id AS visit_id,
            v.scheduled_date AS scheduled_date,
            v.date_done AS date_done,
            v.company_id AS company_id,
            v.team_id AS team_id,
            v.user_id AS user_id,
            p.commercial_partner_id AS partner_id,
            cp.loyalty_tier_id AS loyalty_tier_id,
            v.rule_id AS rule_id,
            v.complaint_id AS complaint_id,
            v.origin AS origin,
            v.channel AS channel,
            v.state AS state,
            1 AS visit_count,
            CASE WHEN v.state = 'done' THEN 1 ELSE 0 END AS done_count,
            CASE WHEN v.state = 'done' THEN 100.0
                 WHEN v.state != 'cancelled'
                  AND v.scheduled_date <= (now() AT TIME ZONE 'UTC')::date THEN 0.0
            END AS completion_rate,
            COALESCE(v.attempt_count, 0) AS attempt_count,
            CASE WHEN %(csat)s THEN 1 ELSE 0 END AS csat_count,
            CASE WHEN %(csat)s THEN v.csat_score END AS csat_score,
            CASE WHEN %(csat)s THEN CASE WHEN v.csat_score >= 4 THEN 100.0 ELSE 0.0 END
            END AS satisfaction_rate,
            CASE WHEN %(csat)s THEN CASE WHEN v.csat_score = 5 THEN 100.0 ELSE 0.0 END
            END AS top_box_rate,
            CASE WHEN %(nps)s THEN 1 ELSE 0 END AS nps_count,
            CASE WHEN %(nps)s AND v.nps_score >= 9 THEN 1 ELSE 0 END AS promoter_count,
            CASE WHEN %(nps)s AND v.nps_score <= 6 THEN 1 ELSE 0 END AS detractor_count,
            CASE WHEN %(nps)s THEN v.nps_score END AS nps_score,
            CASE WHEN %(nps)s THEN CASE WHEN v.nps_score >= 9 THEN 100.0
                                       WHEN v.nps_score <= 6 THEN -100.0
                                       ELSE 0.0 END
            END AS nps_value
            """,
            csat=SQL("(v.state = 'done' AND v.csat_score > 0)"),
            nps=SQL("(v.state = 'done' AND v.nps_given)"),
        )

    def _from(self):
        return SQL(
            """
            store_return_visit v
            JOIN res_partner p ON p.id = v.partner_id
            LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
            """
        )

    def _query(self):
        return SQL("SELECT %s FROM %s", self._select(), self._from())

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
