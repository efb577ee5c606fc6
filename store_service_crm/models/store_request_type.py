from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import check_not_blank


class StoreRequestType(models.Model):
    """What a customer asks for (售后服务流程: the type is confirmed first): a
    complaint, a repair, an installation, a return or exchange, a question. Every
    request follows the complaint workflow; only the types that count as a
    complaint weigh in the complaint rate and the complaint analyses."""

    _name = "store.request.type"
    _description = "Service Request Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short technical code, unique.")
    sequence = fields.Integer(default=10)
    counts_as_complaint = fields.Boolean(
        default=True,
        help="Requests of this type count in the complaint rate and the complaint "
        "analyses; the other KPIs are available per type.",
    )
    active = fields.Boolean(default=True)
    request_count = fields.Integer(compute="_compute_request_count", string="Requests")

    _sql_constraints = [  # noqa: RUF012
        ("code_uniq", "unique(code)", "A request type code must be unique."),
    ]

    def _compute_request_count(self):
        counts = dict(
            self.env["store.complaint"]._read_group(
                [("request_type_id", "in", self.ids)], ["request_type_id"], ["__count"]
            )
        )
        for request_type in self:
            request_type.request_count = counts.get(request_type, 0)

    @api.constrains("name", "code")
    def _check_name_code(self):
        check_not_blank(self, ["name", "code"])

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = (
            self.env["store.complaint"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("request_type_id", "in", self.ids)], limit=1)
        )
        if used:
            raise UserError(
                self.env._("A request type used by requests cannot be deleted: archive it.")
            )

    @api.model
    def _default_type(self):
        """The complaint type (the default of a new request), else the first active
        type that counts as a complaint."""
        complaint = self.env.ref(
            "store_service_crm.request_type_complaint", raise_if_not_found=False
        )
        if complaint and complaint.active:
            return complaint
        return self.search([("counts_as_complaint", "=", True)], limit=1)
