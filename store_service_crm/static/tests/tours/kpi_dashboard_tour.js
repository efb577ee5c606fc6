import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("store_service_crm_kpi_dashboard", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Customer Service app",
            trigger: '.o_app[data-menu-xmlid="store_service_crm.menu_store_service_root"]',
            run: "click",
        },
        {
            content: "Open the dashboard from the app menu",
            trigger: '.o_main_navbar [data-menu-xmlid="store_service_crm.menu_store_service_dashboard"]',
            run: "click",
        },
        {
            content: "The service score card is shown",
            trigger: ".o_kpi_dashboard .o_kpi_card[data-kpi='service_score'] .o_kpi_value",
        },
        {
            content: "Choose this year",
            trigger: "select.o_kpi_period",
            run: "select this_year",
        },
        {
            content: "Pick the store in the store selector",
            trigger: ".o_kpi_stores input",
            run: "edit Tour Dashboard",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Dashboard Store')",
            run: "click",
        },
        {
            content: "Only the selected store is ranked",
            trigger: ".o_kpi_scope:contains('Selected stores')",
        },
        {
            trigger: ".o_kpi_ranking_table tbody tr:only-child .o_kpi_team_name",
        },
        {
            content: "The store is in the ranking",
            trigger: ".o_kpi_ranking_table .o_kpi_team_name:contains('Tour Dashboard Store')",
            run: "click",
        },
        {
            content: "Clicking the store filters the cards to it",
            trigger: ".o_kpi_scope:contains('Tour Dashboard Store')",
        },
        {
            content: "The CSAT card shows the store's rating against its target, met",
            trigger: ".o_kpi_card[data-kpi='csat_avg'][data-status='good'] .o_kpi_value:contains('5.00')",
        },
        {
            content: "A KPI without data shows a dash",
            trigger: ".o_kpi_card[data-kpi='repurchase_rate'] .o_kpi_value:contains('–')",
        },
        {
            content: "The trend graph is drawn",
            trigger: ".o_kpi_trend canvas",
        },
        {
            content: "Drill down from the first-contact resolution card",
            trigger: ".o_kpi_card[data-kpi='first_contact_resolution_rate']",
            run: "click",
        },
        {
            content: "The complaints behind the figure are listed",
            trigger: ".o_list_view .o_data_row:contains('Tour dashboard customer')",
        },
    ],
});
