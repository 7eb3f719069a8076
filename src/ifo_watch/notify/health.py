"""The bot's health for people and monitors: `status` as lines or JSON, the stale notice."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from ifo_watch.notify.delivery import ERRORS
from ifo_watch.track import CycleRecord, Status, Store

_W = 17  # width of the labels of `status`


def stale_notice(store: Store, since: datetime, *, now: datetime) -> None:
    """Queue the notice, for the error channel, that no cycle went well since `since`."""
    text = (
        f"ifo-watch: ingen lyckad körning på {_age_sv(now - since)}"
        f" (sedan {_when(since)}); se ifo-watch status"
    )
    store.add_notice(ERRORS, "stale", "cycles", text, now=now)


def status_lines(status: Status) -> list[str]:
    """Return `ifo-watch status` as lines for a terminal."""
    now = status.checked_at
    size = status.size
    statuses = dict(size.changes)
    review = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) or "none"
    lines = [
        _line("state", f"{size.path}, {_bytes(size.bytes)}"),
        _line(
            "holds",
            f"{_n(size.documents, 'document')}, {_n(size.versions, 'version')}"
            f" ({size.pruned} page texts pruned, {_bytes(size.text_bytes)} of text kept),"
            f" {_n(size.figures, 'figure')}, {_n(sum(statuses.values()), 'change')} ({review})",
        ),
        _line("last cycle", _cycle(status.last_cycle, now) if status.last_cycle else "none yet"),
    ]
    good = status.last_good_cycle
    if good is None:
        lines.append(_line("last good cycle", "none yet"))
    elif status.last_cycle is not None and good.id == status.last_cycle.id:
        lines.append(_line("last good cycle", "the last cycle"))
    else:
        lines.append(_line("last good cycle", _cycle(good, now)))
    lines += _failing(status, now)
    lines += _outbox(status, now)
    return lines


def stale_line(status: Status) -> str | None:
    """Return the one error line of a stale state, or None when it is not stale."""
    if not status.stale:
        return None
    allowed = _age(status.max_age)
    if status.stale_since is None:
        return f"no watch cycle has run in this state (allowed: {allowed})"
    what = "no good cycle" if status.last_good_cycle is None else "no good cycle since the last"
    return (
        f"{what} for {_age(status.checked_at - status.stale_since)}"
        f" (since {_when(status.stale_since)}; allowed: {allowed})"
    )


def status_json(status: Status) -> str:
    """Return `ifo-watch status --format json`: one JSON object (shape in the README)."""
    size, backlog = status.size, status.backlog
    oldest = backlog.oldest
    data: dict[str, Any] = {
        "ok": not status.stale,
        "stale": status.stale,
        "stale_since": _iso(status.stale_since) if status.stale else None,
        "max_age_hours": round(status.max_age.total_seconds() / 3600, 3),
        "checked_at": _iso(status.checked_at),
        "last_cycle": _cycle_json(status.last_cycle),
        "last_good_cycle": _cycle_json(status.last_good_cycle),
        "failing_sources": [
            {
                "name": s.name,
                "since": _iso(s.failing_since),
                "failures": s.failure_count,
                "last_error": s.last_error,
            }
            for s in status.failing
        ],
        "outbox": {
            "messages": backlog.messages,
            "destinations": list(backlog.destinations),
            "changes_queued": backlog.changes_queued,
            "notices_queued": backlog.notices_queued,
            "parked": backlog.parked,
            "oldest": None
            if oldest is None
            else {
                "destination": oldest.destination,
                "created_at": _iso(oldest.created_at),
                "attempts": oldest.attempts,
                "last_error": backlog.oldest_error,
            },
        },
        "state": {
            "path": str(size.path) if size.path else None,
            "bytes": size.bytes,
            "text_bytes": size.text_bytes,
            "documents": size.documents,
            "versions": size.versions,
            "texts_pruned": size.pruned,
            "figures": size.figures,
            "observations": size.observations,
            "changes": dict(size.changes),
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _cycle_json(cycle: CycleRecord | None) -> dict[str, Any] | None:
    if cycle is None:
        return None
    return {
        "id": cycle.id,
        "started_at": _iso(cycle.started_at),
        "finished_at": _iso(cycle.finished_at),
        "seconds": cycle.seconds,
        "good": cycle.good,
        "sources": cycle.sources,
        "sources_failed": cycle.sources_failed,
        "documents": cycle.documents,
        "unchanged": cycle.unchanged,
        "changes": cycle.changes,
        "posted": cycle.posted,
        "errors": cycle.errors,
        "first_error": cycle.first_error,
        "texts_pruned": cycle.pruned,
    }


def _cycle(cycle: CycleRecord, now: datetime) -> str:
    start = f"{_when(cycle.started_at)} ({_age(now - cycle.started_at)} ago)"
    if cycle.finished_at is None:
        return f"{start}, did not finish (still running, or stopped)"
    verdict = "good" if cycle.good else "not good"
    counts = (
        f"{cycle.sources} sources ({cycle.sources_failed} failed), {cycle.documents} documents"
        f" read, {cycle.changes} changes, {cycle.posted} posted, {_n(cycle.errors, 'error')}"
    )
    return f"{start}, {cycle.seconds or 0:.1f} s, {verdict}: {counts}"


def _failing(status: Status, now: datetime) -> list[str]:
    if not status.failing:
        return [_line("failing sources", "none")]
    lines = []
    for n, source in enumerate(status.failing):
        since = source.failing_since
        when = f"since {_when(since)} ({_age(now - since)})" if since else "failing"
        text = f"{source.name}: {when}, {_n(source.failure_count, 'cycle')}: {source.last_error}"
        lines.append(_line("failing sources" if n == 0 else "", text))
    return lines


def _outbox(status: Status, now: datetime) -> list[str]:
    backlog = status.backlog
    queued = []
    if backlog.changes_queued:
        queued.append(f"{_n(backlog.changes_queued, 'change')} to compose")
    if backlog.notices_queued:
        queued.append(f"{_n(backlog.notices_queued, 'notice')} to compose")
    if backlog.parked:
        queued.append(f"{backlog.parked} parked")
    oldest = backlog.oldest
    if oldest is None:
        return [_line("outbox", ", ".join(queued) if queued else "empty")]
    waiting = (
        f"{_n(backlog.messages, 'message')} waiting ({', '.join(backlog.destinations)})"
        + "".join(f", {q}" for q in queued)
    )
    error = f", last error: {backlog.oldest_error}" if backlog.oldest_error else ""
    return [
        _line("outbox", waiting),
        _line(
            "oldest unsent",
            f"{oldest.destination}, {_when(oldest.created_at)} ({_age(now - oldest.created_at)}"
            f" ago), {_n(oldest.attempts, 'attempt')}{error}",
        ),
    ]


def _line(label: str, text: str) -> str:
    return f"{label + ':' if label else '':<{_W}} {text}"


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _when(value: datetime) -> str:
    return (
        value.strftime("%Y-%m-%d %H:%M UTC")
        if value.utcoffset() == timedelta(0)
        else (value.isoformat(timespec="minutes"))
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _age(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 72 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // 1440} days"


def _age_sv(delta: timedelta) -> str:
    hours = max(0, int(delta.total_seconds() // 3600))
    if hours < 72:
        return f"{hours} timmar"
    return f"{hours // 24} dygn"


def _bytes(count: int) -> str:
    if count < 1000:
        return f"{count} B"
    if count < 1_000_000:
        return f"{count / 1000:.0f} kB"
    return f"{count / 1_000_000:.1f} MB"
