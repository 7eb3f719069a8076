"""The fourth schema: a state of the third migrates without loss; keys lead from alert to page."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from ifo_watch import demo, pipeline, track
from ifo_watch.collect import Fetcher
from ifo_watch.extract import Catalog
from ifo_watch.models import Change, Figure, Observation
from ifo_watch.notify import TerminalNotifier
from ifo_watch.track.store import DB_NAME, FIGURE_FIELDS, Store

FIXTURE = Path(__file__).parent / "fixtures" / "state_m003.sql"
NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


def _old_state(folder: Path) -> sqlite3.Connection:
    """Load the dump of a state made by the third schema (fixtures/make_state_m003.py)."""
    folder.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(folder / DB_NAME)
    conn.row_factory = sqlite3.Row
    conn.executescript(FIXTURE.read_text("utf-8"))
    return conn


def _obs(text: str | None) -> Observation | None:
    """Read an observation as the third schema wrote it (JSON text)."""
    if text is None:
        return None
    data = json.loads(text)
    return Observation(
        figure=Figure(**data["figure"]),
        source=data["source"],
        published=date.fromisoformat(data["published"]) if data["published"] else None,
        document_id=data["document_id"],
    )


def _rows(conn: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(sql)]


@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[tuple[Store, dict[str, Any]]]:
    """The fixture state before (as plain rows) and after opening it with today's store."""
    conn = _old_state(tmp_path)
    before = {
        name: _rows(conn, f"select * from [{name}] order by rowid")
        for name in (
            "changes",
            "baseline",
            "observations",
            "outbox",
            "messages",
            "notices",
            "seeds",
            "sources",
            "documents",
            "document_versions",
            "figures",
            "http_cache",
        )
    }
    conn.close()
    store = Store.open(tmp_path)
    yield store, before
    store.close()


def test_changes_keep_their_ids_statuses_and_figures(
    migrated: tuple[Store, dict[str, Any]],
) -> None:
    """Every change keeps its id, kind, status, decision time and both observations, exactly."""
    store, before = migrated
    after = {c.id: c for c in store.changes()}
    assert sorted(after) == sorted(r["id"] for r in before["changes"])
    assert {r["status"] for r in before["changes"]} == {"pending", "accepted", "rejected"}
    decided = {r["id"]: r["decided_at"] for r in store.db.query("select * from changes")}
    for old in before["changes"]:
        change = after[old["id"]]
        assert change == Change(
            id=old["id"],
            kind=old["kind"],
            status=old["status"],
            metric=old["metric"],
            region=old["region"] or None,
            group=old["grp"] or None,
            label=old["label"],
            unit=old["unit"],
            old=_obs(old["old"]),
            new=_obs(old["new"]),
            delta=old["delta"],
            delta_pct=old["delta_pct"],
            found_at=datetime.fromisoformat(old["found_at"]),
        )
        assert decided[old["id"]] == old["decided_at"]
    assert [c.id for c in track.pending(store)] == [
        c.id for c in sorted(after.values(), key=track.sort_key) if c.status == "pending"
    ]


def test_baseline_and_history_are_the_same_figures(migrated: tuple[Store, dict[str, Any]]) -> None:
    """The baseline holds the same observation per key, with NULL for no place; no history row
    is lost, and each keeps its id."""
    store, before = migrated
    expected = {
        (r["metric"], r["region"] or None, r["grp"] or None): _obs(r["observation"])
        for r in before["baseline"]
    }
    assert any(region for _, region, _ in expected)  # a key with a place (Jämtlands län)
    assert store.baseline() == expected
    assert store.db.execute("select count(*) from baseline where region = ''").fetchone()[0] == 0
    changed_at = {r["change_id"] for r in before["baseline"]} - {None}
    assert {r["change_id"] for r in store.db.query("select * from baseline")} - {None} == changed_at
    rows = {r["id"]: r for r in store.db.query("select * from observations")}
    for old in before["observations"]:
        row = rows[old["id"]]
        assert (row["ident"], row["role"], row["observed_at"]) == (
            old["ident"],
            old["role"],
            old["observed_at"],
        )
        key = (old["metric"], old["region"] or None, old["grp"] or None)
        assert key == (row["metric"], row["region"], row["group"])
        assert _obs(old["observation"]) in store.observations(key[0], region=key[1], group=key[2])


def test_outbox_messages_and_notices_survive(migrated: tuple[Store, dict[str, Any]]) -> None:
    """The outbox, its frozen messages and the notices are carried over row for row, and a
    message that waits still waits with its attempts."""
    store, before = migrated
    assert store.outbox() == before["outbox"]
    assert store.messages() == before["messages"]
    assert list(store.db.query("select * from notices order by id")) == before["notices"]
    [waiting] = store.pending_messages("route:malmo")
    assert waiting.attempts == 2 and waiting.changes == 1
    assert store.waiting_destinations() == ["errors", "route:malmo"]


def test_documents_sources_and_seeds(migrated: tuple[Store, dict[str, Any]]) -> None:
    """Versions keep their text; every source named has a row; the seeds get their origin."""
    store, before = migrated
    texts = {r["id"]: r["text"] for r in store.db.query("select * from document_versions")}
    assert texts == {r["id"]: r["text"] for r in before["document_versions"]}
    names = {r["name"] for r in store.db.query("select name from sources")}
    assert names >= {r["source"] for r in before["document_versions"]} - {None}
    assert store.db.execute("select count(*) from figures").fetchone()[0] == len(before["figures"])
    seeds = {r["url"]: r for r in store.db.query("select * from seeds")}
    assert len(seeds) == 5 and all(r["version_id"] for r in seeds.values())
    first = seeds["seeds/001_575160f7dc9292e0.txt"]
    assert (first["publisher"], first["published"]) == ("Socialstyrelsen", "2023-03-31")
    assert first["original_url"].startswith("https://www.socialstyrelsen.se/om-socialstyrelsen/")
    assert seeds["seeds/004_e3b5061050b5b3ab.txt"]["original_url"] is None  # none was found


