"""Synthetic chain data, loaded with set-based SQL (INSERT ... SELECT generate_series).

Nothing goes through the ORM except a handful of configuration records (one
pricelist, the second currency's activation). Rows are tagged so a reused
database can tell whether it already holds a data set: partners have
``ref = 'BENCH-<n>'``, orders ``name = 'BENCH/<n>'``.

Shape of the data (deterministic: ``setseed`` before each statement):

* ``customers`` commercial partners (``customer_rank = 1``); every 10th one is
  a company with two contacts (extra ``res_partner`` rows whose
  ``commercial_partner_id`` is the company); every 50th one buys in EUR (its
  pricelist is an EUR pricelist);
* ``orders`` sale orders: the first ``customers`` orders give every customer
  one order, the others go to customers drawn with a skew (a few big buyers);
  a company's orders are placed by one of its contacts half of the time;
  ``date_order`` spread over the last 15 months; state 87 % ``sale``, 10 %
  ``cancel``, 3 % ``draft``; ``amount_untaxed`` log-normal (median ~150),
  13 % tax; EUR orders carry ``currency_rate`` = the EUR rate of their day;
* daily EUR rates over the whole period for the company;
* ``stores`` stores (``crm.team`` "Bench Store <n>"): a customer buys in the
  store ``1 + customer mod stores``, so stores have comparable sizes;
* ``complaints`` complaints received over the last 365 days (name
  ``BENCH-C/<n>``): 3 % cancelled, the rest mostly closed; response within
  0-30 h against a 24 h deadline, resolution within 1-100 h against 72 h,
  ~75 % resolved at first contact, 15 % with a compensation;
* ``visits`` return visits scheduled over the last 365 days (feedback
  ``BENCH``): 75 % done (90 % of them with a CSAT skewed to 4-5, 60 % with an
  NPS), 8 % unreachable, 5 % cancelled, the rest planned.
"""

from dataclasses import dataclass

from common import now, vacuum_analyze

from odoo.tools import SQL

ORDER_DAYS = 456  # 15 months of order history
COMPANY_EVERY = 10  # every 10th customer is a company with contacts
CONTACTS_PER_COMPANY = 2
EUR_EVERY = 50  # every 50th customer buys in the second currency


@dataclass(frozen=True)
class Scale:
    name: str
    customers: int
    orders: int
    complaints: int
    visits: int
    stores: int = 500


SCALES = {
    "small": Scale("small", 10_000, 50_000, 2_000, 10_000),
    "default": Scale("default", 100_000, 500_000, 20_000, 100_000),
    "chain": Scale("chain", 1_000_000, 5_000_000, 200_000, 1_000_000),
}


def existing_counts(cr):
    """(bench customers, bench orders) already in the database (POS orders included)."""
    cr.execute(
        "SELECT (SELECT count(*) FROM res_partner WHERE ref LIKE 'BENCH-%' AND customer_rank > 0),"
        " (SELECT count(*) FROM sale_order WHERE name LIKE 'BENCH/%')"
    )
    customers, orders = cr.fetchone()
    if has_pos(cr):
        cr.execute("SELECT count(*) FROM pos_order WHERE name LIKE 'BENCH/%'")
        orders += cr.fetchone()[0]
    return customers, orders


def has_pos(cr):
    """The Point of Sale is installed (store_service_crm_pos: ``run.py --pos``)."""
    cr.execute("SELECT to_regclass('pos_order') IS NOT NULL")
    return cr.fetchone()[0]


