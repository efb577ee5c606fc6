"""Loyalty tiers: the full recompute against the raw aggregate and a naive ORM loop.

Rows produced (all measured in the same run, on the same data):

* first full recompute (every customer gets a tier, history written): informative;
* full recompute ``_recompute_loyalty_all()`` (median of ``--repeat`` warm runs,
  each committed) vs the raw ``SELECT commercial partner, sum, count, max ...
  GROUP BY`` over the same confirmed orders of the window, with the same
  roll-up and currency conversion (median of as many runs, rows fetched):
  target <= 1.5x;
* the raw aggregate plus an ``UPDATE res_partner`` of the three figures
  (rolled back): the physical cost of writing, informative;
* full recompute vs a naive per-partner ORM loop timed on a random sample and
  extrapolated to every customer: target >= 50x faster;
* ``action_recompute_loyalty()`` on the same sample vs the same loop,
  measured (not extrapolated): informative;
* the nightly run, incremental (issue 18), on ``--repeat`` + 1 consecutive nights
  (the first warms the caches), each after a day of changes made with SQL and
  committed (the day's new orders, with the POS bridge its POS orders too, a tenth
  as many cancellations, their customers queued as the order hooks queue them; one
  more day of orders leaves the window each night): as the cron runs it, its
  batches on the ``loyalty_workers`` connections at once and committed, vs the raw
  aggregate: target <= 0.2x; the same night on one connection first (rolled back),
  informative;
* then the last night's full recompute on the same data: every customer's spend,
  order count, first/last order, lifecycle, tier and downgrade date must equal
  the incremental runs' (checked). Everything the nights changed is undone at
  the end (orders, cancellations, figures, history, notes, KPI buckets), and the
  orders and partners vacuumed.
"""

import random
from datetime import datetime, time, timedelta

from common import (
    Row,
    capture_queries,
    explain_every_statement,
    median,
    now,
    peak_rss_mib,
    ratio_at_most,
    ratio_faster,
    vacuum_analyze,
)
from common import fmt_seconds as fs
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from generate import ORDER_DAYS, has_pos

from odoo import fields
from odoo.tools import SQL

from odoo.addons.store_service_crm.models.res_partner_loyalty_incremental import (
    INCREMENTAL_FIGURES,
)

TARGET_VS_RAW = 1.5
TARGET_INCREMENTAL_VS_RAW = 0.2
TARGET_VS_ORM = 50
WARMUP = 5  # customers run through the ORM loop and the button, untimed, before the sample


def window_start(env, company):
    """First instant counted by the loyalty code: today minus the window (company setting)."""
    today = fields.Date.context_today(env["res.partner"])
    months = company.loyalty_window_months if "loyalty_window_months" in company else 12
    return datetime.combine(today - relativedelta(months=months), time.min)


# a paid POS order of a customer, as the reference counts it
POS_CONFIRMED = (
    "state IN ('paid', 'done', 'invoiced') AND partner_id IS NOT NULL AND amount_total >= 0"
)


def confirmed_orders_sql(pos):
    """The confirmed orders as the reference reads them: sale orders, and with ``pos``
    the paid POS orders of a customer too (untaxed = total - tax), written here
    independently of the addon's ``store.order.source``."""
    sale = SQL(
        "SELECT partner_id, company_id, date_order, amount_untaxed, currency_rate"
        " FROM sale_order WHERE state = 'sale'"
    )
    if not pos:
        return sale
    return SQL(
        """%s UNION ALL
           SELECT partner_id, company_id, date_order, amount_total - amount_tax, currency_rate
             FROM pos_order WHERE %s""",
        sale,
        SQL(POS_CONFIRMED),
    )


