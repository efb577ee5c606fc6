# pylint: disable=no-member
# (fields and methods of models defined in other addons, reached through _inherit:
# pylint cannot see them)
from odoo import api, fields, models
from odoo.tools import SQL


class StoreLotDefectReport(models.Model):
    """Defect rates per lot/serial number: the product defect rate of
    ``store.product.defect.report`` (same window, threshold, minimum units and
    alarm), one row per lot.

    * ``units_sold``: the quantities of the lot delivered to customers (done stock
      move lines to a customer location) for the order lines the product report
      counts as sold over the window (:meth:`_sold_lines_defect`, its one
      definition). Like the product's units sold, returns are not subtracted;
      what is not delivered yet has no lot and is not counted here;
    * ``complaint_count``: the product report's complaints that name the lot.
    """

    _name = "store.lot.defect.report"
    _inherit = "store.product.defect.report"
    _description = "Defect Rate by Lot"
    _auto = False
    _order = "eligible desc, defect_rate desc nulls last, complaint_count desc, product_id, lot_id"
    _rec_name = "lot_id"
    _defect_subject = "lot_id"

    lot_id = fields.Many2one("stock.lot", string="Lot/Serial Number", readonly=True)

    @property
    def _table_query(self):
        for model in ("stock.move", "stock.move.line", "stock.location"):
            self.env[model].flush_model()
        return super()._table_query

    @api.model
    def _defect_keys(self):
        return super()._defect_keys() + ["lot_id"]

    @api.model
    def _sold_defect(self):
        """Units per lot delivered to customers on the lines sold over the window, in
        the product's unit of measure."""
        return SQL(
            """SELECT sl.product_id, sl.company_id, ml.lot_id,
                      SUM(ml.quantity / COALESCE(mu.factor, 1.0)
                          * COALESCE(pu.factor, 1.0)) AS units
                 FROM (%s) AS sl
                 JOIN stock_move m ON m.sale_line_id = sl.sale_line_id
                                  AND m.product_id = sl.product_id
                 JOIN stock_move_line ml ON ml.move_id = m.id
                 JOIN stock_location dest ON dest.id = ml.location_dest_id
                 JOIN product_product pp ON pp.id = sl.product_id
                 JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 LEFT JOIN uom_uom mu ON mu.id = ml.product_uom_id
                 LEFT JOIN uom_uom pu ON pu.id = pt.uom_id
                WHERE m.state = 'done' AND ml.lot_id IS NOT NULL
                  AND dest.usage = 'customer'
                GROUP BY sl.product_id, sl.company_id, ml.lot_id""",
            self._sold_lines_defect(),
        )

    # ------------------------------------------------------------------
    # The alarm: the product report's, per lot
    # ------------------------------------------------------------------
    @api.model
    def _defect_activity_type(self):
        return self.env.ref("store_service_crm_stock.mail_activity_type_lot_defect_alarm")

    def _defect_activity_note(self, threshold):
        self.ensure_one()
        return self.env._(
            "The complaint rate of the lot %(lot)s of %(product)s over the last %(days)s "
            "days crossed the threshold of %(threshold)s across all stores: check the "
            "lot (supplier batch, storage), where its units went, and the complaints "
            "about it.",
            lot=self.lot_id.sudo().name,
            product=self.product_id.sudo().display_name,
            days=self.company_id.defect_window_days,
            threshold=threshold,
        )
