from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.store_service_kpi_definitions import SUMS, KpiRow
from .store_complaint_report import _no_data_is_empty, _selection_of

CSAT_LEVELS = [
    ("1", "1 - Very dissatisfied"),
    ("2", "2 - Dissatisfied"),
    ("3", "3 - Neutral"),
    ("4", "4 - Satisfied"),
    ("5", "5 - Very satisfied"),
]
WINDOWS = (30, 90, 180)
# a visit without a complaint of its own is matched with the customer's last complaint
# resolved in the days before it (a call a year later says nothing about that remedy)
REMEDY_DAYS = 90
# compensation granted on the complaint before the visit (company currency)
COMPENSATION_BANDS = [
    ("none", "No compensation"),
    ("low", "Under 100"),
    ("medium", "100 to 500"),
    ("high", "500 and more"),
]


class StoreRepurchaseReport(models.Model):
    """Satisfaction -> repurchase: one row per done return visit with a CSAT (1-5).

    For each visit, did the customer (the commercial entity, any of its contacts)
    confirm another order in the same company within 30, 90 or 180 days after the
    visit? A window counts only once it is over (visit + N days in the past): a
    recent visit is left out of that window's rate (NULL) rather than counted as
    "no repurchase yet", so recent and old visits compare fairly. Grouped by CSAT
    score, the rates answer "do 5-score customers rebuy more than 4-score ones?".
    Revenue is untaxed, in the company currency (``amount_untaxed / currency_rate``,
    as the KPIs).

    What wins a customer back: each visit also carries the remedy of the complaint
    before it (the complaint the visit verifies, else the customer's last complaint
    resolved in the 90 days before the visit): its resolution type and compensation band, so that
    the rates grouped by remedy show whether a replacement or a voucher keeps
    customers. Visits without a complaint before them have no remedy.
    """

    _name = "store.repurchase.report"
    _description = "Satisfaction and Repurchase"
    _auto = False

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        groups = super().read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy
        )
        return _no_data_is_empty(self, groups)

    _order = "date desc"

    visit_id = fields.Many2one("store.return.visit", string="Return Visit", readonly=True)
    date = fields.Date(string="Visit Date", readonly=True, help="Day the visit was done.")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    team_id = fields.Many2one("crm.team", string="Store", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned to", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    loyalty_tier_id = fields.Many2one("store.loyalty.tier", string="Customer Tier", readonly=True)
    origin = fields.Selection(_selection_of("store.return.visit", "origin"), readonly=True)
    csat_level = fields.Selection(CSAT_LEVELS, string="CSAT Score", readonly=True)
    csat_score = fields.Float(string="CSAT (1-5)", readonly=True, aggregator="avg")
    visit_count = fields.Integer(string="Rated Visits", readonly=True)
    complaint_id = fields.Many2one(
        "store.complaint",
        string="Complaint Before",
        readonly=True,
        help="The complaint the visit verifies, else the customer's last complaint resolved "
        "in the 90 days before the visit.",
    )
    resolution_type = fields.Selection(
        _selection_of("store.complaint", "resolution_type"),
        string="Remedy",
        readonly=True,
        help="Resolution type of the complaint before the visit.",
    )
    compensation_band = fields.Selection(
        COMPENSATION_BANDS,
        readonly=True,
        help="Compensation granted on the complaint before the visit (company currency).",
    )
    next_order_date = fields.Datetime(
        string="Next Order", readonly=True, help="First confirmed order after the visit."
    )
    days_to_next_order = fields.Float(
        string="Days to Next Order",
        readonly=True,
        aggregator="avg",
        help="Days from the visit to the next confirmed order (customers who bought again).",
    )
    repurchase_30_rate = fields.Float(
        string="Repurchase in 30 Days (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the customers who confirmed another order within 30 days after the "
        "visit (visits of the last 30 days are not counted yet).",
    )
    repurchase_90_rate = fields.Float(
        string="Repurchase in 90 Days (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the customers who confirmed another order within 90 days after the "
        "visit (visits of the last 90 days are not counted yet).",
    )
    repurchase_180_rate = fields.Float(
        string="Repurchase in 180 Days (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the customers who confirmed another order within 180 days after the "
        "visit (visits of the last 180 days are not counted yet).",
    )
    revenue_90 = fields.Monetary(
        string="Revenue in 90 Days",
        readonly=True,
        aggregator="avg",
        currency_field="currency_id",
        help="Untaxed amount of the customer's orders within 90 days after the visit, in the "
        "company currency (average per visit; visits of the last 90 days not counted yet).",
    )

    def action_open_visit(self):
        """Open the return visit behind the row (list view click)."""
        self.ensure_one()
        return self.visit_id.get_formview_action()

    def _query(self):
        # One grouped join (visits x later orders of the same customer), not a query per
        # visit: the planner hashes it for the whole chain (a few seconds for 70 k rated
        # visits / 500 k orders) and, as every column a search filters on is a grouping
        # column, pushes a store / company / user / date filter below the aggregate
        # (index scans, milliseconds for one store).
        visit_at = SQL("COALESCE(v.date_done, v.scheduled_date::timestamp)")
        now = SQL("(now() AT TIME ZONE 'UTC')")
        rates = [
            SQL(
                """CASE WHEN %(visit_at)s + %(days)s <= %(now)s
                        THEN CASE WHEN MIN(so.date_order) <= %(visit_at)s + %(days)s
                                  THEN 100.0 ELSE 0.0 END
                   END AS %(column)s""",
                visit_at=visit_at,
                days=SQL("INTERVAL %s", f"{days} days"),
                now=now,
                column=SQL.identifier(f"repurchase_{days}_rate"),
            )
            for days in WINDOWS
        ]
        return SQL(
            """
            SELECT v.id AS id,
                   v.id AS visit_id,
                   %(visit_at)s::date AS date,
                   v.company_id AS company_id,
                   rc.currency_id AS currency_id,
                   v.team_id AS team_id,
                   v.user_id AS user_id,
                   p.commercial_partner_id AS partner_id,
                   cp.loyalty_tier_id AS loyalty_tier_id,
                   v.origin AS origin,
                   v.csat_score::varchar AS csat_level,
                   v.csat_score::numeric AS csat_score,
                   1 AS visit_count,
                   %(remedy_columns)s,
                   MIN(so.date_order) AS next_order_date,
                   EXTRACT(EPOCH FROM MIN(so.date_order) - %(visit_at)s) / 86400.0
                       AS days_to_next_order,
                   %(rates)s,
                   CASE WHEN %(visit_at)s + INTERVAL '90 days' <= %(now)s
                        THEN COALESCE(SUM(
                            CASE WHEN so.date_order <= %(visit_at)s + INTERVAL '90 days'
                                 THEN so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                            END), 0.0)
                   END AS revenue_90
              FROM store_return_visit v
              JOIN res_partner p ON p.id = v.partner_id
              JOIN res_partner cp ON cp.id = p.commercial_partner_id
              JOIN res_company rc ON rc.id = v.company_id
              %(remedy_join)s
              LEFT JOIN res_partner sp ON sp.commercial_partner_id = p.commercial_partner_id
              LEFT JOIN sale_order so ON so.partner_id = sp.id
                                     AND so.state = 'sale'
                                     AND so.company_id = v.company_id
                                     AND so.date_order > %(visit_at)s
             WHERE %(rated)s
             GROUP BY v.id, v.company_id, rc.currency_id, v.team_id, v.user_id,
                      p.commercial_partner_id, cp.loyalty_tier_id, v.origin, v.csat_score,
                      %(visit_at)s::date, remedy.id, remedy.resolution_type,
                      remedy.compensation_amount
            """,
            visit_at=visit_at,
            now=now,
            remedy_columns=self._remedy_columns(),
            remedy_join=self._remedy_join(visit_at),
            rates=SQL(", ").join(rates),
            # the rated visits of the CSAT KPI
            rated=SUMS["csat_count"].where(KpiRow("v")),
        )

    def _remedy_columns(self):
        """The complaint before the visit, its resolution type and compensation band."""
        return SQL(
            """remedy.id AS complaint_id,
               remedy.resolution_type AS resolution_type,
               CASE WHEN remedy.id IS NULL THEN NULL
                    WHEN COALESCE(remedy.compensation_amount, 0.0) <= 0 THEN 'none'
                    WHEN remedy.compensation_amount < 100 THEN 'low'
                    WHEN remedy.compensation_amount < 500 THEN 'medium'
                    ELSE 'high'
               END AS compensation_band"""
        )

    def _remedy_join(self, visit_at):
        """``remedy``: the complaint the visit verifies, else the customer's last complaint
        resolved in the ``REMEDY_DAYS`` before the visit (one index lookup per visit)."""
        return SQL(
            """LEFT JOIN LATERAL (
                  SELECT c.id, c.resolution_type, c.compensation_amount
                    FROM store_complaint c
                   WHERE c.id = v.complaint_id
                      OR (v.complaint_id IS NULL
                          AND c.commercial_partner_id = p.commercial_partner_id
                          AND c.company_id = v.company_id
                          AND c.active
                          AND c.state IN ('resolved', 'closed')
                          AND c.date_resolved <= %(visit_at)s
                          AND c.date_resolved > %(visit_at)s - %(remedy_days)s)
                ORDER BY c.date_resolved DESC NULLS LAST, c.id DESC
                   LIMIT 1
              ) remedy ON TRUE""",
            visit_at=visit_at,
            remedy_days=SQL("INTERVAL %s", f"{REMEDY_DAYS} days"),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
