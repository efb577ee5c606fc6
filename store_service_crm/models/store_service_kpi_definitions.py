"""Every KPI of the addon, declared once (DESIGN.md, "KPI definitions").

Two tables, read by every screen that shows a figure:

- ``SUMS``: the raw figures the KPI engine reads from the database, each one a
  filter (and a value to add up, else a count) over complaints, visits or orders;
- ``KPIS``: each KPI as a numerator sum over a denominator sum, with its label,
  definition, unit, direction, target and weight settings, the records a drill-down
  opens and the measure the analysis reports show.

The engine (``compute_kpis``) turns the ``SUMS`` into SQL aggregates and the
``KPIS`` into ratios; ``kpi_status`` and the service score read their targets and
weights; the dashboard cards, trend and ranking, the monthly scorecard (PDF and
email) and the analysis reports' measures (``kpi_report_fields`` and
``kpi_report_columns``) read their labels, units and SQL from here. Adding a KPI
means adding its sums and one ``Kpi`` entry below (README, "Adding a KPI").

SQL is written against a ``KpiRow``: the alias of the row (the engine's query table
or the report's ``c``/``v``), "now" and "today" (parameters in the engine, the
database clock in the report views).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from odoo import fields
from odoo.osv import expression
from odoo.tools import SQL, LazyTranslate
from odoo.tools.misc import get_lang

_lt = LazyTranslate(__name__)

COMPLAINT, VISIT, ORDER = "complaint", "visit", "order"
# resolutions that take goods back or give new ones (退换货): refund, exchange, replacement
RETURN_TYPES = ("refund", "exchange", "replace")
NONE_DISPLAY = "–"


class KpiRow:
    """The row a KPI filter is written against: ``row("column")``; the row's company
    is joined as ``row.company_alias`` (``kpi_join_company``)."""

    def __init__(self, alias, now=None, today=None):
        self.alias = alias
        self.company_alias = f"{alias}_kpi_company"
        self.now = SQL("%s", now) if now is not None else SQL("(now() AT TIME ZONE 'UTC')")
        self.today = (
            SQL("%s", today) if today is not None else SQL("(now() AT TIME ZONE 'UTC')::date")
        )

    def __call__(self, column):
        return SQL.identifier(self.alias, column)

    def company(self, setting):
        """A setting of the row's company."""
        return SQL.identifier(self.company_alias, setting)

    def company_condition(self):
        return SQL("%s = %s", SQL.identifier(self.company_alias, "id"), self("company_id"))


def kpi_join_company(row):
    """``LEFT JOIN`` of the row's company, for the complaint KPIs that read a company
    setting (in a report's FROM; the engine adds it to its query)."""
    return SQL(
        "LEFT JOIN res_company %s ON %s",
        SQL.identifier(row.company_alias),
        row.company_condition(),
    )


# Money a complaint cost beyond its compensation, looked up only for the complaints
# with a credit note or a replacement order: functions (cheap for the planner) rather
# than correlated subqueries, whose per-row cost estimate makes PostgreSQL JIT-compile
# the KPI query. Created by the KPI engine's and the complaint report's init().
SQL_FUNCTIONS = SQL(
    """
    CREATE OR REPLACE FUNCTION store_service_kpi_credit_note(integer) RETURNS numeric
    LANGUAGE sql STABLE PARALLEL SAFE COST 1 AS $$
        SELECT -amount_untaxed_signed FROM account_move WHERE id = $1 AND state = 'posted'
    $$;
    CREATE OR REPLACE FUNCTION store_service_kpi_goods_cost(integer) RETURNS numeric
    LANGUAGE sql STABLE PARALLEL SAFE COST 1 AS $$
        SELECT SUM(line.product_uom_qty * COALESCE(
                   (product.standard_price ->> so.company_id::text)::numeric, 0.0))
          FROM sale_order so
          JOIN sale_order_line line ON line.order_id = so.id
          JOIN product_product product ON product.id = line.product_id
         WHERE so.id = $1 AND so.state = 'sale'
    $$;
    """
)


# Money a complaint cost that another addon records (a bridge: coupons or gift cards
# given as compensation, ...): the extension point of the service cost, one SQL
# function of the complaint id. Its body comes from store.service.kpi's
# _service_cost_extra_sql() (NULL here, which PostgreSQL inlines: free); a bridge
# overrides that method and recreates the function in its init().
EXTRA_COST_FUNCTION = "store_service_kpi_extra_cost"


