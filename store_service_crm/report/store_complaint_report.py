from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.store_service_kpi_definitions import (
    COMPLAINT,
    KpiRow,
    create_sql_functions,
    kpi_join_company,
    kpi_report_columns,
    kpi_report_fields,
    sum_report_column,
)


def _no_data_is_empty(model, groups):
    """An average over no value (a rate without a denominator, a score nobody gave) is
    NULL in SQL and ``None`` in ``read_group``; the web client shows ``None`` as 0.00 but
    ``False`` as an empty cell: no data shows empty, not 0."""
    averaged = [
        name
        for name, field in model._fields.items()
        if field.type in ("float", "monetary", "integer") and field.aggregator == "avg"
    ]
    for group in groups:
        for name in averaged:
            if name in group and group[name] is None:
                group[name] = False
    return groups


def _selection_of(model, field):
    """The (translated) selection of ``model.field``: the report shows the same labels."""
    return lambda self: self.env[model]._fields[field]._description_selection(self.env)


class StoreComplaintReport(models.Model):
    """Complaint analysis: one row per complaint (archived complaints left out).

    Cancelled complaints are kept, with their state, so that they can be counted;
    the search view filters them out by default (the KPIs exclude them too).
    Shares are percentages 0-100 averaged over the complaints they apply to: a
    complaint whose figure is not decided yet (not answered and deadline not
    passed, not resolved...) holds NULL and does not weigh in the average. The
    definitions are the KPI engine's (``store.service.kpi``): over the same
    complaints, the averages are its rates times 100.
    """

    _name = "store.complaint.report"
    _description = "Complaint Analysis"
    _auto = False

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        groups = super().read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy
        )
        return _no_data_is_empty(self, groups)

    _rec_name = "name"
    _order = "date_received desc"

    complaint_id = fields.Many2one("store.complaint", readonly=True)
    name = fields.Char(string="Reference", readonly=True)
    date_received = fields.Datetime(string="Received", readonly=True)
    date_resolved = fields.Datetime(string="Resolved On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    team_id = fields.Many2one("crm.team", string="Store", readonly=True)
    user_id = fields.Many2one("res.users", string="Handler", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    loyalty_tier_id = fields.Many2one("store.loyalty.tier", string="Customer Tier", readonly=True)
    is_vip = fields.Boolean(string="VIP", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    category_id = fields.Many2one("store.complaint.category", readonly=True)
    channel = fields.Selection(_selection_of("store.complaint", "channel"), readonly=True)
    severity = fields.Selection(_selection_of("store.complaint", "severity"), readonly=True)
    state = fields.Selection(_selection_of("store.complaint", "state"), readonly=True)
    responsibility = fields.Selection(
        _selection_of("store.complaint", "responsibility"), readonly=True
    )
    resolution_type = fields.Selection(
        _selection_of("store.complaint", "resolution_type"), readonly=True
    )
    promise_status = fields.Selection(
        _selection_of("store.complaint", "promise_status"), readonly=True
    )
    is_repeat = fields.Boolean(string="Repeat Complaint", readonly=True)

    request_type_id = fields.Many2one("store.request.type", readonly=True)
    counts_as_complaint = fields.Boolean(readonly=True)
    on_hold = fields.Boolean(string="Waiting for the Customer", readonly=True)

    # measures
    request_count = fields.Integer(string="Requests", readonly=True)
    complaint_count = fields.Integer(
        string="Complaints",
        readonly=True,
        help="Requests of a type that counts as a complaint (not repairs, installations "
        "or questions).",
    )
    resolved_count = fields.Integer(string="Resolved", readonly=True)
    open_overdue_count = fields.Integer(
        string="Open Overdue",
        readonly=True,
        help="Open complaints whose response or resolution deadline has passed.",
    )
    # the KPIs of a complaint (response within SLA and within 24 h, resolution within
    # SLA, one-pass resolution, resolution hours), declared with the KPI
    locals().update(kpi_report_fields(COMPLAINT))
    return_count = fields.Integer(
        string="Returns",
        readonly=True,
        help="Complaints resolved by a refund, an exchange or a replacement.",
    )
    compensation_amount = fields.Monetary(
        string="Compensation",
        readonly=True,
        currency_field="currency_id",
        help="Compensation granted, in the company currency.",
    )
    service_cost = fields.Monetary(
        readonly=True,
        currency_field="currency_id",
        help="Compensation (or the posted credit note issued from the complaint) plus "
        "replacement goods at cost, in the company currency.",
    )
    reopen_count = fields.Integer(string="Reopenings", readonly=True)
    satisfaction_score = fields.Float(
        string="Satisfaction (1-5)",
        readonly=True,
        aggregator="avg",
        help="Average customer satisfaction of the rated complaints.",
    )

    def action_open_complaint(self):
        """Open the complaint behind the row (list view click)."""
        self.ensure_one()
        return self.complaint_id.get_formview_action()

    def _select(self):
        row = KpiRow("c")
        return SQL(
            """
            c.id AS id,
            c.id AS complaint_id,
            c.name AS name,
            c.date_received AS date_received,
            c.date_resolved AS date_resolved,
            c.company_id AS company_id,
            rc.currency_id AS currency_id,
            c.team_id AS team_id,
            c.user_id AS user_id,
            c.commercial_partner_id AS partner_id,
            c.loyalty_tier_id AS loyalty_tier_id,
            c.is_vip AS is_vip,
            c.product_id AS product_id,
            pt.categ_id AS product_categ_id,
            c.category_id AS category_id,
            c.channel AS channel,
            c.severity AS severity,
            c.state AS state,
            c.responsibility AS responsibility,
            c.resolution_type AS resolution_type,
            c.promise_status AS promise_status,
            COALESCE(c.is_repeat, FALSE) AS is_repeat,
            c.request_type_id AS request_type_id,
            COALESCE(c.counts_as_complaint, TRUE) AS counts_as_complaint,
            c.on_hold AS on_hold,
            1 AS request_count,
            %(complaint_count)s,
            %(resolved_count)s,
            CASE WHEN c.state IN ('new', 'assigned', 'in_progress')
                  AND c.on_hold IS NOT TRUE
                  AND ((c.date_first_response IS NULL AND c.response_deadline < %(now)s)
                       OR c.resolution_deadline < %(now)s)
                 THEN 1 ELSE 0 END AS open_overdue_count,
            %(kpis)s,
            %(return_count)s,
            %(compensation)s,
            %(service_cost)s,
            COALESCE(c.reopen_count, 0) AS reopen_count,
            NULLIF(c.satisfaction_score, 0.0) AS satisfaction_score
            """,
            now=SQL("(now() AT TIME ZONE 'UTC')"),
            kpis=kpi_report_columns(COMPLAINT, row),
            complaint_count=sum_report_column("complaint_count", row),
            resolved_count=sum_report_column("resolved_count", row),
            return_count=sum_report_column("return_count", row),
            compensation=sum_report_column("compensation_amount", row),
            service_cost=sum_report_column("service_cost", row),
        )

    def _from(self):
        return SQL(
            """
            store_complaint c
            JOIN res_company rc ON rc.id = c.company_id
            LEFT JOIN product_product pp ON pp.id = c.product_id
            LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
            %s
            """,
            kpi_join_company(KpiRow("c")),
        )

    def _where(self):
        return SQL("c.active")

    def _query(self):
        return SQL("SELECT %s FROM %s WHERE %s", self._select(), self._from(), self._where())

    def init(self):
        create_sql_functions(self.env.cr, self.env["store.service.kpi"]._service_cost_extra_sql())
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
