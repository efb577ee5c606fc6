from . import store_scorecard
