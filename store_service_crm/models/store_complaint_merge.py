# pylint: disable=no-member
# (pylint does not see the fields and methods of the inherited model)
"""Merge duplicate complaints of one customer (like Odoo's CRM lead merge and OCA
``helpdesk_mgmt_merge``): messages, attachments, activities, return visits and
followers move to the complaint kept; the others are cancelled through the cancel
door with a reason naming the kept one (``merged_into_id``), never deleted."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from ..tools import WorkflowDoor
from .store_complaint import MANAGER_GROUP, OPEN_STATES

_lt = LazyTranslate(__name__)


class StoreComplaint(models.Model):
    _inherit = "store.complaint"  # pylint: disable=consider-merging-classes-inherited

    merged_into_id = fields.Many2one(
        "store.complaint",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    duplicate_complaint_id = fields.Many2one(
        "store.complaint",
        string="Open Complaint of the Same Order",
        compute="_compute_duplicate_complaint_id",
        help="Another open request of this customer about the same order: merge them "
        "rather than handling it twice.",
    )

    @api.depends("partner_id", "sale_order_id", "state")
    def _compute_duplicate_complaint_id(self):
        for complaint in self:
            partner = complaint.partner_id.commercial_partner_id
            if not partner or not complaint.sale_order_id or complaint.state not in OPEN_STATES:
                complaint.duplicate_complaint_id = False
                continue
            complaint.duplicate_complaint_id = self.search(
                [
                    ("id", "!=", complaint._origin.id or 0),
                    ("commercial_partner_id", "=", partner.id),
                    ("sale_order_id", "=", complaint.sale_order_id._origin.id),
                    ("state", "in", OPEN_STATES),
                ],
                order="date_received, id",
                limit=1,
            )

    def _workflow_doors(self):
        return [
            *super()._workflow_doors(),
            WorkflowDoor(
                frozenset({"merged_into_id"}),
                _lt("Complaints are merged (%(fields)s) only through the merge action."),
            ),
        ]

    def action_open_merge_wizard(self):
        """The Merge button (form or list): the selected complaints, or the open
        complaints of this customer when one is selected."""
        complaints = self
        if len(self) == 1:
            complaints |= self.search(
                [
                    ("commercial_partner_id", "=", self.commercial_partner_id.id),
                    ("state", "in", OPEN_STATES),
                ]
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge complaints"),
            "res_model": "store.complaint.merge.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_complaint_ids": complaints.ids,
                "default_keep_id": complaints.sorted(lambda c: (c.date_received, c.id))[:1].id,
            },
        }

    def action_merge(self, duplicate_ids):
        """Merge the complaints ``duplicate_ids`` into this one (kept): a manager's or
        their handler's action. Returns the kept complaint's id."""
        self.ensure_one()
        if not isinstance(duplicate_ids, list | tuple) or not all(
            isinstance(i, int) for i in duplicate_ids
        ):
            raise UserError(self.env._("Give the ids of the complaints to merge."))
        duplicates = self.browse(duplicate_ids).exists() - self
        if not duplicates:
            raise UserError(self.env._("Select at least one other complaint to merge."))
        self._check_merge(duplicates)
        self._merge_dependencies(duplicates)
        reason = self.env._("Merged into %(complaint)s", complaint=self.name)
        duplicates.sudo().write({"merged_into_id": self.id})
        duplicates.action_cancel(reason=reason)
        self.message_post(
            body=self.env._(
                "Merged from %(complaints)s by %(user)s.",
                complaints=", ".join(duplicates.mapped("name")),
                user=self.env.user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return self.id

    def _check_merge(self, duplicates):
        everything = self | duplicates
        everything.check_access("write")
        if len(everything.commercial_partner_id) > 1 or not self.commercial_partner_id:
            raise UserError(self.env._("Only complaints of one customer can be merged."))
        if len(everything.company_id) > 1:
            raise UserError(self.env._("Only complaints of one company can be merged."))
        if self.state == "cancelled":
            raise UserError(self.env._("A cancelled complaint cannot be kept in a merge."))
        closed = duplicates.filtered(lambda c: c.state not in OPEN_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "%(complaint)s is no longer open: only open complaints can be merged "
                    "into another one.",
                    complaint=closed[0].name,
                )
            )
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            foreign = everything.filtered(lambda c: c.user_id != self.env.user)
            if foreign:
                raise UserError(
                    self.env._(
                        "Only a service manager or the handler of every complaint can merge "
                        "them: %(complaint)s is not yours.",
                        complaint=foreign[0].name,
                    )
                )

    def _merge_dependencies(self, duplicates):
        """Move what belongs to ``duplicates`` to this complaint (superuser mode, after
        ``_check_merge``)."""
        keep = self.sudo()
        domain = [("model", "=", self._name), ("res_id", "in", duplicates.ids)]
        self.env["mail.message"].sudo().search(domain).write({"res_id": keep.id})
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", duplicates.ids)]
        ).write({"res_id": keep.id})
        self.env["mail.activity"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", duplicates.ids)]
        ).write({"res_id": keep.id})
        self.env["store.return.visit"].sudo().search(
            [("complaint_id", "in", duplicates.ids)]
        ).write({"complaint_id": keep.id})
        followers = duplicates.sudo().message_follower_ids
        partners = followers.partner_id - keep.message_partner_ids
        if partners:
            keep.message_subscribe(partner_ids=partners.ids)
