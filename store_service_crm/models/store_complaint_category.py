from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import check_not_blank


class StoreComplaintCategory(models.Model):
    _name = "store.complaint.category"
    _description = "Complaint Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short technical code, unique per company.")
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company")
    active = fields.Boolean(default=True)
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        counts = dict(
            self.env["store.complaint"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.complaint_count = counts.get(category, 0)

    @api.constrains("name", "code", "company_id")
    def _check_name_code(self):
        check_not_blank(self, ["name", "code"])
        # the SQL constraint lets shared categories (no company) have the same code
        for category in self:
            twin = self.with_context(active_test=False).search(
                [
                    ("id", "!=", category.id),
                    ("code", "=", category.code),
                    ("company_id", "=", category.company_id.id),
                ],
                limit=1,
            )
            if twin:
                raise ValidationError(
                    self.env._(
                        "The code %(code)s is already used by the category %(category)s.",
                        code=category.code,
                        category=twin.name,
                    )
                )

    _sql_constraints = [  # noqa: RUF012
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A complaint category code must be unique per company.",
        ),
    ]
