#!/usr/bin/env python3
"""store_service_crm benchmark suite: one entry point.

Run with the project virtualenv's python, from anywhere:

    $VENV/bin/python benchmarks/run.py --scale small
    $VENV/bin/python benchmarks/run.py --scale default --keep --db ssc_bench_default
    $VENV/bin/python benchmarks/run.py --db ssc_bench_default --reuse --jobs loyalty --explain

It installs the addon WITHOUT demo data in a throw-away database (odoo-bin with
the configuration ``./dev.sh setup`` writes, ``.odoo/odoo.conf``), loads the
synthetic chain with set-based SQL, runs the jobs in this process and prints
one table (job | ours | reference | ratio | target | met), then drops the
database unless ``--keep``. The output is also written to
``benchmarks/out/<scale>-<timestamp>.txt``.

This is a benchmark, not a test: ``./dev.sh test`` never runs it.
"""

import argparse
import configparser
import io
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
ADDON = "store_service_crm"
CONF = PROJECT / ".odoo" / "odoo.conf"
ODOO_SRC = Path(os.environ.get("ODOO_SRC", Path.home() / "odoo-18.0"))

sys.path.insert(0, str(HERE))

import common

# job name -> module (imported lazily: they import odoo); issue 9's jobs plug in here
JOBS = {
    "loyalty": "bench_loyalty",
    "visits": "bench_visits",
    "kpi": "bench_kpi",
    "care": "bench_care",
}


class Tee(io.TextIOBase):
    def __init__(self, *streams):
        self.streams = streams

    def write(self, s):
        for stream in self.streams:
            stream.write(s)
            stream.flush()
        return len(s)


