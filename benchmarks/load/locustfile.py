"""Locust users of the load run (benchmarks/load/run_load.py starts Locust with it).

Store clerks register complaints, log return visits, confirm orders and open
the complaint queue; managers open the service dashboard and a store's
scorecard. Every call is JSON-RPC (or a report page) as a real non-admin user
that run_load.py created; the users, their stores and the customers come
from the JSON file named by SSC_LOAD_USERS. A JSON-RPC error whose exception
is a UserError/ValidationError/AccessError is counted as a refusal (a clerk
taking a visit another clerk just logged), anything else as a server error.
"""

import itertools
import json
import os
import random
from datetime import date

from locust import HttpUser, between, task

with open(os.environ["SSC_LOAD_USERS"], encoding="utf-8") as f:
    SETUP = json.load(f)
# think time between two actions of one user, seconds (SSC_LOAD_THINK="min,max")
THINK = tuple(float(x) for x in os.environ.get("SSC_LOAD_THINK", "5,15").split(","))
CLERKS = itertools.count()
MANAGERS = itertools.count()
REFUSALS = ("odoo.exceptions.UserError", "odoo.exceptions.ValidationError")


class OdooUser(HttpUser):
    abstract = True

    def login(self, user):
        """The session run_load.py opened for the user (a clerk logs in once in the
        morning; a login hashes the password, ~1 s of CPU: not what is measured)."""
        self.client.cookies.set("session_id", user["session_id"])

    def rpc(self, route, params, name):
        payload = {"jsonrpc": "2.0", "method": "call", "params": params, "id": 1}
        with self.client.post(route, json=payload, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
                return None
            body = r.json()
            if "error" in body:
                err = body["error"].get("data", {}).get("name", "?")
                kind = "refused" if err in REFUSALS else "server error"
                r.failure(
                    f"{kind}: {err}: {body['error'].get('data', {}).get('message', '')[:120]}"
                )
                return None
            r.success()
            return body["result"]

    def call(self, model, method, args, kwargs=None, name=None):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            name=name or f"{model}.{method}",
        )


class Clerk(OdooUser):
    fixed_count = int(os.environ.get("SSC_LOAD_CLERKS", "50"))
    wait_time = between(*THINK)

    def on_start(self):
        me = SETUP["clerks"][next(CLERKS) % len(SETUP["clerks"])]
        self.store, self.slot, self.slots = me["store"], me["slot"], me["slots"]
        self.login(me)

    @task(3)
    def register_complaint(self):
        self.call(
            "store.complaint",
            "create",
            [
                {
                    "partner_id": random.choice(SETUP["customers"]),
                    "team_id": self.store,
                    "category_id": SETUP["category"],
                    "description": "Load run: the product stopped working",
                }
            ],
            name="clerk: register a complaint",
        )

    @task(2)
    def log_visit(self):
        ids = self.call(
            "store.return.visit",
            "search",
            [[("team_id", "=", self.store), ("state", "=", "planned")]],
            {"limit": 40, "order": "id"},
            name="clerk: find a visit",
        )
        mine = [i for i in ids or [] if i % self.slots == self.slot]
        if not mine:
            return
        self.call(
            "store.return.visit",
            "action_done",
            [[mine[0]]],
            {"csat_score": random.choice([4, 5]), "feedback": "Load run: all fine"},
            name="clerk: log a visit",
        )

    @task(3)
    def confirm_order(self):
        order = self.call(
            "sale.order",
            "create",
            [
                {
                    "partner_id": random.choice(SETUP["customers"]),
                    "team_id": self.store,
                    "order_line": [
                        (
                            0,
                            0,
                            {"product_id": random.choice(SETUP["products"]), "product_uom_qty": 1},
                        )
                    ],
                }
            ],
            name="clerk: create an order",
        )
        if order:
            self.call("sale.order", "action_confirm", [[order]], name="clerk: confirm an order")

    @task(4)
    def open_queue(self):
        self.call(
            "store.complaint",
            "web_search_read",
            [[("state", "in", ["new", "assigned", "in_progress"])]],
            {
                "specification": {
                    "name": {},
                    "partner_id": {"fields": {"display_name": {}}},
                    "team_id": {"fields": {"display_name": {}}},
                    "state": {},
                    "priority": {},
                    "resolution_deadline": {},
                },
                "limit": 80,
                "order": "resolution_deadline, id",
            },
            name="clerk: open the queue",
        )


class Manager(OdooUser):
    fixed_count = int(os.environ.get("SSC_LOAD_MANAGERS", "5"))
    wait_time = between(THINK[0] * 2, THINK[1] * 2)

    def on_start(self):
        me = SETUP["managers"][next(MANAGERS) % len(SETUP["managers"])]
        self.login(me)

    @task(2)
    def dashboard(self):
        today = date.today()
        self.call(
            "store.service.kpi",
            "get_dashboard_data",
            [str(today.replace(day=1)), str(today)],
            name="manager: dashboard",
        )

    @task(1)
    def scorecard(self):
        store = random.choice(SETUP["stores"])
        with self.client.get(
            f"/report/html/store_service_crm.report_store_scorecard/{store}",
            name="manager: scorecard",
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"server error: HTTP {r.status_code}")
