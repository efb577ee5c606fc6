# The engine's methods (_kpi_tz, _kpi_period, _kpi_source_query...) come through
# _inherit, which pylint cannot follow.
# pylint: disable=no-member
"""KPI pre-aggregate (issue 18): the additive sums of complaints and visits per store
and local day, so that a year of KPIs over every store reads a few thousand rows.

Derived from the single KPI layer: the table has one column per additive sum of
``SUMS`` (store_service_kpi_definitions.py), filled with the same SQL the engine runs
(``sum_aggregate``), and rebuilt from scratch whenever that SQL changes (its
signature is kept with each built time zone).

- ``store_service_kpi_day``: one row per (time zone, source, company, store, local
  day) with the sum of every additive sum over the rows that are not ``volatile``
  (their value moves with "now" or other records: open complaints, planned visits,
  care visits...); the volatile rows are always read live.
- ``store_service_kpi_dirty``: the (store, day) buckets changed since they were
  aggregated, written by triggers on the complaint and visit tables (every door: ORM
  writes, the batch SQL of the crons, deletes; old and new bucket of a moved row),
  and (company, all days) when a company setting a sum reads changes. The read path
  reads dirty buckets live; the cron rebuilds them in committed batches, deleting
  exactly the marks it has read: a SIGKILL leaves the marks of the unfinished batch,
  which the next run redoes.
- ``store_service_kpi_day_state``: the time zones built (the users' time zones and
  UTC) with the signature of the SQL they were built with, and ``settled_until``: the
  days from it are read live (a planned visit falls due on its day: the stored days are
  those today has passed, and the refresh brings the day forward, rebuilding the days
  it passes); a time zone that is not (yet) built is read live.

The live part of a read selects its rows through indexes (the days from
``settled_until``, the dirty store-days, the volatile rows), so that a year over every
store reads a few thousand rows of the live tables, not the year.

The pre-aggregate is read for service managers (and the superuser), whose record
rules on complaints and visits are the company rule alone; other users (whose rules
select records inside a store) get the engine's live queries. The orders (count,
revenue, distinct and repeat customers) have a pre-aggregate of their own, refreshed
with this one: store_service_kpi_customers.py.
"""

import contextlib
import contextvars
import functools
import hashlib
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .store_service_kpi_definitions import (
    COMPLAINT,
    DEFINITION_FIELDS,
    VISIT,
    KpiRow,
    sum_aggregate,
    sums_of,
)

DAY_TABLE = "store_service_kpi_day"
DIRTY_TABLE = "store_service_kpi_dirty"
STATE_TABLE = "store_service_kpi_day_state"
AGGREGATED_SOURCES = (COMPLAINT, VISIT)
SOURCE_TABLES = {COMPLAINT: "store_complaint", VISIT: "store_return_visit"}
# stores per committed batch of a full build; dirty marks per committed refresh batch
BUILD_BATCH_STORES = 50
REFRESH_BATCH_MARKS = 20000
_ONE_DAY = timedelta(days=1)
# advisory lock of the refresh: "KPIAGGR" as a number
REFRESH_LOCK = int.from_bytes(b"KPIAGGR", "big")

# set by _kpi_unaggregated() only (server code, tests, benchmarks): never by a client
_UNAGGREGATED = contextvars.ContextVar("store_service_kpi_unaggregated", default=False)


def aggregated_sums(source):
    """The sums of ``source`` the pre-aggregate keeps (every sum of the source must be
    additive, else the source is read live)."""
    return [s for s in sums_of(source) if s.additive]


def source_aggregated(source):
    sums = sums_of(source)
    return source in AGGREGATED_SOURCES and sums and all(s.additive for s in sums)


def _column_type(s):
    return "numeric" if s.value else "bigint"


def _not_volatile(s, row):
    return SQL("(%s) IS NOT TRUE", s.volatile(row)) if s.volatile else None


def volatile_condition(source, row):
    """SQL: the row is volatile for one of the sums of ``source`` (None: never)."""
    volatile = [SQL("(%s)", s.volatile(row)) for s in aggregated_sums(source) if s.volatile]
    return SQL(" OR ").join(volatile) if volatile else None


def settled_day():
    """The first day read live from now on: yesterday (UTC). The days before it have
    passed in every time zone, and a refresh building them counts their visits due."""
    return fields.Date.today() - _ONE_DAY


