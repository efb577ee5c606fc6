# The engine's methods (compute_kpis, get_targets, kpi_status, _kpi_*) come through _inherit,
# which pylint cannot follow.
# pylint: disable=no-member
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import LazyTranslate
from odoo.tools.misc import format_date, get_lang

from .store_service_kpi import KPI_TARGETS

_lt = LazyTranslate(__name__)

# The KPIs of the dashboard, in card order: key of compute_kpis(), label, unit and whether
# higher is better. The target a KPI is measured against comes from the engine (KPI_TARGETS).
DASHBOARD_KPIS = (
    ("service_score", _lt("Service Score"), "score", True),
    ("csat_avg", _lt("CSAT"), "csat", True),
    ("resolution_on_time_rate", _lt("On-time Resolution"), "percent", True),
    ("first_contact_resolution_rate", _lt("First-contact Resolution"), "percent", True),
    ("service_cost_ratio", _lt("Service Cost"), "percent", False),
    ("response_on_time_rate", _lt("24 h Response"), "percent", True),
    ("return_rate", _lt("Returns"), "percent", False),
    ("nps", _lt("NPS"), "nps", True),
    ("satisfaction_rate", _lt("Satisfied (4-5)"), "percent", True),
    ("top_box_rate", _lt("Top Box (5)"), "percent", True),
    ("complaint_rate", _lt("Complaints per 100 Orders"), "number", False),
    ("avg_resolution_hours", _lt("Avg. Resolution Time"), "hours", False),
    ("visit_completion_rate", _lt("Visits Completed"), "percent", True),
    ("repurchase_rate", _lt("Repurchase Rate"), "percent", True),
)
# Columns of the store ranking (besides the rank and the store name), with short headers.
RANKING_COLUMNS = (
    ("service_score", _lt("Score")),
    ("csat_avg", _lt("CSAT")),
    ("resolution_on_time_rate", _lt("On Time")),
    ("first_contact_resolution_rate", _lt("FCR")),
    ("service_cost_ratio", _lt("Cost")),
    ("response_on_time_rate", _lt("24 h")),
    ("complaint_count", _lt("Complaints")),
    ("order_count", _lt("Orders")),
)
COUNT_LABELS = {
    "complaint_count": _lt("Complaints Received"),
    "order_count": _lt("Confirmed Orders"),
}
TREND_MONTHS = 12
NONE_DISPLAY = "–"


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

    def delta(self, unit, value, previous_value):
        """(change, its display) from ``previous_value`` to ``value``."""
        if value is None or previous_value is None:
            return None, NONE_DISPLAY
        delta = value - previous_value
        if unit == "percent":
            # percentage points: a rate going from 80 % to 85 % moved by +5.0 pts
            return delta, self.points % {"points": self("number", delta * 100.0, True)}
        return delta, self(unit, delta, signed=True)


