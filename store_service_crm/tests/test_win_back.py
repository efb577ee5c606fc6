# pylint: disable=unsubscriptable-object
# (pylint cannot infer TransactionCase.env in setUpClass)
"""Why customers leave, win-back and what wins a customer back, checked against
hand-computed figures."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase

from .common import complaint_through_actions, make_users, table_checksums

MODULE = "store_service_crm"


class WinBackCase(TransactionCase):
    """A store with a clerk, new customers and orders dated in the past. The reports
    read the database clock: the tests run at the real time (no frozen future)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.users = make_users(cls.env)
        cls.clerk = cls.users["clerk"]
        cls.manager = cls.users["manager"]
        cls.env["store.return.visit.rule"].search([]).active = False
        cls.Visit = cls.env["store.return.visit"]
        cls.store = cls.env["crm.team"].create(
            {
                "is_store": True,
                "name": "Win-back Test Store",
                "user_id": cls.manager.id,
                "member_ids": [fields.Command.link(cls.clerk.id)],
            }
        )
        cls.fridge = cls.env["product.product"].create(
            {"name": "Fridge FR-200", "list_price": 800.0, "type": "consu"}
        )

    def _order(self, partner, days_ago):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "team_id": self.store.id,
                "user_id": self.clerk.id,
                "order_line": [
                    fields.Command.create({"product_id": self.fridge.id, "product_uom_qty": 1})
                ],
            }
        )
        order.action_confirm()
        order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order


