from . import loyalty_card
from . import store_loyalty_tier
from . import res_partner
from . import sale_order
from . import store_complaint
from . import store_service_kpi