def create_sql_functions(cr, extra_cost=None):
    """Create the KPI SQL functions; ``extra_cost``: the SQL body (one SELECT of a
    numeric, the complaint id is ``$1``) of the extra cost function."""
    cr.execute(SQL_FUNCTIONS)
    cr.execute(
        SQL(
            "CREATE OR REPLACE FUNCTION %s(integer) RETURNS numeric"
            " LANGUAGE sql STABLE PARALLEL SAFE COST 1 AS $body$ %s $body$",
            SQL.identifier(EXTRA_COST_FUNCTION),
            extra_cost if extra_cost else SQL("SELECT NULL::numeric"),
        )
    )


@dataclass(frozen=True)
class Sum:
    """A raw figure: COUNT(*) (or SUM(value)) of the rows matching ``where``.

    ``domain`` is the same filter as an ORM domain, for the drill-down; order sums
    are computed by the engine's order query (customers need two levels).

    ``additive``: the sum of a period is the sum of its local days, and a row's value
    depends on the row alone (its columns), except for the rows ``volatile`` selects:
    the KPI pre-aggregate (store_service_kpi_aggregate.py) keeps the sum of the other
    rows per store and local day, and reads the ``volatile`` rows live. A row must not
    enter ``volatile`` without a write on it (they are the rows whose value moves with
    "now", other tables or a company setting: open complaints, care visits...). A row
    whose value moves with "today" only until its own day is past (a planned visit
    falls due on its day) need not be volatile: the pre-aggregate reads every row of
    the days from its ``settled_until`` (yesterday, UTC, when it was last brought
    forward) live, and keeps the earlier days once today has passed them.
    Sums that are not additive (distinct customers) are always computed live.
    """

    key: str
    source: str
    where: Callable | None = None
    value: Callable | None = None
    domain: Callable | None = None
    label: object = None
    money: bool = False
    additive: bool = False
    volatile: Callable | None = None


def _compensation_granted(r):
    """The compensation that counts: nothing while a manager's approval is pending or
    refused (the complaint cannot be resolved with it), the approved amount once
    approved, else the amount typed (within the user's authority)."""
    return SQL(
        """(CASE WHEN %(state)s IN ('requested', 'refused') THEN 0.0
                 WHEN %(state)s = 'approved' THEN %(approved)s
                 ELSE %(compensation)s END)""",
        state=r("compensation_approval_state"),
        approved=r("compensation_approved_amount"),
        compensation=r("compensation_amount"),
    )


def _complaint_cost(r):
    """Money a complaint cost: the compensation granted, or, once a credit note issued
    from the complaint is posted, that credit note (untaxed, company currency: the
    compensation paid by credit note counts once), plus the replacement goods of a
    confirmed replacement order at cost (standard price x quantity), plus what other
    addons record (EXTRA_COST_FUNCTION: e.g. the value of a compensation coupon)."""
    return SQL(
        """(COALESCE(CASE WHEN %(move)s IS NOT NULL
                          THEN store_service_kpi_credit_note(%(move)s) END,
                     %(compensation)s, 0.0)
            + COALESCE(CASE WHEN %(order)s IS NOT NULL
                            THEN store_service_kpi_goods_cost(%(order)s) END, 0.0)
            + COALESCE(%(extra)s(%(id)s), 0.0))""",
        move=r("refund_move_id"),
        compensation=_compensation_granted(r),
        order=r("replacement_order_id"),
        extra=SQL.identifier(EXTRA_COST_FUNCTION),
        id=r("id"),
    )


def _hours_after_receipt(r):
    return SQL("%s + INTERVAL '1 hour' * %s", r("date_received"), r.company("kpi_response_hours"))


_answered = lambda r: SQL("%s IS NOT NULL", r("date_first_response"))
_resolved = lambda r: SQL("%s IS NOT NULL", r("date_resolved"))
_done = lambda r: SQL("%s = 'done'", r("state"))
# waiting for the customer: the SLA clocks are stopped (the deadlines move on resume)
_not_waiting = lambda r: SQL("%s IS NOT TRUE", r("on_hold"))
_scored = lambda r: SQL("(%s = 'done' AND %s > 0)", r("state"), r("csat_score"))
_nps_answered = lambda r: SQL("(%s = 'done' AND %s)", r("state"), r("nps_given"))


def nps_value(r):
    """The NPS answer, 0-10 (NULL read as 0: the ORM leaves a 0 written over an unset
    score NULL; ``nps_given`` tells an answer)."""
    return SQL("COALESCE(%s, 0)", r("nps_score"))


_SCORED = [("state", "=", "done"), ("csat_score", ">", 0)]
_NPS = [("state", "=", "done"), ("nps_given", "=", True)]


def _complaint_rated(r):
    return SQL("%s > 0", r("satisfaction_score"))


def _now_str(now):
    return fields.Datetime.to_string(now)


