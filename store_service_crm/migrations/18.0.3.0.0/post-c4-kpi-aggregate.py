"""KPI pre-aggregate (issue 18, new in 18.0.3.0.0).

The module's update has created the pre-aggregate's tables and the triggers that
mark the store-days complaints and visits change (store.service.kpi.aggregate's
init()). This builds the pre-aggregate of the existing complaints and visits for UTC
and the users' time zones, so that the first dashboard after the upgrade reads it;
on a new database the cron's first run builds it (until then the KPIs are computed
live, with the same figures)."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    aggregate = env["store.service.kpi.aggregate"]
    aggregate._refresh()
    _logger.info("issue 18: KPI pre-aggregate built for %s", ", ".join(aggregate._built_tzs()))
