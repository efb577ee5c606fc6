# pylint: disable=no-member
# (pylint does not see the methods of the inherited ir.actions.report)
import functools
import logging
import subprocess

from odoo import models
from odoo.tools.pdf import merge_pdf

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

_logger = logging.getLogger(__name__)

SCORECARD_REPORT = "store_service_crm.report_store_scorecard"


@functools.cache
def _wkhtmltopdf_handles_several_pages():
    """wkhtmltopdf built without its patched Qt (the Debian/Ubuntu package) cannot put
    several HTML documents in one PDF: it exits with "unknown error" and no output."""
    try:
        out = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True
    return b"patched qt" in out


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """Several store scorecards with an unpatched wkhtmltopdf: one run per store,
        then the PDFs merged (the Print menu and the wizard print many stores)."""
        report = self._get_report(report_ref)
        if (
            report.report_name != SCORECARD_REPORT
            or not res_ids
            or len(res_ids) < 2
            or _wkhtmltopdf_handles_several_pages()
        ):
            return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        pdfs = []
        for res_id in res_ids:
            content, report_type = super()._render_qweb_pdf(report_ref, [res_id], data=data)
            if report_type != "pdf":  # tests render HTML unless asked for a PDF
                return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
            pdfs.append(content)
        _logger.info("Store scorecards: %s PDFs rendered one by one and merged", len(pdfs))
        return merge_pdf(pdfs), "pdf"
