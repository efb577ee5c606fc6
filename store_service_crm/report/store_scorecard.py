from datetime import datetime

from babel.dates import format_skeleton
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.misc import babel_locale_parse, format_date, format_datetime, formatLang, get_lang

from ..models.store_service_kpi_definitions import (
    COMPLAINT,
    KPIS,
    NONE_DISPLAY,
    SCORE_KPIS,
    SUMS,
    KpiFormat,
    kpi_label,
)

OPEN_STATES = ("new", "assigned", "in_progress")
TREND_MONTHS = 6
TOP_CATEGORIES = 5
LIST_LIMIT = 8
# the counts printed under the KPIs, two per line
COUNT_ROWS = (
    "order_count",
    "revenue",
    "complaint_count",
    "service_cost",
    "csat_count",
    "customer_count",
)


class StoreScorecardReport(models.AbstractModel):
    _name = "report.store_service_crm.report_store_scorecard"
    _description = "Monthly Store Scorecard"

    @api.model
    def _get_report_values(self, docids, data=None):
        # printed from the web client with options (the wizard), the stores come in
        # the data: the client sends no record ids along with options
        if not docids and data and data.get("team_ids"):
            docids = data["team_ids"]
        teams = self.env["crm.team"].browse(docids).exists()
        self._check_scorecard_access(teams)
        date_from, date_to = self._get_scorecard_period(data)
        return {
            "doc_ids": teams.ids,
            "doc_model": "crm.team",
            "docs": teams,
            "date_from": date_from,
            "date_to": date_to,
            "cards": {team.id: self._get_scorecard(team, date_from, date_to) for team in teams},
            "format_deadline": self._format_deadline,
        }

    # ------------------------------------------------------------------
    # Access and period
    # ------------------------------------------------------------------
    @api.model
    def _check_scorecard_access(self, teams):
        """A store user prints the scorecards of the stores they belong to or lead;
        managers print any store."""
        Team = self.env["crm.team"]
        if Team._store_service_is_manager():
            return
        forbidden = teams.sudo() - Team._store_service_user_teams().sudo()
        if forbidden:
            raise AccessError(
                self.env._(
                    "You can only print the scorecard of your own stores (not %(store)s).",
                    store=forbidden[0].display_name,
                )
            )

    @api.model
    def _get_scorecard_period(self, data=None):
        """First and last day of the month to report: ``data["month"]`` ("YYYY-MM"),
        ``data["date_from"]`` or the context's ``scorecard_date`` (any day in the month),
        else the current month."""
        data = data or {}
        day = None
        if data.get("month"):
            day = fields.Date.to_date(f"{data['month']}-01")
        elif data.get("date_from"):
            day = fields.Date.to_date(data["date_from"])
        elif self.env.context.get("scorecard_date"):
            day = fields.Date.to_date(self.env.context["scorecard_date"])
        if isinstance(day, datetime):
            day = day.date()
        day = day or fields.Date.context_today(self)
        date_from = day.replace(day=1)
        return date_from, date_from + relativedelta(months=1, days=-1)

    @api.model
    def _get_scorecard_file_name(self, teams, date_from):
        """The PDF's file name, without extension: "Scorecard - Downtown Store -
        2026-12" (one store), "Scorecards - 2026-12" (several)."""
        month = date_from.strftime("%Y-%m")
        if len(teams) == 1:
            return self.env._("Scorecard - %(store)s - %(month)s", store=teams.name, month=month)
        return self.env._("Scorecards - %(month)s", month=month)

    # ------------------------------------------------------------------
    # One store's scorecard
    # ------------------------------------------------------------------
    @api.model
    def _get_scorecard(self, team, date_from, date_to):
        kpi_model = self.env["store.service.kpi"]
        if team.company_id:
            # the store's company sets the targets and weights of its score
            kpi_model = kpi_model.with_company(team.company_id)
        company = kpi_model.env.company
        targets = kpi_model.get_targets(company=company)
        kpis = kpi_model.compute_kpis(date_from, date_to, team_ids=team.ids, compare=True)
        previous = kpis.get("previous") or {}
        fmt = KpiFormat(self.env)
        rows = [
            self._get_row(kpi_model, fmt, kpi, kpis, previous, targets)
            for kpi in KPIS.values()
            if kpi.scorecard
        ]
        weights = targets.get("weights") or {}
        components = []
        for key in SCORE_KPIS:
            row = self._get_row(kpi_model, fmt, KPIS[key], kpis, previous, targets)
            attainment = kpi_model.kpi_attainment(key, kpis.get(key), targets.get(key))
            attainment = None if attainment is None else 100.0 * attainment
            row.update(
                weight=weights.get(key, 0),
                attainment_value=attainment,
                attainment=fmt("score", attainment),
            )
            components.append(row)
        score = kpis.get("service_score")
        return {
            "team": team,
            "company": company,
            "month_label": self._format_month(date_from),
            "date_from": date_from,
            "date_to": date_to,
            "kpis": kpis,
            "rows": rows,
            "score": score,
            "score_str": fmt("score", score),
            "score_previous": fmt("score", previous.get("service_score")),
            "score_trend": self._trend_mark("service_score", score, previous.get("service_score")),
            "components": components,
            "counts": self._get_counts(kpis, company),
            "categories": self._get_top_categories(kpi_model, team, date_from, date_to),
            "overdue": self._get_overdue_complaints(kpi_model, team, date_from, date_to),
            "broken": self._get_broken_promises(team, date_from, date_to),
            "visits": {
                "done": kpis.get("visit_done_count") or 0,
                "due": kpis.get("visit_due_count") or 0,
                "rate": fmt("percent", kpis.get("visit_completion_rate")),
                "bar": self._bar(kpis.get("visit_completion_rate"), 1.0),
            },
            "trend": self._get_trend(kpi_model, team, date_from, date_to),
        }

    @api.model
    def _get_row(self, kpi_model, fmt, kpi, kpis, previous, targets):
        """One KPI as printed: label, value and previous value, target, status, trend."""
        value, target = kpis.get(kpi.key), targets.get(kpi.key)
        return {
            "key": kpi.key,
            "label": kpi_label(self.env, kpi, company=kpi_model.env.company),
            "help": self.env._(kpi.help),
            "value": fmt(kpi.unit, value),
            "previous": fmt(kpi.unit, previous.get(kpi.key)),
            "target": NONE_DISPLAY if target is None else fmt.target(kpi, target),
            "status": kpi_model.kpi_status(kpi.key, value, targets),
            "trend": self._trend_mark(kpi.key, value, previous.get(kpi.key)),
        }

    @api.model
    def _get_counts(self, kpis, company):
        """(label, value) pairs, two per line."""
        counts = self._get_count_list(kpis, company)
        return [counts[index : index + 2] for index in range(0, len(counts), 2)]

    @api.model
    def _get_count_list(self, kpis, company):
        currency = company.currency_id
        return [
            (
                self.env._(SUMS[key].label),
                formatLang(self.env, kpis.get(key) or 0.0, currency_obj=currency)
                if SUMS[key].money
                else formatLang(self.env, kpis.get(key) or 0, digits=0),
            )
            for key in COUNT_ROWS
        ]

    @api.model
    def _complaints(self):
        # The access check is done (the user may print this store): the store's
        # complaints are read whole, archived ones left out as the KPI engine does.
        return self.env["store.complaint"].sudo()

    @api.model
    def _get_top_categories(self, kpi_model, team, date_from, date_to):
        """Complaint categories of the month, over the complaints the KPIs count (the
        same local-day bounds, not cancelled, not archived; complaint types only)."""
        domain = [
            *kpi_model._kpi_base_domain(COMPLAINT, date_from, date_to, team.ids),
            *SUMS["complaint_count"].domain({}),
        ]
        groups = self._complaints()._read_group(
            domain, ["category_id"], ["__count"], order="__count desc"
        )
        total = sum(count for _category, count in groups)
        top = groups[:TOP_CATEGORIES]
        fmt = KpiFormat(self.env)
        return [
            {
                "name": category.display_name or self.env._("Uncategorized"),
                "count": count,
                "share": fmt("percent", count / total) if total else NONE_DISPLAY,
                "bar": self._bar(count, top[0][1]),
            }
            for category, count in top
        ]

    @api.model
    def _get_overdue_complaints(self, kpi_model, team, date_from, date_to):
        """Complaints still open whose resolution deadline passed before the end of the
        month (its last local day, as the KPIs), or before now when the month is not
        over; archived ones left out."""
        _date_from, _date_to, _start, stop = kpi_model._kpi_period(date_from, date_to)
        cutoff = min(fields.Datetime.now(), stop)
        domain = [
            ("team_id", "=", team.id),
            ("state", "in", OPEN_STATES),
            ("resolution_deadline", "<", cutoff),
            ("on_hold", "=", False),
        ]
        complaints = self._complaints()
        return {
            "count": complaints.search_count(domain),
            "records": complaints.search(domain, order="resolution_deadline asc", limit=LIST_LIMIT),
        }

    @api.model
    def _get_broken_promises(self, team, date_from, date_to):
        """Complaints whose promised date fell in the month and passed, and which were
        not resolved by then (resolved later, or still not resolved)."""
        today = fields.Date.context_today(self)
        last_day = min(date_to, today - relativedelta(days=1))
        if last_day < date_from:
            return {"count": 0, "records": self._complaints()}
        complaints = self._complaints().search(
            [
                ("team_id", "=", team.id),
                ("state", "!=", "cancelled"),
                ("promised_date", ">=", date_from),
                ("promised_date", "<=", last_day),
                "|",
                ("promise_status", "=", "broken"),
                ("date_resolved", "=", False),
            ],
            order="promised_date asc, id asc",
        )
        return {"count": len(complaints), "records": complaints[:LIST_LIMIT]}

    @api.model
    def _get_trend(self, kpi_model, team, date_from, date_to):
        start = date_from - relativedelta(months=TREND_MONTHS - 1)
        kpis = kpi_model.compute_kpis(start, date_to, team_ids=team.ids, group_by="month")
        by_month = {row["month"]: row for row in kpis.get("months") or []}
        fmt = KpiFormat(self.env)
        trend = []
        for index in range(TREND_MONTHS):
            month = start + relativedelta(months=index)
            row = by_month.get(month.strftime("%Y-%m"), {})
            score, csat = row.get("service_score"), row.get("csat_avg")
            trend.append(
                {
                    "label": self._format_month(month, short=True),
                    "score": fmt("score", score),
                    "score_bar": self._bar(score, 100.0),
                    "csat": fmt("csat", csat),
                    "csat_bar": self._bar(csat, 5.0),
                    "current": month == date_from,
                }
            )
        return trend

    # ------------------------------------------------------------------
    # Labels and formatting
    # ------------------------------------------------------------------
    @api.model
    def _trend_mark(self, key, value, previous):
        """An arrow telling whether the KPI got better (▲ green) or worse (▼ red) than
        the previous month: ("▲", "good"); "=" when both print the same."""
        if value is None or previous is None:
            return None
        unit = KPIS[key].unit if key in KPIS else "score"
        fmt = KpiFormat(self.env)
        if value == previous or fmt(unit, value) == fmt(unit, previous):
            # the same value as printed: no arrow beside two equal figures
            return ("=", "flat")
        up = value > previous
        better = up == KPIS[key].higher_is_better
        return ("\u25b2" if up else "\u25bc", "good" if better else "bad")

    @api.model
    def _bar(self, value, maximum):
        """Width (0-100) of a CSS bar."""
        if not value or not maximum or value < 0:
            return 0
        return round(min(value / maximum, 1.0) * 100.0, 1)

    @api.model
    def _format_month(self, day, short=False):
        """ "March 2024" / "2024年3月" ("Mar 2024" / "2024年3月" when short)."""
        locale = babel_locale_parse(get_lang(self.env).code)
        return format_skeleton("yMMM" if short else "yMMMM", day, locale=locale)

    @api.model
    def _format_deadline(self, value):
        """A date or a datetime (in the user's time zone) in the language's format."""
        if not value:
            return NONE_DISPLAY
        if isinstance(value, datetime):
            return format_datetime(self.env, value, dt_format="short")
        return format_date(self.env, value)
