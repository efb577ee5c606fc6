"""Load run: store clerks and managers against a prefork Odoo, then consistency checks.

    ./dev.sh replica                      # primary + replica + prefork Odoo + cron server
    benchmarks/load/run_load.py --db ssc_c6 --url http://127.0.0.1:8176 \
        --primary-port 5434 --replica-port 5433 --minutes 3 [--faults]

Creates (once) 50 store clerks and 5 managers as real non-admin users (JSON-RPC
as admin), spreads the clerks over the stores, runs Locust headless
(benchmarks/load/locustfile.py, from the virtualenv benchmarks/load/.venv that
``benchmarks/load/requirements.txt`` describes), samples the replica's replay
lag on the primary every 2 s, and afterwards prints requests/s, p50/p95 per
action, errors (server errors apart from refusals), the serialization retries
Odoo logged (the server log from the run's start) and the lag; then checks
the data: no server error, complaint references unique, one visit per rule,
source and period, and every customer's loyalty figures (spend, order count)
equal to a recompute from their orders (once the cron server has emptied the
loyalty queue). ``--faults``: a third into the run, restart the primary
PostgreSQL cluster; at two thirds, SIGKILL an HTTP worker; the clients get
errors during the outage only and the checks must still pass. Exit status 1
when a check fails.
"""

import argparse
import csv
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
OUT = PROJECT / "benchmarks" / "out"
RETRY_LINE = re.compile(
    r"(SERIALIZATION_FAILURE|DEADLOCK_DETECTED|LOCK_NOT_AVAILABLE), "
    r"(\d+ tries left|maximum number of tries reached)"
)
CLERK_GROUPS = ("store_service_crm.group_store_service_user", "sales_team.group_sale_salesman")
MANAGER_GROUPS = (
    "store_service_crm.group_store_service_manager",
    "sales_team.group_sale_salesman_all_leads",
)


