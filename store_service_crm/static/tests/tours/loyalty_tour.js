import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("store_service_crm_loyalty", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Customer Service app",
            trigger: '.o_app[data-menu-xmlid="store_service_crm.menu_store_service_root"]',
            run: "click",
        },
        {
            content: "Open the configuration menu",
            trigger: '.o_main_navbar [data-menu-xmlid="store_service_crm.menu_store_service_config"]',
            run: "click",
        },
        {
            content: "Open the loyalty tiers",
            trigger: '.dropdown-item[data-menu-xmlid="store_service_crm.menu_store_service_config_tiers"]',
            run: "click",
        },
        {
            content: "Open the Gold tier",
            trigger: ".o_list_view .o_data_row td[name='name']:contains('Gold')",
            run: "click",
        },
        {
            content: "The tier shows its complaint service times",
            trigger: ".o_form_view .o_field_widget[name='response_hours']",
        },
        {
            content: "Back to the customers",
            trigger: '.o_main_navbar [data-menu-xmlid="store_service_crm.menu_store_service_customers"]',
            run: "click",
        },
        {
            content: "Open the customers list",
            trigger: '.dropdown-item[data-menu-xmlid="store_service_crm.menu_store_service_customer_list"]',
            run: "click",
        },
        {
            content: "Filter on the tour customer",
            trigger: ".o_searchview_input",
            run: "edit Tour Loyal Customer",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "The kanban card shows the tier",
            trigger: ".o_kanban_record:contains('Tour Loyal Customer'):contains('Silver')",
            run: "click",
        },
        {
            content: "The form shows the tier badge",
            trigger: ".o_form_view div[name='loyalty_badge']:contains('Silver')",
        },
        {
            content: "Open the Customer Service tab",
            trigger: ".o_notebook .nav-link:contains('Customer Service')",
            run: "click",
        },
        {
            content: "Spend and orders are shown",
            trigger: ".o_field_widget[name='loyalty_order_count']:contains('2')",
        },
        {
            content: "Open the tier history",
            trigger: "button[name='action_view_loyalty_tier_history']",
            run: "click",
        },
        {
            content: "The upgrade to Silver is listed",
            trigger: ".o_list_view .o_data_row:contains('Silver')",
        },
    ],
});
