"""The customer's page of a complaint (portal.mixin), as Odoo's sale order pages.

* ``GET /my/complaints``: the complaints of the portal user's commercial entity
  (record rule ``store_complaint_rule_portal``), with a pager and sorting;
* ``GET /my/complaints/<id>``: one complaint, for a portal user who may read it
  or for anyone with its ``access_token`` (the link of the customer's emails);
  anything else is a 404 (an unknown complaint and a wrong token look the same);
* ``POST .../reply``, ``.../confirm``, ``.../not_solved``: the customer's reply
  (photos/PDF attached), confirmation that it is solved (the verification the
  close step needs) and "not solved" (a reopen). CSRF-checked by Odoo (400
  without a valid token); bad input changes nothing and shows the page again
  with the reason (400); the actions are the model's (``_portal_*``), which go
  through the workflow's own doors.
"""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import (  # pylint: disable=import-error
    CustomerPortal,
)
from odoo.addons.portal.controllers.portal import (  # pylint: disable=import-error
    pager as portal_pager,
)

MODEL = "store.complaint"
NOTICES = ("sent", "confirmed", "reopened")


class StoreComplaintPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            Complaint = request.env[MODEL]
            values["complaint_count"] = (
                Complaint.search_count([]) if Complaint.has_access("read") else 0
            )
        return values

    def _complaint_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "date_received desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name desc, id desc"},
            "state": {"label": request.env._("Status"), "order": "state, date_received desc"},
        }

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_complaints(self, page=1, sortby=None, **kw):
        Complaint = request.env[MODEL]
        if not Complaint.has_access("read"):
            return request.redirect("/my")
        sortings = self._complaint_sortings()
        if sortby not in sortings:
            sortby = "date"
        pager = portal_pager(
            url="/my/complaints",
            url_args={"sortby": sortby},
            total=Complaint.search_count([]),
            page=page,
            step=self._items_per_page,
        )
        complaints = Complaint.search(
            [], order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"]
        )
        request.session["my_complaints_history"] = complaints.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "complaints": complaints.sudo(),
                "page_name": "complaint",
                "pager": pager,
                "default_url": "/my/complaints",
                "searchbar_sortings": sortings,
                "sortby": sortby,
            }
        )
        return request.render("store_service_crm.portal_my_complaints", values)

    # ------------------------------------------------------------------
    # One complaint
    # ------------------------------------------------------------------
    def _complaint_check_access(self, complaint_id, access_token):
        try:
            complaint_sudo = self._document_check_access(MODEL, complaint_id, access_token)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        if request.env.user._is_public():
            # the customer of the link reads the page in their language
            # (English always is: the source terms)
            lang = complaint_sudo.partner_id.lang
            if lang == "en_US" or lang in dict(request.env["res.lang"].get_installed()):
                request.update_context(lang=lang)
        return complaint_sudo.with_context(lang=request.env.lang)

    def _complaint_author(self, complaint_sudo):
        """Who speaks: the logged-in portal user, else the customer of the link."""
        user = request.env.user
        if not user._is_public() and user.partner_id.commercial_partner_id == (
            complaint_sudo.commercial_partner_id
        ):
            return user.partner_id
        return complaint_sudo.partner_id

    def _complaint_page(self, complaint_sudo, access_token, status=200, **kw):
        values = self._prepare_portal_layout_values()
        values = self._get_page_view_values(
            complaint_sudo, access_token, values, "my_complaints_history", False, **kw
        )
        notice = kw.get("notice")
        values.update(
            {
                "complaint": complaint_sudo,
                "page_name": "complaint",
                "access_token": access_token,
                "notice": notice if notice in NOTICES else False,
                "form_error": kw.get("form_error"),
                "reply_text": kw.get("reply_text") or "",
                "max_file_mb": complaint_sudo.company_id.complaint_portal_max_file_mb,
            }
        )
        return request.render("store_service_crm.portal_complaint_page", values, status=status)

    def _complaint_redirect(self, complaint_sudo, access_token, notice):
        url = complaint_sudo.access_url + f"?notice={notice}"
        if access_token:
            url += f"&access_token={access_token}"
        return request.redirect(url, code=303)

    @http.route(["/my/complaints/<int:complaint_id>"], type="http", auth="public", website=True)
    def portal_complaint_page(self, complaint_id, access_token=None, **kw):
        complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        return self._complaint_page(complaint_sudo, access_token, notice=kw.get("notice"))

    def _complaint_do(self, complaint_id, access_token, action, notice, text):
        complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        author = self._complaint_author(complaint_sudo)
        try:
            with request.env.cr.savepoint():
                action(complaint_sudo, author)
        except (UserError, ValidationError) as error:
            return self._complaint_page(
                complaint_sudo,
                access_token,
                status=400,
                form_error=error.args[0],
                reply_text=text,
            )
        return self._complaint_redirect(complaint_sudo, access_token, notice)

    @http.route(
        ["/my/complaints/<int:complaint_id>/reply"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_complaint_reply(self, complaint_id, access_token=None, message="", **kw):
        files = request.httprequest.files.getlist("attachments")

        def reply(complaint_sudo, author):
            limit = complaint_sudo.company_id.complaint_portal_max_file_mb * 1024 * 1024
            # read one byte past the limit: enough to refuse a larger file
            complaint_sudo._portal_post_reply(
                author, message, [(f.filename, f.read(limit + 1)) for f in files if f.filename]
            )

        return self._complaint_do(complaint_id, access_token, reply, "sent", message)

    @http.route(
        ["/my/complaints/<int:complaint_id>/confirm"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_complaint_confirm(self, complaint_id, access_token=None, **kw):
        return self._complaint_do(
            complaint_id,
            access_token,
            lambda complaint_sudo, author: complaint_sudo._portal_confirm_solved(author),
            "confirmed",
            "",
        )

    @http.route(
        ["/my/complaints/<int:complaint_id>/not_solved"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_complaint_not_solved(self, complaint_id, access_token=None, reason="", **kw):
        return self._complaint_do(
            complaint_id,
            access_token,
            lambda complaint_sudo, author: complaint_sudo._portal_not_solved(author, reason),
            "reopened",
            reason,
        )
