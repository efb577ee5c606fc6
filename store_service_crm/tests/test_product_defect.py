# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestProductDefect(ComplaintCase):
    """Hand-computed data over a 90-day window, threshold 5 %, minimum 20 units:

    ======== ================================ ====================== ========
    product  units sold in the window         counted complaints     rate
    ======== ================================ ====================== ========
    hood     40 (+ 10 sold 120 days ago)      3 (+1 installation,    7.5 %
                                              +1 cancelled, +1 old)
    heater   40 units + 5 dozens = 100        3                      3.0 %
    kettle   1                                1                      100 % (too few units)
    ======== ================================ ====================== ========
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality = cls.env["res.users"].create(
            {"name": "Quality Lead", "login": "ssc_quality", "email": "q@example.com"}
        )
        cls.company.write(
            {
                "defect_window_days": 90,
                "defect_threshold": 0.05,
                "defect_min_units": 20,
                "defect_alarm_user_id": cls.quality.id,
            }
        )
        Product = cls.env["product.product"]
        cls.hood = Product.create({"name": "Range hood RH-1", "type": "consu"})
        cls.heater = Product.create({"name": "Water heater WH-2", "type": "consu"})
        cls.kettle = Product.create({"name": "Kettle K-3", "type": "consu"})
        cls.now = fields.Datetime.now()
        with freeze_time(cls.now - timedelta(days=120)):
            cls._sell(cls.hood, 10)
            cls._complain(cls.hood)  # outside the window
        cls._sell(cls.hood, 40)
        cls._sell(cls.heater, 40)
        cls._sell(cls.heater, 5, uom=cls.env.ref("uom.product_uom_dozen"))
        cls._sell(cls.kettle, 1)
        for _index in range(3):
            cls._complain(cls.hood)
            cls._complain(cls.heater)
        cls._complain(cls.kettle)
        # not a product defect: the installation was at fault; and a cancelled one
        installation = cls._complain(cls.hood)
        installation.write({"responsibility": "installation"})
        cls._complain(cls.hood).action_cancel(reason="Registered twice")
        cls.Report = cls.env["store.product.defect.report"]

    @classmethod
    def _sell(cls, product, qty, uom=None):
        line = {"product_id": product.id, "product_uom_qty": qty}
        if uom:
            line["product_uom"] = uom.id
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "team_id": cls.store.id,
                "order_line": [fields.Command.create(line)],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _complain(cls, product):
        return cls.Complaint.create(
            {
                "partner_id": cls.customer_no_email.id,
                "category_id": cls.category.id,
                "description": "It broke",
                "team_id": cls.store.id,
                "product_id": product.id,
            }
        )

    def _row(self, product):
        self.Report.invalidate_model()  # a view: rows read before a settings change are stale
        return self.Report.search([("product_id", "=", product.id)])

    # ---------------------------------------------------------------- the figures
    def test_defect_rate_per_unit_sold_over_the_window(self):
        hood = self._row(self.hood)
        self.assertEqual(hood.units_sold, 40)
        self.assertEqual(hood.complaint_count, 3)
        self.assertAlmostEqual(hood.defect_rate, 0.075)
        self.assertTrue(hood.eligible)
        self.assertTrue(hood.over_threshold)

    def test_units_are_counted_in_the_product_unit(self):
        heater = self._row(self.heater)
        self.assertEqual(heater.units_sold, 100)
        self.assertAlmostEqual(heater.defect_rate, 0.03)
        self.assertFalse(heater.over_threshold)

    def test_too_few_units_give_no_alarm(self):
        kettle = self._row(self.kettle)
        self.assertAlmostEqual(kettle.defect_rate, 1.0)
        self.assertFalse(kettle.eligible)
        self.assertFalse(kettle.over_threshold)

    def test_report_ranks_by_rate_not_by_count(self):
        rows = self.Report.search(
            [("product_id", "in", (self.hood | self.heater | self.kettle).ids)]
        )
        # same complaint count for hood and heater: the rate decides; the kettle's
        # 100 % on one unit comes last
        self.assertEqual(rows.product_id, self.hood | self.heater | self.kettle)
        self.assertEqual(
            [row.product_id.id for row in rows], [self.hood.id, self.heater.id, self.kettle.id]
        )

    def test_window_and_threshold_are_settings(self):
        self.company.defect_window_days = 200
        hood = self._row(self.hood)
        self.assertEqual((hood.units_sold, hood.complaint_count), (50, 4))
        self.assertAlmostEqual(hood.defect_rate, 0.08)
        self.company.defect_threshold = 0.09
        self.assertFalse(self._row(self.hood).over_threshold)

    def test_bad_settings_are_refused(self):
        for vals in (
            {"defect_threshold": 0.0},
            {"defect_threshold": 1.5},
            {"defect_window_days": 0},
            {"defect_min_units": 0},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.company.write(vals)

    # ---------------------------------------------------------------- the alarm
    def _alarms(self, product):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "product.product"),
                ("res_id", "=", product.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("store_service_crm.mail_activity_type_defect_alarm").id,
                ),
            ]
        )

    def test_crossing_the_threshold_gives_one_activity(self):
        alarmed = self.Report._cron_defect_alarm()
        self.assertIn(self.hood, alarmed)
        self.assertNotIn(self.heater, alarmed)
        self.assertNotIn(self.kettle, alarmed)
        activity = self._alarms(self.hood)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.quality)
        self.assertIn("7.5 %", activity.summary)
        self.assertEqual(self.hood.store_defect_alarm_date, fields.Date.context_today(self.hood))
        # idempotent: the next runs add nothing while the product stays over
        self.assertFalse(self.Report._cron_defect_alarm() & self.hood)
        self.assertEqual(len(self._alarms(self.hood)), 1)

    def test_alarm_rearms_once_the_rate_falls_below(self):
        self.Report._cron_defect_alarm()
        self.company.defect_threshold = 0.09
        self.Report._cron_defect_alarm()
        self.assertFalse(self.hood.store_defect_alarm_date)
        self.company.defect_threshold = 0.05
        self.assertIn(self.hood, self.Report._cron_defect_alarm())
        self.assertEqual(len(self._alarms(self.hood)), 2)

    def test_alarm_goes_to_the_service_manager_without_alarm_user(self):
        self.company.write(
            {"defect_alarm_user_id": False, "complaint_service_manager_id": self.manager.id}
        )
        self.Report._cron_defect_alarm()
        self.assertEqual(self._alarms(self.hood).user_id, self.manager)

    # ---------------------------------------------------------------- who sees it
    def test_dashboard_shows_the_alarm_to_managers(self):
        data = self.env["store.service.kpi"].with_user(self.manager).get_defect_alarms()
        alarms = [row for row in data if row["product_id"] == self.hood.id]
        self.assertEqual(len(alarms), 1)
        self.assertEqual(alarms[0]["complaint_count"], 3)
        self.assertEqual(alarms[0]["defect_rate_display"], "7.5 %")
        self.assertNotIn(self.heater.id, [row["product_id"] for row in data])

    def test_store_clerk_does_not_see_the_chain_wide_report(self):
        self.assertEqual(
            self.env["store.service.kpi"].with_user(self.clerk).get_defect_alarms(), []
        )
        with self.assertRaises(AccessError):
            self.Report.with_user(self.clerk).search([])
