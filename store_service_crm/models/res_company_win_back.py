from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    win_back_days = fields.Integer(
        string="Win-back Window (days)",
        default=90,
        help="A customer visited by a care call counts as won back when they confirm an "
        "order within this many days after the visit (win-back rate KPI, lost reasons "
        "report).",
    )

    @api.constrains("win_back_days")
    def _check_win_back_days(self):
        if any(company.win_back_days < 1 for company in self):
            raise ValidationError(self.env._("The win-back window needs at least one day."))
