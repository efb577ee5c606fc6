import { registry } from "@web/core/registry";

// A store clerk's day, in Chinese: the queue after login, a complaint registered from
// the customer with their order linked, resolved through one dialog, then an unhappy
// return visit logged from "My Visits" that opens a complaint at once.
// `shot(name)` asks the test for a screenshot (docs/screenshots/clerk_day_<name>.png).
const shot = (name) => ({
    content: `Screenshot ${name}`,
    trigger: "body:not(:has(.o_loading_indicator))",
    async run() {
        console.log(`ssc-screenshot clerk_day_${name}`);
        await new Promise((resolve) => setTimeout(resolve, 700));
    },
});

const menu = (xmlid) => ({
    content: `Open the menu ${xmlid}`,
    trigger: `.o_main_navbar [data-menu-xmlid="store_service_crm.${xmlid}"]`,
    run: "click",
});

const submenu = (xmlid) => ({
    content: `Open the entry ${xmlid}`,
    trigger: `.dropdown-item[data-menu-xmlid="store_service_crm.${xmlid}"]`,
    run: "click",
});

registry.category("web_tour.tours").add("store_service_crm_clerk_day", {
    steps: () => [
        {
            content: "Login lands on the complaint queue (kanban by state), in Chinese",
            trigger: ".o_breadcrumb:contains('投诉')",
        },
        {
            content: "The queue is a kanban grouped by state",
            trigger: ".o_kanban_view .o_kanban_group",
        },
        {
            content: "The resolved complaint awaiting verification stays in view",
            trigger: ".o_kanban_record:contains('导览客户 待确认')",
        },
        shot("1_queue"),
        menu("menu_store_service_customers"),
        submenu("menu_store_service_customer_list"),
        {
            content: "Search the customer",
            trigger: ".o_searchview_input",
            run: "edit 导览客户 王芳",
        },
        {
            content: "Validate the search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Open the customer",
            trigger: ".o_kanban_record:contains('导览客户 王芳'), .o_data_row:contains('导览客户 王芳')",
            run: "click",
        },
        {
            content: "The customer's form shows the register button",
            trigger: ".o_form_view button[name='action_register_complaint']",
        },
        shot("2_customer"),
        {
            content: "Open the customer service tab",
            trigger: ".o_notebook .nav-link[name='store_service']",
            run: "click",
        },
        {
            content: "No satisfaction given yet: said in words, no 0.00; the order is counted",
            trigger: ".o_notebook .tab-pane.active:not(:has(.o_field_widget[name='satisfaction_avg'])) .o_field_widget[name='loyalty_order_count']",
            run() {
                this.anchor.scrollIntoView({ block: "center" });
            },
        },
        shot("2b_customer_service_tab"),
        {
            content: "Register a complaint from the customer",
            trigger: ".o_form_view button[name='action_register_complaint']",
            run: "click",
        },
        {
            content: "The complaint is for the customer",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value('导览客户 王芳')",
        },
        {
            content: "Type the customer's order (sold by another salesperson)",
            trigger: ".o_form_view .o_field_widget[name='sale_order_id'] input",
            run: "edit TOUR",
        },
        {
            content: "The order is offered, and no creation",
            trigger: ".o-autocomplete--dropdown-menu:not(:has(.o_m2o_dropdown_option_create)) .o-autocomplete--dropdown-item:contains('TOUR-ORDER')",
        },
        shot("3_order_offered"),
        {
            content: "Pick the order",
            trigger: ".o-autocomplete--dropdown-item:contains('TOUR-ORDER')",
            run: "click",
        },
        {
            content: "The order is linked",
            trigger: ".o_form_view .o_field_widget[name='sale_order_id'] input:value('TOUR-ORDER')",
        },
        {
            content: "Choose the category",
            trigger: ".o_form_view .o_field_widget[name='category_id'] input",
            run: "edit 导览类别",
        },
        {
            content: "Pick the category",
            trigger: ".o-autocomplete--dropdown-item:contains('导览类别')",
            run: "click",
        },
        {
            content: "Describe what happened",
            trigger: ".o_form_view .o_field_widget[name='description'] textarea",
            run: "edit 瓷砖送到时有裂缝",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The complaint is saved with its reference",
            trigger: ".o_form_view .o_field_widget[name='name']:contains('CMP/')",
        },
        {
            content: "Assign: a dialog asks for the handler",
            trigger: ".o_form_view button[name='action_open_assign_wizard']",
            run: "click",
        },
        {
            content: "The handler defaults to me",
            trigger: ".modal .o_field_widget[name='user_id'] input:value('导览店员')",
        },
        shot("4_assign_dialog"),
        {
            content: "Confirm the handler",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Start handling",
            trigger: ".o_form_view button[name='action_start']",
            run: "click",
        },
        {
            content: "Resolve: one dialog asks everything",
            trigger: ".o_form_view button[name='action_open_resolve_wizard']",
            run: "click",
        },
        {
            content: "Who is responsible: the product",
            trigger: ".modal .o_field_widget[name='responsibility'] select",
            run: 'select "product"',
        },
        {
            content: "The root cause is asked for at once",
            trigger: ".modal .o_field_widget[name='root_cause'].o_required_modifier textarea",
            run: "edit 包装不足，运输中破损",
        },
        {
            content: "How it was resolved",
            trigger: ".modal .o_field_widget[name='resolution_type'] select",
            run: 'select "replace"',
        },
        {
            content: "What was done",
            trigger: ".modal .o_field_widget[name='resolution_note'] textarea",
            run: "edit 已更换整箱瓷砖",
        },
        shot("5_resolve_dialog"),
        {
            content: "Resolve",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The complaint is resolved",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='resolved']",
        },
        {
            content: "Closing is not offered before the customer confirms: verifying is the primary step",
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name='action_close'])) button.btn-primary[name='action_open_verification_visit']",
        },
        shot("6_resolved"),
        menu("menu_store_service_visits"),
        submenu("menu_store_service_visits_my"),
        {
            content: "My visits: a list, no inline editing of scores",
            trigger: ".o_list_view:not(.o_list_view_editable) .o_data_row:contains('导览客户 李雷')",
        },
        shot("7_my_visits"),
        {
            content: "Open the visit from its row",
            trigger: ".o_data_row:contains('导览客户 李雷') td.o_data_cell[name='partner_id']",
            run: "click",
        },
        {
            content: "Give a low satisfaction score",
            trigger: ".o_form_view .o_field_widget[name='csat_score'] input",
            run: "edit 1",
        },
        {
            content: "Write what the customer said",
            trigger: ".o_form_view .o_field_widget[name='feedback'] textarea",
            run: "edit 安装师傅迟到了三个小时",
        },
        {
            content: "Mark the visit done: the scores are recorded",
            trigger: ".o_form_view button[name='action_done']",
            run: "click",
        },
        {
            content: "The visit is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='done']",
        },
        {
            content: "A complaint is offered at once",
            trigger: ".o_form_view .alert-warning[role=alert]:visible",
        },
        shot("8_unhappy_visit"),
        {
            content: "Open a complaint from the visit",
            trigger: ".o_form_view button.btn-primary[name='action_create_complaint']",
            run: "click",
        },
        {
            content: "The complaint is pre-filled and linked to the visit",
            trigger: ".o_form_view .o_field_widget[name='origin_visit_id']:contains('导览客户 李雷')",
        },
        shot("9_complaint_from_visit"),
    ],
});
