from odoo import fields, models, tools
from odoo.tools import SQL


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
    resolution_on_time_rate = fields.Float(
        string="Resolved On Time (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the complaints resolved before their resolution deadline, over the "
        "complaints resolved or whose deadline has passed.",
    )
    fcr_rate = fields.Float(
        string="First-Contact Resolution (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the resolved complaints resolved at the first contact.",
    )
    resolution_hours = fields.Float(readonly=True, aggregator="avg")
    visit_count = fields.Integer(string="Visits", readonly=True)
    visit_done_count = fields.Integer(string="Visits Done", readonly=True)
    csat_score = fields.Float(
        string="CSAT (1-5)",
        readonly=True,
        aggregator="avg",
        help="Average satisfaction of the done visits with a score.",
    )

    def action_open_record(self):
        """Open the complaint or the return visit behind the row (list view click)."""
        self.ensure_one()
        return (self.complaint_id or self.visit_id).get_formview_action()

    def _query(self):
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
                   CASE WHEN c.date_resolved IS NOT NULL THEN 1 ELSE 0 END AS resolved_count,
                   CASE WHEN c.date_resolved IS NOT NULL
                        THEN CASE WHEN c.date_resolved <= c.resolution_deadline
                                  THEN 100.0 ELSE 0.0 END
                        WHEN c.resolution_deadline < (now() AT TIME ZONE 'UTC') THEN 0.0
                   END AS resolution_on_time_rate,
                   CASE WHEN c.date_resolved IS NOT NULL
                        THEN CASE WHEN c.first_contact_resolution THEN 100.0 ELSE 0.0 END
                   END AS fcr_rate,
                   CASE WHEN c.date_resolved IS NOT NULL
                        THEN EXTRACT(EPOCH FROM c.date_resolved - c.date_received) / 3600.0
                   END AS resolution_hours,
                   0 AS visit_count,
                   0 AS visit_done_count,
                   NULL::numeric AS csat_score
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
                   NULL::numeric AS resolution_on_time_rate,
                   NULL::numeric AS fcr_rate,
                   NULL::numeric AS resolution_hours,
                   1 AS visit_count,
                   CASE WHEN v.state = 'done' THEN 1 ELSE 0 END AS visit_done_count,
                   CASE WHEN v.state = 'done' AND v.csat_score > 0 THEN v.csat_score END
                       AS csat_score
              FROM store_return_visit v
              JOIN res_partner p ON p.id = v.partner_id
             WHERE v.state != 'cancelled'
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
