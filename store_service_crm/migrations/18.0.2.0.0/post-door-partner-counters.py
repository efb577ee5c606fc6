"""res.partner ``complaint_count`` and ``satisfaction_avg`` are no longer stored.

They were columns kept up to date by raw SQL on every complaint and visit (the
customer's row was a lock hot spot); they are now computed on read over
``_read_group``. The ORM leaves a column it no longer owns in place: drop them
(a catalogue change only, no table rewrite), once the new code is loaded.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """ALTER TABLE res_partner
               DROP COLUMN IF EXISTS complaint_count,
               DROP COLUMN IF EXISTS satisfaction_avg"""
    )
