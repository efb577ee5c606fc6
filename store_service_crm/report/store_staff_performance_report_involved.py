# pylint: disable=no-member
from odoo import fields, models
from odoo.tools import SQL

from ..models.store_service_kpi_definitions import COMPLAINT, KPIS, VISIT, kpi_report_nulls
from .store_staff_performance_report import COMPLAINT_KPIS, VISIT_KPIS


class StoreStaffPerformanceReport(models.Model):
    """Complaints about each person beside the complaints they handled: one more row
    per complaint about an employee (not cancelled), counted in ``complaint_about_count``."""

    _inherit = "store.staff.performance.report"  # pylint: disable=consider-merging-classes-inherited

    record_type = fields.Selection(
        selection_add=[("complaint_about", "Complaint about")], ondelete={}
    )
    complaint_about_count = fields.Integer(string="Complaints About", readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT q.id * 2 AS id, q.date, q.user_id, q.team_id, q.company_id, q.partner_id,
                   q.record_type, q.complaint_id, q.visit_id, q.complaint_count,
                   q.resolved_count, %(complaint_columns)s, q.visit_count, q.visit_done_count,
                   %(visit_columns)s, 0 AS complaint_about_count
              FROM (%(base)s) q
            UNION ALL
            SELECT c.id * 2 + 1 AS id,
                   (c.date_received AT TIME ZONE 'UTC')::date AS date,
                   c.involved_user_id AS user_id,
                   c.team_id AS team_id,
                   c.company_id AS company_id,
                   c.commercial_partner_id AS partner_id,
                   'complaint_about' AS record_type,
                   c.id AS complaint_id,
                   NULL::integer AS visit_id,
                   0 AS complaint_count,
                   0 AS resolved_count,
                   %(complaint_nulls)s,
                   0 AS visit_count,
                   0 AS visit_done_count,
                   %(visit_nulls)s,
                   1 AS complaint_about_count
              FROM store_complaint c
             WHERE c.active AND c.state != 'cancelled' AND c.involved_user_id IS NOT NULL
            """,
            base=super()._query(),
            complaint_columns=self._report_columns(COMPLAINT, COMPLAINT_KPIS),
            visit_columns=self._report_columns(VISIT, VISIT_KPIS),
            complaint_nulls=kpi_report_nulls(COMPLAINT, COMPLAINT_KPIS),
            visit_nulls=kpi_report_nulls(VISIT, VISIT_KPIS),
        )

    def _report_columns(self, source, keys):
        """``q.<column>`` of the KPI measures of ``keys``, in the base query's order."""
        names = [
            kpi.report_field
            for kpi in KPIS.values()
            if kpi.report_field and kpi.source == source and kpi.key in keys
        ]
        return SQL(", ").join(SQL.identifier("q", name) for name in names)
