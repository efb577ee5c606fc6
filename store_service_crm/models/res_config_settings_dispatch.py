from odoo import fields, models

MANAGER_GROUP = "store_service_crm.group_store_service_manager"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    dispatch_hours_low = fields.Float(
        related="company_id.dispatch_hours_low", readonly=False, groups=MANAGER_GROUP
    )
    dispatch_hours_medium = fields.Float(
        related="company_id.dispatch_hours_medium", readonly=False, groups=MANAGER_GROUP
    )
    dispatch_hours_high = fields.Float(
        related="company_id.dispatch_hours_high", readonly=False, groups=MANAGER_GROUP
    )
    dispatch_hours_critical = fields.Float(
        related="company_id.dispatch_hours_critical", readonly=False, groups=MANAGER_GROUP
    )
    compensation_limit_clerk = fields.Monetary(
        related="company_id.compensation_limit_clerk", readonly=False, groups=MANAGER_GROUP
    )
    compensation_limit_leader = fields.Monetary(
        related="company_id.compensation_limit_leader", readonly=False, groups=MANAGER_GROUP
    )
