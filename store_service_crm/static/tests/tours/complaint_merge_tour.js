import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("store_service_crm_complaint_merge", {
    steps: () => [
        {
            content: "The second registration warns of the open complaint about the same order",
            trigger: ".o_form_view .alert-warning:contains('already has an open request')",
        },
        {
            content: "Merge the duplicates",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_open_merge_wizard']",
            run: "click",
        },
        {
            content: "The wizard lists both complaints of the customer",
            trigger: ".modal .o_list_view .o_data_row:contains('Tour Merge Twin')",
        },
        {
            content: "Keep the first complaint",
            trigger: ".modal .o_field_widget[name='keep_id'] input",
            run: "edit Tour Merge Keep",
        },
        {
            content: "Pick it in the dropdown",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Tour Merge Keep')",
            run: "click",
        },
        {
            content: "Merge",
            trigger: ".modal footer button[name='action_merge']",
            run: "click",
        },
        {
            content: "The kept complaint opens, with the duplicate's note moved to it",
            trigger: ".o_form_view .o-mail-Message:contains('Customer called again from the hotline')",
        },
        {
            content: "and the merge noted",
            trigger: ".o_form_view .o-mail-Message:contains('Merged from')",
        },
    ],
});
