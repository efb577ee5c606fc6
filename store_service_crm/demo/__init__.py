from . import demo_chain
from . import demo_portal
