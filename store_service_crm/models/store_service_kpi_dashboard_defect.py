from odoo import api, models

from .store_service_kpi_definitions import KpiFormat


class StoreServiceKpi(models.AbstractModel):
    _inherit = "store.service.kpi"

    @api.model
    def get_dashboard_data(self, date_from, date_to, team_ids=None):
        """Also ``defect_alarms``: the products whose complaint rate is over the defect
        threshold now (rolling window, all stores; see store.product.defect.report),
        worst first, for the users who may read the defect report (managers)."""
        data = super().get_dashboard_data(date_from, date_to, team_ids=team_ids)
        fmt = KpiFormat(self.env)
        rows = self.env["store.product.defect.report"]._dashboard_defect_alarms()
        for row in rows:
            row["defect_rate_display"] = fmt("percent", row["defect_rate"])
            row["units_display"] = fmt.number(row["units_sold"], 0)
        data["defect_alarms"] = rows
        return data