def raw_aggregate_sql(company, start, all_history=False, pos=False):
    """The reference: one GROUP BY over the confirmed orders of the window.

    Contacts roll up into their commercial partner; other currencies are
    converted with the order's own rate (``currency_rate``, the rate of the
    order date that Odoo stores on every order, as ``sale.report`` and the
    loyalty code do). With ``all_history``: every confirmed order is read and
    the window applied with FILTER, first and last order over all time (what
    the loyalty code computes for the lifecycle).
    """
    if all_history:
        return SQL(
            """
            SELECT p.commercial_partner_id,
                   sum(so.amount_untaxed / coalesce(nullif(so.currency_rate, 0), 1))
                       FILTER (WHERE so.date_order >= %(start)s),
                   count(*) FILTER (WHERE so.date_order >= %(start)s),
                   max(so.date_order), min(so.date_order)
              FROM (%(orders)s) so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.company_id = %(company)s
             GROUP BY p.commercial_partner_id
            """,
            company=company.id,
            start=start,
            orders=confirmed_orders_sql(pos),
        )
    return SQL(
        """
        SELECT p.commercial_partner_id,
               sum(so.amount_untaxed / coalesce(nullif(so.currency_rate, 0), 1)),
               count(*),
               max(so.date_order)
          FROM (%(orders)s) so
          JOIN res_partner p ON p.id = so.partner_id
         WHERE so.company_id = %(company)s AND so.date_order >= %(start)s
         GROUP BY p.commercial_partner_id
        """,
        company=company.id,
        start=start,
        orders=confirmed_orders_sql(pos),
    )


def write_floor_sql(company, start, pos=False):
    return SQL(
        """
        UPDATE res_partner rp
           SET loyalty_spend = agg.spend, loyalty_order_count = agg.cnt,
               loyalty_last_order_date = agg.last
          FROM (%(agg)s) AS agg(partner_id, spend, cnt, last)
         WHERE rp.id = agg.partner_id
        """,
        agg=raw_aggregate_sql(company, start, pos=pos),
    )


def orm_loop(env, partners, company, start):
    """The naive way: per customer, search its orders, sum in Python, write.

    It does the per-customer part of the job (spend and orders over the window,
    first and last order, lifecycle, tier) but not the Pareto class, which needs
    every customer: a reference that favours the loop.
    """
    Order = env["sale.order"]
    Tier = env["store.loyalty.tier"]
    tiers = Tier.search([("company_id", "=", company.id)]).sorted(
        lambda t: (t.min_spend, t.min_orders), reverse=True
    )
    currency = company.currency_id
    fields_ = env["res.partner"]._fields
    has_first = "loyalty_first_order_date" in fields_
    has_lifecycle = "customer_lifecycle" in fields_
    today = fields.Date.context_today(env["res.partner"])
    for partner in partners:
        orders = Order.search(
            [
                ("partner_id", "child_of", partner.id),
                ("state", "=", "sale"),
                ("company_id", "=", company.id),
            ]
        )
        recent = orders.filtered(lambda o: o.date_order >= start)
        spend = sum(
            o.currency_id._convert(o.amount_untaxed, currency, company, o.date_order.date())
            for o in recent
        )
        count = len(recent)
        dates = orders.mapped("date_order")
        first, last = (min(dates).date(), max(dates).date()) if dates else (False, False)
        vals = {"loyalty_spend": spend, "loyalty_order_count": count}
        vals["loyalty_last_order_date"] = last
        if has_first:
            vals["loyalty_first_order_date"] = first
        if has_lifecycle:
            vals["customer_lifecycle"] = _lifecycle(company, today, first, last)
        partner.write(vals)
        tier = next(
            (t for t in tiers if spend >= t.min_spend and count >= t.min_orders), Tier.browse()
        )
        if partner.loyalty_tier_id != tier and not partner.loyalty_tier_locked:
            partner.write({"loyalty_tier_id": tier.id})
    env.flush_all()


def _lifecycle(company, today, first, last):
    if not first or (today - first).days < company.loyalty_new_days:
        return "new"
    if (today - last).days < company.loyalty_at_risk_days:
        return "active"
    if (today - last).days < company.loyalty_lost_days:
        return "at_risk"
    return "lost"


