"""The state database: the only module that writes SQL (sqlite-utils, WAL, migrations).

Everything crosses this border as models' frozen dataclasses or the small records
below; sqlite rows stay inside. Writes that belong together are grouped by the caller
in `Store.transaction()`, which rolls back every write on an exception
(`with db.conn:` would not).

sqlite-utils loads only when something needs it (creating or migrating the schema, and
the writes that go through its tables): reads, upserts, a cycle's record and its
transactions go to SQLite directly, as sqlite-utils would send them, so a command that
only reads, and a cycle in which every page answers 304, start without it (about 20 ms).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import operator
import os
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from ifo_watch.errors import StoreError, UsageError
from ifo_watch.models import (
    Change,
    ChangeStatus,
    Document,
    Fetched,
    Figure,
    Observation,
    Table,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    import sqlite_utils

DB_NAME = "ifo-watch.db"
Key = tuple[str, str | None, str | None]  # (metric, region, group)

_MIGRATION_SET = "ifo_watch"
_MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = []


def migration(func: Callable[[sqlite_utils.Database], None]) -> Callable[..., None]:
    """Register a migration of the schema (applied in the order registered, each once)."""
    _MIGRATIONS.append(func)
    return func


_SET: list[sqlite_utils.Migrations] = []


def _migration_set() -> sqlite_utils.Migrations:
    """Return the migrations as sqlite-utils' `Migrations` (made on first use)."""
    if not _SET:
        from sqlite_utils import Migrations

        migrations = Migrations(_MIGRATION_SET)
        for func in _MIGRATIONS:
            migrations()(func)
        _SET.append(migrations)
    return _SET[0]


def _migrate(db: sqlite_utils.Database) -> None:
    """Apply the migrations not applied yet."""
    _migration_set().apply(db)


def __getattr__(name: str) -> Any:
    """`migrations`: the `Migrations` of the schema (tests apply them part of the way)."""
    if name == "migrations":
        return _migration_set()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _migrated(conn: sqlite3.Connection) -> bool:
    """Return True when every migration is applied, as `Migrations.apply` would find it.

    A state made by an older sqlite-utils (whose migrations table has another key) goes
    through `Migrations.apply`, which brings that table up to date.
    """
    try:
        columns = conn.execute("pragma table_info(_sqlite_migrations)").fetchall()
        if [c[1] for c in columns if c[5]] != ["id"]:
            return False
        rows = conn.execute(
            "select name from _sqlite_migrations where migration_set = ?", [_MIGRATION_SET]
        ).fetchall()
    except sqlite3.DatabaseError:
        return False
    return {row[0] for row in rows} >= {func.__name__ for func in _MIGRATIONS}


_TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"}


def _first_keyword(sql: str) -> str:
    """Return a statement's first word, upper-cased (ours open with no comment)."""
    words = sql.lstrip(" \t\r\n;").split(None, 1)
    return words[0].upper().rstrip(";") if words else ""


def dedupe_keys(keys: Iterable[str]) -> list[str]:
    """Rename repeated column names `name_2`, `name_3`… (sqlite-utils' rule for rows)."""
    keys = list(keys)
    taken = set(keys)
    if len(taken) == len(keys):
        return keys
    seen: set[str] = set()
    result = []
    for key in keys:
        if key in seen:
            new_key = key
            suffix = 2
            while new_key in seen or new_key in taken:
                new_key = f"{key}_{suffix}"
                suffix += 1
            key = new_key
        seen.add(key)
        result.append(key)
    return result


class LastVersion(NamedTuple):
    """What a conditional GET needs of the latest stored version of a URL."""

    etag: str | None
    last_modified: str | None
    content_hash: str


@dataclass(frozen=True)
class StoredVersion:
    """One stored document version, rebuilt as a Document for re-extraction."""

    id: int
    document: Document
    source: str | None
    fetched_at: datetime
    content_hash: str


@dataclass(frozen=True)
class OutboxItem:
    """One change waiting to be delivered to one destination."""

    id: int
    change: Change
    destination: str
    message_key: str
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class Notice:
    """One notice waiting for a digest of notices (a source failing or back, a stuck message)."""

    id: int
    destination: str
    kind: str  # started | recovered | parked | stuck
    subject: str  # the source or the destination the notice is about
    text: str
    created_at: datetime


@dataclass(frozen=True)
class Draft:
    """One message of a digest as composed, before it is frozen in the outbox."""

    text: str  # the plain-text fallback, escaped for Slack
    plain: str  # the same text unescaped, for the terminal
    blocks: tuple[dict[str, Any], ...] = ()
    item_ids: tuple[int, ...] = ()  # the outbox rows (changes) it carries
    notice_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class StoredMessage:
    """A frozen message: exactly what is (re-)sent until Slack accepts it."""

    id: int
    destination: str
    key: str  # the stable id sent along in the message's metadata
    text: str
    plain: str
    blocks: tuple[dict[str, Any], ...]
    changes: int  # how many changes it carries
    attempts: int  # posts tried so far
    uncertain: bool  # a post was started whose outcome is unknown (crash, timeout, 5xx)
    as_text: bool  # Slack refused the blocks for good: send the plain text
    stuck: bool  # reported as stuck already
    created_at: datetime


@dataclass(frozen=True)
class Publication:
    """Where a figure was published: a stored document version's URL, title, publisher, date."""

    url: str
    title: str | None = None
    publisher: str | None = None
    published: date | None = None
    source: str | None = None  # the sources-file entry it was read for ("seed" for seeds)


@dataclass(frozen=True)
class StoredDecision:
    """One review decision as journaled: the baseline of its key before and after it."""

    id: int
    change_id: str
    action: str  # accepted | rejected
    key: Key
    before: Observation | None
    after: Observation | None
    decided_at: datetime


@dataclass(frozen=True)
class SourceState:
    """The health of one source across cycles."""

    name: str
    failing_since: datetime | None
    failure_count: int
    last_error: str | None
    last_ok: datetime | None


@dataclass(frozen=True)
class CycleRecord:
    """One watch cycle as recorded: when, how long, what it did; unfinished ones have no end."""

    id: int
    started_at: datetime
    finished_at: datetime | None = None
    seconds: float | None = None
    good: bool | None = None  # ran to its end, read a source, delivered what it had to
    sources: int = 0
    sources_failed: int = 0
    documents: int = 0  # documents read (new or changed)
    unchanged: int = 0
    changes: int = 0
    posted: int = 0
    errors: int = 0
    first_error: str | None = None
    pruned: int = 0  # page texts dropped by the retention setting
    stale_since: datetime | None = None  # the staleness this cycle announced


@dataclass(frozen=True)
class Backlog:
    """What waits in the outbox."""

    messages: int  # frozen messages not yet sent (nor parked)
    destinations: tuple[str, ...]  # where they wait to go
    changes_queued: int  # changes not yet composed into a message
    notices_queued: int
    parked: int  # messages Slack refused for good, kept in the state
    oldest: StoredMessage | None
    oldest_error: str | None


@dataclass(frozen=True)
class StateSize:
    """How large the state is."""

    path: Path | None
    bytes: int  # the database file and its write-ahead log
    text_bytes: int  # page text kept
    documents: int
    versions: int
    pruned: int  # versions whose text the retention setting dropped
    figures: int
    observations: int
    changes: tuple[tuple[str, int], ...]  # (status, count)


# -- schema ------------------------------------------------------------------------------


@migration
def m001_initial(db: sqlite_utils.Database) -> None:
    """Create every table of the first schema."""
    _table(db, "sources").create(
        {
            "name": str,
            "failing_since": str,
            "failure_count": int,
            "last_error": str,
            "last_ok": str,
        },
        pk="name",
        defaults={"failure_count": 0},
    )
    _table(db, "documents").create(
        {"url": str, "source": str, "first_seen": str, "latest_version": int},
        pk="url",
    )
    _table(db, "document_versions").create(
        {
            "id": int,
            "url": str,
            "source": str,
            "fetched_at": str,
            "content_hash": str,
            "etag": str,
            "last_modified": str,
            "content_type": str,
            "title": str,
            "published": str,
            "publisher": str,
            "text": str,
            "tables": str,
        },
        pk="id",
        not_null={"url", "fetched_at", "content_hash"},
    )
    _table(db, "document_versions").create_index(["url", "id"])
    _table(db, "figures").create(
        {
            "id": int,
            "version_id": int,
            "extractor_version": str,
            **_FIGURE_COLUMNS,
        },
        pk="id",
        not_null={"version_id", "metric", "value"},
    )
    _table(db, "figures").create_index(["version_id", "extractor_version"])
    _table(db, "figures").create_index(["metric"])
    _table(db, "observations").create(
        {
            "id": int,
            "ident": str,
            "metric": str,
            "region": str,
            "grp": str,
            "role": str,
            "observation": str,
            "version_id": int,
            "observed_at": str,
        },
        pk="id",
        not_null={"ident", "metric", "region", "grp", "observation"},
    )
    _table(db, "observations").create_index(["ident"], unique=True)
    _table(db, "observations").create_index(["metric", "region", "grp"])
    _table(db, "baseline").create(
        {
            "metric": str,
            "region": str,
            "grp": str,
            "observation": str,
            "set_at": str,
            "change_id": str,
        },
        pk=("metric", "region", "grp"),
        not_null={"observation"},
    )
    _table(db, "changes").create(
        {
            "id": str,
            "kind": str,
            "status": str,
            "metric": str,
            "region": str,
            "grp": str,
            "label": str,
            "unit": str,
            "old": str,
            "new": str,
            "delta": float,
            "delta_pct": float,
            "found_at": str,
            "decided_at": str,
        },
        pk="id",
        not_null={"kind", "status", "metric", "region", "grp", "new"},
    )
    _table(db, "changes").create_index(["metric", "region", "grp"])
    _table(db, "changes").create_index(["status"])
    _table(db, "outbox").create(
        {
            "id": int,
            "change_id": str,
            "destination": str,
            "message_key": str,
            "created_at": str,
            "attempts": int,
            "last_error": str,
            "claimed_at": str,
            "sent_at": str,
            "remote_id": str,
        },
        pk="id",
        not_null={"change_id", "destination", "message_key", "created_at"},
        defaults={"attempts": 0},
    )
    _table(db, "outbox").create_index(["message_key"], unique=True)
    _table(db, "seeds").create(
        {"url": str, "content_hash": str, "applied_at": str, "extractor_version": str},
        pk=("url", "content_hash"),
    )