class TestWinBack(WinBackCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.win_back_days = 30
        cls.reasons = {
            code: cls.env.ref(f"{MODULE}.lost_reason_{code}")
            for code in ("moved", "competitor", "price", "quality", "service", "other")
        }
        cls.now = fields.Datetime.now()
        cls.t0 = (cls.now - timedelta(days=60)).date()
        Partner = cls.env["res.partner"]
        cls.a, cls.b, cls.c, cls.d, cls.e, cls.f = (
            Partner.create({"name": name, "customer_rank": 1})
            for name in ("Ann", "Bo", "Chen", "Dai", "Eve", "Fang")
        )

    def _visit(self, partner, day, care=True):
        return self.Visit.create(
            {
                "partner_id": partner.id,
                "scheduled_date": day,
                "user_id": self.clerk.id,
                "team_id": self.store.id,
                "care_visit": care,
            }
        )

    def _done(self, visit, reason=None, csat=3):
        with freeze_time(fields.Datetime.to_datetime(visit.scheduled_date).replace(hour=10)):
            visit.with_user(self.clerk).action_done(
                csat_score=csat, lost_reason_id=self.reasons[reason].id if reason else None
            )
        return visit

    def _chain(self):
        """A: care call, order 10 days later (won back). B: care call, order 45 days later
        (window of 30 days over, not won back). C: a sale visit where the customer gave a
        reason, no order (window over). D: care call 5 days ago (window not over). E: a
        sale visit without reason followed by an order (not a care visit). F: reason
        typed on the customer form."""
        visits = {
            "a": self._done(self._visit(self.a, self.t0), "service"),
            "b": self._done(self._visit(self.b, self.t0), "service"),
            "c": self._done(self._visit(self.c, self.t0, care=False), "price"),
            "d": self._done(self._visit(self.d, (self.now - timedelta(days=5)).date()), "quality"),
            "e": self._done(self._visit(self.e, self.t0, care=False)),
        }
        self._order(self.a, days_ago=50)
        self._order(self.b, days_ago=15)
        self._order(self.e, days_ago=50)
        self.f.write({"lost_reason_id": self.reasons["price"].id})
        return visits

    def test_reasons_shipped_with_the_manuals_shares(self):
        shares = {code: reason.reference_share for code, reason in self.reasons.items()}
        self.assertEqual(
            shares,
            {"moved": 3, "competitor": 5, "price": 9, "quality": 14, "service": 68, "other": 1},
        )

    def test_done_visit_records_the_reason_on_the_customer(self):
        visit = self._done(self._visit(self.a, self.t0), "price")
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.lost_reason_id, self.reasons["price"])
        self.assertEqual(self.a.lost_reason_id, self.reasons["price"])
        self.assertEqual(self.a.lost_reason_date, fields.Date.context_today(self.a))

    def test_unknown_reason_changes_nothing(self):
        visit = self._visit(self.a, self.t0)
        before = table_checksums(self.env, ["store_return_visit", "res_partner"])
        for bad in (999999, "price", True):
            with self.assertRaises(UserError):
                visit.with_user(self.clerk).action_done(csat_score=3, lost_reason_id=bad)
        self.assertEqual(table_checksums(self.env, ["store_return_visit", "res_partner"]), before)
        self.assertEqual(visit.state, "planned")

    def test_reason_is_frozen_once_done_except_for_a_manager(self):
        visit = self._done(self._visit(self.a, self.t0), "price")
        with self.assertRaises(UserError):
            visit.with_user(self.clerk).with_context(active_test=False).write(
                {"lost_reason_id": self.reasons["moved"].id}
            )
        visit.with_user(self.manager).write({"lost_reason_id": self.reasons["moved"].id})
        self.assertEqual(visit.lost_reason_id, self.reasons["moved"])

    def test_win_back_rate_by_hand(self):
        visits = self._chain()
        Kpi = self.env["store.service.kpi"].with_user(self.manager)
        period = (self.t0 - timedelta(days=1), self.now.date())
        kpis = Kpi.compute_kpis(*period, team_ids=[self.store.id])
        # due: A (won back), B and C (windows over); D's window is open; E no care
        self.assertEqual(kpis["win_back_due"], 3)
        self.assertEqual(kpis["win_back_count"], 1)
        self.assertAlmostEqual(kpis["win_back_rate"], 1 / 3)
        self.assertEqual([visits[k].won_back for k in "abcde"], [True, False, False, False, False])
        self.assertEqual(
            [visits[k].win_back_due for k in "abcde"], [True, True, True, False, False]
        )
        action = Kpi.action_open_kpi_records("win_back_rate", *period, team_ids=[self.store.id])
        drilled = self.env["store.return.visit"].search(
            action["context"]["store_service_kpi_facet"]["domain"]
        )
        self.assertEqual(drilled, visits["a"] | visits["b"] | visits["c"])

    def test_longer_window_wins_back_more(self):
        self._chain()
        self.env.company.win_back_days = 50
        kpis = self.env["store.service.kpi"].compute_kpis(
            self.t0 - timedelta(days=1), self.now.date(), team_ids=[self.store.id]
        )
        # B's order 45 days after the call is now inside; C's window (50 days) is over
        self.assertEqual((kpis["win_back_count"], kpis["win_back_due"]), (2, 3))

    def test_reasons_report_by_hand(self):
        self._chain()
        Report = self.env["store.lost.reason.report"].with_user(self.manager)
        partners = (self.a | self.b | self.c | self.d | self.e | self.f).ids
        groups = Report.read_group(
            [("partner_id", "in", partners)],
            ["customer_count", "share", "reference_share", "win_back_rate"],
            ["lost_reason_id"],
        )
        got = {
            g["lost_reason_id"][0]: (
                g["customer_count"],
                round(g["share"], 2),
                g["reference_share"],
                g["win_back_rate"],
            )
            for g in groups
        }
        self.assertEqual(
            got,
            {
                # A (won back) and B (not): 50 %
                self.reasons["service"].id: (2, 40.0, 68.0, 50.0),
                # C's visit (not won back) and F's form (no visit: no win-back figure)
                self.reasons["price"].id: (2, 40.0, 9.0, 0.0),
                # D: window still open, no win-back figure yet
                self.reasons["quality"].id: (1, 20.0, 14.0, False),
            },
        )
        sources = Report.read_group([("partner_id", "in", partners)], ["share"], ["source"])
        self.assertEqual(
            {g["source"]: (g["source_count"], g["share"]) for g in sources},
            {"visit": (4, 80.0), "customer": (1, 20.0)},
        )

    def test_reasons_report_of_a_clerk_is_their_stores(self):
        self._chain()
        other = self.env["crm.team"].create({"is_store": True, "name": "Other store"})
        visit = self._visit(self.f, self.t0)
        visit.team_id = other
        visit.user_id = self.manager
        with freeze_time(fields.Datetime.to_datetime(self.t0).replace(hour=10)):
            visit.action_done(csat_score=2, lost_reason_id=self.reasons["moved"].id)
        rows = self.env["store.lost.reason.report"].with_user(self.clerk).search([])
        self.assertNotIn(visit, rows.visit_id)
        self.assertEqual(len(rows.filtered(lambda r: r.source == "visit")), 4)


