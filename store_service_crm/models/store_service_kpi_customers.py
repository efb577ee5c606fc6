# The engine's methods (_kpi_tz, _kpi_period, _kpi_is_manager...) come through _inherit,
# which pylint cannot follow.
# pylint: disable=no-member
"""KPI pre-aggregate of the orders (issue 18): order count, revenue, and the distinct
and repeat customers, per store and local day, so that a year over every store reads
day rows instead of the year's orders.

Customers are not additive: a customer who ordered on two days of a period is one
customer. They become additive through each customer's chain of orders in a scope (a
store; all the stores of a company): order a customer's confirmed orders by (date,
key); for a period W = [A, B) (UTC bounds of local days)

    customers(W) = N(W) - H1(W) + X1(W)
    repeat(W)    = (H1(W) - X1(W)) - (H2(W) - X2(W))

where N(W) counts the orders of W, Hk(W) those of them with a k-th next order in the
scope, and Xk(W) the orders dated from B on whose k-th previous order lies in W. (A
customer with n orders in W has n - 1 of them followed within W; the last one is
followed after B when the customer ordered again: X1. With n >= 2, n - 2 orders have
their second next within W, and the last two have it after B: X2 counts those.)

- ``store_service_kpi_chain``: one row per scope and confirmed order
  (``store.order.source``: sale orders and the bridges' orders) with the customer
  (commercial entity), the order's amount in the company currency, its two previous
  order dates and whether it has a first and a second next order in the scope. Store
  scope: ``team_id`` is the order's store; company scope: ``team_id`` 0, the orders of
  the company's stores (``store_service_kpi_order_scope`` keeps which).
- ``store_service_kpi_order_day``: per time zone, scope and local day: N, revenue, H1,
  H2, and ``xm1``/``xm2``: the orders of a later local month whose first (second)
  previous order is on that day. For a calendar month W, Xk(W) is the sum of ``xmk``
  over W; for a period that ends at most a week before today (or later), Xk reads the
  chain rows dated from B (a week of orders at most, and those dated in the future).
  Other periods are read live.
- ``store_service_kpi_order_dirty``: the customers whose chain may have changed (row
  triggers on the order tables and on a contact's commercial entity: every door). A
  read subtracts their stored chain rows and adds their chain computed live; the cron
  recomputes them in committed batches (chain rows, day rows and marks in one
  transaction).

A changed set of stores, chain SQL or a time zone not built yet: rebuilt by the cron,
read live until then.
"""

import calendar
import hashlib
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from .store_service_kpi_aggregate import _UNAGGREGATED, BUILD_BATCH_STORES, REFRESH_LOCK

CHAIN_TABLE = "store_service_kpi_chain"
ORDER_DAY_TABLE = "store_service_kpi_order_day"
ORDER_DIRTY_TABLE = "store_service_kpi_order_dirty"
ORDER_STATE_TABLE = "store_service_kpi_order_state"
ORDER_SCOPE_TABLE = "store_service_kpi_order_scope"
# the chain's state row in ORDER_STATE_TABLE (the other rows are time zones)
CHAIN_KEY = "*chain*"
# marks per committed batch of the refresh; partner ids per batch of a build
REFRESH_BATCH_CUSTOMERS = 20000
BUILD_BATCH_CUSTOMERS = 250000
# its own advisory lock, next to the day table's
ORDER_REFRESH_LOCK = REFRESH_LOCK + 1
COMPANY_SCOPE = 0
# a period that is not a calendar month is read from the pre-aggregate when it ends at
# most this many days before today: its Xk read the chain rows dated after it
RECENT_DAYS = 7
DAY_SUMS = ("n", "revenue", "h1", "h2", "xm1", "xm2")


def _ident(name):
    return SQL.identifier(name)


def _local(column, tz):
    return SQL("((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)", column, tz)


def month_period(date_from, date_to):
    """Whether [date_from, date_to] is one whole calendar month."""
    last = calendar.monthrange(date_from.year, date_from.month)[1]
    return date_from.day == 1 and date_to == date_from.replace(day=last)


