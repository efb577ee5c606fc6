from odoo import fields, models

MANAGER_GROUP = "store_service_crm.group_store_service_manager"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    win_back_days = fields.Integer(
        related="company_id.win_back_days", readonly=False, groups=MANAGER_GROUP
    )