def _day_sql(source, column, tz):
    """The local day of a complaint's reception / a visit's scheduled date (as the
    engine's ``_kpi_local`` buckets them)."""
    if source == COMPLAINT:
        return SQL("((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date", column, tz)
    return SQL("(%s)::date", column)


def _source_from(source, alias):
    """FROM and base WHERE of the rows a KPI of ``source`` counts (the engine's
    ``_kpi_base_domain`` without its period and stores: not cancelled, active); "now"
    and "today" (UTC) are the server's, as the engine's."""
    row = KpiRow(alias, now=fields.Datetime.now(), today=fields.Date.today())
    if source == COMPLAINT:
        return (
            row,
            SQL(
                "store_complaint %s LEFT JOIN res_company %s ON %s",
                SQL.identifier(alias),
                SQL.identifier(row.company_alias),
                row.company_condition(),
            ),
            SQL(
                "%s AND %s != 'cancelled' AND %s IS NOT NULL",
                row("active"),
                row("state"),
                row("team_id"),
            ),
        )
    return (
        row,
        SQL("store_return_visit %s", SQL.identifier(alias)),
        SQL("%s IS NOT NULL", row("team_id")),
    )


def _date_column(source):
    return "date_received" if source == COMPLAINT else "scheduled_date"


def _day_bounds(source, first, last):
    """(low, high): bounds of the date column of ``source`` around the local days
    ``first``..``last`` (a complaint's local day lies within a day of its UTC bounds),
    typed as the column so that its index serves them."""
    if source == COMPLAINT:
        return (
            fields.Datetime.to_datetime(first) - _ONE_DAY,
            fields.Datetime.to_datetime(last) + 2 * _ONE_DAY,
        )
    return first, last + _ONE_DAY


def build_select(source, tz, condition=None):
    """SELECT of the pre-aggregate's rows of ``source`` in ``tz`` (restricted by
    ``condition`` on the row ``kpi_r``), in the column order of ``day_columns``."""
    row, from_sql, where = _source_from(source, "kpi_r")
    day = _day_sql(source, row(_date_column(source)), tz)
    sums = aggregated_sums(source)
    if condition is not None:
        where = SQL("%s AND %s", where, condition(row, day))
    return SQL(
        "SELECT %s, %s, %s, %s, %s, %s FROM %s WHERE %s GROUP BY 3, 4, 5",
        tz,
        source,
        row("company_id"),
        row("team_id"),
        day,
        SQL(", ").join(sum_aggregate(s, row, only=_not_volatile(s, row)) for s in sums),
        from_sql,
        where,
    )


def day_columns():
    """{sum key: SQL type} of the pre-aggregate's sum columns."""
    return {
        s.key: _column_type(s)
        for source in AGGREGATED_SOURCES
        if source_aggregated(source)
        for s in aggregated_sums(source)
    }


@functools.cache
def signature():
    """Hash of the SQL the pre-aggregate is built with: any change of a sum's filter,
    value or volatility changes it (and the time zones are built again)."""
    text = repr(sorted(day_columns().items()))
    for source in AGGREGATED_SOURCES:
        if source_aggregated(source):
            text += build_select(source, "UTC").code
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def drop_kpi_aggregate(cr):
    """Drop the pre-aggregate's tables and trigger functions (the addon's uninstall)."""
    for source in AGGREGATED_SOURCES:
        cr.execute(
            SQL(
                "DROP FUNCTION IF EXISTS %s() CASCADE",
                SQL.identifier(f"store_service_kpi_mark_{source}"),
            )
        )
    for table in (DAY_TABLE, DIRTY_TABLE, STATE_TABLE):
        cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))