@migration
def m002_fetch_validators(db: sqlite_utils.Database) -> None:
    """Keep the validators of feeds, listings and robots.txt, and each source's retries.

    A feed or listing answered 304 is not parsed again, so the entries that failed
    last cycle must be remembered apart (`sources.retry`) to be retried.
    """
    _table(db, "http_cache").create(
        {"url": str, "etag": str, "last_modified": str, "body": bytes, "checked_at": str},
        pk="url",
    )
    _table(db, "sources").add_column("retry", str)


@migration
def m003_digests(db: sqlite_utils.Database) -> None:
    """Add frozen digest messages and notices; an outbox row points at its message.

    Rows of the first schema keep their meaning: sent ones stay sent, and unsent ones
    (also those the first schema gave up on after ten attempts) go into the next digest.
    """
    _table(db, "outbox").add_column("message_id", int)
    _table(db, "messages").create(
        {
            "id": int,
            "destination": str,
            "key": str,
            "text": str,
            "plain": str,
            "blocks": str,
            "changes": int,
            "created_at": str,
            "attempts": int,
            "tried_at": str,
            "uncertain": int,
            "as_text": int,
            "last_error": str,
            "stuck_at": str,
            "parked_at": str,
            "sent_at": str,
            "remote_id": str,
        },
        pk="id",
        not_null={"destination", "key", "text", "plain", "created_at"},
        defaults={"attempts": 0, "uncertain": 0, "as_text": 0, "changes": 0},
    )
    _table(db, "messages").create_index(["key"], unique=True)
    _table(db, "messages").create_index(["destination", "sent_at", "parked_at"])
    _table(db, "notices").create(
        {
            "id": int,
            "destination": str,
            "kind": str,
            "subject": str,
            "text": str,
            "created_at": str,
            "message_id": int,
            "sent_at": str,
        },
        pk="id",
        not_null={"destination", "kind", "text", "created_at"},
    )
    _table(db, "outbox").create_index(["destination", "message_id", "sent_at"])


@migration
def m004_figure_identity(db: sqlite_utils.Database) -> None:
    """Keep how sure each figure's indicator is (models.Identity); older rows read as catalogued."""
    _table(db, "figures").add_column("identity", str)


_FIGURE_COLUMNS: dict[str, type] = {
    "metric": str,
    "label": str,
    "value": float,
    "unit": str,
    "quote": str,
    "sentence": str,
    "measure": str,
    "per": str,
    "qualifier": str,
    "low": float,
    "high": float,
    "period": str,
    "region": str,
    "region_type": str,
    "grp": str,
    "offset": int,
}  # as m001 created them; later columns come with their migrations


def _table(db: sqlite_utils.Database, name: str) -> sqlite_utils.db.Table:
    return db.table(name)


# -- the fifth schema: figures as columns, foreign keys, NULL for no place -----------------

# The columns of a figure in `figures` and `observations`, named as the contract names
# them; `tests/store` checks that every field of models.Figure has one.
FIGURE_FIELDS: dict[str, type] = {
    "metric": str,
    "label": str,
    "measure": str,
    "value": float,
    "unit": str,
    "per": str,
    "qualifier": str,
    "low": float,
    "high": float,
    "period": str,
    "region": str,
    "region_type": str,
    "group": str,
    "quote": str,
    "sentence": str,
    "offset": int,
    "identity": str,
}

# Tables rebuilt by m005 (SQLite adds a foreign key only by rebuilding a table).
_REBUILT = (
    "sources",
    "documents",
    "document_versions",
    "figures",
    "observations",
    "changes",
    "baseline",
    "outbox",
    "notices",
    "seeds",
)


@migration
def m005_columns_and_keys(db: sqlite_utils.Database) -> None:
    """Store figures and observations as columns, declare foreign keys, NULL for no place.

    The baseline and each change point at observation rows instead of holding JSON
    text; a change keeps its id, status and decision, the outbox keeps every row; the
    bundled seeds get the original URL, publisher and date of their manifest. Values
    are stored as the extractor gave them: the noise of 1.1 x 50 000 stays in the
    REAL column and is rounded where it is shown.
    """
    for name in _REBUILT:
        db.execute(f"alter table [{name}] rename to [_old_{name}]")
    _create_tables(db)
    _copy_rows(db)
    for name in _REBUILT:
        db.execute(f"drop table [_old_{name}]")
    _create_indexes(db)
    _create_views(db)


def _create_tables(db: sqlite_utils.Database) -> None:
    _table(db, "sources").create(
        {
            "name": str,
            "failing_since": str,
            "failure_count": int,
            "last_error": str,
            "last_ok": str,
            "retry": str,
        },
        pk="name",
        defaults={"failure_count": 0},
    )
    _table(db, "documents").create(
        {"url": str, "source": str, "first_seen": str, "latest_version": int},
        pk="url",
        foreign_keys=[("source", "sources", "name")],
    )
    _table(db, "document_versions").create(
        {
            "id": int,
            "url": str,
            "source": str,
            "fetched_at": str,
            "content_hash": str,
            "etag": str,
            "last_modified": str,
            "content_type": str,
            "title": str,
            "published": str,
            "publisher": str,
            "text": str,
            "tables": str,
            "pruned_at": str,
        },
        pk="id",
        not_null={"url", "fetched_at", "content_hash"},
        foreign_keys=[("url", "documents", "url"), ("source", "sources", "name")],
    )
    # A document and its versions point at each other: the second key once both exist.
    _table(db, "documents").add_foreign_key("latest_version", "document_versions", "id")
    _table(db, "figures").create(
        {"id": int, "version_id": int, "extractor_version": str, **FIGURE_FIELDS},
        pk="id",
        not_null={"version_id", "metric", "value"},
        foreign_keys=[("version_id", "document_versions", "id")],
    )
    _table(db, "observations").create(
        {
            "id": int,
            **FIGURE_FIELDS,
            "url": str,
            "published": str,
            "version_id": int,
            "role": str,
            "observed_at": str,
            "ident": str,
            "digest": str,
        },
        pk="id",
        not_null={"metric", "value", "url", "ident", "digest"},
        foreign_keys=[("version_id", "document_versions", "id")],
    )
    _table(db, "changes").create(
        {
            "id": str,
            "kind": str,
            "status": str,
            "metric": str,
            "region": str,
            "group": str,
            "label": str,
            "unit": str,
            "old_id": int,
            "new_id": int,
            "delta": float,
            "delta_pct": float,
            "found_at": str,
            "decided_at": str,
        },
        pk="id",
        not_null={"kind", "status", "metric", "new_id"},
        foreign_keys=[("old_id", "observations", "id"), ("new_id", "observations", "id")],
    )
    _table(db, "baseline").create(
        {
            "id": int,
            "metric": str,
            "region": str,
            "group": str,
            "observation_id": int,
            "set_at": str,
            "change_id": str,
        },
        pk="id",
        not_null={"metric", "observation_id"},
        foreign_keys=[("observation_id", "observations", "id"), ("change_id", "changes", "id")],
    )
    _table(db, "outbox").create(
        {
            "id": int,
            "change_id": str,
            "destination": str,
            "message_key": str,
            "created_at": str,
            "attempts": int,
            "last_error": str,
            "claimed_at": str,
            "sent_at": str,
            "remote_id": str,
            "message_id": int,
        },
        pk="id",
        not_null={"change_id", "destination", "message_key", "created_at"},
        defaults={"attempts": 0},
        foreign_keys=[("change_id", "changes", "id"), ("message_id", "messages", "id")],
    )
    _table(db, "notices").create(
        {
            "id": int,
            "destination": str,
            "kind": str,
            "subject": str,
            "text": str,
            "created_at": str,
            "message_id": int,
            "sent_at": str,
        },
        pk="id",
        not_null={"destination", "kind", "text", "created_at"},
        foreign_keys=[("message_id", "messages", "id")],
    )
    _table(db, "seeds").create(
        {
            "url": str,
            "content_hash": str,
            "applied_at": str,
            "extractor_version": str,
            "version_id": int,
            "original_url": str,
            "title": str,
            "publisher": str,
            "published": str,
        },
        pk=("url", "content_hash"),
        foreign_keys=[("url", "documents", "url"), ("version_id", "document_versions", "id")],
    )
    _table(db, "cycles").create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "seconds": float,
            "good": int,
            "sources": int,
            "sources_failed": int,
            "documents": int,
            "unchanged": int,
            "changes": int,
            "posted": int,
            "errors": int,
            "first_error": str,
            "pruned": int,
            "stale_since": str,
        },
        pk="id",
        not_null={"started_at"},
    )


def _copy_rows(db: sqlite_utils.Database) -> None:
    """Carry every row of the third schema over; JSON observations become rows."""
    db.execute(
        "insert into sources select name, failing_since, failure_count, last_error, last_ok,"
        " retry from _old_sources"
    )
    db.execute(
        "insert or ignore into sources (name) select source from _old_documents"
        " where source is not null union select source from _old_document_versions"
        " where source is not null"
    )
    db.execute(
        "insert into documents select url, source, first_seen, latest_version from _old_documents"
    )
    db.execute(
        "insert into document_versions select id, url, source, fetched_at, content_hash, etag,"
        " last_modified, content_type, title, published, publisher, text, tables, null"
        " from _old_document_versions"
    )
    db.execute(
        "insert into figures (id, version_id, extractor_version, metric, label, measure, value,"
        ' unit, per, qualifier, low, high, period, region, region_type, "group", quote,'
        " sentence, offset, identity) select id, version_id, extractor_version, metric, label,"
        " measure, value, unit, per, qualifier, low, high, period, nullif(region, ''),"
        " region_type, nullif(grp, ''), quote, sentence, offset, identity from _old_figures"
    )
    rows = []
    for old in db.query("select * from _old_observations order by id"):
        obs = _obs_load(old["observation"])
        rows.append(
            {
                "id": old["id"],
                **_obs_row(obs, role=old["role"], observed_at=old["observed_at"]),
                "ident": old["ident"],
            }
        )
    if rows:
        _table(db, "observations").insert_all(rows)
    for old in db.query("select * from _old_changes order by rowid"):
        row = _change_row(
            _change_from_v3(old),
            old_id=_ref(db, _obs_load(old["old"]), at=old["found_at"]) if old["old"] else None,
            new_id=_ref(db, _obs_load(old["new"]), at=old["found_at"]),
        )
        row["decided_at"] = old["decided_at"]
        _table(db, "changes").insert(row)
    for old in db.query("select * from _old_baseline order by rowid"):
        obs_id = _ref(db, _obs_load(old["observation"]), at=old["set_at"], role="baseline")
        _table(db, "baseline").insert(
            {
                "metric": old["metric"],
                "region": _n(old["region"]),
                "group": _n(old["grp"]),
                "observation_id": obs_id,
                "set_at": old["set_at"],
                "change_id": old["change_id"],
            }
        )
    db.execute("insert into outbox select * from _old_outbox")
    db.execute("insert into notices select * from _old_notices")
    from ifo_watch.track.manifest import seed_origins

    origins = seed_origins()
    for old in db.query("select * from _old_seeds order by rowid"):
        found = db.execute(
            "select id from document_versions where url = ? and content_hash = ?"
            " order by id limit 1",
            [old["url"], old["content_hash"]],
        ).fetchone()
        _table(db, "seeds").insert(
            {
                **old,
                "version_id": found[0] if found else None,
                **_origin_row(origins.get(old["url"])),
            }
        )


