from odoo import api, models

from .store_service_kpi_definitions import KpiFormat


class StoreServiceKpi(models.AbstractModel):
    _inherit = "store.service.kpi"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    @api.readonly
    def get_defect_alarms(self, limit=10):
        """The dashboard's product defect alarm: the products whose complaint rate is
        over the defect threshold now (rolling window, all stores; see
        store.product.defect.report), worst first; empty for the users who may not
        read the defect report (store users). Its own call, loaded once by the
        dashboard: the alarm does not depend on the period or the stores shown.

        :return: list of dicts (product, units sold, complaints, rate and their displays)
        """
        fmt = KpiFormat(self.env)
        rows = self.env["store.product.defect.report"]._dashboard_defect_alarms(limit=limit)
        for row in rows:
            row["defect_rate_display"] = fmt("percent", row["defect_rate"])
            row["units_display"] = fmt.number(row["units_sold"], 0)
        return rows
