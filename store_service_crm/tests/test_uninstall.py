"""Install the addon in a fresh database, uninstall it, and check nothing is left.

A plain pytest test (not imported by tests/__init__.py, so Odoo's own test
runner ignores it): it drives odoo-bin in a subprocess on its own throw-away
database, because uninstalling inside the test database would break the
other tests. ./dev.sh test sets SSC_ODOO_SRC / SSC_ODOO_CONF.
"""

import os
import subprocess
import sys
from contextlib import closing

import pytest

import odoo
from odoo.tools import config

MODULE = "store_service_crm"
MODEL_TABLES = ("ir_ui_menu", "ir_act_window", "res_groups", "ir_model", "ir_cron")


def _odoo_bin(db, *args):
    src, conf = os.environ["SSC_ODOO_SRC"], os.environ["SSC_ODOO_CONF"]
    cmd = [sys.executable, os.path.join(src, "odoo-bin"), "-c", conf, "-d", db]
    cmd += ["--stop-after-init", "--log-level=warn", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert " ERROR " not in proc.stderr, proc.stderr[-3000:]


def _query(db, sql, params=()):
    with closing(odoo.sql_db.db_connect(db).cursor()) as cr:
        cr.execute(sql, params)
        return cr.fetchall()


@pytest.fixture
def scratch_db():
    name = f"{config['db_name']}_uninstall"
    yield name
    odoo.sql_db.close_db(name)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_uninstall_leaves_no_menu_action_group_or_table(scratch_db):
    _odoo_bin(scratch_db, "-i", MODULE, "--without-demo=all")
    owned = _query(
        scratch_db,
        "SELECT model, res_id FROM ir_model_data WHERE module = %s",
        (MODULE,),
    )
    menus = [res_id for model, res_id in owned if model == "ir.ui.menu"]
    assert menus, "the addon should own menus once installed"
    # Models the addon creates (not the ones it only extends, like res.partner).
    tables = [
        model.replace(".", "_")
        for (model,) in _query(
            scratch_db,
            "SELECT m.model FROM ir_model m JOIN ir_model_data d"
            " ON d.model = 'ir.model' AND d.res_id = m.id"
            " GROUP BY m.model HAVING bool_and(d.module = %s)",
            (MODULE,),
        )
    ]
    own_indexes = _query(
        scratch_db,
        "SELECT indexname FROM pg_indexes WHERE tablename = 'sale_order'"
        " AND indexname LIKE 'sale_order_store_%%'",
    )
    assert ("sale_order_store_loyalty_partner_index",) in own_indexes
    odoo.sql_db.close_db(scratch_db)

    _uninstall(scratch_db)

    state = _query(scratch_db, "SELECT state FROM ir_module_module WHERE name = %s", (MODULE,))
    assert state == [("uninstalled",)]
    data = _query(scratch_db, "SELECT count(*) FROM ir_model_data WHERE module = %s", (MODULE,))
    assert data == [(0,)], "records of the addon survived its uninstallation"
    left = _query(
        scratch_db,
        "SELECT id FROM ir_ui_menu WHERE id = ANY(%s) OR web_icon LIKE %s",
        (menus, f"{MODULE},%"),
    )
    assert left == [], "menus of the addon survived its uninstallation"
    dangling = _query(
        scratch_db,
        "SELECT m.id FROM ir_ui_menu m WHERE m.action LIKE 'ir.actions.act_window,%%'"
        " AND NOT EXISTS (SELECT 1 FROM ir_act_window a"
        "  WHERE a.id = split_part(m.action, ',', 2)::int)",
    )
    assert dangling == [], "menus pointing to deleted actions"
    # and the KPI pre-aggregate's own tables (SQL, not models)
    tables += ["store_service_kpi_day", "store_service_kpi_dirty", "store_service_kpi_day_state"]
    # and the orders' pre-aggregate's, with its trigger functions
    tables += [
        "store_service_kpi_chain",
        "store_service_kpi_order_day",
        "store_service_kpi_order_dirty",
        "store_service_kpi_order_state",
        "store_service_kpi_order_scope",
    ]
    for table in tables:
        assert _query(scratch_db, "SELECT to_regclass(%s)", (table,)) == [(None,)], table
    functions = _query(
        scratch_db, "SELECT proname FROM pg_proc WHERE proname LIKE 'store_service_kpi_mark%%'"
    )
    assert functions == [], "trigger functions left"
    indexes = _query(
        scratch_db,
        "SELECT indexname FROM pg_indexes WHERE tablename = 'sale_order'"
        " AND indexname LIKE 'sale_order_store_%%'",
    )
    assert indexes == [], "indexes of the addon left on sale_order"


def _uninstall(db):
    """Uninstall through the ORM, as the Apps screen's button does."""
    code = (
        "import odoo, sys\n"
        "odoo.tools.config.parse_config(['-c', sys.argv[1]])\n"
        "registry = odoo.modules.registry.Registry.new(sys.argv[2])\n"
        "with registry.cursor() as cr:\n"
        "    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})\n"
        "    env['ir.module.module'].search([('name', '=', sys.argv[3])])"
        ".button_immediate_uninstall()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, os.environ["SSC_ODOO_CONF"], db, MODULE],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, "PYTHONPATH": os.environ["SSC_ODOO_SRC"]},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    odoo.sql_db.close_db(db)
