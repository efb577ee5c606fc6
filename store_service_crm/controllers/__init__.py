from . import rating
from . import rpc
