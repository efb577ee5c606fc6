import { registry } from "@web/core/registry";

/**
 * The customer follows a complaint from the link of their emails (no account):
 * first they reply; later, once the clerk has resolved it, they confirm it is solved.
 */
registry.category("web_tour.tours").add("store_service_crm_portal_complaint_reply", {
    steps: () => [
        {
            content: "The page shows the complaint and where it stands",
            trigger: ".o_portal_complaint .o_complaint_timeline .o_complaint_step_current",
        },
        {
            content: "The customer writes to the store",
            trigger: "#o_complaint_message",
            run: "edit The noise is back at night",
        },
        {
            content: "and sends it",
            trigger: ".o_complaint_reply .o_complaint_send",
            run: "click",
        },
        {
            content: "The message is in the conversation",
            trigger: ".o_complaint_notice",
        },
        {
            content: "with the customer's words",
            trigger: ".o_complaint_message .o_complaint_message_body:contains('The noise is back at night')",
        },
    ],
});

registry.category("web_tour.tours").add("store_service_crm_portal_complaint_confirm", {
    steps: () => [
        {
            content: "The store resolved the complaint: the customer is asked to confirm",
            trigger: ".o_complaint_confirm .o_complaint_confirm_button",
            run: "click",
        },
        {
            content: "The thank-you notice shows, the question is gone",
            trigger: ".o_complaint_notice",
            run() {
                if (document.querySelector(".o_complaint_confirm_button")) {
                    throw new Error("the confirmation is still asked after confirming");
                }
            },
        },
    ],
});
