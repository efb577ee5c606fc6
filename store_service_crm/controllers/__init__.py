from . import rating
from . import rpc
from . import scorecard_report
from . import portal
from . import public_complaint