def _customers(env):
    env.cr.execute(
        "SELECT id FROM res_partner WHERE ref LIKE 'BENCH-%' AND customer_rank > 0 ORDER BY id"
    )
    return [r[0] for r in env.cr.fetchall()]


def _time_ours(env):
    env.invalidate_all()
    count0 = env.cr.sql_log_count
    t0 = now()
    n = env["res.partner"]._recompute_loyalty_all()
    env.cr.commit()
    return now() - t0, n, env.cr.sql_log_count - count0


def _time_raw(env, query):
    t0 = now()
    env.cr.execute(query)
    rows = env.cr.fetchall()
    elapsed = now() - t0
    env.cr.commit()
    return elapsed, rows


def _check_figures(env, raw_rows, last_is_date):
    """Compare the stored figures with the reference aggregate; returns notes."""
    expected = {pid: (spend, cnt, last) for pid, spend, cnt, last in raw_rows}
    env.cr.execute(
        "SELECT id, loyalty_spend, loyalty_order_count, loyalty_last_order_date"
        " FROM res_partner WHERE ref LIKE 'BENCH-%' AND customer_rank > 0"
    )
    bad = []
    for pid, spend, cnt, last in env.cr.fetchall():
        e_spend, e_cnt, e_last = expected.get(pid, (0, 0, None))
        if e_last is not None and last_is_date:
            e_last = e_last.date()
        differs = abs(float(spend or 0) - float(e_spend)) > 0.05 or (cnt or 0) != e_cnt
        # the stored last order is over all time: compare it when the window has orders
        if differs or (e_cnt and last != e_last):
            bad.append((pid, (spend, cnt, last), (e_spend, e_cnt, e_last)))
    if not bad:
        return [f"stored figures equal the reference aggregate for all {len(expected)} customers"]
    sample = "; ".join(f"partner {p}: stored {s} expected {e}" for p, s, e in bad[:3])
    return [f"MISMATCH with the reference aggregate for {len(bad)} customers, e.g. {sample}"]


def _profile(ctx, env):
    """Top statements of one recompute run, then EXPLAIN ANALYZE of the heaviest."""
    out = ctx.out
    env.invalidate_all()
    with capture_queries() as records:
        t0 = now()
        env["res.partner"]._recompute_loyalty_all()
        total = now() - t0
    env.cr.rollback()
    records.sort(key=lambda r: r[0], reverse=True)
    out.write(
        f"\n-- profile: one recompute, {len(records)} statements, {fs(total)} in all, "
        f"{fs(sum(r[0] for r in records))} in SQL; heaviest:\n"
    )
    for delay, cr, query, params in records[:8]:
        text = cr._obj.mogrify(query, params or None).decode() if params else query
        text = " ".join(str(text).split())
        out.write(f"  {fs(delay):>8}  {text[:300]}\n")
    if not ctx.args.explain:
        return
    env.invalidate_all()
    with explain_every_statement(min_ms=ctx.args.explain_min_ms) as plans:
        env["res.partner"]._recompute_loyalty_all()
    env.cr.rollback()
    plans.sort(key=lambda p: p[0], reverse=True)
    for elapsed, text, plan in plans[:4]:
        out.write(f"\n-- EXPLAIN (ANALYZE, BUFFERS), {elapsed:.0f} ms:\n{text}\n{plan}\n")


