"""Request types (``store.complaint.request_type_id``, new in 18.0.3.0.0).

Every complaint registered before was a complaint: it gets the "Complaint" type
(data record ``request_type_complaint``), and so keeps counting in the complaint
rate (``counts_as_complaint``).
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE store_complaint c
           SET request_type_id = d.res_id, counts_as_complaint = TRUE
          FROM ir_model_data d
         WHERE d.module = 'store_service_crm'
           AND d.name = 'request_type_complaint'
           AND d.model = 'store.request.type'
           AND c.request_type_id IS NULL
        """
    )
    _logger.info("Request types: %s complaint(s) set to the complaint type", cr.rowcount)
