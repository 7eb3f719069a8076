"""Two watch cycles over fixture versions of Socialstyrelsen's and SKR's sites.

The first cycle reads every kind of source (feed, listing, embedded publication list,
article, publication page with its PDF and xlsx, statistics page, blog) and extracts
every document; the second, over unchanged sites, makes only conditional requests,
every one answered 304, and parses nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixture_sites import (
    NEWS,
    NEWS_MIRRORED,
    NUMBER,
    OFF_TOPIC,
    PDF,
    PUBLICATION,
    SKR_ARTICLE,
    SKR_NEWS,
    SKR_OTHER,
    SKR_POST,
    STATISTICS,
    XLSX,
    local_sites,
    skr,
    socialstyrelsen,
    sources_toml,
)

from ifo_watch import pipeline
from ifo_watch.collect import Fetcher, load_sources
from ifo_watch.extract import Catalog
from ifo_watch.notify import TerminalNotifier
from ifo_watch.track import Store
from localsite import LocalSite, serve


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[tuple[LocalSite, LocalSite, Path]]:
    with serve() as sos, serve() as skr_site:
        socialstyrelsen(sos)
        skr(skr_site)
        path = tmp_path / "sources.toml"
        path.write_text(sources_toml(sos, skr_site), "utf-8")
        yield sos, skr_site, path


def _cycle(store: Store, sources_file: Path, catalog: Catalog) -> pipeline.CycleReport:
    with Fetcher(backoff=0) as fetcher:
        return pipeline.run_cycle(
            store,
            load_sources(sources_file),
            fetcher=fetcher,
            notifier=TerminalNotifier(),
            catalog=catalog,
            sites=local_sites(),
        )


def test_first_cycle_reads_every_kind_and_the_second_only_hears_304(
    sites: tuple[LocalSite, LocalSite, Path],
    catalog: Catalog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Cycle 1 extracts every document once; cycle 2 is all conditional 304s, no parsing."""
    sos, skr_site, sources_file = sites
    store = Store.open(tmp_path / "state")
    started = time.monotonic()
    first = _cycle(store, sources_file, catalog)
    first_seconds = time.monotonic() - started
    assert first.errors == ()
    assert all(not report.failed for report in first.sources)
    stored = {v.document.url: v for v in store.versions() if v.document.url.startswith("http")}
    sos_base, skr_base = sos.base.rstrip("/"), skr_site.base.rstrip("/")
    expected = [
        sos_base + NEWS,  # a feed entry
        sos_base + NEWS_MIRRORED,  # a feed entry on the mirror host, stored canonical
        sos_base + PUBLICATION,  # followed from the news by its artikelnummer
        sos_base + PDF,  # the publication page's main document
        sos_base + XLSX,  # and its tables
        sos_base + STATISTICS,  # a statistics page
        skr_base + SKR_NEWS,  # an SKR listing entry
        skr_base + SKR_ARTICLE,  # an SKR article of kind auto
        skr_base + SKR_POST,  # a blog post
    ]
    assert sorted(stored) == sorted(expected)
    for url in expected:
        assert store.figures(stored[url].id), f"no figures from {url}"
    assert not any(url.startswith("http://localhost") for url in stored)
    sheet = stored[sos_base + XLSX].document
    assert [table.caption for table in sheet.tables] == [
        "Tabell 1. Barn och unga med heldygnsinsatser efter län, 2023 Antal",
        "Tabell 2. Placerade barn i familjehem, andel, 2023 Procent",
    ]
    assert sheet.tables[0].header == (("Län", "Flickor", "Pojkar", "Totalt"),)
    assert sheet.tables[0].rows[-1] == ("Riket", "12 512", "14 888", "27 400")
    publication = stored[sos_base + PUBLICATION].document
    assert publication.published is not None and publication.published.isoformat() == "2024-03-28"
    # the report is read once although the news, the statistics page and the list lead to it
    assert sos.paths().count(PUBLICATION) == 1 and sos.paths().count(PDF) == 1
    assert OFF_TOPIC not in sos.paths() and SKR_OTHER not in skr_site.paths()
    # the auto source was fetched once, and read from that one answer
    assert skr_site.paths().count(SKR_ARTICLE) == 1
    assert NUMBER in PDF

    sos.clear()
    skr_site.clear()
    parsed: list[str] = []
    for name in ("read_fetched", "parse_feed", "parse_listing", "parse_embedded_list"):
        real = getattr(pipeline.collect, name)

        def spy(*args: object, _real: object = real, _name: str = name, **kwargs: object) -> object:
            parsed.append(_name)
            return _real(*args, **kwargs)  # type: ignore[operator]

        monkeypatch.setattr(pipeline.collect, name, spy)
    started = time.monotonic()
    second = _cycle(store, sources_file, catalog)
    second_seconds = time.monotonic() - started
    assert second.errors == ()
    hits = sos.hits + skr_site.hits
    assert hits, "the second cycle asked nothing"
    assert all(hit.conditional and hit.status == 304 for hit in hits), hits
    assert parsed == []
    assert all(report.fetched == 0 and not report.changes for report in second.sources)
    with capsys.disabled():
        print(
            f"\n  fixture sites: first cycle {first_seconds:.2f} s "
            f"({len(expected)} documents), unchanged cycle {second_seconds:.2f} s "
            f"({len(hits)} requests, all 304)"
        )
