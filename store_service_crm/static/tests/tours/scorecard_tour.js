import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("store_service_crm_scorecard", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Customer Service app: the dashboard comes first",
            trigger: '.o_app[data-menu-xmlid="store_service_crm.menu_store_service_root"]',
            run: "click",
        },
        {
            content: "The dashboard shows the service score",
            trigger: ".o_kpi_dashboard .o_kpi_card[data-kpi='service_score'] .o_kpi_value",
        },
        {
            content: "Open the Reporting menu",
            trigger: '.o_main_navbar [data-menu-xmlid="store_service_crm.menu_store_service_reporting"]',
            run: "click",
        },
        {
            content: "Store scorecards",
            trigger: '.dropdown-item[data-menu-xmlid="store_service_crm.menu_store_service_scorecard"]',
            run: "click",
        },
        {
            content: "Choose the store",
            trigger: ".modal .o_field_widget[name='team_ids'] input",
            run: "edit Tour Scorecard",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Scorecard Store')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='team_ids'] .o_tag:contains('Tour Scorecard Store')",
        },
        {
            content: "Preview the scorecard on screen",
            trigger: ".modal footer button[name='action_preview']",
            run: "click",
        },
        {
            content: "The scorecard names the store",
            trigger: ":iframe .o_ssc h3:contains('Tour Scorecard Store')",
        },
        {
            content: "and shows its service score",
            trigger: ":iframe .o_ssc_score:contains('100.0')",
        },
        {
            content: "Print it as PDF",
            trigger: ".o_control_panel .o_control_panel_main_buttons .btn-primary",
            run: "click",
        },
        {
            content: "No error on printing",
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ],
});
