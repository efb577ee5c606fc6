# pylint: disable=no-member
# (fields and methods of models defined in other addons, reached through _inherit:
# pylint cannot see them)
from odoo import api, models
from odoo.tools import SQL


class StoreReturnVisitRule(models.Model):
    _inherit = "store.return.visit.rule"

    @api.model
    def _visit_source_links(self):
        """A visit planned from a POS order (an order source keyed by minus its id;
        every other source key is a positive id) links to it."""
        return {
            **super()._visit_source_links(),
            "pos_order_id": SQL("CASE WHEN src.source_id < 0 THEN -src.source_id END"),
        }
