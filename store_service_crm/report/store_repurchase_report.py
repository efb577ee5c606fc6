from odoo import fields, models, tools
from odoo.tools import SQL

from .store_complaint_report import _selection_of

CSAT_LEVELS = [
    ("1", "1 - Very dissatisfied"),
    ("2", "2 - Dissatisfied"),
    ("3", "3 - Neutral"),
    ("4", "4 - Satisfied"),
    ("5", "5 - Very satisfied"),
]
WINDOWS = (30, 90, 180)


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
    """

    _name = "store.repurchase.report"
    _description = "Satisfaction and Repurchase"
    _auto = False
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
        return {
            "type": "ir.actions.act_window",
            "res_model": "store.return.visit",
            "views": [[False, "form"]],
            "res_id": self.visit_id.id,
        }

    def _query(self):
        rates = [
            SQL(
                """CASE WHEN x.visit_at + %(days)s <= %(now)s
                        THEN CASE WHEN o.first_date <= x.visit_at + %(days)s
                                  THEN 100.0 ELSE 0.0 END
                   END AS %(column)s""",
                days=SQL("INTERVAL %s", f"{days} days"),
                now=SQL("(now() AT TIME ZONE 'UTC')"),
                column=SQL.identifier(f"repurchase_{days}_rate"),
            )
            for days in WINDOWS
        ]
        return SQL(
            """
            SELECT x.id AS id,
                   x.id AS visit_id,
                   x.visit_at::date AS date,
                   x.company_id AS company_id,
                   rc.currency_id AS currency_id,
                   x.team_id AS team_id,
                   x.user_id AS user_id,
                   x.partner_id AS partner_id,
                   cp.loyalty_tier_id AS loyalty_tier_id,
                   x.origin AS origin,
                   x.csat_score::varchar AS csat_level,
                   x.csat_score::numeric AS csat_score,
                   1 AS visit_count,
                   o.first_date AS next_order_date,
                   EXTRACT(EPOCH FROM o.first_date - x.visit_at) / 86400.0 AS days_to_next_order,
                   %(rates)s,
                   CASE WHEN x.visit_at + INTERVAL '90 days' <= (now() AT TIME ZONE 'UTC')
                        THEN COALESCE(o.revenue_90, 0.0) END AS revenue_90
              FROM (SELECT v.id, v.company_id, v.team_id, v.user_id, v.origin, v.csat_score,
                           p.commercial_partner_id AS partner_id,
                           COALESCE(v.date_done, v.scheduled_date::timestamp) AS visit_at
                      FROM store_return_visit v
                      JOIN res_partner p ON p.id = v.partner_id
                     WHERE v.state = 'done' AND v.csat_score BETWEEN 1 AND 5) x
              JOIN res_company rc ON rc.id = x.company_id
              LEFT JOIN res_partner cp ON cp.id = x.partner_id
              LEFT JOIN LATERAL (
                   SELECT MIN(so.date_order) AS first_date,
                          SUM(CASE WHEN so.date_order <= x.visit_at + INTERVAL '90 days'
                                   THEN so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                                   ELSE 0 END) AS revenue_90
                     FROM res_partner sp
                     JOIN sale_order so ON so.partner_id = sp.id
                    WHERE sp.commercial_partner_id = x.partner_id
                      AND so.state = 'sale'
                      AND so.company_id = x.company_id
                      AND so.date_order > x.visit_at
              ) o ON TRUE
            """,
            rates=SQL(", ").join(rates),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
