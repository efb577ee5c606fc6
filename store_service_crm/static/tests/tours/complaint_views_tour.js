import { registry } from "@web/core/registry";

const switchTo = (view, check) => [
    {
        content: `Switch to the ${view} view`,
        trigger: `.o_switch_view.o_${view}`,
        run: "click",
    },
    {
        content: `The ${view} view shows the complaints`,
        trigger: check,
    },
];

registry.category("web_tour.tours").add("store_service_crm_complaint_views", {
    steps: () => [
        {
            content: "The kanban is grouped by state, overdue complaints flagged",
            trigger: ".o_kanban_group .o_kanban_record:contains('Tour Overdue Customer') .badge:contains('Overdue')",
        },
        {
            content: "The fresh complaint is in the New column too",
            trigger: ".o_kanban_group .o_kanban_record:contains('Tour Fresh Customer')",
        },
        ...switchTo("list", ".o_list_view .o_data_row:contains('Tour Overdue Customer')"),
        ...switchTo("calendar", ".o_calendar_view"),
        ...switchTo("pivot", ".o_pivot_view .o_pivot_cell_value"),
        ...switchTo("graph", ".o_graph_view canvas"),
        ...switchTo("activity", ".o_activity_view"),
    ],
});
