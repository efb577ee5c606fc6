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
from odoo.tools.misc import format_date

from .store_service_kpi_definitions import (
    COMPLAINT,
    COUNT_KEYS,
    KPIS,
    SCORE_KPIS,
    SUMS,
    VISIT,
    KpiRow,
    create_sql_functions,
    kpi_label,
    sum_aggregate,
    sums_of,
)


def _ratio(numerator, denominator, factor=1.0):
    """A rate, or None when there is no denominator."""
    if not denominator:
        return None
    return factor * (numerator or 0.0) / denominator


class StoreServiceKpi(models.AbstractModel):
    _name = "store.service.kpi"
    _description = "Store Service KPIs"

    def init(self):
        create_sql_functions(self.env.cr, self._service_cost_extra_sql())

    @api.model
    def _service_cost_extra_sql(self):
        """Extension point of the service cost: the SQL body of the function
        store_service_kpi_extra_cost(complaint id) → money (one SELECT, ``$1`` the
        complaint id; None: nothing). A bridge addon overrides it, adding its part
        to super()'s; its init() (run when it is installed or updated) recreates the
        function."""
        return SQL()

    # ------------------------------------------------------------------
    # Targets
    # ------------------------------------------------------------------
    @api.model
    def get_targets(self, company=None):
        """The company's KPI targets ({kpi key: target}, fractions for the rates, CSAT
        on 1-5) and the service score weights under "weights" ({kpi key: weight})."""
        company = company or self.env.company
        targets = {
            key: company[kpi.target_field] / (100.0 if kpi.target_percent else 1.0)
            for key, kpi in KPIS.items()
            if kpi.target_field
        }
        targets["weights"] = {key: company[KPIS[key].weight_field] for key in SCORE_KPIS}
        return targets

    @api.model
    def kpi_status(self, key, value, targets=None):
        """'good' when ``value`` meets its target, 'bad' when not, None without either."""
        kpi = KPIS.get(key)
        if value is None or kpi is None or not kpi.target_field:
            return None
        targets = targets or self.get_targets()
        target = targets[key]
        met = value >= target if kpi.higher_is_better else value <= target
        return "good" if met else "bad"

    @api.model
    def kpi_attainment(self, key, value, target):
        """How far ``value`` reaches its target, 0-1, or None without a value: ``value /
        target`` capped at 1 when higher is better, ``target / value`` when lower is
        better (1 while the value stays within its target)."""
        if value is None or target is None:
            return None
        if not KPIS[key].higher_is_better:
            return 1.0 if value <= target else (target / value if value else 0.0)
        return min(value / target, 1.0) if target else 1.0

    @api.model
    def _service_score(self, kpis, targets):
        """Weighted attainment of the score's KPIs (CSAT, on-time resolution, FCR and
        cost by default), 0-100.

        Components without data are left out and the remaining weights re-scaled.
        Without any service figure (the components where higher is better) the score
        is None: a store that only sells has a cost ratio of 0, which says nothing about
        its service.
        """
        if all(kpis.get(key) is None for key in SCORE_KPIS if KPIS[key].higher_is_better):
            return None
        total_weight = score = 0.0
        for key in SCORE_KPIS:
            value = kpis.get(key)
            weight = targets["weights"][key]
            if value is None or not weight:
                continue
            score += weight * self.kpi_attainment(key, value, targets[key])
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

    @api.model
    def _kpi_previous_period(self, date_from, date_to):
        """The period a period is compared with: whole calendar months (a month, a
        quarter, a year) are compared with as many calendar months just before (December
        with November, Q4 with Q3); any other range with the range of the same length
        just before it."""
        if date_from.day == 1 and (date_to + timedelta(days=1)).day == 1:
            delta = relativedelta(date_to + timedelta(days=1), date_from)
            months = delta.years * 12 + delta.months
            previous_from = date_from - relativedelta(months=months)
            return previous_from, date_from - timedelta(days=1)
        length = (date_to - date_from).days + 1
        return date_from - timedelta(days=length), date_from - timedelta(days=1)

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
            ._store_service_user_stores()
            .filtered(lambda team: team.company_id in self.env.companies or not team.company_id)
        )

    @api.model
    def _kpi_teams(self, team_ids):
        """The stores to report on: None means every store (crm.team marked as a store)
        of the session's companies for managers, the user's stores for the others."""
        if team_ids is not None and not isinstance(team_ids, list | tuple):
            team_ids = [team_ids]
        if team_ids is not None and not all(isinstance(tid, int) for tid in team_ids):
            raise UserError(self.env._("Stores must be given as a list of store ids."))
        if self._kpi_is_manager():
            if team_ids is None:
                return self.env["crm.team"]._store_service_stores().ids
            return list(team_ids)
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

    def _kpi_row(self, query):
        """The KPI definitions' view of the rows of ``query``."""
        return KpiRow(query.table, now=fields.Datetime.now(), today=fields.Date.context_today(self))

    @api.model
    def _kpi_base_domain(self, source, date_from, date_to, team_ids=None):
        """The records a KPI of ``source`` counts: complaints received in the period (local
        days, not cancelled; archived ones are left out by the ORM), visits scheduled in
        it; restricted to ``team_ids`` unless None. The scorecard's lists use it too."""
        date_from, date_to, start, stop = self._kpi_period(date_from, date_to)
        team_domain = [("team_id", "in", list(team_ids))] if team_ids is not None else []
        if source == COMPLAINT:
            return [
                ("state", "!=", "cancelled"),
                ("date_received", ">=", fields.Datetime.to_string(start)),
                ("date_received", "<", fields.Datetime.to_string(stop)),
                *team_domain,
            ]
        if source == VISIT:
            return [
                ("scheduled_date", ">=", fields.Date.to_string(date_from)),
                ("scheduled_date", "<=", fields.Date.to_string(date_to)),
                *team_domain,
            ]
        return [
            ("state", "=", "sale"),
            ("date_order", ">=", fields.Datetime.to_string(start)),
            ("date_order", "<", fields.Datetime.to_string(stop)),
            ("company_id", "in", self.env.companies.ids),
            *team_domain,
        ]

    def _kpi_source_query(self, source, date_from, date_to, team_ids):
        """(query, row, local timestamp of the row's day) of the records of ``source``
        (complaints or visits) a KPI counts, through the ORM's record rules."""
        model = self.env["store.complaint" if source == COMPLAINT else "store.return.visit"]
        query = model._search(self._kpi_base_domain(source, date_from, date_to, team_ids))
        row = self._kpi_row(query)
        if source == COMPLAINT:
            query.add_join("LEFT JOIN", row.company_alias, "res_company", row.company_condition())
            local = self._kpi_local(row("date_received"))
        else:
            local = SQL("%s::timestamp", row("scheduled_date"))
        return query, row, local

    def _kpi_source_rows(self, source, date_from, date_to, team_ids, group_by):
        """The sums of ``source`` (complaints or visits), per key and in total."""
        query, row, local = self._kpi_source_query(source, date_from, date_to, team_ids)
        key = self._kpi_group_sql(group_by, row("team_id"), local)
        return self._kpi_fetch(
            query, key, [(s.key, sum_aggregate(s, row)) for s in sums_of(source)]
        )

    def _kpi_order_rows(self, start, stop, team_ids, group_by):
        """Confirmed orders, untaxed revenue (company currency) and repeat customers.

        The orders are those of ``store.order.source`` (sale orders, and the orders
        the bridge addons add: POS orders).

        Customers are counted per commercial entity. Store users may not read sale
        orders at all, so the query runs on the stores they may see and the companies
        of the session, instead of through the sale order record rules.
        """
        where = [
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
                      FROM (%(confirmed)s) so
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
                confirmed=self.env["store.order.source"]._confirmed_orders_sql(),
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
        s = {name: sums.get(name) or 0 for name in SUMS}
        kpis = {
            key: _ratio(s[kpi.numerator], s[kpi.denominator], kpi.factor)
            for key, kpi in KPIS.items()
            if kpi.numerator
        }
        kpis["service_score"] = self._service_score(kpis, targets)
        for name in COUNT_KEYS:
            kpis[name] = float(s[name]) if SUMS[name].money else int(s[name])
        return kpis

    @api.model
    def _kpi_sums(self, date_from, date_to, team_ids, group_by):
        """{key: {sum name: value}} with the totals under the key None."""
        _date_from, _date_to, start, stop = self._kpi_period(date_from, date_to)
        sums = {}
        for rows in (
            self._kpi_source_rows(COMPLAINT, date_from, date_to, team_ids, group_by),
            self._kpi_source_rows(VISIT, date_from, date_to, team_ids, group_by),
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
    @api.readonly
    def compute_kpis(self, date_from, date_to, team_ids=None, group_by=None, compare=False):
        """The KPIs of DESIGN.md over [date_from, date_to] (inclusive days).

        :param team_ids: store (crm.team) ids; None: every store the user may see
        :param group_by: None, 'team' (adds ``teams``, ranked by service score) or
            'month' (adds ``months``, in calendar order)
        :param compare: adds ``previous``: the same KPIs for the previous period
            (``_kpi_previous_period``)
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
        date_from, date_to, _start, _stop = self._kpi_period(date_from, date_to)
        team_ids = self._kpi_teams(team_ids)
        targets = self.get_targets()
        sums = self._kpi_sums(date_from, date_to, team_ids, group_by)
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
            previous = self.compute_kpis(*self._kpi_previous_period(date_from, date_to), team_ids)
            result["previous"] = previous
        return result

    @api.model
    @api.readonly
    def action_open_kpi_records(self, key, date_from, date_to, team_ids=None):
        """Window action on the records behind a KPI (drill-down from the dashboard)."""
        kpi = KPIS.get(key) if isinstance(key, str) else None
        if kpi is None or not kpi.records:
            raise UserError(self.env._("There is no KPI called %(key)r.", key=key))
        team_ids = self._kpi_teams(team_ids)
        records = SUMS[kpi.records]
        context = {
            "now": fields.Datetime.now(),
            "today": fields.Date.context_today(self),
            "companies": self.env.companies.sudo(),
        }
        domain = [
            *self._kpi_base_domain(records.source, date_from, date_to, team_ids),
            *records.domain(context),
        ]
        model = {COMPLAINT: "store.complaint", VISIT: "store.return.visit"}.get(
            records.source, "sale.order"
        )
        label = kpi_label(self.env, kpi)
        period = self._kpi_period_label(date_from, date_to)
        facet = (
            self.env._("%(kpi)s: %(records)s", kpi=label, records=self.env._(records.label))
            if records.label
            else label
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("%(kpi)s · %(period)s", kpi=label, period=period),
            "res_model": model,
            "views": [(False, "list"), (False, "form")],
            "target": "current",
            # the records as a named, removable facet of the search bar (a dynamic
            # filter, made by static/src/dashboard/kpi_facet.js) instead of a hidden
            # domain; in the action's context, so that a browser reload keeps it
            "context": {
                "store_service_kpi_facet": {
                    "description": f"{facet} ({period})",
                    "domain": domain,
                    "model": model,
                },
            },
        }

    @api.model
    def _kpi_period_label(self, date_from, date_to):
        """ "12/01/2026 – 12/31/2026" in the user's date format."""
        date_from, date_to, _start, _stop = self._kpi_period(date_from, date_to)
        return f"{format_date(self.env, date_from)} – {format_date(self.env, date_to)}"
