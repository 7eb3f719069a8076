"""Property tests: the readers never crash on arbitrary input and stay fast on hostile input."""

from __future__ import annotations

import contextlib
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ifo_watch.collect.feeds import looks_like_feed, parse_feed, parse_listing
from ifo_watch.collect.text import (
    decode,
    find_published,
    html_to_document,
    parse_date,
    pdf_to_document,
)
from ifo_watch.errors import DocumentError

HTML_BITS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<table><tr><td colspan=999999>",
        "<td rowspan=0>",
        "<th>",
        "</table>",
        "<main>",
        "<nav>",
        "<h2>Relaterat</h2>",
        "<div class='cookie'>kakor Godkänn",
        "<br>",
        "<!--",
        "-->",
        "Publicerad 18 apr 2023",
        "50 000",
        "&nbsp;",
        "<time datetime='2023-02-31'>",
        "<a href='//x'>",
        "<script>",
        "å",
        "\x00",
    ]
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(HTML_BITS | st.text(max_size=20), max_size=60).map("".join))
def test_html_to_document_never_crashes(html: str) -> None:
    """Any mix of tags, text and broken markup gives a Document."""
    doc = html_to_document(html.encode("utf-8", "surrogatepass"), url="https://x/")
    assert isinstance(doc.text, str)
    assert all(len(row) >= 0 for table in doc.tables for row in table.rows)


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(["", "text/html; charset=iso-8859-1", "x"]))
def test_decode_never_raises(content: bytes, content_type: str) -> None:
    """Arbitrary bytes always decode to some text."""
    assert isinstance(decode(content, content_type), str)


@SETTINGS
@given(st.binary(max_size=2000))
def test_feed_and_listing_readers_never_crash(content: bytes) -> None:
    """Arbitrary bytes are a feed, not a feed (DocumentError), or a listing of some links."""
    looks_like_feed(content, "")
    with contextlib.suppress(DocumentError):
        parse_feed(content, base_url="https://x/")
    parse_listing(content, base_url="https://x/")


@SETTINGS
@given(st.text(max_size=300))
def test_date_readers_never_crash(text: str) -> None:
    """parse_date and find_published return a date or None for any text."""
    parse_date(text)
    find_published(text)


HOSTILE = [
    "Publicerad " * 20_000,
    "1" * 200_000,
    "2023-" * 40_000,
    "18 " * 60_000 + "apr",
    "den 6 " * 30_000,
    " " * 200_000 + "Publicerad",
    "Feb 23, " * 25_000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=[t[:12].strip() or "spaces" for t in HOSTILE])
def test_find_published_is_linear_on_hostile_text(text: str) -> None:
    """Long runs of almost-dates finish quickly (no regex backtracking blow-up)."""
    start = time.monotonic()
    find_published(text)
    parse_date(text)
    assert time.monotonic() - start < 5


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=1500))
def test_pdf_reader_fails_only_with_document_error(content: bytes) -> None:
    """Garbage that claims to be a PDF is a DocumentError, never another exception."""
    try:
        pdf_to_document(b"%PDF-1.4\n" + content, url="x.pdf")
    except DocumentError as exc:
        assert str(exc).startswith("x.pdf: ")
