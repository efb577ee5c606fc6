from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.store_service_kpi_definitions import (
    COMPLAINT,
    VISIT,
    KpiRow,
    kpi_report_columns,
    kpi_report_fields,
    kpi_report_nulls,
    sum_report_column,
)
from .store_complaint_report import _no_data_is_empty

# the KPIs shown per handler, declared with the KPI
COMPLAINT_KPIS = (
    "resolution_on_time_rate",
    "first_contact_resolution_rate",
    "avg_resolution_hours",
)
VISIT_KPIS = ("csat_avg",)


class StoreStaffPerformanceReport(models.Model):
    """Staff performance: one row per complaint handled (not cancelled) and one row per
    return visit assigned (not cancelled), on the date it was received / scheduled.

    Grouped by handler and month, the measures read: complaints handled, resolved,
    resolved on time (%), first-contact resolution (%), visits, visits done and the
    average CSAT of the done visits. Complaint measures are NULL on visit rows and
    the other way round, so that averages only see their own rows.
    """

    _name = "store.staff.performance.report"
    _description = "Staff Performance"
    _auto = False

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        groups = super().read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy
        )
        return _no_data_is_empty(self, groups)

    _order = "date desc"

    date = fields.Date(readonly=True, help="Day the complaint was received or the visit scheduled.")
    user_id = fields.Many2one("res.users", string="Employee", readonly=True)
    team_id = fields.Many2one("crm.team", string="Store", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    record_type = fields.Selection(
        [("complaint", "Complaint"), ("visit", "Return visit")], string="Type", readonly=True
    )
    complaint_id = fields.Many2one("store.complaint", readonly=True)
    visit_id = fields.Many2one("store.return.visit", string="Return Visit", readonly=True)

    complaint_count = fields.Integer(string="Complaints Handled", readonly=True)
    resolved_count = fields.Integer(string="Complaints Resolved", readonly=True)
    locals().update(kpi_report_fields(COMPLAINT, COMPLAINT_KPIS))
    visit_count = fields.Integer(string="Visits", readonly=True)
    visit_done_count = fields.Integer(string="Visits Done", readonly=True)
    locals().update(kpi_report_fields(VISIT, VISIT_KPIS))

    def action_open_record(self):
        """Open the complaint or the return visit behind the row (list view click)."""
        self.ensure_one()
        return (self.complaint_id or self.visit_id).get_formview_action()

    def _query(self):
        complaint, visit = KpiRow("c"), KpiRow("v")
        return SQL(
            """
            SELECT c.id * 2 AS id,
                   (c.date_received AT TIME ZONE 'UTC')::date AS date,
                   c.user_id AS user_id,
                   c.team_id AS team_id,
                   c.company_id AS company_id,
                   c.commercial_partner_id AS partner_id,
                   'complaint' AS record_type,
                   c.id AS complaint_id,
                   NULL::integer AS visit_id,
                   1 AS complaint_count,
                   %(resolved_count)s,
                   %(complaint_kpis)s,
                   0 AS visit_count,
                   0 AS visit_done_count,
                   %(visit_nulls)s
              FROM store_complaint c
             WHERE c.active AND c.state != 'cancelled'
            UNION ALL
            SELECT v.id * 2 + 1 AS id,
                   v.scheduled_date AS date,
                   v.user_id AS user_id,
                   v.team_id AS team_id,
                   v.company_id AS company_id,
                   p.commercial_partner_id AS partner_id,
                   'visit' AS record_type,
                   NULL::integer AS complaint_id,
                   v.id AS visit_id,
                   0 AS complaint_count,
                   0 AS resolved_count,
                   %(complaint_nulls)s,
                   1 AS visit_count,
                   %(visit_done_count)s,
                   %(visit_kpis)s
              FROM store_return_visit v
              JOIN res_partner p ON p.id = v.partner_id
             WHERE v.state != 'cancelled'
            """,
            resolved_count=sum_report_column("resolved_count", complaint),
            complaint_kpis=kpi_report_columns(COMPLAINT, complaint, COMPLAINT_KPIS),
            complaint_nulls=kpi_report_nulls(COMPLAINT, COMPLAINT_KPIS),
            visit_done_count=sum_report_column("visit_done_count", visit),
            visit_kpis=kpi_report_columns(VISIT, visit, VISIT_KPIS),
            visit_nulls=kpi_report_nulls(VISIT, VISIT_KPIS),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
