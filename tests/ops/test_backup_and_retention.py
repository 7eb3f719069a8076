"""`backup` while a cycle writes, and the retention of page texts."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from ifo_watch import cli, track
from ifo_watch.errors import StoreError
from ifo_watch.extract import EXTRACTOR_VERSION, Catalog, extract_figures
from ifo_watch.models import Document, Figure
from ifo_watch.track import DB_NAME, Store

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


def _figures(n: int) -> list[Figure]:
    return [
        Figure(metric=f"m{k}", label="M", value=n * 10 + k, unit="antal", quote=str(k), sentence="")
        for k in range(5)
    ]


def _writer(state: Path, stop: threading.Event, written: list[int]) -> None:
    """Record documents, each with its five figures in one transaction, until stopped."""
    store = Store.open(state)
    n = 0
    while not stop.is_set():
        with store.transaction():
            doc = Document(url=f"https://www.socialstyrelsen.se/{n}/", text=f"text {n} " * 200)
            version_id, _ = store.add_version(doc, source="ss", fetched=None, now=NOW)
            store.add_figures(version_id, _figures(n), extractor_version="t")
        n += 1
        written.append(n)
    store.close()


def test_backup_while_a_cycle_writes(tmp_path: Path) -> None:
    """Backups taken while another connection keeps writing are each one consistent state:
    integrity ok, keys hold, every version with all its figures; the writer goes on."""
    state = tmp_path / "state"
    Store.open(state).close()
    stop, written = threading.Event(), []
    thread = threading.Thread(target=_writer, args=(state, stop, written))
    thread.start()
    try:
        seen = []
        for k in range(6):
            while len(written) < 20 * (k + 1):  # let the writer get ahead between backups
                stop.wait(0.01)
            target = tmp_path / f"backup-{k}.db"
            result = CliRunner().invoke(cli.main, ["--state", str(state), "backup", str(target)])
            assert result.exit_code == 0, result.output
            assert result.stdout.startswith(f"backed up {state} to {target}: ")
            assert result.stdout.endswith(" bytes, ok\n")
            conn = sqlite3.connect(target)
            assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
            assert conn.execute("pragma journal_mode").fetchone() == ("delete",)
            assert conn.execute("pragma foreign_key_check").fetchall() == []
            partial = conn.execute(
                "select count(*) from document_versions v where"
                " (select count(*) from figures f where f.version_id = v.id) != 5"
                " or (select latest_version from documents d where d.url = v.url) != v.id"
            ).fetchone()[0]
            assert partial == 0
            seen.append(conn.execute("select count(*) from document_versions").fetchone()[0])
            conn.close()
    finally:
        stop.set()
        thread.join()
    assert seen == sorted(seen) and seen[0] < seen[-1] < len(written)
    assert not list(tmp_path.glob(".backup-*"))  # no partial file left behind
    restored = tmp_path / "restored"
    restored.mkdir()
    (tmp_path / "backup-5.db").rename(restored / DB_NAME)
    store = Store.open(restored)
    assert store.size().versions == seen[-1]
    store.close()


def test_backup_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    """No state, a folder as the file, or a missing folder: one line each, exit 2."""

    def run(state: Path, target: Path) -> tuple[int, str]:
        result = CliRunner().invoke(cli.main, ["--state", str(state), "backup", str(target)])
        return result.exit_code, result.stderr

    assert run(tmp_path / "none", tmp_path / "b.db") == (
        2,
        f"error: no state database in {tmp_path}/none\n",
    )
    Store.open(tmp_path / "state").close()
    assert run(tmp_path / "state", tmp_path) == (
        2,
        f"error: {tmp_path} is a folder: name the backup file\n",
    )
    assert run(tmp_path / "state", tmp_path / "x" / "b.db") == (
        2,
        f"error: no such folder: {tmp_path}/x\n",
    )


def test_retention_keeps_the_latest_texts_and_every_figure(tmp_path: Path) -> None:
    """Keeping 2 texts per URL drops the text of older versions only; their rows, figures,
    observations and changes stay, and re-extraction reads what is kept."""
    store = Store.open(tmp_path)
    catalog = Catalog.load()
    ids = []
    for n, value in enumerate((331000, 350000, 380000, 402000)):
        doc = Document(
            url="https://www.socialstyrelsen.se/orosanmalningar/",
            text=f"Under {2019 + n} kom {value // 1000} 000 orosanmälningar om barn.",
        )
        figures = extract_figures(doc, catalog=catalog)
        track.ingest(
            store,
            doc,
            figures,
            source="ss",
            now=NOW + timedelta(days=n),
            extractor_version=EXTRACTOR_VERSION,
            catalog=catalog,
            auto_accept=True,
        )
        ids.append(store.last_version(doc.url))
    before = {t: store.db[t].count for t in ("figures", "observations", "changes")}
    assert store.prune_texts(2, now=NOW) == 2
    assert store.prune_texts(2, now=NOW) == 0
    kept = [
        r["text"] is not None
        for r in store.db.query("select text from document_versions order by id")
    ]
    assert kept == [False, False, True, True]
    assert {t: store.db[t].count for t in ("figures", "observations", "changes")} == before
    assert len(store.versions()) == 2
    result = track.reextract(
        store,
        lambda d: extract_figures(d, catalog=catalog),
        now=NOW,
        extractor_version=EXTRACTOR_VERSION,
        catalog=catalog,
    )
    assert result.versions == 2 and result.dropped == 0
    series = track.history(store, "orosanmalningar", catalog=catalog)
    assert [o.figure.value for o in series] == [331000, 350000, 380000, 402000]
    assert list(store.db.execute("pragma foreign_key_check")) == []
    with pytest.raises(StoreError):
        store.prune_texts(0, now=NOW)
