from . import test_install
from . import test_i18n
from . import test_tour_app
from . import test_loyalty
from . import test_tour_loyalty
