from . import stock_picking
from . import store_complaint
from . import store_complaint_lot
from . import stock_lot
