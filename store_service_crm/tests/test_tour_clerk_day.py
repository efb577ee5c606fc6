# pylint: disable=unsubscriptable-object
"""A store clerk's day in Chinese, in headless Chromium (issue 14, part A).

Set ``SSC_SCREENSHOTS`` to a directory (e.g. ``docs/screenshots``) to save a
screenshot of each step of the tour there (``clerk_day_<step>.png``)."""

import base64
import os
import pathlib
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser

MODULE = "store_service_crm"
SCREENSHOT_PREFIX = "ssc-screenshot "


def _handle_console_with_screenshots(original):
    def handler(self, type, args=None, stackTrace=None, **kw):  # pylint: disable=redefined-builtin
        target = os.environ.get("SSC_SCREENSHOTS")
        if target and args:
            first = str(self._from_remoteobject(args[0]))
            if first.startswith(SCREENSHOT_PREFIX):
                name = first[len(SCREENSHOT_PREFIX) :].strip()
                future = self._websocket_send("Page.captureScreenshot", with_future=True)

                def save(f, name=name):
                    data = f.result(timeout=0).get("data")
                    if data:
                        path = pathlib.Path(target)
                        path.mkdir(parents=True, exist_ok=True)
                        (path / f"{name}.png").write_bytes(base64.b64decode(data))

                future.add_done_callback(save)
        return original(self, type, args=args, stackTrace=stackTrace, **kw)

    return handler


@tagged("post_install", "-at_install")
class TestTourClerkDay(HttpCase):
    browser_size = "1440x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(
            patch.object(
                ChromeBrowser,
                "_handle_console",
                _handle_console_with_screenshots(ChromeBrowser._handle_console),
            )
        )
        env = cls.env
        env["res.lang"]._activate_lang("zh_CN")
        env["ir.module.module"]._load_module_terms(
            ["base", "web", "mail", "sale", MODULE], ["zh_CN"], overwrite=True
        )
        cls.store = env["crm.team"].create({"name": "导览门店"})
        category = env["store.complaint.category"].create({"name": "导览类别", "code": "TOUR"})
        cls.clerk = new_test_user(
            env,
            login="ssc_tour_clerk",
            name="导览店员",
            groups="base.group_user,sales_team.group_sale_salesman,"
            "store_service_crm.group_store_service_user",
            lang="zh_CN",
            tz="Asia/Shanghai",
        )
        cls.salesman = new_test_user(
            env,
            login="ssc_tour_salesman",
            name="导览销售",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        cls.store.write({"member_ids": [Command.link(cls.clerk.id), Command.link(cls.salesman.id)]})
        cls.customer = env["res.partner"].create(
            {"name": "导览客户 王芳", "customer_rank": 1, "phone": "13800000001"}
        )
        product = env["product.product"].create(
            {"name": "导览瓷砖", "list_price": 120.0, "sale_ok": True}
        )
        # sold by someone else: sale's "own documents" rule alone hid it from the clerk
        cls.order = env["sale.order"].create(
            {
                "name": "TOUR-ORDER-1",
                "partner_id": cls.customer.id,
                "user_id": cls.salesman.id,
                "team_id": cls.store.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 3})],
            }
        )
        cls.order.action_confirm()
        env["store.loyalty.pending"]._cron_recompute_pending()
        # a resolved complaint waiting for the customer's confirmation
        waiting_customer = env["res.partner"].create(
            {"name": "导览客户 待确认", "customer_rank": 1}
        )
        waiting = env["store.complaint"].create(
            {
                "partner_id": waiting_customer.id,
                "team_id": cls.store.id,
                "user_id": cls.clerk.id,
                "description": "等待客户确认",
                "category_id": category.id,
            }
        )
        waiting.action_assign()
        waiting.action_start()
        waiting.write({"responsibility": "staff", "resolution_type": "apology"})
        waiting.action_resolve()
        cls.visit_customer = env["res.partner"].create(
            {"name": "导览客户 李雷", "customer_rank": 1, "phone": "13800000002"}
        )
        cls.visit = env["store.return.visit"].create(
            {
                "partner_id": cls.visit_customer.id,
                "user_id": cls.clerk.id,
                "team_id": cls.store.id,
                "scheduled_date": fields.Date.today(),
            }
        )

    def test_clerk_day(self):
        # the store user's home is the complaint queue, not Discuss
        self.assertEqual(
            self.clerk.action_id.id, self.env.ref("store_service_crm.store_complaint_action").id
        )
        # sold by someone else in the clerk's store: the clerk reads it (and links it)
        Order = self.env["sale.order"].with_user(self.clerk)
        self.assertEqual(Order.search([("partner_id", "=", self.customer.id)]), self.order)
        self.start_tour("/odoo", "store_service_crm_clerk_day", login=self.clerk.login, timeout=180)

        complaint = self.env["store.complaint"].search(
            [("partner_id", "=", self.customer.id)], order="id desc", limit=1
        )
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.user_id, self.clerk)
        self.assertEqual(complaint.state, "resolved")
        self.assertEqual(complaint.responsibility, "product")
        self.assertEqual(complaint.resolution_type, "replace")
        self.assertEqual(complaint.root_cause, "包装不足，运输中破损")
        self.assertFalse(complaint.can_close)

        self.assertEqual(self.visit.state, "done")
        self.assertEqual(self.visit.csat_score, 1)
        opened = self.visit.opened_complaint_ids
        self.assertEqual(len(opened), 1)
        self.assertEqual(opened.partner_id, self.visit_customer)
        self.assertEqual(opened.description, "安装师傅迟到了三个小时")
