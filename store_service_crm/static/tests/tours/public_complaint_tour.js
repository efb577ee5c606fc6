import { registry } from "@web/core/registry";

/**
 * A customer without an account files a complaint on the store's public form (on a
 * phone), gets the thank-you page with the reference; then a clerk of that store
 * finds it in their queue (store_service_crm_public_complaint_queue).
 */
registry.category("web_tour.tours").add("store_service_crm_public_complaint", {
    steps: () => [
        {
            content: "The store's public form is open without login",
            trigger: ".o_store_public_complaint h1",
        },
        {
            content: "Name",
            trigger: "input[name=name]",
            run: "edit Tour Customer Qian",
        },
        {
            content: "Phone (no email)",
            trigger: "input[name=phone]",
            run: "edit 139 1111 2222",
        },
        {
            content: "What it is about",
            trigger: "select[name=category_id]",
            run: "selectByIndex 3", // delivery / logistics, whatever the language
        },
        {
            content: "What happened",
            trigger: "textarea[name=description]",
            run: "edit The sofa was delivered with a torn cover.",
        },
        {
            content: "What the customer expects",
            trigger: "textarea[name=customer_request]",
            run: "edit A new cover",
        },
        {
            content: "Send",
            trigger: ".o_store_public_complaint button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The thank-you page gives the reference",
            trigger: ".o_store_public_thanks .o_store_public_reference",
        },
    ],
});

registry.category("web_tour.tours").add("store_service_crm_public_complaint_queue", {
    steps: () => [
        {
            content: "The clerk's queue shows the customer's complaint in the New column",
            trigger: ".o_kanban_group:first-child .o_kanban_record:contains('Tour Customer Qian')",
            timeout: 30000, // the first load of the web client on a busy test machine
        },
        {
            content: "Open it",
            trigger: ".o_kanban_record:contains('Tour Customer Qian')",
            run: "click",
        },
        {
            content: "It shows what the customer wrote",
            trigger: ".o_form_view .o_field_widget[name=description] textarea",
            run() {
                if (!this.anchor.value.includes("torn cover")) {
                    throw new Error(`unexpected description: ${this.anchor.value}`);
                }
            },
        },
    ],
});
