"""The part of a complaint's service cost recorded by other addons (issue 17).

Read through the KPI layer's extension point, the SQL function
store_service_kpi_extra_cost (see store_service_kpi_definitions.py): one definition
for the KPIs, the complaint analysis, this field and its drill-down search.
"""

from odoo import api, fields, models
from odoo.tools import SQL

from .store_service_kpi_definitions import EXTRA_COST_FUNCTION


class StoreComplaint(models.Model):
    _inherit = "store.complaint"  # pylint: disable=consider-merging-classes-inherited

    service_extra_cost = fields.Monetary(
        string="Other Service Cost",
        currency_field="currency_id",
        compute="_compute_service_extra_cost",
        search="_search_service_extra_cost",
        help="What the complaint cost beyond its compensation, credit note and "
        "replacement goods, as recorded by other apps (e.g. a compensation coupon).",
    )

    def _compute_service_extra_cost(self):
        costs = {}
        if self.ids:
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "SELECT id, COALESCE(%s(id), 0.0) FROM store_complaint WHERE id = ANY(%s)",
                    SQL.identifier(EXTRA_COST_FUNCTION),
                    self.ids,
                )
            )
            costs = dict(self.env.cr.fetchall())
        for complaint in self:
            complaint.service_extra_cost = float(costs.get(complaint.id) or 0.0)

    @api.model
    def _search_service_extra_cost(self, operator, value):
        if operator not in (">", ">=", "<", "<=", "=", "!="):
            return NotImplemented
        sql_operator = SQL(operator if operator != "!=" else "<>")
        return [
            (
                "id",
                "in",
                SQL(
                    "(SELECT id FROM store_complaint WHERE COALESCE(%s(id), 0.0) %s %s)",
                    SQL.identifier(EXTRA_COST_FUNCTION),
                    sql_operator,
                    float(value or 0.0),
                ),
            )
        ]
