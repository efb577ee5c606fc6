# One module per model, named after it (see STYLE.md).
from . import res_company
from . import res_config_settings
from . import store_loyalty_tier
from . import store_loyalty_tier_history
from . import res_partner
from . import sale_order
from . import sale_order_line
