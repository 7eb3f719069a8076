"""The alert outbox: rows per change and destination, frozen into messages, sent once, kept."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils

from ifo_watch.models import Figure, Observation
from ifo_watch.track import diff
from ifo_watch.track.store import DB_NAME, Draft, Store, migrations

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


def _add_changes(store: Store, values: tuple[int, ...] = (383000, 1050)) -> list[str]:
    ids = []
    for value in values:
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
        ids.append(change.id or "")
    return ids


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path)
    _add_changes(store)
    return store


def _ids(store: Store) -> list[str]:
    return [c.id or "" for c in store.changes()]


def _draft(store: Store, destination: str, text: str = "digest") -> Draft:
    return Draft(text=text, plain=text, item_ids=tuple(i.id for i in store.unsent(destination)))


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


def test_freeze_ties_changes_to_their_message(store: Store) -> None:
    """A frozen digest carries its changes; they are not unsent any more, the message is."""
    a, b = _ids(store)
    store.enqueue(a, "slack", now=NOW)
    store.enqueue(b, "errors", now=NOW)
    assert [i.change.id for i in store.unsent("slack")] == [a]
    [message] = store.freeze("slack", [_draft(store, "slack")], now=NOW)
    assert (message.changes, message.attempts, message.uncertain) == (1, 0, False)
    assert message.key.startswith("ifo-watch-")
    assert store.unsent("slack") == []
    assert store.waiting_destinations() == ["errors", "slack"]


def test_a_message_is_sent_once_and_marks_its_changes(store: Store) -> None:
    """Marking a message sent marks its outbox rows and notices; it is never pending again."""
    a, _ = _ids(store)
    store.enqueue(a, "slack", now=NOW)
    store.add_notice("slack", "started", "src", "källan src kunde inte läsas", now=NOW)
    draft = replace(
        _draft(store, "slack"), notice_ids=tuple(n.id for n in store.unsent_notices("slack"))
    )
    [message] = store.freeze("slack", [draft], now=NOW)
    store.message_trying(message.id, now=NOW)
    assert store.message(message.id).uncertain
    store.message_sent(message.id, now=NOW, remote_id="1700000000.000100")
    assert store.pending_messages() == []
    assert store.outbox()[0]["sent_at"] and store.outbox()[0]["remote_id"]
    assert store.unsent_notices("slack") == []
    assert store.waiting_destinations() == []


def test_failures_never_drop_a_message(store: Store) -> None:
    """However many posts fail, the message stays pending, in its place, with its count."""
    a, b = _ids(store)
    store.enqueue(a, "slack", now=NOW)
    [first] = store.freeze("slack", [_draft(store, "slack", "first")], now=NOW)
    store.enqueue(b, "slack", now=NOW)
    store.freeze("slack", [_draft(store, "slack", "second")], now=NOW)
    for _ in range(100):
        store.message_trying(first.id, now=NOW)
        store.message_failed(first.id, "HTTP 500", uncertain=False, now=NOW)
    pending = store.pending_messages("slack")
    assert [m.text for m in pending] == ["first", "second"]
    assert pending[0].attempts == 100 and not pending[0].uncertain


def test_parked_messages_step_aside(store: Store) -> None:
    """A parked message stays in the state but is no longer pending."""
    a, _ = _ids(store)
    store.enqueue(a, "slack", now=NOW)
    [message] = store.freeze("slack", [_draft(store, "slack")], now=NOW)
    store.message_parked(message.id, "invalid_blocks", now=NOW)
    assert store.pending_messages() == []
    assert store.messages()[0]["parked_at"]


def test_a_first_schema_state_keeps_its_outbox(tmp_path: Path) -> None:
    """A state of the first schema migrates: sent rows stay sent, every unsent row is kept.

    The first schema gave up on a row after ten attempts; such a row is delivered now.
    """
    db = sqlite_utils.Database(tmp_path / DB_NAME)
    migrations.apply(db, stop_before="m002_fetch_validators")
    a, b, c = "aaaa1111", "bbbb2222", "cccc3333"
    new = (
        '{"document_id": null, "figure": {"metric": "m", "label": "M", "value": 1, "unit":'
        ' "antal", "quote": "1", "sentence": "", "period": "2023"}, "published": null,'
        ' "source": "https://x"}'
    )
    for n, change_id in enumerate((a, b, c)):
        db["changes"].insert(
            {
                "id": change_id,
                "kind": "new",
                "status": "pending",
                "metric": f"m{n}",
                "region": "",
                "grp": "",
                "label": "M",
                "unit": "antal",
                "new": new,
                "found_at": NOW.isoformat(),
            }
        )
        db["outbox"].insert(
            {
                "change_id": change_id,
                "destination": "slack",
                "message_key": f"slack:{change_id}",
                "created_at": NOW.isoformat(),
                "attempts": 0,
            }
        )
    db.execute("update outbox set sent_at = ? where change_id = ?", [NOW.isoformat(), a])
    db.execute("update outbox set attempts = 10, last_error = 'x' where change_id = ?", [b])
    db.close()
    store = Store.open(tmp_path)
    assert [i.change.id for i in store.unsent("slack")] == [b, c]
    assert store.waiting_destinations() == ["slack"]


def test_publications_of_stored_versions(tmp_path: Path) -> None:
    """The title, publisher and date of a stored version are found by its id."""
    from ifo_watch.models import Document

    store = Store.open(tmp_path)
    doc = Document(url="https://a/b", text="t", title="Rapport", publisher="SKR")
    version_id, _ = store.add_version(doc, source="s", fetched=None, now=NOW)
    [(found_id, pub)] = store.publications([version_id, None]).items()
    assert (found_id, pub.url, pub.title, pub.publisher) == (
        version_id,
        "https://a/b",
        "Rapport",
        "SKR",
    )


def test_delivery_lock_is_held_by_one_at_a_time(tmp_path: Path) -> None:
    """A second delivery waits for the lock and gives up after its time; then it is free."""
    first, second = Store.open(tmp_path), Store.open(tmp_path)
    with first.delivery_lock() as held:
        assert held
        with second.delivery_lock(wait_seconds=0.2) as also:
            assert not also
    with second.delivery_lock(wait_seconds=0.2) as now_free:
        assert now_free
    assert sqlite3.connect(tmp_path / DB_NAME).execute("pragma integrity_check").fetchone() == (
        "ok",
    )