class StoreServiceKpiAggregate(models.AbstractModel):
    _name = "store.service.kpi.aggregate"
    _description = "KPI pre-aggregate (additive sums per store and local day)"

    # ------------------------------------------------------------------ tables
    def init(self):
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS %(dirty)s (
                    id bigserial PRIMARY KEY,
                    source varchar NOT NULL,
                    team_id integer,
                    company_id integer,
                    ts timestamp
                );
                CREATE TABLE IF NOT EXISTS %(state)s (
                    tz varchar PRIMARY KEY,
                    signature varchar NOT NULL,
                    built_at timestamp NOT NULL
                );
                ALTER TABLE %(state)s ADD COLUMN IF NOT EXISTS settled_until date;
                """,
                dirty=SQL.identifier(DIRTY_TABLE),
                state=SQL.identifier(STATE_TABLE),
            )
        )
        columns = day_columns()
        cr.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s",
            [DAY_TABLE],
        )
        existing = dict(cr.fetchall())
        wanted = {"tz", "source", "company_id", "team_id", "day", *columns}
        if existing and set(existing) != wanted:
            cr.execute(SQL("DROP TABLE %s", SQL.identifier(DAY_TABLE)))
            existing = {}
        if not existing:
            cr.execute(SQL("DELETE FROM %s", SQL.identifier(STATE_TABLE)))
            cr.execute(
                SQL(
                    """
                    CREATE TABLE %(day)s (
                        tz varchar NOT NULL,
                        source varchar NOT NULL,
                        company_id integer,
                        team_id integer NOT NULL,
                        day date NOT NULL,
                        %(columns)s
                    );
                    CREATE INDEX %(index)s ON %(day)s (tz, source, day, team_id);
                    """,
                    day=SQL.identifier(DAY_TABLE),
                    index=SQL.identifier(f"{DAY_TABLE}_tz_day_idx"),
                    columns=SQL(", ").join(
                        SQL("%s %s", SQL.identifier(key), SQL(kind))
                        for key, kind in columns.items()
                    ),
                )
            )
        # built with another SQL, or before the settled day was kept: built again by the
        # cron, read live until then
        cr.execute(
            SQL(
                "DELETE FROM %s WHERE signature != %s OR settled_until IS NULL RETURNING tz",
                SQL.identifier(STATE_TABLE),
                signature(),
            )
        )
        stale = [tz for (tz,) in cr.fetchall()]
        if stale:
            cr.execute(
                SQL("DELETE FROM %s WHERE tz IN %s", SQL.identifier(DAY_TABLE), tuple(stale))
            )
        for source in AGGREGATED_SOURCES:
            self._create_triggers(source)
        self._create_indexes()

    def _create_indexes(self):
        """Indexes of the live part of a read (the rows of the dirty store-days and the
        volatile visits), so that it never reads the whole period."""
        cr = self.env.cr
        # the live part's rows of the dirty store-days found by an index
        for source in AGGREGATED_SOURCES:
            cr.execute(
                SQL(
                    "CREATE INDEX IF NOT EXISTS %s ON %s (team_id, %s)",
                    SQL.identifier(f"{SOURCE_TABLES[source]}_kpi_team_day_idx"),
                    SQL.identifier(SOURCE_TABLES[source]),
                    SQL.identifier(_date_column(source)),
                )
            )
        # the live part's volatile visits (done care visits: won back or not moves with
        # the orders) found by an index, not by reading the period
        # (named after its condition: a changed definition replaces it)
        condition = volatile_condition(VISIT, KpiRow("store_return_visit"))
        name = "store_return_visit_kpi_volatile_" + (
            hashlib.sha256(condition.code.encode()).hexdigest()[:8] if condition else "none"
        )
        cr.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'store_return_visit'"
            " AND indexname LIKE 'store_return_visit_kpi_volatile%%' AND indexname != %s",
            [name],
        )
        for (stale,) in cr.fetchall():
            cr.execute(SQL("DROP INDEX %s", SQL.identifier(stale)))
        if condition is not None:
            cr.execute(
                SQL(
                    "CREATE INDEX IF NOT EXISTS %s ON store_return_visit (scheduled_date) WHERE %s",
                    SQL.identifier(name),
                    condition,
                )
            )

    def _create_triggers(self, source):
        """Statement triggers marking the buckets a write touches (old and new rows)."""
        table = SOURCE_TABLES[source]
        function = f"store_service_kpi_mark_{source}"
        ts = "date_received" if source == COMPLAINT else "scheduled_date::timestamp"
        marks = (
            "INSERT INTO {dirty} (source, team_id, company_id, ts)"
            " SELECT DISTINCT '{source}', team_id, company_id, {ts} FROM {rows}"
            " WHERE team_id IS NOT NULL"
        )

        def mark(rows):
            return marks.format(dirty=DIRTY_TABLE, source=source, ts=ts, rows=rows)

        # constants of this module only (the table, function and column names)
        self.env.cr.execute(  # pylint: disable=sql-injection
            f"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    {mark("kpi_new_rows")};
                ELSIF TG_OP = 'DELETE' THEN
                    {mark("kpi_old_rows")};
                ELSE
                    {mark("(SELECT * FROM kpi_old_rows UNION ALL SELECT * FROM kpi_new_rows) r")};
                END IF;
                RETURN NULL;
            END $$;
            DROP TRIGGER IF EXISTS {function}_insert ON {table};
            DROP TRIGGER IF EXISTS {function}_update ON {table};
            DROP TRIGGER IF EXISTS {function}_delete ON {table};
            CREATE TRIGGER {function}_insert AFTER INSERT ON {table}
                REFERENCING NEW TABLE AS kpi_new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION {function}();
            CREATE TRIGGER {function}_update AFTER UPDATE ON {table}
                REFERENCING OLD TABLE AS kpi_old_rows NEW TABLE AS kpi_new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION {function}();
            CREATE TRIGGER {function}_delete AFTER DELETE ON {table}
                REFERENCING OLD TABLE AS kpi_old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION {function}();
            """  # the names are constants of this module
        )

    @api.model
    def _mark_companies(self, companies):
        """Every bucket of ``companies`` is dirty (a setting a sum reads changed)."""
        for source in AGGREGATED_SOURCES:
            self.env.cr.execute(
                SQL(
                    "INSERT INTO %s (source, company_id) SELECT %s, unnest(%s::int[])",
                    SQL.identifier(DIRTY_TABLE),
                    source,
                    list(companies.ids),
                )
            )

    # ------------------------------------------------------------------ time zones
    @api.model
    def _wanted_tzs(self):
        """The time zones the KPIs are read in: UTC and the active internal users'."""
        self.env.cr.execute(
            """
            SELECT DISTINCT p.tz FROM res_users u JOIN res_partner p ON p.id = u.partner_id
             WHERE u.active AND NOT u.share AND p.tz IS NOT NULL
            """
        )
        return sorted({"UTC", *(tz for (tz,) in self.env.cr.fetchall())})

    @api.model
    def _built_tzs(self):
        self.env.cr.execute(
            SQL(
                "SELECT tz FROM %s WHERE signature = %s",
                SQL.identifier(STATE_TABLE),
                signature(),
            )
        )
        return [tz for (tz,) in self.env.cr.fetchall()]

    # ------------------------------------------------------------------ building
    def _insert(self, source, tz, condition):
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (tz, source, company_id, team_id, day, %s) %s",
                SQL.identifier(DAY_TABLE),
                SQL(", ").join(SQL.identifier(s.key) for s in aggregated_sums(source)),
                build_select(source, tz, condition),
            )
        )

    @api.model
    def _build_tz(self, tz, commit=False, batch_stores=BUILD_BATCH_STORES):
        """Build the pre-aggregate of ``tz`` from scratch, in batches of stores (each
        committed with ``commit``); the time zone is read from the pre-aggregate once
        all are built. The dirty marks are left to the refresh, except on a first build
        (no other time zone built), whose batches delete the marks of their stores they
        see (made by changes in what they read)."""
        cr = self.env.cr
        settled = settled_day()
        cr.execute(SQL("DELETE FROM %s WHERE tz = %s", SQL.identifier(STATE_TABLE), tz))
        # no other time zone built: the marks of a batch's stores that this transaction
        # sees are in what it builds (same snapshot), so the batch deletes them
        cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(STATE_TABLE)))
        clear_marks = not cr.fetchone()[0]
        cr.execute("SELECT id FROM crm_team ORDER BY id")
        team_ids = [tid for (tid,) in cr.fetchall()]
        cr.execute(SQL("DELETE FROM %s WHERE tz = %s", SQL.identifier(DAY_TABLE), tz))
        for start in range(0, len(team_ids), batch_stores):
            batch = tuple(team_ids[start : start + batch_stores])
            for source in AGGREGATED_SOURCES:
                if not source_aggregated(source):
                    continue
                cr.execute(
                    SQL(
                        "DELETE FROM %s WHERE tz = %s AND source = %s AND team_id IN %s",
                        SQL.identifier(DAY_TABLE),
                        tz,
                        source,
                        batch,
                    )
                )
                self._insert(
                    source, tz, lambda row, day, batch=batch: SQL("%s IN %s", row("team_id"), batch)
                )
                if clear_marks:
                    cr.execute(
                        SQL(
                            "DELETE FROM %s WHERE source = %s AND team_id IN %s AND ts IS NOT NULL",
                            SQL.identifier(DIRTY_TABLE),
                            source,
                            batch,
                        )
                    )
            if commit:
                cr.commit()  # pylint: disable=invalid-commit
        cr.execute(
            SQL(
                "INSERT INTO %s (tz, signature, built_at, settled_until) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (tz) DO UPDATE SET signature = EXCLUDED.signature,"
                " built_at = EXCLUDED.built_at, settled_until = EXCLUDED.settled_until",
                SQL.identifier(STATE_TABLE),
                tz,
                signature(),
                fields.Datetime.now(),
                settled,
            )
        )
        if commit:
            cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _settle(self, tz, commit=False):
        """Bring the settled day of ``tz`` forward to ``settled_day()``: rebuild the
        buckets of the days it passes (every store; built before today passed them),
        in one transaction. Whether it moved."""
        cr = self.env.cr
        settled = settled_day()
        cr.execute(
            SQL(
                "SELECT settled_until FROM %s WHERE tz = %s AND signature = %s FOR UPDATE",
                SQL.identifier(STATE_TABLE),
                tz,
                signature(),
            )
        )
        state = cr.fetchone()
        if not state or state[0] >= settled:
            return False
        low = state[0]
        for source in AGGREGATED_SOURCES:
            if not source_aggregated(source):
                continue
            cr.execute(
                SQL(
                    "DELETE FROM %s WHERE tz = %s AND source = %s AND day >= %s AND day < %s",
                    SQL.identifier(DAY_TABLE),
                    tz,
                    source,
                    low,
                    settled,
                )
            )
            column = _date_column(source)
            bounds = _day_bounds(source, low, settled - _ONE_DAY)

            def passed_days(row, day, column=column, bounds=bounds):
                return SQL(
                    "%s >= %s AND %s < %s AND %s >= %s AND %s < %s",
                    row(column),
                    bounds[0],
                    row(column),
                    bounds[1],
                    day,
                    low,
                    day,
                    settled,
                )

            self._insert(source, tz, passed_days)
        cr.execute(
            SQL(
                "UPDATE %s SET settled_until = %s WHERE tz = %s",
                SQL.identifier(STATE_TABLE),
                settled,
                tz,
            )
        )
        if commit:
            cr.commit()  # pylint: disable=invalid-commit
        return True

    @api.model
    def _refresh_marks(self, tzs, limit=REFRESH_BATCH_MARKS):
        """Rebuild the buckets of the oldest ``limit`` dirty marks in ``tzs`` and delete
        those marks (one transaction); the number of marks done."""
        cr = self.env.cr
        cr.execute(
            SQL("SELECT id FROM %s ORDER BY id LIMIT %s", SQL.identifier(DIRTY_TABLE), limit)
        )
        ids = [mid for (mid,) in cr.fetchall()]
        if not ids:
            return 0
        ids_sql = SQL("%s", ids)
        dirty = SQL.identifier(DIRTY_TABLE)
        for tz in tzs:
            for source in AGGREGATED_SOURCES:
                if not source_aggregated(source):
                    continue
                self._refresh_source(source, tz, dirty, ids_sql)
        cr.execute(SQL("DELETE FROM %s WHERE id = ANY(%s)", dirty, ids_sql))
        return len(ids)

    def _refresh_source(self, source, tz, dirty, ids_sql):
        cr = self.env.cr
        day_table = SQL.identifier(DAY_TABLE)
        mark_day = _day_sql(source, SQL("m.ts"), tz)
        cr.execute(
            SQL(
                """
                SELECT DISTINCT m.team_id, %(day)s FROM %(dirty)s m
                 WHERE m.id = ANY(%(ids)s) AND m.source = %(source)s AND m.ts IS NOT NULL
                """,
                day=mark_day,
                dirty=dirty,
                ids=ids_sql,
                source=source,
            )
        )
        buckets = cr.fetchall()
        if buckets:
            values = SQL(", ").join(SQL("(%s, %s::date)", team, day) for team, day in buckets)
            cr.execute(
                SQL(
                    """
                    DELETE FROM %(table)s d USING (VALUES %(values)s) AS b(team_id, day)
                     WHERE d.tz = %(tz)s AND d.source = %(source)s
                       AND d.team_id = b.team_id AND d.day = b.day
                    """,
                    table=day_table,
                    values=values,
                    tz=tz,
                    source=source,
                )
            )
            days = [day for _team, day in buckets]
            column = _date_column(source)
            low, high = _day_bounds(source, min(days), max(days))

            def in_buckets(row, day):
                return SQL(
                    "%s >= %s AND %s < %s AND (%s, %s) IN (VALUES %s)",
                    row(column),
                    low,
                    row(column),
                    high,
                    row("team_id"),
                    day,
                    values,
                )

            self._insert(source, tz, in_buckets)
        cr.execute(
            SQL(
                """
                SELECT DISTINCT company_id FROM %(dirty)s
                 WHERE id = ANY(%(ids)s) AND source = %(source)s AND ts IS NULL
                   AND company_id IS NOT NULL
                """,
                dirty=dirty,
                ids=ids_sql,
                source=source,
            )
        )
        companies = tuple(cid for (cid,) in cr.fetchall())
        if companies:
            cr.execute(
                SQL(
                    "DELETE FROM %s WHERE tz = %s AND source = %s AND company_id IN %s",
                    day_table,
                    tz,
                    source,
                    companies,
                )
            )
            self._insert(source, tz, lambda row, day: SQL("%s IN %s", row("company_id"), companies))

    @api.model
    def _refresh(self, commit=False, batch_stores=BUILD_BATCH_STORES, batch_marks=None):
        """Bring the pre-aggregate up to date: build the time zones not built yet, then
        rebuild the dirty buckets, in committed batches (with ``commit``). One refresh
        at a time (a session advisory lock: another process returns at once; a killed
        process's lock goes with its connection). The number of marks done."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_lock(%s)", REFRESH_LOCK))
        if not cr.fetchone()[0]:
            return 0
        try:
            wanted = self._wanted_tzs()
            built = self._built_tzs()
            for tz in wanted:
                if tz not in built:
                    self._build_tz(tz, commit=commit, batch_stores=batch_stores)
            tzs = self._built_tzs()
            for tz in tzs:
                self._settle(tz, commit=commit)
            done = 0
            while True:
                count = self._refresh_marks(tzs, limit=batch_marks or REFRESH_BATCH_MARKS)
                if not count:
                    break
                done += count
                if commit:
                    self.env["ir.cron"]._notify_progress(done=done, remaining=0)
                    cr.commit()  # pylint: disable=invalid-commit
        except Exception:
            cr.rollback()  # the lock is the session's: released in a new transaction
            cr.execute(SQL("SELECT pg_advisory_unlock(%s)", REFRESH_LOCK))
            raise
        cr.execute(SQL("SELECT pg_advisory_unlock(%s)", REFRESH_LOCK))
        return done

    @api.model
    def _cron_refresh(self):
        self._refresh(commit=True)


class StoreServiceKpi(models.AbstractModel):
    _inherit = "store.service.kpi"  # pylint: disable=consider-merging-classes-inherited

    @contextlib.contextmanager
    def _kpi_unaggregated(self):
        """Within this block, the KPIs are computed by the engine alone (the reference
        the pre-aggregate is checked against)."""
        token = _UNAGGREGATED.set(True)
        try:
            yield
        finally:
            _UNAGGREGATED.reset(token)

    def _kpi_aggregate_usable(self, source, team_ids):
        """Whether this read may use the pre-aggregate (it does once the time zone is
        built: ``_kpi_aggregate_built``)."""
        if _UNAGGREGATED.get() or not team_ids or not source_aggregated(source):
            return False
        if not self.env.context.get("active_test", True):
            return False  # the engine would count archived complaints too
        return self._kpi_is_manager()

    def _kpi_aggregate_settled_sql(self, tz):
        """SQL: the settled day of ``tz``; -infinity while it is not built (every row
        is then read live)."""
        return SQL(
            "COALESCE((SELECT settled_until FROM %s WHERE tz = %s AND signature = %s),"
            " '-infinity'::date)",
            SQL.identifier(STATE_TABLE),
            tz,
            signature(),
        )

    def _kpi_aggregate_settled(self, tz=None):
        """The settled day of ``tz`` (the read's), None while it is not built."""
        self.env.cr.execute(
            SQL(
                "SELECT NULLIF(%s, '-infinity'::date)",
                self._kpi_aggregate_settled_sql(tz or self._kpi_tz()),
            )
        )
        return self.env.cr.fetchone()[0]

    def _kpi_aggregate_marks(self, source, tz, start, stop, team_ids):
        """WITH: the settled day of ``tz``, the dirty store-days of the period and the
        dirty companies (CTEs, read once)."""
        dirty_table = SQL.identifier(DIRTY_TABLE)
        return SQL(
            """
            WITH kpi_state AS (SELECT %(settled)s AS settled),
            kpi_dirty_days AS MATERIALIZED (
                SELECT DISTINCT team_id, %(mark_day)s AS day FROM %(dirty)s
                 WHERE source = %(source)s AND ts IS NOT NULL AND team_id IN %(teams)s
                   AND ts >= %(low)s AND ts < %(high)s
            ),
            kpi_dirty_companies AS MATERIALIZED (
                SELECT DISTINCT company_id FROM %(dirty)s
                 WHERE source = %(source)s AND ts IS NULL AND company_id IS NOT NULL
            )
            """,
            settled=self._kpi_aggregate_settled_sql(tz),
            mark_day=_day_sql(source, SQL("ts"), tz),
            dirty=dirty_table,
            source=source,
            teams=tuple(team_ids),
            low=start - _ONE_DAY,
            high=stop + _ONE_DAY,
        )

    def _kpi_aggregate_live_rows(self, source, tz, date_from, date_to, team_ids):
        """SELECT (id, whole) of the rows read live, each part through an index (the
        settled day is a parameter of the statement, and the dirty companies' part is
        not run without one): ``whole`` for every row of the days from the settled
        day, of the dirty store-days and of the dirty companies; not ``whole`` for a
        volatile row (read live for its volatile sums only)."""
        table = SQL.identifier(SOURCE_TABLES[source])
        column = _date_column(source)
        row = KpiRow("kpi_l")
        day = _day_sql(source, row(column), tz)
        date_from, date_to, start, stop = self._kpi_period(date_from, date_to)
        settled = SQL("(SELECT settled FROM kpi_state)")
        if source == COMPLAINT:
            low, high = start, stop
            # a complaint's local day lies within a day of its UTC bounds
            settled_low = SQL("(%s - 1)::timestamp", settled)
        else:
            low, high, settled_low = date_from, date_to + _ONE_DAY, settled
        period = SQL(
            "%s >= %s AND %s < %s AND kpi_l.team_id IN %s",
            row(column),
            low,
            row(column),
            high,
            tuple(team_ids),
        )
        parts = [
            SQL(
                "SELECT kpi_l.id, TRUE FROM %s kpi_l WHERE %s AND %s >= %s AND %s >= %s",
                table,
                period,
                row(column),
                settled_low,
                day,
                settled,
            ),
            SQL(
                """SELECT kpi_l.id, TRUE FROM %s kpi_l
                     JOIN kpi_dirty_days dd ON dd.team_id = kpi_l.team_id
                      AND %s >= dd.day - 1 AND %s < dd.day + 2
                    WHERE %s AND %s = dd.day""",
                table,
                row(column),
                row(column),
                period,
                day,
            ),
            SQL(
                """SELECT kpi_l.id, TRUE FROM %s kpi_l
                    WHERE EXISTS (SELECT 1 FROM kpi_dirty_companies) AND %s
                      AND kpi_l.company_id IN (SELECT company_id FROM kpi_dirty_companies)""",
                table,
                period,
            ),
        ]
        volatile = volatile_condition(source, row)
        if volatile is not None:
            parts.append(
                SQL(
                    "SELECT kpi_l.id, FALSE FROM %s kpi_l WHERE %s AND (%s)",
                    table,
                    period,
                    volatile,
                )
            )
        return SQL(
            "SELECT id, bool_or(whole) AS whole FROM (%s) kpi_parts(id, whole) GROUP BY id",
            SQL(" UNION ALL ").join(parts),
        )

    def _kpi_aggregate_live(self, source, tz, date_from, date_to, team_ids, key_of):
        """SELECT of the live part: the rows of ``_kpi_aggregate_live_rows``, through the
        ORM's record rules; the whole rows for every sum, the volatile rows for their
        volatile sums."""
        sums = aggregated_sums(source)
        query, row, _local = self._kpi_source_query(source, date_from, date_to, team_ids)
        query.add_join(
            "JOIN",
            "kpi_live",
            SQL("(%s)", self._kpi_aggregate_live_rows(source, tz, date_from, date_to, team_ids)),
            SQL("kpi_live.id = %s", row("id")),
        )
        day = _day_sql(source, row(_date_column(source)), tz)
        whole = SQL("kpi_live.whole")
        query.groupby = SQL("1")
        return query.select(
            SQL("%s AS kpi_key", key_of(row("team_id"), day)),
            *(
                SQL(
                    "%s AS %s",
                    sum_aggregate(
                        s,
                        row,
                        only=SQL("(%s OR (%s) IS TRUE)", whole, s.volatile(row))
                        if s.volatile
                        else whole,
                    ),
                    SQL.identifier(s.key),
                )
                for s in sums
            ),
        )

    def _kpi_aggregate_stored(self, source, tz, date_from, date_to, team_ids, key_of, group_by):
        """SELECT of the pre-aggregated part: the clean store-days of the period before
        the settled day."""
        where = [
            SQL("d.tz = %s AND d.source = %s", tz, source),
            SQL(
                "d.day >= %s AND d.day <= %s AND d.day < (SELECT settled FROM kpi_state)",
                date_from,
                date_to,
            ),
            SQL("d.team_id IN %s", tuple(team_ids)),
            SQL("(d.team_id, d.day) NOT IN (SELECT team_id, day FROM kpi_dirty_days)"),
            SQL("d.company_id NOT IN (SELECT company_id FROM kpi_dirty_companies)"),
        ]
        if not self.env.su:
            # the company record rule of complaints and visits (managers see all else)
            where.append(SQL("d.company_id IN %s", tuple(self.env.companies.ids)))
        # summed per store or per day first (the day: in the index's order), then per
        # key: the key's expression (a month) runs once per day, not once per store-day
        team, day = {
            "team": (SQL("d.team_id"), SQL("NULL::date")),
            "month": (SQL("NULL::integer"), SQL("d.day")),
        }.get(group_by, (SQL("NULL::integer"), SQL("NULL::date")))
        sums = [SQL.identifier(s.key) for s in aggregated_sums(source)]
        return SQL(
            """SELECT %s AS kpi_key, %s FROM (
                   SELECT %s AS team_id, %s AS day, %s FROM %s d WHERE %s GROUP BY 1, 2
               ) g GROUP BY 1""",
            key_of(SQL("g.team_id"), SQL("g.day")),
            SQL(", ").join(SQL("SUM(g.%s)", col) for col in sums),
            team,
            day,
            SQL(", ").join(SQL("SUM(d.%s) AS %s", col, col) for col in sums),
            SQL.identifier(DAY_TABLE),
            SQL(" AND ").join(where),
        )

    def _kpi_source_rows(self, source, date_from, date_to, team_ids, group_by):
        """With the pre-aggregate, one statement: the clean store-days of the table
        before its settled day plus, live, the rows of the later days, of the dirty
        store-days and the volatile rows; every row live while the time zone is not
        built (the engine's figures, either way)."""
        if not self._kpi_aggregate_usable(source, team_ids):
            return super()._kpi_source_rows(source, date_from, date_to, team_ids, group_by)
        tz = self._kpi_tz()
        date_from, date_to, start, stop = self._kpi_period(date_from, date_to)
        sums = aggregated_sums(source)

        # both parts grouped by the breakdown key (store, month or nothing)
        def key_of(team, bucket_day):
            if group_by == "team":
                return team
            if group_by == "month":
                return SQL("to_char(%s, 'YYYY-MM')", bucket_day)
            return SQL("NULL::text")

        if group_by in ("team", "month"):
            key_sql = SQL("u.kpi_key")
            total_sql = SQL("GROUPING(u.kpi_key)")
            group = SQL("GROUP BY GROUPING SETS ((u.kpi_key), ())")
        else:
            key_sql, total_sql, group = SQL("NULL"), SQL("1"), SQL()
        parts = (source, tz, date_from, date_to, team_ids, key_of)
        # JIT-compiling the many FILTER aggregates costs seconds and saves nothing on a
        # read of a few thousand rows: off for the rest of this transaction
        self.env.cr.execute(
            SQL(
                "SET LOCAL jit = off;"
                " %s SELECT %s AS kpi_key, %s AS kpi_total, %s FROM (%s UNION ALL %s) u %s",
                self._kpi_aggregate_marks(source, tz, start, stop, team_ids),
                key_sql,
                total_sql,
                SQL(", ").join(
                    SQL(
                        "SUM(%s)%s AS %s",
                        SQL.identifier("u", s.key),
                        SQL("") if s.value else SQL("::bigint"),
                        SQL.identifier(s.key),
                    )
                    for s in sums
                ),
                self._kpi_aggregate_live(*parts),
                self._kpi_aggregate_stored(*parts, group_by),
                group,
            )
        )
        return self.env.cr.dictfetchall()


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    def write(self, vals):
        res = super().write(vals)
        if any(name in vals for name in DEFINITION_FIELDS):
            self.env["store.service.kpi.aggregate"].sudo()._mark_companies(self)
        return res
