from odoo import fields, models

MANAGER_GROUP = "store_service_crm.group_store_service_manager"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    complaint_vip_value_class_ids = fields.Many2many(
        related="company_id.complaint_vip_value_class_ids", readonly=False, groups=MANAGER_GROUP
    )
    defect_window_days = fields.Integer(
        related="company_id.defect_window_days", readonly=False, groups=MANAGER_GROUP
    )
    defect_threshold = fields.Float(
        related="company_id.defect_threshold", readonly=False, groups=MANAGER_GROUP
    )
    defect_min_units = fields.Integer(
        related="company_id.defect_min_units", readonly=False, groups=MANAGER_GROUP
    )
    defect_alarm_user_id = fields.Many2one(
        related="company_id.defect_alarm_user_id", readonly=False, groups=MANAGER_GROUP
    )
