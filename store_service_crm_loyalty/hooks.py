def uninstall_hook(env):
    """Put the service cost function back without the coupons: the column it reads is
    dropped with the addon."""
    env["store.service.kpi"].with_context(store_service_crm_loyalty_uninstalling=True).init()
