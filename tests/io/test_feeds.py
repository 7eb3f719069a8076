"""Feeds (RSS, Atom, broken) and listing pages -> entries, from bytes only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from ifo_watch.collect.feeds import Entry, looks_like_feed, parse_feed, parse_listing
from ifo_watch.collect.fetch import Fetcher
from ifo_watch.errors import DocumentError

FIXTURES = Path(__file__).parent / "fixtures"
SOS = "https://www.socialstyrelsen.se/om-socialstyrelsen/pressrum/press/"
SKR = "https://skr.se/skr/tjanster/press/nyheter.7885.html"

FEEDS = [
    (
        "socialstyrelsen_rss.xml",
        SOS,
        [
            Entry(
                url=SOS + "hemlosheten-ligger-kvar/",
                title="Hemlösheten ligger kvar på en hög nivå",
                published=date(2024, 4, 23),
                summary="Drygt 1 800 barn bor med sina föräldrar i akuta boenden.",
            ),
            Entry(
                url=SOS + "fler-barn-orosanmals/",
                title="Fler barn orosanmäls",
                published=date(2024, 6, 5),
                summary="Antalet anmälningar om barn som far illa fortsätter att öka.",
            ),
        ],
    ),
    (
        "skr_atom.xml",
        "https://skr.se/skr/blogg/",
        [
            Entry(
                url="https://skr.se/skr/blogg/orosanmalningar.html",
                title="Orosanmälningarna kräver ett gemensamt ansvar",
                published=date(2024, 3, 12),
                summary="Skolan, polisen och socialtjänsten behöver hjälpas åt.",
            ),
            Entry(
                url="https://skr.se/skr/blogg/socialjouren.html",
                title="Socialjouren behöver byggas ut",
                published=date(2024, 2, 1),
                summary=None,
            ),
        ],
    ),
]


@pytest.mark.parametrize(("name", "base", "expected"), FEEDS, ids=[n for n, _, _ in FEEDS])
def test_feed_entries(name: str, base: str, expected: list[Entry]) -> None:
    """Links are absolute and deduplicated, summaries plain text, items without a link dropped."""
    assert parse_feed((FIXTURES / name).read_bytes(), base_url=base) == expected


def test_broken_feed_gives_what_could_be_read() -> None:
    """A bozo feed (bare '&', cut off mid-item) still yields its complete items."""
    entries = parse_feed((FIXTURES / "broken_rss.xml").read_bytes(), base_url=SOS)
    urls = [entry.url for entry in entries]
    assert urls[:2] == [
        "https://www.socialstyrelsen.se/aktuellt/familjehem/",
        "https://www.socialstyrelsen.se/aktuellt/socialjour/",
    ]
    assert entries[0].published == date(2024, 6, 10)


NOT_FEEDS = [
    ("html page", (FIXTURES / "skr_listing.html").read_bytes()),
    ("empty", b""),
    ("plain text", "Socialtjänsten tog emot 400 000 anmälningar.".encode()),
]


@pytest.mark.parametrize(("case", "content"), NOT_FEEDS, ids=[c for c, _ in NOT_FEEDS])
def test_nothing_feedlike_raises(case: str, content: bytes) -> None:
    """Only input with nothing of a feed in it is an error."""
    with pytest.raises(DocumentError, match="not a feed"):
        parse_feed(content, base_url=SOS)


SNIFF = [
    ("socialstyrelsen_rss.xml", "application/rss+xml", True),
    ("socialstyrelsen_rss.xml", "text/xml; charset=utf-8", True),
    ("skr_atom.xml", "application/xml", True),
    ("skr_atom.xml", "", True),
    ("broken_rss.xml", "text/html", True),  # mislabelled feeds exist
    ("skr_listing.html", "text/html; charset=utf-8", False),
    ("skr_listing.html", "", False),
    ("socialstyrelsen_article.html", "application/xml", False),
]


@pytest.mark.parametrize(("name", "content_type", "expected"), SNIFF)
def test_looks_like_feed(name: str, content_type: str, expected: bool) -> None:
    """Feeds are told from pages by type and by their root element."""
    assert looks_like_feed((FIXTURES / name).read_bytes(), content_type) is expected


LISTINGS = [
    (
        None,
        [
            (
                "https://skr.se/skr/tjanster/press/nyheter/2024/socialjour.1234.html",
                date(2024, 4, 2),
            ),
            ("https://skr.se/skr/tjanster/press/nyheter/2024/bistand.1235.html", date(2024, 2, 5)),
        ],
    ),
    (
        "li.sv-news-item h2",
        [
            (
                "https://skr.se/skr/tjanster/press/nyheter/2024/socialjour.1234.html",
                date(2024, 4, 2),
            ),
            ("https://skr.se/skr/tjanster/press/nyheter/2024/bistand.1235.html", date(2024, 2, 5)),
            ("https://www.regeringen.se/pressmeddelanden/2024/ny-socialtjanstlag/", None),
        ],
    ),
]


@pytest.mark.parametrize(("selector", "expected"), LISTINGS, ids=["guessed", "selector"])
def test_listing_links_in_page_order(
    selector: str | None, expected: list[tuple[str, date | None]]
) -> None:
    """Article links: absolute, deduplicated, in page order; menus, mail, images left out.

    Without a selector, only same-site links with a title-like text in the main
    part count; with one, the selected items are trusted (even off-site).
    """
    entries = parse_listing(
        (FIXTURES / "skr_listing.html").read_bytes(), base_url=SKR, link_selector=selector
    )
    assert [(entry.url, entry.published) for entry in entries] == expected
    assert entries[0].title == "Allt fler kommuner har socialjour dygnet runt"
    assert entries[0].summary == "Öppna jämförelser visar att tillgången har ökat."


def test_invalid_link_selector_is_a_document_error() -> None:
    """A broken CSS selector from a sources file is reported, not a crash."""
    with pytest.raises(DocumentError, match="invalid link_selector"):
        parse_listing(b"<html></html>", base_url=SKR, link_selector="li[")


def test_fetched_feed_resolves_against_the_served_url(httpserver: HTTPServer) -> None:
    """A feed fetched from a server parses from the response bytes, relative links included."""
    httpserver.expect_request("/press/rss").respond_with_data(
        (FIXTURES / "socialstyrelsen_rss.xml").read_bytes(), content_type="application/rss+xml"
    )
    with Fetcher(backoff=0) as fetcher:
        fetched = fetcher.get(httpserver.url_for("/press/rss"))
    assert looks_like_feed(fetched.content, fetched.content_type)
    entries = parse_feed(fetched.content, base_url=fetched.url)
    assert entries[1].url == httpserver.url_for(
        "/om-socialstyrelsen/pressrum/press/fler-barn-orosanmals/"
    )


def test_listing_without_headings_takes_title_like_links() -> None:
    """With no titles in headings, every same-site link with a title-like text counts."""
    html = (
        "<main><ul>"
        "<li><a href='/a/orosanmalningar.html'>Fler orosanmälningar om barn</a> 2024-05-14</li>"
        "<li><a href='/a/socialjour.html'>Socialjour dygnet runt i fler kommuner</a></li>"
        "<li><a href='/a/kort.html'>Mer</a></li>"
        "</ul></main>"
    ).encode()
    entries = parse_listing(html, base_url="https://www.socialstyrelsen.se/aktuellt/")
    assert [(e.url, e.published) for e in entries] == [
        ("https://www.socialstyrelsen.se/a/orosanmalningar.html", date(2024, 5, 14)),
        ("https://www.socialstyrelsen.se/a/socialjour.html", None),
    ]


def test_listing_takes_www_and_bare_host_as_one_site() -> None:
    """skr.se and www.skr.se are the same site; a long page part gives no item date."""
    html = (
        "<main><p>Uppdaterad 2020-01-01. " + "Lång inledning om nyheterna. " * 60 + "</p>"
        "<a href='https://www.skr.se/a/socialjour.html'>Socialjour dygnet runt i fler kommuner</a>"
        "</main>"
    ).encode()
    entries = parse_listing(html, base_url="https://skr.se/nyheter.html")
    assert [(e.url, e.published, e.summary) for e in entries] == [
        ("https://www.skr.se/a/socialjour.html", None, None)
    ]