def _move_half_to_pos(cr, company):
    """Half of the orders from the Point of Sale: every second bench sale order becomes
    a POS order of the same customer, store, date, amounts and currency rate (paid if
    it was confirmed, cancelled or draft otherwise), in one closed session of one
    point of sale. The totals over both tables are those of the sale orders before."""
    cr.execute(
        SQL(
            """
            INSERT INTO pos_config (name, company_id, picking_type_id, picking_policy,
                                    iface_tax_included, active)
            VALUES ('Bench POS', %(company)s,
                    (SELECT id FROM stock_picking_type ORDER BY id LIMIT 1),
                    'direct', 'subtotal', true)
            RETURNING id
            """,
            company=company.id,
        )
    )
    config_id = cr.fetchone()[0]
    cr.execute(
        SQL(
            """INSERT INTO pos_session (name, state, user_id, config_id)
               VALUES ('BENCH POS/1', 'closed', 2, %s) RETURNING id""",
            config_id,
        )
    )
    session_id = cr.fetchone()[0]
    cr.execute(
        SQL(
            """
            WITH moved AS (
                DELETE FROM sale_order so
                 WHERE so.name LIKE %(bench)s AND mod(so.id, 2) = 0
             RETURNING so.*
            )
            INSERT INTO pos_order (name, session_id, company_id, partner_id, crm_team_id,
                                   user_id, date_order, state, amount_tax, amount_total,
                                   amount_paid, amount_return, currency_rate, pricelist_id,
                                   create_uid, write_uid, create_date, write_date)
            SELECT m.name, %(session)s, m.company_id, m.partner_id, m.team_id, m.user_id,
                   m.date_order,
                   CASE m.state WHEN 'sale' THEN 'paid' WHEN 'cancel' THEN 'cancel'
                        ELSE 'draft' END,
                   m.amount_tax, m.amount_total,
                   CASE WHEN m.state = 'sale' THEN m.amount_total ELSE 0 END, 0,
                   m.currency_rate, m.pricelist_id, 2, 2, m.date_order, m.date_order
              FROM moved m
            """,
            session=session_id,
            bench="BENCH/%",
        )
    )


def _second_currency(env, company):
    """Activate EUR (or any other currency than the company's) and give it an EUR pricelist."""
    Currency = env["res.currency"].with_context(active_test=False)
    eur = Currency.search([("name", "=", "EUR")], limit=1)
    if eur == company.currency_id:
        eur = Currency.search([("name", "=", "USD")], limit=1)
    eur.active = True
    pricelist = env["product.pricelist"].create(
        {"name": f"Bench {eur.name}", "currency_id": eur.id, "company_id": company.id}
    )
    env.flush_all()
    return eur, pricelist


def _load_rates(cr, company, currency):
    """One rate per day over the order period (and a few days of margin)."""
    cr.execute(
        SQL(
            """
            INSERT INTO res_currency_rate (name, rate, currency_id, company_id,
                                           create_uid, write_uid, create_date, write_date)
            SELECT d::date,
                   round((0.92 + 0.05 * sin(extract(epoch FROM d) / 2592000.0))::numeric, 6),
                   %(currency)s, %(company)s, 1, 1,
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM generate_series(
                       (now() at time zone 'UTC')::date - %(days)s - 5,
                       (now() at time zone 'UTC')::date + 1, interval '1 day') d
            ON CONFLICT (name, currency_id, company_id) DO NOTHING
            """,
            currency=currency.id,
            company=company.id,
            days=ORDER_DAYS,
        )
    )


def _load_partners(cr, scale, company, pricelist):
    """Customers then contacts, with explicit ids reserved from the sequence."""
    cr.execute("SELECT coalesce(max(id), 0) FROM res_partner")
    base = cr.fetchone()[0]
    n = scale.customers
    n_companies = n // COMPANY_EVERY
    n_contacts = n_companies * CONTACTS_PER_COMPANY
    pricelist_json = f'{{"{company.id}": {pricelist.id}}}'
    common_cols = SQL(
        "active, type, lang, color, partner_share, message_bounce, supplier_rank, invoice_warn,"
        " sale_warn, autopost_bills, create_uid, write_uid, create_date, write_date"
    )
    common_vals = SQL(
        "true, 'contact', 'en_US', 0, true, 0, 0, 'no-message', 'no-message', 'ask', 1, 1,"
        " now() at time zone 'UTC', now() at time zone 'UTC'"
    )
    cr.execute("SELECT setseed(0.11)")
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (id, name, complete_name, ref, email, email_normalized,
                                     is_company, commercial_partner_id, customer_rank,
                                     specific_property_product_pricelist, %(cols)s)
            SELECT %(base)s + i, label || i, label || i,
                   'BENCH-' || i, 'bench' || i || '@example.com', 'bench' || i || '@example.com',
                   mod(i, %(every)s) = 0, %(base)s + i, 1,
                   CASE WHEN mod(i, %(eur_every)s) = 7 THEN %(pricelist)s::jsonb END,
                   %(vals)s
              FROM generate_series(1, %(n)s) i,
                   LATERAL (SELECT CASE WHEN mod(i, %(every)s) = 0 THEN 'Bench Company '
                                        ELSE 'Bench Customer ' END AS label) l
            """,
            cols=common_cols,
            vals=common_vals,
            base=base,
            n=n,
            every=COMPANY_EVERY,
            eur_every=EUR_EVERY,
            pricelist=pricelist_json,
        )
    )
    # contact k (1-based) belongs to company number ceil(k / 2), i.e. customer 10 * that
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (id, name, complete_name, ref, email, email_normalized,
                                     is_company, parent_id, commercial_partner_id, customer_rank,
                                     %(cols)s)
            SELECT %(base)s + %(n)s + k, 'Contact ' || k,
                   'Bench Company ' || c || ', Contact ' || k,
                   'BENCH-C' || k, 'contact' || k || '@example.com',
                   'contact' || k || '@example.com',
                   false, %(base)s + c, %(base)s + c, 0, %(vals)s
              FROM generate_series(1, %(contacts)s) k,
                   LATERAL (SELECT %(every)s * ((k + %(per)s - 1) / %(per)s) AS c) company
            """,
            cols=common_cols,
            vals=common_vals,
            base=base,
            n=n,
            every=COMPANY_EVERY,
            per=CONTACTS_PER_COMPANY,
            contacts=n_contacts,
        )
    )
    cr.execute("SELECT setval('res_partner_id_seq', (SELECT max(id) FROM res_partner))")
    return base


