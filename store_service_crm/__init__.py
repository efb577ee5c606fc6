from . import controllers
from . import models
from . import report
from . import wizard
from . import demo


def uninstall_hook(env):
    """The KPI pre-aggregate's tables and triggers are SQL of its own, not models; so
    are the indexes the addon adds to sale_order."""
    from .models.store_order_source import drop_order_indexes
    from .models.store_service_kpi_aggregate import drop_kpi_aggregate
    from .models.store_service_kpi_customers import drop_kpi_customers

    drop_kpi_aggregate(env.cr)
    drop_kpi_customers(env.cr)
    drop_order_indexes(env.cr, "sale_order")
