from . import stock_picking
from . import store_complaint