def _stock_columns(cr, company):
    """Columns that sale_stock makes required on sale_order (installed with the Point of
    Sale: ``run.py --pos``), as (column names, values)."""
    cr.execute(
        "SELECT to_regclass('stock_warehouse') IS NOT NULL AND EXISTS (SELECT 1 FROM"
        " information_schema.columns WHERE table_name = 'sale_order'"
        " AND column_name = 'picking_policy')"
    )
    if not cr.fetchone()[0]:
        return SQL(), SQL()
    return (
        SQL(", picking_policy, warehouse_id"),
        SQL(
            ", 'direct',"
            " (SELECT id FROM stock_warehouse WHERE company_id = %s ORDER BY id LIMIT 1)",
            company.id,
        ),
    )


def _load_orders(cr, scale, base, company, eur, pricelist, stores):
    n, m = scale.customers, scale.orders
    stock_columns, stock_values = _stock_columns(cr, company)
    cr.execute("SELECT setseed(0.42)")
    cr.execute(
        SQL(
            """
            WITH draw AS (
                SELECT o,
                       -- the first n orders give each customer one; then a skew to low numbers
                       CASE WHEN o <= %(n)s THEN o
                            ELSE 1 + least(%(n)s - 1, floor(%(n)s * power(random(), 1.6))::int)
                       END AS c,
                       random() AS r_contact, random() AS r_state, random() AS r_date,
                       random() AS u1, random() AS u2
                  FROM generate_series(1, %(m)s) o
            ), shaped AS (
                SELECT o, c,
                       CASE WHEN mod(c, %(every)s) = 0 AND r_contact < 0.5
                            THEN %(base)s + %(n)s + (c / %(every)s - 1) * %(per)s
                                 + 1 + floor(r_contact * 2 * %(per)s)::int
                            ELSE %(base)s + c END AS partner_id,
                       %(base)s + c AS invoice_id,
                       mod(c, %(eur_every)s) = 7 AS in_eur,
                       CASE WHEN r_state < 0.87 THEN 'sale' WHEN r_state < 0.97 THEN 'cancel'
                            ELSE 'draft' END AS state,
                       date_trunc('second', (now() at time zone 'UTC')
                                  - r_date * %(days)s * interval '1 day') AS date_order,
                       round(exp(5 + 1.1 * sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2))::numeric, 2)
                           AS untaxed
                  FROM draw
            )
            INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id,
                                    company_id, currency_id, pricelist_id, currency_rate,
                                    date_order, state, amount_untaxed, amount_tax, amount_total,
                                    user_id, team_id, invoice_status, locked, require_signature,
                                    require_payment, prepayment_percent,
                                    create_uid, write_uid, create_date, write_date
                                    %(stock_columns)s)
            SELECT 'BENCH/' || lpad(s.o::text, 7, '0'), s.partner_id, s.invoice_id, s.partner_id,
                   %(company)s,
                   CASE WHEN s.in_eur THEN %(eur)s ELSE %(company_currency)s END,
                   CASE WHEN s.in_eur THEN %(pricelist)s END,
                   CASE WHEN s.in_eur THEN coalesce(rate.rate, 1) ELSE 1 END,
                   s.date_order, s.state, s.untaxed, round(s.untaxed * 0.13, 2),
                   s.untaxed + round(s.untaxed * 0.13, 2),
                   2, (%(stores)s::int[])[1 + mod(s.c, %(n_stores)s)],
                   CASE WHEN s.state = 'sale' THEN 'invoiced' ELSE 'no' END,
                   false, false, false, 1.0,
                   2, 2, s.date_order, s.date_order
                   %(stock_values)s
              FROM shaped s
              LEFT JOIN res_currency_rate rate
                     ON s.in_eur AND rate.currency_id = %(eur)s AND rate.company_id = %(company)s
                    AND rate.name = s.date_order::date
            """,
            n=n,
            m=m,
            base=base,
            every=COMPANY_EVERY,
            per=CONTACTS_PER_COMPANY,
            eur_every=EUR_EVERY,
            days=ORDER_DAYS,
            company=company.id,
            company_currency=company.currency_id.id,
            eur=eur.id,
            pricelist=pricelist.id,
            stores=stores,
            n_stores=len(stores),
            stock_columns=stock_columns,
            stock_values=stock_values,
        )
    )


