# pylint: disable=no-member
# (fields and methods of models defined in other addons, reached through _inherit:
# pylint cannot see them)
from odoo import api, fields, models

# (lot name, orders of 2 units delivered from it, complaints naming it)
DEMO_LOTS = [("DW500-2611A", 10, 4), ("DW500-2611B", 12, 1)]
DEMO_UNITS_PER_ORDER = 2


class StoreLotDefectReport(models.Model):
    _inherit = "store.lot.defect.report"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _store_service_lot_defect_demo(self):
        """Demo of the defect rate by lot: a dishwasher tracked by lot is delivered to
        the demo customers from two lots; the complaints about its leaking door name
        the first lot (4 complaints for 20 units: 20 %, over the threshold), one names
        the second (1 for 24 units: 4 %). The alarm cron gives the quality user (else
        the service manager) one to-do on the first lot."""
        stores = self.env["crm.team"].search([("is_store", "=", True)], order="id", limit=3)
        customers = self.env["res.partner"].search(
            [("ref", "=like", "SSC-DEMO-%"), ("is_company", "=", False)], order="id", limit=18
        )
        category = self.env.ref(
            "store_service_crm.complaint_category_product_quality", raise_if_not_found=False
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        if not stores or not customers or not category or not warehouse:
            return
        # lots shown in the forms and lists of the internal users (Inventory's setting)
        self.env.ref("base.group_user").sudo().write(
            {"implied_ids": [fields.Command.link(self.env.ref("stock.group_production_lot").id)]}
        )
        product = self.env["product.product"].create(
            {
                "name": self.env._("Dishwasher DW-500 (demo)"),
                "is_storable": True,
                "tracking": "lot",
                "list_price": 800.0,
                "standard_price": 450.0,
            }
        )
        Complaint = self.env["store.complaint"]
        index = 0
        for lot_name, order_count, complaint_count in DEMO_LOTS:
            lot = self.env["stock.lot"].create({"name": lot_name, "product_id": product.id})
            self.env["stock.quant"]._update_available_quantity(
                product,
                warehouse.lot_stock_id,
                order_count * DEMO_UNITS_PER_ORDER,
                lot_id=lot,
            )
            orders = self.env["sale.order"]
            for _order in range(order_count):
                order = self.env["sale.order"].create(
                    {
                        "partner_id": customers[index % len(customers)].id,
                        "team_id": stores[index % len(stores)].id,
                        "warehouse_id": warehouse.id,
                        "order_line": [
                            fields.Command.create(
                                {"product_id": product.id, "product_uom_qty": DEMO_UNITS_PER_ORDER}
                            )
                        ],
                    }
                )
                order.action_confirm()
                self.env["store.complaint"]._store_demo_validate(order.picking_ids)
                orders |= order
                index += 1
            for order in orders[:complaint_count]:
                Complaint.create(
                    {
                        "partner_id": order.partner_id.id,
                        "team_id": order.team_id.id,
                        "sale_order_id": order.id,
                        "product_id": product.id,
                        "lot_id": lot.id,
                        "channel": "store",
                        "category_id": category.id,
                        "severity": "medium",
                        "description": self.env._(
                            "The door of the dishwasher leaks after a few washes."
                        ),
                        "customer_request": self.env._("Repair or replace the dishwasher."),
                    }
                )
        self._cron_defect_alarm()
