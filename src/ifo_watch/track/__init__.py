"""Track: the SQLite state, the pure diff, and the baseline with its review.

`store` is the only module that writes SQL; `diff` is pure; `baseline` joins them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ifo_watch.track.baseline import (
        FoundChanges,
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
    from ifo_watch.track.diff import period_end, sort_key
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
    from ifo_watch.track.lookup import (
        Indicator,
        fold,
        groups_of,
        indicators,
        match_metrics,
        nearest,
        no_figures,
        regions_of,
        resolve_group,
        resolve_metric,
        resolve_region,
        with_aliases,
    )
    from ifo_watch.track.manifest import seed_origins
    from ifo_watch.track.review import (
        ChangeFilter,
        Decision,
        decide,
        find,
        keep,
        parse_since,
        recorded,
        undo,
    )
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

# Each name's module loads when the name is first used: a cycle in which every page
# answers 304 needs the store and the cycle's health, not the baseline's diff with the
# extractor behind it.
_WHERE: dict[str, str] = {
    "BackupResult": "store",
    "ChangeFilter": "review",
    "CycleOutcome": "health",
    "CycleRecord": "store",
    "DB_NAME": "store",
    "DEFAULT_MAX_AGE": "health",
    "Decision": "review",
    "Draft": "store",
    "FoundChanges": "baseline",
    "INSTALL_HINT": "browse",
    "Indicator": "lookup",
    "Notice": "store",
    "OutboxItem": "store",
    "Publication": "store",
    "ReextractResult": "baseline",
    "Status": "health",
    "Store": "store",
    "StoredMessage": "store",
    "accept": "baseline",
    "backup": "store",
    "begin_cycle": "health",
    "browse_command": "browse",
    "compare": "baseline",
    "datasette_installed": "browse",
    "decide": "review",
    "end_cycle": "health",
    "find": "review",
    "fold": "lookup",
    "groups_of": "lookup",
    "history": "baseline",
    "hold_state": "lock",
    "indicators": "lookup",
    "ingest": "baseline",
    "keep": "review",
    "match_metrics": "lookup",
    "nearest": "lookup",
    "no_figures": "lookup",
    "parse_age": "health",
    "parse_keep": "health",
    "parse_since": "review",
    "pending": "baseline",
    "period_end": "diff",
    "recorded": "review",
    "reextract": "baseline",
    "regions_of": "lookup",
    "reject": "baseline",
    "resolve_group": "lookup",
    "resolve_metric": "lookup",
    "resolve_region": "lookup",
    "seed": "baseline",
    "seed_origins": "manifest",
    "snapshot": "store",
    "sort_key": "diff",
    "stale_since": "health",
    "status": "health",
    "undo": "review",
    "with_aliases": "lookup",
}

__all__ = [
    "DB_NAME",
    "DEFAULT_MAX_AGE",
    "INSTALL_HINT",
    "BackupResult",
    "ChangeFilter",
    "CycleOutcome",
    "CycleRecord",
    "Decision",
    "Draft",
    "FoundChanges",
    "Indicator",
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
    "decide",
    "end_cycle",
    "find",
    "fold",
    "groups_of",
    "history",
    "hold_state",
    "indicators",
    "ingest",
    "keep",
    "match_metrics",
    "nearest",
    "no_figures",
    "parse_age",
    "parse_keep",
    "parse_since",
    "pending",
    "period_end",
    "recorded",
    "reextract",
    "regions_of",
    "reject",
    "resolve_group",
    "resolve_metric",
    "resolve_region",
    "seed",
    "seed_origins",
    "snapshot",
    "sort_key",
    "stale_since",
    "status",
    "undo",
    "with_aliases",
]


def __getattr__(name: str) -> Any:
    """Load the module behind a name of the door on its first use."""
    try:
        module = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
