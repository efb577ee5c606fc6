from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    complaint_sla_reminder_share = fields.Float(
        string="SLA Reminder at (% of the SLA)",
        default=75.0,
        help="The handler gets a reminder activity when this share of a complaint's "
        "response or resolution time has elapsed (time waiting for the customer left out).",
    )

    @api.constrains("complaint_sla_reminder_share")
    def _check_complaint_sla_reminder_share(self):
        for company in self:
            if not 0 < company.complaint_sla_reminder_share < 100:
                raise ValidationError(
                    self.env._("The SLA reminder share must be between 0 and 100 %.")
                )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    complaint_sla_reminder_share = fields.Float(
        related="company_id.complaint_sla_reminder_share",
        readonly=False,
        groups="store_service_crm.group_store_service_manager",
    )
