"""The bot's health: cycles as recorded, staleness, and the status an operator asks for.

A cycle is *good* when it ran to its end, read at least one of its sources, and
delivered what it had to. A state is *stale* when no good cycle ended within the
allowed age (default 48 hours): `ifo-watch status` then exits 1, and the next cycle
that runs announces it once in the error channel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from ifo_watch.errors import UsageError
from ifo_watch.track.store import Backlog, CycleRecord, SourceState, StateSize, Store

DEFAULT_MAX_AGE = timedelta(hours=48)
_AGE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(m|min|h|d)?\s*", re.IGNORECASE)
_UNITS = {"m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


def parse_age(text: str) -> timedelta:
    """Return an age written as "48h", "2d", "90m" or a number of hours ("36")."""
    match = _AGE.fullmatch(text)
    if match is None:
        raise UsageError(f"not an age: {text!r} (write 48h, 2d or 90m)")
    seconds = float(match.group(1)) * _UNITS[(match.group(2) or "h").lower()]
    if seconds <= 0:
        raise UsageError(f"an age must be more than zero: {text!r}")
    return timedelta(seconds=seconds)


def parse_keep(text: str) -> int | None:
    """Return how many page texts to keep per URL: a number of versions, or "all" (None)."""
    if text.strip().lower() == "all":
        return None
    try:
        keep = int(text)
    except ValueError:
        keep = 0
    if keep < 1:
        raise UsageError(f"keep a number of versions (1 or more) or all, not {text!r}")
    return keep


@dataclass(frozen=True)
class CycleOutcome:
    """What a cycle did, as the pipeline counts it."""

    sources: int
    sources_failed: int
    documents: int
    unchanged: int
    changes: int
    posted: int
    errors: tuple[str, ...]
    delivery_failed: bool

    @property
    def good(self) -> bool:
        """Return True for a cycle that read a source (when it had any) and delivered."""
        read = self.sources == 0 or self.sources_failed < self.sources
        return read and not self.delivery_failed


def stale_since(store: Store, *, now: datetime, max_age: timedelta) -> datetime | None:
    """Return since when nothing went well, when that is longer ago than `max_age`.

    The reference is the end of the last good cycle, or the start of the first cycle
    when none was good. None when the state is not stale, or no cycle ever ran.
    """
    good = store.last_cycle(good=True)
    since = good.finished_at if good is not None else store.first_cycle_started()
    if since is None or now - since <= max_age:
        return None
    return since


def begin_cycle(store: Store, *, now: datetime, max_age: timedelta) -> tuple[int, datetime | None]:
    """Record a cycle's start; return its id and the staleness it should announce, if any.

    Staleness is announced once: by the first cycle that finds it, never again for the
    same last good cycle. Call it in the transaction that queues the notice.
    """
    since = stale_since(store, now=now, max_age=max_age)
    if since is not None and store.stale_announced(since):
        since = None
    return store.cycle_started(now=now, stale_since=since), since


def end_cycle(
    store: Store,
    cycle_id: int,
    outcome: CycleOutcome,
    *,
    started: datetime,
    now: datetime,
    keep_versions: int | None = None,
) -> CycleRecord:
    """Apply the retention setting and record how the cycle ended."""
    pruned = store.prune_texts(keep_versions, now=now) if keep_versions is not None else 0
    record = CycleRecord(
        id=cycle_id,
        started_at=started,
        finished_at=now,
        seconds=round((now - started).total_seconds(), 3),
        good=outcome.good,
        sources=outcome.sources,
        sources_failed=outcome.sources_failed,
        documents=outcome.documents,
        unchanged=outcome.unchanged,
        changes=outcome.changes,
        posted=outcome.posted,
        errors=len(outcome.errors),
        first_error=outcome.errors[0] if outcome.errors else None,
        pruned=pruned,
    )
    store.cycle_finished(cycle_id, record)
    return record


@dataclass(frozen=True)
class Status:
    """What an operator asks of a state: is the bot alive, and what is stuck."""

    checked_at: datetime
    max_age: timedelta
    last_cycle: CycleRecord | None
    last_good_cycle: CycleRecord | None
    stale: bool
    stale_since: datetime | None  # the last good cycle's end, or the first cycle's start
    failing: tuple[SourceState, ...]
    backlog: Backlog
    size: StateSize


def status(store: Store, *, now: datetime, max_age: timedelta = DEFAULT_MAX_AGE) -> Status:
    """Return the state's health: cycles, failing sources, outbox backlog, size."""
    good = store.last_cycle(good=True)
    since = good.finished_at if good is not None else store.first_cycle_started()
    return Status(
        checked_at=now,
        max_age=max_age,
        last_cycle=store.last_cycle(),
        last_good_cycle=good,
        stale=since is None or now - since > max_age,
        stale_since=since,
        failing=tuple(store.failing_sources()),
        backlog=store.backlog(),
        size=store.size(),
    )
