from . import store_complaint_coupon_wizard
