#!/usr/bin/env python3
"""Crons killed with SIGKILL mid-run, then rerun; two processes running one cron at once.

    $VENV/bin/python benchmarks/faults.py                      # build the fixture, run, drop
    $VENV/bin/python benchmarks/faults.py --db ssc_faults_fx --keep   # keep the fixture
    $VENV/bin/python benchmarks/faults.py --db ssc_faults_fx --jobs escalation

For each cron (tier recompute, the nightly incremental tier run, return-visit
generation, SLA escalation, the KPI pre-aggregate's refresh) and
on identical copies (``createdb -T``) of one fixture database:

* clean: the cron runs to the end in a separate OS process;
* killed: the cron runs in a separate OS process, which gets SIGKILL as soon
  as the database shows its first committed batch; then it runs again, to the
  end, in a new process;
* twin: two processes run the cron at the same moment.

Then it compares each copy with the clean one: row counts, duplicates per
unique key, rows lost (the same count as the clean run), and an md5 checksum
of the columns the cron writes (ids of the rows it creates and timestamps
excluded). Exit code 1 when a copy differs or the kill did not land mid-run.

The fixture: the addon installed without demo data, the ``small`` synthetic
chain of ``generate.py`` (10 k customers, 50 k orders, 2 k complaints, 10 k
visits) and 1,000 breached complaints inserted with SQL. Each cron runs
with small batches so that it commits many of them (``--batch``). A cron
process runs the job the way Odoo's cron runner does (``ir.cron`` progress
record, commit, call again while the job reports remaining work), without
the runner's job lock: the addon's own locks are what is tested.

The nightly incremental tier run (``loyalty_nightly``) starts from a copy of the
fixture where the full recompute ran and a day of changes was committed (new and
cancelled orders, their customers queued); it runs the next day, its batches on
the cron's two worker connections (``store_service_crm.loyalty_workers``).
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
ADDON = "store_service_crm"
CONF = PROJECT / ".odoo" / "odoo.conf"
ODOO_SRC = Path(os.environ.get("ODOO_SRC", Path.home() / "odoo-18.0"))

sys.path.insert(0, str(HERE))

ESCALATION_COMPLAINTS = 1000

# job -> (cron xml id, callable name run in the cron process, default batch size)
JOBS = {
    "loyalty": "store_service_crm.ir_cron_loyalty_recompute",
    "loyalty_nightly": "store_service_crm.ir_cron_loyalty_recompute",
    "visits": "store_service_crm.ir_cron_generate_return_visits",
    "escalation": "store_service_crm.ir_cron_complaint_escalation",
    "kpi_aggregate": "store_service_crm.ir_cron_kpi_aggregate",
    # the same cron's orders part alone, killed while it builds the chain
    "kpi_orders": "store_service_crm.ir_cron_kpi_aggregate",
}
# kpi_aggregate: stores per committed batch of the build (then the marks of the load)
# kpi_orders: partner ids per committed batch of the orders' chain build
DEFAULT_BATCH = {
    "loyalty": 400,
    "loyalty_nightly": 20,
    "visits": 100,
    "escalation": 100,
    "kpi_aggregate": 2,
    "kpi_orders": 500,
}

# job -> SQL returning one number that grows as batches commit
PROGRESS_SQL = {
    "loyalty": "SELECT count(*) FROM store_loyalty_tier_history",
    # each committed batch removes its customers' queue rows
    "loyalty_nightly": "SELECT -count(*) FROM store_loyalty_pending",
    "visits": "SELECT count(*) FROM store_return_visit",
    "escalation": "SELECT count(*) FROM mail_activity WHERE res_model = 'store.complaint'",
    "kpi_aggregate": "SELECT count(*) FROM store_service_kpi_day",
    "kpi_orders": "SELECT count(*) FROM store_service_kpi_chain",
}

# the orders' KPI pre-aggregate: checked by both KPI jobs
ORDERS_CHECKS = [
    (
        "orders: chain (scope, order)",
        """SELECT count(*), 0, md5(string_agg(c::text, ',' ORDER BY c::text))
                 FROM store_service_kpi_chain c""",
    ),
    (
        "orders: day rows",
        """SELECT count(*), count(*) - count(DISTINCT (tz, company_id, team_id, day)),
                      md5(string_agg(d::text, ',' ORDER BY tz, company_id, team_id, day))
                 FROM store_service_kpi_order_day d""",
    ),
    (
        "orders: time zones built",
        """SELECT count(*), 0, md5(string_agg(key || signature, ',' ORDER BY key))
                 FROM store_service_kpi_order_state""",
    ),
    (
        "orders: marks left (0)",
        "SELECT count(*), 0, count(*)::text FROM store_service_kpi_order_dirty",
    ),
]


def _tier_history_check(name, unique_key):
    """The tier history rows: duplicates of ``unique_key``, checksum of what is written."""
    return (
        name,
        f"""SELECT count(*), count(*) - count(DISTINCT {unique_key}),
                   md5(string_agg(concat_ws('|', partner_id, old_tier_id, new_tier_id, reason,
                       spend, order_count, company_id), ','
                       ORDER BY partner_id, old_tier_id, new_tier_id, id))
              FROM store_loyalty_tier_history""",
    )


def _tier_notes_check(name, unique_key):
    """The tier change notes: duplicates of ``unique_key``, checksum of their bodies."""
    return (
        name,
        f"""SELECT count(*), count(*) - count(DISTINCT {unique_key}),
                   md5(string_agg(concat_ws('|', res_id, body), ',' ORDER BY res_id, id))
              FROM mail_message
             WHERE model = 'res.partner' AND message_type = 'notification'
               AND body LIKE '%Loyalty tier changed%'""",
    )


# job -> [(check name, SQL returning (rows, duplicates, checksum))]
CHECKS = {
    "kpi_orders": ORDERS_CHECKS,
    "loyalty": [
        (
            "res_partner figures",
            """SELECT count(*) FILTER (WHERE loyalty_tier_id IS NOT NULL), 0,
                      md5(string_agg(concat_ws('|', id, loyalty_spend, loyalty_order_count,
                          loyalty_last_order_date, loyalty_first_order_date, customer_value_class,
                          customer_lifecycle, loyalty_tier_id, loyalty_downgrade_since,
                          customer_rank), ',' ORDER BY id))
                 FROM res_partner""",
        ),
        _tier_history_check("tier history (1/partner)", "partner_id"),
        _tier_notes_check("tier change notes", "res_id"),
        (
            "Pareto cut-offs",
            """SELECT count(*), 0,
                      md5(string_agg(concat_ws('|', id, loyalty_class_a_min_spend,
                          loyalty_class_b_min_spend), ',' ORDER BY id))
                 FROM res_company""",
        ),
    ],
    "visits": [
        (
            "rule visits (rule, source, period)",
            """SELECT count(*), count(*) - count(DISTINCT (rule_id, source_id, period_key)),
                      md5(string_agg(concat_ws('|', rule_id, source_id, period_key, partner_id,
                          origin, sale_order_id, complaint_id, scheduled_date, user_id, team_id,
                          company_id, channel, state), ','
                          ORDER BY rule_id, source_id, period_key, id))
                 FROM store_return_visit WHERE rule_id IS NOT NULL""",
        ),
        (
            "visit to-dos (1/visit)",
            """SELECT count(*), count(*) - count(DISTINCT a.res_id),
                      md5(string_agg(concat_ws('|', v.rule_id, v.source_id, v.period_key,
                          a.activity_type_id, a.user_id, a.date_deadline, a.summary), ','
                          ORDER BY v.rule_id, v.source_id, v.period_key, a.id))
                 FROM mail_activity a JOIN store_return_visit v ON v.id = a.res_id
                WHERE a.res_model = 'store.return.visit'""",
        ),
    ],
    "escalation": [
        (
            "complaint levels",
            """SELECT count(*) FILTER (WHERE escalation_level > 0), 0,
                      md5(string_agg(concat_ws('|', id, state, escalation_level,
                          date_escalated IS NULL), ',' ORDER BY id))
                 FROM store_complaint""",
        ),
        (
            "escalation to-dos (1/level)",
            """SELECT count(*), count(*) - count(DISTINCT (res_id, summary)),
                      md5(string_agg(concat_ws('|', res_id, activity_type_id, user_id,
                          date_deadline, summary), ',' ORDER BY res_id, summary, id))
                 FROM mail_activity WHERE res_model = 'store.complaint'""",
        ),
        (
            "followers (1/partner)",
            """SELECT count(*), count(*) - count(DISTINCT (res_id, partner_id)),
                      md5(string_agg(concat_ws('|', res_id, partner_id), ','
                          ORDER BY res_id, partner_id))
                 FROM mail_followers WHERE res_model = 'store.complaint'""",
        ),
    ],
    "kpi_aggregate": [
        *ORDERS_CHECKS,
        (
            "pre-aggregate (store, day)",
            """SELECT count(*), count(*) - count(DISTINCT (tz, source, team_id, day, company_id)),
                      md5(string_agg(d::text, ',' ORDER BY tz, source, team_id, day, company_id))
                 FROM store_service_kpi_day d""",
        ),
        (
            "time zones built",
            """SELECT count(*), 0, md5(string_agg(tz || signature, ',' ORDER BY tz))
                 FROM store_service_kpi_day_state""",
        ),
        (
            "dirty marks left (0)",
            "SELECT count(*), 0, count(*)::text FROM store_service_kpi_dirty",
        ),
    ],
}


# a night after the full run: a customer's tier may change a second time, never the
# same change twice (the unique keys of the history rows and the notes)
CHECKS["loyalty_nightly"] = [
    CHECKS["loyalty"][0],
    _tier_history_check("tier history (1/change)", "(partner_id, old_tier_id, new_tier_id)"),
    _tier_notes_check("tier change notes (1/change)", "(res_id, body)"),
    CHECKS["loyalty"][3],
    (
        "last run (date, fingerprint)",
        """SELECT count(*), 0, md5(string_agg(value, ','))
             FROM ir_config_parameter WHERE key = 'store_service_crm.loyalty_last_run'""",
    ),
    ("queue left (0)", "SELECT count(*), 0, count(*)::text FROM store_loyalty_pending"),
]


def log(message):
    print(f"[faults {time.strftime('%H:%M:%S')}] {message}", flush=True)


def psql(sql, db="postgres"):
    return subprocess.run(
        ["psql", "-X", "-q", "-d", db, "-tAc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def db_exists(name):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def drop_db(name):
    subprocess.run(["dropdb", "--if-exists", name], check=True)


def connect(db):
    import psycopg2

    cnx = psycopg2.connect(dbname=db)
    cnx.autocommit = True
    return cnx


def query(db, sql):
    cnx = connect(db)
    try:
        with cnx.cursor() as cr:
            cr.execute(sql)
            return cr.fetchone()
    finally:
        cnx.close()


def child_cmd(*args):
    return [sys.executable, str(Path(__file__).resolve()), *args]


# ---------------------------------------------------------------------------
# child processes (they import Odoo; the parent never does)
# ---------------------------------------------------------------------------
def odoo_env(db):
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(["-c", str(CONF), "--log-level=warn"])
    registry = Registry(db)
    return odoo, registry


def child_prepare_nightly(db):
    """The night before: the full recompute (its date saved), then a day of changes."""
    odoo, registry = odoo_env(db)
    # after odoo_env: bench_loyalty imports the addon, on the addons path set there
    from bench_loyalty import _day_of_changes
    from generate import ORDER_DAYS

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["res.partner"]._recompute_loyalty_all()
        cr.commit()
        cr.execute("SELECT count(*) FROM sale_order WHERE state = 'sale'")
        new_orders = max(cr.fetchone()[0] // ORDER_DAYS, 1)
        queued, cancelled = _day_of_changes(env, new_orders, max(new_orders // 10, 1))
        cr.execute("ANALYZE sale_order")
        cr.commit()
    print(f"{new_orders} new orders, {len(cancelled)} cancelled, {queued} customers queued")


def _nightly(model, batch):
    """The nightly run the next day (01:00), as the cron runs it."""
    from datetime import datetime, time, timedelta

    from freezegun import freeze_time

    from odoo import fields

    tomorrow = fields.Date.context_today(model) + timedelta(days=1)
    with freeze_time(datetime.combine(tomorrow, time(1, 0)), tick=True):
        mode, count = model._recompute_loyalty_nightly(commit=True, batch_size=batch)
    print(f"nightly run: {mode}, {count} customers", flush=True)


def child_build(db):
    """Load the small chain and the complaints of the escalation into ``db``."""
    from generate import SCALES, existing_counts, load

    odoo, registry = odoo_env(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if existing_counts(cr) == (0, 0):
            load(env, SCALES["small"], lambda m: log(m))
        company = env.ref("base.main_company")
        admin = env.ref("base.user_admin")
        # someone to escalate to and to call customers back
        company.complaint_service_manager_id = admin
        cr.execute("UPDATE crm_team SET user_id = %s WHERE user_id IS NULL", [admin.id])
        category = env.ref("store_service_crm.complaint_category_product_quality")
        cr.execute(
            """
            INSERT INTO store_complaint (
                name, active, company_id, partner_id, commercial_partner_id, team_id, channel,
                category_id, severity, priority, description, state, date_received,
                response_deadline, resolution_deadline, escalation_level, date_escalated,
                reopen_count, compensation_amount, promise_status, is_vip, is_repeat,
                dispatch_state, compensation_approval_state, counts_as_complaint,
                create_uid, create_date, write_uid, write_date)
            SELECT 'FAULT/' || g, true, %(company)s, p.id, p.commercial_partner_id,
                   (SELECT min(id) FROM crm_team), 'store', %(category)s, 'medium', '0',
                   'Breached complaint ' || g,
                   (ARRAY['new', 'assigned', 'in_progress'])[1 + g %% 3],
                   now() at time zone 'UTC' - interval '5 days' - g * interval '1 minute',
                   now() at time zone 'UTC' - interval '4 days' - g * interval '1 minute',
                   now() at time zone 'UTC' - interval '2 days' - g * interval '1 minute',
                   CASE WHEN g %% 3 = 0 THEN 1 ELSE 0 END,
                   CASE WHEN g %% 3 = 0 THEN now() at time zone 'UTC' - interval '3 days' END,
                   0, 0, 'none', false, false, 'none', 'none', true,
                   1, now() at time zone 'UTC', 1,
                   now() at time zone 'UTC'
              FROM generate_series(1, %(count)s) g
              JOIN LATERAL (SELECT id, commercial_partner_id FROM res_partner
                             WHERE ref = 'BENCH-' || g) p ON true
            """,
            {"company": company.id, "category": category.id, "count": ESCALATION_COMPLAINTS},
        )
        log(f"  {cr.rowcount} breached complaints inserted")
        cr.commit()


def child_run(db, job, batch):
    """Run the cron ``job`` to the end, the way the cron runner calls it."""
    odoo, registry = odoo_env(db)
    calls = done = 0
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cron = env.ref(JOBS[job])
        while True:
            cron_p, progress = cron._add_progress()
            cr.commit()
            model = env[cron.model_id.model].with_context(cron_p.env.context, cron_id=cron.id)
            if job == "loyalty":
                model._recompute_loyalty_all(batch_size=batch, commit=True)
            elif job == "loyalty_nightly":
                _nightly(model, batch)
            elif job == "visits":
                model._cron_generate_visits(batch_size=batch)
            elif job == "kpi_aggregate":
                model._refresh(commit=True, batch_stores=batch, batch_marks=batch * 50)
            elif job == "kpi_orders":
                model._refresh_orders(commit=True, build_batch=batch)
            else:
                model._cron_escalate(batch_size=batch)
            env.flush_all()
            cr.commit()
            calls += 1
            done += progress.done
            if not progress.done or not progress.remaining:
                break
    print(f"pid {os.getpid()}: {calls} calls, {done} rows done", flush=True)


# ---------------------------------------------------------------------------
# the parent
# ---------------------------------------------------------------------------
def build_fixture(name, rebuild):
    if db_exists(name):
        if not rebuild:
            log(f"reusing the fixture {name}")
            return
        drop_db(name)
    logfile = PROJECT / ".odoo" / "logs" / f"faults-{name}.log"
    logfile.parent.mkdir(parents=True, exist_ok=True)
    log(f"installing {ADDON} without demo data in {name} (log: {logfile})")
    subprocess.run(
        [
            sys.executable,
            str(ODOO_SRC / "odoo-bin"),
            "-c",
            str(CONF),
            "-d",
            name,
            "-i",
            ADDON,
            "--without-demo=all",
            "--stop-after-init",
            "--logfile",
            str(logfile),
        ],
        check=True,
    )
    log("loading the small chain (10 k customers, 50 k orders) and breached complaints")
    subprocess.run(child_cmd("--child", "build", "--db", name), check=True)


def copy_db(template, name):
    drop_db(name)
    subprocess.run(["createdb", "-T", template, name], check=True)


def spawn(db, job, batch):
    return subprocess.Popen(
        child_cmd("--child", job, "--db", db, "--batch", str(batch)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(proc):
    out, _ = proc.communicate()
    lines = [line for line in out.splitlines() if line.strip()]
    return proc.returncode, lines


def kill_after_first_batch(db, job, batch, timeout=600):
    """Start the cron, SIGKILL it once a batch is committed; return (rows written at the
    kill, rows committed after the kill, rows of the fixture, exit code, finished first)."""
    baseline = query(db, PROGRESS_SQL[job])[0]  # rows of the fixture itself
    proc = spawn(db, job, batch)
    cnx = connect(db)
    seen = 0
    deadline = time.time() + timeout
    try:
        with cnx.cursor() as cr:
            while time.time() < deadline:
                cr.execute(PROGRESS_SQL[job])
                seen = cr.fetchone()[0] - baseline
                if seen > 0 or proc.poll() is not None:
                    break
                time.sleep(0.005)
    finally:
        cnx.close()
    finished_before = proc.poll() is not None
    if not finished_before:
        os.kill(proc.pid, signal.SIGKILL)
    code, _lines = finish(proc)
    # PostgreSQL rolls back the killed backend's open transaction
    time.sleep(0.5)
    after = query(db, PROGRESS_SQL[job])[0] - baseline
    return seen, after, baseline, code, finished_before


def snapshot(db, job):
    return [(name, query(db, sql)) for name, sql in CHECKS[job]]


def compare(job, clean, other, label, table):
    """Add the lines of ``other`` against ``clean`` to ``table``; return True when equal."""
    ok = True
    for (name, (rows, dups, checksum)), (_, (c_rows, _c_dups, c_checksum)) in zip(
        other, clean, strict=True
    ):
        lost = max(c_rows - rows, 0)
        extra = max(rows - c_rows, 0)
        same = checksum == c_checksum
        good = same and not dups and not lost and not extra
        ok = ok and good
        table.append(
            f"| {job:<10} | {label:<21} | {name:<36} | {rows:>6} | {dups:>4} | {lost:>4} "
            f"| {extra:>5} | {(checksum or '-')[:10]:<10} | {'yes' if same else 'NO':<4} "
            f"| {'ok' if good else 'FAIL':<4} |"
        )
    return ok


def run_job(fixture, job, batch, keep, table):
    base = f"{fixture}_{job}"
    dbs = {run: f"{base}_{run}" for run in ("clean", "killed", "twin")}
    template = fixture
    if job == "loyalty_nightly":
        template = f"{base}_template"
        copy_db(fixture, template)
        code, lines = finish(
            subprocess.Popen(
                child_cmd("--child", "prepare_nightly", "--db", template),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
        log(f"{job}: the night before, exit {code}: {' / '.join(lines[-3:])}")
        if code:
            return False
    for db in dbs.values():
        copy_db(template, db)
    if template != fixture and not keep:
        drop_db(template)
    results = []
    try:
        start = time.time()
        code, lines = finish(spawn(dbs["clean"], job, batch))
        clean = snapshot(dbs["clean"], job)
        log(f"{job}: clean run exit {code} in {time.time() - start:.1f} s: {' / '.join(lines)}")
        results.append(code == 0)

        seen, after, baseline, code, finished_before = kill_after_first_batch(
            dbs["killed"], job, batch
        )
        total = query(dbs["clean"], PROGRESS_SQL[job])[0] - baseline
        mid_run = not finished_before and 0 < after < total
        log(
            f"{job}: SIGKILL when {seen} rows were committed (exit {code}); "
            f"{after} of the clean run's {total} rows committed at the kill: "
            f"{'mid-run' if mid_run else 'NOT mid-run'}"
        )
        results.append(mid_run)
        code, lines = finish(spawn(dbs["killed"], job, batch))
        log(f"{job}: rerun after the kill exit {code}: {' / '.join(lines)}")
        results.append(code == 0)
        killed = snapshot(dbs["killed"], job)

        procs = [spawn(dbs["twin"], job, batch) for _ in range(2)]
        outcomes = [finish(p) for p in procs]
        for i, (code, lines) in enumerate(outcomes, 1):
            log(f"{job}: twin process {i} exit {code}: {' / '.join(lines[-3:])}")
            results.append(code == 0)
        twin = snapshot(dbs["twin"], job)

        results.append(compare(job, clean, clean, "clean run", table))
        results.append(compare(job, clean, killed, "killed + rerun", table))
        results.append(compare(job, clean, twin, "two processes at once", table))
    finally:
        if not keep:
            for db in dbs.values():
                drop_db(db)
    return all(results)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        default="ssc_faults_fixture",
        help="the fixture database (built when missing, reused otherwise); its copies are "
        "named <db>_<job>_<run>",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the fixture")
    parser.add_argument(
        "--keep", action="store_true", help="keep the fixture and the copies at the end"
    )
    parser.add_argument("--jobs", default=",".join(JOBS), help=f"from: {', '.join(JOBS)}")
    parser.add_argument("--batch", type=int, help="batch size (default: per job)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "build":
        child_build(args.db)
        return 0
    if args.child == "prepare_nightly":
        child_prepare_nightly(args.db)
        return 0
    if args.child:
        child_run(args.db, args.child, args.batch)
        return 0
    jobs = args.jobs.split(",")
    unknown = set(jobs) - set(JOBS)
    if unknown:
        parser.error(f"unknown jobs: {', '.join(sorted(unknown))}")
    if not CONF.exists():
        subprocess.run([str(PROJECT / "dev.sh"), "setup"], check=True)
    started = time.time()
    built = args.rebuild or not db_exists(args.db)
    build_fixture(args.db, args.rebuild)
    ok = True
    header = (
        "| job        | run                   | check                                |   rows "
        "| dups | lost | extra | checksum   | same | ok   |"
    )
    table = []
    try:
        for job in jobs:
            ok = run_job(args.db, job, args.batch or DEFAULT_BATCH[job], args.keep, table) and ok
    finally:
        if built and not args.keep:
            drop_db(args.db)
    print(
        "\nrows: what the cron wrote (partners with a tier, history rows, notes, visits, "
        "to-dos, escalated complaints, followers); dups: rows minus distinct unique keys; "
        "lost / extra: against the clean run; checksum: md5 of the written columns; "
        "same: checksum equal to the clean run's.\n",
        flush=True,
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    print("\n".join(table), flush=True)
    log(f"done in {time.time() - started:.0f} s: {'ALL EQUAL' if ok else 'DIFFERENCES FOUND'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
