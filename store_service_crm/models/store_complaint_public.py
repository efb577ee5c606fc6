# pylint: disable=no-member
# (pylint cannot see the mail.thread and crm.team members of the inherited models)
import ast
import logging
import re

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.mimetypes import guess_mimetype

_logger = logging.getLogger(__name__)

# what a customer may upload with a complaint: photos and PDF (the type is read from the
# content, never from the name or the browser's claim)
PUBLIC_MIMETYPES = {
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "application/pdf": ("pdf",),
}
HTML_TAG = re.compile(r"<\s*[a-zA-Z/!?]")
# the values an email or the public form may set on a complaint (nothing of the
# workflow, no handler, no store other than the one of the alias or the page)
PUBLIC_FIELDS = ("partner_id", "team_id", "company_id", "category_id", "sale_order_id")


class StoreComplaint(models.Model):
    """Complaints filed by customers themselves: the public form of a store and the
    store's email alias. Both create the complaint in superuser mode through one method
    per channel that whitelists what the customer may set; the SLA of the customer's
    tier, the VIP routing and the acknowledgement mail are those of every complaint."""

    _inherit = "store.complaint"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Public form
    # ------------------------------------------------------------------
    @api.model
    def _public_config(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(f"store_service_crm.{key}")
        try:
            return int(value) if value else default
        except ValueError:
            return default

    @api.model
    def _create_from_public(self, team, values, files=(), order=None):
        """Create the complaint a customer filed on ``team``'s public form.

        ``values``: ``name``, ``email``, ``phone``, ``order_ref``, ``category_id``,
        ``description``, ``customer_request`` (strings as posted); ``files``: a list
        of (file name, content bytes); ``order``: the sale order the customer proved
        to own (its access token), if they came from its QR code. Raise a translated
        UserError and create nothing when anything is wrong."""
        team = team.sudo()
        name = (values.get("name") or "").strip()
        email = tools.email_normalize(values.get("email") or "")
        phone = (values.get("phone") or "").strip()
        description = (values.get("description") or "").strip()
        customer_request = (values.get("customer_request") or "").strip()
        if not name or not description:
            raise UserError(self.env._("Please give your name and describe the problem."))
        if values.get("email") and not email:
            raise UserError(self.env._("This email address is not valid."))
        if not email and not self._public_phone_digits(phone):
            raise UserError(
                self.env._("Please give an email address or a phone number to reach you.")
            )
        texts = (name, phone, values.get("order_ref") or "", description, customer_request)
        if any(HTML_TAG.search(text) for text in texts):
            raise UserError(self.env._("Please write your message as plain text, without HTML."))
        if max(len(description), len(customer_request)) > 5000 or len(name) > 128:
            raise UserError(self.env._("Your message is too long: 5000 characters at most."))
        category = self._public_category(team, values.get("category_id"))
        attachments = self._public_check_files(files)
        partner = order.partner_id if order else self._public_find_partner(email, phone)
        order = order or self._public_order(team, partner, values.get("order_ref"))
        if not partner:
            partner = self._public_create_partner(team, name, email, phone)
        vals = {
            "partner_id": partner.id,
            "team_id": team.id,
            "company_id": (team.company_id or order.company_id or self.env.company).id,
            "category_id": category.id,
            "sale_order_id": order.id,
            "channel": "online",
            "description": description,
            "customer_request": customer_request,
        }
        complaint = self.sudo().with_context(mail_create_nolog=False).create(vals)
        complaint._public_attach(attachments, partner)
        return complaint

    @api.model
    def _public_category(self, team, category_id):
        try:
            category_id = int(category_id or 0)
        except (TypeError, ValueError):
            category_id = 0
        company = team.company_id or self.env.company
        category = (
            self.env["store.complaint.category"]
            .sudo()
            .search([("id", "=", category_id), ("company_id", "in", [False, company.id])], limit=1)
        )
        if not category:
            raise UserError(self.env._("Please choose what your complaint is about."))
        return category

    @api.model
    def _public_check_files(self, files):
        """[(name, content, mimetype)] of the customer's photos; a translated UserError
        for too many, too big or anything that is not a photo or a PDF."""
        max_files = self._public_config("public_form_max_files", 5)
        max_mb = self._public_config("public_form_max_file_mb", 5)
        files = [(fname, content) for fname, content in files if content]
        if len(files) > max_files:
            raise UserError(self.env._("Please send at most %(count)s files.", count=max_files))
        checked = []
        for fname, content in files:
            if len(content) > max_mb * 1024 * 1024:
                raise UserError(
                    self.env._(
                        "The file %(file)s is too big: %(size)s MB at most.",
                        file=fname,
                        size=max_mb,
                    )
                )
            mimetype = guess_mimetype(content)
            extension = (fname or "").rsplit(".", 1)[-1].lower()
            if mimetype not in PUBLIC_MIMETYPES or extension not in PUBLIC_MIMETYPES[mimetype]:
                raise UserError(
                    self.env._(
                        "The file %(file)s cannot be sent: photos (JPEG, PNG, GIF, WebP) "
                        "and PDF only.",
                        file=fname,
                    )
                )
            checked.append((fname, content, mimetype))
        return checked

    @staticmethod
    def _public_phone_digits(phone):
        digits = re.sub(r"\D", "", phone or "")
        return digits if len(digits) >= 6 else ""

    @api.model
    def _public_find_partner(self, email, phone):
        """The existing contact with this email (normalized), else with this phone
        (digits compared), preferring the one with the most orders; else none."""
        Partner = self.env["res.partner"].sudo()
        if email:
            partner = Partner.search([("email_normalized", "=", email)], order="id", limit=1)
            if partner:
                return partner
        digits = self._public_phone_digits(phone)
        if not digits:
            return Partner
        self.env["res.partner"].flush_model(["phone", "mobile", "active"])
        # digits compared from the end: "+86 138 0013 8000" is "13800138000"
        self.env.cr.execute(
            SQL(
                """WITH numbers AS (
                    SELECT id, regexp_replace(coalesce(phone, ''), '\\D', '', 'g') AS digits
                      FROM res_partner WHERE active AND phone IS NOT NULL
                     UNION ALL
                    SELECT id, regexp_replace(coalesce(mobile, ''), '\\D', '', 'g')
                      FROM res_partner WHERE active AND mobile IS NOT NULL)
                SELECT id FROM numbers
                 WHERE length(digits) >= 6
                   AND (right(digits, length(%(digits)s)) = %(digits)s
                        OR right(%(digits)s, length(digits)) = digits)
                   AND least(length(digits), length(%(digits)s)) >= 8
                 ORDER BY id LIMIT 1""",
                digits=digits,
            )
        )
        row = self.env.cr.fetchone()
        return Partner.browse(row[0]) if row else Partner

    @api.model
    def _public_order(self, team, partner, order_ref):
        """The order ``order_ref`` of this customer, or none when no reference is given;
        a translated UserError that says nothing about other customers' orders when it
        is not one of theirs."""
        order_ref = (order_ref or "").strip()
        Order = self.env["sale.order"].sudo()
        if not order_ref:
            return Order
        order = partner and Order.search(
            [
                ("name", "=ilike", order_ref),
                ("partner_id", "child_of", partner.commercial_partner_id.id),
                ("state", "!=", "cancel"),
            ],
            limit=1,
        )
        if not order:
            raise UserError(
                self.env._(
                    "We found no order %(ref)s under your email or phone. Check the reference "
                    "(it is printed on your order), or leave it empty.",
                    ref=order_ref,
                )
            )
        return order

    @api.model
    def _public_create_partner(self, team, name, email, phone):
        lang = self.env.context.get("lang")
        installed = dict(self.env["res.lang"].get_installed())
        return (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": name,
                    "email": email or False,
                    "phone": phone or False,
                    "company_id": team.company_id.id,
                    "lang": lang if lang in installed else False,
                }
            )
        )

    def _public_attach(self, attachments, partner):
        """Post the customer's photos on the complaint, as written by the customer."""
        self.ensure_one()
        if not attachments:
            return
        ids = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": fname,
                        "raw": content,
                        "mimetype": mimetype,
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for fname, content, mimetype in attachments
                ]
            )
            .ids
        )
        self.sudo().with_context(mail_post_autofollow=False).message_post(
            body=self.env._("Photos sent with the complaint."),
            author_id=partner.id,
            attachment_ids=ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------------
    # Email intake (the store's complaint alias)
    # ------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An email to a store's complaint alias: a complaint of that store, channel
        Email, for the contact of the sender (matched by email, created if unknown).
        Only the store comes from the alias defaults; the name is the sequence."""
        custom_values = custom_values or {}
        if isinstance(custom_values, str):
            custom_values = ast.literal_eval(custom_values)
        team = self.env["crm.team"].sudo().browse(custom_values.get("team_id")).exists()
        email = tools.email_normalize(msg_dict.get("email_from") or "")
        partner = self.env["res.partner"].browse(msg_dict.get("author_id")).sudo().exists()
        if not partner and email:
            partner = self._public_find_partner(email, "")
        if not partner:
            name = tools.parse_contact_from_email(msg_dict.get("email_from") or "")[0]
            partner = self._public_create_partner(team, name or email, email, "")
        subject = (msg_dict.get("subject") or "").strip()
        body = tools.html2plaintext(msg_dict.get("body") or "").strip()
        vals = {
            "partner_id": partner.id,
            "team_id": team.id,
            "company_id": (team.company_id or self.env.company).id,
            "category_id": self.env.ref("store_service_crm.complaint_category_other").id,
            "channel": "email",
            "description": "\n\n".join(filter(None, [subject, body])) or self.env._("(empty)"),
        }
        # the mail gateway creates it as superuser; the body is the first message
        return super(StoreComplaint, self.sudo()).message_new(msg_dict, custom_values=vals)

    def message_update(self, msg_dict, update_vals=None):
        """A reply threads onto the complaint (the gateway posts it next): nothing of
        the complaint is written from an email, and its handler follows it so that
        the reply reaches them (a complaint handed over keeps its old followers)."""
        for complaint in self.sudo().filtered("user_id"):
            complaint.message_subscribe(partner_ids=complaint.user_id.partner_id.ids)
        return super().message_update(msg_dict, update_vals={})


class StorePublicFormHit(models.Model):
    """One submission of a public page from an address: the rate limit per IP address
    (at most ``store_service_crm.public_form_limit`` per
    ``store_service_crm.public_form_window_minutes``). Vacuumed after a day."""

    _name = "store.public.form.hit"
    _description = "Public Form Submission"
    _log_access = False

    ip_address = fields.Char(required=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    @api.model
    def _register_hit(self, ip_address):
        """Count this submission; False when the address is over its limit (the
        submission is then refused and not counted)."""
        Complaint = self.env["store.complaint"]
        limit = Complaint._public_config("public_form_limit", 5)
        minutes = Complaint._public_config("public_form_window_minutes", 60)
        since = fields.Datetime.subtract(fields.Datetime.now(), minutes=minutes)
        count = self.sudo().search_count(
            [("ip_address", "=", ip_address or ""), ("date", ">=", since)]
        )
        if count >= limit:
            return False
        self.sudo().create({"ip_address": ip_address or ""})
        return True

    @api.autovacuum
    def _gc_hits(self):
        self.sudo().search(
            [("date", "<", fields.Datetime.subtract(fields.Datetime.now(), days=1))]
        ).unlink()