def _win_back_days(r):
    """The win-back window (days) of the visit's company."""
    return SQL(
        "(SELECT wb_company.win_back_days FROM res_company wb_company WHERE wb_company.id = %s)",
        r("company_id"),
    )


def _care_done(r):
    """A done care visit: planned for a customer at risk, or one where the customer gave a
    reason for leaving."""
    return SQL(
        "(%s = 'done' AND (COALESCE(%s, FALSE) OR %s IS NOT NULL))",
        r("state"),
        r("care_visit"),
        r("lost_reason_id"),
    )


def _won_back(r):
    """The customer (any contact of the commercial entity) confirmed an order of the
    visit's company within the win-back window after the visit."""
    return SQL(
        """EXISTS (SELECT 1
                     FROM sale_order wb_so
                     JOIN res_partner wb_partner ON wb_partner.id = wb_so.partner_id
                    WHERE wb_so.state = 'sale'
                      AND wb_so.company_id = %(company)s
                      AND wb_partner.commercial_partner_id = (
                          SELECT commercial_partner_id FROM res_partner WHERE id = %(partner)s)
                      AND wb_so.date_order > %(done)s
                      AND wb_so.date_order <= %(done)s + INTERVAL '1 day' * %(days)s)""",
        company=r("company_id"),
        partner=r("partner_id"),
        done=r("date_done"),
        days=_win_back_days(r),
    )


# rows whose sums move without a write on them (read live by the pre-aggregate)
_unanswered = lambda r: SQL("%s IS NULL", r("date_first_response"))
_unresolved = lambda r: SQL("%s IS NULL", r("date_resolved"))
_not_arrived = lambda r: SQL(
    "(%s IS NOT NULL AND %s IS NULL)", r("dispatch_deadline"), r("date_arrived")
)


def _cost_elsewhere(r):
    """Complaints whose cost reads other records (a credit note, a replacement order,
    another addon's compensation)."""
    return SQL(
        "(%s IS NOT NULL OR %s IS NOT NULL OR %s(%s) IS NOT NULL)",
        r("refund_move_id"),
        r("replacement_order_id"),
        SQL.identifier(EXTRA_COST_FUNCTION),
        r("id"),
    )


_CARE_DOMAIN = [
    ("state", "=", "done"),
    "|",
    ("care_visit", "=", True),
    ("lost_reason_id", "!=", False),
]


