from . import store_lot_defect_report
from . import store_lot_defect_demo
