"""The value of compensation coupons in the service cost, through the KPI layer's
extension point (store_service_crm: store_service_kpi_definitions.EXTRA_COST_FUNCTION)."""

# pylint: disable=no-member
# (the fields and methods come from store_service_crm and sale_loyalty, which pylint
# does not see through _inherit)

from odoo import api, models
from odoo.tools import SQL


class StoreServiceKpi(models.AbstractModel):
    _inherit = "store.service.kpi"

    @api.model
    def _service_cost_extra_sql(self):
        if self.env.context.get("store_service_crm_loyalty_uninstalling"):
            return super()._service_cost_extra_sql()
        mine = SQL(
            "SELECT SUM(store_compensation_value) FROM loyalty_card WHERE store_complaint_id = $1"
        )
        other = super()._service_cost_extra_sql()
        if other:
            return SQL("SELECT COALESCE((%s), 0.0) + COALESCE((%s), 0.0)", other, mine)
        return mine