SUMS = {
    s.key: s
    for s in (
        # requests received in the period (not cancelled, not archived), of every type
        Sum(
            "request_count",
            COMPLAINT,
            additive=True,
            label=_lt("Requests Received"),
            domain=lambda d: [],
        ),
        # of them, those of a type that counts as a complaint (repairs, installations,
        # questions... do not weigh in the complaint rate)
        Sum(
            "complaint_count",
            COMPLAINT,
            additive=True,
            where=lambda r: SQL("%s IS TRUE", r("counts_as_complaint")),
            domain=lambda d: [("counts_as_complaint", "=", True)],
            label=_lt("Complaints Received"),
        ),
        Sum(
            "response_sla_due",
            COMPLAINT,
            additive=True,
            volatile=_unanswered,
            where=lambda r: SQL(
                "(%s OR (%s < %s AND %s))",
                _answered(r),
                r("response_deadline"),
                r.now,
                _not_waiting(r),
            ),
            domain=lambda d: [
                "|",
                ("date_first_response", "!=", False),
                "&",
                ("response_deadline", "<", _now_str(d["now"])),
                ("on_hold", "=", False),
            ],
        ),
        Sum(
            "response_sla_ok",
            COMPLAINT,
            additive=True,
            where=lambda r: SQL("%s <= %s", r("date_first_response"), r("response_deadline")),
        ),
        Sum(
            "response_24h_due",
            COMPLAINT,
            additive=True,
            volatile=_unanswered,
            where=lambda r: SQL("(%s OR %s < %s)", _answered(r), _hours_after_receipt(r), r.now),
            domain=lambda d: [
                "|",
                ("date_first_response", "!=", False),
                *expression.OR(
                    [
                        ("company_id", "=", company.id),
                        (
                            "date_received",
                            "<",
                            _now_str(d["now"] - timedelta(hours=company.kpi_response_hours)),
                        ),
                    ]
                    for company in d["companies"]
                ),
            ],
        ),
        Sum(
            "response_24h_ok",
            COMPLAINT,
            additive=True,
            where=lambda r: SQL("%s <= %s", r("date_first_response"), _hours_after_receipt(r)),
        ),
        Sum(
            "resolution_due",
            COMPLAINT,
            additive=True,
            volatile=_unresolved,
            where=lambda r: SQL(
                "(%s OR (%s < %s AND %s))",
                _resolved(r),
                r("resolution_deadline"),
                r.now,
                _not_waiting(r),
            ),
            domain=lambda d: [
                "|",
                ("date_resolved", "!=", False),
                "&",
                ("resolution_deadline", "<", _now_str(d["now"])),
                ("on_hold", "=", False),
            ],
        ),
        Sum(
            "resolution_ok",
            COMPLAINT,
            additive=True,
            where=lambda r: SQL("%s <= %s", r("date_resolved"), r("resolution_deadline")),
        ),
        Sum(
            "resolved_count",
            COMPLAINT,
            additive=True,
            where=_resolved,
            domain=lambda d: [("date_resolved", "!=", False)],
            label=_lt("Complaints Resolved"),
        ),
        Sum(
            "fcr_count",
            COMPLAINT,
            additive=True,
            where=lambda r: SQL("(%s AND %s)", _resolved(r), r("first_contact_resolution")),
        ),
        Sum(
            "resolution_hours",
            COMPLAINT,
            additive=True,
            where=_resolved,
            value=lambda r: SQL(
                "EXTRACT(EPOCH FROM %s - %s) / 3600.0", r("date_resolved"), r("date_received")
            ),
        ),
        Sum(
            "return_count",
            COMPLAINT,
            additive=True,
            where=lambda r: SQL("%s IN %s", r("resolution_type"), RETURN_TYPES),
            domain=lambda d: [("resolution_type", "in", list(RETURN_TYPES))],
            label=_lt("Returns, Exchanges and Replacements"),
        ),
        Sum(
            "compensation_amount",
            COMPLAINT,
            additive=True,
            value=lambda r: SQL("COALESCE(%s, 0.0)", _compensation_granted(r)),
            label=_lt("Compensation"),
            money=True,
        ),
        Sum(
            "service_cost",
            COMPLAINT,
            additive=True,
            volatile=_cost_elsewhere,
            value=_complaint_cost,
            label=_lt("Service Cost"),
            money=True,
        ),
        Sum(
            "service_cost_count",
            COMPLAINT,
            additive=True,
            volatile=_cost_elsewhere,
            where=lambda r: SQL("%s > 0", _complaint_cost(r)),
            domain=lambda d: [
                "|",
                "|",
                "|",
                ("compensation_amount", ">", 0),
                ("refund_move_id.state", "=", "posted"),
                ("replacement_order_id.state", "=", "sale"),
                ("service_extra_cost", ">", 0),
            ],
        ),
        # on-site dispatch: arrivals due (arrived, or the deadline has passed)
        Sum(
            "dispatch_due",
            COMPLAINT,
            additive=True,
            volatile=_not_arrived,
            where=lambda r: SQL(
                "(%s IS NOT NULL AND (%s IS NOT NULL OR %s < %s))",
                r("dispatch_deadline"),
                r("date_arrived"),
                r("dispatch_deadline"),
                r.now,
            ),
            domain=lambda d: [
                ("dispatch_deadline", "!=", False),
                "|",
                ("date_arrived", "!=", False),
                ("dispatch_deadline", "<", _now_str(d["now"])),
            ],
            label=_lt("On-site Arrivals Due"),
        ),
        Sum(
            "dispatch_on_time",
            COMPLAINT,
            additive=True,
            where=lambda r: SQL("%s <= %s", r("date_arrived"), r("dispatch_deadline")),
        ),
        # visits scheduled in the period
        Sum(
            "visit_due_count",
            VISIT,
            additive=True,
            # an open visit falls due on its day, then stays due until a write: not
            # volatile (the pre-aggregate's days from ``settled_until`` are read live)
            where=lambda r: SQL(
                "(%s != 'cancelled' AND (%s OR %s <= %s))",
                r("state"),
                _done(r),
                r("scheduled_date"),
                r.today,
            ),
            domain=lambda d: [
                ("state", "!=", "cancelled"),
                "|",
                ("state", "=", "done"),
                ("scheduled_date", "<=", fields.Date.to_string(d["today"])),
            ],
            label=_lt("Visits Due"),
        ),
        Sum("visit_done_count", VISIT, additive=True, where=_done, label=_lt("Visits Done")),
        Sum(
            "csat_count",
            VISIT,
            additive=True,
            where=_scored,
            domain=lambda d: _SCORED,
            label=_lt("Ratings"),
        ),
        Sum("csat_sum", VISIT, additive=True, where=_scored, value=lambda r: r("csat_score")),
        Sum(
            "satisfied_count",
            VISIT,
            additive=True,
            where=lambda r: SQL("(%s AND %s >= 4)", _scored(r), r("csat_score")),
        ),
        Sum(
            "top_box_count",
            VISIT,
            additive=True,
            where=lambda r: SQL("(%s AND %s = 5)", _scored(r), r("csat_score")),
        ),
        Sum(
            "nps_count",
            VISIT,
            additive=True,
            where=_nps_answered,
            domain=lambda d: _NPS,
            label=_lt("NPS Answers"),
        ),
        # an NPS of 0 is an answer (nps_given), the strongest detractor
        Sum(
            "nps_points",
            VISIT,
            additive=True,
            where=_nps_answered,
            value=lambda r: SQL(
                "CASE WHEN %s >= 9 THEN 1 WHEN %s <= 6 THEN -1 ELSE 0 END",
                nps_value(r),
                nps_value(r),
            ),
        ),
        # done care visits whose customer ordered again within the win-back window
        Sum(
            "win_back_due",
            VISIT,
            additive=True,
            volatile=_care_done,
            where=lambda r: SQL(
                "(%s AND (%s OR %s + INTERVAL '1 day' * %s < %s))",
                _care_done(r),
                _won_back(r),
                r("date_done"),
                _win_back_days(r),
                r.now,
            ),
            domain=lambda d: [*_CARE_DOMAIN, ("win_back_due", "=", True)],
            label=_lt("Care Visits"),
        ),
        Sum(
            "win_back_count",
            VISIT,
            additive=True,
            volatile=_care_done,
            where=lambda r: SQL("(%s AND %s)", _care_done(r), _won_back(r)),
            domain=lambda d: [*_CARE_DOMAIN, ("won_back", "=", True)],
            label=_lt("Customers Won Back"),
        ),
        # the customers' own rating of their complaint's handling (the resolution
        # message's rating link, or the verification visit's CSAT)
        Sum(
            "complaint_rated_count",
            COMPLAINT,
            additive=True,
            where=_complaint_rated,
            domain=lambda d: [("satisfaction_score", ">", 0)],
            label=_lt("Rated Complaints"),
        ),
        Sum(
            "complaint_csat_sum",
            COMPLAINT,
            additive=True,
            where=_complaint_rated,
            value=lambda r: r("satisfaction_score"),
        ),
        # confirmed orders of the period (the engine's order query)
        Sum(
            "order_count", ORDER, additive=True, domain=lambda d: [], label=_lt("Confirmed Orders")
        ),
        Sum("revenue", ORDER, additive=True, label=_lt("Revenue"), money=True),
        Sum("customer_count", ORDER, label=_lt("Customers")),
        Sum("repeat_customer_count", ORDER, label=_lt("Repeat Customers")),
    )
}


