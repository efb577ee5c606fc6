import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("store_service_crm_app_menu", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Customer Service app",
            trigger: '.o_app[data-menu-xmlid="store_service_crm.menu_store_service_root"]',
            run: "click",
        },
        {
            content: "The app opens on the service dashboard",
            trigger: ".o_kpi_dashboard .o_kpi_card",
        },
        {
            content: "Open the customers menu",
            trigger: '.o_main_navbar [data-menu-xmlid="store_service_crm.menu_store_service_customers"]',
            run: "click",
        },
        {
            content: "Open the customers list",
            trigger: '.dropdown-item[data-menu-xmlid="store_service_crm.menu_store_service_customer_list"]',
            run: "click",
        },
        {
            content: "The customers of the store are listed",
            trigger: ".o_kanban_record:contains('Tour Customer Li Wei')",
        },
        {
            content: "The app menu is shown in the navbar",
            trigger: ".o_main_navbar .o_menu_brand:contains('Customer Service')",
        },
    ],
});
