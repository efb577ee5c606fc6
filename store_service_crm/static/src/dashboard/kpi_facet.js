import { patch } from "@web/core/utils/patch";
import { SearchModel } from "@web/search/search_model";

/**
 * The drill-down of a dashboard KPI (store.service.kpi.action_open_kpi_records)
 * carries its records' domain in the action's context as a named facet. The
 * facet is made here, from the action itself, so that it survives a browser
 * reload (the web client restores the action, not the props of the first
 * call) and stays removable. Only for the action's own model, only when no
 * saved state is restored.
 */
export const KPI_FACET_KEY = "store_service_kpi_facet";

patch(SearchModel.prototype, {
    async load(config) {
        const facet = config.context?.[KPI_FACET_KEY];
        if (facet && facet.model === config.resModel && !config.state) {
            const { model: _model, ...filter } = facet;
            config = {
                ...config,
                dynamicFilters: [...(config.dynamicFilters || []), filter],
            };
        }
        return super.load(config);
    },
});
