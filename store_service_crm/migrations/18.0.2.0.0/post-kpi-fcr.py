"""One-pass resolution follows its new definition (DESIGN.md, "KPI definitions").

Before 18.0.2.0.0 ``first_contact_resolution`` meant "resolved within the first-contact
window (2 h) and never reopened". Now: resolved, never reopened, never handed over to
another handler, and no repeat complaint (not cancelled) pointing at it; no clock.

The handovers of existing complaints are read from the handler's tracking: a change
of handler from someone to someone else is a handover.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        WITH handovers AS (
            SELECT m.res_id AS complaint_id, COUNT(*) AS n
              FROM mail_tracking_value t
              JOIN mail_message m ON m.id = t.mail_message_id
              JOIN ir_model_fields f ON f.id = t.field_id
             WHERE m.model = 'store.complaint'
               AND f.model = 'store.complaint'
               AND f.name = 'user_id'
               AND t.old_value_integer IS NOT NULL
               AND t.old_value_integer != 0
          GROUP BY m.res_id
        )
        UPDATE store_complaint c
           SET handover_count = h.n
          FROM handovers h
         WHERE h.complaint_id = c.id
           AND COALESCE(c.handover_count, 0) != h.n
        """
    )
    _logger.info("store_service_crm: %s complaints with a handover", cr.rowcount)
    cr.execute(
        """
        UPDATE store_complaint c
           SET first_contact_resolution = new.fcr
          FROM (
            SELECT c2.id,
                   (c2.date_resolved IS NOT NULL
                    AND COALESCE(c2.reopen_count, 0) = 0
                    AND COALESCE(c2.handover_count, 0) = 0
                    AND NOT EXISTS (
                        SELECT 1
                          FROM store_complaint r
                         WHERE r.repeat_of_id = c2.id
                           AND r.state != 'cancelled'
                           AND r.active)) AS fcr
              FROM store_complaint c2
          ) new
         WHERE new.id = c.id
           AND c.first_contact_resolution IS DISTINCT FROM new.fcr
        """
    )
    _logger.info("store_service_crm: one-pass resolution recomputed on %s complaints", cr.rowcount)
