"""See pre-p15b-acknowledgement-link.py: the acknowledgement template is loaded
again from the XML by this update; it is the company's to edit again."""


def migrate(cr, version):
    cr.execute(
        """UPDATE ir_model_data SET noupdate = true
            WHERE module = 'store_service_crm'
              AND name = 'mail_template_complaint_acknowledgement'"""
    )
