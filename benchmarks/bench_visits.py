"""Return visits: ``generate_visits`` for newly confirmed orders, and the no-op rerun.

Rows produced (same run, same data):

* generation for ``VISIT_ORDERS`` (100 k) newly confirmed orders through the
  cron entry point (``_cron_generate_visits``: every active rule, committed
  batches, a to-do activity per visit): target <= 60 s;
* the second run, which must create nothing: target <= 5 % of the first;
* a raw ``INSERT ... SELECT`` of the same visits (rolled back): informative,
  the physical floor of writing the rows.

Before timing, the job plans the visits of the data set's own recent orders
(untimed), then inserts the new orders with one set-based statement (orders
``BENCHV/<n>``, confirmed within the last two days, the bench customers in
turn). With ``--reuse`` the previous run's orders and visits are removed first.
"""

from datetime import timedelta

from common import Row, capture_queries, now, ratio_at_most, vacuum_analyze
from common import fmt_seconds as fs

from odoo.tools import SQL

VISIT_ORDERS = 100_000
TARGET_SECONDS = 60.0
TARGET_NOOP_RATIO = 0.05


def _cleanup(cr):
    cr.execute(
        """
        WITH gone AS (
            DELETE FROM store_return_visit v USING sale_order so
             WHERE so.id = v.sale_order_id AND so.name LIKE 'BENCHV/%'
         RETURNING v.id)
        DELETE FROM mail_activity a USING gone
         WHERE a.res_model = 'store.return.visit' AND a.res_id = gone.id
        """
    )
    cr.execute("DELETE FROM sale_order WHERE name LIKE 'BENCHV/%'")


def _insert_orders(cr, n):
    cr.execute("SELECT id, currency_id FROM res_company ORDER BY id LIMIT 1")
    company, currency = cr.fetchone()
    cr.execute("SELECT min(id) FROM crm_team")
    team = cr.fetchone()[0]
    cr.execute("SELECT setseed(0.5)")
    cr.execute(
        SQL(
            """
            WITH customers AS (
                SELECT id, row_number() OVER (ORDER BY id) AS rn
                  FROM res_partner WHERE ref LIKE %(customers)s AND customer_rank > 0
            ), total AS (SELECT count(*) AS c FROM customers)
            INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id,
                                    company_id, currency_id, currency_rate, date_order, state,
                                    amount_untaxed, amount_tax, amount_total, user_id, team_id,
                                    invoice_status, locked, require_signature, require_payment,
                                    prepayment_percent, create_uid, write_uid, create_date,
                                    write_date)
            SELECT 'BENCHV/' || lpad(i::text, 7, '0'), c.id, c.id, c.id,
                   %(company)s, %(currency)s, 1,
                   date_trunc('second', (now() at time zone 'UTC')
                              - random() * interval '2 days'),
                   'sale', 100, 13, 113, 2, %(team)s, 'to invoice', false, false, false, 1.0,
                   2, 2, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM generate_series(1, %(n)s) i
              CROSS JOIN total
              JOIN customers c ON c.rn = 1 + mod(i, total.c)
            """,
            company=company,
            currency=currency,
            team=team,
            n=n,
            customers="BENCH-%",
        )
    )


def _count_new_visits(cr):
    cr.execute(
        """SELECT count(*), count(DISTINCT v.sale_order_id),
                  (SELECT count(*) FROM mail_activity a
                     JOIN store_return_visit v2 ON a.res_model = 'store.return.visit'
                                               AND a.res_id = v2.id
                     JOIN sale_order so2 ON so2.id = v2.sale_order_id
                    WHERE so2.name LIKE 'BENCHV/%')
             FROM store_return_visit v JOIN sale_order so ON so.id = v.sale_order_id
            WHERE so.name LIKE 'BENCHV/%'"""
    )
    return cr.fetchone()


def _raw_floor(cr, rule):
    """The same visits with one bare INSERT ... SELECT (no anti-join, no activity), rolled back."""
    cr.execute("SAVEPOINT bench_visit_floor")
    try:
        start = now()
        cr.execute(
            SQL(
                """
                INSERT INTO store_return_visit (partner_id, origin, sale_order_id, rule_id,
                       source_id, period_key, scheduled_date, user_id, team_id, company_id,
                       channel, state, attempt_count, csat_score, nps_score, nps_given,
                       care_visit, create_uid, create_date, write_uid, write_date)
                SELECT so.partner_id, 'sale', so.id, %(rule)s, so.id, 1, so.date_order::date + 3,
                       so.user_id, so.team_id, so.company_id, 'phone', 'planned', 0, 0, 0, false,
                       false, 2, now() at time zone 'UTC', 2, now() at time zone 'UTC'
                  FROM sale_order so WHERE so.name LIKE %(orders)s AND so.state = 'sale'
                """,
                rule=rule.id,
                orders="BENCHV/%",
            )
        )
        return now() - start
    finally:
        cr.execute("ROLLBACK TO SAVEPOINT bench_visit_floor")


