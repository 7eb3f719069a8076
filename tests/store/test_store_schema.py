"""The state database: schema by migrations, WAL, folders, idempotent opening."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ifo_watch.errors import StoreError
from ifo_watch.track.store import DB_NAME, Store, migrations

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
TABLES = {
    "sources",
    "documents",
    "document_versions",
    "figures",
    "observations",
    "baseline",
    "changes",
    "outbox",
    "seeds",
}


def test_open_creates_folder_and_database(tmp_path: Path) -> None:
    """Opening a missing state folder creates it, the database and every table."""
    state = tmp_path / "deep" / "state"
    store = Store.open(state)
    assert (state / DB_NAME).is_file()
    assert set(store.db.table_names()) >= TABLES
    store.close()


def test_wal_mode(tmp_path: Path) -> None:
    """The database runs in WAL mode, seen from another connection too."""
    Store.open(tmp_path).close()
    conn = sqlite3.connect(tmp_path / DB_NAME)
    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_migrations_apply_once(tmp_path: Path) -> None:
    """Opening an existing state applies nothing again and keeps the schema as it was."""
    first = Store.open(tmp_path)
    applied = [m.name for m in migrations.applied(first.db)]
    schema = first.db.schema
    first.close()
    second = Store.open(tmp_path)
    assert [m.name for m in migrations.applied(second.db)] == applied
    assert applied and not migrations.pending(second.db)
    assert second.db.schema == schema
    second.close()


def test_data_survives_reopening(tmp_path: Path) -> None:
    """What one process writes, the next one reads."""
    store = Store.open(tmp_path)
    assert store.source_failed("ss-press", "HTTP 503", NOW)
    store.close()
    again = Store.open(tmp_path)
    state = again.source_state("ss-press")
    assert state is not None and state.failure_count == 1 and state.last_error == "HTTP 503"
    again.close()


def test_unusable_state_is_a_store_error(tmp_path: Path) -> None:
    """A database file that is not SQLite gives a StoreError, not a traceback."""
    (tmp_path / DB_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        Store.open(tmp_path)


def test_reader_is_not_blocked_by_a_writer(tmp_path: Path) -> None:
    """With WAL a second connection (the CLI beside `serve`) reads the last committed state
    while a document is being recorded, and sees the document once it is committed."""
    writer = Store.open(tmp_path)
    reader = Store.open(tmp_path)
    with writer.transaction():
        assert writer.source_failed("ss-press", "HTTP 503", NOW)
        assert reader.source_state("ss-press") is None
    state = reader.source_state("ss-press")
    assert state is not None and state.failure_count == 1
    writer.close()
    reader.close()
