# One module per model, named after it (see STYLE.md).
from . import res_company
from . import res_config_settings
from . import store_complaint_category
from . import store_complaint
from . import store_loyalty_tier
from . import store_loyalty_tier_history
from . import res_partner
from . import sale_order
from . import sale_order_line
from . import store_return_visit_rule
from . import store_return_visit
from . import store_service_kpi
from . import store_service_kpi_dashboard
from . import store_service_demo
from . import store_scorecard_log
from . import ir_actions_report
