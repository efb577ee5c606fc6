import { registry } from "@web/core/registry";

// A clerk registers a customer's second call as a request, sees the warning of the
// open complaint about the same order, waits for the customer's photos, then merges
// the two. `shot(name)` asks the test for a screenshot (docs/screenshots/p16a_<name>.png).
const shot = (name) => ({
    content: `Screenshot ${name}`,
    trigger: "body:not(:has(.o_loading_indicator))",
    async run() {
        console.log(`ssc-screenshot p16a_${name}`);
        await new Promise((resolve) => setTimeout(resolve, 700));
    },
});

registry.category("web_tour.tours").add("store_service_crm_complaint_merge", {
    steps: () => [
        {
            content: "The second registration warns of the open complaint about the same order",
            trigger: ".o_form_view .alert-warning .o_field_widget[name='duplicate_complaint_id']",
        },
        {
            content: "The request type is on the form",
            trigger: ".o_form_view .o_field_widget[name='request_type_id']",
        },
        {
            content: "Wait for the customer",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_open_hold_wizard']",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit Waiting for the photos of the door",
        },
        {
            content: "Confirm",
            trigger: ".modal footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The form shows that the clocks are stopped",
            trigger: ".o_form_view .alert-info .o_field_widget[name='hold_reason']:contains('photos of the door')",
        },
        shot("1_form_type_waiting"),
        {
            content: "Merge the duplicates",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_open_merge_wizard']",
            run: "click",
        },
        {
            content: "The wizard lists both complaints of the customer",
            trigger: ".modal .o_field_x2many .o_data_row:contains('Tour Merge Twin')",
        },
        {
            content: "The oldest one is proposed to keep",
            trigger: ".modal .o_field_widget[name='keep_id'] input",
            run() {
                const input = document.querySelector(".modal .o_field_widget[name='keep_id'] input");
                if (!input.value.includes("Tour Merge Keep")) {
                    throw new Error(`keep proposed: ${input.value}`);
                }
            },
        },
        shot("2_merge_wizard"),
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
            trigger: ".o_form_view .o-mail-Message:contains('Tour Merge Twin')",
        },
        shot("3_merged"),
    ],
});
