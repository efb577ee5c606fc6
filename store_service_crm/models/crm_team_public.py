# pylint: disable=no-member
# (pylint cannot see the mail.thread and crm.team members of the inherited models)
from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmTeam(models.Model):
    """How customers reach a store without an account: its public complaint form
    (published or not), its complaint email alias and the QR code printed on its
    orders and invoices.

    The store's complaint alias is a second alias of the team: ``alias_id`` belongs to
    the leads of ``crm`` when that app is installed. It is created when a manager gives
    it a name (an alias without a name receives nothing) and its parent is the store,
    as ``mail.alias.mixin`` does for the owner of an alias."""

    _inherit = "crm.team"  # pylint: disable=consider-merging-classes-inherited

    complaint_form_published = fields.Boolean(
        string="Public Complaint Form",
        default=False,
        help="Customers can file a complaint on this store's public page, without an "
        "account. Unpublished, the page does not exist.",
    )
    complaint_form_url = fields.Char(
        string="Complaint Form Link", compute="_compute_complaint_form_url"
    )
    complaint_alias_id = fields.Many2one(
        "mail.alias",
        ondelete="restrict",
        copy=False,
        groups="base.group_user",
        help="The email address whose messages become complaints of this store.",
    )
    complaint_alias_name = fields.Char(
        string="Complaint Email Alias",
        compute="_compute_complaint_alias",
        inverse="_inverse_complaint_alias_name",
        help="An email to this address becomes a complaint of this store (channel "
        "Email); a reply to a complaint's email threads onto it.",
    )
    complaint_alias_email = fields.Char(
        string="Complaint Email", compute="_compute_complaint_alias"
    )

    @api.depends("complaint_form_published")
    def _compute_complaint_form_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for team in self:
            team.complaint_form_url = (
                f"{base}/store/{team.id}/complaint"
                if team.id and team.complaint_form_published
                else False
            )

    @api.depends("complaint_alias_id.alias_name", "complaint_alias_id.alias_full_name")
    def _compute_complaint_alias(self):
        for team in self:
            alias = team.sudo().complaint_alias_id
            team.complaint_alias_name = alias.alias_name
            team.complaint_alias_email = alias.alias_full_name or False

    def _inverse_complaint_alias_name(self):
        Alias = self.env["mail.alias"].sudo()
        for team in self:
            name = team.complaint_alias_name
            alias = team.sudo().complaint_alias_id
            if alias:
                alias.alias_name = name and Alias._sanitize_alias_name(name)
            elif name:
                if not team.is_store:
                    raise UserError(
                        self.env._("Only a store receives complaints by email: mark it as a store.")
                    )
                alias = Alias.create(team._complaint_alias_values(name))
                team.sudo().complaint_alias_id = alias

    def _complaint_alias_values(self, name):
        self.ensure_one()
        IrModel = self.env["ir.model"]
        domain = self.company_id.alias_domain_id or self.env.company.alias_domain_id
        return {
            "alias_name": self.env["mail.alias"]._sanitize_alias_name(name),
            "alias_model_id": IrModel._get_id("store.complaint"),
            "alias_parent_model_id": IrModel._get_id("crm.team"),
            "alias_parent_thread_id": self.id,
            "alias_defaults": repr({"team_id": self.id}),
            "alias_contact": "everyone",
            "alias_domain_id": domain.id,
        }

    def unlink(self):
        aliases = self.sudo().complaint_alias_id
        res = super().unlink()
        aliases.unlink()
        return res

    @api.model
    def _store_service_public_store(self, team_id):
        """The published store ``team_id`` (sudo), or an empty recordset: what the public
        complaint form and the order's QR page may show."""
        return self.sudo().search(
            [
                *self._store_service_store_domain(),
                ("id", "=", int(team_id)),
                ("complaint_form_published", "=", True),
            ],
            limit=1,
        )
