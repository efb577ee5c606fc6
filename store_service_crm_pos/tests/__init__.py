from . import test_pos_orders
from . import test_pos_complaint_order
from . import test_pos_visit_link
from . import test_uninstall_hook
