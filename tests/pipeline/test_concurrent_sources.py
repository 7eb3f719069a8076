"""Sources run concurrently (as the Prefect flow runs them) find what a sequential cycle finds."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ifo_watch import demo, pipeline
from ifo_watch.collect import Fetcher
from ifo_watch.extract import Catalog
from ifo_watch.models import Source
from ifo_watch.notify import TerminalNotifier
from ifo_watch.track import Store


@pytest.fixture(scope="module")
def sources() -> Iterator[list[Source]]:
    with demo.serve_demo_site() as base:
        yield demo.demo_sources(base)


def _keys(report: pipeline.CycleReport) -> list[tuple[str, str, str, float]]:
    return sorted(
        (c.metric, c.region or "", c.group or "", c.new.figure.value) for c in report.changes
    )


def test_concurrent_sources_find_what_a_sequential_cycle_finds(
    sources: list[Source], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Same changes, same documents, one store shared by the threads."""
    catalog = Catalog.load()
    with Fetcher(backoff=0) as fetcher:
        sequential = pipeline.run_cycle(
            Store.open(tmp_path / "a"),
            sources,
            fetcher=fetcher,
            notifier=TerminalNotifier(),
            catalog=catalog,
        )
    with Fetcher(backoff=0) as fetcher, ThreadPoolExecutor(4) as pool:
        store = Store.open(tmp_path / "b", threads=True)
        cycle = pipeline.start_cycle(
            store, sources, fetcher=fetcher, catalog=catalog, concurrent=True
        )
        reports = list(pool.map(lambda source: pipeline.run_source(cycle, source), sources))
        concurrent = pipeline.finish_cycle(cycle, reports, notifier=TerminalNotifier())
    assert sequential.errors == concurrent.errors == ()
    assert _keys(concurrent) == _keys(sequential) and len(_keys(sequential)) == 12
    assert sum(s.fetched for s in concurrent.sources) == sum(s.fetched for s in sequential.sources)
    assert concurrent.posted == sequential.posted
    assert Store.open(tmp_path / "b").counts() == Store.open(tmp_path / "a").counts()


def test_a_stopped_cycle_leaves_its_sources_to_the_next(
    sources: list[Source], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After stop(), a source ends before its next document and records no health."""
    store = Store.open(tmp_path / "state")
    with Fetcher(backoff=0) as fetcher:
        cycle = pipeline.start_cycle(store, sources, fetcher=fetcher, catalog=Catalog.load())
        cycle.stop()
        report = pipeline.run_source(cycle, sources[0])
    assert report.failed and report.fetched == 0
    assert report.errors == (
        f"{sources[0].name}: stopped before the end of the source; read again next cycle",
    )
    assert store.source_state(sources[0].name) is None
    # the next cycle reads the source in full: no validators were kept for its feed
    with Fetcher(backoff=0) as fetcher:
        again = pipeline.run_cycle(
            store, sources[:1], fetcher=fetcher, notifier=TerminalNotifier(), catalog=Catalog.load()
        )
    assert again.sources[0].fetched == 3 and not again.errors
