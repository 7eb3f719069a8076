"""Recording a document reads what its decisions need, however large the state grows.

`track.ingest` compares a document with the baseline, the changes found and the history
of the document's own keys. These tests count the statements it sends to SQLite (no
timing, so a slow machine never fails them): a fixed handful of reads per document,
whatever the number of its figures and the number of changes recorded before; and a
cycle's `FoundChanges` reads each key's changes once, gives what reading them again
would give, and reads again after another connection wrote.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from ifo_watch.models import Change, Document, Figure
from ifo_watch.track import FoundChanges, diff, ingest, reject
from ifo_watch.track.store import Store

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
REGIONS = (None, "Uppsala län", "Skåne län", "Gotlands län", "Malmö", "Umeå")
QUALIFIERS = (None, None, None, "drygt", "omkring", "knappt")
CATALOG = diff.EmptyCatalog()


def _figures(rng: random.Random, count: int, *, metrics: int = 40) -> list[Figure]:
    """Figures spread over `metrics` x regions keys, some hedged, some without a period."""
    figures = []
    for offset in range(count):
        value = float(rng.choice((1000, 1100, 1200, 5000, 5200, 43, 47)) * rng.choice((1, 10)))
        period = rng.choice(("2021", "2022", "2023", "2023", None))
        figures.append(
            Figure(
                metric=f"matt_{rng.randrange(metrics):02d}",
                label="Ett mått",
                value=value,
                unit="antal",
                quote=f"{value:.0f}",
                sentence=f"Det var {value:.0f} år {period}.",
                qualifier=rng.choice(QUALIFIERS),
                period=period,
                region=rng.choice(REGIONS),
                offset=offset,
            )
        )
    return figures


def _document(number: int) -> Document:
    return Document(
        url=f"https://www.socialstyrelsen.se/sida/{number}/",
        text=f"Sida {number}",
        published=date(2024, 1, 1 + number % 28),
    )


@contextmanager
def _reads(store: Store) -> Iterator[list[str]]:
    """Collect the reading statements (select, with, pragma) sent on the store's connection."""
    seen: list[str] = []

    def trace(sql: str) -> None:
        if sql.lstrip().lower().startswith(("select", "with", "pragma")):
            seen.append(sql)

    store.db.conn.set_trace_callback(trace)
    try:
        yield seen
    finally:
        store.db.conn.set_trace_callback(None)


def _ingest(store: Store, number: int, figures: list[Figure], **kwargs: object) -> list[Change]:
    return ingest(
        store,
        _document(number),
        figures,
        source="sida",
        now=NOW,
        extractor_version="test",
        catalog=CATALOG,
        **kwargs,  # type: ignore[arg-type]
    )


def test_reads_per_document_do_not_grow_with_its_figures_or_the_state(tmp_path: Path) -> None:
    """As few reads for 250 figures as for 10, on a new state and after 60 documents."""
    store = Store.open(tmp_path)
    rng = random.Random(19)
    counts = []
    for number, size in enumerate((10, 250)):
        with _reads(store) as reads:
            _ingest(store, number, _figures(rng, size))
        counts.append(len(reads))
    for number in range(2, 62):  # many changes of the same keys before the next documents
        _ingest(store, number, _figures(rng, 120))
    assert store.counts()["changes"] > 600
    for number, size in enumerate((10, 250), start=62):
        with _reads(store) as reads:
            _ingest(store, number, _figures(rng, size))
        counts.append(len(reads))
    # A few reads of each kind of row a decision needs, whatever the document or the state.
    assert max(counts) <= 14, counts


def test_found_changes_of_a_cycle_give_what_reading_again_gives(tmp_path: Path) -> None:
    """Forty documents of overlapping keys: the same changes and rows with a cycle's memory."""
    fresh, cycle = Store.open(tmp_path / "fresh"), Store.open(tmp_path / "cycle")
    found = FoundChanges()
    rng = random.Random(7)
    documents = [_figures(rng, 60, metrics=8) for _ in range(40)]
    for number, figures in enumerate(documents):
        expected = _ingest(fresh, number, figures)
        assert _ingest(cycle, number, figures, found=found) == expected
    assert cycle.counts() == fresh.counts()
    assert [c.id for c in cycle.changes()] == [c.id for c in fresh.changes()]


def test_found_changes_are_read_once_a_cycle(tmp_path: Path) -> None:
    """A second document of the same keys reads no change rows; its own are added as recorded."""
    store = Store.open(tmp_path)
    found = FoundChanges()
    rng = random.Random(3)
    figures = _figures(rng, 80, metrics=5)
    _ingest(store, 0, figures, found=found)
    with _reads(store) as reads:
        _ingest(store, 1, [replace(f, value=f.value + 1) for f in figures], found=found)
    assert not [sql for sql in reads if "join changes" in sql], reads
    keys = {(c.metric, c.region, c.group) for c in store.changes()}
    assert sorted(c.id or "" for c in found.of(store, sorted(keys, key=str))) == sorted(
        c.id or "" for c in store.changes()
    )


def test_a_decision_taken_while_a_cycle_runs_is_seen_by_its_next_document(
    tmp_path: Path,
) -> None:
    """Another connection rejects a change: the cycle's next document reads the keys again."""
    store = Store.open(tmp_path)
    found = FoundChanges()
    figure = Figure(
        metric="orosanmalningar",
        label="Orosanmälningar",
        value=400_000,
        unit="antal",
        quote="400 000",
        sentence="400 000 anmälningar 2023.",
        period="2023",
    )
    first = _ingest(store, 0, [figure], found=found)
    assert [c.kind for c in first] == ["new"]
    other = Store.open(tmp_path)
    reject(other, [first[0].id or ""], now=NOW, catalog=CATALOG)
    other.close()
    older = replace(figure, value=380_000, period="2022")
    # A 2022 figure after a standing 2023 change is history; after a rejected one, a change.
    assert [c.kind for c in _ingest(store, 1, [older], found=found)] == ["new"]


def test_bulk_writes_make_commits_cheaper_for_the_block_only(tmp_path: Path) -> None:
    """Inside: no fsync per commit, a longer WAL, a larger cache; after: as before."""
    store = Store.open(tmp_path)

    def pragmas() -> tuple[int, ...]:
        names = ("synchronous", "wal_autocheckpoint", "cache_size")
        return tuple(int(store.db.execute(f"pragma {n}").fetchone()[0]) for n in names)

    before = pragmas()
    with store.bulk_writes():
        inside = pragmas()
        _ingest(store, 0, _figures(random.Random(1), 20))
    assert inside[0] == 1 and inside[1] >= 10_000 and inside[2] <= -32_768, inside
    assert pragmas() == before
    assert Store.open(tmp_path).counts()["figures"] == 20  # committed, seen by another


def test_writes_of_many_rows_outside_a_transaction_are_committed(tmp_path: Path) -> None:
    """Rows written outside `transaction()` (add_figures) are committed, as sqlite-utils does."""
    store = Store.open(tmp_path)
    version_id, _ = store.add_version(_document(0), source="sida", fetched=None, now=NOW)
    store.add_figures(version_id, _figures(random.Random(2), 5), extractor_version="test")
    assert not store.db.conn.in_transaction
    assert Store.open(tmp_path).counts()["figures"] == 5
