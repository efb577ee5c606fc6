from . import test_stock_returns
