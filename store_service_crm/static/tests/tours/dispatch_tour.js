/* global luxon */
import { formatDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";

// Issue 16: a clerk dispatches a technician from the complaint form and sees the
// appointment in the calendar; the technician works their day on a phone; a manager
// approves a compensation above the clerk's authority.
// `shot(name)` asks the test for a screenshot (docs/screenshots/<name>.png).
const shot = (name) => ({
    content: `Screenshot ${name}`,
    trigger: "body:not(:has(.o_loading_indicator))",
    async run() {
        console.log(`ssc-screenshot ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 700));
    },
});

registry.category("web_tour.tours").add("store_service_crm_dispatch", {
    steps: () => {
        const tomorrow = luxon.DateTime.now().plus({ days: 1 }).set({ hour: 10, minute: 0 });
        return [
            {
                content: "The complaint form is open, in progress",
                trigger: ".o_form_view button[name='action_open_resolve_wizard']",
            },
            {
                content: "Open the on-site service tab",
                trigger: ".o_notebook .nav-link[name='dispatch']",
                run: "click",
            },
            {
                content: "Choose the technician",
                trigger: ".o_field_widget[name='technician_id'] input",
                run: "edit Tour Technician",
            },
            {
                content: "Pick the technician",
                trigger: ".o-autocomplete--dropdown-item:contains('Tour Technician')",
                run: "click",
            },
            {
                content: "Set the appointment",
                trigger: ".o_field_widget[name='appointment_date'] input",
                run: `edit ${formatDateTime(tomorrow)}`,
            },
            {
                content: "Leave the date field",
                trigger: ".o_form_view .o_field_widget[name='technician_id'] input",
                run: "click",
            },
            {
                content: "Dispatch the technician",
                trigger: ".o_form_view button[name='action_dispatch']",
                run: "click",
            },
            {
                content: "The complaint is dispatched: the arrival can be recorded",
                trigger: ".o_form_view button[name='action_dispatch_arrive']",
            },
            {
                content: "The deadline to be on site is set",
                trigger: ".o_field_widget[name='dispatch_deadline']:not(:empty)",
            },
            {
                content: "Open the complaints menu",
                trigger: '.o_main_navbar [data-menu-xmlid="store_service_crm.menu_store_service_complaints"]',
                run: "click",
            },
            {
                content: "Open the appointments",
                trigger: '.dropdown-item[data-menu-xmlid="store_service_crm.menu_store_service_appointments"]',
                run: "click",
            },
            {
                content: "The calendar shows the appointments",
                trigger: ".o_calendar_view .fc-event",
            },
            shot("dispatch_calendar"),
        ];
    },
});

registry.category("web_tour.tours").add("store_service_crm_technician_day", {
    steps: () => [
        {
            content: "My dispatches: the round, in the order of the appointments",
            trigger: ".o_kanban_record:contains('Tour Customer Fang')",
        },
        shot("dispatch_technician_day"),
        {
            content: "Record the arrival",
            trigger: ".o_kanban_record:contains('Tour Customer Fang') button[name='action_dispatch_arrive']",
            run: "click",
        },
        {
            content: "On site now: the finish button replaces the arrival",
            trigger: ".o_kanban_record:contains('Tour Customer Fang') button[name='action_dispatch_finish']",
        },
        shot("dispatch_technician_on_site"),
    ],
});

registry.category("web_tour.tours").add("store_service_crm_compensation_approval", {
    steps: () => [
        {
            content: "The complaint waits for approval",
            trigger: ".o_form_view button[name='action_approve_compensation']",
        },
        {
            content: "Open the resolution tab",
            trigger: ".o_notebook .nav-link[name='resolution']",
            run: "click",
        },
        {
            content: "The requested compensation shows",
            trigger: ".o_field_widget[name='compensation_approval_state']",
            run() {
                this.anchor.scrollIntoView({ block: "center" });
            },
        },
        shot("dispatch_approval"),
        {
            content: "Approve",
            trigger: ".o_form_view button[name='action_approve_compensation']",
            run: "click",
        },
        {
            content: "Approved: the approver shows",
            trigger: ".o_field_widget[name='compensation_approver_id']",
        },
    ],
});