def _load_stores(env, scale):
    """The chain's stores, through the ORM (a few hundred records)."""
    teams = env["crm.team"].create(
        [
            {"name": f"Bench Store {i:03d}", "sequence": 100 + i, "is_store": True}
            for i in range(1, scale.stores + 1)
        ]
    )
    return teams.ids


def _load_complaints(cr, scale, base, company, stores):
    cr.execute("SELECT array_agg(id ORDER BY id) FROM store_complaint_category")
    categories = cr.fetchone()[0]
    cr.execute("SELECT setseed(0.77)")
    cr.execute(
        SQL(
            """
            WITH draw AS (
                SELECT k, 1 + floor(random() * %(n)s)::int AS c,
                       date_trunc('second', (now() at time zone 'UTC')
                                  - random() * interval '365 days') AS received,
                       random() AS r_state, random() * 30 AS response_h,
                       1 + random() * 99 AS resolution_h, random() AS r_fcr,
                       random() AS r_type, random() AS r_comp, random() AS r_cat
                  FROM generate_series(1, %(m)s) k
            ), shaped AS (
                SELECT d.*,
                       CASE WHEN r_state < 0.03 THEN 'cancelled'
                            WHEN received + resolution_h * interval '1 hour'
                                 > now() at time zone 'UTC' THEN 'in_progress'
                            WHEN r_state < 0.88 THEN 'closed' ELSE 'resolved' END AS state
                  FROM draw d
            )
            INSERT INTO store_complaint (name, partner_id, commercial_partner_id, team_id,
                   company_id, category_id, channel, severity, priority, description, state,
                   active, date_received, response_deadline, date_first_response,
                   resolution_deadline, date_resolved, date_closed, first_contact_resolution,
                   responsibility, resolution_type, compensation_amount, reopen_count,
                   escalation_level, dispatch_state, compensation_approval_state,
                   counts_as_complaint, create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH-C/' || lpad(k::text, 7, '0'), %(base)s + c, %(base)s + c,
                   (%(stores)s::int[])[1 + mod(c, %(n_stores)s)], %(company)s,
                   (%(categories)s::int[])[1 + floor(r_cat * %(n_cat)s)::int],
                   'store', 'medium', '0', 'Bench complaint', state, true, received,
                   received + interval '24 hours',
                   CASE WHEN state != 'new' THEN received + response_h * interval '1 hour' END,
                   received + interval '72 hours',
                   CASE WHEN state IN ('resolved', 'closed')
                        THEN received + resolution_h * interval '1 hour' END,
                   CASE WHEN state = 'closed'
                        THEN received + (resolution_h + 24) * interval '1 hour' END,
                   state IN ('resolved', 'closed') AND r_fcr < 0.75,
                   CASE WHEN state IN ('resolved', 'closed') THEN 'product' END,
                   CASE WHEN state NOT IN ('resolved', 'closed') THEN NULL
                        WHEN r_type < 0.02 THEN 'refund' WHEN r_type < 0.04 THEN 'exchange'
                        WHEN r_type < 0.5 THEN 'repair' ELSE 'explanation' END,
                   CASE WHEN r_comp < 0.15 THEN round((50 + r_comp * 3000)::numeric, 2)
                        ELSE 0 END,
                   0, 0, 'none', 'none', TRUE, 2, 2, received, received
              FROM shaped
            """,
            n=scale.customers,
            m=scale.complaints,
            base=base,
            stores=stores,
            n_stores=len(stores),
            company=company.id,
            categories=categories,
            n_cat=len(categories),
        )
    )


