"""Issue 18: the loyalty queue (store.loyalty.pending) tells the pending cron's rows
from the nightly run's ones (``nightly``). The rows queued before the upgrade were
queued by orders: for the pending cron (``nightly`` false). The nightly run starts
with a full recompute (no previous run's date is stored yet)."""


def migrate(cr, version):
    cr.execute("UPDATE store_loyalty_pending SET nightly = FALSE WHERE nightly IS NULL")
