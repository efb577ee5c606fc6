from . import test_install
from . import test_i18n
from . import test_tour_app
from . import test_complaint_workflow
from . import test_complaint_features
from . import test_complaint_sla
from . import test_tour_complaint