@dataclass(frozen=True)
class Kpi:
    """A KPI: ``factor * numerator / denominator`` (None without a denominator).

    :param unit: percent (a fraction shown as %), csat (1-5), nps (-100..100),
        hours, number, score (0-100)
    :param target_field: res.company field of the target; ``target_percent``: the
        setting is in percent and the KPI a fraction
    :param weight_field: res.company field of its weight in the service score
    :param records: the sum whose records the drill-down opens (None: no drill-down)
    :param report_field: the measure of the analysis reports showing this KPI per row
        (its average over the rows is the KPI, times 100 for percents); only for KPIs
        whose numerator and denominator come from the same rows
    """

    key: str
    label: object
    short_label: object
    help: object
    unit: str
    numerator: str | None
    denominator: str | None
    higher_is_better: bool = True
    factor: float = 1.0
    target_field: str | None = None
    target_percent: bool = True
    weight_field: str | None = None
    records: str | None = None
    report_field: str | None = None
    ranking: bool = False
    scorecard: bool = True
    # company settings the labels show (``%(hours)s``), and the report measure's
    # label when the KPI label has such a placeholder
    label_settings: dict = field(default_factory=dict)
    report_label: object = None

    @property
    def source(self):
        return SUMS[self.denominator].source if self.denominator else None

    def row_value(self, row, scale):
        """The KPI of one row (NULL when the row is not in the denominator): the
        numerator's value when the row counts in it, else 0."""
        num, den = SUMS[self.numerator], SUMS[self.denominator]
        value = num.value(row) if num.value else SQL("1")
        if num.where:
            value = SQL("CASE WHEN %s THEN %s ELSE 0 END", num.where(row), value)
        if den.where:
            return SQL("CASE WHEN %s THEN (%s) * %s END", den.where(row), value, scale)
        return SQL("(%s) * %s", value, scale)