def run(ctx):
    env = ctx.env
    log = ctx.log
    Partner = env["res.partner"]
    if not hasattr(Partner, "_recompute_loyalty_all"):
        return [Row("tier recompute", "not available (loyalty code not merged)")]
    company = env.ref("base.main_company")
    start = window_start(env, company)
    # with the Point of Sale (run.py --pos): the reference reads both order tables
    pos = has_pos(env.cr)
    raw_query = raw_aggregate_sql(company, start, pos=pos)
    last_is_date = Partner._fields["loyalty_last_order_date"].type == "date"
    customers = _customers(env)
    rows = []

    rss0 = peak_rss_mib()
    log("  loyalty: first full recompute")
    if ctx.args.explain_first:
        # plain EXPLAIN of each statement, before it runs: plans and estimates only
        with explain_every_statement(analyze=False) as first_plans:
            first, n, first_queries = _time_ours(env)
        first_plans.sort(key=lambda p: p[0], reverse=True)
        for cost, text, plan in first_plans[:4]:
            ctx.out.write(f"\n-- first run: EXPLAIN, estimated cost {cost:,.0f}:\n{text}\n{plan}\n")
    else:
        first, n, first_queries = _time_ours(env)
    if ctx.fresh:
        label = "tier recompute, first run"
        note = "first run on fresh data: every tier assigned, history and chatter written"
    else:
        label = "tier recompute, warm-up run"
        note = "first run of this process on a reused database"
    rows.append(Row(label, fs(first), notes=[f"{note}; {n} customers, {first_queries} queries"]))
    log(f"    {fs(first)} for {n} customers")

    history_query = raw_aggregate_sql(company, start, all_history=True, pos=pos)
    # warm the references the same way (ours ran once already)
    _time_raw(env, raw_query)
    _time_raw(env, history_query)
    ours_times, raw_times, history_times, raw_rows, queries = [], [], [], None, 0
    for i in range(ctx.args.repeat):
        elapsed, n, queries = _time_ours(env)
        ours_times.append(elapsed)
        elapsed_raw, raw_rows = _time_raw(env, raw_query)
        raw_times.append(elapsed_raw)
        history_times.append(_time_raw(env, history_query)[0])
        log(
            f"    run {i + 1}: ours {fs(elapsed)}, raw aggregate {fs(elapsed_raw)}, "
            f"all history {fs(history_times[-1])}"
        )
    ours, raw, history = median(ours_times), median(raw_times), median(history_times)
    ratio, target, ok = ratio_at_most(ours, raw, TARGET_VS_RAW)
    rows.append(
        Row(
            "tier recompute, all customers",
            fs(ours),
            f"{fs(raw)} raw GROUP BY",
            ratio,
            target,
            ok,
            notes=[
                (
                    f"median of {ctx.args.repeat} warm runs each (ours committed; raw rows "
                    f"fetched); {n} customers processed in {queries} queries; window from "
                    f"{start}; reference rolls contacts up to the commercial partner and "
                    f"converts with the order's currency_rate ({len(raw_rows)} groups)"
                    + (
                        "; orders: sale_order UNION ALL pos_order (half of them from the POS)"
                        if pos
                        else ""
                    )
                ),
                (
                    f"all runs: ours {', '.join(fs(t) for t in ours_times)}; raw "
                    f"{', '.join(fs(t) for t in raw_times)}; best of each: "
                    f"{min(ours_times) / min(raw_times):.2f}x"
                ),
                *_check_figures(env, raw_rows, last_is_date),
            ],
        )
    )

    rows.append(
        Row(
            "  (reference, all history)",
            "-",
            f"{fs(history)} raw GROUP BY",
            f"ours {ratio_at_most(ours, history, TARGET_VS_RAW)[0]}",
            notes=[
                (
                    "every confirmed order read, window applied with FILTER, first and last "
                    "order over all time: what the loyalty code aggregates"
                )
            ],
        )
    )

    size = min(ctx.args.sample, len(customers) - WARMUP)
    picked = random.Random(7).sample(customers, size + WARMUP)
    sample, warmup = Partner.browse(picked[:size]), Partner.browse(picked[size:])
    log(f"  loyalty: naive ORM loop on {size} customers")
    # warm the ORM (caches of the registry, of domains and rates) on other customers
    orm_loop(env, warmup, company, start)
    env.cr.rollback()
    env.invalidate_all()
    t0 = now()
    orm_loop(env, sample, company, start)
    orm_sample = now() - t0
    env.cr.rollback()
    env.invalidate_all()
    orm_all = orm_sample / size * n
    ratio, target, ok = ratio_faster(ours, orm_all, TARGET_VS_ORM)
    rows.append(
        Row(
            "tier recompute vs ORM loop",
            fs(ours),
            f"{fs(orm_all)} ORM loop (extrapolated)",
            ratio,
            target,
            ok,
            notes=[
                (
                    f"ORM loop timed on {size} random customers: {fs(orm_sample)} "
                    f"({orm_sample / size * 1000:.1f} ms each), extrapolated x {n}/{size}"
                )
            ],
        )
    )

    log(f"  loyalty: action_recompute_loyalty() on the same {size} customers")
    warmup.action_recompute_loyalty()
    env.cr.rollback()
    env.invalidate_all()
    count0 = env.cr.sql_log_count
    t0 = now()
    sample.action_recompute_loyalty()
    env.flush_all()
    button = now() - t0
    button_queries = env.cr.sql_log_count - count0
    env.cr.rollback()
    env.invalidate_all()
    ratio, _target, _ok = ratio_faster(button, orm_sample, 1)
    rows.append(
        Row(
            f"recompute {size} customers (button)",
            fs(button),
            f"{fs(orm_sample)} ORM loop (measured)",
            ratio,
            notes=[f"action_recompute_loyalty() on the sample: {button_queries} queries"],
        )
    )
    rows[1].notes.append(
        f"peak RSS {rss0:.0f} MiB before the loyalty job, {peak_rss_mib():.0f} MiB after"
    )

    floor_times = []
    for _i in range(ctx.args.repeat):
        t0 = now()
        env.cr.execute(write_floor_sql(company, start, pos=pos))
        floor_times.append(now() - t0)
        env.cr.rollback()
    env.cr.commit()
    vacuum_analyze(env.cr, "res_partner")  # the rolled-back UPDATEs left a dead copy of every row
    floor = median(floor_times)
    ratio_floor, _target, _ok = ratio_at_most(ours, floor, TARGET_VS_RAW)
    rows.append(
        Row(
            "  (write floor)",
            "-",
            f"{fs(floor)} GROUP BY + UPDATE",
            f"ours {ratio_floor}",
            notes=["raw aggregate then UPDATE of the 3 figures of every customer, rolled back"],
        )
    )

    if hasattr(Partner, "_recompute_loyalty_nightly"):
        rows.extend(_incremental_rows(ctx, env, raw, raw_query))
    if ctx.args.profile or ctx.args.explain:
        _profile(ctx, env)
    return rows


