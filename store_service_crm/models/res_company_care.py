from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Settings of issue 19 (care programmes, product defect alarm)."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    complaint_vip_value_class_ids = fields.Many2many(
        "store.customer.value.class",
        "res_company_complaint_vip_value_class_rel",
        "company_id",
        "value_class_id",
        string="VIP Value Classes",
        help="Complaints of customers of these value classes are flagged VIP too.",
    )
    defect_window_days = fields.Integer(
        string="Defect window (days)",
        default=90,
        help="Product defect alarm: complaints received and units sold over this many days.",
    )
    defect_threshold = fields.Float(
        string="Defect rate threshold",
        default=0.05,
        help="Product defect alarm: complaints per unit sold at or above which a product "
        "raises an alarm (0.05: 5 complaints per 100 units).",
    )
    defect_min_units = fields.Integer(
        string="Minimum units sold",
        default=20,
        help="Product defect alarm: products sold fewer units over the window are ranked "
        "but raise no alarm (one complaint on one unit is not a 100 % defect rate).",
    )
    defect_alarm_user_id = fields.Many2one(
        "res.users",
        string="Defect alarm to",
        domain="[('share', '=', False)]",
        help="The quality or purchasing user who gets the to-do of a product crossing the "
        "threshold (empty: the service manager).",
    )

    @api.constrains("defect_window_days", "defect_threshold", "defect_min_units")
    def _check_defect_settings(self):
        for company in self:
            if company.defect_window_days < 1:
                raise ValidationError(self.env._("The defect window is 1 day or more."))
            if not 0 < company.defect_threshold <= 1:
                raise ValidationError(
                    self.env._("The defect rate threshold is above 0 % and at most 100 %.")
                )
            if company.defect_min_units < 1:
                raise ValidationError(self.env._("The minimum units sold is 1 or more."))
