from . import store_complaint_close_wizard
