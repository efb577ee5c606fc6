from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.store_service_kpi_definitions import KPIS, KpiRow
from .store_complaint_report import _no_data_is_empty

SOURCES = [("visit", "Care visit"), ("customer", "Customer form")]


class StoreLostReasonReport(models.Model):
    """Why customers leave, by store and month, beside the manuals' shares.

    One row per done return visit where the customer gave a reason for leaving (its
    store, the day it was done), plus one row per customer whose reason was set on
    the customer form without such a visit (the store of the customer's last
    confirmed order, the day the reason was set). *Share (%)* is a row's part of
    the rows shown (filled by ``read_group`` over the current filters),
    *Reference Share (%)* the manuals' figure of the reason, *Win-back Rate (%)*
    the KPI of the same name over the visit rows.
    """

    _name = "store.lost.reason.report"
    _description = "Why Customers Leave"
    _auto = False
    _order = "date desc"
    # what a search must flush first (the view reads these columns)
    _depends = {  # noqa: RUF012
        "store.return.visit": [
            "state",
            "date_done",
            "lost_reason_id",
            "care_visit",
            "partner_id",
            "team_id",
            "user_id",
            "company_id",
        ],
        "res.partner": ["lost_reason_id", "lost_reason_date", "commercial_partner_id", "user_id"],
        "sale.order": ["state", "date_order", "partner_id", "team_id", "company_id"],
        "store.lost.reason": ["reference_share"],
        "res.company": ["win_back_days"],
    }

    date = fields.Date(readonly=True)
    lost_reason_id = fields.Many2one("store.lost.reason", string="Reason", readonly=True)
    source = fields.Selection(SOURCES, string="Recorded On", readonly=True)
    visit_id = fields.Many2one("store.return.visit", string="Return Visit", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    team_id = fields.Many2one("crm.team", string="Store", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned to", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True)
    share = fields.Float(
        string="Share (%)",
        readonly=True,
        aggregator="sum",
        help="Part of the reasons shown (the current filters) that this row or group holds.",
    )
    reference_share = fields.Float(
        string="Reference Share (%)",
        readonly=True,
        aggregator="avg",
        help="The service manuals' share of customers leaving for this reason.",
    )
    win_back_rate = fields.Float(
        string="Win-back Rate (%)",
        readonly=True,
        aggregator="avg",
        help=KPIS["win_back_rate"].help._source,
    )

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        groups = super().read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy
        )
        if any(spec.split(":")[0] == "share" for spec in fields):
            self._fill_share(domain, groupby, groups, lazy)
        groupby_names = [groupby] if isinstance(groupby, str) else list(groupby or [])
        if "lost_reason_id" not in [name.split(":")[0] for name in groupby_names]:
            # the manuals' share is a figure of one reason: an average over several
            # reasons means nothing (the total row shows none)
            for group in groups:
                if "reference_share" in group:
                    group["reference_share"] = False
        return _no_data_is_empty(self, groups)

    def _fill_share(self, domain, groupby, groups, lazy):
        """Each group's part (%) of the rows matching ``domain``."""
        total = self.search_count(domain or [])
        groupby = [groupby] if isinstance(groupby, str) else list(groupby or [])
        count_key = f"{groupby[0].split(':')[0]}_count" if lazy and groupby else "__count"
        for group in groups:
            count = group.get(count_key, group.get("__count", 0))
            group["share"] = 100.0 * count / total if total else False

    def action_open_record(self):
        """Open the visit (or the customer) behind the row."""
        self.ensure_one()
        return (self.visit_id or self.partner_id).get_formview_action()

    def _query(self):
        visit = KpiRow("v")
        return SQL(
            """
            SELECT v.id * 2 AS id,
                   v.date_done::date AS date,
                   v.lost_reason_id AS lost_reason_id,
                   'visit' AS source,
                   v.id AS visit_id,
                   p.commercial_partner_id AS partner_id,
                   v.team_id AS team_id,
                   v.user_id AS user_id,
                   v.company_id AS company_id,
                   1 AS customer_count,
                   NULL::float AS share,
                   r.reference_share AS reference_share,
                   %(win_back)s AS win_back_rate
              FROM store_return_visit v
              JOIN res_partner p ON p.id = v.partner_id
              JOIN store_lost_reason r ON r.id = v.lost_reason_id
             WHERE v.state = 'done' AND v.lost_reason_id IS NOT NULL
            UNION ALL
            SELECT p.id * 2 + 1 AS id,
                   p.lost_reason_date AS date,
                   p.lost_reason_id AS lost_reason_id,
                   'customer' AS source,
                   NULL AS visit_id,
                   p.id AS partner_id,
                   last_order.team_id AS team_id,
                   p.user_id AS user_id,
                   COALESCE(p.company_id, last_order.company_id) AS company_id,
                   1 AS customer_count,
                   NULL::float AS share,
                   r.reference_share AS reference_share,
                   NULL::numeric AS win_back_rate
              FROM res_partner p
              JOIN store_lost_reason r ON r.id = p.lost_reason_id
              LEFT JOIN LATERAL (
                  SELECT so.team_id, so.company_id
                    FROM sale_order so
                    JOIN res_partner sp ON sp.id = so.partner_id
                   WHERE sp.commercial_partner_id = p.id AND so.state = 'sale'
                ORDER BY so.date_order DESC, so.id DESC
                   LIMIT 1
              ) last_order ON TRUE
             WHERE p.lost_reason_id IS NOT NULL
               AND p.id = p.commercial_partner_id
               AND NOT EXISTS (
                   SELECT 1
                     FROM store_return_visit v2
                     JOIN res_partner p2 ON p2.id = v2.partner_id
                    WHERE p2.commercial_partner_id = p.id
                      AND v2.state = 'done'
                      AND v2.lost_reason_id IS NOT NULL)
            """,
            win_back=KPIS["win_back_rate"].row_value(visit, SQL("100.0")),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