def _create_indexes(db: sqlite_utils.Database) -> None:
    _table(db, "document_versions").create_index(["url", "id"])
    _table(db, "figures").create_index(["version_id", "extractor_version"])
    _table(db, "figures").create_index(["metric"])
    _table(db, "observations").create_index(["digest"], unique=True)
    _table(db, "observations").create_index(["ident"])
    _table(db, "observations").create_index(["metric", "region", "group"])
    _table(db, "observations").create_index(["version_id"])
    # One current figure per (metric, region, group), where NULL is the whole country.
    db.execute(
        "create unique index idx_baseline_key on baseline"
        " (metric, ifnull(region, ''), ifnull([group], ''))"
    )
    _table(db, "baseline").create_index(["observation_id"])
    _table(db, "changes").create_index(["metric", "region", "group"])
    _table(db, "changes").create_index(["status"])
    _table(db, "changes").create_index(["new_id"])
    _table(db, "changes").create_index(["old_id"])
    _table(db, "outbox").create_index(["message_key"], unique=True)
    _table(db, "outbox").create_index(["destination", "message_id", "sent_at"])
    _table(db, "outbox").create_index(["change_id"])
    _table(db, "notices").create_index(["message_id"])
    _table(db, "seeds").create_index(["version_id"])


# Rounded where shown: a value is stored as the extractor gave it (REAL).
_VIEWS = {
    "changes_with_pages": """
select
  c.id, c.status, c.kind, c.label, c.metric, c.region, c."group", c.unit,
  round(o.value, 6) as old_value, o.period as old_period, o.quote as old_quote,
  coalesce(os.original_url, o.url) as old_page, coalesce(ov.published, os.published, o.published)
    as old_published,
  round(n.value, 6) as new_value, n.period as new_period, n.quote as new_quote,
  n.sentence as new_sentence, n.identity,
  round(c.delta, 6) as delta, round(c.delta_pct, 1) as delta_pct,
  coalesce(ns.original_url, n.url) as page, coalesce(nv.title, ns.title) as page_title,
  coalesce(nv.publisher, ns.publisher) as publisher,
  coalesce(nv.published, ns.published, n.published) as published,
  nv.fetched_at, n.version_id, c.old_id, c.new_id, c.found_at, c.decided_at
from changes c
  join observations n on n.id = c.new_id
  left join document_versions nv on nv.id = n.version_id
  left join seeds ns on ns.version_id = n.version_id
  left join observations o on o.id = c.old_id
  left join document_versions ov on ov.id = o.version_id
  left join seeds os on os.version_id = o.version_id
""",
    "series": """
select
  o.metric, o.label, o.region, o."group", o.period, round(o.value, 6) as value, o.unit, o.per,
  o.qualifier, o.quote, o.sentence, o.identity,
  coalesce(s.original_url, o.url) as page, coalesce(v.title, s.title) as page_title,
  coalesce(v.publisher, s.publisher) as publisher,
  coalesce(v.published, s.published, o.published) as published,
  o.role, b.id is not null as current, o.version_id, o.id as observation_id
from observations o
  left join document_versions v on v.id = o.version_id
  left join seeds s on s.version_id = o.version_id
  left join baseline b on b.observation_id = o.id
""",
}


def _create_views(db: sqlite_utils.Database) -> None:
    for name, sql in _VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)


@migration
def m006_review_journal(db: sqlite_utils.Database) -> None:
    """Journal every review decision with the baseline entry it replaced, so it can be undone.

    `before_id` and `after_id` point at the observation rows the baseline of the key
    held before and after the decision (NULL: no figure). Decisions taken before this
    migration have no entry: they cannot be undone. A state that journaled decisions
    in the earlier form (JSON observations, "" for no place) keeps them.
    """
    old = "decisions" in db.table_names()
    if old:
        db.execute("alter table decisions rename to _old_decisions")
        db.execute("drop index if exists idx_decisions_change_id")
    _table(db, "decisions").create(
        {
            "id": int,
            "change_id": str,
            "action": str,
            "metric": str,
            "region": str,
            "group": str,
            "before_id": int,
            "after_id": int,
            "decided_at": str,
            "undone_at": str,
        },
        pk="id",
        not_null={"change_id", "action", "metric", "decided_at"},
        foreign_keys=[
            ("change_id", "changes", "id"),
            ("before_id", "observations", "id"),
            ("after_id", "observations", "id"),
        ],
    )
    _table(db, "decisions").create_index(["change_id"])
    _table(db, "decisions").create_index(["before_id"])
    _table(db, "decisions").create_index(["after_id"])
    if not old:
        return
    for row in db.query("select * from _old_decisions order by id"):
        at = row["decided_at"]
        _table(db, "decisions").insert(
            {
                "id": row["id"],
                "change_id": row["change_id"],
                "action": row["action"],
                "metric": row["metric"],
                "region": _n(row["region"]),
                "group": _n(row["grp"]),
                "before_id": _ref(db, _obs_load(row["before"]), at=at, role="baseline")
                if row["before"]
                else None,
                "after_id": _ref(db, _obs_load(row["after"]), at=at, role="baseline")
                if row["after"]
                else None,
                "decided_at": at,
                "undone_at": row["undone_at"],
            }
        )
    db.execute("drop table _old_decisions")


# -- the store ---------------------------------------------------------------------------