def _copied_columns(cr, table):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = %s AND column_name NOT IN ('id', 'name', 'date_order',
                  'create_date', 'write_date', 'access_token')""",
        [table],
    )
    return SQL(", ").join(SQL.identifier(row[0]) for row in cr.fetchall())


def _day_of_changes(env, new_orders, cancellations, pos_orders=0):
    """A day of order changes, made with SQL: copies of random confirmed sale orders
    dated now (new orders, named ``... -DAY``), random confirmed orders cancelled;
    their customers queued in store.loyalty.pending as the order hooks queue them.
    With ``pos_orders``, as many copies of random paid POS orders too.
    Returns (customers queued, ids of the cancelled orders)."""
    cr = env.cr
    columns = _copied_columns(cr, "sale_order")
    cr.execute(
        SQL(
            """WITH src AS (SELECT * FROM sale_order WHERE state = 'sale'
                             ORDER BY random() LIMIT %(n)s),
                    ins AS (INSERT INTO sale_order (name, date_order, create_date, write_date,
                                                    %(columns)s)
                            SELECT name || '-DAY', now() at time zone 'UTC',
                                   now() at time zone 'UTC', now() at time zone 'UTC',
                                   %(columns)s FROM src
                            RETURNING partner_id),
                    can AS (UPDATE sale_order SET state = 'cancel'
                             WHERE id IN (SELECT id FROM sale_order WHERE state = 'sale'
                                           ORDER BY random() LIMIT %(m)s)
                            RETURNING id, partner_id),
                    queued AS (INSERT INTO store_loyalty_pending (partner_id)
                               SELECT DISTINCT p.commercial_partner_id
                                 FROM (SELECT partner_id FROM ins
                                       UNION ALL SELECT partner_id FROM can) x
                                 JOIN res_partner p ON p.id = x.partner_id
                               RETURNING id)
               SELECT (SELECT count(*) FROM queued), ARRAY(SELECT id FROM can)""",
            n=new_orders,
            m=cancellations,
            columns=columns,
        )
    )
    queued, cancelled = cr.fetchone()
    if pos_orders:
        cr.execute(
            SQL(
                """WITH src AS (SELECT * FROM pos_order WHERE %(confirmed)s
                                 ORDER BY random() LIMIT %(n)s),
                        ins AS (INSERT INTO pos_order (name, date_order, create_date,
                                                       write_date, %(columns)s)
                                SELECT name || '-DAY', now() at time zone 'UTC',
                                       now() at time zone 'UTC', now() at time zone 'UTC',
                                       %(columns)s FROM src
                                RETURNING partner_id)
                   INSERT INTO store_loyalty_pending (partner_id)
                   SELECT DISTINCT p.commercial_partner_id
                     FROM ins JOIN res_partner p ON p.id = ins.partner_id""",
                confirmed=SQL(POS_CONFIRMED),
                n=pos_orders,
                columns=_copied_columns(cr, "pos_order"),
            )
        )
        queued += cr.rowcount
    return queued, cancelled


def _figures_snapshot(env):
    env.cr.execute(
        SQL(
            "SELECT id, %s FROM res_partner WHERE id = commercial_partner_id ORDER BY id",
            SQL(", ").join(SQL.identifier(name) for name in INCREMENTAL_FIGURES),
        )
    )
    return env.cr.fetchall()


def _incremental_rows(ctx, env, raw, raw_query):
    """The nightly incremental run on consecutive nights, each after a day of changes
    (committed, as the order hooks leave them): on one connection (rolled back), then
    as the cron runs it, on its worker connections (committed), then the raw aggregate;
    after the last night, that day's full recompute on the same data. Every change is
    undone at the end (``_undo_nights``)."""
    log = ctx.log
    Partner = env["res.partner"]
    cr = env.cr
    env.invalidate_all()
    Partner._recompute_loyalty_all()  # the last night: a full run, its date saved
    cr.commit()
    marks = _marks(env)
    cr.execute("SELECT count(*) FROM sale_order WHERE state = 'sale'")
    confirmed = cr.fetchone()[0]
    new_orders = max(confirmed // ORDER_DAYS, 1)
    cancellations = max(new_orders // 10, 1)
    pos_orders = 0
    if has_pos(cr):  # the POS half of the day's orders
        cr.execute(SQL("SELECT count(*) FROM pos_order WHERE %s", SQL(POS_CONFIRMED)))
        pos_orders = max(cr.fetchone()[0] // ORDER_DAYS, 1)
    workers = Partner._loyalty_workers()
    today = fields.Date.context_today(Partner)
    log(
        f"  loyalty: {ctx.args.repeat + 1} nights, each after {new_orders} new orders"
        f"{f' and {pos_orders} POS orders' if pos_orders else ''} and "
        f"{cancellations} cancellations, on 1 and on {workers} connections"
    )
    nights, cancelled = [], []
    try:
        for night in range(1, ctx.args.repeat + 2):
            queued, ids = _day_of_changes(env, new_orders, cancellations, pos_orders)
            cancelled.extend(ids)
            cr.execute("ANALYZE sale_order")
            cr.commit()
            night_time = datetime.combine(today + timedelta(days=night), time(1, 0))
            with freeze_time(night_time, tick=True):
                nights.append(_night(env, raw_query, queued))
            one, many, raw_time = nights[-1]["one"], nights[-1]["many"], nights[-1]["raw"]
            log(
                f"    night {night}: {nights[-1]['mode']} for {nights[-1]['count']} customers, "
                f"1 connection {fs(one)}, {workers} connections {fs(many)}, raw {fs(raw_time)}"
            )
        with freeze_time(
            datetime.combine(today + timedelta(days=len(nights)), time(2, 0)), tick=True
        ):
            env.invalidate_all()
            incremental = _figures_snapshot(env)
            t0 = now()
            Partner._recompute_loyalty_all()
            full_time = now() - t0
            full = _figures_snapshot(env)
        cr.rollback()
    finally:
        _undo_nights(ctx, env, marks, cancelled)
    measured = nights[1:]  # the first night warms the caches
    return _incremental_table(
        measured, workers, incremental, full, full_time, new_orders, cancellations, pos_orders
    )


def _night(env, raw_query, queued):
    """One night: the incremental run on one connection (rolled back), the cron's run
    on its worker connections (committed), the raw aggregate; their times."""
    Partner, cr = env["res.partner"], env.cr
    start = window_start(env, env.ref("base.main_company"))
    cr.execute(
        SQL(
            "SELECT count(DISTINCT p.commercial_partner_id) FROM (%s) so"
            " JOIN res_partner p ON p.id = so.partner_id"
            " WHERE so.date_order >= %s - interval '1 day' AND so.date_order < %s",
            confirmed_orders_sql(has_pos(cr)),
            start,
            start,
        )
    )
    edge = cr.fetchone()[0]
    cr.execute("SAVEPOINT bench_incremental")
    env.invalidate_all()
    t0 = now()
    mode, count = Partner._recompute_loyalty_nightly()
    one = now() - t0
    env.flush_all()  # or invalidate_all() below would write the run's date after
    cr.execute("ROLLBACK TO SAVEPOINT bench_incremental")
    cr.commit()
    env.invalidate_all()
    env.registry.clear_cache()  # the run's date, saved then rolled back
    t0 = now()
    mode_many, count_many = Partner._recompute_loyalty_nightly(commit=True)
    many = now() - t0
    env.invalidate_all()
    raw_time = _time_raw_uncommitted(env, raw_query)
    cr.commit()
    return {
        "mode": mode if mode == mode_many else f"{mode} / {mode_many}",
        "count": count if count == count_many else f"{count} / {count_many}",
        "one": one,
        "many": many,
        "raw": raw_time,
        "queued": queued,
        "edge": edge,
    }


def _incremental_table(
    nights, workers, incremental, full, full_time, new_orders, cancellations, pos_orders
):
    ones = [n["one"] for n in nights]
    manys = [n["many"] for n in nights]
    raws = [n["raw"] for n in nights]
    ok_runs = all(n["mode"] == "incremental" and isinstance(n["count"], int) for n in nights)
    raw_same = median(raws)
    differ = [(a, b) for a, b in zip(incremental, full, strict=True) if a != b]
    equal_note = (
        f"incremental == full for all {len(full)} customers (spend, orders, first/last "
        "order, lifecycle, tier, downgrade date)"
        if not differ
        else f"MISMATCH incremental vs full for {len(differ)} customers, e.g. {differ[:2]}"
    )
    last = nights[-1]
    label = (
        f"tier recompute, incremental (a night after a day of changes: {new_orders} new "
        f"orders{f' and {pos_orders} POS orders' if pos_orders else ''}, {cancellations} "
        "cancellations, window edge)"
    )
    per_night = "; ".join(
        f"{n['count']} customers: {fs(n['one'])} / {fs(n['many'])} / raw {fs(n['raw'])}"
        for n in nights
    )
    ratio, target, ok = ratio_at_most(median(manys), raw_same, TARGET_INCREMENTAL_VS_RAW)
    return [
        Row(
            f"{label}, the cron's run on {workers} connections",
            fs(median(manys)),
            f"{fs(raw_same)} raw GROUP BY",
            ratio,
            target,
            ok and ok_runs and not differ,
            notes=[
                (
                    f"median of {len(nights)} consecutive nights (the day's changes and the "
                    f"run committed, all undone afterwards); last night {last['count']} "
                    f"customers: {last['queued']} queued by the orders, {last['edge']} with "
                    f"an order leaving the window, the rest at a lifecycle or grace edge; "
                    f"raw aggregate timed after each night's runs"
                ),
                f"each night (1 connection / {workers} connections / raw): {per_night}",
            ],
        ),
        Row(
            "  (the same nights on 1 connection)",
            fs(median(ones)),
            f"{fs(raw_same)} raw GROUP BY",
            ratio_at_most(median(ones), raw_same, TARGET_INCREMENTAL_VS_RAW)[0],
            notes=["run first each night on the same data, rolled back"],
            ok=ok_runs,
        ),
        Row(
            "  (full recompute, the last night, same data)",
            fs(full_time),
            f"{fs(raw_same)} raw GROUP BY",
            ratio_at_most(full_time, raw_same, TARGET_VS_RAW)[0],
            notes=[equal_note, "one run, after the incremental ones (few rows to write)"],
            ok=not differ,
        ),
    ]


def _marks(env):
    """The last ids before the nights, of what the nights add."""
    pos = has_pos(env.cr)
    env.cr.execute(
        SQL(
            """SELECT (SELECT COALESCE(MAX(id), 0) FROM sale_order), %s,
                      (SELECT COALESCE(MAX(id), 0) FROM store_loyalty_pending),
                      (SELECT COALESCE(MAX(id), 0) FROM store_loyalty_tier_history),
                      (SELECT COALESCE(MAX(id), 0) FROM mail_message)""",
            SQL("(SELECT COALESCE(MAX(id), 0) FROM pos_order)") if pos else SQL("NULL"),
        )
    )
    return env.cr.fetchone()


def _undo_nights(ctx, env, marks, cancelled):
    """The data set as before the nights: the days' orders deleted, the cancelled ones
    confirmed again, every customer recomputed from all its orders (the dates the
    days' orders set go too), the history rows and notes of the nights and of this
    recompute deleted, the KPI pre-aggregate's buckets of those orders refreshed, the
    orders and partners vacuumed."""
    order_id, pos_order_id, pending_id, history_id, message_id = marks
    cr = env.cr
    cr.rollback()
    t0 = now()
    cr.execute("DELETE FROM sale_order WHERE id > %s AND name LIKE '%%-DAY'", [order_id])
    if pos_order_id is not None:
        cr.execute("DELETE FROM pos_order WHERE id > %s AND name LIKE '%%-DAY'", [pos_order_id])
    cr.execute("UPDATE sale_order SET state = 'sale' WHERE id = ANY(%s)", [cancelled])
    cr.execute("DELETE FROM store_loyalty_pending WHERE id > %s", [pending_id])
    cr.commit()
    env.invalidate_all()
    env.registry.clear_cache()
    env["res.partner"]._recompute_loyalty_all(full_history=True)
    cr.execute("DELETE FROM store_loyalty_tier_history WHERE id > %s", [history_id])
    cr.execute("DELETE FROM mail_message WHERE id > %s AND model = 'res.partner'", [message_id])
    cr.commit()
    Aggregate = env["store.service.kpi.aggregate"]
    if Aggregate._built_tzs():
        Aggregate._refresh(commit=True)
    # the cancellations and their undo cleared the visibility map of the pages they
    # touched (index-only scans then read the heap): as after the load, for the next run
    vacuum_analyze(
        cr, "sale_order", "res_partner", *(["pos_order"] if pos_order_id is not None else [])
    )
    env.invalidate_all()
    ctx.log(f"  loyalty: the nights undone in {fs(now() - t0)}")


def _time_raw_uncommitted(env, query):
    t0 = now()
    env.cr.execute(query)
    env.cr.fetchall()
    return now() - t0
