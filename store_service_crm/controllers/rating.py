"""Customer self-rating of return visits on top of Odoo's ``/rate`` pages.

Odoo's rating pages take 1/3/5 smileys. For ``store.return.visit`` and
``store.complaint`` (the rating link of the resolution message) the same
routes and the same ``rating.rating.access_token`` take a CSAT of 1-5 and an
NPS of 0-10 (the record's ``_apply_customer_rating`` stores them):

* ``GET /rate/<token>/<csat>`` and ``GET /rate/<token>/submit_feedback``
  only show the form (a link crawler records nothing);
* ``POST /rate/<token>/submit_feedback`` records the answer once;
* a second POST on a consumed token changes nothing and gets the
  "already answered" page with HTTP status 409 (Conflict);
* an unknown token is a 404 (Odoo's ``_get_rating_and_record``);
* a POST without a valid CSRF token (an expired session) records nothing and
  shows the form again with the answer filled in and a fresh token (status
  400), so that the customer only has to send it again;
* an answer out of range (or no CSAT) records nothing and shows the form
  again, with the customer's choices and a message in the customer's
  language (HTTP status 400), never Odoo's English error page.

Every page is rendered in the customer's language, the visit (store name)
read in that language too.
"""

from werkzeug.exceptions import BadRequest

from odoo import http
from odoo.http import request
from odoo.tools.misc import get_lang

from odoo.addons.rating.controllers.main import Rating  # pylint: disable=import-error

RATED_MODELS = ("store.return.visit", "store.complaint")


class StoreServiceRating(Rating):
    @http.route("/rate/<string:token>/<int:rate>", type="http", auth="public", website=True)
    def action_open_rating(self, token, rate, **kwargs):
        rating, record_sudo = self._get_rating_and_record(token)
        if rating.res_model not in RATED_MODELS:
            return super().action_open_rating(token, rate, **kwargs)
        if not 1 <= rate <= 5:
            # a mangled link: the form, nothing chosen, in the customer's language
            return self._store_service_rating_page(rating, record_sudo, token, status=400)
        return self._store_service_rating_page(rating, record_sudo, token, csat=rate)

    @http.route(
        ["/rate/<string:token>/submit_feedback"],
        type="http",
        auth="public",
        methods=["post", "get"],
        website=True,
        csrf=False,  # checked below: a failed check must not lose the customer's answer
    )
    def action_submit_rating(self, token, rate=0, **kwargs):
        rating, record_sudo = self._get_rating_and_record(token)
        is_post = request.httprequest.method == "POST"
        csrf_token = kwargs.pop("csrf_token", None)
        if rating.res_model not in RATED_MODELS:
            if is_post and not request.validate_csrf(csrf_token):
                raise BadRequest("Session expired (invalid CSRF token)")
            return super().action_submit_rating(token, rate=rate, **kwargs)
        if not is_post:
            return self._store_service_rating_page(rating, record_sudo, token)
        if not request.validate_csrf(csrf_token):
            # an expired or missing session (a phone's browser dropped the cookie): the
            # form again with the answer filled in and a fresh token; nothing recorded
            csat, nps = self._store_service_parse(kwargs.get("csat") or rate, kwargs.get("nps"))
            return self._store_service_rating_page(
                rating,
                record_sudo,
                token,
                csat=csat,
                nps=nps,
                feedback=kwargs.get("feedback") or "",
                error="expired",
                status=400,
            )
        if rating.consumed:
            return self._store_service_render(
                rating,
                "store_service_crm.rating_page_already_answered",
                {"rating": rating},
                status=409,
            )
        csat, nps = self._store_service_parse(kwargs.get("csat") or rate, kwargs.get("nps"))
        if not csat or nps is False:
            return self._store_service_rating_page(
                rating,
                record_sudo,
                token,
                csat=csat or 0,
                nps=nps,
                feedback=kwargs.get("feedback") or "",
                error="choose",
                status=400,
            )
        record_sudo._apply_customer_rating(rating, csat, nps=nps, feedback=kwargs.get("feedback"))
        return self._store_service_render(
            rating,
            "rating.rating_external_page_view",
            {"web_base_url": rating.get_base_url(), "rating": rating},
        )

    @staticmethod
    def _store_service_parse(csat, nps):
        """(CSAT 1-5 or 0 if missing/invalid, NPS 0-10 or None if not given or False if
        invalid). An NPS of 0 is an answer, not a missing one."""
        try:
            csat = int(csat or 0)
        except (TypeError, ValueError):
            csat = 0
        if not 1 <= csat <= 5:
            csat = 0
        if nps is None or (isinstance(nps, str) and not nps.strip()):
            return csat, None
        try:
            nps = int(nps)
        except (TypeError, ValueError):
            return csat, False
        return csat, nps if 0 <= nps <= 10 else False

    def _store_service_rating_page(
        self, rating, record_sudo, token, csat=0, nps=None, feedback="", error=False, status=200
    ):
        if rating.consumed:
            return self._store_service_render(
                rating,
                "store_service_crm.rating_page_already_answered",
                {"rating": rating},
                status=status,
            )
        record = record_sudo.with_context(lang=self._store_service_lang(rating))
        return self._store_service_render(
            rating,
            "store_service_crm.rating_page_visit_submit",
            {
                "rating": rating,
                "record": record,
                "token": token,
                "csat": csat,
                "nps": nps if nps is not False else None,
                "feedback": feedback,
                "error": error,
                "company": record.company_id,
            },
            status=status,
        )

    @staticmethod
    def _store_service_lang(rating):
        """The customer's language if it is installed (English always is: the source
        terms), else the visitor's."""
        lang = rating.partner_id.lang
        if lang == "en_US" or lang in dict(request.env["res.lang"].get_installed()):
            return lang
        return get_lang(request.env).code

    def _store_service_render(self, rating, template, values, status=200):
        lang = self._store_service_lang(rating)
        html = request.env["ir.ui.view"].with_context(lang=lang)._render_template(template, values)
        return request.make_response(html, status=status)