class Store:
    """The state database of one state folder."""

    def __init__(self, conn: sqlite3.Connection | sqlite_utils.Database) -> None:
        """Use a connection, or a sqlite-utils `Database` (tests build schemas with it)."""
        self._db: sqlite_utils.Database | None = None
        if isinstance(conn, sqlite3.Connection):
            self.conn = conn
        else:
            self._db, self.conn = conn, conn.conn
        self._savepoints = 0

    @property
    def db(self) -> sqlite_utils.Database:
        """The connection as a sqlite-utils `Database` (sqlite-utils loads on first use)."""
        if self._db is None:
            import sqlite_utils

            # No sqlite-utils plugins: finding them scans every installed package's entry
            # points (tens of ms at each start), and none of them belongs in the state.
            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    @classmethod
    def open(cls, state_dir: Path, *, threads: bool = False) -> Store:
        """Open (and create or migrate) the database in a state folder.

        `threads=True` lets other threads than this one use the connection; the caller
        then makes every use exclusive (the pipeline does, for sources run concurrently).
        """
        try:
            state_dir.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(state_dir / DB_NAME, check_same_thread=not threads)
            store = cls(conn)
            store._prepare()
            store._execute("PRAGMA busy_timeout = 10000")
            if store._execute("PRAGMA journal_mode;").fetchone()[0] != "wal":
                level, conn.isolation_level = conn.isolation_level, None
                try:
                    store._execute("PRAGMA journal_mode=wal;")
                finally:
                    conn.isolation_level = level
            if not _migrated(conn):
                _migrate(store.db)
            store._execute("PRAGMA foreign_keys = ON")
        except (OSError, sqlite3.DatabaseError) as exc:
            raise StoreError(f"cannot open the state in {state_dir}: {exc}") from exc
        return store

    @classmethod
    def memory(cls) -> Store:
        """Open a throw-away database in memory (tests, dry runs)."""
        store = cls(sqlite3.connect(":memory:"))
        store._prepare()
        _migrate(store.db)
        store._execute("PRAGMA foreign_keys = ON")
        return store

    def _prepare(self) -> None:
        # what sqlite_utils.Database does first with a connection
        self._execute("PRAGMA recursive_triggers=on;")

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Group writes: all of them land, or none (nested blocks use savepoints).

        As sqlite-utils' `Database.atomic` does it.
        """
        conn = self.conn
        if conn.in_transaction:
            self._savepoints += 1
            savepoint = f"ifo_watch_{self._savepoints}"
            conn.execute(f"SAVEPOINT {savepoint};")
            try:
                yield self
            except BaseException:
                # a RAISE(ROLLBACK) may have ended the whole transaction, savepoint and all
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint};")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint};")
                raise
            else:
                conn.execute(f"RELEASE SAVEPOINT {savepoint};")
        else:
            conn.execute("BEGIN")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            else:
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise

    def _execute(self, sql: str, parameters: Sequence[Any] | None = None) -> sqlite3.Cursor:
        """Run one statement as sqlite-utils' `Database.execute` does.

        A write outside a transaction is committed at once (the driver opens one for
        it); a write inside one stays part of it; a failed statement leaves no
        transaction of its own open.
        """
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql, parameters if parameters is not None else ())
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if (
            not was_in_transaction
            and conn.in_transaction
            and cursor.description is None
            and _first_keyword(sql) not in _TRANSACTION_CONTROL
        ):
            conn.execute("COMMIT")
        return cursor

    @contextmanager
    def bulk_writes(self) -> Iterator[Store]:
        """Make many transactions in a row cheaper until the block ends (a cycle's reading).

        - commits do not wait for the disk (`synchronous = NORMAL`): in WAL mode (the
          state's) a commit is atomic either way and outlives the process being
          killed; a power cut may take the latest commits back (never half of one).
          The first commit after the block waits again, and with it every commit
          before it is on the disk. A watch cycle reads its sources so (a document
          lost this way is read again next cycle, as after a kill before it) and
          delivers after the block (what was posted must stay marked);
        - the write-ahead log is copied back every `_BULK_CHECKPOINT` pages instead
          of SQLite's 1 000: one document's rows touch several hundred index pages,
          and a page that many documents write between two checkpoints is copied once;
        - the page cache holds `_BULK_CACHE_KB` instead of 2 MB, so that the random
          index pages of a large state are read from the disk less often.
        """
        pragmas = ("synchronous", "wal_autocheckpoint", "cache_size")
        before = {name: int(self._execute(f"pragma {name}").fetchone()[0]) for name in pragmas}
        self._execute("pragma synchronous = NORMAL")
        checkpoint = max(before["wal_autocheckpoint"], _BULK_CHECKPOINT)
        self._execute(f"pragma wal_autocheckpoint = {checkpoint}")
        self._execute(f"pragma cache_size = {-_BULK_CACHE_KB}")
        try:
            yield self
        finally:
            for name, value in before.items():
                self._execute(f"pragma {name} = {value}")

    def data_version(self) -> int:
        """Return SQLite's data version: it moves when another connection commits a write."""
        return int(self._execute("pragma data_version").fetchone()[0])

    # -- documents -----------------------------------------------------------------------

    def last_version(self, url: str) -> LastVersion | None:
        """Return the validators and hash of the latest stored version of a URL."""
        row = self._one(
            "select etag, last_modified, content_hash from document_versions"
            " where url = ? order by id desc limit 1",
            [url],
        )
        if row is None:
            return None
        return LastVersion(row["etag"], row["last_modified"], row["content_hash"])

    def add_version(
        self,
        doc: Document,
        *,
        source: str | None,
        fetched: Fetched | None,
        now: datetime,
    ) -> tuple[int, bool]:
        """Record a document version; return (version id, True when it is new).

        The same content at the same URL as its latest version is not stored twice.
        """
        content_hash = fetched.content_hash if fetched else text_hash(doc.text)
        latest = self._one(
            "select id, content_hash from document_versions where url = ? order by id desc limit 1",
            [doc.url],
        )
        if latest is not None and latest["content_hash"] == content_hash:
            return int(latest["id"]), False
        if source is not None:
            self._execute("insert or ignore into sources (name) values (?)", [source])
        self._execute(
            "insert or ignore into documents (url, source, first_seen, latest_version)"
            " values (?, ?, ?, null)",
            [doc.url, source, _iso(now)],
        )
        row = {
            "url": doc.url,
            "source": source,
            "fetched_at": _iso(fetched.fetched_at if fetched else now),
            "content_hash": content_hash,
            "etag": fetched.etag if fetched else None,
            "last_modified": fetched.last_modified if fetched else None,
            "content_type": doc.content_type,
            "title": doc.title,
            "published": _iso(doc.published),
            "publisher": doc.publisher,
            "text": doc.text,
            "tables": json.dumps([asdict(t) for t in doc.tables], ensure_ascii=False),
        }
        names = ", ".join(f"[{name}]" for name in row)
        marks = ", ".join("?" for _ in row)
        cursor = self._execute(
            f"insert into document_versions ({names}) values ({marks})", list(row.values())
        )
        version_id = int(cast(int, cursor.lastrowid))
        self._execute(
            "update documents set latest_version = ? where url = ?", [version_id, doc.url]
        )
        return version_id, True

    def versions(self, *, latest_only: bool = False) -> list[StoredVersion]:
        """Return the stored document versions whose text is kept, in the order recorded.

        A version whose text the retention setting removed (`prune_texts`) keeps its
        figures and observations but cannot be read again, so it is left out.
        """
        sql = "select * from document_versions where text is not null"
        if latest_only:
            sql += " and id in (select latest_version from documents)"
        return [_version_from_row(row) for row in self._query(sql + " order by id")]

    def add_figures(
        self, version_id: int, figures: Sequence[Figure], *, extractor_version: str
    ) -> None:
        """Record every extracted figure with its version and extractor version.

        Figures of that version by that extractor version are replaced, so recording
        the same extraction twice stores it once.
        """
        self._execute(
            "delete from figures where version_id = ? and extractor_version = ?",
            [version_id, extractor_version],
        )
        self._insert_many(
            "figures",
            _FIGURE_ROW_COLUMNS,
            [(version_id, extractor_version, *_figure_values(f)) for f in figures],
        )

    def figures(self, version_id: int, *, extractor_version: str | None = None) -> list[Figure]:
        """Return the figures recorded for a version (optionally of one extractor version)."""
        sql = "select * from figures where version_id = ?"
        params: list[Any] = [version_id]
        if extractor_version is not None:
            sql += " and extractor_version = ?"
            params.append(extractor_version)
        return [_figure_from_row(r) for r in self._query(sql + " order by id", params)]

    # -- observations (history) ----------------------------------------------------------

    def add_observations(
        self, observations: Iterable[Observation], *, role: str, now: datetime
    ) -> int:
        """Record observations in the history, once each; return how many were new.

        One query asks which of them the history holds already (by `ident`), one
        statement inserts the others, in the order given.
        """
        fresh: dict[str, Observation] = {}
        for obs in observations:
            fresh.setdefault(_obs_ident(obs), obs)
        known = self._present("observations", "ident", fresh)
        at = _iso(now)
        rows = [
            _obs_values(obs, role=role, observed_at=at, ident=ident)
            for ident, obs in fresh.items()
            if ident not in known
        ]
        self._insert_many("observations", _OBS_COLUMNS, rows)
        return len(rows)

    def observations(
        self, metric: str, *, region: str | None = None, group: str | None = None
    ) -> list[Observation]:
        """Return the recorded observations of one key (None is the whole country/everyone)."""
        rows = self._query(
            "select * from observations where metric = ? and region is ? and [group] is ?"
            " order by id",
            [metric, region, group],
        )
        return [_obs_from_row(r) for r in rows]

    def clear_observations(self, version_ids: Iterable[int] | None = None) -> None:
        """Delete the history of some versions (None: all), before re-extraction records it.

        Observations the baseline or a change points at stay: they are what was
        decided on.
        """
        sql = (
            "delete from observations where id not in (select observation_id from baseline)"
            " and id not in (select new_id from changes)"
            " and id not in (select old_id from changes where old_id is not null)"
            " and id not in (select before_id from decisions where before_id is not null)"
            " and id not in (select after_id from decisions where after_id is not null)"
        )
        if version_ids is None:
            self._execute(sql)
            return
        wanted = sorted(set(version_ids))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            self._execute(sql + f" and version_id in ({', '.join('?' for _ in chunk)})", chunk)

    # -- what one document's decisions need: exactly its keys ----------------------------
    #
    # A document is compared key by key, so these read the rows of the keys given and
    # nothing else, through the (metric, region, group) indexes: the cost of a document
    # stays the same however large the state grows.

    def baseline_of(self, keys: Iterable[Key]) -> dict[Key, Observation]:
        """Return the baseline entries of exactly these keys, in the order they were set."""
        rows = self._by_keys(
            "select b.id as entry_id, b.metric as key_metric, b.region as key_region,"
            " b.[group] as key_group, o.* from k join baseline b on b.metric = k.metric"
            " and ifnull(b.region, '') = ifnull(k.region, '')"
            " and ifnull(b.[group], '') = ifnull(k.grp, '')"
            " and b.region is k.region and b.[group] is k.grp"
            " join observations o on o.id = b.observation_id",
            keys,
        )
        rows.sort(key=lambda r: r["entry_id"])
        return {(r["key_metric"], r["key_region"], r["key_group"]): _obs_from_row(r) for r in rows}

    def changes_of(self, keys: Iterable[Key]) -> list[Change]:
        """Return the recorded changes of exactly these keys, in the order they were found."""
        rows = self._by_keys(
            "select c.* from k join changes c on c.metric = k.metric"
            " and c.region is k.region and c.[group] is k.grp",
            keys,
        )
        # as `order by found_at, id` orders them (NULL first)
        rows.sort(key=lambda r: (r["found_at"] is not None, r["found_at"] or "", r["id"]))
        found = self._observations_by_id(
            [r["new_id"] for r in rows] + [r["old_id"] for r in rows if r["old_id"] is not None]
        )
        return [_change_from_row(r, found) for r in rows]

    def observations_of(self, keys: Iterable[Key]) -> dict[Key, list[Observation]]:
        """Return the recorded observations of exactly these keys, each key's in recorded order."""
        rows = self._by_keys(
            "select k.metric as key_metric, k.region as key_region, k.grp as key_group, o.*"
            " from k join observations o on o.metric = k.metric"
            " and o.region is k.region and o.[group] is k.grp",
            keys,
        )
        rows.sort(key=lambda r: r["id"])
        out: dict[Key, list[Observation]] = {}
        for r in rows:
            out.setdefault((r["key_metric"], r["key_region"], r["key_group"]), []).append(
                _obs_from_row(r)
            )
        return out

    def _by_keys(self, sql: str, keys: Iterable[Key]) -> list[dict[str, Any]]:
        """Return the rows of `sql` over a table `k(metric, region, grp)` of the keys given."""
        wanted = list(dict.fromkeys(keys))
        rows: list[dict[str, Any]] = []
        for start in range(0, len(wanted), _KEYS_PER_QUERY):
            chunk = wanted[start : start + _KEYS_PER_QUERY]
            values = ", ".join("(?, ?, ?)" for _ in chunk)
            params = [part for key in chunk for part in key]
            rows.extend(
                self._query(f"with k(metric, region, grp) as (values {values}) {sql}", params)
            )
        return rows

    # -- baseline ------------------------------------------------------------------------

    def has_baseline(self) -> bool:
        """Return True when the baseline holds at least one figure."""
        return self._one("select 1 as one from baseline limit 1") is not None

    def baseline(self, metrics: Iterable[str] | None = None) -> dict[Key, Observation]:
        """Return the baseline, whole or for some metrics."""
        sql = (
            "select b.metric as key_metric, b.region as key_region, b.[group] as key_group, o.*"
            " from baseline b join observations o on o.id = b.observation_id"
        )
        params: list[Any] = []
        if metrics is not None:
            names = sorted(set(metrics))
            sql += f" where b.metric in ({', '.join('?' for _ in names)})"
            params = list(names)
        return {
            (r["key_metric"], r["key_region"], r["key_group"]): _obs_from_row(r)
            for r in self._query(sql + " order by b.id", params)
        }

    def series_keys(
        self,
        prefixes: Iterable[str],
        places: Iterable[tuple[str | None, str | None]],
        *,
        with_changes: bool,
    ) -> set[Key]:
        """Return the keys with a series whose metric starts with a prefix, at these places.

        A series is a baseline entry, or (`with_changes`) a change found and not
        rejected (a `new` change waiting for review). Each prefix is a range of the key
        indexes ("antal_" to "antal`"), read from the indexes alone where they cover it.
        """
        out: set[Key] = set()
        for prefix in sorted(set(prefixes)):
            bounds = (prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1))
            for region, group in sorted(set(places), key=lambda p: (p[0] or "", p[1] or "")):
                rows = self.conn.execute(
                    "select metric from baseline where metric >= ? and metric < ?"
                    " and ifnull(region, '') = ? and ifnull([group], '') = ?",
                    (*bounds, region or "", group or ""),
                ).fetchall()
                if with_changes:
                    rows += self.conn.execute(
                        "select metric from changes where metric >= ? and metric < ?"
                        " and region is ? and [group] is ? and status != 'rejected'",
                        (*bounds, region, group),
                    ).fetchall()
                out.update((row[0], region, group) for row in rows)
        return out

    def latest_found(self, keys: Iterable[Key]) -> dict[Key, Observation]:
        """Return each key's newest figure among its changes not rejected."""
        out: dict[Key, Observation] = {}
        for change in self.changes_of(keys):
            if change.status != "rejected":
                out[(change.metric, change.region, change.group)] = change.new
        return out

    def set_baseline(
        self, key: Key, obs: Observation, *, now: datetime, change_id: str | None = None
    ) -> None:
        """Make an observation the current figure of its (metric, region, group)."""
        metric, region, group = key
        obs_id = _ref(self.db, _with_metric(obs, metric), at=_iso(now), role="baseline")
        cursor = self._execute(
            "update baseline set observation_id = ?, set_at = ?, change_id = ?"
            " where metric = ? and region is ? and [group] is ?",
            [obs_id, _iso(now), change_id, metric, region, group],
        )
        if cursor.rowcount == 0:
            _table(self.db, "baseline").insert(
                {
                    "metric": metric,
                    "region": region,
                    "group": group,
                    "observation_id": obs_id,
                    "set_at": _iso(now),
                    "change_id": change_id,
                }
            )

    def delete_baseline(self, key: Key) -> None:
        """Remove the baseline entry of one key."""
        metric, region, group = key
        self._execute(
            "delete from baseline where metric = ? and region is ? and [group] is ?",
            [metric, region, group],
        )

    # -- changes -------------------------------------------------------------------------

    def add_change(self, change: Change) -> bool:
        """Record a found change; return False when a change with its id exists already."""
        if change.id is None or change.status is None:
            raise StoreError("a recorded change needs an id and a status")
        if self._one("select 1 as one from changes where id = ?", [change.id]):
            return False
        self._put_change(change)
        return True

    def add_changes(self, changes: Sequence[Change]) -> list[Change]:
        """Record found changes at once; return those that were new, in order.

        The same as `add_change` for each in turn (a change whose id is recorded
        already, or given twice, is recorded once), in a fixed number of statements.
        """
        for change in changes:
            if change.id is None or change.status is None:
                raise StoreError("a recorded change needs an id and a status")
        known = self._present("changes", "id", [c.id for c in changes])
        fresh: dict[str, Change] = {}
        for change in changes:
            if change.id not in known:
                fresh.setdefault(change.id or "", change)
        # Each observation's digest once (sorted JSON and SHA-1: the costly part).
        digests = [
            (
                change,
                _obs_digest(change.old) if change.old is not None else None,
                _obs_digest(change.new),
            )
            for change in fresh.values()
        ]
        refs = self._refs(
            [
                (obs, _iso(change.found_at), digest)
                for change, old, new in digests
                for obs, digest in ((change.old, old), (change.new, new))
                if obs is not None and digest is not None
            ]
        )
        self._insert_many(
            "changes",
            _CHANGE_COLUMNS,
            [
                _change_values(change, old_id=refs[old] if old else None, new_id=refs[new])
                for change, old, new in digests
            ],
        )
        return list(fresh.values())

    def changes(
        self,
        *,
        status: ChangeStatus | None = None,
        metrics: Iterable[str] | None = None,
        metric: str | None = None,
        ids: Iterable[str] | None = None,
    ) -> list[Change]:
        """Return recorded changes, filtered by status, metric(s) or ids."""
        where: list[str] = []
        params: list[Any] = []
        if status is not None:
            where.append("status = ?")
            params.append(status)
        names = sorted(set(metrics or ())) + ([metric] if metric is not None else [])
        if metrics is not None or metric is not None:
            where.append(f"metric in ({', '.join('?' for _ in names)})")
            params.extend(names)
        if ids is not None:
            wanted = sorted(set(ids))
            where.append(f"id in ({', '.join('?' for _ in wanted)})")
            params.extend(wanted)
        sql = "select * from changes"
        if where:
            sql += " where " + " and ".join(where)
        rows = list(self._query(sql + " order by found_at, id", params))
        found = self._observations_by_id(
            [r["new_id"] for r in rows] + [r["old_id"] for r in rows if r["old_id"] is not None]
        )
        return [_change_from_row(r, found) for r in rows]

    def _observations_by_id(self, ids: Iterable[int]) -> dict[int, Observation]:
        wanted = sorted(set(ids))
        found: dict[int, Observation] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self._query(
                f"select * from observations where id in ({', '.join('?' for _ in chunk)})", chunk
            )
            found.update((int(r["id"]), _obs_from_row(r)) for r in rows)
        return found

    def set_status(self, change_id: str, status: ChangeStatus, *, now: datetime) -> None:
        """Record a review decision on a change."""
        self._execute(
            "update changes set status = ?, decided_at = ? where id = ?",
            [status, _iso(now), change_id],
        )

    def update_change(self, change: Change) -> None:
        """Rewrite a recorded change (re-keyed after re-extraction), keeping its decision."""
        row = self._change_row(change)
        del row["id"], row["decided_at"]
        _table(self.db, "changes").update(change.id or "", row)

    def find_change_ids(self, prefix: str) -> list[str]:
        """Return the ids of recorded changes that start with a prefix."""
        rows = self._query("select id from changes where id like ? order by id", [prefix + "%"])
        return [r["id"] for r in rows]

    def _put_change(self, change: Change) -> None:
        _table(self.db, "changes").insert(self._change_row(change))

    def _change_row(self, change: Change) -> dict[str, Any]:
        at = _iso(change.found_at)
        return _change_row(
            change,
            old_id=_ref(self.db, change.old, at=at) if change.old else None,
            new_id=_ref(self.db, change.new, at=at),
        )

    # -- outbox --------------------------------------------------------------------------
    #
    # A change enters the outbox (one row per destination) in its document's transaction.
    # At delivery the unsent rows of a destination are composed into a digest whose
    # messages are frozen here before the first post; a message is sent oldest first,
    # marked sent only after Slack accepted it, and never dropped.

    def enqueue(self, change_id: str, destination: str, *, now: datetime) -> bool:
        """Queue a change for one destination; False when it is queued already."""
        key = message_key(change_id, destination)
        before = self.conn.total_changes
        _table(self.db, "outbox").insert(
            {
                "change_id": change_id,
                "destination": destination,
                "message_key": key,
                "created_at": _iso(now),
                "attempts": 0,
            },
            ignore=True,
        )
        return self.conn.total_changes > before

    def enqueue_all(self, items: Iterable[tuple[str, str]], *, now: datetime) -> None:
        """Queue changes for destinations, (change id, destination) each; queued ones stay once."""
        at = _iso(now)
        self._executemany(
            "insert or ignore into outbox (change_id, destination, message_key, created_at,"
            " attempts) values (?, ?, ?, ?, 0)",
            [(change_id, dest, message_key(change_id, dest), at) for change_id, dest in items],
        )

    def add_notice(
        self, destination: str, kind: str, subject: str, text: str, *, now: datetime
    ) -> int:
        """Queue a notice for the next digest of notices of a destination."""
        row = {
            "destination": destination,
            "kind": kind,
            "subject": subject,
            "text": text,
            "created_at": _iso(now),
        }
        return int(cast(int, _table(self.db, "notices").insert(row).last_pk))

    def unsent(self, destination: str) -> list[OutboxItem]:
        """Return the changes queued for a destination and not yet in a message, oldest first."""
        rows = list(
            self._query(
                "select * from outbox where destination = ? and message_id is null"
                " and sent_at is null order by id",
                [destination],
            )
        )
        changes = {c.id: c for c in self.changes(ids=[r["change_id"] for r in rows])}
        return [_outbox_item(r, changes[r["change_id"]]) for r in rows if r["change_id"] in changes]

    def unsent_notices(self, destination: str) -> list[Notice]:
        """Return the notices queued for a destination and not yet in a message, oldest first."""
        rows = self._query(
            "select * from notices where destination = ? and message_id is null"
            " and sent_at is null order by id",
            [destination],
        )
        return [
            Notice(
                id=int(r["id"]),
                destination=r["destination"],
                kind=r["kind"],
                subject=r["subject"] or "",
                text=r["text"],
                created_at=datetime.fromisoformat(r["created_at"]),
            )
            for r in rows
        ]

    def freeze(
        self, destination: str, drafts: Sequence[Draft], *, now: datetime
    ) -> list[StoredMessage]:
        """Store a digest's messages and tie its changes and notices to them, in one go."""
        with self.transaction():
            for draft in drafts:
                message_id = int(
                    cast(
                        int,
                        _table(self.db, "messages")
                        .insert(
                            {
                                "destination": destination,
                                "key": f"ifo-watch-{uuid.uuid4().hex}",
                                "text": draft.text,
                                "plain": draft.plain,
                                "blocks": json.dumps(list(draft.blocks), ensure_ascii=False),
                                "changes": len(draft.item_ids),
                                "created_at": _iso(now),
                            }
                        )
                        .last_pk,
                    )
                )
                self._tie("outbox", draft.item_ids, message_id)
                self._tie("notices", draft.notice_ids, message_id)
        return self.pending_messages(destination)

    def _tie(self, table: str, ids: Sequence[int], message_id: int) -> None:
        if ids:
            marks = ", ".join("?" for _ in ids)
            self._execute(
                f"update {table} set message_id = ? where id in ({marks}) and message_id is null",
                [message_id, *ids],
            )

    def pending_messages(self, destination: str | None = None) -> list[StoredMessage]:
        """Return the frozen messages not yet sent nor parked, oldest first."""
        sql = "select * from messages where sent_at is null and parked_at is null"
        params: list[Any] = []
        if destination is not None:
            sql += " and destination = ?"
            params.append(destination)
        return [_message(r) for r in self._query(sql + " order by id", params)]

    def message(self, message_id: int) -> StoredMessage:
        """Return one frozen message as it stands now."""
        row = self._one("select * from messages where id = ?", [message_id])
        if row is None:
            raise StoreError(f"no message {message_id} in the outbox")
        return _message(row)

    def waiting_destinations(self) -> list[str]:
        """Return every destination with changes, notices or messages still to deliver."""
        rows = self._query(
            "select destination from outbox where message_id is null and sent_at is null"
            " union select destination from notices where message_id is null and sent_at is null"
            " union select destination from messages where sent_at is null and parked_at is null"
            " order by destination"
        )
        return [r["destination"] for r in rows]

    def message_trying(self, message_id: int, *, now: datetime) -> None:
        """Record that a post starts: until its outcome is known, it may have gone through."""
        self._execute(
            "update messages set attempts = attempts + 1, tried_at = ?, uncertain = 1 where id = ?",
            [_iso(now), message_id],
        )

    def message_failed(
        self, message_id: int, error: str, *, uncertain: bool, now: datetime
    ) -> None:
        """Record a failed post; the message stays pending, as it was."""
        self._execute(
            "update messages set last_error = ?, uncertain = ? where id = ?",
            [f"{_iso(now)} {error}", int(uncertain), message_id],
        )

    def message_sent(self, message_id: int, *, now: datetime, remote_id: str | None) -> None:
        """Mark a message delivered, with the changes and notices it carries."""
        stamp = _iso(now)
        with self.transaction():
            self._execute(
                "update messages set sent_at = ?, remote_id = ?, uncertain = 0 where id = ?",
                [stamp, remote_id, message_id],
            )
            self._execute(
                "update outbox set sent_at = ?, remote_id = ? where message_id = ?",
                [stamp, remote_id, message_id],
            )
            self._execute(
                "update notices set sent_at = ? where message_id = ?", [stamp, message_id]
            )

    def message_as_text(self, message_id: int) -> None:
        """Send a message as plain text from now on (Slack refused its blocks for good)."""
        self._execute("update messages set as_text = 1 where id = ?", [message_id])

    def message_parked(self, message_id: int, error: str, *, now: datetime) -> None:
        """Set a message aside that Slack refuses for good; it stays in the state."""
        self._execute(
            "update messages set parked_at = ?, last_error = ?, uncertain = 0 where id = ?",
            [_iso(now), error, message_id],
        )

    def message_stuck(self, message_id: int, *, now: datetime) -> None:
        """Record that a message was reported as stuck, so that it is reported once."""
        self._execute("update messages set stuck_at = ? where id = ?", [_iso(now), message_id])

    def messages(self) -> list[dict[str, Any]]:
        """Return every message row as stored (for inspection and tests)."""
        return list(self._query("select * from messages order by id"))

    def outbox(self) -> list[dict[str, Any]]:
        """Return every outbox row as stored (for inspection and tests)."""
        return list(self._query("select * from outbox order by id"))

    def publications(self, version_ids: Iterable[int | None]) -> dict[int, Publication]:
        """Return the URL, title, publisher and date of stored document versions."""
        wanted = sorted({v for v in version_ids if v is not None})
        if not wanted:
            return {}
        rows = self._query(
            "select id, url, title, publisher, published, source from document_versions"
            f" where id in ({', '.join('?' for _ in wanted)})",
            wanted,
        )
        return {
            int(r["id"]): Publication(
                url=r["url"],
                title=r["title"],
                publisher=r["publisher"],
                published=date.fromisoformat(r["published"]) if r["published"] else None,
                source=r["source"],
            )
            for r in rows
        }

    @contextmanager
    def delivery_lock(self, *, wait_seconds: float = 60) -> Iterator[bool]:
        """Hold the state's delivery lock; yield False when another process kept it too long.

        An OS file lock, not a lease: it goes with the process that holds it, so a
        killed cycle never holds back the next one. A database in memory needs none.
        """
        path = self._path()
        if path is None:
            yield True
            return
        with open(path.with_name(path.name + ".deliver.lock"), "a+b") as handle:
            deadline = time.monotonic() + wait_seconds
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.1)
            try:
                yield True
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _path(self) -> Path | None:
        for row in self._execute("pragma database_list").fetchall():
            if row[1] == "main" and row[2]:
                return Path(row[2])
        return None

    # -- review journal and discovery ----------------------------------------------------

    def add_decision(
        self,
        change_id: str,
        action: str,
        *,
        key: Key,
        before: Observation | None,
        after: Observation | None,
        now: datetime,
    ) -> int:
        """Journal a review decision with the baseline of its key before and after it."""
        metric, region, group = key
        at = _iso(now)
        row = {
            "change_id": change_id,
            "action": action,
            "metric": metric,
            "region": region,
            "group": group,
            "before_id": _ref(self.db, _with_metric(before, metric), at=at, role="baseline")
            if before
            else None,
            "after_id": _ref(self.db, _with_metric(after, metric), at=at, role="baseline")
            if after
            else None,
            "decided_at": at,
        }
        return int(cast(int, _table(self.db, "decisions").insert(row).last_pk))

    def last_decision(self, change_id: str) -> StoredDecision | None:
        """Return the latest decision on a change that has not been undone, or None."""
        row = self._one(
            "select * from decisions where change_id = ? and undone_at is null"
            " order by id desc limit 1",
            [change_id],
        )
        if row is None:
            return None
        found = self._observations_by_id(
            i for i in (row["before_id"], row["after_id"]) if i is not None
        )
        return StoredDecision(
            id=int(row["id"]),
            change_id=row["change_id"],
            action=row["action"],
            key=(row["metric"], row["region"], row["group"]),
            before=found[row["before_id"]] if row["before_id"] is not None else None,
            after=found[row["after_id"]] if row["after_id"] is not None else None,
            decided_at=datetime.fromisoformat(row["decided_at"]),
        )

    def undo_decision(self, decision_id: int, *, now: datetime) -> None:
        """Mark a journaled decision as taken back."""
        self._execute("update decisions set undone_at = ? where id = ?", [_iso(now), decision_id])

    def reopen_change(self, change_id: str) -> None:
        """Make a decided change pending again (its decision was undone)."""
        self._execute(
            "update changes set status = 'pending', decided_at = null where id = ?", [change_id]
        )

    def baseline_entry(self, key: Key) -> tuple[Observation, str | None] | None:
        """Return the baseline observation of one key and the change that set it, if any."""
        metric, region, group = key
        row = self._one(
            "select o.*, b.change_id as set_by from baseline b"
            " join observations o on o.id = b.observation_id"
            " where b.metric = ? and b.region is ? and b.[group] is ?",
            [metric, region, group],
        )
        if row is None:
            return None
        return _obs_from_row(row), row["set_by"]

    def decided_at(self, change_ids: Iterable[str]) -> dict[str, datetime]:
        """Return when each change among some ids was last decided on, or a decision undone."""
        wanted = sorted(set(change_ids))
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        rows = [
            *self._query(f"select id, decided_at as at from changes where id in ({marks})", wanted),
            *self._query(
                "select change_id as id, decided_at as at from decisions"
                f" where change_id in ({marks})"
                " union all select change_id as id, undone_at as at from decisions"
                f" where change_id in ({marks})",
                wanted + wanted,
            ),
        ]
        found: dict[str, datetime] = {}
        for row in rows:
            if row["at"]:
                at = datetime.fromisoformat(row["at"])
                found[row["id"]] = max(at, found.get(row["id"], at))
        return found

    def observation_counts(self) -> dict[str, int]:
        """Return how many figures the history holds of each metric."""
        # The same figure may be a row of the history and one of a change or the baseline;
        # it counts once, as `history` shows it once.
        rows = self._query(
            "select metric, count(distinct json_array(region, [group], period, value,"
            " qualifier, quote, url)) as n from observations group by metric"
        )
        return {r["metric"]: int(r["n"]) for r in rows}

    def observation_keys(self) -> list[Key]:
        """Return every (metric, region, group) the history holds figures of."""
        rows = self._query(
            "select distinct metric, region, [group] from observations"
            " order by metric, region, [group]"
        )
        return [(r["metric"], r["region"], r["group"]) for r in rows]

    # -- sources -------------------------------------------------------------------------

    def source_state(self, name: str) -> SourceState | None:
        """Return the recorded health of a source."""
        row = self._one("select * from sources where name = ?", [name])
        if row is None:
            return None
        return SourceState(
            name=row["name"],
            failing_since=_dt(row["failing_since"]),
            failure_count=int(row["failure_count"] or 0),
            last_error=row["last_error"],
            last_ok=_dt(row["last_ok"]),
        )

    def source_failed(self, name: str, error: str, now: datetime) -> bool:
        """Record a failure of a source; True when it has just started failing."""
        state = self.source_state(name)
        started = state is None or state.failing_since is None
        self._upsert(
            "sources",
            {
                "name": name,
                "failing_since": _iso(now) if started else _iso(_since(state)),
                "failure_count": (state.failure_count if state else 0) + 1,
                "last_error": error,
            },
        )
        return started

    def source_ok(self, name: str, now: datetime) -> bool:
        """Record a good read of a source; True when it has just recovered."""
        state = self.source_state(name)
        recovered = state is not None and state.failing_since is not None
        self._upsert(
            "sources",
            {
                "name": name,
                "failing_since": None,
                "failure_count": 0,
                "last_error": None,
                "last_ok": _iso(now),
            },
        )
        return recovered

    def retry_urls(self, name: str) -> dict[str, int]:
        """Return the URLs of a source that failed, each with its count of failed cycles."""
        row = self._one("select retry from sources where name = ?", [name])
        if row is None or not row["retry"]:
            return {}
        kept = json.loads(row["retry"])
        return {str(url): int(count) for url, count in kept.items()}

    def set_retry_urls(self, name: str, urls: Mapping[str, int]) -> None:
        """Remember the URLs of a source to try again (an empty mapping clears them)."""
        value = json.dumps(dict(urls), ensure_ascii=False) if urls else None
        row = self._one("select retry from sources where name = ?", [name])
        if row is None or row["retry"] != value:  # most cycles: nothing to retry, as before
            self._upsert("sources", {"name": name, "retry": value})

    # -- HTTP validators of feeds, listings and robots.txt --------------------------------

    def http_validators(self, url: str) -> tuple[str | None, str | None, bytes] | None:
        """Return (etag, last_modified, body) kept for a URL, or None."""
        row = self._one("select etag, last_modified, body from http_cache where url = ?", [url])
        if row is None:
            return None
        return row["etag"], row["last_modified"], bytes(row["body"] or b"")

    def remember_http(
        self,
        url: str,
        *,
        etag: str | None,
        last_modified: str | None,
        body: bytes | None,
        now: datetime,
    ) -> None:
        """Keep a URL's validators (and, for robots.txt, its body) for the next cycle."""
        self._upsert(
            "http_cache",
            {
                "url": url,
                "etag": etag,
                "last_modified": last_modified,
                "body": body,
                "checked_at": _iso(now),
            },
        )

    def forget_http(self, url: str) -> None:
        """Drop a URL's validators, so that it is fetched and read in full next time."""
        self._execute("delete from http_cache where url = ?", [url])

    # -- seeds ---------------------------------------------------------------------------

    def seed_applied(self, url: str, content_hash: str) -> bool:
        """Return True when this seed document (by URL and content) was applied before."""
        return (
            self._one(
                "select 1 as one from seeds where url = ? and content_hash = ?",
                [url, content_hash],
            )
            is not None
        )

    def mark_seed(
        self,
        url: str,
        content_hash: str,
        *,
        now: datetime,
        extractor_version: str,
        version_id: int | None = None,
        origin: Publication | None = None,
    ) -> None:
        """Record that a seed document was applied, with where it was first published."""
        _table(self.db, "seeds").insert(
            {
                "url": url,
                "content_hash": content_hash,
                "applied_at": _iso(now),
                "extractor_version": extractor_version,
                "version_id": version_id,
                **_origin_row(origin),
            },
            ignore=True,
        )

    # -- cycles, health and retention ----------------------------------------------------

    def cycle_started(self, *, now: datetime, stale_since: datetime | None = None) -> int:
        """Record that a watch cycle starts (and the staleness it announces); return its id."""
        cursor = self._execute(
            "insert into [cycles] ([started_at], [stale_since]) values (?, ?)",
            [_iso(now), _iso(stale_since)],
        )
        return int(cast(int, cursor.lastrowid))

    def cycle_finished(self, cycle_id: int, record: CycleRecord) -> None:
        """Record how a watch cycle ended."""
        row = asdict(record)
        for name in ("id", "started_at", "stale_since"):
            del row[name]
        row["finished_at"] = _iso(record.finished_at)
        row["good"] = None if record.good is None else int(record.good)
        sets = ", ".join(f"[{name}] = ?" for name in row)
        self._execute(f"update [cycles] set {sets} where [id] = ?", [*row.values(), cycle_id])

    def last_cycle(self, *, good: bool = False) -> CycleRecord | None:
        """Return the latest cycle started (or the latest good one)."""
        sql = "select * from cycles" + (" where good = 1" if good else "")
        row = self._one(sql + " order by id desc limit 1")
        return _cycle(row) if row is not None else None

    def first_cycle_started(self) -> datetime | None:
        """Return when the first recorded cycle started."""
        row = self._one("select started_at from cycles order by id limit 1")
        return _dt(row["started_at"]) if row is not None else None

    def stale_announced(self, since: datetime) -> bool:
        """Return True when a cycle announced already that nothing went well since `since`."""
        return (
            self._one("select 1 as one from cycles where stale_since = ?", [_iso(since)])
            is not None
        )

    def failing_sources(self) -> list[SourceState]:
        """Return the sources failing now, the longest failing first."""
        rows = self._query(
            "select name from sources where failing_since is not null order by failing_since, name"
        )
        return [s for r in rows if (s := self.source_state(r["name"])) is not None]

    def backlog(self) -> Backlog:
        """Return what waits to be delivered, and the oldest message waiting."""
        pending = self.pending_messages()
        oldest = min(pending, key=lambda m: (m.created_at, m.id), default=None)
        last_error = None
        if oldest is not None:
            row = self._one("select last_error from messages where id = ?", [oldest.id])
            last_error = row["last_error"] if row else None
        count = "select count(*) from {} where message_id is null and sent_at is null"
        return Backlog(
            messages=len(pending),
            destinations=tuple(sorted({m.destination for m in pending})),
            changes_queued=int(self._execute(count.format("outbox")).fetchone()[0]),
            notices_queued=int(self._execute(count.format("notices")).fetchone()[0]),
            parked=int(
                self._execute(
                    "select count(*) from messages where parked_at is not null"
                ).fetchone()[0]
            ),
            oldest=oldest,
            oldest_error=last_error,
        )

    def size(self) -> StateSize:
        """Return how large the state is: its files and what it holds."""
        path = self._path()
        files = [path, path.with_name(path.name + "-wal")] if path is not None else []
        statuses = {
            r["status"]: int(r["n"])
            for r in self._query("select status, count(*) as n from changes group by status")
        }

        def count(sql: str) -> int:
            return int(self._execute(sql).fetchone()[0])

        return StateSize(
            path=path,
            bytes=sum(p.stat().st_size for p in files if p.exists()),
            text_bytes=count("select ifnull(sum(length(text)), 0) from document_versions"),
            documents=count("select count(*) from documents"),
            versions=count("select count(*) from document_versions"),
            pruned=count("select count(*) from document_versions where text is null"),
            figures=count("select count(*) from figures"),
            observations=count("select count(*) from observations"),
            changes=tuple(sorted(statuses.items())),
        )

    def prune_texts(self, keep: int, *, now: datetime) -> int:
        """Drop the page text of all but the latest `keep` versions of each URL; return how many.

        Only the text and tables go: the version row, its figures, the observations and
        the changes that point at it stay, so every alert still leads to its page
        version, URL and quote.
        """
        if keep < 1:
            raise StoreError(f"keep at least one version's text per URL, not {keep}")
        cursor = self._execute(
            "update document_versions set text = null, tables = null, pruned_at = ?"
            " where text is not null and id in (select id from (select id, row_number()"
            " over (partition by url order by id desc) as n from document_versions)"
            " where n > ?)",
            [_iso(now), keep],
        )
        return int(cursor.rowcount)

    # -- helpers -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Return the number of rows of each table (for tests and status lines)."""
        return {name: _table(self.db, name).count for name in self.db.table_names()}

    def _query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        """Run a SELECT; return its rows as dicts, fetched as they are iterated.

        What sqlite-utils' `query` returns, without the savepoint it wraps around every
        statement (three statements for each read, and a commit outside a transaction):
        a no-change cycle reads four rows a source.
        """
        cursor = self.conn.execute(sql, params)
        keys = dedupe_keys(d[0] for d in cursor.description)
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def _one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        for row in self._query(sql, params):
            return row
        return None

    def _upsert(self, table: str, row: Mapping[str, Any]) -> None:
        """Insert a row, or set these columns of the row with its key (the first column).

        What sqlite-utils' `upsert` does, without reading the schema on every call.
        """
        names = list(row)
        columns = ", ".join(f"[{name}]" for name in names)
        marks = ", ".join("?" for _ in names)
        update = ", ".join(f"[{name}] = excluded.[{name}]" for name in names[1:])
        self._execute(
            f"insert into [{table}] ({columns}) values ({marks})"
            f" on conflict ([{names[0]}]) do update set {update}",
            list(row.values()),
        )

    def _present(self, table: str, column: str, values: Iterable[Any]) -> set[Any]:
        """Return which of some values a column holds (one query per 500 values)."""
        wanted = sorted(set(values))
        found: set[Any] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            found.update(
                row[0]
                for row in self._execute(
                    f"select {column} from {table} where {column} in ({marks})", chunk
                )
            )
        return found

    def _insert_many(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Insert rows of values in the order of `columns`, with one statement."""
        if rows:
            names = ", ".join(f"[{c}]" for c in columns)
            marks = ", ".join("?" for _ in columns)
            self._executemany(f"insert into [{table}] ({names}) values ({marks})", rows)

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for many rows; committed at once outside a transaction.

        (sqlite-utils' `execute` commits a write made outside a transaction; the
        connection's own `executemany` would leave one open.)
        """
        if not rows:
            return
        if self.conn.in_transaction:
            self.conn.executemany(sql, rows)
        else:
            with self.transaction():
                self.conn.executemany(sql, rows)

    def _refs(self, items: Sequence[tuple[Observation, str | None, str]]) -> dict[str, int]:
        """Return the row id of each observation by digest, adding those missing (as `_ref`).

        `items` are (observation, time, its `_obs_digest`). A missing observation is
        added once, with the time given at its first mention, in the order given.
        """
        wanted: dict[str, tuple[Observation, str | None]] = {}
        for obs, at, digest in items:
            wanted.setdefault(digest, (obs, at))
        ids = self._digest_ids(wanted)
        missing = [(digest, item) for digest, item in wanted.items() if digest not in ids]
        self._insert_many(
            "observations",
            _OBS_COLUMNS,
            [
                _obs_values(obs, role="change", observed_at=at, digest=digest)
                for digest, (obs, at) in missing
            ],
        )
        if missing:
            ids.update(self._digest_ids(digest for digest, _ in missing))
        return ids

    def _digest_ids(self, digests: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(digests))
        ids: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            ids.update(
                (row[0], int(row[1]))
                for row in self._execute(
                    f"select digest, id from observations where digest in ({marks})", chunk
                )
            )
        return ids


def snapshot(state_dir: Path, target_dir: Path) -> None:
    """Copy a state's database into another folder, consistently and without writing to it.

    SQLite's backup API reads one consistent version even while a watch cycle writes
    (a file copy of a WAL database may not); the source is opened read-only.
    """
    source = state_dir / DB_NAME
    target_dir.mkdir(parents=True, exist_ok=True)
    if not source.exists():
        return
    try:
        with (
            closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(target_dir / DB_NAME)) as dst,
        ):
            src.backup(dst)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot copy the state in {state_dir}: {exc}") from exc


