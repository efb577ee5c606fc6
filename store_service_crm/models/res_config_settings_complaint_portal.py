from odoo import fields, models

from .res_config_settings import MANAGER_GROUP


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    complaint_progress_assigned = fields.Boolean(
        related="company_id.complaint_progress_assigned", readonly=False, groups=MANAGER_GROUP
    )
    complaint_progress_started = fields.Boolean(
        related="company_id.complaint_progress_started", readonly=False, groups=MANAGER_GROUP
    )
    complaint_progress_promise = fields.Boolean(
        related="company_id.complaint_progress_promise", readonly=False, groups=MANAGER_GROUP
    )
    complaint_progress_resolved = fields.Boolean(
        related="company_id.complaint_progress_resolved", readonly=False, groups=MANAGER_GROUP
    )
    complaint_progress_closed = fields.Boolean(
        related="company_id.complaint_progress_closed", readonly=False, groups=MANAGER_GROUP
    )
    complaint_portal_max_file_mb = fields.Integer(
        related="company_id.complaint_portal_max_file_mb", readonly=False, groups=MANAGER_GROUP
    )
