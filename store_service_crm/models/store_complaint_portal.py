from odoo import models


class StoreComplaint(models.Model):
    """The customer's side of a complaint: a portal record with an access token."""

    _name = "store.complaint"
    _inherit = ["store.complaint", "portal.mixin"]  # noqa: RUF012

    def _compute_access_url(self):
        super()._compute_access_url()
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"