@dataclass(frozen=True)
class BackupResult:
    """A finished backup: where, how large, and SQLite's verdict on the copy."""

    path: Path
    bytes: int
    integrity: str


def backup(state_dir: Path, target: Path) -> BackupResult:
    """Copy the state's database into one file with SQLite's backup API.

    The copy is one consistent version of the state even while a watch cycle writes:
    the backup reads it in one read transaction, which WAL lets a writer go on beside.
    It is written next to the target, checked (`integrity_check`) and only then
    renamed into place, so a failed backup never leaves half a file under the name;
    the copy is a single file (no write-ahead log) that opens as a state folder's
    database.
    """
    source = state_dir / DB_NAME
    if not source.is_file():
        raise UsageError(f"no state database in {state_dir}")
    if target.is_dir():
        raise UsageError(f"{target} is a folder: name the backup file")
    if not target.parent.is_dir():
        raise UsageError(f"no such folder: {target.parent}")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        with (
            closing(sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            src.execute("PRAGMA busy_timeout = 10000")
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
            verdict = str(dst.execute("PRAGMA integrity_check").fetchone()[0])
        if verdict != "ok":
            raise StoreError(f"the copy of {source} does not check out: {verdict}")
        os.replace(partial, target)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot back up the state in {state_dir}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path=target, bytes=target.stat().st_size, integrity=verdict)


def message_key(change_id: str, destination: str) -> str:
    """Return the idempotency key of one change's message to one destination."""
    return f"{destination}:{change_id}"


def text_hash(text: str) -> str:
    """Return the SHA-256 of a text, the content hash of a document read from a file."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ensure_status(value: str) -> ChangeStatus:
    """Return a stored status checked against the three the contract knows."""
    if value not in ("pending", "accepted", "rejected"):
        raise StoreError(f"unknown change status in the state: {value}")
    return cast(ChangeStatus, value)


# -- row <-> model -------------------------------------------------------------------------


def _n(value: str | None) -> str | None:
    return value or None


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _since(state: SourceState | None) -> datetime | None:
    return state.failing_since if state else None


def _figure_row(figure: Figure) -> dict[str, Any]:
    return dict(zip(FIGURE_FIELDS, _figure_values(figure), strict=True))


def _figure_values(figure: Figure) -> tuple[Any, ...]:
    values: tuple[Any, ...] = _FIGURE_GETTER(figure)
    return values


# Every name of FIGURE_FIELDS is a field of models.Figure (tests/store checks it).
_FIGURE_GETTER = operator.attrgetter(*FIGURE_FIELDS)
_FIGURE_ROW_COLUMNS = ("version_id", "extractor_version", *FIGURE_FIELDS)
_OBS_COLUMNS = (
    *FIGURE_FIELDS,
    "url",
    "published",
    "version_id",
    "role",
    "observed_at",
    "ident",
    "digest",
)
_CHANGE_COLUMNS = (
    "id",
    "kind",
    "status",
    "metric",
    "region",
    "group",
    "label",
    "unit",
    "old_id",
    "new_id",
    "delta",
    "delta_pct",
    "found_at",
    "decided_at",
)
_BULK_CHECKPOINT = 25_000  # pages of write-ahead log (100 MB) between checkpoints in a cycle
_BULK_CACHE_KB = 32_768  # the page cache while a cycle writes (SQLite's default: 2 000 kB)
_KEYS_PER_QUERY = 300  # (metric, region, group) keys bound in one query: 900 parameters


_FIGURE_NAMES = frozenset(f.name for f in fields(Figure))


def _figure_from_row(row: Mapping[str, Any]) -> Figure:
    data = {k: v for k, v in row.items() if k in _FIGURE_NAMES}
    if data.get("identity") is None:
        data.pop("identity", None)  # a figure recorded before identities were kept
    return Figure(**data)


def _obs_row(
    obs: Observation, *, role: str | None, observed_at: str | None, ident: str | None = None
) -> dict[str, Any]:
    """Return the columns of an observation row (its figure, where and when published)."""
    return dict(
        zip(
            _OBS_COLUMNS,
            _obs_values(obs, role=role, observed_at=observed_at, ident=ident),
            strict=True,
        )
    )


def _obs_values(
    obs: Observation,
    *,
    role: str | None,
    observed_at: str | None,
    ident: str | None = None,
    digest: str | None = None,
) -> tuple[Any, ...]:
    """Return an observation row's values in the order of `_OBS_COLUMNS` (`ident` and
    `digest` when the caller has them already)."""
    return (
        *_figure_values(obs.figure),
        obs.source,
        _iso(obs.published),
        obs.document_id,
        role,
        observed_at,
        ident or _obs_ident(obs),
        digest or _obs_digest(obs),
    )


def _obs_from_row(row: Mapping[str, Any]) -> Observation:
    return Observation(
        figure=_figure_from_row(row),
        source=row["url"],
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        document_id=row["version_id"],
    )


def _ref(
    db: sqlite_utils.Database, obs: Observation, *, at: str | None, role: str = "change"
) -> int:
    """Return the id of the row holding exactly this observation, adding it when missing.

    The baseline and the changes point at rows, so a row says everything the
    observation says (`digest`): two figures with one history identity (`ident`) but,
    say, another label or document version are two rows.
    """
    digest = _obs_digest(obs)
    found = db.execute("select id from observations where digest = ?", [digest]).fetchone()
    if found is not None:
        return int(found[0])
    row = _obs_row(obs, role=role, observed_at=at)
    return int(cast(int, _table(db, "observations").insert(row).last_pk))


def _change_row(change: Change, *, old_id: int | None, new_id: int) -> dict[str, Any]:
    return dict(
        zip(_CHANGE_COLUMNS, _change_values(change, old_id=old_id, new_id=new_id), strict=True)
    )


def _change_values(change: Change, *, old_id: int | None, new_id: int) -> tuple[Any, ...]:
    """Return a change row's values in the order of `_CHANGE_COLUMNS` (not yet decided)."""
    return (
        change.id,
        change.kind,
        change.status,
        change.metric,
        change.region,
        change.group,
        change.label,
        change.unit,
        old_id,
        new_id,
        change.delta,
        change.delta_pct,
        _iso(change.found_at),
        None,
    )


