from odoo import fields, models
from odoo.tools import SQL


class StoreComplaintReport(models.Model):
    """Complaint analysis: how many preventive actions each complaint carries, and how
    many are still open."""

    _inherit = "store.complaint.report"

    preventive_count = fields.Integer(string="Preventive Actions", readonly=True)
    preventive_open_count = fields.Integer(string="Open Preventive Actions", readonly=True)

    def _select(self):
        return SQL(
            """%s,
            COALESCE((SELECT COUNT(*) FROM store_preventive_action pa
                       WHERE pa.complaint_id = c.id), 0) AS preventive_count,
            COALESCE((SELECT COUNT(*) FROM store_preventive_action pa
                       WHERE pa.complaint_id = c.id AND pa.state = 'open'), 0)
                AS preventive_open_count""",
            super()._select(),  # pylint: disable=no-member
        )
