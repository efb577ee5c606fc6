"""Satisfaction and service KPIs (DESIGN.md, "KPI definitions").

Every figure comes from three set-based queries (complaints, visits, orders), each
grouped with ``GROUPING SETS`` so that the totals and the per-store (or per-month)
breakdown come out of the same statement: the number of queries does not grow with
the number of stores or records.

Complaints and visits are read through ``_search()``, so record rules (store and
company) apply exactly as in the list views; sale orders are read for the stores the
user may see (store users often have no Sales rights).
"""

from datetime import date, datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# KPI key -> (target key, higher is better)
KPI_TARGETS = {
    "csat_avg": ("csat", True),
    "resolution_on_time_rate": ("on_time", True),
    "first_contact_resolution_rate": ("fcr", True),
    "service_cost_ratio": ("cost", False),
    "response_on_time_rate": ("response", True),
    "return_rate": ("returns", False),
}
# the service score's components: target key -> KPI key
SCORE_COMPONENTS = {
    "csat": "csat_avg",
    "on_time": "resolution_on_time_rate",
    "fcr": "first_contact_resolution_rate",
    "cost": "service_cost_ratio",
}
KPI_KEYS = (
    "csat_avg",
    "satisfaction_rate",
    "top_box_rate",
    "nps",
    "response_on_time_rate",
    "resolution_on_time_rate",
    "first_contact_resolution_rate",
    "avg_resolution_hours",
    "complaint_rate",
    "visit_completion_rate",
    "repurchase_rate",
    "return_rate",
    "service_cost_ratio",
    "service_score",
)
COUNT_KEYS = (
    "order_count",
    "revenue",
    "customer_count",
    "repeat_customer_count",
    "complaint_count",
    "compensation_amount",
    "visit_due_count",
    "visit_done_count",
    "csat_count",
    "nps_count",
)
# raw sums read by the queries, turned into KPIs by _kpis_from_sums()
_COMPLAINT_SUMS = (
    "complaint_count",
    "response_ok",
    "response_due",
    "resolution_ok",
    "resolution_due",
    "resolved_count",
    "fcr_count",
    "resolution_hours",
    "return_count",
    "compensation_amount",
)
_VISIT_SUMS = (
    "visit_due_count",
    "visit_done_count",
    "csat_count",
    "csat_sum",
    "satisfied_count",
    "top_box_count",
    "nps_count",
    "promoter_count",
    "detractor_count",
)
_ORDER_SUMS = ("order_count", "revenue", "customer_count", "repeat_customer_count")


def _ratio(numerator, denominator, factor=1.0):
    """A rate, or None when there is no denominator."""
    if not denominator:
        return None
    return factor * (numerator or 0.0) / denominator


