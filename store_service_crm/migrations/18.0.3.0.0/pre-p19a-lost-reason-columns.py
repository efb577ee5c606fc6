"""Why customers leave (18.0.3.0.0): the customer's reason for leaving and the day it
was set start empty for every existing customer. Created here, empty, so that the
upgrade does not recompute ``lost_reason_date`` customer by customer (a million rows
at the chain's scale) to find nothing."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        ALTER TABLE res_partner
            ADD COLUMN IF NOT EXISTS lost_reason_id integer,
            ADD COLUMN IF NOT EXISTS lost_reason_date date
        """
    )