def test_keys_hold_and_the_schema_is_sound(migrated: tuple[Store, dict[str, Any]]) -> None:
    """Foreign keys are declared, hold for every row, and are enforced from now on."""
    store, _ = migrated
    assert list(store.db.execute("pragma foreign_key_check")) == []
    assert store.db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert store.db.execute("pragma foreign_keys").fetchone()[0] == 1
    declared = {
        (fk.table, fk.column, fk.other_table)
        for name in store.db.table_names()
        for fk in store.db[name].foreign_keys
    }
    assert declared >= {
        ("documents", "source", "sources"),
        ("documents", "latest_version", "document_versions"),
        ("document_versions", "url", "documents"),
        ("figures", "version_id", "document_versions"),
        ("observations", "version_id", "document_versions"),
        ("baseline", "observation_id", "observations"),
        ("baseline", "change_id", "changes"),
        ("changes", "new_id", "observations"),
        ("changes", "old_id", "observations"),
        ("outbox", "change_id", "changes"),
        ("outbox", "message_id", "messages"),
        ("seeds", "version_id", "document_versions"),
    }
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("delete from changes")


def test_every_figure_field_has_a_column() -> None:
    """A field added to Figure needs its column (and a migration), or it would be lost."""
    assert {f.name for f in fields(Figure)} <= set(FIGURE_FIELDS)


def test_values_are_stored_as_read(tmp_path: Path) -> None:
    """A value is stored as the extractor gave it; the views round it for people."""
    store = Store.open(tmp_path)
    figure = Figure(
        metric="barn",
        label="Barn",
        value=50000,
        unit="antal",
        quote="drygt 50 000",
        sentence="",
        qualifier="drygt",
        low=50000,
        high=50000 * 1.1,
        period="2021",
    )
    track.seed(store, [], now=NOW, extractor_version="t")  # nothing: only the schema
    from ifo_watch.models import Document

    doc = Document(url="https://a/b", text="drygt 50 000")
    version_id, _ = store.add_version(doc, source="s", fetched=None, now=NOW)
    store.set_baseline(
        ("barn", None, None), Observation(figure, doc.url, None, version_id), now=NOW
    )
    [row] = store.db.query("select high, region from observations")
    assert row == {"high": 50000 * 1.1, "region": None} and row["high"] != 55000
    [shown] = store.db.query("select value from series")
    assert shown == {"value": 50000}
    assert store.baseline()[("barn", None, None)].figure == figure


def _follow(db: sqlite_utils.Database, table: str, row: dict[str, Any], column: str) -> Any:
    """Return the row a column points at, by the foreign key the schema declares for it."""
    [fk] = [fk for fk in db[table].foreign_keys if fk.column == column]
    [target] = db.query(
        f"select * from [{fk.other_table}] where [{fk.other_column}] = ?", [row[column]]
    )
    return fk.other_table, target


def test_a_posted_change_leads_by_foreign_keys_to_its_page_and_quote(tmp_path: Path) -> None:
    """From a sent outbox row to the change, its new observation (quote, sentence), the page
    version that holds it, the document and its source; its old figure to the seed's origin."""
    store = Store.open(tmp_path)
    with demo.serve_demo_site() as base, Fetcher(allow_private=True) as fetcher:
        pipeline.run_cycle(
            store,
            demo.demo_sources(base),
            fetcher=fetcher,
            notifier=TerminalNotifier(),
            catalog=Catalog.load(),
            now=lambda: NOW,
        )
    db = store.db
    [outbox] = db.query(
        "select o.* from outbox o join changes c on c.id = o.change_id"
        " where c.metric = 'orosanmalningar' and o.sent_at is not null"
    )
    table, change = _follow(db, "outbox", outbox, "change_id")
    assert table == "changes" and change["status"] == "pending"
    table, new = _follow(db, "changes", change, "new_id")
    assert table == "observations" and new["quote"] in new["sentence"]
    table, version = _follow(db, "observations", new, "version_id")
    assert table == "document_versions" and new["quote"] in version["text"] + version["tables"]
    assert version["url"] == f"{base}socialstyrelsen/aktuellt/orosanmalningar-om-barn-2023/"
    table, document = _follow(db, "document_versions", version, "url")
    assert table == "documents" and document["latest_version"] == version["id"]
    table, source = _follow(db, "documents", document, "source")
    assert table == "sources" and source["name"] == version["source"]
    _, old = _follow(db, "changes", change, "old_id")
    _, old_version = _follow(db, "observations", old, "version_id")
    [seed] = db.query("select * from seeds where version_id = ?", [old_version["id"]])
    assert seed["original_url"].startswith("https://skr.se/") and seed["publisher"] == "SKR"
    [view] = db.query("select * from changes_with_pages where id = ?", [change["id"]])
    assert (view["page"], view["new_quote"], view["old_page"]) == (
        version["url"],
        new["quote"],
        seed["original_url"],
    )
    assert list(db.execute("pragma foreign_key_check")) == []
