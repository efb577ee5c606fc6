"""On-site dispatch and compensation approval (issue 16, new in 18.0.3.0.0).

Existing complaints were never dispatched and their compensation was granted
without an approval step: they get "Not dispatched" and "Within authority" (the
ORM fills new columns with their default; this makes sure of it for rows it
left empty). The compensation of existing complaints keeps counting in the
service cost as before. The staff involved is unknown for them (empty)."""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE store_complaint
           SET dispatch_state = COALESCE(dispatch_state, 'none'),
               dispatch_escalated = COALESCE(dispatch_escalated, FALSE),
               compensation_approval_state = COALESCE(compensation_approval_state, 'none')
         WHERE dispatch_state IS NULL
            OR dispatch_escalated IS NULL
            OR compensation_approval_state IS NULL
        """
    )
    _logger.info("issue 16: %s complaints got the dispatch and approval defaults", cr.rowcount)
    cr.execute(
        """
        UPDATE res_company
           SET dispatch_hours_critical = COALESCE(dispatch_hours_critical, 2.0),
               dispatch_hours_high = COALESCE(dispatch_hours_high, 0.0),
               dispatch_hours_medium = COALESCE(dispatch_hours_medium, 48.0),
               dispatch_hours_low = COALESCE(dispatch_hours_low, 72.0),
               compensation_limit_clerk = COALESCE(compensation_limit_clerk, 200.0),
               compensation_limit_leader = COALESCE(compensation_limit_leader, 1000.0)
        """
    )