@dataclass
class Context:
    env: object
    scale: object
    args: argparse.Namespace
    out: Tee
    fresh: bool = False  # the data set was loaded by this run

    def log(self, message):
        self.out.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("small", "default", "chain"), default="default")
    parser.add_argument(
        "--db", help="database name (default: a throw-away ssc_bench_<scale>_<pid>)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the existing --db as it is (load the data set only when it has none)",
    )
    parser.add_argument(
        "--update", action="store_true", help="with --reuse: update the addon first"
    )
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument(
        "--pos",
        action="store_true",
        help="half of the orders from the Point of Sale: installs store_service_crm_pos "
        "(and pos_sale) too; the loyalty job then reads both order tables",
    )
    parser.add_argument(
        "--jobs",
        default=",".join(JOBS),
        help=f"comma-separated jobs to run (from: {', '.join(JOBS)})",
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measure (median)")
    parser.add_argument("--sample", type=int, default=200, help="customers in the ORM-loop sample")
    parser.add_argument(
        "--profile", action="store_true", help="list the heaviest statements of our recompute"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="also EXPLAIN (ANALYZE, BUFFERS) every statement of one recompute (slow)",
    )
    parser.add_argument("--explain-min-ms", type=float, default=20.0)
    parser.add_argument(
        "--explain-first",
        action="store_true",
        help="EXPLAIN (estimates only) the statements of the first recompute on fresh data",
    )
    parser.add_argument(
        "--addons-dir",
        help="benchmark the addon of another checkout: put this directory (the one holding "
        f"{ADDON}/) first in the addons path",
    )
    args = parser.parse_args(argv)
    unknown = set(args.jobs.split(",")) - set(JOBS)
    if unknown:
        parser.error(f"unknown jobs: {', '.join(sorted(unknown))}")
    if args.reuse and not args.db:
        parser.error("--reuse needs --db")
    return args


def psql(sql):
    return subprocess.run(
        ["psql", "-X", "-q", "-d", "postgres", "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def db_exists(name):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def ensure_conf(ctx_log):
    if CONF.exists():
        return
    ctx_log(f"no {CONF}: running ./dev.sh setup")
    subprocess.run([str(PROJECT / "dev.sh"), "setup"], check=True)


def addons_path_args(args):
    """``--addons-path`` putting ``--addons-dir`` first, or nothing."""
    if not args.addons_dir:
        return []
    parser = configparser.ConfigParser()
    parser.read(CONF)
    current = parser.get("options", "addons_path").split(",")
    first = str(Path(args.addons_dir).resolve())
    path = [first, *(p for p in current if Path(p).resolve() != Path(first))]
    return ["--addons-path", ",".join(path)]


def odoo_bin(args, logfile):
    cmd = [sys.executable, str(ODOO_SRC / "odoo-bin"), "-c", str(CONF), *args]
    cmd += ["--stop-after-init", "--logfile", str(logfile)]
    result = subprocess.run(cmd, check=False)
    if result.returncode:
        raise SystemExit(f"odoo-bin {' '.join(args)} failed: see {logfile}")


def drop_db(name, log):
    import odoo
    from odoo.modules.registry import Registry

    Registry.delete(name)
    odoo.sql_db.close_db(name)
    subprocess.run(["dropdb", "--if-exists", name], check=True)
    shutil.rmtree(PROJECT / ".odoo" / "data" / "filestore" / name, ignore_errors=True)
    log(f"dropped database {name}")


def machine():
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
            mem = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores, {mem} RAM, {platform.system()} {platform.release()}"


def load_average():
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv=None):
    args = parse_args(argv)
    # a kill (SIGTERM) unwinds like Ctrl-C: the throw-away database is dropped
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    (HERE / "out").mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    outfile = open(HERE / "out" / f"{args.scale}-{stamp}.txt", "w")  # noqa: SIM115
    out = Tee(sys.stdout, outfile)
    ctx = Context(None, None, args, out)
    log = ctx.log
    ensure_conf(log)

    from generate import SCALES, existing_counts, load

    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    scale = SCALES[args.scale]
    ctx.scale = scale
    name = args.db or f"ssc_bench_{scale.name}_{os.getpid()}"
    created = False
    timings = {}
    rows = []
    try:
        logfile = PROJECT / ".odoo" / "logs" / f"bench-{name}.log"
        logfile.parent.mkdir(parents=True, exist_ok=True)
        if db_exists(name):
            if not args.reuse:
                raise SystemExit(f"database {name} exists: pass --reuse, or another --db")
            if args.update:
                log(f"updating {ADDON} in {name}")
                odoo_bin(["-d", name, "-u", ADDON, *addons_path_args(args)], logfile)
        else:
            log(f"installing {ADDON} without demo data in {name} (log: {logfile})")
            created = True
            t0 = common.now()
            addons = f"{ADDON},{ADDON}_pos" if args.pos else ADDON
            odoo_bin(
                ["-d", name, "-i", addons, "--without-demo=all", *addons_path_args(args)], logfile
            )
            timings["install addon"] = common.now() - t0

        config.parse_config(
            ["-c", str(CONF), "--log-level=warn", "--logfile", str(logfile)]
            + addons_path_args(args)
        )
        registry = Registry(name)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            ctx.env = env
            have = existing_counts(cr)
            if have == (0, 0):
                log(f"loading {scale.customers:,} customers / {scale.orders:,} orders with SQL")
                t0 = common.now()
                timings.update(load(env, scale, log))
                timings["load total"] = common.now() - t0
                ctx.fresh = True
            elif have != (scale.customers, scale.orders):
                raise SystemExit(f"{name} holds {have[0]} customers / {have[1]} orders")
            else:
                log(f"reusing the data set in {name}")
            cr.execute("SELECT count(*) FROM res_partner")
            partner_rows = cr.fetchone()[0]
            load_start = load_average()
            for job in args.jobs.split(","):
                log(f"job {job}")
                module = __import__(JOBS[job])
                rows += module.run(ctx)
            cr.execute("SELECT pg_database_size(current_database())")
            db_size = cr.fetchone()[0]

        out.write(
            f"\n## store_service_crm benchmarks, scale {scale.name}: {scale.customers:,} customers"
            f" ({partner_rows:,} res_partner rows), {scale.orders:,} sale orders\n"
            f"{time.strftime('%Y-%m-%d %H:%M')} UTC, {machine()}, database {name}\n"
            f"load average (1/5/15 min): {load_start} when the jobs started, "
            f"{load_average()} at the end\n\n"
        )
        common.print_table(rows, out)
        steps = ", ".join(f"{k} {common.fmt_seconds(v)}" for k, v in timings.items())
        out.write(
            f"\npeak RSS of this Odoo process: {common.peak_rss_mib():.0f} MiB; "
            f"database size: {common.fmt_bytes(db_size)}\n"
            f"setup: {steps or 'reused'}\n"
        )
        missed = [r.job for r in rows if r.ok is False]
        out.write(f"targets missed: {', '.join(missed)}\n" if missed else "all targets met\n")
        return 1 if missed else 0
    finally:
        if created and not args.keep:
            drop_db(name, log)
        elif created:
            log(f"kept database {name}")
        outfile.close()


if __name__ == "__main__":
    sys.exit(main())
