# pylint: disable=unsubscriptable-object
# (pylint cannot infer HttpCase.env in setUpClass)
"""The managers' reads go to the read replica: Odoo 18 routes a JSON-RPC call to a
readonly cursor (``db_replica_host``) when the method is ``@api.readonly``.

In test mode Odoo gives such calls a readonly test cursor (``SET TRANSACTION READ
ONLY``): a method that wrote would fail there and be retried on a read/write
cursor with a warning. These tests call the dashboard's and the analysis' methods
as a manager over HTTP and check they ran on the readonly cursor, with no retry.
benchmarks/replica_check.py proves the same on a real streaming replica by
counting the statements each PostgreSQL server ran."""

import functools
from datetime import date

from odoo.tests import HttpCase, tagged

from .common import make_users


@tagged("post_install", "-at_install")
class TestReadonlyRouting(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = make_users(cls.env)
        cls.store = cls.env["crm.team"].create(
            {"name": "Readonly Routing Store", "is_store": True, "user_id": cls.users["manager"].id}
        )
        today = date.today()
        cls.period = [str(today.replace(day=1)), str(today)]

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _cursor_modes(self, model, method_names, seen=None):
        """Record in ``seen``, for each call of ``method_names`` on ``model``, whether
        its cursor was readonly (the wrapper keeps the method's ``_api`` and
        ``_readonly`` marks, which call_kw and Odoo's routing read)."""
        seen = [] if seen is None else seen
        cls = type(self.env[model])
        for name in method_names:
            original = getattr(cls, name)

            def wrapper(recs, *args, _original=original, _name=name, **kwargs):
                seen.append((_name, recs.env.cr.readonly))
                return _original(recs, *args, **kwargs)

            self.patch(cls, name, functools.update_wrapper(wrapper, original))
        return seen

    def test_dashboard_reads_on_readonly_cursor(self):
        self.authenticate("ssc_manager", "ssc_manager")
        seen = self._cursor_modes(
            "store.service.kpi",
            ["get_dashboard_data", "compute_kpis", "get_defect_alarms", "action_open_kpi_records"],
        )
        with self.assertNoLogs("odoo.http", "WARNING"):
            data = self._call("store.service.kpi", "get_dashboard_data", self.period)
            kpis = self._call(
                "store.service.kpi",
                "compute_kpis",
                self.period,
                {"team_ids": [self.store.id], "group_by": "team"},
            )
            self._call("store.service.kpi", "get_defect_alarms", [])
            action = self._call(
                "store.service.kpi", "action_open_kpi_records", ["complaint_rate", *self.period]
            )
        self.assertTrue(data["cards"])
        self.assertLessEqual({t["team_id"] for t in kpis["teams"]}, {self.store.id})
        self.assertEqual(action["res_model"], "store.complaint")
        called = {name for name, _ro in seen}
        self.assertEqual(
            called,
            {"get_dashboard_data", "compute_kpis", "get_defect_alarms", "action_open_kpi_records"},
        )
        self.assertTrue(all(ro for _name, ro in seen), seen)

    def test_analysis_reads_on_readonly_cursor(self):
        """The analysis reports (SQL views read by pivot and graph views) go through
        Odoo's readonly read_group / web_read_group: our overrides do not write."""
        self.authenticate("ssc_manager", "ssc_manager")
        models_ = [
            "store.complaint.report",
            "store.return.visit.report",
            "store.staff.performance.report",
        ]
        seen = []
        for model in models_:
            self._cursor_modes(model, ["read_group"], seen)
        with self.assertNoLogs("odoo.http", "WARNING"):
            for model in models_:
                self._call(
                    model,
                    "web_read_group",
                    [[]],
                    {"fields": ["__count"], "groupby": ["team_id"]},
                )
        self.assertEqual(len(seen), len(models_), seen)
        self.assertTrue(all(ro for _name, ro in seen), seen)

    def test_writing_method_stays_read_write(self):
        """A method that writes is not routed to the replica: registering a
        complaint runs on the read/write cursor."""
        self.authenticate("ssc_manager", "ssc_manager")
        seen = self._cursor_modes("store.complaint", ["create"])
        partner = self.env["res.partner"].create({"name": "Readonly Routing Customer"})
        complaint_id = self._call(
            "store.complaint",
            "create",
            [
                {
                    "partner_id": partner.id,
                    "team_id": self.store.id,
                    "category_id": self.env.ref(
                        "store_service_crm.complaint_category_product_quality"
                    ).id,
                    "description": "Broken",
                }
            ],
        )
        self.assertTrue(complaint_id)
        self.assertEqual(seen, [("create", False)])
