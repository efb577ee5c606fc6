# pylint: disable=no-member
# (pylint does not see the fields and methods of the inherited model)
from odoo import api, models
from odoo.exceptions import UserError

from .store_service_kpi_definitions import COMPLAINT

# the request types the KPIs are restricted to (``compute_kpis(request_type_ids=...)``);
# it only narrows what the user may see anyway
CONTEXT_KEY = "store_service_kpi_request_type_ids"


class StoreServiceKpi(models.AbstractModel):
    """The KPIs per request type: ``compute_kpis(..., request_type_ids=[...])`` counts
    only the requests of those types (orders and visits are not typed). The
    complaint rate counts complaint types whatever the filter (``complaint_count``)."""

    _inherit = "store.service.kpi"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    @api.readonly
    def compute_kpis(
        self, date_from, date_to, team_ids=None, group_by=None, compare=False, request_type_ids=None
    ):
        kpi = self
        if request_type_ids is not None:
            if isinstance(request_type_ids, int) and not isinstance(request_type_ids, bool):
                request_type_ids = [request_type_ids]
            if not isinstance(request_type_ids, list | tuple) or not all(
                isinstance(i, int) and not isinstance(i, bool) for i in request_type_ids
            ):
                raise UserError(self.env._("Request types are given by their ids."))
            kpi = self.with_context(**{CONTEXT_KEY: tuple(request_type_ids)})
        return super(StoreServiceKpi, kpi).compute_kpis(
            date_from, date_to, team_ids=team_ids, group_by=group_by, compare=compare
        )

    @api.model
    def _kpi_base_domain(self, source, date_from, date_to, team_ids=None):
        domain = super()._kpi_base_domain(source, date_from, date_to, team_ids=team_ids)
        request_type_ids = self.env.context.get(CONTEXT_KEY)
        if source == COMPLAINT and isinstance(request_type_ids, list | tuple):
            domain = [*domain, ("request_type_id", "in", [int(i) for i in request_type_ids])]
        return domain
