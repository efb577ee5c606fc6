import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("store_service_crm_return_visit_complaint", {
    steps: () => [
        {
            content: "The visit form shows the customer",
            trigger: ".o_breadcrumb .active:contains('Tour Customer Chen')",
        },
        {
            content: "Give a low satisfaction score",
            trigger: ".o_form_view .o_field_widget[name=csat_score] input",
            run: "edit 2",
        },
        {
            content: "Write what the customer said",
            trigger: ".o_form_view .o_field_widget[name=feedback] textarea",
            run: "edit The tiles cracked after a week",
        },
        {
            content: "The form suggests opening a complaint",
            trigger: ".o_form_view .alert-warning:contains('open a complaint')",
        },
        {
            content: "Open a complaint from the visit",
            trigger: ".o_form_view button.btn-primary[name=action_create_complaint]",
            run: "click",
        },
        {
            content: "The complaint form is pre-filled and linked to the visit",
            trigger: ".o_form_view .o_field_widget[name=origin_visit_id]:contains('Tour Customer Chen')",
        },
        {
            content: "The customer's words are the description",
            trigger: ".o_form_view .o_field_widget[name=description] textarea",
            run() {
                const value = this.anchor.value;
                if (!value.includes("The tiles cracked after a week")) {
                    throw new Error(`unexpected description: ${value}`);
                }
            },
        },
    ],
});
