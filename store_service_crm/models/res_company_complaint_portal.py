from odoo import api, fields, models
from odoo.exceptions import ValidationError

# the progress messages a company can switch on or off, one per workflow step
PROGRESS_STEPS = ("assigned", "started", "promise", "resolved", "closed")


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    complaint_progress_assigned = fields.Boolean(
        string="Message at Assignment",
        default=True,
        help="Tell the customer when a handler takes their complaint.",
    )
    complaint_progress_started = fields.Boolean(
        string="Message at Start",
        default=True,
        help="Tell the customer when the handling starts.",
    )
    complaint_progress_promise = fields.Boolean(
        string="Message on Promise",
        default=True,
        help="Tell the customer the promised date when it is set or changed.",
    )
    complaint_progress_resolved = fields.Boolean(
        string="Message at Resolution",
        default=True,
        help="Tell the customer that the complaint is resolved, with the rating link.",
    )
    complaint_progress_closed = fields.Boolean(
        string="Message at Closing",
        default=True,
        help="Tell the customer that the complaint is closed.",
    )
    complaint_portal_max_file_mb = fields.Integer(
        string="Customer Attachment Size (MB)",
        default=10,
        help="The largest photo or PDF a customer may attach to a complaint from its page.",
    )

    @api.constrains("complaint_portal_max_file_mb")
    def _check_complaint_portal_max_file_mb(self):
        for company in self:
            if not 1 <= company.complaint_portal_max_file_mb <= 100:
                raise ValidationError(
                    self.env._("The customer attachment size is between 1 and 100 MB.")
                )
