"""Customer self-rating of return visits on top of Odoo's ``/rate`` pages.

Odoo's rating pages take 1/3/5 smileys. For ``store.return.visit`` the same
routes and the same ``rating.rating.access_token`` take a CSAT of 1-5 and an
NPS of 0-10:

* ``GET /rate/<token>/<csat>`` and ``GET /rate/<token>/submit_feedback``
  only show the form (a link crawler records nothing);
* ``POST /rate/<token>/submit_feedback`` records the answer once;
* a second POST on a consumed token changes nothing and gets the
  "already answered" page with HTTP status 409 (Conflict);
* an unknown token is a 404 (Odoo's ``_get_rating_and_record``).
"""

from werkzeug.exceptions import BadRequest

from odoo import http
from odoo.http import request
from odoo.tools.misc import get_lang

from odoo.addons.rating.controllers.main import Rating  # pylint: disable=import-error

RATED_MODELS = ("store.return.visit",)


class StoreServiceRating(Rating):
    @http.route("/rate/<string:token>/<int:rate>", type="http", auth="public", website=True)
    def action_open_rating(self, token, rate, **kwargs):
        rating, record_sudo = self._get_rating_and_record(token)
        if rating.res_model not in RATED_MODELS:
            return super().action_open_rating(token, rate, **kwargs)
        if not 1 <= rate <= 5:
            raise BadRequest()
        return self._store_service_rating_page(rating, record_sudo, token, csat=rate)

    @http.route(
        ["/rate/<string:token>/submit_feedback"],
        type="http",
        auth="public",
        methods=["post", "get"],
        website=True,
    )
    def action_submit_rating(self, token, rate=0, **kwargs):
        rating, record_sudo = self._get_rating_and_record(token)
        if rating.res_model not in RATED_MODELS:
            return super().action_submit_rating(token, rate=rate, **kwargs)
        if request.httprequest.method != "POST":
            return self._store_service_rating_page(rating, record_sudo, token)
        if rating.consumed:
            return self._store_service_render(
                rating,
                "store_service_crm.rating_page_already_answered",
                {"rating": rating},
                status=409,
            )
        try:
            csat = int(kwargs.get("csat") or rate)
            nps = kwargs.get("nps")
            nps = int(nps) if nps not in (None, "") else None
        except ValueError as exc:
            raise BadRequest() from exc
        if not 1 <= csat <= 5 or (nps is not None and not 0 <= nps <= 10):
            raise BadRequest()
        record_sudo._apply_customer_rating(rating, csat, nps=nps, feedback=kwargs.get("feedback"))
        return self._store_service_render(
            rating,
            "rating.rating_external_page_view",
            {"web_base_url": rating.get_base_url(), "rating": rating},
        )

    def _store_service_rating_page(self, rating, record_sudo, token, csat=0):
        if rating.consumed:
            return self._store_service_render(
                rating, "store_service_crm.rating_page_already_answered", {"rating": rating}
            )
        return self._store_service_render(
            rating,
            "store_service_crm.rating_page_visit_submit",
            {
                "rating": rating,
                "record": record_sudo,
                "token": token,
                "csat": csat,
                "company": record_sudo.company_id,
            },
        )

    def _store_service_render(self, rating, template, values, status=200):
        lang = rating.partner_id.lang or get_lang(request.env).code
        html = request.env["ir.ui.view"].with_context(lang=lang)._render_template(template, values)
        return request.make_response(html, status=status)