def _profile_noop(ctx, env):
    """The heaviest statements of one more no-op run: what it still scans."""
    env.invalidate_all()
    with capture_queries() as records:
        start = now()
        env["store.return.visit.rule"]._cron_generate_visits()
        total = now() - start
    env.cr.commit()
    records.sort(key=lambda r: r[0], reverse=True)
    ctx.out.write(
        f"\n-- profile: one no-op visit run, {len(records)} statements, {fs(total)} in all, "
        f"{fs(sum(r[0] for r in records))} in SQL; heaviest:\n"
    )
    for delay, cr, query, params in records[:8]:
        text = query
        if params and not cr.closed:  # the run lock's cursor is closed by now
            text = cr._obj.mogrify(query, params).decode()
        text = " ".join(str(text).split())
        # the source query follows the INSERT's column list
        start = max(text.find("FROM ("), 0) if text.startswith("INSERT") else 0
        ctx.out.write(f"  {fs(delay):>8}  {text[start : start + 700]}\n")


def run(ctx):
    env = ctx.env
    cr = env.cr
    Rule = env["store.return.visit.rule"]
    rules = Rule.search([])
    ctx.log(f"  active rules: {', '.join(rules.mapped('name'))}")
    _cleanup(cr)
    cr.commit()
    backlog = _generation_run(Rule)
    ctx.log(f"  visits of the data set's recent orders planned (untimed) in {fs(backlog)}")

    ctx.log(f"  inserting {VISIT_ORDERS:,} newly confirmed orders")
    _insert_orders(cr, VISIT_ORDERS)
    cr.commit()
    vacuum_analyze(cr, "sale_order", "store_return_visit", "mail_activity")
    env.invalidate_all()

    first = _generation_run(Rule)
    visits, orders, activities = _count_new_visits(cr)
    ctx.log(f"  first run: {visits:,} visits for {orders:,} orders, {activities:,} activities")

    second = _generation_run(Rule)
    again, _orders, _activities = _count_new_visits(cr)

    # the next cron run once the new orders are older than the rules' watermark margin
    # (the run right after the first one re-checks the orders written within it): the
    # orders' write date moved back by the margin and five minutes
    cr.execute(
        SQL(
            "UPDATE sale_order SET write_date = write_date - %s WHERE name LIKE %s",
            _watermark_margin() + timedelta(minutes=5),
            "BENCHV/%",
        )
    )
    cr.commit()
    env.invalidate_all()
    later = _generation_run(Rule)
    again_later, _orders, _activities = _count_new_visits(cr)
    if ctx.args.profile:
        _profile_noop(ctx, env)

    floor = _raw_floor(cr, env.ref("store_service_crm.return_visit_rule_after_purchase"))
    rows = [
        Row(
            job=f"visit generation, {VISIT_ORDERS // 1000} k new orders",
            ours=fs(first),
            reference=f"target {TARGET_SECONDS:.0f} s",
            ratio=f"{first / TARGET_SECONDS:.2f}x",
            target=f"<= {TARGET_SECONDS:.0f} s",
            ok=first <= TARGET_SECONDS and visits == VISIT_ORDERS and orders == VISIT_ORDERS,
            notes=[
                (
                    f"{visits:,} visits for {orders:,} orders (one each expected), "
                    f"{activities:,} to-do activities; committed batches of 20 000"
                )
            ],
        ),
        Row(
            "visit generation, second run (no-op)",
            fs(second),
            fs(first),
            *ratio_at_most(second, first, TARGET_NOOP_RATIO),
            notes=[
                f"visits after the second run: {again:,} (no duplicate expected)",
                (
                    "run right after the first: it re-checks the orders written within the "
                    "watermark's margin (here the 100 k new ones)"
                ),
            ],
        ),
        Row(
            "visit generation, a later run (no-op)",
            fs(later),
            fs(first),
            *ratio_at_most(later, first, TARGET_NOOP_RATIO),
            notes=[
                (
                    f"visits after it: {again_later:,} (no duplicate expected); the next cron "
                    "run once the new orders are older than the watermark's margin"
                )
            ],
        ),
        Row("(raw INSERT ... SELECT of the same visits)", "-", fs(floor)),
    ]
    if again != visits:
        rows[1].ok = False
    if again_later != visits:
        rows[2].ok = False
    return rows


def _generation_run(Rule):
    """One run of the visit generation cron, committed; its time (the commit apart)."""
    start = now()
    Rule._cron_generate_visits()
    elapsed = now() - start
    Rule.env.cr.commit()
    return elapsed


def _watermark_margin():
    """The rules' watermark margin (10 minutes; a checkout without it: no margin)."""
    try:
        from odoo.addons.store_service_crm.models.store_return_visit_rule_watermark import (
            WATERMARK_MARGIN,
        )
    except ImportError:
        return timedelta(0)
    return WATERMARK_MARGIN