def _load_visits(cr, scale, base, company, stores):
    cr.execute("SELECT setseed(0.31)")
    cr.execute(
        SQL(
            """
            WITH draw AS (
                SELECT k, 1 + floor(random() * %(n)s)::int AS c,
                       ((now() at time zone 'UTC') - random() * interval '365 days')::date
                           AS scheduled,
                       random() AS r_state, random() AS r_csat, random() AS r_nps,
                       random() AS r_asked
                  FROM generate_series(1, %(m)s) k
            ), shaped AS (
                SELECT d.*,
                       CASE WHEN r_state < 0.75 THEN 'done' WHEN r_state < 0.83 THEN 'unreachable'
                            WHEN r_state < 0.88 THEN 'cancelled' ELSE 'planned' END AS state
                  FROM draw d
            )
            INSERT INTO store_return_visit (partner_id, origin, scheduled_date, team_id,
                   company_id, channel, state, attempt_count, date_done, csat_score, nps_score,
                   nps_given, care_visit, feedback, create_uid, write_uid, create_date,
                   write_date)
            SELECT %(base)s + c, 'sale', scheduled,
                   (%(stores)s::int[])[1 + mod(c, %(n_stores)s)], %(company)s, 'phone', state,
                   CASE WHEN state = 'unreachable' THEN 3 ELSE 0 END,
                   CASE WHEN state = 'done' THEN scheduled + interval '10 hours' END,
                   CASE WHEN state != 'done' OR r_asked >= 0.9 THEN 0
                        WHEN r_csat < 0.50 THEN 5 WHEN r_csat < 0.80 THEN 4
                        WHEN r_csat < 0.92 THEN 3 WHEN r_csat < 0.97 THEN 2 ELSE 1 END,
                   CASE WHEN state = 'done' AND r_asked < 0.6
                        THEN least(10, floor(11 * power(r_nps, 0.4)))::int ELSE 0 END,
                   state = 'done' AND r_asked < 0.6, false, 'BENCH',
                   2, 2, scheduled, scheduled
              FROM shaped
            """,
            n=scale.customers,
            m=scale.visits,
            base=base,
            stores=stores,
            n_stores=len(stores),
            company=company.id,
        )
    )


def load(env, scale, log):
    """Load ``scale`` into the database of ``env``; returns {step: seconds}. With the
    Point of Sale installed (``run.py --pos``), half of the orders are POS orders."""
    cr = env.cr
    company = env.ref("base.main_company")
    timings = {}
    t0 = now()
    # The rows are consistent by construction: skip the per-row foreign-key
    # triggers for this transaction (the usual bulk-load setting; superuser only).
    cr.execute("SET LOCAL session_replication_role = replica")
    eur, pricelist = _second_currency(env, company)
    _load_rates(cr, company, eur)
    timings["currency + rates"] = now() - t0
    t0 = now()
    base = _load_partners(cr, scale, company, pricelist)
    timings["partners"] = now() - t0
    log(f"  partners loaded in {timings['partners']:.1f} s")
    stores = _load_stores(env, scale)
    env.flush_all()
    t0 = now()
    _load_orders(cr, scale, base, company, eur, pricelist, stores)
    timings["orders"] = now() - t0
    log(f"  orders loaded in {timings['orders']:.1f} s")
    pos = has_pos(cr)
    if pos:
        t0 = now()
        _move_half_to_pos(cr, company)
        timings["half the orders to POS"] = now() - t0
        log(f"  half of the orders moved to pos_order in {timings['half the orders to POS']:.1f} s")
    t0 = now()
    _load_complaints(cr, scale, base, company, stores)
    _load_visits(cr, scale, base, company, stores)
    timings["complaints + visits"] = now() - t0
    log(f"  complaints and visits loaded in {timings['complaints + visits']:.1f} s")
    cr.commit()
    env.invalidate_all()
    t0 = now()
    vacuum_analyze(
        cr, "res_partner", "sale_order", "res_currency_rate", "store_complaint",
        "store_return_visit", "crm_team", *(("pos_order",) if pos else ()),
    )  # fmt: skip
    timings["vacuum analyze"] = now() - t0
    return timings
