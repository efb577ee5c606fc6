"""Care programmes: a quarterly check of every customer, a greeting, and the no-op rerun.

Rows produced (same run, same data):

* the quarterly check (``care_check`` rule, every 90 days, planned 89 days ahead:
  every customer of the data set gets its call of this quarter, on a day of its
  own) through the cron's path (``_generate(commit=True)``: committed batches of
  20 000, a to-do per visit): target <= 60 s per 100 k customers;
* its rerun alone, which must create nothing (logged at once: at chain scale the
  figures come step by step); while the first run goes on, a second connection
  counts the visits already committed (they rise batch by batch);
* a greeting of every customer on one date, generated after it: about 1/90 of the
  customers have their check that day, and those two calls merge into one;
* the second run of both rules, which must create nothing: target <= 5 % of the
  first.

The customers are the data set's commercial partners; the job marks those without
a lifecycle "active" first (untimed), as the loyalty job would for buyers. With
``--reuse`` the previous run's rules and visits are removed first.
"""

import itertools
import threading
from datetime import timedelta

from common import Row, now, peak_rss_mib, ratio_at_most, vacuum_analyze
from common import fmt_seconds as fs

from odoo import fields
from odoo.sql_db import db_connect
from odoo.tools import SQL

TARGET_SECONDS_PER_100K = 60.0
TARGET_NOOP_RATIO = 0.05
RULE_PREFIX = "BENCH care"


def _cleanup(env):
    cr = env.cr
    cr.execute(
        SQL(
            """
            WITH gone AS (
                DELETE FROM store_return_visit v USING store_return_visit_rule r
                 WHERE r.id = v.rule_id AND r.name->>'en_US' LIKE %(prefix)s
             RETURNING v.id)
            DELETE FROM mail_activity a USING gone
             WHERE a.res_model = 'store.return.visit' AND a.res_id = gone.id
            """,
            prefix=f"{RULE_PREFIX}%",
        )
    )
    cr.execute(
        SQL("DELETE FROM store_return_visit_rule WHERE name->>'en_US' LIKE %s", f"{RULE_PREFIX}%")
    )
    env.invalidate_all()


def _prepare_customers(cr):
    cr.execute(
        """UPDATE res_partner SET customer_lifecycle = 'active'
            WHERE ref LIKE 'BENCH-%' AND id = commercial_partner_id
              AND customer_lifecycle IS NULL"""
    )
    cr.execute(
        """SELECT count(*) FROM res_partner
            WHERE active AND id = commercial_partner_id
              AND customer_lifecycle IN ('new', 'active', 'at_risk')"""
    )
    return cr.fetchone()[0]


def _count(cr, rule_ids):
    cr.execute(
        SQL(
            """SELECT count(*), count(*) FILTER (WHERE state = 'planned'),
                      count(*) FILTER (WHERE merged_into_id IS NOT NULL),
                      count(DISTINCT partner_id), count(DISTINCT scheduled_date),
                      (SELECT count(*) FROM mail_activity a
                         JOIN store_return_visit v2 ON a.res_model = 'store.return.visit'
                                                   AND a.res_id = v2.id
                        WHERE v2.rule_id = ANY(%(rules)s))
                 FROM store_return_visit WHERE rule_id = ANY(%(rules)s)""",
            rules=rule_ids,
        )
    )
    return cr.fetchone()


class CommitWatcher(threading.Thread):
    """Counts, from a connection of its own, the visits of ``rule_ids`` committed so
    far, every ``period`` seconds while a run goes on: rows appear during the run
    only if its batches commit."""

    def __init__(self, dbname, rule_ids, period=10.0):
        super().__init__(daemon=True)
        self.dbname = dbname
        self.rule_ids = list(rule_ids)
        self.period = period
        self.samples = []  # (seconds since the start, committed visits)
        self._done = threading.Event()

    def run(self):
        start = now()
        with db_connect(self.dbname).cursor() as cr:
            while not self._done.wait(self.period):
                cr.execute(
                    "SELECT count(*) FROM store_return_visit WHERE rule_id = ANY(%s)",
                    [self.rule_ids],
                )
                self.samples.append((now() - start, cr.fetchone()[0]))
                cr.rollback()  # the next count in a new snapshot

    def stop(self):
        self._done.set()
        self.join()

    def summary(self):
        seen = [count for _seconds, count in self.samples]
        rising = sum(1 for a, b in itertools.pairwise(seen) if b > a)
        shown = ", ".join(f"{count:,} at {seconds:.0f} s" for seconds, count in self.samples[:12])
        more = " ..." if len(self.samples) > 12 else ""
        return (
            f"committed visits seen from another connection during the run: {shown}{more} "
            f"({len(seen)} samples, {rising} rises)"
        )


