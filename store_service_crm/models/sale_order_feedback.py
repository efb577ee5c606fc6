# pylint: disable=no-member
# (pylint cannot see the fields of sale.order and account.move)
import base64

from odoo import models
from odoo.exceptions import UserError
from odoo.tools.image import image_data_uri


class SaleOrder(models.Model):
    """The QR code printed on an order (and its invoices) of a store whose public
    form is published: it opens a page, bound to the order by its access token, to
    rate the purchase or report a problem about it. The rating of a purchase is an
    Odoo rating (``rating.rating``) on the order, one per order."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    def _store_service_feedback_enabled(self):
        self.ensure_one()
        return bool(
            self.state != "cancel"
            and self.env["crm.team"]._store_service_public_store(self.team_id.id)
        )

    def _store_service_feedback_url(self):
        """The absolute link of the order's QR page (its access token made if missing)."""
        self.ensure_one()
        order = self.sudo()
        order._portal_ensure_token()
        path = f"/store/order/{order.id}/feedback?access_token={order.access_token}"
        return order.get_base_url() + path

    def _store_service_feedback_qr(self):
        """The QR code of the order's feedback page, as a data URI for a report."""
        self.ensure_one()
        png = self.env["ir.actions.report"].barcode(
            "QR", self._store_service_feedback_url(), width=240, height=240, barLevel="M"
        )
        return image_data_uri(base64.b64encode(png))

    def _store_service_purchase_rating(self):
        """The customer's rating of this purchase (from the QR page), if given."""
        self.ensure_one()
        return (
            self.env["rating.rating"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "sale.order"),
                    ("res_id", "=", self.id),
                    ("consumed", "=", True),
                ],
                limit=1,
            )
        )

    def _store_service_rate_purchase(self, score, feedback=None):
        """Record the customer's rating (1-5) of this purchase once, and note it on the
        order; a translated UserError for a score out of range or a second rating."""
        self.ensure_one()
        order = self.sudo()
        if not 1 <= int(score or 0) <= 5:
            raise UserError(self.env._("Please choose how satisfied you are (1 to 5)."))
        if order._store_service_purchase_rating():
            raise UserError(self.env._("This purchase is rated already: thank you."))
        feedback = (feedback or "").strip()[:2000]
        rating = (
            self.env["rating.rating"]
            .sudo()
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("sale.order"),
                    "res_id": order.id,
                    "partner_id": order.partner_id.id,
                    "rated_partner_id": order.user_id.partner_id.id,
                    "rating": float(score),
                    "feedback": feedback,
                    "consumed": True,
                }
            )
        )
        order.with_context(mail_post_autofollow=False).message_post(
            body=self.env._(
                "The customer rated this purchase %(score)s/5 (QR code of the order).",
                score=int(score),
            )
            + (f"\n{feedback}" if feedback else ""),
            author_id=order.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return rating


class AccountMove(models.Model):
    _inherit = "account.move"

    def _store_service_feedback_order(self):
        """The sale order whose QR code an invoice prints: its first order, when that
        order's store publishes its form."""
        self.ensure_one()
        orders = self.sudo().line_ids.sale_line_ids.order_id
        order = orders[:1]
        return order if order and order._store_service_feedback_enabled() else orders.browse()
