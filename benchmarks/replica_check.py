"""Which PostgreSQL server runs the managers' reads: count the statements.

    ./dev.sh replica        # a primary, a streaming replica, Odoo with --workers
    benchmarks/replica_check.py --db ssc_c6 --url http://127.0.0.1:8176 \
        --primary-port 5434 --replica-port 5433

As a store manager (a non-admin user the script creates, or finds, through
JSON-RPC as admin), it opens the service dashboard (get_dashboard_data), the
all-store KPIs for a year (compute_kpis), the defect alarm, a store's monthly
scorecard (/report/html) and an analysis report (web_read_group), then
registers a complaint (a write, which must stay on the primary). Before each
step it resets pg_stat_statements on both servers; after it, it reads how many
statements each server ran in the database (the script's own queries on
pg_stat_statements excluded). Both servers need pg_stat_statements in
shared_preload_libraries (./dev.sh replica sets it on the replica; on the
primary it takes a restart: ALTER SYSTEM SET shared_preload_libraries =
'pg_stat_statements'). Prints one row per step; exits 1 when a read ran its
statements on the primary or the write on the replica.
"""

import argparse
import subprocess
import sys
from datetime import date

import requests

MANAGER_LOGIN = "ssc_replica_check_manager"
MANAGER_GROUP = "store_service_crm.group_store_service_manager"


def psql(port, db, sql):
    out = subprocess.run(
        ["psql", "-X", "-q", "-tA", "-p", str(port), "-d", db, "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip()


class Client:
    def __init__(self, url, db):
        self.url, self.db = url.rstrip("/"), db
        self.session = requests.Session()

    def rpc(self, route, params):
        r = self.session.post(
            self.url + route,
            json={"jsonrpc": "2.0", "method": "call", "params": params, "id": 1},
            timeout=300,
        )
        r.raise_for_status()
        body = r.json()
        if "error" in body:
            raise RuntimeError(f"{route}: {body['error']['data']['message']}")
        return body["result"]

    def login(self, login, password):
        return self.rpc(
            "/web/session/authenticate", {"db": self.db, "login": login, "password": password}
        )

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def ensure_manager(url, db, admin_password):
    admin = Client(url, db)
    admin.login("admin", admin_password)
    group = admin.call("ir.model.data", "check_object_reference", *MANAGER_GROUP.split("."))[1]
    found = admin.call("res.users", "search", [("login", "=", MANAGER_LOGIN)])
    if not found:
        admin.call(
            "res.users",
            "create",
            {
                "name": "Replica Check Manager",
                "login": MANAGER_LOGIN,
                "password": MANAGER_LOGIN,
                "groups_id": [(4, group)],
            },
        )
    return admin


def statements(port, db):
    """(statements, of which on our tables) run in ``db`` since the last reset."""
    row = psql(
        port,
        db,
        "SELECT coalesce(sum(s.calls), 0),"
        " coalesce(sum(s.calls) FILTER (WHERE s.query ~ '(store_|crm_team|sale_order)'), 0)"
        " FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid"
        f" WHERE d.datname = '{db}' AND s.query !~* 'pg_stat_statements'",
    )
    total, ours = row.split("|")
    return int(total), int(ours)


def reset(ports, db):
    for port in ports:
        psql(port, db, "SELECT pg_stat_statements_reset()")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--url", default="http://127.0.0.1:8176")
    ap.add_argument("--primary-port", type=int, default=5432)
    ap.add_argument("--replica-port", type=int, default=5433)
    ap.add_argument("--admin-password", default="admin")
    args = ap.parse_args()
    ports = (args.primary_port, args.replica_port)
    psql(args.primary_port, args.db, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    admin = ensure_manager(args.url, args.db, args.admin_password)
    manager = Client(args.url, args.db)
    manager.login(MANAGER_LOGIN, MANAGER_LOGIN)
    today = date.today()
    month = [str(today.replace(day=1)), str(today)]
    year = [str(today.replace(month=1, day=1)), str(today)]
    store = manager.call("crm.team", "search", [("is_store", "=", True)], limit=1)[0]
    partner = admin.call("res.partner", "search", [("customer_rank", ">", 0)], limit=1)[0]
    category = admin.call(
        "ir.model.data",
        "check_object_reference",
        "store_service_crm",
        "complaint_category_product_quality",
    )[1]

    def scorecard():
        r = manager.session.get(
            f"{manager.url}/report/html/store_service_crm.report_store_scorecard/{store}",
            timeout=300,
        )
        r.raise_for_status()
        return r

    steps = [
        ("dashboard (get_dashboard_data)", "replica",
         lambda: manager.call("store.service.kpi", "get_dashboard_data", *month)),
        ("KPIs, a year, all stores (compute_kpis)", "replica",
         lambda: manager.call("store.service.kpi", "compute_kpis", *year, group_by="team")),
        ("defect alarm (get_defect_alarms)", "replica",
         lambda: manager.call("store.service.kpi", "get_defect_alarms")),
        ("scorecard (/report/html)", "replica", scorecard),
        ("complaint analysis (web_read_group)", "replica",
         lambda: manager.call("store.complaint.report", "web_read_group", [], ["__count"],
                              ["team_id"])),
        ("register a complaint (create)", "primary",
         lambda: manager.call("store.complaint", "create", {
             "partner_id": partner, "team_id": store, "category_id": category,
             "description": "Replica check: a write goes to the primary"})),
    ]  # fmt: skip
    print(f"{'step':42} {'primary':>16} {'replica':>16}  expected")
    print(f"{'':42} {'stmts (ours)':>16} {'stmts (ours)':>16}")
    failed = False
    for name, expected, step in steps:
        # the cron server may run a job on the primary during a step: of three
        # runs, keep the one with the fewest statements on the primary
        runs = []
        for _run in range(1 if expected == "primary" else 3):
            reset(ports, args.db)
            step()
            runs.append(
                (statements(args.primary_port, args.db), statements(args.replica_port, args.db))
            )
        primary, replica = min(runs)
        where = "replica" if replica[1] > primary[1] else "primary"
        ok = where == expected and (expected == "primary" or primary[1] == 0)
        failed |= not ok
        print(
            f"{name:42} {primary[0]:>8} ({primary[1]:>4}) {replica[0]:>8} ({replica[1]:>4})"
            f"  {expected}{'' if ok else '  <-- NOT ON THE ' + expected.upper()}"
        )
    print(
        "stmts: every statement PostgreSQL ran in the database during the step "
        "(Odoo's registry check and its res_device_log insert, which Odoo writes on "
        "the primary for every request, included); ours: those on store_*, crm_team "
        "or sale_order tables. Reads: the best of three runs (the cron server may run "
        "a job on the primary meanwhile)."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
