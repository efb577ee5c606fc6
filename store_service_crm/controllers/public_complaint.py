"""Pages a customer reaches without an account.

* ``/store/<team>/complaint``: the public complaint form of a published store
  (GET shows it, POST files the complaint through
  ``store.complaint._create_from_public``). An unpublished or unknown store is a
  404. A POST is refused with a clear page and creates nothing when its CSRF
  token is missing or stale (400, the form again with what was typed), the
  honeypot field is filled (400), the address is over the rate limit (429) or
  the input is wrong (400, the form again with the reason).
* ``/store/order/<order>/feedback?access_token=...``: the page the QR code of a
  printed order or invoice opens: rate the purchase or report a problem about
  that order (the public form with the order filled in). The order's own
  access token guards it (a wrong one is a 404); a GET only shows the page (a
  crawler records nothing), a POST with a CSRF token records the rating once.
"""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import consteq

HONEYPOT = "company_website"
FORM_FIELDS = (
    "name",
    "email",
    "phone",
    "order_ref",
    "category_id",
    "description",
    "customer_request",
)


class StorePublicComplaint(http.Controller):
    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    @staticmethod
    def _store_or_404(team_id):
        team = request.env["crm.team"]._store_service_public_store(team_id)
        if not team:
            raise NotFound()
        return team

    @staticmethod
    def _order_or_404(order_id, access_token):
        """The order whose access token is ``access_token``, when its store is a
        published store (the QR code is printed only then); else a 404."""
        order = request.env["sale.order"].sudo().browse(int(order_id)).exists()
        if (
            not order
            or not order.access_token
            or not access_token
            or not consteq(order.access_token, str(access_token))
            or order.state == "cancel"
            or not request.env["crm.team"]._store_service_public_store(order.team_id.id)
        ):
            raise NotFound()
        return order

    @staticmethod
    def _categories(team):
        company = team.company_id or request.env.company
        return (
            request.env["store.complaint.category"]
            .sudo()
            .search([("company_id", "in", [False, company.id])])
        )

    def _form(self, team, values=None, error=None, status=200, order=None):
        values = values or {}
        if order and not values:
            partner = order.partner_id
            values = {
                "name": partner.name,
                "email": partner.email or "",
                "phone": partner.phone or "",
            }
        return request.render(
            "store_service_crm.public_complaint_form",
            {
                "team": team,
                "company": team.company_id or request.env.company,
                "categories": self._categories(team),
                "values": values,
                "error": error,
                "order": order,
                "honeypot": HONEYPOT,
            },
            status=status,
        )

    @staticmethod
    def _refused(title, message, status):
        return request.render(
            "store_service_crm.public_refused_page",
            {"title": title, "message": message},
            status=status,
        )

    @staticmethod
    def _files(max_mb):
        """(name, content) of the uploaded files; a file over the limit is read only
        one byte past it (enough to refuse it)."""
        limit = max_mb * 1024 * 1024 + 1
        return [
            (upload.filename, upload.read(limit))
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]

    def _post_guard(self, kwargs):
        """None when the POST may be processed, else the refusal response. Each guard
        runs before anything is written."""
        if kwargs.get(HONEYPOT):
            return self._refused(
                request.env._("Your message was not sent"),
                request.env._("This form was filled in by a robot: nothing was recorded."),
                400,
            )
        ip_address = request.httprequest.remote_addr
        if not request.env["store.public.form.hit"]._register_hit(ip_address):
            return self._refused(
                request.env._("Too many messages"),
                request.env._(
                    "Too many messages were sent from your connection in a short time. "
                    "Nothing was recorded: please try again in an hour, or call the store."
                ),
                429,
            )
        return None

    # ------------------------------------------------------------------
    # the public complaint form of a store
    # ------------------------------------------------------------------
    @http.route(
        "/store/<int:team_id>/complaint",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def store_complaint_form(self, team_id, order_id=None, access_token=None, **kwargs):
        team = self._store_or_404(team_id)
        order = self._order_or_404(order_id, access_token) if order_id else None
        if order and order.team_id != team:
            raise NotFound()
        return self._form(team, order=order)

    @http.route(
        "/store/<int:team_id>/complaint",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        csrf=False,  # checked below: a failed check shows the form again, filled in
        sitemap=False,
    )
    def store_complaint_submit(self, team_id, order_id=None, access_token=None, **kwargs):
        team = self._store_or_404(team_id)
        order = self._order_or_404(order_id, access_token) if order_id else None
        if order and order.team_id != team:
            raise NotFound()
        values = {key: kwargs.get(key) or "" for key in FORM_FIELDS}
        if not request.validate_csrf(kwargs.get("csrf_token")):
            error = request.env._(
                "This page was open for a long time: please check your message and send it "
                "again. Nothing was recorded yet (photos must be chosen again)."
            )
            return self._form(team, values, error=error, status=400, order=order)
        refused = self._post_guard(kwargs)
        if refused:
            return refused
        Complaint = request.env["store.complaint"]
        files = self._files(Complaint._public_config("public_form_max_file_mb", 5))
        try:
            with request.env.cr.savepoint():
                complaint = Complaint._create_from_public(team, values, files=files, order=order)
        except UserError as error:
            return self._form(team, values, error=str(error), status=400, order=order)
        return request.render(
            "store_service_crm.public_complaint_thanks",
            {"team": team, "complaint": complaint, "company": complaint.company_id},
        )

    # ------------------------------------------------------------------
    # the page of an order's QR code
    # ------------------------------------------------------------------
    @http.route(
        "/store/order/<int:order_id>/feedback",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        csrf=False,  # checked below for POST: the page again, with a clear message
        sitemap=False,
    )
    def store_order_feedback(self, order_id, access_token=None, **kwargs):
        order = self._order_or_404(order_id, access_token)
        rating = order._store_service_purchase_rating()
        values = {
            "order": order,
            "team": order.team_id,
            "company": order.company_id,
            "access_token": access_token,
            "rating": rating,
            "score": 0,
            "feedback": "",
            "error": None,
        }
        if request.httprequest.method != "POST":
            return request.render("store_service_crm.order_feedback_page", values)
        try:
            score = int(kwargs.get("score") or 0)
        except ValueError:
            score = 0
        values.update(score=score, feedback=kwargs.get("feedback") or "")
        if not request.validate_csrf(kwargs.get("csrf_token")):
            values["error"] = request.env._(
                "This page was open for a long time: please send your answer again."
            )
            return request.render("store_service_crm.order_feedback_page", values, status=400)
        if rating:
            return request.render("store_service_crm.order_feedback_page", values, status=409)
        refused = self._post_guard(kwargs)
        if refused:
            return refused
        try:
            with request.env.cr.savepoint():
                rating = order._store_service_rate_purchase(score, kwargs.get("feedback"))
        except UserError as error:
            values["error"] = str(error)
            return request.render("store_service_crm.order_feedback_page", values, status=400)
        values.update(rating=rating, thanks=True)
        return request.render("store_service_crm.order_feedback_page", values)