# In the order of the dashboard cards and of the scorecard.
KPIS = {
    kpi.key: kpi
    for kpi in (
        Kpi(
            "service_score",
            _lt("Service Score"),
            _lt("Score"),
            _lt(
                "0-100: the weighted attainment of CSAT, on-time resolution, first-contact "
                "resolution and service cost against their targets."
            ),
            "score",
            None,
            None,
            records="request_count",
            ranking=True,
            scorecard=False,
        ),
        Kpi(
            "csat_avg",
            _lt("Customer Satisfaction (CSAT, 1-5)"),
            _lt("CSAT"),
            _lt("Average CSAT score (1-5) of the done return visits with a score."),
            "csat",
            "csat_sum",
            "csat_count",
            target_field="kpi_target_csat",
            target_percent=False,
            weight_field="kpi_weight_csat",
            records="csat_count",
            report_field="csat_score",
            ranking=True,
        ),
        Kpi(
            "resolution_on_time_rate",
            _lt("Resolved within SLA"),
            _lt("On Time"),
            _lt(
                "Complaints resolved before their resolution deadline (tier x severity), "
                "over the complaints resolved or whose deadline has passed."
            ),
            "percent",
            "resolution_ok",
            "resolution_due",
            target_field="kpi_target_on_time",
            weight_field="kpi_weight_on_time",
            records="resolution_due",
            report_field="resolution_on_time_rate",
            ranking=True,
        ),
        Kpi(
            "first_contact_resolution_rate",
            _lt("One-pass Resolution"),
            _lt("FCR"),
            _lt(
                "Resolved complaints that were never reopened, not handed over to another "
                "handler and not followed by a repeat complaint of the customer about the "
                "same order or product within the repeat window, over the resolved "
                "complaints."
            ),
            "percent",
            "fcr_count",
            "resolved_count",
            target_field="kpi_target_fcr",
            weight_field="kpi_weight_fcr",
            records="resolved_count",
            report_field="fcr_rate",
            ranking=True,
        ),
        Kpi(
            "service_cost_ratio",
            _lt("Service Cost (share of sales)"),
            _lt("Cost"),
            _lt(
                "Compensation (or the posted credit note issued from the complaint) plus "
                "replacement goods at cost, over untaxed sales."
            ),
            "percent",
            "service_cost",
            "revenue",
            higher_is_better=False,
            target_field="kpi_target_cost",
            weight_field="kpi_weight_cost",
            records="service_cost_count",
            ranking=True,
        ),
        Kpi(
            "response_24h_rate",
            _lt("Answered within %(hours)s h"),
            _lt("%(hours)s h"),
            _lt(
                "Complaints answered within the response hours of the settings (24 by "
                "default) after they were received, over the complaints answered or older "
                "than that."
            ),
            "percent",
            "response_24h_ok",
            "response_24h_due",
            target_field="kpi_target_response_24h",
            records="response_24h_due",
            report_field="response_24h_rate",
            ranking=True,
            label_settings={"hours": "kpi_response_hours"},
            report_label=_lt("Answered within the Response Hours"),
        ),
        Kpi(
            "response_on_time_rate",
            _lt("Answered within SLA"),
            _lt("SLA Resp."),
            _lt(
                "Complaints answered before their response deadline (tier x severity), "
                "over the complaints answered or whose deadline has passed."
            ),
            "percent",
            "response_sla_ok",
            "response_sla_due",
            target_field="kpi_target_response",
            records="response_sla_due",
            report_field="response_on_time_rate",
        ),
        Kpi(
            "dispatch_on_time_rate",
            _lt("Technician on Site in Time"),
            _lt("On Site"),
            _lt(
                "Dispatched complaints whose technician arrived before the on-site deadline "
                "(Settings, per severity), over the dispatched complaints whose technician "
                "arrived or whose deadline has passed."
            ),
            "percent",
            "dispatch_on_time",
            "dispatch_due",
            records="dispatch_due",
        ),
        Kpi(
            "return_rate",
            _lt("Returns, Exchanges and Replacements"),
            _lt("Returns"),
            _lt(
                "Complaints resolved by a refund, an exchange or a replacement, over "
                "confirmed orders."
            ),
            "percent",
            "return_count",
            "order_count",
            higher_is_better=False,
            target_field="kpi_target_returns",
            records="return_count",
        ),
        Kpi(
            "satisfaction_rate",
            _lt("Satisfied Customers (CSAT 4-5)"),
            _lt("Satisfied"),
            _lt("Share of the CSAT scores of 4 or 5."),
            "percent",
            "satisfied_count",
            "csat_count",
            target_field="kpi_target_satisfaction",
            records="csat_count",
            report_field="satisfaction_rate",
        ),
        Kpi(
            "nps",
            _lt("Net Promoter Score"),
            _lt("NPS"),
            _lt(
                "% of promoters (9-10) minus % of detractors (0-6) among the NPS answers; "
                "0 is an answer."
            ),
            "nps",
            "nps_points",
            "nps_count",
            factor=100.0,
            records="nps_count",
            report_field="nps_value",
        ),
        Kpi(
            "top_box_rate",
            _lt("Very Satisfied (CSAT 5)"),
            _lt("Top Box"),
            _lt("Share of the CSAT scores of 5."),
            "percent",
            "top_box_count",
            "csat_count",
            records="csat_count",
            report_field="top_box_rate",
        ),
        Kpi(
            "complaint_csat_avg",
            _lt("Complaint Handling Satisfaction (1-5)"),
            _lt("Compl. CSAT"),
            _lt(
                "Average satisfaction (1-5) the customers gave the handling of their complaints: "
                "their rating from the resolution message, or the verification visit's score."
            ),
            "csat",
            "complaint_csat_sum",
            "complaint_rated_count",
            records="complaint_rated_count",
        ),
        Kpi(
            "complaint_rate",
            _lt("Complaints per 100 Orders"),
            _lt("Compl./100"),
            _lt(
                "Complaints received per 100 confirmed orders (requests of a type that "
                "counts as a complaint: not repairs, installations or questions)."
            ),
            "number",
            "complaint_count",
            "order_count",
            higher_is_better=False,
            factor=100.0,
            records="complaint_count",
        ),
        Kpi(
            "avg_resolution_hours",
            _lt("Average Resolution Time"),
            _lt("Res. Time"),
            _lt("Hours from reception to resolution, on average over the resolved complaints."),
            "hours",
            "resolution_hours",
            "resolved_count",
            higher_is_better=False,
            records="resolved_count",
            report_field="resolution_hours",
        ),
        Kpi(
            "visit_completion_rate",
            _lt("Return Visits Completed"),
            _lt("Visits"),
            _lt("Visits done over visits due (not cancelled, scheduled up to today or done)."),
            "percent",
            "visit_done_count",
            "visit_due_count",
            records="visit_due_count",
            report_field="completion_rate",
        ),
        Kpi(
            "repurchase_rate",
            _lt("Repurchase Rate"),
            _lt("Repurchase"),
            _lt("Customers with two confirmed orders or more, over customers with one or more."),
            "percent",
            "repeat_customer_count",
            "customer_count",
            records="order_count",
        ),
        Kpi(
            "win_back_rate",
            _lt("Win-back Rate"),
            _lt("Win-back"),
            _lt(
                "Care visits (planned for a customer at risk, or where the customer gave a "
                "reason for leaving) after which the customer confirmed an order within the "
                "win-back window (90 days by default), over the done care visits whose "
                "window is over or whose customer ordered again."
            ),
            "percent",
            "win_back_count",
            "win_back_due",
            records="win_back_due",
        ),
    )
}
# counts shown beside the KPIs (store ranking columns, compute_kpis keys)
RANKING_COUNTS = ("complaint_count", "order_count")
COUNT_KEYS = (
    "order_count",
    "revenue",
    "customer_count",
    "repeat_customer_count",
    "complaint_count",
    "request_count",
    "compensation_amount",
    "service_cost",
    "return_count",
    "visit_due_count",
    "visit_done_count",
    "csat_count",
    "nps_count",
    "win_back_due",
    "win_back_count",
)
SCORE_KPIS = tuple(key for key, kpi in KPIS.items() if kpi.weight_field)
TARGET_FIELDS = tuple(kpi.target_field for kpi in KPIS.values() if kpi.target_field)
WEIGHT_FIELDS = tuple(kpi.weight_field for kpi in KPIS.values() if kpi.weight_field)
# settings that change what a KPI counts (not a target)
DEFINITION_FIELDS = ("kpi_response_hours",)


