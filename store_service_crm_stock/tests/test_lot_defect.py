# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.store_service_crm.tests.common import ComplaintCase  # pylint: disable=import-error


@tagged("post_install", "-at_install")
class TestLotDefect(ComplaintCase):
    """Hand-computed data over a 90-day window, threshold 10 %, minimum 10 units;
    a dishwasher tracked by lot:

    ===== ======================================== ========================= =======
    lot   units delivered in the window            counted complaints        rate
    ===== ======================================== ========================= =======
    A     10 (6 + 4; + 3 delivered 120 days ago)   2 (+1 installation,        20 %
                                                   +1 cancelled, +1 old)
    B     12                                       1                         8.3 %
    C     4                                        2                         50 %
                                                                             (too few)
    ===== ======================================== ========================= =======

    An order of 5 more units is confirmed but not delivered: the product counts 31
    units sold (its own report), the lots only what they delivered (26).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality = cls.env["res.users"].create(
            {"name": "Quality Lead", "login": "ssc_lot_quality", "email": "q@example.com"}
        )
        cls.company.write(
            {
                "defect_window_days": 90,
                "defect_threshold": 0.10,
                "defect_min_units": 10,
                "defect_alarm_user_id": cls.quality.id,
            }
        )
        cls.dishwasher = cls.env["product.product"].create(
            {"name": "Dishwasher DW-7", "is_storable": True, "tracking": "lot"}
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        Lot = cls.env["stock.lot"]
        cls.lot_a, cls.lot_b, cls.lot_c = (
            Lot.create({"name": name, "product_id": cls.dishwasher.id})
            for name in ("DW7-A", "DW7-B", "DW7-C")
        )
        cls.Complaint = cls.env["store.complaint"]
        with freeze_time(fields.Datetime.now() - timedelta(days=120)):
            old = cls._deliver(cls.lot_a, 3)
            cls._complain(old, cls.lot_a)  # outside the window
        cls.order_a = cls._deliver(cls.lot_a, 6)
        order_a2 = cls._deliver(cls.lot_a, 4)
        cls.order_b = cls._deliver(cls.lot_b, 12)
        order_c = cls._deliver(cls.lot_c, 4)
        cls.undelivered = cls._sell(5)
        cls._complain(cls.order_a, cls.lot_a)
        cls._complain(order_a2, cls.lot_a)
        cls._complain(cls.order_b, cls.lot_b)
        cls._complain(order_c, cls.lot_c)
        cls._complain(order_c, cls.lot_c)
        # not a product defect: the installation was at fault; and a cancelled one
        cls._complain(cls.order_a, cls.lot_a).write({"responsibility": "installation"})
        cls._complain(cls.order_a, cls.lot_a).action_cancel(reason="Registered twice")
        # a complaint naming no lot counts for the product only
        cls._complain(cls.undelivered, False)
        cls.Report = cls.env["store.lot.defect.report"]

    @classmethod
    def _sell(cls, qty):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "team_id": cls.store.id,
                "warehouse_id": cls.warehouse.id,
                "order_line": [
                    fields.Command.create({"product_id": cls.dishwasher.id, "product_uom_qty": qty})
                ],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _deliver(cls, lot, qty):
        """Stock ``qty`` units of ``lot`` only, sell and deliver them."""
        cls.env["stock.quant"]._update_available_quantity(
            cls.dishwasher, cls.warehouse.lot_stock_id, qty, lot_id=lot
        )
        order = cls._sell(qty)
        cls.Complaint._store_demo_validate(order.picking_ids)
        return order

    @classmethod
    def _complain(cls, order, lot):
        return cls.Complaint.create(
            {
                "partner_id": cls.customer.id,
                "category_id": cls.category.id,
                "description": "The door leaks",
                "team_id": cls.store.id,
                "sale_order_id": order.id,
                "product_id": cls.dishwasher.id,
                "lot_id": lot and lot.id,
            }
        )

    def _row(self, lot):
        self.Report.invalidate_model()  # a view: rows read before a settings change are stale
        return self.Report.search([("lot_id", "=", lot.id)])

    # ---------------------------------------------------------------- the figures
    def test_defect_rate_per_unit_delivered_of_the_lot(self):
        lot_a = self._row(self.lot_a)
        self.assertEqual(len(lot_a), 1)
        self.assertEqual(lot_a.product_id, self.dishwasher)
        self.assertEqual(lot_a.units_sold, 10)
        self.assertEqual(lot_a.complaint_count, 2)
        self.assertAlmostEqual(lot_a.defect_rate, 0.20)
        self.assertTrue(lot_a.eligible)
        self.assertTrue(lot_a.over_threshold)
        lot_b = self._row(self.lot_b)
        self.assertEqual((lot_b.units_sold, lot_b.complaint_count), (12, 1))
        self.assertAlmostEqual(lot_b.defect_rate, 1 / 12)
        self.assertFalse(lot_b.over_threshold)

    def test_too_few_units_give_no_alarm(self):
        lot_c = self._row(self.lot_c)
        self.assertEqual((lot_c.units_sold, lot_c.complaint_count), (4, 2))
        self.assertAlmostEqual(lot_c.defect_rate, 0.5)
        self.assertFalse(lot_c.eligible)
        self.assertFalse(lot_c.over_threshold)

    def test_lots_share_the_product_definition_of_units_sold(self):
        product = self.env["store.product.defect.report"].search(
            [("product_id", "=", self.dishwasher.id)]
        )
        # the product counts every confirmed unit (31) and every complaint (6); the
        # lots what was delivered (26) and the complaints that name them (5)
        self.assertEqual((product.units_sold, product.complaint_count), (31, 6))
        rows = self.Report.search([("product_id", "=", self.dishwasher.id)])
        self.assertEqual(sum(rows.mapped("units_sold")), 26)
        self.assertEqual(sum(rows.mapped("complaint_count")), 5)

    def test_report_ranks_by_rate_not_by_count(self):
        rows = self.Report.search([("product_id", "=", self.dishwasher.id)])
        # lot C has as many complaints as lot A and a higher rate, on too few units
        self.assertEqual([row.lot_id for row in rows], [self.lot_a, self.lot_b, self.lot_c])

    def test_window_is_the_product_setting(self):
        self.company.defect_window_days = 200
        lot_a = self._row(self.lot_a)
        self.assertEqual((lot_a.units_sold, lot_a.complaint_count), (13, 3))
        self.assertAlmostEqual(lot_a.defect_rate, 3 / 13)

    # ---------------------------------------------------------------- the alarm
    def _alarms(self, lot):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "stock.lot"),
                ("res_id", "=", lot.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("store_service_crm_stock.mail_activity_type_lot_defect_alarm").id,
                ),
            ]
        )

    def test_crossing_the_threshold_gives_one_activity_per_lot(self):
        ours = self.lot_a | self.lot_b | self.lot_c  # (the demo's lots may alarm too)
        alarmed = self.Report._cron_defect_alarm()
        self.assertEqual(alarmed & ours, self.lot_a)
        activity = self._alarms(self.lot_a)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.quality)
        self.assertIn("20.0 %", activity.summary)
        self.assertIn("DW7-A", str(activity.note))
        self.assertEqual(self.lot_a.store_defect_alarm_date, fields.Date.context_today(self.lot_a))
        self.assertFalse(self._alarms(self.lot_b) or self._alarms(self.lot_c))
        # idempotent: the next runs add nothing while the lot stays over
        self.assertFalse(self.Report._cron_defect_alarm() & ours)
        self.assertEqual(len(self._alarms(self.lot_a)), 1)

    def test_alarm_rearms_once_the_rate_falls_below(self):
        self.Report._cron_defect_alarm()
        self.company.defect_threshold = 0.25
        self.Report._cron_defect_alarm()
        self.assertFalse(self.lot_a.store_defect_alarm_date)
        self.company.defect_threshold = 0.10
        alarmed = self.Report._cron_defect_alarm()
        self.assertEqual(alarmed & (self.lot_a | self.lot_b | self.lot_c), self.lot_a)
        self.assertEqual(len(self._alarms(self.lot_a)), 2)

    def test_lot_alarm_leaves_the_product_alarm_alone(self):
        self.Report._cron_defect_alarm()
        self.assertFalse(self.dishwasher.store_defect_alarm_date)

    # ---------------------------------------------------------------- the complaint's lot
    def test_complaint_offers_the_lots_delivered_on_its_order(self):
        complaint = self._complain(self.order_b, False)
        self.assertEqual(complaint.order_lot_ids, self.lot_b)
        complaint.sale_order_id = self.undelivered
        self.assertFalse(complaint.order_lot_ids)

    def test_lot_of_another_product_is_refused(self):
        other_lot = self.env["stock.lot"].create(
            {
                "name": "OTHER-1",
                "product_id": self.env["product.product"]
                .create({"name": "Oven OV-1", "is_storable": True, "tracking": "lot"})
                .id,
            }
        )
        complaint = self._complain(self.order_b, self.lot_b)
        with self.assertRaises(ValidationError):
            complaint.write({"lot_id": other_lot.id})
        self.assertEqual(complaint.lot_id, self.lot_b)

    def test_store_clerk_does_not_see_the_chain_wide_report(self):
        with self.assertRaises(AccessError):
            self.Report.with_user(self.clerk).search([])
        self.assertTrue(
            self.Report.with_user(self.manager).search([("lot_id", "=", self.lot_a.id)])
        )
