import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const openReport = (menu, check) => [
    {
        content: "Open the Reporting menu",
        trigger: '.o_main_navbar [data-menu-xmlid="store_service_crm.menu_store_service_reporting"]',
        run: "click",
    },
    {
        content: `Open ${menu}`,
        trigger: `.dropdown-item[data-menu-xmlid="store_service_crm.${menu}"]`,
        run: "click",
    },
    {
        content: `${menu}: the pivot shows the store's figures`,
        trigger: check,
    },
];

const switchTo = (view, check) => [
    {
        content: `Switch to the ${view} view`,
        trigger: `.o_switch_view.o_${view}`,
        run: "click",
    },
    {
        content: `The ${view} view is rendered`,
        trigger: check,
    },
];

registry.category("web_tour.tours").add("store_service_crm_reports", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Customer Service app",
            trigger: '.o_app[data-menu-xmlid="store_service_crm.menu_store_service_root"]',
            run: "click",
        },
        ...openReport(
            "menu_store_service_reporting_complaints",
            ".o_pivot_view th:contains('Tour Report Store')"
        ),
        ...switchTo("graph", ".o_graph_view canvas"),
        ...switchTo("list", ".o_list_view .o_group_name:contains('Tour Report Store')"),
        ...openReport(
            "menu_store_service_reporting_visits",
            ".o_pivot_view th:contains('Tour Report Store')"
        ),
        ...switchTo("graph", ".o_graph_view canvas"),
        ...openReport(
            "menu_store_service_reporting_staff",
            ".o_pivot_view th:contains('Tour Report Clerk')"
        ),
        ...switchTo("list", ".o_list_view .o_group_name:contains('Tour Report Store')"),
        ...openReport(
            "menu_store_service_reporting_repurchase",
            ".o_pivot_view th:contains('Tour Report Store')"
        ),
        ...switchTo("graph", ".o_graph_view canvas"),
        ...switchTo("list", ".o_list_view .o_group_name:contains('Tour Report Store')"),
    ],
});
