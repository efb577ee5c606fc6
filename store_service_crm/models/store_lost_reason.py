from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import check_not_blank


class StoreLostReason(models.Model):
    """Why a customer stopped coming, or is about to (顾客为何不上门).

    Recorded on a care visit (``store.return.visit.lost_reason_id``, by its *Done*
    action) or on the customer (``res.partner.lost_reason_id``, tracked). The
    reference share is the manuals' figure for the reason (moved 3 %, a relation at a
    competitor 5 %, price 9 %, quality 14 %, service 68 %), shown beside the stores'
    own shares in the reasons report.
    """

    _name = "store.lost.reason"
    _description = "Lost Customer Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short technical code, unique.")
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    reference_share = fields.Float(
        string="Reference Share (%)",
        digits=(5, 1),
        help="Share of the customers who leave for this reason according to the service "
        "manuals (moved 3 %, competitor relationship 5 %, price 9 %, quality 14 %, "
        "service 68 %): the report shows your own shares beside it.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("name", "code", "reference_share")
    def _check_reason(self):
        check_not_blank(self, ["name", "code"])
        for reason in self:
            if not 0.0 <= reason.reference_share <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The reference share of %(reason)s must be between 0 and 100 %%.",
                        reason=reason.name,
                    )
                )

    _sql_constraints = [  # noqa: RUF012
        ("code_uniq", "unique(code)", "A lost customer reason code must be unique."),
    ]
