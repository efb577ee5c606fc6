from . import test_stock_returns
from . import test_lot_defect
