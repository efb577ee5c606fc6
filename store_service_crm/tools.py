"""Locks shared by the crons and the complaint workflow, the crons' batches; the one
door's field check."""

from contextlib import contextmanager
from typing import NamedTuple

import psycopg2
from psycopg2.errorcodes import LOCK_NOT_AVAILABLE, SERIALIZATION_FAILURE

from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

# Longest free text accepted in a complaint or a visit (characters): about ten pages.
# A bigger paste is a mistake (a log, a binary), not a customer's words.
TEXT_MAX_LENGTH = 20000

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
    lock_cr = env.registry.cursor()
    try:
        yield try_advisory_xact_lock(lock_cr, name)
    finally:
        lock_cr.close()  # rolls back: the lock goes


def split_batches(ids, batch_size, parts=1):
    """``ids`` cut in consecutive batches of at most ``batch_size`` ids, whose sizes
    differ by one at most; with ``parts`` > 1, a multiple of ``parts`` batches (when
    there are that many ids), so that ``parts`` workers end together."""
    if not ids:
        return []
    count = -(-len(ids) // batch_size)
    if parts > 1:
        count = -(-count // parts) * parts
    count = min(count, len(ids))
    size, extra = divmod(len(ids), count)
    batches, start = [], 0
    for index in range(count):
        end = start + size + (index < extra)
        batches.append(ids[start:end])
        start = end
    return batches


def lock_rows_nowait(cr, table, ids):
    """``SELECT ... FOR NO KEY UPDATE NOWAIT`` on the rows ``ids`` of ``table``.

    Returns None when locked, else the PostgreSQL error code: LOCK_NOT_AVAILABLE
    (another transaction is changing one of them right now) or
    SERIALIZATION_FAILURE (one of them was changed and committed since this
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
    except psycopg2.OperationalError as error:
        if error.pgcode in (LOCK_NOT_AVAILABLE, SERIALIZATION_FAILURE):
            return error.pgcode
        raise
    return None


def check_text_fields(records, field_names):
    """Raise a ValidationError when one of ``field_names`` is longer than TEXT_MAX_LENGTH."""
    for record in records:
        for name in field_names:
            value = record[name]
            if value and len(value) > TEXT_MAX_LENGTH:
                raise ValidationError(
                    record.env._(
                        "%(field)s is too long: %(length)s characters, at most %(max)s.",
                        field=record._fields[name]._description_string(record.env),
                        length=len(value),
                        max=TEXT_MAX_LENGTH,
                    )
                )


def check_not_blank(records, field_names):
    """Raise a ValidationError when one of ``field_names`` is empty or only spaces."""
    for record in records:
        for name in field_names:
            value = record[name]
            if not (value or "").strip():
                raise ValidationError(
                    record.env._(
                        "%(field)s cannot be empty.",
                        field=record._fields[name]._description_string(record.env),
                    )
                )


# What a new record has anyway: on create, a field of a door sent with one of
# these values (a client sending the whole record) is not a change.
EMPTY_VALUES = (False, None, 0, "")


class WorkflowDoor(NamedTuple):
    """Fields that only a model's actions write, and what ``create``/``write``
    answer to a caller that is not in superuser mode and sends one of them.

    A model lists its doors in ``_workflow_doors()``; a feature adds its own in
    one line (``return [*super()._workflow_doors(), WorkflowDoor(...)]``) and
    ``refuse_workflow_fields`` checks them all."""

    fields: frozenset
    # translated (``_lt``), with ``%(fields)s``: the labels of the fields refused
    message: object
    # on create, values that are no change (``EMPTY_VALUES`` and e.g. "none")
    empty: tuple = EMPTY_VALUES
    # on create, more values accepted per field: a tuple, or None for any value
    on_create: dict | None = None


def refuse_workflow_fields(records, vals, creating=False):
    """Raise a UserError when ``vals`` writes a field of one of ``records``'s
    ``_workflow_doors()`` (on create: with a value a new record does not have
    anyway), naming the labels of the fields refused."""
    for door in records._workflow_doors():
        forbidden = door.fields.intersection(vals)
        if creating:
            accepted = door.on_create or {}
            forbidden = {
                name
                for name in forbidden
                if vals[name] not in door.empty
                and (name not in accepted or accepted[name] is not None)
                and vals[name] not in (accepted.get(name) or ())
            }
        if forbidden:
            env = records.env
            labels = sorted(records._fields[name]._description_string(env) for name in forbidden)
            raise UserError(env._(door.message) % {"fields": ", ".join(labels)})


def kpi_differences(ours, reference, path=""):
    """Where two KPI results (dicts / lists of dicts, as ``compute_kpis`` and the
    dashboard return them) differ: ``["path: a != b"]``, empty when equal. The
    exactness check of the KPI pre-aggregate against the engine alone, read by its
    tests and its benchmark."""
    if isinstance(ours, dict) and isinstance(reference, dict):
        found = []
        for key in sorted(set(ours) | set(reference), key=str):
            found += kpi_differences(ours.get(key), reference.get(key), f"{path}.{key}")
        return found
    if isinstance(ours, list) and isinstance(reference, list):
        if len(ours) != len(reference):
            return [f"{path}: {len(ours)} rows != {len(reference)}"]
        found = []
        for i, (a, b) in enumerate(zip(ours, reference, strict=True)):
            found += kpi_differences(a, b, f"{path}[{i}]")
        return found
    return [] if ours == reference else [f"{path}: {ours!r} != {reference!r}"]
