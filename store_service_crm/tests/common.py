from odoo.tests import new_test_user


def make_users(env):
    """Three internal users: a plain employee, a store clerk and a manager."""
    return {
        "employee": new_test_user(env, login="ssc_employee", groups="base.group_user"),
        "clerk": new_test_user(
            env,
            login="ssc_clerk",
            groups="base.group_user,store_service_crm.group_store_service_user",
        ),
        "manager": new_test_user(
            env,
            login="ssc_manager",
            groups="base.group_user,store_service_crm.group_store_service_manager",
        ),
    }