def _origin_row(origin: Publication | None) -> dict[str, Any]:
    if origin is None:
        return {"original_url": None, "title": None, "publisher": None, "published": None}
    return {
        # A seed without a known original page keeps its file name as its URL.
        "original_url": origin.url if "://" in origin.url else None,
        "title": origin.title,
        "publisher": origin.publisher,
        "published": _iso(origin.published),
    }


_FIGURE_FIELD_NAMES = tuple(f.name for f in fields(Figure))
# What json.dumps(..., ensure_ascii=False[, sort_keys=True]) makes, without a new encoder
# for every call: two digests of every observation recorded.
_SORTED_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
_PLAIN_JSON = json.JSONEncoder(ensure_ascii=False).encode


def _obs_dump(obs: Observation) -> str:
    figure = obs.figure
    return _SORTED_JSON(
        {
            # what dataclasses.asdict gives for a figure of plain values, without its deep copy
            "figure": {name: getattr(figure, name) for name in _FIGURE_FIELD_NAMES},
            "source": obs.source,
            "published": _iso(obs.published),
            "document_id": obs.document_id,
        }
    )


def _obs_load(text: str) -> Observation:
    data = json.loads(text)
    published = data.get("published")
    return Observation(
        figure=Figure(**data["figure"]),
        source=data["source"],
        published=date.fromisoformat(published) if published else None,
        document_id=data.get("document_id"),
    )


