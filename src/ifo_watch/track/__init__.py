"""Track: the SQLite state, the pure diff, and the baseline with its review.

`store` is the only module that writes SQL; `diff` is pure; `baseline` joins them.
"""

from ifo_watch.track.baseline import (
    ReextractResult,
    accept,
    compare,
    history,
    ingest,
    pending,
    reextract,
    reject,
    seed,
)
from ifo_watch.track.diff import sort_key
from ifo_watch.track.manifest import seed_origins
from ifo_watch.track.store import (
    Draft,
    Notice,
    OutboxItem,
    Publication,
    Store,
    StoredMessage,
    snapshot,
)

__all__ = [
    "Draft",
    "Notice",
    "OutboxItem",
    "Publication",
    "ReextractResult",
    "Store",
    "StoredMessage",
    "accept",
    "compare",
    "history",
    "ingest",
    "pending",
    "reextract",
    "reject",
    "seed",
    "seed_origins",
    "snapshot",
    "sort_key",
]
