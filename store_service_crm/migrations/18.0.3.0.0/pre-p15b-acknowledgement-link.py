"""The complaint acknowledgement mail now carries the customer's tracking link
(portal page of the complaint). Its record is ``noupdate``: let this update
load it again from the XML once (post-p15b-acknowledgement-link.py sets it back
to noupdate)."""


def migrate(cr, version):
    cr.execute(
        """UPDATE ir_model_data SET noupdate = false
            WHERE module = 'store_service_crm'
              AND name = 'mail_template_complaint_acknowledgement'"""
    )
