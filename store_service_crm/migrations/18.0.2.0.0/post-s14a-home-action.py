"""Store users land on their complaint queue after login (issue 14): the store users
without a home action get the complaint queue (``data/res_users_data.xml`` does it on
every update too; this names the step of the upgrade)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.users"]._store_service_set_home_action()
