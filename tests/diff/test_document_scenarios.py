"""Document-level scenarios: real seeds and documents written for the test, the real extractor.

Each case in documents/cases/ names its baseline (project seeds and/or documents given
inline), then steps that ingest or compare a new document given as HTML or text; the
changes each step gives are checked exactly, and the quotes listed as silent must give
none. documents/restated/ holds every seed restated in a new layout with a new date.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from scenario_support import HERE, check_changes

from ifo_watch.collect import documents
from ifo_watch.extract import figures
from ifo_watch.extract.catalog import Catalog
from ifo_watch.models import Change, Document, Fetched, Figure
from ifo_watch.resources import seeds_dir
from ifo_watch.track import baseline
from ifo_watch.track.store import Store

CASES = sorted((HERE / "documents" / "cases").glob("*.toml"))
RESTATED = sorted((HERE / "documents" / "restated").iterdir())
SEEDS = sorted(p for p in seeds_dir().iterdir() if p.suffix == ".txt")
T0 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def _seed_doc(path: Path) -> Document:
    # The CLI records a seed under its path in the project, as the contract's example shows.
    return replace(documents.load(str(path)), url=f"seeds/{path.name}")


def _from_text(url: str, body: str, kind: str) -> Document:
    ctype = "text/html; charset=utf-8" if kind == "html" else "text/plain; charset=utf-8"
    fetched = Fetched(url=url, content=body.encode("utf-8"), content_type=ctype, fetched_at=T0)
    return documents.from_fetched(fetched)


def _extract(doc: Document, catalog: Catalog) -> list[Figure]:
    return figures.extract(doc, catalog=catalog)


def _seeded(tmp_path: Path, catalog: Catalog, seeds: list[Path], inline: list[Document]) -> Store:
    store = Store.open(tmp_path / "state")
    docs = [_seed_doc(p) for p in seeds] + inline
    baseline.seed(
        store,
        [(d, _extract(d, catalog)) for d in docs],
        now=T0,
        extractor_version=figures.EXTRACTOR_VERSION,
        catalog=catalog,
    )
    return store


def _run_step(store: Store, step: dict[str, Any], catalog: Catalog, now: datetime) -> list[Change]:
    doc = _from_text(step["url"], step["text"], step.get("format", "html"))
    found = _extract(doc, catalog)
    if step["do"] == "compare":
        return baseline.compare(store, doc, found, catalog=catalog)
    return baseline.ingest(
        store,
        doc,
        found,
        source="scenario",
        now=now,
        extractor_version=figures.EXTRACTOR_VERSION,
        catalog=catalog,
        **step.get("settings", {}),
    )


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_document_case(
    path: Path, tmp_path: Path, catalog: Catalog, request: pytest.FixtureRequest
) -> None:
    """A new document against its baseline gives exactly the expected changes."""
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    if "xfail" in case:
        # A known gap of the extractor, not of change detection: strict, so a fix shows.
        request.applymarker(pytest.mark.xfail(reason=case["xfail"], strict=True))
    seeds = [seeds_dir() / name for name in case.get("seeds", [])]
    inline = [
        _from_text(b["url"], b["text"], b.get("format", "html")) for b in case.get("base", [])
    ]
    store = _seeded(tmp_path, catalog, seeds, inline)
    for i, step in enumerate(case["step"], start=1):
        where = f"{path.stem} step {i}"
        got = _run_step(store, step, catalog, T0 + timedelta(hours=i))
        check_changes(got, step.get("expect", []), where=where)
        quotes = {c.new.figure.quote for c in got}
        for quote in step.get("silent", []):
            assert quote not in quotes, f"{where}: {quote!r} should be silent"
        if "pending" in step:
            assert len(baseline.pending(store)) == step["pending"], where
    store.close()


@pytest.mark.parametrize("path", RESTATED, ids=lambda p: p.stem)
def test_restated_seed_gives_no_change(path: Path, tmp_path: Path, catalog: Catalog) -> None:
    """Each seed restated in a new layout with a new date gives zero changes."""
    store = _seeded(tmp_path, catalog, SEEDS, [])
    doc = replace(documents.load(str(path)), url=f"https://example.se/restated/{path.name}")
    found = _extract(doc, catalog)
    assert found, "the restated document should carry figures"
    assert baseline.compare(store, doc, found, catalog=catalog) == []
    got = baseline.ingest(
        store,
        doc,
        found,
        source="restated",
        now=T0 + timedelta(days=1),
        extractor_version=figures.EXTRACTOR_VERSION,
        catalog=catalog,
    )
    assert [c.to_json() for c in got] == []
    store.close()


def test_every_seed_is_restated() -> None:
    """There is one restated document per seed."""
    assert [p.name[:3] for p in RESTATED] == [p.name[:3] for p in SEEDS]