class StoreServiceKpi(models.AbstractModel):
    _name = "store.service.kpi"
    _description = "Store Service KPIs"

    # ------------------------------------------------------------------
    # Targets
    # ------------------------------------------------------------------
    @api.model
    def get_targets(self, company=None):
        """The company's KPI targets (fractions, CSAT on 1-5) and score weights."""
        company = company or self.env.company
        return {
            "csat": company.kpi_target_csat,
            "on_time": company.kpi_target_on_time / 100.0,
            "fcr": company.kpi_target_fcr / 100.0,
            "cost": company.kpi_target_cost / 100.0,
            "response": company.kpi_target_response / 100.0,
            "returns": company.kpi_target_returns / 100.0,
            "weights": {
                "csat": company.kpi_weight_csat,
                "on_time": company.kpi_weight_on_time,
                "fcr": company.kpi_weight_fcr,
                "cost": company.kpi_weight_cost,
            },
        }

    @api.model
    def kpi_status(self, key, value, targets=None):
        """'good' when ``value`` meets its target, 'bad' when not, None without either."""
        if value is None or key not in KPI_TARGETS:
            return None
        targets = targets or self.get_targets()
        target_key, higher_is_better = KPI_TARGETS[key]
        target = targets[target_key]
        met = value >= target if higher_is_better else value <= target
        return "good" if met else "bad"

    @api.model
    def _service_score(self, kpis, targets):
        """Weighted attainment of CSAT, on-time handling, FCR and cost, 0-100.

        Each component scores its attainment capped at 1: ``value / target`` for the
        "higher is better" ones, ``target / value`` for the cost ratio (1 while the cost
        stays within its target). Components without data are left out and the
        remaining weights re-scaled. Without any service figure (CSAT, on-time
        handling or first-contact resolution) the score is None: a store that only
        sells has a cost ratio of 0, which says nothing about its service.
        """
        if all(kpis.get(SCORE_COMPONENTS[key]) is None for key in ("csat", "on_time", "fcr")):
            return None
        total_weight = score = 0.0
        for target_key, kpi_key in SCORE_COMPONENTS.items():
            value = kpis.get(kpi_key)
            weight = targets["weights"][target_key]
            if value is None or not weight:
                continue
            target = targets[target_key]
            if target_key == "cost":
                attainment = 1.0 if value <= target else (target / value if value else 0.0)
            else:
                attainment = min(value / target, 1.0) if target else 1.0
            score += weight * attainment
            total_weight += weight
        if not total_weight:
            return None
        return 100.0 * score / total_weight

    # ------------------------------------------------------------------
    # Period and stores
    # ------------------------------------------------------------------
    @api.model
    def _kpi_period(self, date_from, date_to):
        """Dates of the period, and its bounds as naive UTC datetimes.

        Days start at midnight in the user's time zone (``tz`` in the context, else the
        user's preference, else UTC).
        """
        try:
            date_from = fields.Date.to_date(date_from)
            date_to = fields.Date.to_date(date_to)
        except (TypeError, ValueError) as error:
            raise UserError(
                self.env._("The KPI period needs dates as YYYY-MM-DD: %(error)s", error=error)
            ) from error
        if not isinstance(date_from, date) or not isinstance(date_to, date):
            raise UserError(self.env._("The KPI period needs a start and an end date."))
        if date_from > date_to:
            raise UserError(
                self.env._(
                    "The KPI period starts (%(start)s) after it ends (%(end)s).",
                    start=date_from,
                    end=date_to,
                )
            )
        tz = pytz.timezone(self._kpi_tz())

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return date_from, date_to, utc(date_from), utc(date_to + timedelta(days=1))

    def _kpi_tz(self):
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        return tz if tz in pytz.all_timezones_set else "UTC"

    @api.model
    def _kpi_is_manager(self):
        return self.env["crm.team"]._store_service_is_manager()

    @api.model
    def _kpi_user_teams(self):
        """Stores the current user works in (member or leader), in the session's companies."""
        return (
            self.env["crm.team"]
            ._store_service_user_teams()
            .filtered(lambda team: team.company_id in self.env.companies or not team.company_id)
        )

    @api.model
    def _kpi_teams(self, team_ids):
        """The stores to report on: None means every store (managers only)."""
        if team_ids is not None and not isinstance(team_ids, list | tuple):
            team_ids = [team_ids]
        if team_ids is not None and not all(isinstance(tid, int) for tid in team_ids):
            raise UserError(self.env._("Stores must be given as a list of store ids."))
        if self._kpi_is_manager():
            return list(team_ids) if team_ids is not None else None
        allowed = self._kpi_user_teams()
        if team_ids is None:
            return allowed.ids
        foreign = set(team_ids) - set(allowed.ids)
        if foreign:
            raise AccessError(
                self.env._(
                    "You can only see the figures of the stores you work in: %(stores)s "
                    "is not one of them.",
                    stores=", ".join(self.env["crm.team"].sudo().browse(foreign).mapped("name"))
                    or ", ".join(map(str, foreign)),
                )
            )
        return list(team_ids)

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------
    def _kpi_group_sql(self, group_by, team_col, local_ts):
        """SQL expression of the breakdown key, or None for totals only."""
        if group_by == "team":
            return team_col
        if group_by == "month":
            return SQL("to_char(%s, 'YYYY-MM')", local_ts)
        return None

    def _kpi_local(self, column):
        """A UTC timestamp column as local time of the report's time zone."""
        return SQL("((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)", column, self._kpi_tz())

    def _kpi_grouping(self, query, key):
        if key is None:
            return SQL("NULL"), 1
        query.groupby = SQL("GROUPING SETS ((%s), ())", key)
        return key, SQL("GROUPING(%s)", key)

    def _kpi_fetch(self, query, key, aggregates):
        """Run ``query`` selecting ``aggregates`` (name -> SQL), per key and in total."""
        key_sql, total_sql = self._kpi_grouping(query, key)
        columns = [SQL("%s AS kpi_key", key_sql), SQL("%s AS kpi_total", total_sql)]
        columns += [SQL("%s AS %s", expr, SQL.identifier(name)) for name, expr in aggregates]
        self.env.cr.execute(query.select(*columns))
        return self.env.cr.dictfetchall()

    def _kpi_complaint_rows(self, start, stop, team_ids, group_by):
        Complaint = self.env["store.complaint"]
        domain = [
            ("state", "!=", "cancelled"),
            ("date_received", ">=", start),
            ("date_received", "<", stop),
        ]
        if team_ids is not None:
            domain.append(("team_id", "in", team_ids))
        query = Complaint._search(domain)
        table = query.table
        col = lambda name: SQL.identifier(table, name)
        now = fields.Datetime.now()
        resolved = SQL("%s IS NOT NULL", col("date_resolved"))
        key = self._kpi_group_sql(group_by, col("team_id"), self._kpi_local(col("date_received")))
        return self._kpi_fetch(
            query,
            key,
            [
                ("complaint_count", SQL("COUNT(*)")),
                (
                    "response_ok",
                    SQL(
                        "COUNT(*) FILTER (WHERE %s <= %s)",
                        col("date_first_response"),
                        col("response_deadline"),
                    ),
                ),
                (
                    "response_due",
                    SQL(
                        "COUNT(*) FILTER (WHERE %s IS NOT NULL OR %s < %s)",
                        col("date_first_response"),
                        col("response_deadline"),
                        now,
                    ),
                ),
                (
                    "resolution_ok",
                    SQL(
                        "COUNT(*) FILTER (WHERE %s <= %s)",
                        col("date_resolved"),
                        col("resolution_deadline"),
                    ),
                ),
                (
                    "resolution_due",
                    SQL(
                        "COUNT(*) FILTER (WHERE %s OR %s < %s)",
                        resolved,
                        col("resolution_deadline"),
                        now,
                    ),
                ),
                ("resolved_count", SQL("COUNT(*) FILTER (WHERE %s)", resolved)),
                (
                    "fcr_count",
                    SQL(
                        "COUNT(*) FILTER (WHERE %s AND %s)",
                        resolved,
                        col("first_contact_resolution"),
                    ),
                ),
                (
                    "resolution_hours",
                    SQL(
                        "SUM(EXTRACT(EPOCH FROM %s - %s) / 3600.0) FILTER (WHERE %s)",
                        col("date_resolved"),
                        col("date_received"),
                        resolved,
                    ),
                ),
                (
                    "return_count",
                    SQL(
                        "COUNT(*) FILTER (WHERE %s IN ('refund', 'exchange'))",
                        col("resolution_type"),
                    ),
                ),
                ("compensation_amount", SQL("SUM(COALESCE(%s, 0))", col("compensation_amount"))),
            ],
        )

    def _kpi_visit_rows(self, date_from, date_to, team_ids, group_by):
        Visit = self.env["store.return.visit"]
        domain = [("scheduled_date", ">=", date_from), ("scheduled_date", "<=", date_to)]
        if team_ids is not None:
            domain.append(("team_id", "in", team_ids))
        query = Visit._search(domain)
        table = query.table
        col = lambda name: SQL.identifier(table, name)
        done = SQL("%s = 'done'", col("state"))
        scored = SQL("%s AND %s > 0", done, col("csat_score"))
        nps = SQL("%s AND %s", done, col("nps_given"))
        key = self._kpi_group_sql(
            group_by, col("team_id"), SQL("%s::timestamp", col("scheduled_date"))
        )
        return self._kpi_fetch(
            query,
            key,
            [
                (
                    "visit_due_count",
                    SQL(
                        "COUNT(*) FILTER (WHERE %s != 'cancelled' AND (%s OR %s <= %s))",
                        col("state"),
                        done,
                        col("scheduled_date"),
                        fields.Date.context_today(self),
                    ),
                ),
                ("visit_done_count", SQL("COUNT(*) FILTER (WHERE %s)", done)),
                ("csat_count", SQL("COUNT(*) FILTER (WHERE %s)", scored)),
                ("csat_sum", SQL("SUM(%s) FILTER (WHERE %s)", col("csat_score"), scored)),
                (
                    "satisfied_count",
                    SQL("COUNT(*) FILTER (WHERE %s AND %s >= 4)", scored, col("csat_score")),
                ),
                (
                    "top_box_count",
                    SQL("COUNT(*) FILTER (WHERE %s AND %s = 5)", scored, col("csat_score")),
                ),
                ("nps_count", SQL("COUNT(*) FILTER (WHERE %s)", nps)),
                (
                    "promoter_count",
                    SQL("COUNT(*) FILTER (WHERE %s AND %s >= 9)", nps, col("nps_score")),
                ),
                (
                    "detractor_count",
                    SQL("COUNT(*) FILTER (WHERE %s AND %s <= 6)", nps, col("nps_score")),
                ),
            ],
        )

    def _kpi_order_rows(self, start, stop, team_ids, group_by):
        """Confirmed orders, untaxed revenue (company currency) and repeat customers.

        Customers are counted per commercial entity. Store users may not read sale
        orders at all, so the query runs on the stores they may see and the companies
        of the session, instead of through the sale order record rules.
        """
        where = [
            SQL("so.state = 'sale'"),
            SQL("so.date_order >= %s AND so.date_order < %s", start, stop),
            SQL("so.company_id IN %s", tuple(self.env.companies.ids)),
        ]
        if team_ids is not None:
            if not team_ids:
                where.append(SQL("FALSE"))
            else:
                where.append(SQL("so.team_id IN %s", tuple(team_ids)))
        key = self._kpi_group_sql(
            group_by, SQL("so.team_id"), self._kpi_local(SQL("so.date_order"))
        )
        if key is None:
            inner_key, sets = SQL("NULL::text"), SQL("(partner.commercial_partner_id)")
        else:
            sets = SQL(
                "GROUPING SETS ((%s, %s), (%s))",
                key,
                SQL("partner.commercial_partner_id"),
                SQL("partner.commercial_partner_id"),
            )
            inner_key = SQL("CASE WHEN GROUPING(%s) = 0 THEN %s END", key, key)
        self.env.cr.execute(
            SQL(
                """
                WITH per_customer AS (
                    SELECT %(inner_key)s AS kpi_key,
                           %(inner_total)s AS kpi_total,
                           COUNT(*) AS orders,
                           SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1))
                               AS revenue
                      FROM sale_order so
                      JOIN res_partner partner ON partner.id = so.partner_id
                     WHERE %(where)s
                  GROUP BY %(sets)s
                )
                SELECT kpi_key, kpi_total,
                       SUM(orders) AS order_count,
                       SUM(revenue) AS revenue,
                       COUNT(*) AS customer_count,
                       COUNT(*) FILTER (WHERE orders >= 2) AS repeat_customer_count
                  FROM per_customer
              GROUP BY kpi_key, kpi_total
                """,
                inner_key=inner_key,
                inner_total=SQL("GROUPING(%s)", key) if key is not None else SQL("1"),
                where=SQL(" AND ").join(where),
                sets=sets,
            )
        )
        return self.env.cr.dictfetchall()

    # ------------------------------------------------------------------
    # From sums to KPIs
    # ------------------------------------------------------------------
    @api.model
    def _kpis_from_sums(self, sums, targets):
        s = {name: sums.get(name) or 0 for name in _COMPLAINT_SUMS + _VISIT_SUMS + _ORDER_SUMS}
        kpis = {
            "csat_avg": _ratio(s["csat_sum"], s["csat_count"]),
            "satisfaction_rate": _ratio(s["satisfied_count"], s["csat_count"]),
            "top_box_rate": _ratio(s["top_box_count"], s["csat_count"]),
            "nps": _ratio(s["promoter_count"] - s["detractor_count"], s["nps_count"], 100.0),
            "response_on_time_rate": _ratio(s["response_ok"], s["response_due"]),
            "resolution_on_time_rate": _ratio(s["resolution_ok"], s["resolution_due"]),
            "first_contact_resolution_rate": _ratio(s["fcr_count"], s["resolved_count"]),
            "avg_resolution_hours": _ratio(s["resolution_hours"], s["resolved_count"]),
            "complaint_rate": _ratio(s["complaint_count"], s["order_count"], 100.0),
            "visit_completion_rate": _ratio(s["visit_done_count"], s["visit_due_count"]),
            "repurchase_rate": _ratio(s["repeat_customer_count"], s["customer_count"]),
            "return_rate": _ratio(s["return_count"], s["order_count"]),
            "service_cost_ratio": _ratio(s["compensation_amount"], s["revenue"]),
        }
        kpis["service_score"] = self._service_score(kpis, targets)
        for name in COUNT_KEYS:
            value = s[name]
            kpis[name] = float(value) if name in ("revenue", "compensation_amount") else int(value)
        return kpis

    @api.model
    def _kpi_sums(self, date_from, date_to, start, stop, team_ids, group_by):
        """{key: {sum name: value}} with the totals under the key None."""
        sums = {}
        for rows in (
            self._kpi_complaint_rows(start, stop, team_ids, group_by),
            self._kpi_visit_rows(date_from, date_to, team_ids, group_by),
            self._kpi_order_rows(start, stop, team_ids, group_by),
        ):
            for row in rows:
                # totals under None; rows without a store under False
                key = row.pop("kpi_key")
                if row.pop("kpi_total"):
                    key = None
                elif key is None:
                    key = False
                sums.setdefault(key, {}).update(row)
        return sums

    # ------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------
    @api.model
    def compute_kpis(self, date_from, date_to, team_ids=None, group_by=None, compare=False):
        """The KPIs of DESIGN.md over [date_from, date_to] (inclusive days).

        :param team_ids: store (crm.team) ids; None: every store the user may see
        :param group_by: None, 'team' (adds ``teams``, ranked by service score) or
            'month' (adds ``months``, in calendar order)
        :param compare: adds ``previous``: the same KPIs for the period of the same
            length just before
        :return: dict of KPI values (None when a rate has no denominator) and counts
        """
        if group_by not in (None, False, "team", "month"):
            raise UserError(
                self.env._(
                    "KPIs can be grouped by 'team' or 'month', not %(group)r.", group=group_by
                )
            )
        group_by = group_by or None
        # the queries are plain SQL: pending ORM writes must reach the database first
        self.env.flush_all()
        date_from, date_to, start, stop = self._kpi_period(date_from, date_to)
        team_ids = self._kpi_teams(team_ids)
        targets = self.get_targets()
        sums = self._kpi_sums(date_from, date_to, start, stop, team_ids, group_by)
        result = self._kpis_from_sums(sums.get(None, {}), targets)
        result.update(date_from=date_from.isoformat(), date_to=date_to.isoformat())
        if group_by == "team":
            team_keys = [key for key in sums if key is not None]
            names = {
                team.id: team.display_name
                for team in self.env["crm.team"].sudo().browse([k for k in team_keys if k])
            }
            teams = []
            for key in team_keys:
                kpis = self._kpis_from_sums(sums[key], targets)
                kpis.update(
                    team_id=key or False,
                    team_name=names.get(key) or self.env._("No store"),
                )
                teams.append(kpis)
            teams.sort(
                key=lambda t: (
                    t["service_score"] is None,
                    -(t["service_score"] or 0.0),
                    t["team_name"],
                )
            )
            result["teams"] = teams
        elif group_by == "month":
            months = []
            month = date_from.replace(day=1)
            while month <= date_to:
                label = month.strftime("%Y-%m")
                kpis = self._kpis_from_sums(sums.get(label, {}), targets)
                kpis["month"] = label
                months.append(kpis)
                month += relativedelta(months=1)
            result["months"] = months
        if compare:
            length = (date_to - date_from).days + 1
            previous = self.compute_kpis(
                date_from - timedelta(days=length), date_from - timedelta(days=1), team_ids
            )
            result["previous"] = previous
        return result

    @api.model
    def action_open_kpi_records(self, key, date_from, date_to, team_ids=None):
        """Window action on the records behind a KPI (drill-down from the dashboard)."""
        date_from, date_to, start, stop = self._kpi_period(date_from, date_to)
        team_ids = self._kpi_teams(team_ids)
        team_domain = [("team_id", "in", team_ids)] if team_ids is not None else []
        now = fields.Datetime.to_string(fields.Datetime.now())
        complaints = [
            ("state", "!=", "cancelled"),
            ("date_received", ">=", fields.Datetime.to_string(start)),
            ("date_received", "<", fields.Datetime.to_string(stop)),
            *team_domain,
        ]
        visits = [
            ("scheduled_date", ">=", fields.Date.to_string(date_from)),
            ("scheduled_date", "<=", fields.Date.to_string(date_to)),
            *team_domain,
        ]
        scored = [("state", "=", "done"), ("csat_score", ">", 0)]
        by_key = {
            "csat_avg": ("store.return.visit", visits + scored),
            "satisfaction_rate": ("store.return.visit", visits + scored),
            "top_box_rate": ("store.return.visit", visits + scored),
            "nps": (
                "store.return.visit",
                [*visits, ("state", "=", "done"), ("nps_given", "=", True)],
            ),
            "visit_completion_rate": (
                "store.return.visit",
                [
                    *visits,
                    ("state", "!=", "cancelled"),
                    "|",
                    ("state", "=", "done"),
                    (
                        "scheduled_date",
                        "<=",
                        fields.Date.to_string(fields.Date.context_today(self)),
                    ),
                ],
            ),
            "response_on_time_rate": (
                "store.complaint",
                [
                    *complaints,
                    "|",
                    ("date_first_response", "!=", False),
                    ("response_deadline", "<", now),
                ],
            ),
            "resolution_on_time_rate": (
                "store.complaint",
                [
                    *complaints,
                    "|",
                    ("date_resolved", "!=", False),
                    ("resolution_deadline", "<", now),
                ],
            ),
            "first_contact_resolution_rate": (
                "store.complaint",
                [*complaints, ("date_resolved", "!=", False)],
            ),
            "avg_resolution_hours": (
                "store.complaint",
                [*complaints, ("date_resolved", "!=", False)],
            ),
            "complaint_rate": ("store.complaint", complaints),
            "service_score": ("store.complaint", complaints),
            "return_rate": (
                "store.complaint",
                [*complaints, ("resolution_type", "in", ["refund", "exchange"])],
            ),
            "service_cost_ratio": (
                "store.complaint",
                [*complaints, ("compensation_amount", ">", 0)],
            ),
            "repurchase_rate": (
                "sale.order",
                [
                    ("state", "=", "sale"),
                    ("date_order", ">=", fields.Datetime.to_string(start)),
                    ("date_order", "<", fields.Datetime.to_string(stop)),
                    *team_domain,
                ],
            ),
        }
        if key not in by_key:
            raise UserError(self.env._("There is no KPI called %(key)r.", key=key))
        model, domain = by_key[key]
        return {
            "type": "ir.actions.act_window",
            "name": self.env["ir.model"]._get(model).name,
            "res_model": model,
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
            "target": "current",
        }
