from . import demo_chain