def _obs_digest(obs: Observation) -> str:
    return hashlib.sha1(_obs_dump(obs).encode("utf-8")).hexdigest()


def _obs_ident(obs: Observation) -> str:
    f = obs.figure
    parts = [f.metric, f.region, f.group, f.period, f.value, f.qualifier, f.quote, obs.source]
    return hashlib.sha1(_PLAIN_JSON(parts).encode("utf-8")).hexdigest()


def _with_metric(obs: Observation, metric: str) -> Observation:
    if obs.figure.metric == metric:
        return obs
    return replace(obs, figure=replace(obs.figure, metric=metric))


def _change_from_row(row: Mapping[str, Any], found: Mapping[int, Observation]) -> Change:
    return Change(
        id=row["id"],
        kind=row["kind"],
        status=ensure_status(row["status"]),
        metric=row["metric"],
        region=row["region"],
        group=row["group"],
        label=row["label"],
        unit=row["unit"],
        old=found[row["old_id"]] if row["old_id"] is not None else None,
        new=found[row["new_id"]],
        delta=row["delta"],
        delta_pct=row["delta_pct"],
        found_at=_dt(row["found_at"]),
    )


def _change_from_v3(row: Mapping[str, Any]) -> Change:
    """Return a change as the third schema stored it (JSON observations, "" for no place)."""
    return Change(
        id=row["id"],
        kind=row["kind"],
        status=ensure_status(row["status"]),
        metric=row["metric"],
        region=_n(row["region"]),
        group=_n(row["grp"]),
        label=row["label"],
        unit=row["unit"],
        old=_obs_load(row["old"]) if row["old"] else None,
        new=_obs_load(row["new"]),
        delta=row["delta"],
        delta_pct=row["delta_pct"],
        found_at=_dt(row["found_at"]),
    )


