"""The alert outbox: one row per change and destination, claimed, sent once, retried on failure."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ifo_watch.models import Figure, Observation
from ifo_watch.track import diff
from ifo_watch.track.store import Store

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path)
    for value in (383000, 1050):
        fig = Figure(
            metric=f"m{value}",
            label="Orosanmälningar",
            value=value,
            unit="antal",
            quote=str(value),
            sentence="",
            period="2023",
        )
        change = diff.make_change((fig.metric, None, None), Observation(fig, "https://x"), None)
        store.add_change(replace(change, status="pending", found_at=NOW))
    return store


def _ids(store: Store) -> list[str]:
    return [c.id or "" for c in store.changes()]


def test_enqueue_is_idempotent(store: Store) -> None:
    """A change is queued once per destination, whatever how often it is enqueued."""
    a, b = _ids(store)
    assert store.enqueue(a, "slack", now=NOW)
    assert not store.enqueue(a, "slack", now=NOW)
    assert store.enqueue(a, "terminal", now=NOW)
    assert store.enqueue(b, "slack", now=NOW)
    rows = store.outbox()
    assert [(r["change_id"], r["destination"]) for r in rows] == [
        (a, "slack"),
        (a, "terminal"),
        (b, "slack"),
    ]
    assert len({r["message_key"] for r in rows}) == 3


def test_sent_items_are_not_due(store: Store) -> None:
    """A sent item is never due again; a failed one stays due with its error counted."""
    a, b = _ids(store)
    store.enqueue(a, "slack", now=NOW)
    store.enqueue(b, "slack", now=NOW)
    first, second = store.outbox_due(NOW)
    assert first.change.id == a and first.attempts == 0
    store.outbox_sent(first.id, NOW, "1700000000.000100")
    store.outbox_failed(second.id, "HTTP 500", NOW)
    (left,) = store.outbox_due(NOW)
    assert left.change.id == b and left.attempts == 1 and "HTTP 500" in (left.last_error or "")
    assert store.outbox_due(NOW, max_attempts=1) == []


def test_claim_leases_items(store: Store) -> None:
    """A claimed item is not handed out again within the lease, and is after it."""
    a, _ = _ids(store)
    store.enqueue(a, "slack", now=NOW)
    assert len(store.outbox_claim(NOW, lease_seconds=60)) == 1
    assert store.outbox_claim(NOW + timedelta(seconds=30), lease_seconds=60) == []
    assert len(store.outbox_claim(NOW + timedelta(seconds=90), lease_seconds=60)) == 1


def test_destination_filter(store: Store) -> None:
    """Due items can be read per destination."""
    a, b = _ids(store)
    store.enqueue(a, "slack", now=NOW)
    store.enqueue(b, "errors", now=NOW)
    assert [i.change.id for i in store.outbox_due(NOW, destination="errors")] == [b]
