from . import models


def uninstall_hook(env):
    """What the bridge adds to pos_order in SQL, not as fields: its covering index of
    the tier recompute, and the triggers through which the KPI pre-aggregate watches the
    POS orders (the core keeps its own, on sale_order)."""
    # pylint: disable=import-error
    from odoo.addons.store_service_crm.models.store_order_source import drop_order_indexes
    from odoo.addons.store_service_crm.models.store_service_kpi_customers import (
        drop_order_triggers,
    )

    drop_order_indexes(env.cr, "pos_order")
    drop_order_triggers(env.cr, "pos_order")