def _rules(env):
    Rule = env["store.return.visit.rule"]
    today = fields.Date.context_today(Rule)
    greeting_day = today + timedelta(days=10)
    common_vals = {
        "delay_days": 0,
        "channel": "phone",
        "assign_to": "user",
        "user_id": env.ref("base.user_admin").id,
        "company_id": False,
    }
    care = Rule.create(
        dict(
            common_vals,
            name=f"{RULE_PREFIX}: quarterly check",
            trigger="care_check",
            interval_days=90,
            horizon_days=89,
        )
    )
    greeting_date = env["store.greeting.date"].create(
        {"name": "Bench day", "month": greeting_day.month, "day": greeting_day.day}
    )
    greeting = Rule.create(
        dict(
            common_vals,
            name=f"{RULE_PREFIX}: greeting",
            trigger="greeting",
            horizon_days=30,
            greeting_date_ids=[(6, 0, greeting_date.ids)],
        )
    )
    return care, greeting


def run(ctx):
    env = ctx.env
    cr = env.cr
    _cleanup(env)
    customers = _prepare_customers(cr)
    cr.commit()
    care, greeting = _rules(env)
    cr.commit()
    vacuum_analyze(cr, "res_partner", "store_return_visit", "mail_activity")
    ctx.log(f"  {customers:,} customers for the care programmes")

    watcher = CommitWatcher(cr.dbname, care.ids)
    watcher.start()
    start = now()
    care._generate(commit=True)
    first = now() - start
    watcher.stop()
    cr.commit()
    ctx.log(f"  {watcher.summary()}")
    visits, planned, _merged, partners, days, activities = _count(cr, care.ids)
    ctx.log(
        f"  quarterly check: {visits:,} visits over {days} days in {fs(first)}, "
        f"{activities:,} to-dos, peak RSS {peak_rss_mib():.0f} MiB"
    )

    # the check's rerun alone: nothing to create
    start = now()
    care._generate(commit=True)
    care_rerun = now() - start
    cr.commit()
    care_again = _count(cr, care.ids)[0]
    ctx.log(f"  quarterly check, rerun: {care_again - visits:,} new visits in {fs(care_rerun)}")

    start = now()
    greeting._generate(commit=True)
    greet_time = now() - start
    cr.commit()
    rules = (care | greeting).ids
    all_visits, all_planned, merged, _partners, _days, all_activities = _count(cr, rules)
    ctx.log(f"  greeting: {all_visits - visits:,} visits, {merged:,} merged, in {fs(greet_time)}")

    start = now()
    (care | greeting)._generate(commit=True)
    second = now() - start
    cr.commit()
    again = _count(cr, rules)[0]

    target = TARGET_SECONDS_PER_100K * max(customers, 1) / 100_000
    rows = [
        Row(
            job=f"quarterly care check, {customers:,} customers",
            ours=fs(first),
            reference=f"target {target:.0f} s",
            ratio=f"{first / target:.2f}x",
            target=f"<= {target:.0f} s",
            ok=first <= target and visits == customers and partners == customers,
            notes=[
                (
                    f"{visits:,} visits ({planned:,} planned) for {partners:,} customers over "
                    f"{days} days (about {visits / max(days, 1):,.0f} a day), "
                    f"{activities:,} to-dos; committed batches of 20 000"
                ),
                watcher.summary(),
                f"peak RSS of the process after the first run {peak_rss_mib():.0f} MiB",
            ],
        ),
        Row(
            "quarterly care check, rerun (no-op)",
            fs(care_rerun),
            fs(first),
            *ratio_at_most(care_rerun, first, TARGET_NOOP_RATIO),
            notes=[f"new visits: {care_again - visits:,} (none expected)"],
        ),
        Row(
            job="greeting of every customer on one day (merging)",
            ours=fs(greet_time),
            notes=[
                (
                    f"{all_visits - visits:,} greetings, {merged:,} merged into the check of "
                    f"the same day (one call); planned calls {all_planned:,}, "
                    f"to-dos {all_activities:,}"
                )
            ],
        ),
        Row(
            "care programmes, second run (no-op)",
            fs(second),
            fs(first + greet_time),
            *ratio_at_most(second, first + greet_time, TARGET_NOOP_RATIO),
            notes=[f"visits after the second run: {again:,} (no new visit expected)"],
        ),
    ]
    if care_again != visits:
        rows[1].ok = False
    if again != all_visits:
        rows[3].ok = False
    if all_planned != all_activities:
        rows[2].ok = False
    # the data set as generated again: a later job (visits) must not run these rules
    _cleanup(env)
    cr.commit()
    return rows