def _x_count(k, start, stop):
    """SQL aggregate of chain rows ``r``: Xk of the period [start, stop), the orders
    from its end on whose k-th previous order is in it."""
    previous = SQL.identifier("r", f"prev{k}")
    return SQL(
        "COUNT(*) FILTER (WHERE r.ts >= %s AND %s >= %s AND %s < %s)",
        stop,
        previous,
        start,
        previous,
        stop,
    )


def _order_trigger_names(table):
    """The KPI triggers of an order table: (insert or delete, update)."""
    return f"store_service_kpi_mark_{table}", f"store_service_kpi_mark_{table}_update"


def drop_order_triggers(cr, table):
    """Drop the KPI triggers of an order table (a bridge's, at its uninstallation)."""
    for name in _order_trigger_names(table):
        cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", _ident(name), _ident(table)))


def drop_kpi_customers(cr):
    cr.execute("DROP FUNCTION IF EXISTS store_service_kpi_mark_order() CASCADE")
    cr.execute("DROP FUNCTION IF EXISTS store_service_kpi_mark_partner() CASCADE")
    for table in (
        CHAIN_TABLE,
        ORDER_DAY_TABLE,
        ORDER_DIRTY_TABLE,
        ORDER_STATE_TABLE,
        ORDER_SCOPE_TABLE,
    ):
        cr.execute(SQL("DROP TABLE IF EXISTS %s", _ident(table)))


