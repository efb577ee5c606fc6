# One module per report model, named after it (see STYLE.md).
from . import store_complaint_report
from . import store_return_visit_report
from . import store_staff_performance_report
from . import store_repurchase_report
from . import store_scorecard
from . import store_lost_reason_report
from . import store_complaint_report_preventive
from . import store_staff_performance_report_involved
from . import store_product_defect_report
