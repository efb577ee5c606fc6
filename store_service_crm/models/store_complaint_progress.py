# pylint: disable=no-member,missing-return
# (pylint does not see the fields and methods of the complaint defined in store_complaint.py
# and of the mixins; the overrides return what the super call returns)
"""Progress messages to the customer, and the customer's rating of a complaint.

At assignment, start, a promised date set or changed, resolution (with the
CSAT/NPS rating link, the same as the return visits') and closing, the
customer gets a message with the link to their complaint's page, in their
language; each step can be switched off per company (Settings). The rating
(``rating.mixin``) lands in ``satisfaction_score`` and ``nps_score`` through
``_apply_customer_rating``, called by the public rating pages
(controllers/rating.py).
"""

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

from .res_company_complaint_portal import PROGRESS_STEPS

RESOLUTION_NOTICE = "store_service_crm.mail_template_complaint_resolution"
PROGRESS_TEMPLATES = {
    step: f"store_service_crm.mail_template_complaint_progress_{step}" for step in PROGRESS_STEPS
}
RATING_FIELDS = {"nps_score", "nps_given"}


class StoreComplaint(models.Model):
    _name = "store.complaint"
    # rating.mixin first: it extends mail.thread, which the complaint inherits already
    _inherit = ["rating.mixin", "store.complaint"]  # noqa: RUF012

    nps_score = fields.Integer(
        string="Customer NPS",
        readonly=True,
        copy=False,
        help="How likely the customer is to recommend us (0-10), from their rating of the "
        "resolution.",
    )
    nps_given = fields.Boolean(
        string="NPS Given", readonly=True, copy=False, help="The customer gave an NPS (0 included)."
    )

    def write(self, vals):
        if not self.env.su and RATING_FIELDS.intersection(vals):
            raise UserError(
                self.env._("The customer's rating of a complaint is written by the customer only.")
            )
        promised = {c.id: c.promised_date for c in self} if "promised_date" in vals else None
        res = super().write(vals)
        if promised is not None:
            self.filtered(
                lambda c: c.promised_date and c.promised_date != promised[c.id]
            )._send_progress("promise")
        return res

    # ------------------------------------------------------------------
    # Progress messages
    # ------------------------------------------------------------------
    def action_assign(self):
        res = super().action_assign()
        self._send_progress("assigned")
        return res

    def action_start(self):
        res = super().action_start()
        self._send_progress("started")
        return res

    def action_close(self):
        res = super().action_close()
        self._send_progress("closed")
        return res

    def _send_customer_mail(self, template_xmlid):
        # the resolution notice is the "resolved" progress message (with the rating link)
        if template_xmlid == RESOLUTION_NOTICE:
            return self._send_progress("resolved")
        return super()._send_customer_mail(template_xmlid)

    def _send_progress(self, step):
        """The progress message of ``step`` to the customers of the companies that want
        it (Settings), through the one mail door (``_send_customer_mail``)."""
        complaints = self.filtered(lambda c: c.company_id[f"complaint_progress_{step}"])
        if complaints:
            super(StoreComplaint, complaints)._send_customer_mail(PROGRESS_TEMPLATES[step])

    def _portal_tracking_url(self):
        """The customer's link to the complaint's page (token included, no login)."""
        self.ensure_one()
        return self.get_base_url() + self.sudo().get_portal_url()

    # ------------------------------------------------------------------
    # Rating (rating.mixin)
    # ------------------------------------------------------------------
    def _rating_get_partner(self):
        return self.partner_id

    def _rating_get_operator(self):
        return self.user_id.partner_id

    def _apply_customer_rating(self, rating, csat, nps=None, feedback=None):
        """Record the customer's rating of the resolution (from the rating link): the
        CSAT in the rating and in ``satisfaction_score``, the NPS in ``nps_score``.
        Called in superuser mode by the public controller after the token check."""
        self.ensure_one()
        if not 1 <= csat <= 5 or (nps is not None and not 0 <= nps <= 10):
            raise ValidationError(self.env._("The CSAT score is between 1 and 5."))
        self.rating_apply(  # pylint: disable=no-member
            csat, rating=rating, feedback=feedback, subtype_xmlid="mail.mt_note"
        )
        vals = {"satisfaction_score": csat}
        if nps is not None:
            vals.update(nps_score=nps, nps_given=True)
        self.sudo().write(vals)
