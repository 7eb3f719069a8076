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
from ifo_watch.track.browse import INSTALL_HINT, browse_command, datasette_installed
from ifo_watch.track.diff import sort_key
from ifo_watch.track.health import (
    DEFAULT_MAX_AGE,
    CycleOutcome,
    Status,
    begin_cycle,
    end_cycle,
    parse_age,
    parse_keep,
    stale_since,
    status,
)
from ifo_watch.track.lock import hold_state
from ifo_watch.track.manifest import seed_origins
from ifo_watch.track.store import (
    DB_NAME,
    BackupResult,
    CycleRecord,
    Draft,
    Notice,
    OutboxItem,
    Publication,
    Store,
    StoredMessage,
    backup,
    snapshot,
)

__all__ = [
    "DB_NAME",
    "DEFAULT_MAX_AGE",
    "INSTALL_HINT",
    "BackupResult",
    "CycleOutcome",
    "CycleRecord",
    "Draft",
    "Notice",
    "OutboxItem",
    "Publication",
    "ReextractResult",
    "Status",
    "Store",
    "StoredMessage",
    "accept",
    "backup",
    "begin_cycle",
    "browse_command",
    "compare",
    "datasette_installed",
    "end_cycle",
    "history",
    "hold_state",
    "ingest",
    "parse_age",
    "parse_keep",
    "pending",
    "reextract",
    "reject",
    "seed",
    "seed_origins",
    "snapshot",
    "sort_key",
    "stale_since",
    "status",
]
