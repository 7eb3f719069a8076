"""The state database: the only module that writes SQL (sqlite-utils, WAL, migrations).

Everything crosses this border as models' frozen dataclasses or the small records
below; sqlite rows stay inside. Writes that belong together are grouped by the caller
in `Store.transaction()`, which rolls back every sqlite-utils write on an exception
(`with db.conn:` would not).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple, cast

import sqlite_utils
from sqlite_utils import Migrations

from ifo_watch.errors import StoreError
from ifo_watch.models import (
    Change,
    ChangeStatus,
    Document,
    Fetched,
    Figure,
    Observation,
    Table,
)

DB_NAME = "ifo-watch.db"
Key = tuple[str, str | None, str | None]  # (metric, region, group)

migrations = Migrations("ifo_watch")


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


# -- schema ------------------------------------------------------------------------------


@migrations()
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


@migrations()
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


@migrations()
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


@migrations()
def m004_review_journal(db: sqlite_utils.Database) -> None:
    """Journal every review decision with the baseline entry it replaced, so it can be undone.

    Decisions taken before this migration have no entry: they cannot be undone.
    """
    _table(db, "decisions").create(
        {
            "id": int,
            "change_id": str,
            "action": str,
            "metric": str,
            "region": str,
            "grp": str,
            "before": str,
            "after": str,
            "decided_at": str,
            "undone_at": str,
        },
        pk="id",
        not_null={"change_id", "action", "metric", "region", "grp", "decided_at"},
    )
    _table(db, "decisions").create_index(["change_id"])


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
}


def _table(db: sqlite_utils.Database, name: str) -> sqlite_utils.db.Table:
    return db.table(name)


# -- the store ---------------------------------------------------------------------------


class Store:
    """The state database of one state folder."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    @classmethod
    def open(cls, state_dir: Path) -> Store:
        """Open (and create or migrate) the database in a state folder."""
        try:
            state_dir.mkdir(parents=True, exist_ok=True)
            db = sqlite_utils.Database(state_dir / DB_NAME)
            db.execute("PRAGMA busy_timeout = 10000")
            db.enable_wal()
            migrations.apply(db)
        except (OSError, sqlite3.DatabaseError) as exc:
            raise StoreError(f"cannot open the state in {state_dir}: {exc}") from exc
        return cls(db)

    @classmethod
    def memory(cls) -> Store:
        """Open a throw-away database in memory (tests, dry runs)."""
        db = sqlite_utils.Database(memory=True)
        migrations.apply(db)
        return cls(db)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Group writes: all of them land, or none (nested blocks use savepoints)."""
        with self.db.atomic():
            yield self

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
        version_id = int(cast(int, _table(self.db, "document_versions").insert(row).last_pk))
        documents = _table(self.db, "documents")
        if documents.count_where("url = ?", [doc.url]):
            documents.update(doc.url, {"latest_version": version_id})
        else:
            documents.insert(
                {
                    "url": doc.url,
                    "source": source,
                    "first_seen": _iso(now),
                    "latest_version": version_id,
                }
            )
        return version_id, True

    def versions(self, *, latest_only: bool = False) -> list[StoredVersion]:
        """Return stored document versions in the order they were recorded."""
        sql = "select * from document_versions"
        if latest_only:
            sql += " where id in (select latest_version from documents)"
        return [_version_from_row(row) for row in self.db.query(sql + " order by id")]

    def add_figures(
        self, version_id: int, figures: Sequence[Figure], *, extractor_version: str
    ) -> None:
        """Record every extracted figure with its version and extractor version.

        Figures of that version by that extractor version are replaced, so recording
        the same extraction twice stores it once.
        """
        self.db.execute(
            "delete from figures where version_id = ? and extractor_version = ?",
            [version_id, extractor_version],
        )
        rows = [
            {"version_id": version_id, "extractor_version": extractor_version, **_figure_row(f)}
            for f in figures
        ]
        if rows:
            _table(self.db, "figures").insert_all(rows)

    def figures(self, version_id: int, *, extractor_version: str | None = None) -> list[Figure]:
        """Return the figures recorded for a version (optionally of one extractor version)."""
        sql = "select * from figures where version_id = ?"
        params: list[Any] = [version_id]
        if extractor_version is not None:
            sql += " and extractor_version = ?"
            params.append(extractor_version)
        return [_figure_from_row(r) for r in self.db.query(sql + " order by id", params)]

    # -- observations (history) ----------------------------------------------------------

    def add_observations(
        self, observations: Iterable[Observation], *, role: str, now: datetime
    ) -> int:
        """Record observations in the history, once each; return how many were new."""
        added = 0
        table = _table(self.db, "observations")
        for obs in observations:
            metric, region, group = _key_of(obs)
            row = {
                "ident": _obs_ident(obs),
                "metric": metric,
                "region": _k(region),
                "grp": _k(group),
                "role": role,
                "observation": _obs_dump(obs),
                "version_id": obs.document_id,
                "observed_at": _iso(now),
            }
            before = self.db.conn.total_changes
            table.insert(row, ignore=True)
            added += self.db.conn.total_changes > before
        return added

    def observations(
        self, metric: str, *, region: str | None = None, group: str | None = None
    ) -> list[Observation]:
        """Return the recorded observations of one key (None is the whole country/everyone)."""
        rows = self.db.query(
            "select observation from observations where metric = ? and region = ? and grp = ?"
            " order by id",
            [metric, _k(region), _k(group)],
        )
        return [_obs_load(r["observation"]) for r in rows]

    def clear_observations(self) -> None:
        """Delete the whole history, before re-extraction records it again."""
        self.db.execute("delete from observations")

    # -- baseline ------------------------------------------------------------------------

    def has_baseline(self) -> bool:
        """Return True when the baseline holds at least one figure."""
        return self._one("select 1 as one from baseline limit 1") is not None

    def baseline(self, metrics: Iterable[str] | None = None) -> dict[Key, Observation]:
        """Return the baseline, whole or for some metrics."""
        sql = "select metric, region, grp, observation from baseline"
        params: list[Any] = []
        if metrics is not None:
            names = sorted(set(metrics))
            sql += f" where metric in ({', '.join('?' for _ in names)})"
            params = list(names)
        return {
            (r["metric"], _n(r["region"]), _n(r["grp"])): _obs_load(r["observation"])
            for r in self.db.query(sql, params)
        }

    def set_baseline(
        self, key: Key, obs: Observation, *, now: datetime, change_id: str | None = None
    ) -> None:
        """Make an observation the current figure of its (metric, region, group)."""
        metric, region, group = key
        _table(self.db, "baseline").upsert(
            {
                "metric": metric,
                "region": _k(region),
                "grp": _k(group),
                "observation": _obs_dump(_with_metric(obs, metric)),
                "set_at": _iso(now),
                "change_id": change_id,
            },
            pk=("metric", "region", "grp"),
        )

    def delete_baseline(self, key: Key) -> None:
        """Remove the baseline entry of one key."""
        metric, region, group = key
        self.db.execute(
            "delete from baseline where metric = ? and region = ? and grp = ?",
            [metric, _k(region), _k(group)],
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
        return [_change_from_row(r) for r in self.db.query(sql + " order by found_at, id", params)]

    def set_status(self, change_id: str, status: ChangeStatus, *, now: datetime) -> None:
        """Record a review decision on a change."""
        self.db.execute(
            "update changes set status = ?, decided_at = ? where id = ?",
            [status, _iso(now), change_id],
        )

    def update_change(self, change: Change) -> None:
        """Rewrite a recorded change (re-keyed after re-extraction), keeping its decision."""
        row = self._one("select decided_at from changes where id = ?", [change.id])
        self.db.execute("delete from changes where id = ?", [change.id])
        self._put_change(change)
        if row is not None and row["decided_at"]:
            self.db.execute(
                "update changes set decided_at = ? where id = ?", [row["decided_at"], change.id]
            )

    def find_change_ids(self, prefix: str) -> list[str]:
        """Return the ids of recorded changes that start with a prefix."""
        rows = self.db.query("select id from changes where id like ? order by id", [prefix + "%"])
        return [r["id"] for r in rows]

    def _put_change(self, change: Change) -> None:
        _table(self.db, "changes").insert(
            {
                "id": change.id,
                "kind": change.kind,
                "status": change.status,
                "metric": change.metric,
                "region": _k(change.region),
                "grp": _k(change.group),
                "label": change.label,
                "unit": change.unit,
                "old": _obs_dump(change.old) if change.old else None,
                "new": _obs_dump(change.new),
                "delta": change.delta,
                "delta_pct": change.delta_pct,
                "found_at": _iso(change.found_at),
                "decided_at": None,
            }
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
        before = self.db.conn.total_changes
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
        return self.db.conn.total_changes > before

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
            self.db.query(
                "select * from outbox where destination = ? and message_id is null"
                " and sent_at is null order by id",
                [destination],
            )
        )
        changes = {c.id: c for c in self.changes(ids=[r["change_id"] for r in rows])}
        return [_outbox_item(r, changes[r["change_id"]]) for r in rows if r["change_id"] in changes]

    def unsent_notices(self, destination: str) -> list[Notice]:
        """Return the notices queued for a destination and not yet in a message, oldest first."""
        rows = self.db.query(
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
            self.db.execute(
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
        return [_message(r) for r in self.db.query(sql + " order by id", params)]

    def message(self, message_id: int) -> StoredMessage:
        """Return one frozen message as it stands now."""
        row = self._one("select * from messages where id = ?", [message_id])
        if row is None:
            raise StoreError(f"no message {message_id} in the outbox")
        return _message(row)

    def waiting_destinations(self) -> list[str]:
        """Return every destination with changes, notices or messages still to deliver."""
        rows = self.db.query(
            "select destination from outbox where message_id is null and sent_at is null"
            " union select destination from notices where message_id is null and sent_at is null"
            " union select destination from messages where sent_at is null and parked_at is null"
            " order by destination"
        )
        return [r["destination"] for r in rows]

    def message_trying(self, message_id: int, *, now: datetime) -> None:
        """Record that a post starts: until its outcome is known, it may have gone through."""
        self.db.execute(
            "update messages set attempts = attempts + 1, tried_at = ?, uncertain = 1 where id = ?",
            [_iso(now), message_id],
        )

    def message_failed(
        self, message_id: int, error: str, *, uncertain: bool, now: datetime
    ) -> None:
        """Record a failed post; the message stays pending, as it was."""
        self.db.execute(
            "update messages set last_error = ?, uncertain = ? where id = ?",
            [f"{_iso(now)} {error}", int(uncertain), message_id],
        )

    def message_sent(self, message_id: int, *, now: datetime, remote_id: str | None) -> None:
        """Mark a message delivered, with the changes and notices it carries."""
        stamp = _iso(now)
        with self.transaction():
            self.db.execute(
                "update messages set sent_at = ?, remote_id = ?, uncertain = 0 where id = ?",
                [stamp, remote_id, message_id],
            )
            self.db.execute(
                "update outbox set sent_at = ?, remote_id = ? where message_id = ?",
                [stamp, remote_id, message_id],
            )
            self.db.execute(
                "update notices set sent_at = ? where message_id = ?", [stamp, message_id]
            )

    def message_as_text(self, message_id: int) -> None:
        """Send a message as plain text from now on (Slack refused its blocks for good)."""
        self.db.execute("update messages set as_text = 1 where id = ?", [message_id])

    def message_parked(self, message_id: int, error: str, *, now: datetime) -> None:
        """Set a message aside that Slack refuses for good; it stays in the state."""
        self.db.execute(
            "update messages set parked_at = ?, last_error = ?, uncertain = 0 where id = ?",
            [_iso(now), error, message_id],
        )

    def message_stuck(self, message_id: int, *, now: datetime) -> None:
        """Record that a message was reported as stuck, so that it is reported once."""
        self.db.execute("update messages set stuck_at = ? where id = ?", [_iso(now), message_id])

    def messages(self) -> list[dict[str, Any]]:
        """Return every message row as stored (for inspection and tests)."""
        return list(self.db.query("select * from messages order by id"))

    def outbox(self) -> list[dict[str, Any]]:
        """Return every outbox row as stored (for inspection and tests)."""
        return list(self.db.query("select * from outbox order by id"))

    def publications(self, version_ids: Iterable[int | None]) -> dict[int, Publication]:
        """Return the URL, title, publisher and date of stored document versions."""
        wanted = sorted({v for v in version_ids if v is not None})
        if not wanted:
            return {}
        rows = self.db.query(
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
        for row in self.db.execute("pragma database_list").fetchall():
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
        row = {
            "change_id": change_id,
            "action": action,
            "metric": metric,
            "region": _k(region),
            "grp": _k(group),
            "before": _obs_dump(_with_metric(before, metric)) if before else None,
            "after": _obs_dump(_with_metric(after, metric)) if after else None,
            "decided_at": _iso(now),
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
        return StoredDecision(
            id=int(row["id"]),
            change_id=row["change_id"],
            action=row["action"],
            key=(row["metric"], _n(row["region"]), _n(row["grp"])),
            before=_obs_load(row["before"]) if row["before"] else None,
            after=_obs_load(row["after"]) if row["after"] else None,
            decided_at=datetime.fromisoformat(row["decided_at"]),
        )

    def undo_decision(self, decision_id: int, *, now: datetime) -> None:
        """Mark a journaled decision as taken back."""
        self.db.execute("update decisions set undone_at = ? where id = ?", [_iso(now), decision_id])

    def reopen_change(self, change_id: str) -> None:
        """Make a decided change pending again (its decision was undone)."""
        self.db.execute(
            "update changes set status = 'pending', decided_at = null where id = ?", [change_id]
        )

    def baseline_entry(self, key: Key) -> tuple[Observation, str | None] | None:
        """Return the baseline observation of one key and the change that set it, if any."""
        metric, region, group = key
        row = self._one(
            "select observation, change_id from baseline where metric = ? and region = ?"
            " and grp = ?",
            [metric, _k(region), _k(group)],
        )
        if row is None:
            return None
        return _obs_load(row["observation"]), row["change_id"]

    def decided_at(self, change_ids: Iterable[str]) -> dict[str, datetime]:
        """Return when each change among some ids was last decided on, or a decision undone."""
        wanted = sorted(set(change_ids))
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        rows = [
            *self.db.query(
                f"select id, decided_at as at from changes where id in ({marks})", wanted
            ),
            *self.db.query(
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
        rows = self.db.query("select metric, count(*) as n from observations group by metric")
        return {r["metric"]: int(r["n"]) for r in rows}

    def observation_keys(self) -> list[Key]:
        """Return every (metric, region, group) the history holds figures of."""
        rows = self.db.query(
            "select distinct metric, region, grp from observations order by metric, region, grp"
        )
        return [(r["metric"], _n(r["region"]), _n(r["grp"])) for r in rows]

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
        _table(self.db, "sources").upsert(
            {
                "name": name,
                "failing_since": _iso(now) if started else _iso(_since(state)),
                "failure_count": (state.failure_count if state else 0) + 1,
                "last_error": error,
            },
            pk="name",
        )
        return started

    def source_ok(self, name: str, now: datetime) -> bool:
        """Record a good read of a source; True when it has just recovered."""
        state = self.source_state(name)
        recovered = state is not None and state.failing_since is not None
        _table(self.db, "sources").upsert(
            {
                "name": name,
                "failing_since": None,
                "failure_count": 0,
                "last_error": None,
                "last_ok": _iso(now),
            },
            pk="name",
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
        _table(self.db, "sources").upsert({"name": name, "retry": value}, pk="name")

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
        _table(self.db, "http_cache").upsert(
            {
                "url": url,
                "etag": etag,
                "last_modified": last_modified,
                "body": body,
                "checked_at": _iso(now),
            },
            pk="url",
        )

    def forget_http(self, url: str) -> None:
        """Drop a URL's validators, so that it is fetched and read in full next time."""
        self.db.execute("delete from http_cache where url = ?", [url])

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
        self, url: str, content_hash: str, *, now: datetime, extractor_version: str
    ) -> None:
        """Record that a seed document was applied."""
        _table(self.db, "seeds").insert(
            {
                "url": url,
                "content_hash": content_hash,
                "applied_at": _iso(now),
                "extractor_version": extractor_version,
            },
            ignore=True,
        )

    # -- helpers -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Return the number of rows of each table (for tests and status lines)."""
        return {name: _table(self.db, name).count for name in self.db.table_names()}

    def _one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        for row in self.db.query(sql, params):
            return row
        return None


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


