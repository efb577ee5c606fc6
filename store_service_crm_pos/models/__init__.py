from . import store_order_source
from . import res_partner
from . import pos_order
from . import store_complaint
from . import store_return_visit
from . import store_return_visit_rule