class StoreServiceKpi(models.AbstractModel):
    _inherit = "store.service.kpi"

    @api.model
    def get_dashboard_data(self, date_from, date_to, team_ids=None):
        """Everything the KPI dashboard shows, in one call.

        :param date_from, date_to: the period (``date`` or "YYYY-MM-DD", inclusive)
        :param team_ids: crm.team ids, or None/[] for every store the user may see
        :return: dict with ``cards`` (one per KPI: value, target, status, change from
            the previous period), ``trend`` (the 12 months up to ``date_to``),
            ``teams`` (stores ranked by service score) and ``columns`` (ranking headers);
            labels are translated and values formatted in the user's language.
        """
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        team_ids = list(team_ids) if team_ids else None
        targets = self.get_targets()
        fmt = KpiFormat(self.env)
        current = self.compute_kpis(
            date_from, date_to, team_ids=team_ids, group_by="team", compare=True
        )
        previous = current.get("previous") or {}
        trend_from = date(date_to.year, date_to.month, 1) - relativedelta(months=TREND_MONTHS - 1)
        trend = self.compute_kpis(trend_from, date_to, team_ids=team_ids, group_by="month")
        return {
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            "period_label": self._dashboard_period_label(date_from, date_to),
            "previous_label": self._dashboard_period_label(
                previous.get("date_from"), previous.get("date_to")
            ),
            "cards": [
                self._dashboard_card(fmt, kpi, current, previous, targets) for kpi in DASHBOARD_KPIS
            ],
            "trend": self._dashboard_trend(trend_from, date_to, trend.get("months") or []),
            "columns": [
                {
                    "key": key,
                    "label": self.env._(short),
                    "title": self._dashboard_label(key),
                }
                for key, short in RANKING_COLUMNS
            ],
            "teams": [
                self._dashboard_team_row(fmt, rank, row, targets)
                for rank, row in enumerate(current.get("teams") or [], start=1)
            ],
            "team_domain": self._dashboard_team_domain(),
            "counts": {
                key: current.get(key)
                for key in ("order_count", "complaint_count", "csat_count", "visit_due_count")
            },
        }

    # ------------------------------------------------------------------ helpers
    @api.model
    def _dashboard_label(self, key):
        for kpi_key, label, *_rest in DASHBOARD_KPIS:
            if kpi_key == key:
                return self.env._(label)
        return self.env._(COUNT_LABELS[key])

    @api.model
    def _dashboard_team_domain(self):
        """Domain of the stores the store selector offers: all for managers, else the
        stores the user leads or is a member of (the ones compute_kpis accepts)."""
        if self._kpi_is_manager():
            return []
        return [("id", "in", self._kpi_user_teams().ids)]

    @api.model
    def _dashboard_period_label(self, date_from, date_to):
        if not date_from or not date_to:
            return ""
        start = format_date(self.env, fields.Date.to_date(date_from))
        end = format_date(self.env, fields.Date.to_date(date_to))
        return f"{start} – {end}"

    @api.model
    def _dashboard_target_display(self, fmt, key, unit, targets):
        if key not in KPI_TARGETS:
            return None, ""
        target_key, higher_is_better = KPI_TARGETS[key]
        target = targets.get(target_key)
        if target is None or target is False:
            return None, ""
        sign = "≥" if higher_is_better else "≤"
        return target, f"{sign} {fmt(unit, target)}"

    @api.model
    def _dashboard_card(self, fmt, kpi, current, previous, targets):
        key, label, unit, higher_is_better = kpi
        value = current.get(key)
        previous_value = previous.get(key)
        delta, delta_display = fmt.delta(unit, value, previous_value)
        target, target_display = self._dashboard_target_display(fmt, key, unit, targets)
        if delta is None:
            trend = improved = None
        elif fmt.rounds_to_zero(unit, delta):
            trend, improved = "flat", None
            delta_display = fmt.delta(unit, 0.0, 0.0)[1]
        else:
            trend = "up" if delta > 0 else "down"
            improved = (delta > 0) == higher_is_better
        return {
            "key": key,
            "label": self.env._(label),
            "unit": unit,
            "value": value,
            "value_display": fmt(unit, value),
            "target": target,
            "target_display": target_display,
            "status": self.kpi_status(key, value, targets),
            "previous": previous_value,
            "previous_display": fmt(unit, previous_value),
            "delta": delta,
            "delta_display": delta_display,
            "trend": trend,
            "improved": improved,
            "higher_is_better": higher_is_better,
        }

    @api.model
    def _dashboard_trend(self, date_from, date_to, month_rows):
        by_month = {row.get("month"): row for row in month_rows}
        months = []
        month = date(date_from.year, date_from.month, 1)
        while month <= date_to:
            months.append(month)
            month += relativedelta(months=1)
        keys = [month.strftime("%Y-%m") for month in months]
        return {
            "months": keys,
            "labels": [format_date(self.env, month, date_format="MMM yyyy") for month in months],
            "series": [
                {
                    "key": key,
                    "label": self.env._(label),
                    "unit": unit,
                    "values": [
                        self._dashboard_chart_value(unit, by_month.get(month, {}).get(key))
                        for month in keys
                    ],
                }
                for key, label, unit, *_rest in DASHBOARD_KPIS
            ],
        }

    @api.model
    def _dashboard_chart_value(self, unit, value):
        if value is None:
            return None
        return round(value * 100.0, 2) if unit == "percent" else round(value, 2)

    @api.model
    def _dashboard_team_row(self, fmt, rank, row, targets):
        units = {key: unit for key, _label, unit, *_rest in DASHBOARD_KPIS}
        cells = []
        for key, _short in RANKING_COLUMNS:
            unit = units.get(key, "count")
            value = row.get(key)
            cells.append(
                {
                    "key": key,
                    "value": value,
                    "display": fmt(unit, value),
                    "status": self.kpi_status(key, value, targets) if key in units else None,
                }
            )
        return {
            "rank": rank,
            "team_id": row.get("team_id") or False,
            "team_name": row.get("team_name"),
            "service_score": row.get("service_score"),
            "cells": cells,
        }
