"""A run that dies in the middle of a document leaves the state as it was before that document."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from ifo_watch.models import Document, Figure, Observation
from ifo_watch.track import baseline, diff
from ifo_watch.track.store import Store

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
SEED = Document(url="seeds/004.txt", text="331 000 anmälningar 2018", published=date(2019, 6, 20))
NEWS = Document(
    url="https://www.socialstyrelsen.se/pressrum/orosanmalningar-2023/",
    text="383 000 anmälningar 2023",
    published=date(2024, 5, 15),
)


def _fig(value: float, period: str) -> Figure:
    return Figure(
        metric="orosanmalningar_barn",
        label="Orosanmälningar om barn",
        value=value,
        unit="antal",
        quote=f"{value:,.0f}".replace(",", " "),
        sentence="",
        period=period,
    )


class Boom(RuntimeError):
    """The crash in the middle of a document."""


class ExplodingCatalog(diff.EmptyCatalog):
    """A catalog that fails when diff asks it about a metric: after the version is written."""

    def get(self, key: str) -> Any:
        raise Boom(key)


def _snapshot(store: Store) -> dict[str, list[dict[str, Any]]]:
    return {
        name: list(store.db.query(f"select * from [{name}] order by rowid"))
        for name in store.db.table_names()
    }


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path)
    baseline.seed(
        store,
        [(SEED, [_fig(331000, "2018")])],
        now=NOW,
        extractor_version="1",
        catalog=diff.EmptyCatalog(),
    )
    return store


def test_raise_inside_transaction_rolls_back_every_write(store: Store) -> None:
    """Writes of every kind inside one transaction are undone by an exception."""
    before = _snapshot(store)
    obs = Observation(_fig(383000, "2023"), NEWS.url, NEWS.published)
    with pytest.raises(Boom), store.transaction():
        vid, _ = store.add_version(NEWS, source="ss-press", fetched=None, now=NOW)
        store.add_figures(vid, [obs.figure], extractor_version="1")
        store.add_observations([obs], role="change", now=NOW)
        change = diff.make_change(("orosanmalningar_barn", None, None), obs, None)
        store.add_change(replace(change, status="pending", found_at=NOW))
        store.enqueue(change.id or "", "slack", now=NOW)
        store.set_baseline(("orosanmalningar_barn", None, None), obs, now=NOW)
        store.source_failed("ss-press", "half-way", NOW)
        raise Boom("after the writes")
    assert _snapshot(store) == before


def test_ingest_that_dies_leaves_state_as_before(store: Store, tmp_path: Path) -> None:
    """ingest failing after it recorded the version leaves nothing of that document."""
    before = _snapshot(store)
    with pytest.raises(Boom):
        baseline.ingest(
            store,
            NEWS,
            [_fig(383000, "2023")],
            source="ss-press",
            now=NOW,
            extractor_version="1",
            catalog=ExplodingCatalog(),
        )
    assert _snapshot(store) == before
    reopened = Store.open(tmp_path)
    assert _snapshot(reopened) == before
    assert reopened.last_version(NEWS.url) is None


def test_earlier_documents_stay_recorded(store: Store) -> None:
    """A crash on the second document keeps the first document's version and change."""
    first = baseline.ingest(
        store,
        NEWS,
        [_fig(383000, "2023")],
        source="ss-press",
        now=NOW,
        extractor_version="1",
        catalog=diff.EmptyCatalog(),
    )
    assert [c.kind for c in first] == ["changed"]
    after_first = _snapshot(store)
    other = replace(NEWS, url="https://www.socialstyrelsen.se/pressrum/annan/")
    with pytest.raises(Boom):
        baseline.ingest(
            store,
            other,
            [_fig(390000, "2024")],
            source="ss-press",
            now=NOW,
            extractor_version="1",
            catalog=ExplodingCatalog(),
        )
    assert _snapshot(store) == after_first
