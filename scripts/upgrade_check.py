"""Check that upgrading store_service_crm keeps every record.

Usage (run by ``./dev.sh upgrade-check``, which ``./dev.sh test`` calls):

    python scripts/upgrade_check.py -c ODOO.conf -d DB snapshot OUT.json
    python scripts/upgrade_check.py -c ODOO.conf -d DB verify OUT.json

``snapshot`` runs on a database where the previous release of the addon is
installed and records:

- the ids of every record of every stored model of the addon (models it
  defines) and of every model it extends with stored fields (res.partner,
  sale.order, crm.team, ...), read with SQL so that no record rule, active
  flag or access right hides one;
- the ids of the chatter messages, followers, activities, ratings and
  attachments of the addon's records (``<model>@<table>`` keys);
- for every customer, the values of the loyalty fields (``loyalty_*``: tier,
  lock, spend, order count, dates, ...) and of ``birthdate_date``.

``verify`` runs on the same database after ``-u store_service_crm`` with the
current code and fails (exit code 1) naming every model whose records or
every customer field whose values were lost or changed. It also checks that
the installed version is the manifest's one (so that the upgrade did run).
"""

import argparse
import json
import sys
from pathlib import Path

from odoo.tools import SQL

ADDON = "store_service_crm"
PARTNER_FIELDS_PREFIX = "loyalty_"
PARTNER_EXTRA_FIELDS = ("birthdate_date",)
SHOWN = 10  # ids listed per lost model in the failure message


def _env(conf, db):
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = Registry(db)
    cr = registry.cursor()
    return api.Environment(cr, SUPERUSER_ID, {"active_test": False})


def _tracked_models(env):
    """Stored SQL-table models the addon defines or extends with stored fields."""
    own, extended = [], []
    for name in sorted(env.registry):
        model = env[name]
        if model._abstract or model._transient or not model._auto:
            continue
        if model._original_module == ADDON:
            own.append(name)
        elif any(
            field.store and field._module == ADDON and not field.inherited
            for field in model._fields.values()
        ):
            extended.append(name)
    return own, extended


def _ids(env, model):
    env.cr.execute(SQL("SELECT id FROM %s ORDER BY id", SQL.identifier(env[model]._table)))
    return [row[0] for row in env.cr.fetchall()]


# (model, column naming the record's model): what hangs on the addon's records
RELATED = (
    ("mail.message", "model"),
    ("mail.followers", "res_model"),
    ("mail.activity", "res_model"),
    ("rating.rating", "res_model"),
    ("ir.attachment", "res_model"),
)


def _related_ids(env, own):
    """{"<own model>@<related model>": ids} of the related rows of the addon's records."""
    result = {}
    for related, column in RELATED:
        if related not in env.registry:
            continue
        env.cr.execute(
            SQL(
                "SELECT %(col)s, array_agg(id ORDER BY id) FROM %(table)s"
                " WHERE %(col)s = ANY(%(own)s) GROUP BY %(col)s",
                col=SQL.identifier(column),
                table=SQL.identifier(env[related]._table),
                own=own,
            )
        )
        for model, ids in env.cr.fetchall():
            result[f"{model}@{related}"] = ids
    return result


def _partner_fields(env):
    fields = env["res.partner"]._fields
    return sorted(
        name
        for name, field in fields.items()
        if field.store
        and field.type not in ("one2many", "many2many", "binary")
        and (name.startswith(PARTNER_FIELDS_PREFIX) or name in PARTNER_EXTRA_FIELDS)
    )


def _plain(value):
    if isinstance(value, tuple | list) and value and isinstance(value[0], int):
        return value[0]  # many2one as (id, name)
    if isinstance(value, float):
        return round(value, 2)
    if value is False or value is None:
        return None
    return str(value) if not isinstance(value, int | str) else value


def _partner_values(env, field_names, partner_ids):
    partners = env["res.partner"].browse(partner_ids)
    return {
        str(row["id"]): {name: _plain(row[name]) for name in field_names}
        for row in partners.read(field_names)
    }


