from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.store_service_kpi_definitions import (
    SUMS,
    VISIT,
    KpiRow,
    kpi_report_columns,
    kpi_report_fields,
    nps_value,
    sum_report_column,
)
from .store_complaint_report import _no_data_is_empty, _selection_of


class StoreReturnVisitReport(models.Model):
    """Return visit analysis: one row per visit.

    The KPI measures come from the KPI definitions (``store_service_kpi_definitions``):
    each is NULL on the rows outside the KPI's denominator, so that its average is the
    KPI: ``csat_score`` only on done visits with a CSAT, ``nps_value`` +100 for a
    promoter (9-10), 0 for a passive, -100 for a detractor (0-6, 0 included) and NULL
    without an answer.
    """

    _name = "store.return.visit.report"
    _description = "Return Visit Analysis"
    _auto = False

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        groups = super().read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy
        )
        return _no_data_is_empty(self, groups)

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
    attempt_count = fields.Integer(
        string="Failed Attempts", readonly=True, help="Calls that did not reach the customer."
    )
    csat_count = fields.Integer(string="CSAT Answers", readonly=True)
    nps_count = fields.Integer(string="NPS Answers", readonly=True)
    promoter_count = fields.Integer(string="Promoters", readonly=True, help="NPS of 9 or 10.")
    detractor_count = fields.Integer(string="Detractors", readonly=True, help="NPS of 0 to 6.")
    nps_score = fields.Float(
        string="NPS Score (0-10)",
        readonly=True,
        aggregator="avg",
        help="Average recommendation score of the answers.",
    )
    # the KPIs of a visit (completion, CSAT, satisfied, top box, NPS), declared with
    # the KPI
    locals().update(kpi_report_fields(VISIT))

    def action_open_visit(self):
        """Open the return visit behind the row (list view click)."""
        self.ensure_one()
        return self.visit_id.get_formview_action()

    def _select(self):
        row = KpiRow("v")
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
            %(done_count)s,
            COALESCE(v.attempt_count, 0) AS attempt_count,
            %(csat_count)s,
            %(nps_count)s,
            CASE WHEN %(nps)s AND %(nps_value)s >= 9 THEN 1 ELSE 0 END AS promoter_count,
            CASE WHEN %(nps)s AND %(nps_value)s <= 6 THEN 1 ELSE 0 END AS detractor_count,
            CASE WHEN %(nps)s THEN %(nps_value)s END AS nps_score,
            %(kpis)s
            """,
            nps=SUMS["nps_count"].where(row),
            nps_value=nps_value(row),
            done_count=sum_report_column("visit_done_count", row, "done_count"),
            csat_count=sum_report_column("csat_count", row),
            nps_count=sum_report_column("nps_count", row),
            kpis=kpi_report_columns(VISIT, row),
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
