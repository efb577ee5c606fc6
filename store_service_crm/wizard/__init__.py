from . import store_complaint_close_wizard
from . import store_scorecard_wizard
from . import store_complaint_resolve_wizard
from . import store_complaint_compensation_refuse_wizard
from . import store_complaint_hold_wizard
from . import store_complaint_merge_wizard
