from . import demo_chain
from . import demo_portal
from . import demo_service_requests
