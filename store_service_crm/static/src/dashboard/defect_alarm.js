import { onWillStart, useState } from "@odoo/owl";
import { patch } from "@web/core/utils/patch";
import { KpiDashboard } from "./kpi_dashboard";

/**
 * The product defect alarm under the KPI dashboard (defect_alarm.xml): the products
 * over the defect threshold, loaded once (it does not depend on the period or the
 * stores shown); empty, so hidden, for store users.
 */
patch(KpiDashboard.prototype, {
    setup() {
        super.setup(...arguments);
        this.defectAlarms = useState({ rows: [] });
        onWillStart(async () => {
            this.defectAlarms.rows = await this.orm.call("store.service.kpi", "get_defect_alarms", []);
        });
    },
});