def snapshot(env, out):
    own, extended = _tracked_models(env)
    if not own:
        sys.exit(f"upgrade check: {ADDON} is not installed in {env.cr.dbname}")
    models = {name: _ids(env, name) for name in own + extended}
    field_names = _partner_fields(env)
    data = {
        "database": env.cr.dbname,
        "version": env["ir.module.module"]._get(ADDON).latest_version,
        "own_models": own,
        "models": models,
        "related": _related_ids(env, own),
        "partner_fields": field_names,
        "partners": _partner_values(env, field_names, models["res.partner"]),
    }
    Path(out).write_text(json.dumps(data, indent=0, sort_keys=True), encoding="utf-8")
    total = sum(len(ids) for ids in models.values())
    related = sum(len(ids) for ids in data["related"].values())
    print(
        f"upgrade check: release {data['version']}: {total} records in {len(models)} models "
        f"({len(own)} of {ADDON}), {related} messages/followers/activities/ratings/"
        f"attachments of them, {len(field_names)} loyalty fields of "
        f"{len(models['res.partner'])} partners recorded in {out}"
    )


def _manifest_version():
    manifest = Path(__file__).resolve().parent.parent / ADDON / "__manifest__.py"
    import ast

    return ast.literal_eval(manifest.read_text(encoding="utf-8"))["version"]


def verify(env, snapshot_file):
    data = json.loads(Path(snapshot_file).read_text(encoding="utf-8"))
    problems = []
    version = env["ir.module.module"]._get(ADDON).latest_version
    wanted = _manifest_version()
    if version != wanted:
        problems.append(f"{ADDON} is at version {version} after the upgrade, not {wanted}")
    checked = 0
    for model, before in sorted(data["models"].items()):
        if model not in env.registry:
            problems.append(f"model {model} is gone: its {len(before)} records are lost")
            continue
        after = set(_ids(env, model))
        lost = [rid for rid in before if rid not in after]
        checked += len(before)
        if lost:
            shown = ", ".join(map(str, lost[:SHOWN])) + (", ..." if len(lost) > SHOWN else "")
            problems.append(
                f"{model}: {len(lost)} of {len(before)} records lost "
                f"({len(after)} now); lost ids: {shown}"
            )
    related_now = _related_ids(env, data["own_models"])
    for key, before in sorted(data["related"].items()):
        after = set(related_now.get(key, ()))
        lost = [rid for rid in before if rid not in after]
        checked += len(before)
        if lost:
            model, related = key.split("@")
            shown = ", ".join(map(str, lost[:SHOWN])) + (", ..." if len(lost) > SHOWN else "")
            problems.append(
                f"{related} of {model}: {len(lost)} of {len(before)} lost; lost ids: {shown}"
            )
    partner_fields = data["partner_fields"]
    missing_fields = [f for f in partner_fields if f not in env["res.partner"]._fields]
    for name in missing_fields:
        problems.append(f"res.partner.{name} is gone: the customers' values are lost")
    kept_fields = [f for f in partner_fields if f not in missing_fields]
    existing = set(_ids(env, "res.partner"))
    partner_ids = [int(pid) for pid in data["partners"] if int(pid) in existing]
    now = _partner_values(env, kept_fields, partner_ids)
    changed = {}
    for pid in partner_ids:
        for name in kept_fields:
            old, new = data["partners"][str(pid)][name], now[str(pid)][name]
            if old != new:
                changed.setdefault(name, []).append(f"partner {pid}: {old!r} -> {new!r}")
    for name, rows in sorted(changed.items()):
        more = ", ..." if len(rows) > SHOWN else ""
        problems.append(
            f"res.partner.{name} changed on {len(rows)} customers: "
            + "; ".join(rows[:SHOWN])
            + more
        )
    if problems:
        print(
            f"upgrade check FAILED: upgrading {ADDON} {data['version']} -> {version} "
            "lost or changed data:",
            file=sys.stderr,
        )
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(
        f"upgrade check: {ADDON} {data['version']} -> {version}: all {checked} records "
        f"({len(data['models'])} models, and what hangs on the addon's records) and the "
        f"{len(kept_fields)} loyalty fields of "
        f"{len(partner_ids)} customers kept"
    )
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("command", choices=("snapshot", "verify"))
    parser.add_argument("file", help="the snapshot (JSON) written or read")
    args = parser.parse_args(argv)
    env = _env(args.config, args.database)
    try:
        if args.command == "snapshot":
            snapshot(env, args.file)
            return 0
        return verify(env, args.file)
    finally:
        env.cr.rollback()
        env.cr.close()


if __name__ == "__main__":
    sys.exit(main())
