from datetime import datetime, time

from babel.dates import format_skeleton
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.misc import babel_locale_parse, format_date, format_datetime, formatLang, get_lang

OPEN_STATES = ("new", "assigned", "in_progress")
DASH = "\u2013"
TREND_MONTHS = 6
TOP_CATEGORIES = 5
LIST_LIMIT = 8

# (kpi key, target key, kind); kind sets the formatting: "rate" (fraction shown as %),
# "csat" (1-5, two decimals), "nps" (-100..100), "hours", "per100" (per 100 orders).
KPI_ROWS = (
    ("csat_avg", "csat", "csat"),
    ("satisfaction_rate", None, "rate"),
    ("top_box_rate", None, "rate"),
    ("nps", None, "nps"),
    ("response_on_time_rate", "response", "rate"),
    ("resolution_on_time_rate", "on_time", "rate"),
    ("first_contact_resolution_rate", "fcr", "rate"),
    ("avg_resolution_hours", None, "hours"),
    ("complaint_rate", None, "per100"),
    ("return_rate", "returns", "rate"),
    ("service_cost_ratio", "cost", "rate"),
    ("visit_completion_rate", None, "rate"),
    ("repurchase_rate", None, "rate"),
)
# The service score components: (weight key in targets["weights"], kpi key, target key).
SCORE_COMPONENTS = (
    ("csat", "csat_avg", "csat", "csat"),
    ("on_time", "resolution_on_time_rate", "on_time", "rate"),
    ("fcr", "first_contact_resolution_rate", "fcr", "rate"),
    ("cost", "service_cost_ratio", "cost", "rate"),
)
# KPIs where lower is better (the target is a ceiling).
LOWER_IS_BETTER = {"avg_resolution_hours", "complaint_rate", "return_rate", "service_cost_ratio"}


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
        rows = []
        for key, target_key, kind in KPI_ROWS:
            target = targets.get(target_key) if target_key else None
            rows.append(
                {
                    "key": key,
                    "label": self._kpi_label(key),
                    "value": self._fmt(kpis.get(key), kind),
                    "previous": self._fmt(previous.get(key), kind),
                    "target": self._fmt_target(key, target, kind),
                    "status": kpi_model.kpi_status(key, kpis.get(key), targets),
                    "trend": self._trend_mark(key, kpis.get(key), previous.get(key)),
                }
            )
        weights = targets.get("weights") or {}
        components = [
            {
                "key": weight_key,
                "label": self._kpi_label(kpi_key),
                "value": self._fmt(kpis.get(kpi_key), kind),
                "target": self._fmt_target(kpi_key, targets.get(target_key), kind),
                "weight": weights.get(weight_key, 0),
                "status": kpi_model.kpi_status(kpi_key, kpis.get(kpi_key), targets),
                "attainment_value": self._attainment(
                    weight_key, kpis.get(kpi_key), targets.get(target_key)
                ),
            }
            for weight_key, kpi_key, target_key, kind in SCORE_COMPONENTS
        ]
        for component in components:
            component["attainment"] = self._fmt(component["attainment_value"], "score")
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
            "score_str": self._fmt(score, "score"),
            "score_previous": self._fmt(previous.get("service_score"), "score"),
            "score_trend": self._trend_mark("service_score", score, previous.get("service_score")),
            "components": components,
            "counts": self._get_counts(kpis, company),
            "categories": self._get_top_categories(team, date_from, date_to),
            "overdue": self._get_overdue_complaints(team, date_to),
            "broken": self._get_broken_promises(team, date_from, date_to),
            "visits": {
                "done": kpis.get("visit_done_count") or 0,
                "due": kpis.get("visit_due_count") or 0,
                "rate": self._fmt(kpis.get("visit_completion_rate"), "rate"),
                "bar": self._bar(kpis.get("visit_completion_rate"), 1.0),
            },
            "trend": self._get_trend(kpi_model, team, date_from, date_to),
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
            (self.env._("Orders"), formatLang(self.env, kpis.get("order_count") or 0, digits=0)),
            (
                self.env._("Revenue"),
                formatLang(self.env, kpis.get("revenue") or 0.0, currency_obj=currency),
            ),
            (
                self.env._("Complaints"),
                formatLang(self.env, kpis.get("complaint_count") or 0, digits=0),
            ),
            (
                self.env._("Compensation"),
                formatLang(self.env, kpis.get("compensation_amount") or 0.0, currency_obj=currency),
            ),
            (self.env._("Ratings"), formatLang(self.env, kpis.get("csat_count") or 0, digits=0)),
            (
                self.env._("Customers"),
                formatLang(self.env, kpis.get("customer_count") or 0, digits=0),
            ),
        ]

    @api.model
    def _complaints(self):
        # The access check is done (the user may print this store): the store's
        # complaints are read whole, as the KPI engine reads them.
        return self.env["store.complaint"].sudo().with_context(active_test=False)

    @api.model
    def _period_bounds(self, date_from, date_to):
        return (
            datetime.combine(date_from, time.min),
            datetime.combine(date_to + relativedelta(days=1), time.min),
        )

    @api.model
    def _get_top_categories(self, team, date_from, date_to):
        start, stop = self._period_bounds(date_from, date_to)
        groups = self._complaints()._read_group(
            [
                ("team_id", "=", team.id),
                ("state", "!=", "cancelled"),
                ("date_received", ">=", start),
                ("date_received", "<", stop),
            ],
            ["category_id"],
            ["__count"],
            order="__count desc",
        )
        total = sum(count for _category, count in groups)
        top = groups[:TOP_CATEGORIES]
        return [
            {
                "name": category.display_name or self.env._("Uncategorized"),
                "count": count,
                "share": self._fmt(count / total, "rate") if total else DASH,
                "bar": self._bar(count, top[0][1]),
            }
            for category, count in top
        ]

    @api.model
    def _get_overdue_complaints(self, team, date_to):
        """Complaints still open whose resolution deadline passed (before the end of the
        month, or now when the month is not over)."""
        cutoff = min(
            fields.Datetime.now(), datetime.combine(date_to + relativedelta(days=1), time.min)
        )
        domain = [
            ("team_id", "=", team.id),
            ("state", "in", OPEN_STATES),
            ("resolution_deadline", "<", cutoff),
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
        trend = []
        for index in range(TREND_MONTHS):
            month = start + relativedelta(months=index)
            row = by_month.get(month.strftime("%Y-%m"), {})
            score, csat = row.get("service_score"), row.get("csat_avg")
            trend.append(
                {
                    "label": self._format_month(month, short=True),
                    "score": self._fmt(score, "score"),
                    "score_bar": self._bar(score, 100.0),
                    "csat": self._fmt(csat, "csat"),
                    "csat_bar": self._bar(csat, 5.0),
                    "current": month == date_from,
                }
            )
        return trend

    # ------------------------------------------------------------------
    # Labels and formatting
    # ------------------------------------------------------------------
    @api.model
    def _kpi_label(self, key):
        return {
            "csat_avg": self.env._("Customer satisfaction (CSAT, 1-5)"),
            "satisfaction_rate": self.env._("Satisfied customers (4-5)"),
            "top_box_rate": self.env._("Very satisfied (5)"),
            "nps": self.env._("Net Promoter Score"),
            "response_on_time_rate": self.env._("Response within SLA"),
            "resolution_on_time_rate": self.env._("Resolved on time"),
            "first_contact_resolution_rate": self.env._("First-contact resolution"),
            "avg_resolution_hours": self.env._("Average resolution time (hours)"),
            "complaint_rate": self.env._("Complaints per 100 orders"),
            "return_rate": self.env._("Returns and exchanges"),
            "service_cost_ratio": self.env._("Service cost (share of sales)"),
            "visit_completion_rate": self.env._("Return visits completed"),
            "repurchase_rate": self.env._("Repurchase rate"),
            "service_score": self.env._("Service score"),
        }.get(key, key)

    @api.model
    def _fmt(self, value, kind):
        """A KPI value as printed: "–" for None, fractions as percentages, one decimal
        (CSAT two)."""
        if value is None or value is False:
            return DASH
        if kind == "rate":
            return f"{formatLang(self.env, value * 100.0, digits=1)}%"
        if kind == "csat":
            return formatLang(self.env, value, digits=2)
        return formatLang(self.env, value, digits=1)

    @api.model
    def _fmt_target(self, key, target, kind):
        if target is None or target is False:
            return DASH
        sign = "\u2264 " if key in LOWER_IS_BETTER else "\u2265 "
        return sign + self._fmt(target, kind)

    @api.model
    def _trend_mark(self, key, value, previous):
        """An arrow telling whether the KPI got better (▲ green) or worse (▼ red) than
        the previous month: ("▲", "good")."""
        if value is None or previous is None or value == previous:
            return None
        up = value > previous
        better = up != (key in LOWER_IS_BETTER)
        return ("\u25b2" if up else "\u25bc", "good" if better else "bad")

    @api.model
    def _bar(self, value, maximum):
        """Width (0-100) of a CSS bar."""
        if not value or not maximum or value < 0:
            return 0
        return round(min(value / maximum, 1.0) * 100.0, 1)

    @api.model
    def _attainment(self, component, value, target):
        """A score component's attainment, 0-100, as the README's service score formula
        has it: value / target capped at 1, target / value for the cost ratio (full
        while the cost stays within its target); None without a value."""
        if value is None or target is None:
            return None
        if component == "cost":
            return 100.0 if value <= target else 100.0 * target / value
        return 100.0 * min(value / target, 1.0) if target else 100.0

    @api.model
    def _format_month(self, day, short=False):
        """ "March 2024" / "2024年3月" ("Mar 2024" / "2024年3月" when short)."""
        locale = babel_locale_parse(get_lang(self.env).code)
        return format_skeleton("yMMM" if short else "yMMMM", day, locale=locale)

    @api.model
    def _format_deadline(self, value):
        """A date or a datetime (in the user's time zone) in the language's format."""
        if not value:
            return DASH
        if isinstance(value, datetime):
            return format_datetime(self.env, value, dt_format="short")
        return format_date(self.env, value)
