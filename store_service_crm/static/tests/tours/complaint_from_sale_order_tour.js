import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("store_service_crm_complaint_from_sale_order", {
    steps: () => [
        {
            content: "Register a complaint from the sale order",
            trigger: ".o_form_view button[name='action_register_complaint']",
            run: "click",
        },
        {
            content: "The customer is pre-filled from the order",
            trigger: ".o_field_widget[name='partner_id'] input:value('Tour Customer Zhao')",
        },
        {
            content: "The order is pre-filled",
            trigger: ".o_field_widget[name='sale_order_id'] input:value('S')",
        },
        {
            content: "Choose the category",
            trigger: ".o_field_widget[name='category_id'] input",
            run: "edit Product quality",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Product quality')",
            run: "click",
        },
        {
            content: "Describe what happened",
            trigger: ".o_field_widget[name='description'] textarea",
            run: "edit The washing machine leaks",
        },
        {
            content: "Save the complaint",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The complaint is saved with its reference",
            trigger: ".o_form_view .o_field_widget[name='name']:contains('CMP/')",
        },
        {
            content: "Assign it",
            trigger: ".o_form_view button[name='action_open_assign_wizard']",
            run: "click",
        },
        {
            content: "The dialog proposes me as the handler: confirm",
            trigger: ".modal .o_field_widget[name='user_id'] input",
        },
        {
            content: "Confirm the handler",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The complaint is assigned",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Assigned')",
        },
        {
            content: "Start handling it",
            trigger: ".o_form_view button[name='action_start']",
            run: "click",
        },
        {
            content: "The complaint is in progress",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('In Progress')",
        },
        {
            content: "Resolve: one dialog asks everything",
            trigger: ".o_form_view button[name='action_open_resolve_wizard']",
            run: "click",
        },
        {
            content: "Who is responsible",
            trigger: ".modal .o_field_widget[name='responsibility'] select",
            run: 'select "logistics"',
        },
        {
            content: "How it was resolved",
            trigger: ".modal .o_field_widget[name='resolution_type'] select",
            run: 'select "replace"',
        },
        {
            content: "Resolve",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The complaint is resolved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Resolved')",
        },
    ],
});
