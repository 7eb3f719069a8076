"""The bundled demo site: served offline, with its sources, documents and 304s."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import httpx
import pytest

from ifo_watch.collect.documents import from_fetched
from ifo_watch.collect.feeds import parse_feed, parse_listing
from ifo_watch.collect.fetch import Fetcher
from ifo_watch.collect.sources import matches_include
from ifo_watch.collect.text import pdf_to_document
from ifo_watch.demo import PLACEHOLDER, demo_site_dir, demo_sources, serve_demo_site
from ifo_watch.models import Document

# What the demo cycle must find: the IFO items of each source, with a newer figure each.
EXPECTED_ITEMS = {
    "demo-socialstyrelsen-press": [
        ("socialstyrelsen/aktuellt/orosanmalningar-om-barn-2023/", "drygt 400 000 anmälningar"),
        ("socialstyrelsen/aktuellt/lagesrapport-ifo-2024/", "Närmare 56 000 barn levde 2023"),
        ("socialstyrelsen/publikationer/lagesrapport-ifo-2024.pdf", "närmare 56 000 barn"),
    ],
    "demo-skr-nyheter": [
        ("skr/nyheter/socialjour-dygnet-runt.html", "78 procent av kommunerna"),
        ("skr/nyheter/orosanmalningar-gemensamt-ansvar.html", "omkring 330 000 anmälningar"),
    ],
}


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_demo_site() as url:
        yield url


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(backoff=0, timeout=5) as client:
        yield client


def test_serves_on_localhost(base_url: str, fetcher: Fetcher) -> None:
    """The base URL is on 127.0.0.1 with a free port, and the index page answers."""
    assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/")
    got = fetcher.get(base_url)
    assert got.status == 200 and b"ifo-watch demosajt" in got.content


def test_sources_point_at_the_server(base_url: str) -> None:
    """demo_sources fills in the base URL; one feed, one listing, both filtered."""
    sources = demo_sources(base_url)
    assert [(s.name, s.kind) for s in sources] == [
        ("demo-socialstyrelsen-press", "feed"),
        ("demo-skr-nyheter", "listing"),
    ]
    assert all(s.url.startswith(base_url) and s.include for s in sources)


def _items(base_url: str, fetcher: Fetcher) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for source in demo_sources(base_url):
        fetched = fetcher.get(source.url)
        if source.kind == "feed":
            entries = parse_feed(fetched.content, base_url=fetched.url)
        else:
            entries = parse_listing(
                fetched.content, base_url=fetched.url, link_selector=source.link_selector
            )
        found[source.name] = [
            entry.url for entry in entries if matches_include(source, entry.title, entry.summary)
        ]
    return found


def test_feed_and_listing_give_the_ifo_items(base_url: str, fetcher: Fetcher) -> None:
    """The include filter keeps the IFO articles and drops cancer care and broadband."""
    expected = {
        name: [base_url + path for path, _ in items] for name, items in EXPECTED_ITEMS.items()
    }
    assert _items(base_url, fetcher) == expected


@pytest.mark.parametrize(
    ("path", "phrase"),
    [item for items in EXPECTED_ITEMS.values() for item in items],
)
def test_each_item_is_a_clean_document(
    base_url: str, fetcher: Fetcher, path: str, phrase: str
) -> None:
    """Every article reads as a Document with a date, its figure, and no page furniture."""
    doc: Document = from_fetched(fetcher.get(base_url + path))
    assert phrase in doc.text
    assert doc.published is not None and doc.title
    for furniture in ("kakor", "Upptäck mer", "Relaterat", "Hjälpte informationen", "Dela"):
        assert furniture not in doc.text
    assert PLACEHOLDER not in doc.text


def test_second_request_is_not_modified(base_url: str, fetcher: Fetcher) -> None:
    """Sending back ETag or Last-Modified gives 304 for every kind of file."""
    for path in (
        "socialstyrelsen/rss.xml",
        "skr/nyheter.html",
        EXPECTED_ITEMS["demo-socialstyrelsen-press"][2][0],
    ):
        first = fetcher.get(base_url + path)
        assert first.status == 200 and first.etag and first.last_modified
        assert fetcher.get(base_url + path, etag=first.etag).status == 304
        assert fetcher.get(base_url + path, last_modified=first.last_modified).status == 304
        assert fetcher.get(base_url + path, etag='"annan"').status == 200


@pytest.mark.parametrize(
    "path", ["finns-inte.html", "make_pdf.py", "sources.toml", "..%2f..%2fdemo.py"]
)
def test_unknown_and_private_paths_are_404(base_url: str, path: str) -> None:
    """Missing files, the generator script, the sources and traversal attempts are 404."""
    assert httpx.get(base_url + path).status_code == 404


def test_served_text_has_no_placeholder(base_url: str, fetcher: Fetcher) -> None:
    """Every {BASE} in the feed and listing is replaced by the real base URL."""
    for path in ("socialstyrelsen/rss.xml", "skr/nyheter.html", ""):
        content = fetcher.get(base_url + path).content.decode()
        assert PLACEHOLDER not in content and base_url in content


def test_committed_pdf_matches_its_generator() -> None:
    """make_pdf.py still produces the text and tables of the committed report."""
    script = demo_site_dir() / "make_pdf.py"
    spec = importlib.util.spec_from_file_location("demo_make_pdf", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = pdf_to_document(module.OUT.read_bytes(), url="committed.pdf")
    rebuilt = pdf_to_document(module.build(), url="rebuilt.pdf")
    assert (rebuilt.text, rebuilt.tables, rebuilt.title) == (
        committed.text,
        committed.tables,
        committed.title,
    )
    assert len(committed.tables) == 2