def kpi_label(env, kpi, short=False, company=None):
    """The KPI's label (or short label) in the user's language, with the company
    settings it shows (\"Answered within 24 h\")."""
    company = company or env.company
    values = {name: f"{company.sudo()[setting]:g}" for name, setting in kpi.label_settings.items()}
    label = env._(kpi.short_label if short else kpi.label)
    return label % values if values else label


def sums_of(source):
    return [s for s in SUMS.values() if s.source == source]


def sum_aggregate(s, row, only=None):
    """The SQL aggregate of a sum over the rows of ``row`` (and ``only``: SQL, a further
    condition on the rows)."""
    where = s.where(row) if s.where else None
    if only is not None:
        where = SQL("(%s AND %s)", where, only) if where is not None else only
    if s.value is None:
        return SQL("COUNT(*) FILTER (WHERE %s)", where) if where else SQL("COUNT(*)")
    if where is None:
        return SQL("SUM(%s)", s.value(row))
    return SQL("SUM(%s) FILTER (WHERE %s)", s.value(row), where)


def kpi_report_columns(source, row, keys=None):
    """``<expr> AS <report_field>`` of the KPIs an analysis report shows per row: the
    KPI (times 100 for percents) on the rows of its denominator, NULL on the others,
    so that the report's average is the KPI."""
    return SQL(",\n").join(
        SQL(
            "%s AS %s",
            kpi.row_value(row, SQL("100.0") if kpi.unit == "percent" else SQL("%s", kpi.factor)),
            SQL.identifier(kpi.report_field),
        )
        for kpi in KPIS.values()
        if kpi.report_field and kpi.source == source and (keys is None or kpi.key in keys)
    )


