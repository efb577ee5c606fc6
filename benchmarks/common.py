"""Shared helpers of the benchmark suite: timing, memory, query capture, the result table.

Nothing here imports Odoo at module level, so ``run.py --help`` works without it.
"""

import resource
import statistics
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field


def now():
    return time.perf_counter()


def vacuum_analyze(cr, *tables):
    """VACUUM ANALYZE the tables (sets the visibility map and the planner statistics,
    as autovacuum would). VACUUM cannot run in a transaction: autocommit on the raw
    connection, restored afterwards."""
    # a post-commit hook may have opened a new transaction on the connection
    cr.commit()
    cnx = cr._cnx
    # the caller committed; a statement run since (a post-commit hook) may have opened
    # a new transaction, in which autocommit cannot be switched on: end it first
    cnx.commit()
    with cnx.cursor() as raw:
        cnx.autocommit = True
        try:
            raw.execute(f"VACUUM ANALYZE {', '.join(tables)}")
        finally:
            cnx.autocommit = False


def median(values):
    return statistics.median(values) if values else None


def peak_rss_mib():
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def fmt_seconds(value):
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:,.0f} s"
    if value >= 1:
        return f"{value:.2f} s"
    return f"{value * 1000:.0f} ms"


def fmt_bytes(value):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024.0
    return str(value)


@dataclass
class Row:
    """One line of the result table.

    ``ratio`` is ours / reference for "at most" targets, reference / ours for
    "at least ... faster" targets: ``ok`` says whether the target is met
    (None: informative row, no target).
    """

    job: str
    ours: str
    reference: str = "-"
    ratio: str = "-"
    target: str = "-"
    ok: bool | None = None
    notes: list = field(default_factory=list)


def ratio_at_most(ours, reference, limit):
    """Row fields for a target "ours <= limit x reference"."""
    ratio = ours / reference if reference else float("inf")
    return f"{ratio:.2f}x", f"<= {limit:g}x", ratio <= limit


def ratio_faster(ours, reference, factor):
    """Row fields for a target "ours >= factor x faster than reference"."""
    speedup = reference / ours if ours else float("inf")
    return f"{speedup:,.0f}x faster", f">= {factor:g}x faster", speedup >= factor


def print_table(rows, out):
    headers = ("job", "ours", "reference", "ratio", "target", "met")
    lines = [
        (r.job, r.ours, r.reference, r.ratio, r.target, {True: "yes", False: "NO", None: ""}[r.ok])
        for r in rows
    ]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]

    def fmt(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out.write(fmt(headers) + "\n")
    out.write("|" + "|".join("-" * (w + 2) for w in widths) + "|\n")
    for line in lines:
        out.write(fmt(line) + "\n")
    notes = [(r.job, n) for r in rows for n in r.notes]
    for job, note in notes:
        out.write(f"  * {job}: {note}\n")


@contextmanager
def capture_queries():
    """Record (duration, cursor, query, params) of every query run by this thread.

    Uses the ``query_hooks`` that ``odoo.sql_db.Cursor.execute`` calls after
    each statement, so nothing is patched and timings are the cursor's own.
    """
    thread = threading.current_thread()
    records = []

    def hook(cr, query, params, start, delay):
        records.append((delay, cr, query, params))

    hooks = list(getattr(thread, "query_hooks", ()))
    thread.query_hooks = [*hooks, hook]
    try:
        yield records
    finally:
        thread.query_hooks = hooks


@contextmanager
def explain_every_statement(min_ms=0.0, analyze=True):
    """Run ``EXPLAIN (ANALYZE, BUFFERS)`` of each data statement before it runs.

    Each EXPLAIN runs in a savepoint that is rolled back, then the real
    statement runs as usual, so the code under test sees the normal results
    (profiling only: it doubles the work). Yields a list of
    (duration_ms, sql_text, plan_text) for the statements whose EXPLAIN took
    at least ``min_ms``. With ``analyze=False``: plain EXPLAIN (the plans and
    their estimates, nothing run twice); duration is then the estimated cost.
    """
    import re

    from odoo.sql_db import Cursor
    from odoo.tools import SQL

    original = Cursor.execute
    plans = []
    explainable = re.compile(
        r"\s*(SELECT|WITH|UPDATE|INSERT|DELETE|CREATE\s+(TEMP\w*\s+|UNLOGGED\s+)?TABLE\s.*\sAS\s)",
        re.IGNORECASE | re.DOTALL,
    )

    def execute(self, query, params=None, log_exceptions=True):
        code, args = (query.code, query.params) if isinstance(query, SQL) else (query, params)
        if re.match(explainable, code):
            raw = self._obj
            text = raw.mogrify(code, args or None).decode()
            raw.execute("SAVEPOINT bench_explain")
            try:
                start = now()
                raw.execute(("EXPLAIN (ANALYZE, BUFFERS) " if analyze else "EXPLAIN ") + text)
                plan = "\n".join(row[0] for row in raw.fetchall())
                elapsed = (now() - start) * 1000
                if not analyze:
                    found = re.search(r"cost=[0-9.]+\.\.([0-9.]+)", plan)
                    elapsed = float(found.group(1)) if found else 0.0
            finally:
                raw.execute("ROLLBACK TO SAVEPOINT bench_explain")
                raw.execute("RELEASE SAVEPOINT bench_explain")
            if elapsed >= min_ms:
                plans.append((elapsed, text, plan))
        return original(self, query, params, log_exceptions)

    Cursor.execute = execute
    try:
        yield plans
    finally:
        Cursor.execute = original
