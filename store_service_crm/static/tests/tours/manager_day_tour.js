import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const { DateTime } = luxon;

/** A manager's day (issue 14): dashboard -> drill-down -> report -> scorecard, in
 * English, with the stores only (never the "Sales" team), this month compared with
 * last month, and every screen saying what it shows. */
function day(date) {
    return date.toFormat("MM/dd/yyyy");
}

registry.category("web_tour.tours").add("store_service_crm_manager_day", {
    url: "/odoo",
    steps: () => {
        const today = DateTime.local();
        const monthStart = today.startOf("month");
        const previousStart = monthStart.minus({ months: 1 });
        const previousEnd = monthStart.minus({ days: 1 });
        return [
            stepUtils.showAppsMenuItem(),
            {
                content: "Open the Customer Service app: the dashboard comes first",
                trigger: '.o_app[data-menu-xmlid="store_service_crm.menu_store_service_root"]',
                run: "click",
            },
            {
                content: "The store is ranked",
                trigger: ".o_kpi_ranking_table .o_kpi_team_name:contains('Manager Day Store')",
            },
            {
                content: "The sales team that is not a store is not ranked",
                trigger: ".o_kpi_ranking_table:not(:has(.o_kpi_team_name:contains('Manager Day Online Team')))",
            },
            {
                content: "This month is compared with the previous calendar month",
                trigger: `.o_kpi_previous_label:contains('${day(previousStart)} – ${day(previousEnd)}')`,
            },
            {
                content: "Drill down from the service score card",
                trigger: ".o_kpi_card[data-kpi='service_score']",
                run: "click",
            },
            {
                content: "The list is named after the KPI and the period",
                trigger: `.o_breadcrumb .active:contains('Service Score · ${day(monthStart)}')`,
            },
            {
                content: "A facet says which records of which KPI are listed",
                trigger: ".o_searchview_facet:contains('Service Score: Requests Received')",
            },
            {
                content: "and the complaint behind the figure is listed",
                trigger: ".o_list_view .o_data_row:contains('Manager day customer')",
            },
            {
                content: "Reload the page",
                trigger: ".o_list_view",
                run() {
                    window.location.reload();
                },
                expectUnloadPage: true,
            },
            {
                content: "After a reload the list keeps its KPI facet",
                trigger: ".o_searchview_facet:contains('Service Score: Requests Received')",
            },
            {
                content: "and its records",
                trigger: ".o_list_view .o_data_row:contains('Manager day customer')",
            },
            {
                content: "Open the Reporting menu",
                trigger: '.o_main_navbar [data-menu-xmlid="store_service_crm.menu_store_service_reporting"]',
                run: "click",
            },
            {
                content: "Complaint analysis",
                trigger: '.dropdown-item[data-menu-xmlid="store_service_crm.menu_store_service_reporting_complaints"]',
                run: "click",
            },
            {
                content: "The report answers this month: its date filter is on",
                trigger: ".o_searchview_facet:contains('Received')",
            },
            {
                content: "only stores",
                trigger: ".o_searchview_facet:contains('Stores')",
            },
            {
                content: "grouped by store",
                trigger: ".o_pivot th:contains('Manager Day Store')",
            },
            {
                content: "without a column per month",
                trigger: `.o_pivot:not(:has(thead th:contains('${today.toFormat("LLLL yyyy")}')))`,
            },
            {
                content: "Open the Reporting menu again",
                trigger: '.o_main_navbar [data-menu-xmlid="store_service_crm.menu_store_service_reporting"]',
                run: "click",
            },
            {
                content: "Store scorecards",
                trigger: '.dropdown-item[data-menu-xmlid="store_service_crm.menu_store_service_scorecard"]',
                run: "click",
            },
            {
                content: "The wizard proposes the stores, not the sales teams",
                trigger: ".modal .o_field_widget[name='team_ids'] .o_tag:contains('Manager Day Store')",
            },
            {
                trigger: ".modal .o_field_widget[name='team_ids']:not(:has(.o_tag:contains('Manager Day Online Team')))",
            },
            {
                content: "The year is written without a thousands separator",
                trigger: ".modal .o_field_widget[name='year'] input",
                run() {
                    const input = document.querySelector(".modal .o_field_widget[name='year'] input");
                    if (input.value !== String(today.year)) {
                        throw new Error(`The year shows as "${input.value}"`);
                    }
                },
            },
            {
                content: "Preview the scorecard on screen",
                trigger: ".modal footer button[name='action_preview']",
                run: "click",
            },
            {
                content: "The scorecard names the store and the month",
                trigger: ":iframe .o_ssc h3:contains('Manager Day Store'):contains('Service Scorecard')",
            },
            {
                content: "Print it as PDF",
                trigger: ".o_control_panel .o_control_panel_main_buttons .btn-primary",
                run: "click",
            },
            {
                content: "Printing opens no layout configurator and no error",
                trigger: "body:not(:has(.o_error_dialog)):not(:has(.modal .o_document_layout))",
            },
        ];
    },
});
