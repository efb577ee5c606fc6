"""The bridge's uninstall hook removes what it added to pos_order in SQL, and only that
(DDL is transactional: the test's rollback puts it back)."""

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.store_service_crm.models.store_service_kpi_customers import (  # pylint: disable=import-error
    ORDER_DIRTY_TABLE,
)

from .. import uninstall_hook
from .common import PosCase


@tagged("post_install", "-at_install")
class TestUninstallHook(PosCase):
    def _indexes(self, table):
        self.env.cr.execute(
            SQL(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s"
                " AND indexname LIKE %s ORDER BY 1",
                table,
                f"{table}_store_%",
            )
        )
        return [name for (name,) in self.env.cr.fetchall()]

    def _triggers(self, table):
        self.env.cr.execute(
            SQL(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass"
                " AND tgname LIKE %s ORDER BY 1",
                table,
                "store_service_kpi_mark_%",
            )
        )
        return [name for (name,) in self.env.cr.fetchall()]

    def _marks(self, partner):
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM %s WHERE partner_id = %s",
                SQL.identifier(ORDER_DIRTY_TABLE),
                partner.id,
            )
        )
        return self.env.cr.fetchone()[0]

    def test_hook_drops_the_pos_order_index_and_triggers_only(self):
        sale_indexes, sale_triggers = self._indexes("sale_order"), self._triggers("sale_order")
        self.assertEqual(self._indexes("pos_order"), ["pos_order_store_loyalty_partner_index"])
        self.assertEqual(
            self._triggers("pos_order"),
            ["store_service_kpi_mark_pos_order", "store_service_kpi_mark_pos_order_update"],
        )
        customer = self.env["res.partner"].create({"name": "Mrs. Till"})
        self.env.flush_all()
        marks = self._marks(customer)  # a new contact is marked (its commercial entity set)
        self._pos_order(customer)
        self.env.flush_all()
        self.assertGreater(self._marks(customer), marks, "a POS order marks its customer")

        uninstall_hook(self.env)

        self.assertEqual(self._indexes("pos_order"), [])
        self.assertEqual(self._triggers("pos_order"), [])
        self.assertEqual(self._indexes("sale_order"), sale_indexes, "the core's stay")
        self.assertEqual(self._triggers("sale_order"), sale_triggers, "the core's stay")
        self.assertIn("sale_order_store_loyalty_partner_index", sale_indexes)
        marks = self._marks(customer)
        self._pos_order(customer)
        self.env.flush_all()
        self.assertEqual(self._marks(customer), marks, "POS orders are no longer watched")
