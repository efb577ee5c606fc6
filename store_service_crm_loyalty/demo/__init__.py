from . import demo_coupons
