# pylint: disable=no-member
# (fields and methods of models defined in other addons, reached through _inherit:
# pylint cannot see them)
from odoo import fields, models
from odoo.tools import SQL, LazyTranslate

from odoo.addons.store_service_crm.tools import WorkflowDoor  # pylint: disable=import-error

_lt = LazyTranslate(__name__)


class StoreReturnVisit(models.Model):
    """A visit planned from a paid POS order links to it (its ``source_id`` is minus
    the POS order's id, as the order source keys POS orders)."""

    _inherit = "store.return.visit"

    pos_order_id = fields.Many2one(
        "pos.order",
        string="POS Order",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The Point of Sale order the visit was planned for.",
    )

    def init(self):
        """Link the visits planned from POS orders before the link existed (on the
        bridge's install and upgrade; one statement, only the rows still unlinked)."""
        res = super().init()
        self.env.cr.execute(
            SQL(
                """UPDATE store_return_visit v
                      SET pos_order_id = po.id
                     FROM pos_order po
                    WHERE v.source_id < 0 AND v.pos_order_id IS NULL AND po.id = -v.source_id
                      AND v.rule_id IS NOT NULL"""
            )
        )
        return res

    def _workflow_doors(self):
        return [
            *super()._workflow_doors(),
            WorkflowDoor(
                frozenset({"pos_order_id"}),
                _lt("The POS order of a return visit (%(fields)s) is set by its rule only."),
            ),
        ]

    def action_open_pos_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "pos.order",
            "res_id": self.pos_order_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
