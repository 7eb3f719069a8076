"""Review: ids by prefix, clear errors, the contract's ordering, and the history series."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from ifo_watch.errors import UsageError
from ifo_watch.models import Document, Figure
from ifo_watch.track import baseline, diff
from ifo_watch.track.store import Store

T0 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
NONE = diff.EmptyCatalog()


def _fig(metric: str, label: str, value: float, period: str | None, **kw: object) -> Figure:
    return Figure(  # type: ignore[arg-type]
        metric=metric,
        label=label,
        value=value,
        unit="antal",
        quote=f"{value:g}",
        sentence="",
        period=period,
        **kw,
    )


SEED = [
    _fig("orosanmalningar", "Orosanmälningar om barn", 331000, "2018"),
    _fig("barn_hvb", "Barn i HVB", 6900, "2022"),
    _fig("barn_hvb", "Barn i HVB", 1100, "2022", region="Västra Götalands län"),
    _fig("barn_hvb", "Barn i HVB", 900, "2022", region="Skåne län"),
    _fig("andel_kommuner_socialjour", "Andel kommuner med socialjour", 62, "2012"),
]
NEWS = [
    _fig("orosanmalningar", "Orosanmälningar om barn", 422000, "2021"),
    _fig("barn_hvb", "Barn i HVB", 7200, "2023"),
    _fig("barn_hvb", "Barn i HVB", 1200, "2023", region="Västra Götalands län"),
    _fig("barn_hvb", "Barn i HVB", 950, "2023", region="Skåne län"),
    _fig("andel_kommuner_socialjour", "Andel kommuner med socialjour", 78, "2024"),
]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path)
    seed_doc = Document(url="seeds/s.txt", text="s", published=date(2023, 1, 1))
    baseline.seed(store, [(seed_doc, SEED)], now=T0, extractor_version="1", catalog=NONE)
    news = Document(url="https://example.se/news", text="n", published=date(2024, 6, 1))
    found = baseline.ingest(
        store, news, NEWS, source="s", now=T0, extractor_version="1", catalog=NONE
    )
    assert len(found) == 5
    return store


def test_pending_in_contract_order(store: Store) -> None:
    """Pending changes come by label (Swedish order), then region (None first), then group."""
    got = [(c.label, c.region) for c in baseline.pending(store)]
    assert got == [
        ("Andel kommuner med socialjour", None),
        ("Barn i HVB", None),
        ("Barn i HVB", "Skåne län"),
        ("Barn i HVB", "Västra Götalands län"),
        ("Orosanmälningar om barn", None),
    ]


def test_accept_by_prefix(store: Store) -> None:
    """A unique id prefix names a change; accepting moves only its key's baseline."""
    target = next(c for c in baseline.pending(store) if c.metric == "orosanmalningar")
    (done,) = baseline.accept(store, [(target.id or "")[:5]], now=T0, catalog=NONE)
    assert done.id == target.id and done.status == "accepted"
    assert store.baseline()[("orosanmalningar", None, None)].figure.value == 422000
    assert store.baseline()[("barn_hvb", None, None)].figure.value == 6900
    assert len(baseline.pending(store)) == 4


@pytest.mark.parametrize(
    ("ids", "message"),
    [(["ffffffffff"], "no change with id"), ([""], "ambiguous")],
)
def test_bad_ids_are_usage_errors(store: Store, ids: list[str], message: str) -> None:
    """An unknown or ambiguous id is a usage error and changes nothing."""
    before = store.changes()
    with pytest.raises(UsageError, match=message):
        baseline.accept(store, ids, now=T0, catalog=NONE)
    assert store.changes() == before


def test_decided_changes_cannot_be_decided_again(store: Store) -> None:
    """A rejected change cannot then be accepted (nor rejected twice)."""
    first = baseline.pending(store)[0].id or ""
    baseline.reject(store, [first], now=T0)
    with pytest.raises(UsageError, match="already rejected"):
        baseline.accept(store, [first], now=T0, catalog=NONE)
    with pytest.raises(UsageError, match="already rejected"):
        baseline.reject(store, [first], now=T0)


def test_accept_all_and_reject_all(store: Store) -> None:
    """None means every pending change."""
    assert len(baseline.reject(store, None, now=T0)) == 5
    assert baseline.pending(store) == []
    assert baseline.accept(store, None, now=T0, catalog=NONE) == []


def test_history_is_a_series(store: Store) -> None:
    """history gives one key's observations from every document, oldest period first."""
    later = Document(url="https://example.se/arkiv", text="a", published=date(2024, 7, 1))
    baseline.ingest(
        store,
        later,
        [_fig("barn_hvb", "Barn i HVB", 6500, "2019")],
        source="s",
        now=T0 + timedelta(hours=1),
        extractor_version="1",
        catalog=NONE,
    )
    series = baseline.history(store, "barn_hvb", catalog=NONE)
    assert [(o.figure.period, o.figure.value) for o in series] == [
        ("2019", 6500),
        ("2022", 6900),
        ("2023", 7200),
    ]
    skane = baseline.history(store, "barn_hvb", region="Skåne län", catalog=NONE)
    assert [o.figure.value for o in skane] == [900, 950]