def kpi_report_fields(source, keys=None):
    """The measures of ``kpi_report_columns``, to declare on a report model
    (``locals().update(kpi_report_fields(...))`` in its class body)."""
    result = {}
    for kpi in KPIS.values():
        if not kpi.report_field or kpi.source != source:
            continue
        if keys is not None and kpi.key not in keys:
            continue
        suffix = " (%)" if kpi.unit == "percent" else ""
        result[kpi.report_field] = fields.Float(
            string=(kpi.report_label or kpi.label)._source + suffix,
            readonly=True,
            aggregator="avg",
            help=kpi.help._source,
        )
    return result


class KpiFormat:
    """Formats KPI values in the user's language (decimal point, thousands separator).

    ``formatLang`` looks the language up on every call (about 0.3 ms): too slow for a
    ranking of 500 stores times 8 columns, so the separators are read once here.
    """

    def __init__(self, env):
        lang = env["res.lang"]._get_data(code=get_lang(env).code)
        self.decimal_point = lang.decimal_point or "."
        self.thousands_sep = lang.thousands_sep or ""
        self.hours = env._("%(hours)s h")
        self.points = env._("%(points)s pts")

    def number(self, value, digits):
        text = f"{value:,.{digits}f}"
        return (
            text.replace(",", "\x00")
            .replace(".", self.decimal_point)
            .replace("\x00", self.thousands_sep)
        )

    def __call__(self, unit, value, signed=False):
        """``value`` in its unit; None is "–"."""
        if value is None or value is False:
            return NONE_DISPLAY
        if unit == "percent":
            text = self.number(value * 100.0, 1) + " %"
        elif unit == "csat":
            text = self.number(value, 2)
        elif unit == "hours":
            text = self.hours % {"hours": self.number(value, 1)}
        elif unit == "count":
            text = self.number(value, 0)
        else:  # score, nps, number
            text = self.number(value, 1)
        if signed and value > 0:
            text = "+" + text
        return text

    def rounds_to_zero(self, unit, value):
        """Whether ``value`` shows as zero in its unit (a change too small to show)."""
        if unit == "percent":
            return round(value * 100.0, 1) == 0
        return round(value, 2 if unit == "csat" else 1) == 0

    def target(self, kpi, target):
        """ "≥ 85.0 %" / "≤ 3.0 %": a target with the direction of its KPI."""
        return ("≥ " if kpi.higher_is_better else "≤ ") + self(kpi.unit, target)

    def delta(self, unit, value, previous_value):
        """(change, its display) from ``previous_value`` to ``value``."""
        if value is None or previous_value is None:
            return None, NONE_DISPLAY
        delta = value - previous_value
        if unit == "percent":
            # percentage points: a rate going from 80 % to 85 % moved by +5.0 pts
            return delta, self.points % {"points": self("number", delta * 100.0, True)}
        return delta, self(unit, delta, signed=True)


def kpi_report_nulls(source, keys=None):
    """NULL for each column of ``kpi_report_columns(source, ..., keys)``, in its order
    (the other half of a report that unions two kinds of rows)."""
    return SQL(",\n").join(
        SQL("NULL::numeric AS %s", SQL.identifier(kpi.report_field))
        for kpi in KPIS.values()
        if kpi.report_field and kpi.source == source and (keys is None or kpi.key in keys)
    )


def sum_report_column(key, row, column=None):
    """``<expr> AS <column>``: what one row adds to the sum ``key`` (0 when the row does
    not count), so that the report's sum over rows is the engine's sum."""
    s = SUMS[key]
    value = s.value(row) if s.value else SQL("1")
    if s.where:
        value = SQL("CASE WHEN %s THEN %s ELSE 0 END", s.where(row), value)
    return SQL("%s AS %s", value, SQL.identifier(column or key))
