import json

from werkzeug.urls import url_parse

from odoo import fields, http
from odoo.http import content_disposition, request

from odoo.addons.web.controllers.report import ReportController  # pylint: disable=import-error

SCORECARD_REPORT = "store_service_crm.report_store_scorecard"


class ScorecardReportController(ReportController):
    @http.route()
    def report_download(self, data, context=None, token=None, readonly=True):
        """Scorecards printed from the wizard carry the month and the stores in their
        options, which Odoo's file name (``print_report_name``) cannot see: name the PDF
        after the store and the month instead of "Store Scorecard.pdf"."""
        response = super().report_download(data, context=context, token=token, readonly=readonly)
        try:
            url, report_type = json.loads(data)[:2]
        except (TypeError, ValueError):
            return response
        if (
            report_type != "qweb-pdf"
            or f"/report/pdf/{SCORECARD_REPORT}?" not in url
            or response is None
            or response.status_code != 200
        ):
            return response
        query = url_parse(url).decode_query(cls=dict)
        try:
            options = json.loads(query.get("options") or "{}")
            team_ids = [int(tid) for tid in options.get("team_ids") or []]
        except (TypeError, ValueError):
            return response
        teams = request.env["crm.team"].browse(team_ids).exists()
        if not teams:
            return response
        Report = request.env["report." + SCORECARD_REPORT]
        date_from, _date_to = Report._get_scorecard_period(options)
        name = Report._get_scorecard_file_name(teams, fields.Date.to_date(date_from))
        response.headers.set("Content-Disposition", content_disposition(f"{name}.pdf"))
        return response
