"""Locks shared by the crons and the complaint workflow."""

from contextlib import contextmanager

import psycopg2

from odoo.tools import SQL

# First key of every advisory lock of this addon (the second is the hash of a name),
# so they never collide with the locks of other code.
ADVISORY_LOCK_CLASS = 0x5343  # "SC"


def try_advisory_xact_lock(cr, name):
    """Take the advisory lock ``name`` until the end of the transaction of ``cr``,
    without waiting: True when taken (or already held by this transaction)."""
    cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", ADVISORY_LOCK_CLASS, name))
    return cr.fetchone()[0]


@contextmanager
def cron_run_lock(env, name):
    """Hold the run lock ``name`` for a whole cron run, across the commits of its batches.

    The lock lives in a transaction of its own, on a cursor of its own, so the
    commits of the run do not release it; it goes when the run ends, raises, or
    its process dies (PostgreSQL drops the locks of a lost connection). Yields
    False when another process holds it: that run is doing the work, this one
    must do nothing. Odoo's cron runner already never runs one job twice at
    once; this also covers the manual runs, shells and scripts.
    """
    with env.registry.cursor() as lock_cr:
        yield try_advisory_xact_lock(lock_cr, name)


def lock_rows_nowait(cr, table, ids):
    """``SELECT ... FOR NO KEY UPDATE NOWAIT`` on the rows ``ids`` of ``table``.

    Returns None when locked, else the psycopg2 error: ``LockNotAvailable``
    (another transaction is changing one of them right now) or
    ``SerializationFailure`` (one of them was changed and committed since this
    transaction started). The savepoint keeps the transaction usable either way.
    """
    try:
        with cr.savepoint(flush=False):
            cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE NOWAIT",
                    SQL.identifier(table),
                    list(ids),
                ),
                log_exceptions=False,
            )
    except (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure) as error:
        return error
    return None
