from . import test_compensation_coupon
from . import test_tier_coupons
