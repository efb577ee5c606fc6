from odoo import api, fields, models


class StoreCustomerValueClass(models.Model):
    """A customer value class (A/B/C of ``res.partner.customer_value_class``) as a
    record, so that rules and settings can choose several of them. The classes are
    the partner field's selection: its code is that selection, its name the label."""

    _name = "store.customer.value.class"
    _description = "Customer Value Class"
    _order = "code"
    _rec_name = "code"

    code = fields.Selection(
        selection=lambda self: (
            self.env["res.partner"]._fields["customer_value_class"]._description_selection(self.env)
        ),
        required=True,
    )

    _sql_constraints = [  # noqa: RUF012
        ("code_uniq", "UNIQUE (code)", "There is one record per value class."),
    ]

    @api.depends("code")
    def _compute_display_name(self):
        labels = dict(self._fields["code"]._description_selection(self.env))
        for value_class in self:
            value_class.display_name = self.env._(
                "Class %(code)s", code=labels.get(value_class.code, value_class.code or "")
            )