def psql(port, db, sql, check=True):
    r = subprocess.run(
        ["psql", "-X", "-q", "-tA", "-p", str(port), "-d", db, "-c", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    if check and r.returncode:
        raise RuntimeError(r.stderr)
    return r.stdout.strip()


class Admin:
    def __init__(self, url, db, password):
        self.url, self.s = url.rstrip("/"), requests.Session()
        self.rpc("/web/session/authenticate", {"db": db, "login": "admin", "password": password})

    def rpc(self, route, params):
        body = self.s.post(
            self.url + route,
            json={"jsonrpc": "2.0", "method": "call", "params": params, "id": 1},
            timeout=600,
        ).json()
        if "error" in body:
            raise RuntimeError(f"{route}: {body['error']['data']['message']}")
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def ref(self, xmlid):
        return self.call("ir.model.data", "check_object_reference", *xmlid.split("."))[1]


def ensure_users(admin, prefix, count, groups, stores=None):
    """``count`` users ``<prefix>NN`` (password = login) in ``groups``; clerks are
    members of one store each, round robin."""
    group_ids = [admin.ref(g) for g in groups]
    logins = [f"{prefix}{i:02d}" for i in range(1, count + 1)]
    existing = {
        u["login"]: u["id"]
        for u in admin.call("res.users", "search_read", [("login", "in", logins)], ["login"])
    }
    missing = [login for login in logins if login not in existing]
    if missing:
        ids = admin.call(
            "res.users",
            "create",
            [
                {
                    "name": f"Load {login}",
                    "login": login,
                    "password": login,
                    "groups_id": [(4, g) for g in group_ids],
                }
                for login in missing
            ],
        )
        existing.update(zip(missing, ids, strict=True))
    users = []
    for i, login in enumerate(logins):
        user = {"login": login, "id": existing[login]}
        if stores:
            store = stores[i % len(stores)]
            # the clerks of a store share its planned visits by id modulo their number
            user.update(
                store=store,
                slot=i // len(stores),
                slots=len(range(i % len(stores), count, len(stores))),
            )
        users.append(user)
    if stores:
        for store in stores:
            members = [u["id"] for u in users if u["store"] == store]
            admin.call("crm.team", "write", [store], {"member_ids": [(4, m) for m in members]})
    return users


def open_sessions(url, db, users, previous):
    """A session per user (password = login), reused from the last run while valid."""
    old = {u["login"]: u.get("session_id") for u in previous}
    for user in users:
        s = requests.Session()
        sid = old.get(user["login"])
        if sid:
            s.cookies.set("session_id", sid)
            info = s.post(
                f"{url}/web/session/get_session_info",
                json={"jsonrpc": "2.0", "method": "call", "params": {}, "id": 1},
                timeout=120,
            ).json()
            if info.get("result", {}).get("uid") == user["id"]:
                user["session_id"] = sid
                continue
        body = s.post(
            f"{url}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"db": db, "login": user["login"], "password": user["login"]},
                "id": 1,
            },
            timeout=120,
        ).json()
        if "error" in body:
            raise RuntimeError(f"{user['login']} cannot log in: {body['error']['data']['message']}")
        user["session_id"] = s.cookies["session_id"]


def setup(args):
    admin = Admin(args.url, args.db, args.admin_password)
    stores = admin.call("crm.team", "search", [("is_store", "=", True)], order="id")
    data = {
        "db": args.db,
        "stores": stores,
        "clerks": ensure_users(admin, "ssc_load_clerk_", args.clerks, CLERK_GROUPS, stores),
        "managers": ensure_users(admin, "ssc_load_manager_", args.managers, MANAGER_GROUPS),
        "customers": admin.call(
            "res.partner", "search", [("customer_rank", ">", 0), ("is_company", "=", False)],
            limit=60, order="id",
        ),
        "products": admin.call(
            "product.product", "search", [("sale_ok", "=", True), ("type", "=", "consu")],
            limit=8, order="id",
        ),
        "category": admin.ref("store_service_crm.complaint_category_product_quality"),
    }  # fmt: skip
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"load-users-{args.db}.json"
    previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for kind in ("clerks", "managers"):
        open_sessions(args.url, args.db, data[kind], previous.get(kind, []))
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, data


class LagSampler(threading.Thread):
    def __init__(self, port, db):
        super().__init__(daemon=True)
        self.port, self.db, self.samples, self.stop = port, db, [], threading.Event()

    def run(self):
        while not self.stop.wait(2):
            out = psql(
                self.port,
                self.db,
                "SELECT extract(epoch FROM coalesce(max(replay_lag), '0'))"
                " FROM pg_stat_replication",
                check=False,
            )
            try:
                self.samples.append(float(out))
            except ValueError:
                continue  # the primary is restarting


def http_workers(pid_file):
    master = Path(pid_file).read_text(encoding="utf-8").strip()
    children = subprocess.run(
        ["pgrep", "-P", master], capture_output=True, text=True, check=False
    ).stdout.split()
    workers = []
    for pid in children:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        if b" gevent" not in cmdline:
            workers.append(int(pid))
    return workers


def faults(args, events, duration):
    """Restart the primary a third into the run, kill an HTTP worker at two thirds."""
    time.sleep(duration / 3)
    t0 = time.time()
    events.append(("outage", t0))
    r = subprocess.run(
        ["pg_ctlcluster", *args.primary_cluster.split(), "restart"],
        capture_output=True,
        text=True,
        check=False,
    )
    events.append(
        f"primary PostgreSQL {args.primary_cluster} restarted at +{duration / 3:.0f} s "
        f"in {time.time() - t0:.1f} s (rc {r.returncode})"
    )
    time.sleep(duration / 3)
    workers = http_workers(args.http_pid_file)
    if workers:
        events.append(("outage", time.time()))
        os.kill(workers[0], signal.SIGKILL)
        events.append(f"HTTP worker {workers[0]} SIGKILLed at +{2 * duration / 3:.0f} s")


def run_locust(args, users_file, prefix):
    env = dict(
        os.environ,
        SSC_LOAD_USERS=str(users_file),
        SSC_LOAD_CLERKS=str(args.clerks),
        SSC_LOAD_MANAGERS=str(args.managers),
        SSC_LOAD_THINK=args.think,
    )
    cmd = [
        str(HERE / ".venv" / "bin" / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
        "-u", str(args.clerks + args.managers), "-r", "10", "-t", f"{int(args.minutes * 60)}s",
        "--host", args.url, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        "--stop-timeout", "30", "--csv-full-history",
    ]  # fmt: skip
    return subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)


def read_stats(prefix):
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(f"{prefix}_failures.csv", encoding="utf-8") as f:
        failures = list(csv.DictReader(f))
    return rows, failures


def wait_queue_empty(args, timeout=300):
    start = time.time()
    while time.time() - start < timeout:
        left = int(psql(args.primary_port, args.db, "SELECT count(*) FROM store_loyalty_pending"))
        if not left:
            return time.time() - start
        time.sleep(3)
    return None


LOYALTY_CHECK = """
import json
Partner = env["res.partner"].sudo()
ids = %r
fields_ = ["loyalty_spend", "loyalty_order_count", "loyalty_tier_id"]
partners = Partner.browse(ids).commercial_partner_id
before = {p.id: [p[f].id if f.endswith("_id") else p[f] for f in fields_] for p in partners}
Partner._recompute_loyalty(partners.ids)
env.invalidate_all()
after = {p.id: [p[f].id if f.endswith("_id") else p[f] for f in fields_] for p in partners}
bad = {pid: [before[pid], after[pid]] for pid in before
       if [round(v, 2) if isinstance(v, float) else v for v in before[pid]]
       != [round(v, 2) if isinstance(v, float) else v for v in after[pid]]}
env.cr.rollback()
print("LOYALTY_CHECK " + json.dumps({"partners": len(before), "different": bad}))
"""


def loyalty_check(args, customers):
    """Stored loyalty figures == a recompute from the orders (the model's own
    computation, rolled back), in an Odoo shell."""
    r = subprocess.run(
        [
            sys.executable,
            str(Path(args.odoo_src) / "odoo-bin"),
            "shell",
            "-c",
            args.odoo_conf,
            "-d",
            args.db,
            "--no-http",
            "--log-level=warn",
        ],
        input=LOYALTY_CHECK % (customers,),
        capture_output=True,
        text=True,
        check=False,
    )
    for line in r.stdout.splitlines():
        if line.startswith("LOYALTY_CHECK "):
            return json.loads(line.split(" ", 1)[1])
    raise RuntimeError(f"loyalty check failed: {r.stderr[-2000:]}")


OUTAGE_WINDOW = 60  # seconds after a fault in which failed requests are the outage's


def failures_outside_outages(prefix, outages):
    """Failed requests (Locust's history, every few seconds) outside the minute
    after each fault."""
    outside, last = 0, 0
    with open(f"{prefix}_stats_history.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["Name"] != "Aggregated":
                continue
            count = int(row["Total Failure Count"])
            ts = int(row["Timestamp"])
            # Locust's timestamps are whole seconds: a failure in the fault's own second
            # carries the second before the fault's (fractional) start
            if not any(int(t) <= ts <= t + OUTAGE_WINDOW for t in outages):
                outside += count - last
            last = count
    return outside


def checks(args, data, failures, prefix, outages):
    db, port = args.db, args.primary_port
    results = []
    server_errors = sum(int(f["Occurrences"]) for f in failures if "refused" not in f["Error"])
    if outages:
        outside = failures_outside_outages(prefix, outages)
        results.append(
            (
                f"failures only in the {OUTAGE_WINDOW} s after each fault",
                outside == 0,
                f"{server_errors} server errors in all, {outside} failed requests outside",
            )
        )
    else:
        results.append(("no server error", server_errors == 0, f"{server_errors} server errors"))
    dup_refs = psql(
        port,
        db,
        "SELECT count(*) FROM (SELECT name FROM store_complaint GROUP BY company_id, name"
        " HAVING count(*) > 1) d",
    )
    results.append(("complaint references unique", dup_refs == "0", f"{dup_refs} duplicated"))
    dup_visits = psql(
        port,
        db,
        "SELECT count(*) FROM (SELECT 1 FROM store_return_visit WHERE rule_id IS NOT NULL"
        " GROUP BY rule_id, source_id, period_key HAVING count(*) > 1) d",
    )
    results.append(
        ("one visit per rule, source and period", dup_visits == "0", f"{dup_visits} duplicated")
    )
    waited = wait_queue_empty(args)
    results.append(
        (
            "loyalty queue emptied by the cron server",
            waited is not None,
            f"in {waited:.0f} s" if waited is not None else "still not empty after 300 s",
        )
    )
    loyalty = loyalty_check(args, data["customers"])
    results.append(
        (
            "customers' spend and order count equal their orders",
            not loyalty["different"],
            f"{loyalty['partners']} customers, {len(loyalty['different'])} different"
            + (f": {list(loyalty['different'].items())[:3]}" if loyalty["different"] else ""),
        )
    )
    return results


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] if values else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--url", default="http://127.0.0.1:8176")
    ap.add_argument("--primary-port", type=int, default=5432)
    ap.add_argument("--replica-port", type=int, default=0, help="0: no replica")
    ap.add_argument("--minutes", type=float, default=3)
    ap.add_argument("--clerks", type=int, default=50)
    ap.add_argument("--managers", type=int, default=5)
    ap.add_argument("--admin-password", default="admin")
    ap.add_argument("--server-log", default=str(PROJECT / ".odoo/logs/replica-http.log"))
    ap.add_argument("--odoo-conf", default=str(PROJECT / ".odoo/replica/odoo.conf"))
    ap.add_argument(
        "--odoo-src", default=os.environ.get("ODOO_SRC", str(Path.home() / "odoo-18.0"))
    )
    ap.add_argument("--faults", action="store_true", help="restart the primary, kill a worker")
    ap.add_argument("--primary-cluster", default="15 main", help="'<version> <name>' for --faults")
    ap.add_argument("--http-pid-file", default=str(PROJECT / ".odoo/replica/http.pid"))
    ap.add_argument("--label", default="")
    ap.add_argument("--think", default="5,15", help="seconds between a clerk's actions (min,max)")
    args = ap.parse_args()

    users_file, data = setup(args)
    log = Path(args.server_log)
    log_start = log.stat().st_size if log.exists() else 0
    lag = LagSampler(args.primary_port, args.db)
    lag.start()
    events = []
    duration = args.minutes * 60
    if args.faults:
        threading.Thread(target=faults, args=(args, events, duration), daemon=True).start()
    load_before = os.getloadavg()
    prefix = OUT / f"load-{args.db}{'-' + args.label if args.label else ''}"
    started = time.time()
    proc = run_locust(args, users_file, prefix)
    elapsed = time.time() - started
    lag.stop.set()
    load_after = os.getloadavg()
    if proc.returncode not in (0, 1):  # 1: some requests failed
        print(proc.stdout[-3000:], proc.stderr[-3000:])
        return 2
    rows, failures = read_stats(prefix)
    with open(log, encoding="utf-8", errors="replace") as f:
        f.seek(log_start)
        retries = sum(1 for line in f if RETRY_LINE.search(line))

    total = next(r for r in rows if r["Name"] == "Aggregated")
    requests_ = int(total["Request Count"])
    print(
        f"\n== load run {args.label}: {args.clerks} clerks + {args.managers} managers, "
        f"think time {args.think} s (managers twice that), "
        f"{elapsed / 60:.1f} min against {args.url} "
        f"({'replica :' + str(args.replica_port) if args.replica_port else 'no replica'})"
    )
    print(
        f"machine load (1/5/15 min) before {load_before[0]:.1f}/{load_before[1]:.1f}/"
        f"{load_before[2]:.1f}, after {load_after[0]:.1f}/{load_after[1]:.1f}/"
        f"{load_after[2]:.1f} on {os.cpu_count()} CPUs (shared with other engineers)"
    )
    print(f"{'action':32} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'failed':>7}")
    for r in sorted(rows, key=lambda r: r["Name"]):
        if r["Name"] == "Aggregated" or not r["Request Count"]:
            continue
        print(
            f"{r['Name']:32} {int(r['Request Count']):>9} {float(r['Requests/s']):>7.2f} "
            f"{r['50%']:>7} {r['95%']:>7} {int(r['Failure Count']):>7}"
        )
    print(
        f"{'all':32} {requests_:>9} {float(total['Requests/s']):>7.2f} {total['50%']:>7} "
        f"{total['95%']:>7} {int(total['Failure Count']):>7}"
    )
    for f in failures:
        print(f"  failure x{f['Occurrences']}: {f['Name']}: {f['Error'][:160]}")
    print(
        f"serialization retries in the server log: {retries} "
        f"({1000 * retries / max(requests_, 1):.2f} per 1,000 requests)"
    )
    if lag.samples:
        print(
            f"replication replay lag: median {statistics.median(lag.samples) * 1000:.0f} ms, "
            f"p95 {pct(lag.samples, 95) * 1000:.0f} ms, max {max(lag.samples) * 1000:.0f} ms "
            f"({len(lag.samples)} samples)"
        )
    for e in events:
        if isinstance(e, str):
            print(f"fault: {e}")
    outages = [t for e in events if isinstance(e, tuple) for t in e[1:]]
    clerk_p95 = {
        r["Name"]: float(r["95%"]) for r in rows if r["Name"].startswith("clerk:") and r["95%"]
    }
    results = checks(args, data, failures, prefix, outages)
    results.append(
        (
            "clerk actions p95 <= 500 ms",
            all(v <= 500 for v in clerk_p95.values()),
            ", ".join(f"{k[7:]} {v:.0f}" for k, v in clerk_p95.items()),
        )
    )
    results.append(
        ("< 1 retry per 1,000 requests", retries * 1000 < requests_, f"{retries} retries")
    )
    failed = False
    for name, ok, detail in results:
        print(f"  [{'ok' if ok else 'FAIL'}] {name}: {detail}")
        failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