def _k(value: str | None) -> str:
    # Key columns store "" for None: SQLite treats NULLs as distinct in keys.
    return "" if value is None else value


def _n(value: str | None) -> str | None:
    return value or None


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _since(state: SourceState | None) -> datetime | None:
    return state.failing_since if state else None


def _figure_row(figure: Figure) -> dict[str, Any]:
    row = asdict(figure)
    row["grp"] = row.pop("group")
    return row


def _figure_from_row(row: dict[str, Any]) -> Figure:
    names = {f.name for f in fields(Figure)}
    data = {k: v for k, v in row.items() if k in names}
    data["group"] = row["grp"]
    return Figure(**data)


def _key_of(obs: Observation) -> Key:
    f = obs.figure
    return (f.metric, f.region, f.group)


def _obs_dump(obs: Observation) -> str:
    return json.dumps(
        {
            "figure": asdict(obs.figure),
            "source": obs.source,
            "published": _iso(obs.published),
            "document_id": obs.document_id,
        },
        ensure_ascii=False,
        sort_keys=True,
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


def _obs_ident(obs: Observation) -> str:
    f = obs.figure
    parts = [f.metric, f.region, f.group, f.period, f.value, f.qualifier, f.quote, obs.source]
    return hashlib.sha1(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def _with_metric(obs: Observation, metric: str) -> Observation:
    if obs.figure.metric == metric:
        return obs
    return replace(obs, figure=replace(obs.figure, metric=metric))


def _change_from_row(row: dict[str, Any]) -> Change:
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