class TestRemedyRepurchase(WinBackCase):
    """The satisfaction -> repurchase analysis by the remedy of the complaint before the
    visit: resolution type and compensation band."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = fields.Datetime.now()
        Partner = cls.env["res.partner"]
        cls.replaced, cls.refunded, cls.voucher, cls.no_complaint = (
            Partner.create({"name": name, "customer_rank": 1})
            for name in ("Replaced", "Refunded", "Voucher", "Quiet")
        )
        cls.category = cls.env.ref(f"{MODULE}.complaint_category_product_quality")

    def _complaint(self, partner, resolution, compensation, days_ago):
        received = self.now - timedelta(days=days_ago)
        return complaint_through_actions(
            self.env["store.complaint"],
            {
                "partner_id": partner.id,
                "team_id": self.store.id,
                "category_id": self.category.id,
                "description": "Broken",
                "responsibility": "staff",
                "resolution_type": resolution,
                "resolution_note": "Done",
                "compensation_amount": compensation,
            },
            received,
            responded=received + timedelta(hours=1),
            resolved=received + timedelta(hours=5),
        )

    def _rated_visit(self, partner, days_ago, complaint=None):
        visit = self.Visit.create(
            {
                "partner_id": partner.id,
                "scheduled_date": (self.now - timedelta(days=days_ago)).date(),
                "team_id": self.store.id,
                "complaint_id": complaint.id if complaint else False,
            }
        )
        with freeze_time(fields.Datetime.to_datetime(visit.scheduled_date).replace(hour=10)):
            visit.action_done(csat_score=4)
        return visit

    def test_repurchase_by_remedy_by_hand(self):
        # a replacement (compensation 150: band 100-500), the customer orders 20 days after
        # the verification call; a refund without compensation, no order; a voucher
        # (compensation 600) verified by a visit that does not name the complaint (the
        # customer's last resolved complaint counts), order 100 days later
        replaced = self._complaint(self.replaced, "replace", 150.0, 250)
        self._rated_visit(self.replaced, 248, replaced)
        self._order(self.replaced, days_ago=228)
        refunded = self._complaint(self.refunded, "refund", 0.0, 250)
        self._rated_visit(self.refunded, 248, refunded)
        self._complaint(self.voucher, "compensation", 600.0, 250)
        self._rated_visit(self.voucher, 240)
        self._order(self.voucher, days_ago=140)
        self._rated_visit(self.no_complaint, 240)
        self._order(self.no_complaint, days_ago=230)
        self.env.flush_all()
        Report = self.env["store.repurchase.report"].with_user(self.manager)
        partners = (self.replaced | self.refunded | self.voucher | self.no_complaint).ids
        groups = Report.read_group(
            [("partner_id", "in", partners)],
            ["repurchase_30_rate", "repurchase_90_rate", "repurchase_180_rate"],
            ["resolution_type", "compensation_band"],
            lazy=False,
        )
        got = {
            (g["resolution_type"], g["compensation_band"]): (
                g["__count"],
                g["repurchase_30_rate"],
                g["repurchase_90_rate"],
                g["repurchase_180_rate"],
            )
            for g in groups
        }
        self.assertEqual(
            got,
            {
                ("replace", "medium"): (1, 100.0, 100.0, 100.0),
                ("refund", "none"): (1, 0.0, 0.0, 0.0),
                ("compensation", "high"): (1, 0.0, 0.0, 100.0),
                (False, False): (1, 100.0, 100.0, 100.0),
            },
        )
        row = Report.search([("partner_id", "=", self.replaced.id)])
        self.assertEqual(row.complaint_id, replaced)
