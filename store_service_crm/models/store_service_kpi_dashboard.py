# The engine's methods (compute_kpis, get_targets, kpi_status, _kpi_*) come through _inherit,
# which pylint cannot follow.
# pylint: disable=no-member
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools.misc import format_date

from .store_service_kpi_definitions import KPIS, RANKING_COUNTS, SUMS, KpiFormat, kpi_label

TREND_MONTHS = 12


class StoreServiceKpi(models.AbstractModel):
    _inherit = "store.service.kpi"

    @api.model
    @api.readonly
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
        columns = self._dashboard_ranking_columns()
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
                self._dashboard_card(fmt, kpi, current, previous, targets) for kpi in KPIS.values()
            ],
            "trend": self._dashboard_trend(trend_from, date_to, trend.get("months") or []),
            "columns": [
                {"key": key, "label": label, "title": title}
                for key, label, title, _unit in self._dashboard_ranking_columns()
            ],
            "teams": [
                self._dashboard_team_row(fmt, rank, row, targets, columns)
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
    def _dashboard_ranking_columns(self):
        """(key, short header, full label, unit) of the store ranking's columns: the KPIs
        marked for it, then the counts."""
        columns = [
            (key, kpi_label(self.env, kpi, short=True), kpi_label(self.env, kpi), kpi.unit)
            for key, kpi in KPIS.items()
            if kpi.ranking
        ]
        columns += [
            (key, self.env._(SUMS[key].label), self.env._(SUMS[key].label), "count")
            for key in RANKING_COUNTS
        ]
        return columns

    @api.model
    def _dashboard_team_domain(self):
        """Domain of the stores the store selector offers: all for managers, else the
        stores the user leads or is a member of (the ones compute_kpis accepts)."""
        return self.env["crm.team"]._store_service_selectable_domain()

    @api.model
    def _dashboard_period_label(self, date_from, date_to):
        if not date_from or not date_to:
            return ""
        start = format_date(self.env, fields.Date.to_date(date_from))
        end = format_date(self.env, fields.Date.to_date(date_to))
        return f"{start} – {end}"

    @api.model
    def _dashboard_target_display(self, fmt, kpi, targets):
        target = targets.get(kpi.key)
        if target is None or target is False:
            return None, ""
        return target, fmt.target(kpi, target)

    @api.model
    def _dashboard_card(self, fmt, kpi, current, previous, targets):
        key, unit, higher_is_better = kpi.key, kpi.unit, kpi.higher_is_better
        value = current.get(key)
        previous_value = previous.get(key)
        delta, delta_display = fmt.delta(unit, value, previous_value)
        target, target_display = self._dashboard_target_display(fmt, kpi, targets)
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
            "label": kpi_label(self.env, kpi),
            "help": self.env._(kpi.help),
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
                    "label": kpi_label(self.env, kpi),
                    "unit": kpi.unit,
                    "values": [
                        self._dashboard_chart_value(kpi.unit, by_month.get(month, {}).get(key))
                        for month in keys
                    ],
                }
                for key, kpi in KPIS.items()
            ],
        }

    @api.model
    def _dashboard_chart_value(self, unit, value):
        if value is None:
            return None
        return round(value * 100.0, 2) if unit == "percent" else round(value, 2)

    @api.model
    def _dashboard_team_row(self, fmt, rank, row, targets, columns=None):
        cells = []
        for key, _short, _title, unit in columns or self._dashboard_ranking_columns():
            value = row.get(key)
            cells.append(
                {
                    "key": key,
                    "value": value,
                    "display": fmt(unit, value),
                    "status": self.kpi_status(key, value, targets),
                }
            )
        return {
            "rank": rank,
            "team_id": row.get("team_id") or False,
            "team_name": row.get("team_name"),
            "service_score": row.get("service_score"),
            "cells": cells,
        }
