# pylint: disable=no-member
# (pylint does not see the fields and methods of the inherited model)
from odoo import api, fields, models


class StoreComplaint(models.Model):
    """The request type of a complaint record (complaint, repair, installation, ...):
    same record, same workflow; ``counts_as_complaint`` (stored) is what the KPI
    declarations filter the complaint rate and the complaint analyses on."""

    _inherit = "store.complaint"  # pylint: disable=consider-merging-classes-inherited

    def _default_request_type_id(self):
        return self.env["store.request.type"]._default_type()

    request_type_id = fields.Many2one(
        "store.request.type",
        default=lambda self: self._default_request_type_id(),
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    counts_as_complaint = fields.Boolean(
        compute="_compute_counts_as_complaint",
        store=True,
        index=True,
        help="A request of a type that counts as a complaint (no type: a complaint).",
    )

    @api.depends("request_type_id.counts_as_complaint")
    def _compute_counts_as_complaint(self):
        for complaint in self:
            complaint.counts_as_complaint = (
                not complaint.request_type_id or complaint.request_type_id.counts_as_complaint
            )
