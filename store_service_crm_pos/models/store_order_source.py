# pylint: disable=no-member
# (fields and methods of models defined in other addons, reached through _inherit:
# pylint cannot see them)
from odoo import api, models
from odoo.tools import SQL

# the states of a paid POS order (posted in the session's accounting or invoiced too)
POS_PAID_STATES = ("paid", "done", "invoiced")
# the POS orders that count as confirmed orders: read by _confirmed_orders_sql and the
# predicate of its covering index (the same text, or PostgreSQL would not use the index)
POS_CONFIRMED_WHERE = SQL(
    "state IN %s AND partner_id IS NOT NULL AND amount_total >= 0", POS_PAID_STATES
)


class StoreOrderSource(models.AbstractModel):
    _inherit = "store.order.source"

    @api.model
    def _confirmed_orders_sql(self):
        """Paid POS orders of a known customer, in the store of their POS
        (``pos.order.crm_team_id``, from ``pos.config.crm_team_id``). Refunds (a total
        below zero) are not orders, as credit notes of sale orders are not. Their
        visit source key is minus their id (sale orders: the id)."""
        return SQL(
            """%s
            UNION ALL
            SELECT 'pos.order'::varchar AS order_model, po.id AS order_id,
                   po.name::varchar AS name, po.partner_id, po.crm_team_id AS team_id,
                   po.user_id, po.company_id, po.date_order,
                   (po.amount_total - po.amount_tax)::numeric AS amount_untaxed,
                   po.currency_rate::numeric AS currency_rate,
                   NULL::integer AS sale_order_id, -po.id AS source_key
              FROM pos_order po
             WHERE %s
            """,
            super()._confirmed_orders_sql(),
            POS_CONFIRMED_WHERE,
        )

    @api.model
    def _order_lines_sql(self):
        return SQL(
            """%s
            UNION ALL
            SELECT 'pos.order'::varchar AS order_model, l.order_id, l.product_id
              FROM pos_order_line l
            """,
            super()._order_lines_sql(),
        )

    def init(self):
        res = super().init()
        # the POS orders' side of the core's sale_order_store_loyalty_partner_index
        self.env.cr.execute(
            SQL(
                """CREATE INDEX IF NOT EXISTS pos_order_store_loyalty_partner_index
                       ON pos_order (partner_id, date_order)
                       INCLUDE (company_id, amount_total, amount_tax, currency_rate)
                    WHERE %s""",
                POS_CONFIRMED_WHERE,
            )
        )
        # the KPI pre-aggregate of the orders watches the POS orders too
        self.env["store.service.kpi.aggregate"]._create_order_triggers()
        return res

    @api.model
    def _kpi_order_tables(self):
        tables = super()._kpi_order_tables()
        tables["pos_order"] = [
            "state",
            "date_order",
            "partner_id",
            "crm_team_id",
            "company_id",
            "amount_total",
            "amount_tax",
            "currency_rate",
        ]
        return tables

    @api.model
    def _confirmed_orders_flush(self):
        res = super()._confirmed_orders_flush()
        self.env["pos.order"].flush_model(
            [
                "state",
                "name",
                "date_order",
                "amount_total",
                "amount_tax",
                "currency_rate",
                "partner_id",
                "company_id",
                "crm_team_id",
                "user_id",
            ]
        )
        return res
