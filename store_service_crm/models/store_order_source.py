"""The confirmed orders of customers: the one place every figure reads them from.

Tiers (res_partner_loyalty.py), the KPI engine (store_service_kpi.py) and the
visit rules read "a customer's confirmed orders" through
``store.order.source._confirmed_orders_sql()``. The core answers with the
confirmed sale orders; a bridge addon whose app sells too (Point of Sale:
store_service_crm_pos) extends the method with ``UNION ALL`` of its own
orders, with the same columns, so every figure counts them at once and the
statements stay set-based (PostgreSQL pushes the callers' filters into each
branch of the ``UNION ALL``: conditions on the orders' own columns, not join
conditions. A caller that reads a few customers' orders gives their contacts'
ids as ``so.partner_id = ANY(ARRAY(...))``, which each branch answers from its
customer index; a join condition alone would scan every order of every branch).
"""

from odoo import api, models
from odoo.tools import SQL

#: the columns of every branch, in this order
ORDER_COLUMNS = (
    "order_model",  # technical name of the order's model ('sale.order', 'pos.order', ...)
    "order_id",  # id in that model
    "name",  # the order reference
    "partner_id",
    "team_id",  # the store (crm.team)
    "user_id",  # the salesperson / cashier
    "company_id",
    "date_order",
    "amount_untaxed",  # in the order's currency (numeric)
    "currency_rate",  # order currency per company currency (numeric, 0 or NULL = 1)
    "sale_order_id",  # the sale order (NULL for the other models' orders)
    # the order's key among the orders of all models, kept in store_return_visit.source_id
    # by the order-triggered visit rules: the id of a sale order; a bridge gives its
    # orders keys that cannot meet another model's (POS orders: minus the id)
    "source_key",
)

#: the columns of every branch of the order lines
ORDER_LINE_COLUMNS = ("order_model", "order_id", "product_id")


def drop_order_indexes(cr, table):
    """Drop the indexes the addon (or a bridge) adds to another addon's order ``table``
    (at uninstallation): they are all named ``<table>_store_*`` (Odoo's own:
    ``<table>__<field>_index``)."""
    cr.execute(
        SQL(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
            table,
            table.replace("_", "\\_") + "\\_store\\_%",
        )
    )
    for (name,) in cr.fetchall():
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))


class StoreOrderSource(models.AbstractModel):
    _name = "store.order.source"
    _description = "Confirmed orders of customers (sale orders and the bridges' orders)"

    def init(self):
        # A few customers' orders (the tier recompute of the queued customers and of the
        # nightly run, issue 18) are read by customer: this index holds every column
        # that read needs, so PostgreSQL answers from the index alone instead of
        # fetching each order's row. Bridges add one on their order table.
        self.env.cr.execute(
            SQL(
                """CREATE INDEX IF NOT EXISTS sale_order_store_loyalty_partner_index
                       ON sale_order (partner_id, date_order)
                       INCLUDE (company_id, amount_untaxed, currency_rate)
                    WHERE state = 'sale'"""
            )
        )

    @api.model
    def _confirmed_orders_sql(self):
        """SQL SELECT of the confirmed orders, one row each, columns ORDER_COLUMNS.

        Bridges extend it: ``SQL("%s UNION ALL %s", super()..., SQL("SELECT ..."))``.
        """
        return SQL(
            """
            SELECT 'sale.order'::varchar AS order_model, so.id AS order_id,
                   so.name::varchar AS name, so.partner_id, so.team_id, so.user_id,
                   so.company_id, so.date_order, so.amount_untaxed::numeric AS amount_untaxed,
                   so.currency_rate::numeric AS currency_rate,
                   so.id AS sale_order_id, so.id AS source_key
              FROM sale_order so
             WHERE so.state = 'sale'
            """
        )

    @api.model
    def _customers_orders_filter(self, among):
        """SQL condition on the orders ``so`` of this SELECT's callers: the orders of the
        customers whose commercial entity is ``among`` (``SQL("= ANY(%s)", ids)`` or
        ``SQL("IN (...)")``). A condition on the orders' own column, which reaches
        every branch of the ``UNION ALL`` and its customer index."""
        return SQL(
            "so.partner_id = ANY(ARRAY(SELECT id FROM res_partner WHERE commercial_partner_id %s))",
            among,
        )

    @api.model
    def _order_lines_sql(self):
        """SQL SELECT of the product lines of the orders above (any state), columns
        ORDER_LINE_COLUMNS; bridges extend it like ``_confirmed_orders_sql``."""
        return SQL(
            """
            SELECT 'sale.order'::varchar AS order_model, l.order_id, l.product_id
              FROM sale_order_line l
            """
        )

    @api.model
    def _kpi_order_tables(self):
        """{table: columns} of the orders above: the KPI pre-aggregate of the orders
        marks the customer of a row inserted, deleted, or changed in one of these
        columns (``store_service_kpi_customers.py``); bridges add their tables."""
        return {
            "sale_order": [
                "state",
                "date_order",
                "partner_id",
                "team_id",
                "company_id",
                "amount_untaxed",
                "currency_rate",
            ]
        }

    @api.model
    def _confirmed_orders_flush(self):
        """Write the pending ORM changes of the orders the SQL above reads."""
        self.env["sale.order"].flush_model(
            [
                "state",
                "name",
                "date_order",
                "amount_untaxed",
                "currency_rate",
                "partner_id",
                "company_id",
                "team_id",
                "user_id",
            ]
        )