class StoreServiceKpiAggregate(models.AbstractModel):
    _inherit = "store.service.kpi.aggregate"  # pylint: disable=consider-merging-classes-inherited

    def init(self):
        res = super().init()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS %(chain)s (
                    company_id integer NOT NULL,
                    team_id integer NOT NULL,
                    partner_id integer NOT NULL,
                    ts timestamp NOT NULL,
                    amount numeric,
                    prev1 timestamp,
                    prev2 timestamp,
                    next1 boolean NOT NULL,
                    next2 boolean NOT NULL
                );
                CREATE INDEX IF NOT EXISTS %(chain_partner)s ON %(chain)s (partner_id);
                DROP INDEX IF EXISTS %(chain_company_ts)s;
                CREATE INDEX IF NOT EXISTS %(chain_ts)s ON %(chain)s (company_id, team_id, ts)
                    INCLUDE (prev1, prev2);
                CREATE TABLE IF NOT EXISTS %(day)s (
                    tz varchar NOT NULL,
                    company_id integer NOT NULL,
                    team_id integer NOT NULL,
                    day date NOT NULL,
                    n bigint NOT NULL,
                    revenue numeric NOT NULL,
                    h1 bigint NOT NULL,
                    h2 bigint NOT NULL,
                    xm1 bigint NOT NULL,
                    xm2 bigint NOT NULL,
                    PRIMARY KEY (tz, company_id, team_id, day)
                );
                CREATE TABLE IF NOT EXISTS %(dirty)s (
                    id bigserial PRIMARY KEY,
                    partner_id integer NOT NULL
                );
                CREATE TABLE IF NOT EXISTS %(state)s (
                    key varchar PRIMARY KEY,
                    signature varchar NOT NULL,
                    built_at timestamp NOT NULL
                );
                CREATE TABLE IF NOT EXISTS %(scope)s (
                    company_id integer PRIMARY KEY,
                    stores integer[] NOT NULL
                );
                """,
                chain=_ident(CHAIN_TABLE),
                chain_partner=_ident(f"{CHAIN_TABLE}_partner_idx"),
                chain_company_ts=_ident(f"{CHAIN_TABLE}_company_ts_idx"),
                # the orders after a period, per scope (its Xk)
                chain_ts=_ident(f"{CHAIN_TABLE}_scope_ts_idx"),
                day=_ident(ORDER_DAY_TABLE),
                dirty=_ident(ORDER_DIRTY_TABLE),
                state=_ident(ORDER_STATE_TABLE),
                scope=_ident(ORDER_SCOPE_TABLE),
            )
        )
        self._create_order_triggers()
        return res

    def _create_order_triggers(self):
        """Row triggers marking the customers whose chain a write may change: an order
        inserted, deleted, or changed in a column the chain reads; a contact moved to
        another commercial entity (both entities)."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION store_service_kpi_mark_order()
                RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP != 'INSERT' AND OLD.partner_id IS NOT NULL THEN
                        INSERT INTO %(dirty)s (partner_id) VALUES (OLD.partner_id);
                    END IF;
                    IF TG_OP != 'DELETE' AND NEW.partner_id IS NOT NULL AND (
                            TG_OP = 'INSERT' OR OLD.partner_id IS DISTINCT FROM NEW.partner_id) THEN
                        INSERT INTO %(dirty)s (partner_id) VALUES (NEW.partner_id);
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE OR REPLACE FUNCTION store_service_kpi_mark_partner()
                RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO %(dirty)s (partner_id)
                    SELECT p FROM unnest(ARRAY[OLD.commercial_partner_id,
                                               NEW.commercial_partner_id, NEW.id]) p
                     WHERE p IS NOT NULL;
                    RETURN NULL;
                END $$;
                DROP TRIGGER IF EXISTS store_service_kpi_mark_partner ON res_partner;
                CREATE TRIGGER store_service_kpi_mark_partner AFTER UPDATE ON res_partner
                    FOR EACH ROW WHEN (OLD.commercial_partner_id IS DISTINCT FROM
                                       NEW.commercial_partner_id)
                    EXECUTE FUNCTION store_service_kpi_mark_partner();
                """,
                dirty=_ident(ORDER_DIRTY_TABLE),
            )
        )
        for table, columns in self.env["store.order.source"]._kpi_order_tables().items():
            changed = SQL(" OR ").join(
                SQL("OLD.%s IS DISTINCT FROM NEW.%s", _ident(c), _ident(c)) for c in columns
            )
            drop_order_triggers(cr, table)
            name, name_update = _order_trigger_names(table)
            cr.execute(
                SQL(
                    """
                    CREATE TRIGGER %(name)s AFTER INSERT OR DELETE ON %(table)s
                        FOR EACH ROW EXECUTE FUNCTION store_service_kpi_mark_order();
                    CREATE TRIGGER %(name_update)s AFTER UPDATE ON %(table)s
                        FOR EACH ROW WHEN (%(changed)s)
                        EXECUTE FUNCTION store_service_kpi_mark_order();
                    """,
                    name=_ident(name),
                    name_update=_ident(name_update),
                    table=_ident(table),
                    changed=changed,
                )
            )

    # ------------------------------------------------------------------ SQL
    @api.model
    def _order_scopes(self):
        """{company id: sorted store ids}: the stores whose orders make each company's
        customers (the managers' "all stores" of that company)."""
        Team = self.env["crm.team"].sudo()
        scopes = {}
        for company in self.env["res.company"].sudo().search([]):
            stores = Team.with_context(allowed_company_ids=[company.id])._store_service_stores()
            scopes[company.id] = sorted(stores.ids)
        return scopes

    @api.model
    def _chain_select(self, partners=None, few=False):
        """SELECT of the chain rows (columns of CHAIN_TABLE), of the customers
        ``partners`` (commercial entities: ids, or an SQL query of them) or of
        everyone. ``few``: a few customers (the marked ones), whose orders are read
        by customer: their contacts' ids are given to every branch of the orders'
        ``UNION ALL`` (the bridges'), which a condition on the joined partner is not."""
        where = SQL("so.team_id IS NOT NULL AND so.company_id IS NOT NULL")
        if partners is not None:
            if isinstance(partners, SQL):
                among = SQL("IN (%s)", partners)
            else:
                among = SQL("= ANY(%s)", list(partners))
            where = SQL("%s AND p.commercial_partner_id %s", where, among)
            if few:
                orders_filter = self.env["store.order.source"]._customers_orders_filter(among)
                where = SQL("%s AND %s", where, orders_filter)
        return SQL(
            """
            WITH kpi_o AS MATERIALIZED (
                SELECT so.company_id, so.team_id, p.commercial_partner_id AS partner_id,
                       so.date_order AS ts, so.source_key AS k,
                       so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount
                  FROM (%(confirmed)s) so JOIN res_partner p ON p.id = so.partner_id
                 WHERE %(where)s
            ),
            kpi_s AS (
                SELECT company_id, team_id, partner_id, ts, k, amount FROM kpi_o
                 UNION ALL
                SELECT o.company_id, %(company_scope)s, o.partner_id, o.ts, o.k, o.amount
                  FROM kpi_o o JOIN %(scope)s s ON s.company_id = o.company_id
                 WHERE o.team_id = ANY(s.stores)
            )
            SELECT company_id, team_id, partner_id, ts, amount,
                   lag(ts, 1) OVER w AS prev1, lag(ts, 2) OVER w AS prev2,
                   (lead(k, 1) OVER w) IS NOT NULL AS next1,
                   (lead(k, 2) OVER w) IS NOT NULL AS next2
              FROM kpi_s
            WINDOW w AS (PARTITION BY company_id, team_id, partner_id ORDER BY ts, k)
            """,
            confirmed=self.env["store.order.source"]._confirmed_orders_sql(),
            where=where,
            company_scope=COMPANY_SCOPE,
            scope=_ident(ORDER_SCOPE_TABLE),
        )

    @staticmethod
    def _order_day_select(rows, tz, sign=1):
        """SELECT of the day rows (tz, company, store, day, DAY_SUMS) of chain-shaped
        ``rows`` (times ``sign``)."""
        ts, prev1, prev2 = (_local(SQL(c), tz) for c in ("r.ts", "r.prev1", "r.prev2"))
        month = SQL("date_trunc('month', %s)", ts)
        return SQL(
            """
            SELECT %(tz)s, company_id, team_id, day, %(sign)s * SUM(n), %(sign)s * SUM(revenue),
                   %(sign)s * SUM(h1), %(sign)s * SUM(h2), %(sign)s * SUM(xm1),
                   %(sign)s * SUM(xm2)
              FROM (
                SELECT r.company_id, r.team_id, (%(ts)s)::date AS day, 1 AS n,
                       COALESCE(r.amount, 0) AS revenue, r.next1::int AS h1, r.next2::int AS h2,
                       0 AS xm1, 0 AS xm2
                  FROM (%(rows)s) r
                 UNION ALL
                SELECT r.company_id, r.team_id, (%(prev1)s)::date, 0, 0, 0, 0, 1, 0
                  FROM (%(rows)s) r
                 WHERE r.prev1 IS NOT NULL AND %(month)s > date_trunc('month', %(prev1)s)
                 UNION ALL
                SELECT r.company_id, r.team_id, (%(prev2)s)::date, 0, 0, 0, 0, 0, 1
                  FROM (%(rows)s) r
                 WHERE r.prev2 IS NOT NULL AND %(month)s > date_trunc('month', %(prev2)s)
              ) c
          GROUP BY company_id, team_id, day
            """,
            tz=tz,
            sign=sign,
            rows=rows,
            ts=ts,
            prev1=prev1,
            prev2=prev2,
            month=month,
        )

    @api.model
    def _order_signature(self):
        text = self._chain_select().code + self._order_day_select(SQL("x"), "UTC").code
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    # ------------------------------------------------------------------ building
    @api.model
    def _build_orders(self, tzs, commit=False, batch_customers=BUILD_BATCH_CUSTOMERS):
        """Build the chain and the day rows of ``tzs`` from scratch, in batches of
        customers (each committed with ``commit``); read once every batch is done (the
        state rows come last). The first transaction deletes the marks it sees: every
        batch reads a later snapshot, which holds their changes."""
        cr = self.env.cr
        self.env["store.order.source"]._confirmed_orders_flush()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        for table in (ORDER_STATE_TABLE, ORDER_SCOPE_TABLE, CHAIN_TABLE, ORDER_DAY_TABLE):
            cr.execute(SQL("DELETE FROM %s", _ident(table)))
        cr.execute(SQL("DELETE FROM %s", _ident(ORDER_DIRTY_TABLE)))
        for company_id, stores in self._order_scopes().items():
            cr.execute(
                SQL(
                    "INSERT INTO %s (company_id, stores) VALUES (%s, %s::int[])",
                    _ident(ORDER_SCOPE_TABLE),
                    company_id,
                    stores,
                )
            )
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
        last = cr.fetchone()[0]
        for low in range(0, last + 1, batch_customers):
            if commit:
                cr.commit()  # pylint: disable=invalid-commit
            customers = SQL(
                "SELECT id FROM res_partner WHERE id >= %s AND id < %s",
                low,
                low + batch_customers,
            )
            cr.execute(SQL("INSERT INTO %s %s", _ident(CHAIN_TABLE), self._chain_select(customers)))
            batch = SQL(
                "SELECT * FROM %s WHERE partner_id >= %s AND partner_id < %s",
                _ident(CHAIN_TABLE),
                low,
                low + batch_customers,
            )
            for tz in tzs:
                self._insert_order_days(batch, tz)
        cr.execute(SQL("ANALYZE %s", _ident(CHAIN_TABLE)))
        signature = self._order_signature()
        for key in [CHAIN_KEY, *tzs]:
            self._save_order_state(key, signature)
        if commit:
            cr.commit()  # pylint: disable=invalid-commit

    def _save_order_state(self, key, signature):
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (key, signature, built_at) VALUES (%s, %s, now() at time zone"
                " 'UTC') ON CONFLICT (key) DO UPDATE SET signature = EXCLUDED.signature,"
                " built_at = EXCLUDED.built_at",
                _ident(ORDER_STATE_TABLE),
                key,
                signature,
            )
        )

    def _insert_order_days(self, rows, tz, sign=1):
        """Add the day rows of chain-shaped ``rows`` (times ``sign``) to the table."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO %(table)s AS d (tz, company_id, team_id, day, %(sums)s) %(select)s
                ON CONFLICT (tz, company_id, team_id, day) DO UPDATE SET %(add)s
                """,
                table=_ident(ORDER_DAY_TABLE),
                sums=SQL(", ").join(_ident(s) for s in DAY_SUMS),
                select=self._order_day_select(rows, tz, sign),
                add=SQL(", ").join(
                    SQL("%s = d.%s + EXCLUDED.%s", _ident(s), _ident(s), _ident(s))
                    for s in DAY_SUMS
                ),
            )
        )

    @api.model
    def _order_built_tzs(self):
        """The time zones built with the current SQL (none when the chain is not)."""
        self.env.cr.execute(
            SQL(
                "SELECT key FROM %s WHERE signature = %s",
                _ident(ORDER_STATE_TABLE),
                self._order_signature(),
            )
        )
        keys = {key for (key,) in self.env.cr.fetchall()}
        return sorted(keys - {CHAIN_KEY}) if CHAIN_KEY in keys else []

    @api.model
    def _order_scopes_current(self):
        self.env.cr.execute(SQL("SELECT company_id, stores FROM %s", _ident(ORDER_SCOPE_TABLE)))
        return {company_id: sorted(stores) for company_id, stores in self.env.cr.fetchall()}

    @api.model
    def _refresh_order_marks(self, tzs, limit=REFRESH_BATCH_CUSTOMERS):
        """Recompute the chain of the customers of the oldest ``limit`` marks and
        their day rows in ``tzs``; delete those marks (one transaction). The number of
        marks done."""
        cr = self.env.cr
        dirty = _ident(ORDER_DIRTY_TABLE)
        cr.execute(SQL("SELECT id, partner_id FROM %s ORDER BY id LIMIT %s", dirty, limit))
        marks = cr.fetchall()
        if not marks:
            return 0
        partners = self._order_dirty_customers([pid for _id, pid in marks])
        chain = _ident(CHAIN_TABLE)
        cr.execute("DROP TABLE IF EXISTS store_service_kpi_chain_old")
        cr.execute(
            SQL(
                "CREATE TEMPORARY TABLE store_service_kpi_chain_old ON COMMIT DROP AS"
                " SELECT * FROM %s WHERE partner_id = ANY(%s)",
                chain,
                partners,
            )
        )
        cr.execute(SQL("DELETE FROM %s WHERE partner_id = ANY(%s)", chain, partners))
        cr.execute(SQL("INSERT INTO %s %s", chain, self._chain_select(partners, few=True)))
        for tz in tzs:
            self._insert_order_days(SQL("SELECT * FROM store_service_kpi_chain_old"), tz, -1)
            self._insert_order_days(
                SQL("SELECT * FROM %s WHERE partner_id = ANY(%s)", chain, partners), tz
            )
        cr.execute(
            SQL(
                "DELETE FROM %s WHERE tz = ANY(%s) AND n = 0 AND h1 = 0 AND h2 = 0"
                " AND xm1 = 0 AND xm2 = 0",
                _ident(ORDER_DAY_TABLE),
                list(tzs),
            )
        )
        cr.execute(SQL("DELETE FROM %s WHERE id = ANY(%s)", dirty, [mid for mid, _p in marks]))
        cr.execute("DROP TABLE IF EXISTS store_service_kpi_chain_old")
        return len(marks)

    @api.model
    def _order_dirty_customers(self, partner_ids):
        """The customers to recompute for the marked partners ``partner_ids``."""
        self.env.cr.execute(self._order_dirty_sql(SQL("SELECT unnest(%s::int[])", partner_ids)))
        return sorted(cp for (cp,) in self.env.cr.fetchall())

    @api.model
    def _order_dirty_sql(self, marked):
        """SELECT of the customers whose chain the marked partners (``marked``: a
        SELECT of partner ids) may change: their commercial entities, and the marked
        partners themselves (an entity a contact left). The refresh and the read use
        it."""
        return SQL(
            """SELECT m.id FROM (%(marked)s) m(id) WHERE m.id IS NOT NULL
                UNION
               SELECT p.commercial_partner_id FROM res_partner p
                WHERE p.id IN (%(marked)s) AND p.commercial_partner_id IS NOT NULL""",
            marked=marked,
        )

    @api.model
    def _refresh_orders(self, commit=False, batch_customers=None, build_batch=None):
        """Bring the orders' pre-aggregate up to date: rebuild it when its SQL or a
        company's stores changed, build the missing time zones, then recompute the
        marked customers in committed batches. One at a time (advisory lock)."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_lock(%s)", ORDER_REFRESH_LOCK))
        if not cr.fetchone()[0]:
            return 0
        done = 0
        try:
            wanted = self._wanted_tzs()
            built = self._order_built_tzs()
            if not built or self._order_scopes_current() != self._order_scopes():
                self._build_orders(
                    wanted, commit=commit, batch_customers=build_batch or BUILD_BATCH_CUSTOMERS
                )
                built = self._order_built_tzs()
            signature = self._order_signature()
            for tz in wanted:
                if tz not in built:
                    # marks not yet done are read live on top, as for the other zones
                    cr.execute(SQL("DELETE FROM %s WHERE tz = %s", _ident(ORDER_DAY_TABLE), tz))
                    self._insert_order_days(SQL("SELECT * FROM %s", _ident(CHAIN_TABLE)), tz)
                    self._save_order_state(tz, signature)
                    if commit:
                        cr.commit()  # pylint: disable=invalid-commit
            tzs = self._order_built_tzs()
            while True:
                count = self._refresh_order_marks(
                    tzs, limit=batch_customers or REFRESH_BATCH_CUSTOMERS
                )
                if not count:
                    break
                done += count
                if commit:
                    cr.commit()  # pylint: disable=invalid-commit
        except Exception:
            cr.rollback()
            cr.execute(SQL("SELECT pg_advisory_unlock(%s)", ORDER_REFRESH_LOCK))
            raise
        cr.execute(SQL("SELECT pg_advisory_unlock(%s)", ORDER_REFRESH_LOCK))
        return done

    @api.model
    def _refresh(self, commit=False, batch_stores=BUILD_BATCH_STORES, batch_marks=None):
        done = super()._refresh(commit=commit, batch_stores=batch_stores, batch_marks=batch_marks)
        return done + self._refresh_orders(commit=commit)


class StoreServiceKpi(models.AbstractModel):
    _inherit = "store.service.kpi"  # pylint: disable=consider-merging-classes-inherited

    def _kpi_order_windows(self, date_from, date_to, group_by):
        """{key: (date_from, date_to)} of the periods a read sums (the total under None,
        the months under their key), or None when one of them can be read neither as a
        calendar month nor as a period ending within RECENT_DAYS of today (or later):
        the orders after such a period are few, read from the chain."""
        today = self._kpi_today() - timedelta(days=RECENT_DAYS)
        windows = {None: (date_from, date_to)}
        if group_by == "month":
            month = date_from.replace(day=1)
            while month <= date_to:
                last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
                windows[month.strftime("%Y-%m")] = (max(month, date_from), min(last, date_to))
                month = last + timedelta(days=1)
        for first, last in windows.values():
            if not month_period(first, last) and last < today:
                return None
        return windows

    def _kpi_today(self):
        """Today in the read's time zone."""
        return fields.Date.context_today(self.with_context(tz=self._kpi_tz()))

    def _kpi_order_scope(self, team_ids):
        """(company, scope of the total) when the pre-aggregate can answer: one company
        in the session, its time zone built, and every store of the company (the
        company scope) or one store; else None. One query."""
        if _UNAGGREGATED.get() or not team_ids or len(self.env.companies) != 1:
            return None
        company = self.env.companies.id
        self.env.cr.execute(
            SQL(
                """SELECT EXISTS (SELECT 1 FROM %(state)s
                                   WHERE key = %(tz)s AND signature = %(sig)s)
                      AND EXISTS (SELECT 1 FROM %(state)s
                                   WHERE key = %(chain)s AND signature = %(sig)s),
                          (SELECT stores FROM %(scope)s WHERE company_id = %(company)s)""",
                state=_ident(ORDER_STATE_TABLE),
                tz=self._kpi_tz(),
                chain=CHAIN_KEY,
                sig=self.env["store.service.kpi.aggregate"]._order_signature(),
                scope=_ident(ORDER_SCOPE_TABLE),
                company=company,
            )
        )
        built, stores = self.env.cr.fetchone()
        if not built:
            return None
        if stores is not None and sorted(set(team_ids)) == sorted(stores):
            return company, COMPANY_SCOPE
        if len(set(team_ids)) == 1:
            return company, team_ids[0]
        return None

    def _kpi_order_rows(self, start, stop, team_ids, group_by):
        """From the orders' pre-aggregate when it can answer (``_kpi_order_scope``, and
        periods that are calendar months or end at most a week before today): one
        statement; else the engine's live query."""
        scope = self._kpi_order_scope(team_ids)
        windows = None
        if scope:
            tz = pytz.timezone(self._kpi_tz())
            date_from = pytz.utc.localize(start).astimezone(tz).date()
            date_to = pytz.utc.localize(stop).astimezone(tz).date() - timedelta(days=1)
            windows = self._kpi_order_windows(date_from, date_to, group_by)
        if not windows:
            return super()._kpi_order_rows(start, stop, team_ids, group_by)
        company, total = scope
        # (key, scopes, first, last): the stores over the whole period, then the total
        # and the months in their scope
        reads = [(key, [total], first, last) for key, (first, last) in windows.items()]
        if group_by == "team":
            reads.append(("team", sorted(set(team_ids)), date_from, date_to))
        figures = self._kpi_order_figures(company, reads)
        rows = []
        for key, _scopes, _first, _last in reads:
            for scope_id, sums in figures.get(key, {}).items():
                if key is None:
                    rows.append(dict(sums, kpi_key=None, kpi_total=1))
                elif sums["order_count"]:
                    row_key = scope_id if key == "team" else key
                    rows.append(dict(sums, kpi_key=row_key, kpi_total=0))
        return rows

    def _kpi_order_parts(self, company, key, scopes, first, last):
        """SELECTs (key, scope, n, revenue, h1, h2, x1, x2) of one period [first, last]
        over ``scopes``: the day rows, the chain rows after the period (unless it is a
        calendar month), the marked customers' stored rows (minus) and live ones."""
        _f, _t, start, stop = self._kpi_period(first, last)
        month = month_period(first, last)
        chain = _ident(CHAIN_TABLE)
        where = SQL("r.company_id = %s AND r.team_id = ANY(%s)", company, scopes)

        parts = [
            SQL(
                """
                SELECT %(key)s, d.team_id, SUM(d.n), SUM(d.revenue), SUM(d.h1), SUM(d.h2),
                       %(x1)s, %(x2)s
                  FROM %(day)s d
                 WHERE d.tz = %(tz)s AND d.company_id = %(company)s
                   AND d.team_id = ANY(%(scopes)s) AND d.day >= %(first)s
                   AND d.day <= %(last)s
              GROUP BY d.team_id
                """,
                key=key,
                x1=SQL("SUM(d.xm1)") if month else SQL("0"),
                x2=SQL("SUM(d.xm2)") if month else SQL("0"),
                day=_ident(ORDER_DAY_TABLE),
                tz=self._kpi_tz(),
                company=company,
                scopes=scopes,
                first=first,
                last=last,
            )
        ]
        if not month:
            # the orders dated from the period's end on (a week at most, and the future)
            parts.append(
                SQL(
                    """
                    SELECT %(key)s, r.team_id, 0, 0, 0, 0, %(x1)s, %(x2)s
                      FROM %(chain)s r WHERE %(where)s AND r.ts >= %(stop)s
                  GROUP BY r.team_id
                    """,
                    key=key,
                    x1=_x_count(1, start, stop),
                    x2=_x_count(2, start, stop),
                    stop=stop,
                    chain=chain,
                    where=where,
                )
            )
        return parts + self._kpi_order_marked_parts(key, where, start, stop)

    def _kpi_order_marked_parts(self, key, where, start, stop):
        """SELECTs of the marked customers' figures from their chain rows (any period):
        their stored rows (minus) and their chain computed live (plus)."""
        chain = _ident(CHAIN_TABLE)
        in_w = SQL("r.ts < %s", stop)
        parts = []
        for rows, sign in (
            (SQL("SELECT * FROM %s WHERE partner_id IN (SELECT id FROM kpi_dirty)", chain), -1),
            (SQL("SELECT * FROM kpi_live"), 1),
        ):
            parts.append(
                SQL(
                    """
                    SELECT %(key)s, r.team_id,
                           %(sign)s * COUNT(*) FILTER (WHERE %(in_w)s),
                           %(sign)s * COALESCE(SUM(r.amount) FILTER (WHERE %(in_w)s), 0),
                           %(sign)s * COUNT(*) FILTER (WHERE %(in_w)s AND r.next1),
                           %(sign)s * COUNT(*) FILTER (WHERE %(in_w)s AND r.next2),
                           %(sign)s * %(x1)s, %(sign)s * %(x2)s
                      FROM (%(rows)s) r WHERE %(where)s AND r.ts >= %(start)s
                  GROUP BY r.team_id
                    """,
                    key=key,
                    sign=sign,
                    in_w=in_w,
                    x1=_x_count(1, start, stop),
                    x2=_x_count(2, start, stop),
                    start=start,
                    rows=rows,
                    where=where,
                )
            )
        return parts

    def _kpi_order_figures(self, company, reads):
        """{key: {scope: {order_count, revenue, customer_count, repeat_customer_count}}}
        of ``reads`` [(key, scopes, first day, last day)]: local days that make a
        calendar month or end at most RECENT_DAYS before today. From the day rows,
        the marked customers' stored chain rows out and their chain computed live in
        (one statement)."""
        self.env["store.order.source"]._confirmed_orders_flush()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        aggregate = self.env["store.service.kpi.aggregate"].sudo()
        parts = []
        for key, scopes, first, last in reads:
            parts += self._kpi_order_parts(company, str(key), [int(x) for x in scopes], first, last)
        dirty_table = _ident(ORDER_DIRTY_TABLE)
        self.env.cr.execute(
            SQL(
                """
                WITH kpi_dirty AS MATERIALIZED (%(dirty)s),
                kpi_live AS MATERIALIZED (%(live)s)
                SELECT k, team_id, SUM(n), SUM(revenue), SUM(h1), SUM(h2), SUM(x1), SUM(x2)
                  FROM (%(parts)s) p(k, team_id, n, revenue, h1, h2, x1, x2)
              GROUP BY k, team_id
                """,
                dirty=aggregate._order_dirty_sql(SQL("SELECT partner_id FROM %s", dirty_table)),
                live=aggregate._chain_select(SQL("SELECT id FROM kpi_dirty"), few=True),
                parts=SQL(" UNION ALL ").join(parts),
            )
        )
        found = {(k, team_id): rest for k, team_id, *rest in self.env.cr.fetchall()}
        figures = {}
        for key, scopes, _first, _last in reads:
            for scope in scopes:
                n, revenue, h1, h2, x1, x2 = found.get((str(key), scope)) or (0, 0, 0, 0, 0, 0)
                figures.setdefault(key, {})[scope] = {
                    "order_count": int(n),
                    "revenue": revenue,
                    "customer_count": int(n - h1 + x1),
                    "repeat_customer_count": int((h1 - x1) - (h2 - x2)),
                }
        return figures
