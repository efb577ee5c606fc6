# pylint: disable=no-member,missing-return
# (pylint does not see the fields and methods of the complaint defined in store_complaint.py
# and of the mixins; the overrides return what the super call returns)
"""The customer's side of a complaint: a portal record (access token, ``/my/complaints``).

What the customer may do from the page goes through the same doors as the staff:
confirming that it is solved is the verification the close step needs (the
verification visit's ``action_done``), saying it is not solved is
``action_reopen`` (counted like a staff reopen). The controller checks the access
(token or record rules) and calls these methods in superuser mode.
"""

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html
from odoo.tools.mimetypes import guess_mimetype

# what a customer may attach: photos and PDF documents, checked on the content
PORTAL_ATTACHMENT_MIMETYPES = (
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "application/pdf",
)
PORTAL_MAX_FILES = 5
PORTAL_MAX_TEXT = 5000
# the workflow as the customer sees it: (state, date field of the step)
PORTAL_TIMELINE = (
    ("new", "date_received"),
    ("assigned", None),
    ("in_progress", "date_first_response"),
    ("resolved", "date_resolved"),
    ("closed", "date_closed"),
)


class StoreComplaint(models.Model):
    _name = "store.complaint"
    _inherit = ["store.complaint", "portal.mixin"]  # noqa: RUF012

    def _compute_access_url(self):
        super()._compute_access_url()
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    # ------------------------------------------------------------------
    # What the page shows
    # ------------------------------------------------------------------
    def _portal_handler_first_name(self):
        """The handler's first name only (the customer does not get the staff's full
        names)."""
        self.ensure_one()
        name = (self.sudo().user_id.name or "").strip()
        return name.split()[0] if name else ""

    def _portal_timeline(self):
        """The workflow's steps for the page: label, date, done/current."""
        self.ensure_one()
        labels = dict(self._fields["state"]._description_selection(self.env))
        order = [state for state, _date in PORTAL_TIMELINE]
        current = order.index(self.state) if self.state in order else -1
        return [
            {
                "state": state,
                "label": labels[state],
                "date": self[date_field] if date_field else False,
                "done": index < current,
                "current": index == current,
            }
            for index, (state, date_field) in enumerate(PORTAL_TIMELINE)
        ]

    def _portal_messages(self):
        """The public messages of the complaint, oldest first: no internal note, no
        tracking, no message of an internal subtype."""
        self.ensure_one()
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("message_type", "in", ("comment", "email", "email_outgoing")),
                    ("is_internal", "=", False),
                    ("subtype_id.internal", "=", False),
                ],
                order="date asc, id asc",
            )
        )

    def _portal_can_confirm(self):
        self.ensure_one()
        return self.state == "resolved" and not self._is_verified()

    def _portal_can_reopen(self):
        self.ensure_one()
        return self.state in ("resolved", "closed")

    # ------------------------------------------------------------------
    # What the customer does (called in superuser mode by the controller, after the
    # access check)
    # ------------------------------------------------------------------
    def _portal_check_text(self, text, required=True):
        text = (text or "").strip()
        if required and not text:
            raise UserError(self.env._("Write your message first."))
        if len(text) > PORTAL_MAX_TEXT:
            raise UserError(
                self.env._(
                    "Your message is too long (%(max)s characters at most).", max=PORTAL_MAX_TEXT
                )
            )
        return text

    def _portal_check_files(self, files):
        """``files``: [(filename, bytes)]. Photos and PDF only (checked on the content,
        not on the name), at most the company's size each and PORTAL_MAX_FILES."""
        self.ensure_one()
        files = [(name, data) for name, data in files if name or data]
        if len(files) > PORTAL_MAX_FILES:
            raise UserError(self.env._("Attach %(max)s files at most.", max=PORTAL_MAX_FILES))
        max_mb = self.company_id.complaint_portal_max_file_mb or 0
        checked = []
        for name, data in files:
            if not data:
                raise UserError(self.env._("The file %(name)s is empty.", name=name))
            if len(data) > max_mb * 1024 * 1024:
                raise UserError(
                    self.env._(
                        "The file %(name)s is too large: %(max)s MB at most.",
                        name=name,
                        max=max_mb,
                    )
                )
            mimetype = guess_mimetype(data)
            if mimetype not in PORTAL_ATTACHMENT_MIMETYPES:
                raise UserError(
                    self.env._(
                        "The file %(name)s cannot be attached: only photos (JPEG, PNG, GIF, "
                        "WebP) and PDF documents are accepted.",
                        name=name,
                    )
                )
            checked.append((name, data, mimetype))
        return checked

    def _portal_post_reply(self, partner, text, files=()):
        """The customer's reply: plain text (escaped), photos or PDF attached."""
        self.ensure_one()
        text = self._portal_check_text(text, required=not files)
        checked = self._portal_check_files(files)
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "raw": data,
                        "mimetype": mimetype,
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for name, data, mimetype in checked
                ]
            )
        )
        return self.sudo().message_post(
            body=plaintext2html(text) if text else "",
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=attachments.ids,
        )

    def _portal_confirm_solved(self, partner):
        """The customer confirms the resolution: the verification the close step needs,
        through the verification visit's own action (as a clerk recording the call)."""
        self.ensure_one()
        self._check_state(("resolved",), self.env._("Confirming the resolution"))
        if self._is_verified():
            raise UserError(self.env._("You have already confirmed that it is solved."))
        visit = self._verification_visits().filtered(
            lambda v: v.state in ("planned", "unreachable")
        )[:1]
        if not visit:
            visit = (
                self.env["store.return.visit"]
                .sudo()
                .create(
                    {
                        "partner_id": self.partner_id.id,
                        "origin": "complaint",
                        "complaint_id": self.id,
                        "sale_order_id": self.sale_order_id.id,
                        "team_id": self.team_id.id,
                        "user_id": self.user_id.id,
                        "company_id": self.company_id.id,
                        "channel": "messaging",
                        "scheduled_date": fields.Date.context_today(self),
                    }
                )
            )
        visit.sudo().action_done(feedback=self._portal_staff_text("confirmed"))
        self.sudo().message_post(
            body=plaintext2html(self._portal_staff_text("confirmed")),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def _portal_not_solved(self, partner, reason):
        """The customer says it is not solved: the complaint is reopened through
        ``action_reopen`` (counted like a staff reopen), their reason posted."""
        self.ensure_one()
        reason = self._portal_check_text(reason)
        if not self._portal_can_reopen():
            raise UserError(
                self.env._("Your complaint is still being handled: write us a message instead.")
            )
        self.sudo().action_reopen()
        self.sudo().message_post(
            body=plaintext2html(self._portal_staff_text("not_solved") + "\n" + reason),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def _portal_staff_text(self, what):
        """The note left for the staff, in the handler's language."""
        env = self.with_context(lang=self.user_id.lang or self.company_id.partner_id.lang).env
        if what == "confirmed":
            return env._("The customer confirmed on the complaint page that it is solved.")
        return env._("The customer says on the complaint page that it is not solved:")

    def action_preview_customer_page(self):
        """Open the customer's page of the complaint (what their emails link to)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self.get_portal_url(),
            "target": "new",
        }