def _version_from_row(row: dict[str, Any]) -> StoredVersion:
    tables = tuple(
        Table(
            caption=t["caption"],
            header=tuple(tuple(r) for r in t["header"]),
            rows=tuple(tuple(r) for r in t["rows"]),
        )
        for t in json.loads(row["tables"] or "[]")
    )
    doc = Document(
        url=row["url"],
        text=row["text"],
        title=row["title"],
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        publisher=row["publisher"],
        tables=tables,
        content_type=row["content_type"] or "text/plain",
    )
    return StoredVersion(
        id=int(row["id"]),
        document=doc,
        source=row["source"],
        fetched_at=datetime.fromisoformat(row["fetched_at"]),
        content_hash=row["content_hash"],
    )


def _outbox_item(row: dict[str, Any], change: Change) -> OutboxItem:
    return OutboxItem(
        id=int(row["id"]),
        change=change,
        destination=row["destination"],
        message_key=row["message_key"],
        attempts=int(row["attempts"] or 0),
        last_error=row["last_error"],
    )


def _cycle(row: Mapping[str, Any]) -> CycleRecord:
    return CycleRecord(
        id=int(row["id"]),
        started_at=datetime.fromisoformat(row["started_at"]),
        finished_at=_dt(row["finished_at"]),
        seconds=row["seconds"],
        good=None if row["good"] is None else bool(row["good"]),
        sources=int(row["sources"] or 0),
        sources_failed=int(row["sources_failed"] or 0),
        documents=int(row["documents"] or 0),
        unchanged=int(row["unchanged"] or 0),
        changes=int(row["changes"] or 0),
        posted=int(row["posted"] or 0),
        errors=int(row["errors"] or 0),
        first_error=row["first_error"],
        pruned=int(row["pruned"] or 0),
        stale_since=_dt(row["stale_since"]),
    )


def _message(row: dict[str, Any]) -> StoredMessage:
    return StoredMessage(
        id=int(row["id"]),
        destination=row["destination"],
        key=row["key"],
        text=row["text"],
        plain=row["plain"],
        blocks=tuple(json.loads(row["blocks"] or "[]")),
        changes=int(row["changes"] or 0),
        attempts=int(row["attempts"] or 0),
        uncertain=bool(row["uncertain"]),
        as_text=bool(row["as_text"]),
        stuck=row["stuck_at"] is not None,
        created_at=datetime.fromisoformat(row["created_at"]),
    )
