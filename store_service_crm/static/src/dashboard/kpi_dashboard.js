import { Component, onWillStart, onWillUnmount, useEffect, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { DateTimeInput } from "@web/core/datetime/datetime_input";
import { deserializeDate, serializeDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { MultiRecordSelector } from "@web/core/record_selectors/multi_record_selector";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const { DateTime } = luxon;

/** The periods of the period selector: [from, to] (luxon dates, inclusive). */
export function periodDates(period, today = DateTime.local()) {
    switch (period) {
        case "last_month": {
            const last = today.minus({ months: 1 });
            return [last.startOf("month"), last.endOf("month")];
        }
        case "this_quarter":
            return [today.startOf("quarter"), today.endOf("quarter")];
        case "this_year":
            return [today.startOf("year"), today.endOf("year")];
        default:
            return [today.startOf("month"), today.endOf("month")];
    }
}

const CHART_COLORS = ["#017e84", "#e07b39"];

export class KpiDashboard extends Component {
    static template = "store_service_crm.KpiDashboard";
    static components = { Layout, DateTimeInput, MultiRecordSelector };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.canvasRef = useRef("trendCanvas");
        this.chart = null;
        this.periods = [
            { key: "this_month", label: _t("This Month") },
            { key: "last_month", label: _t("Last Month") },
            { key: "this_quarter", label: _t("This Quarter") },
            { key: "this_year", label: _t("This Year") },
            { key: "custom", label: _t("Custom") },
        ];
        const saved = this.props.state || {};
        const [dateFrom, dateTo] = periodDates("this_month");
        this.state = useState({
            period: saved.period || "this_month",
            dateFrom: saved.dateFrom ? deserializeDate(saved.dateFrom) : dateFrom,
            dateTo: saved.dateTo ? deserializeDate(saved.dateTo) : dateTo,
            teamIds: saved.teamIds || [],
            focusTeam: saved.focusTeam || null,
            trendKey: saved.trendKey || "csat_avg",
            data: null,
            focusData: null,
            loading: false,
        });
        useSetupAction({
            getLocalState: () => ({
                period: this.state.period,
                dateFrom: serializeDate(this.state.dateFrom),
                dateTo: serializeDate(this.state.dateTo),
                teamIds: this.state.teamIds,
                focusTeam: this.state.focusTeam,
                trendKey: this.state.trendKey,
            }),
        });
        onWillStart(async () => {
            await Promise.all([loadBundle("web.chartjs_lib"), this.load()]);
        });
        useEffect(
            () => this.renderChart(),
            () => [this.shown, this.state.trendKey]
        );
        onWillUnmount(() => this.chart?.destroy());
    }

    // ------------------------------------------------------------------ data
    /** The data the cards and the trend show: the focused store's, else the selection's. */
    get shown() {
        return this.state.focusData || this.state.data;
    }

    get cards() {
        return this.shown?.cards || [];
    }

    get teamDomain() {
        return this.state.data?.team_domain || [];
    }

    get trendOptions() {
        return (this.shown?.trend.series || []).filter((s) => s.key !== "service_score");
    }

    async fetch(teamIds) {
        return this.orm.call("store.service.kpi", "get_dashboard_data", [
            serializeDate(this.state.dateFrom),
            serializeDate(this.state.dateTo),
            teamIds,
        ]);
    }

    async load() {
        this.state.loading = true;
        try {
            const focus = this.state.focusTeam;
            const [data, focusData] = await Promise.all([
                this.fetch(this.state.teamIds),
                focus ? this.fetch([focus.id]) : Promise.resolve(null),
            ]);
            this.state.data = data;
            this.state.focusData = focusData;
        } finally {
            this.state.loading = false;
        }
    }

    // ------------------------------------------------------------------ handlers
    async onPeriodChange(ev) {
        const period = ev.target.value;
        this.state.period = period;
        if (period !== "custom") {
            [this.state.dateFrom, this.state.dateTo] = periodDates(period);
            await this.load();
        }
    }

    async onDateFromChange(value) {
        if (!value) {
            return;
        }
        this.state.dateFrom = value;
        if (value > this.state.dateTo) {
            this.state.dateTo = value;
        }
        await this.load();
    }

    async onDateToChange(value) {
        if (!value) {
            return;
        }
        this.state.dateTo = value;
        if (value < this.state.dateFrom) {
            this.state.dateFrom = value;
        }
        await this.load();
    }

    async onTeamsChange(teamIds) {
        this.state.teamIds = teamIds;
        if (this.state.focusTeam && teamIds.length && !teamIds.includes(this.state.focusTeam.id)) {
            this.state.focusTeam = null;
        }
        await this.load();
    }

    async onTeamRowClick(team) {
        if (!team.team_id) {
            return;
        }
        if (this.state.focusTeam?.id === team.team_id) {
            return this.clearFocus();
        }
        this.state.focusTeam = { id: team.team_id, name: team.team_name };
        this.state.focusData = await this.fetch([team.team_id]);
    }

    clearFocus() {
        this.state.focusTeam = null;
        this.state.focusData = null;
    }

    onTrendKeyChange(ev) {
        this.state.trendKey = ev.target.value;
    }

    /** Drill-down: the records behind a KPI, for the period and the stores shown. */
    async onCardClick(card) {
        const teamIds = this.state.focusTeam ? [this.state.focusTeam.id] : this.state.teamIds;
        const action = await this.orm.call("store.service.kpi", "action_open_kpi_records", [
            card.key,
            serializeDate(this.state.dateFrom),
            serializeDate(this.state.dateTo),
            teamIds.length ? teamIds : null,
        ]);
        if (action) {
            // the KPI's records come as a named facet in the action's context (kpi_facet.js)
            await this.action.doAction(action);
        }
    }

    // ------------------------------------------------------------------ display
    cardClass(card) {
        if (card.status === "good") {
            return "o_kpi_good";
        }
        if (card.status === "bad") {
            return "o_kpi_bad";
        }
        return "o_kpi_neutral";
    }

    deltaClass(card) {
        if (card.improved === true) {
            return "text-success";
        }
        if (card.improved === false) {
            return "text-danger";
        }
        return "text-muted";
    }

    deltaIcon(card) {
        return { up: "fa-arrow-up", down: "fa-arrow-down", flat: "fa-arrow-right" }[card.trend] || "";
    }

    deltaTitle(card) {
        return _t("Previous period: %s", card.previous_display);
    }

    cellClass(cell) {
        return { good: "text-success", bad: "text-danger" }[cell.status] || "";
    }

    renderChart() {
        const data = this.shown;
        const canvas = this.canvasRef.el;
        if (this.chart) {
            this.chart.destroy();
            this.chart = null;
        }
        if (!data || !canvas || !window.Chart) {
            return;
        }
        const series = data.trend.series;
        const score = series.find((s) => s.key === "service_score");
        const other = series.find((s) => s.key === this.state.trendKey);
        const y1 = {
            position: "right",
            grid: { drawOnChartArea: false },
            title: { display: Boolean(other), text: other?.label || "" },
        };
        if (other?.unit === "percent") {
            Object.assign(y1, { suggestedMin: 0, suggestedMax: 100 });
        } else if (other?.unit === "csat") {
            Object.assign(y1, { suggestedMin: 1, suggestedMax: 5 });
        }
        const datasets = [score, other].filter(Boolean).map((s, index) => ({
            label: s.label,
            data: s.values,
            borderColor: CHART_COLORS[index],
            backgroundColor: CHART_COLORS[index],
            yAxisID: index ? "y1" : "y",
            tension: 0.25,
            spanGaps: true,
        }));
        this.chart = new window.Chart(canvas, {
            type: "line",
            data: { labels: data.trend.labels, datasets },
            options: {
                maintainAspectRatio: false,
                animation: false,
                interaction: { mode: "index", intersect: false },
                scales: {
                    y: {
                        position: "left",
                        suggestedMin: 0,
                        suggestedMax: 100,
                        title: { display: true, text: score?.label || "" },
                    },
                    y1,
                },
                plugins: { legend: { position: "bottom" } },
            },
        });
    }
}

registry.category("actions").add("store_service_crm.kpi_dashboard", KpiDashboard);
