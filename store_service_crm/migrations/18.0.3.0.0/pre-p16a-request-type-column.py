"""Request types (``store.complaint.request_type_id``, new in 18.0.3.0.0): create
the column, empty, before the update.

Otherwise Odoo fills the new column of the existing complaints with the field's
default, which searches ``store.request.type``, whose table the update has not
created yet at that point ("relation store_request_type does not exist"). The
post-migration ``post-p16a-request-type.py`` then gives every existing complaint
the complaint type.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute("ALTER TABLE store_complaint ADD COLUMN IF NOT EXISTS request_type_id int4")
