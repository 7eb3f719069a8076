"""Main-text cleaning of Socialstyrelsen- and SKR-like pages, tables, and encodings."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from ifo_watch.collect.fetch import Fetcher
from ifo_watch.collect.text import decode, html_to_document
from ifo_watch.models import Table

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = sorted(path.name for path in FIXTURES.glob("*.expected.json"))


def _expected(name: str) -> dict[str, object]:
    return dict(json.loads((FIXTURES / name).read_text(encoding="utf-8")))


@pytest.mark.parametrize("expected_name", PAGES)
def test_page_main_text_blocks(expected_name: str) -> None:
    """Headings, paragraphs and list items come out one per line, in order, nothing else."""
    expected = _expected(expected_name)
    page = FIXTURES / expected_name.replace(".expected.json", ".html")
    doc = html_to_document(page.read_bytes(), url=f"https://example.se/{page.name}")
    assert doc.text.split("\n\n") == expected["blocks"]
    assert doc.title == expected["title"]
    assert doc.published == date.fromisoformat(str(expected["published"]))


@pytest.mark.parametrize("expected_name", PAGES)
def test_page_furniture_is_dropped(expected_name: str) -> None:
    """Markers planted in nav, cookie banner, breadcrumbs, side columns, forms, footer are gone."""
    page = FIXTURES / expected_name.replace(".expected.json", ".html")
    raw = page.read_text(encoding="utf-8")
    doc = html_to_document(page.read_bytes(), url="https://example.se/")
    assert "SKA-BORT" in raw
    assert "SKA-BORT" not in doc.text
    assert "window.dataLayer" not in doc.text


@pytest.mark.parametrize("expected_name", PAGES)
def test_tables_are_extracted_not_flattened(expected_name: str) -> None:
    """HTML tables become Table objects and their cells stay out of the prose."""
    expected = _expected(expected_name)
    page = FIXTURES / expected_name.replace(".expected.json", ".html")
    doc = html_to_document(page.read_bytes(), url="https://example.se/")
    tables = [
        Table(
            caption=table["caption"],
            header=tuple(tuple(row) for row in table["header"]),
            rows=tuple(tuple(row) for row in table["rows"]),
        )
        for table in expected["tables"]  # type: ignore[attr-defined]
    ]
    assert list(doc.tables) == tables
    for table in doc.tables:
        for row in table.rows:
            assert " ".join(row) not in doc.text


def test_table_without_thead_uses_leading_th_row_as_header() -> None:
    """A first row of <th> cells is the header; a row-header <th> in the body stays a cell."""
    html = (
        "<main><table><tr><th>Län</th><th>Andel</th></tr>"
        "<tr><th>Jämtlands län</th><td>25</td></tr>"
        "<tr><th>Västmanlands län</th><td>100</td></tr></table></main>"
    ).encode()
    doc = html_to_document(html, url="https://example.se/")
    assert doc.tables == (
        Table(
            caption=None,
            header=(("Län", "Andel"),),
            rows=(("Jämtlands län", "25"), ("Västmanlands län", "100")),
        ),
    )


@pytest.mark.parametrize(
    ("above", "caption"),
    [
        ("<h3>Tabell 1. Anmälningar per 1 000 barn efter ålder, 2023</h3>",
         "Tabell 1. Anmälningar per 1 000 barn efter ålder, 2023"),
        ("<p><strong>Tabell 2.</strong> Hushåll med bistånd, antal</p>",
         "Tabell 2. Hushåll med bistånd, antal"),
        ("<p>Så här har antalet utvecklats.</p>", None),
        ('<p class="unit">Löpande priser, miljoner kronor</p>', "Löpande priser, miljoner kronor"),
        ("<p>Belopp i tkr</p>", "Belopp i tkr"),
        ("<p>Kostnaderna ökade med 3 procent och uppgick till 43 miljoner kronor i fjol.</p>",
         None),
    ],
)  # fmt: skip
def test_a_table_without_caption_takes_the_title_above_it(above: str, caption: str | None) -> None:
    """A heading, a "Tabell N." line or a short unit line right above a captionless table
    is its caption; an ordinary paragraph is not."""
    html = (
        f"<main><p>Text.</p>{above}<table><tr><th>Ålder</th><th>Antal</th></tr>"
        "<tr><td>0–5 år</td><td>147</td></tr></table></main>"
    ).encode()
    (table,) = html_to_document(html, url="https://example.se/").tables
    assert table.caption == caption


def test_layout_table_is_prose_and_its_data_table_a_table() -> None:
    """A presentation table is not data; the real table nested in it is extracted once."""
    html = (
        "<body><table role='presentation'><tr><td><h1>R</h1><p>Text.</p>"
        "<table><tr><th>År</th><th>Antal</th></tr><tr><td>2023</td><td>401 000</td></tr>"
        "</table></td></tr></table></body>"
    ).encode()
    doc = html_to_document(html, url="https://example.se/")
    assert doc.tables == (
        Table(caption=None, header=(("År", "Antal"),), rows=(("2023", "401 000"),)),
    )


def test_content_selector_narrows_the_main_text() -> None:
    """A per-source selector picks the article body out of a larger main."""
    html = (
        "<main><div class='teaser'><p>Annat innehåll</p></div>"
        "<div class='article-body'><h1>Rubrik</h1><p>Brödtext om socialtjänsten.</p></div></main>"
    ).encode()
    doc = html_to_document(html, url="https://example.se/", content_selector=".article-body")
    assert doc.text == "Rubrik\n\nBrödtext om socialtjänsten."


def test_invalid_content_selector_falls_back_to_main() -> None:
    """A broken selector does not lose the page: the generic cleaner takes over."""
    html = "<body><nav>Meny</nav><main><p>Brödtext.</p></main></body>".encode()
    doc = html_to_document(html, url="https://example.se/", content_selector="div[")
    assert doc.text == "Brödtext."


CLEANING = [
    (
        "widget heading at the end of the body keeps the body",
        "<main><h1>T</h1><div class='body'><p>Ett.</p><p>Två.</p>"
        "<h2>Läs mer</h2><ul><li>Länk</li></ul></div></main>",
        "T\n\nEtt.\n\nTvå.",
    ),
    (
        "wrapper named like a sidebar that holds the h1 is content",
        "<body><div class='page page--with-sidebar'><h1>Rubrik</h1><p>Text.</p>"
        "<div class='sidebar'><p>Sido</p></div></div></body>",
        "Rubrik\n\nText.",
    ),
    (
        "hidden and aria-hidden parts are dropped",
        "<main><p>Synlig.</p><p hidden>Dold.</p><div aria-hidden='true'>Dold.</div>"
        "<div style='display: none'>Dold.</div></main>",
        "Synlig.",
    ),
    (
        "inline markup stays inside its block, line breaks split blocks",
        "<main><p>Drygt <strong>50&nbsp;000</strong> barn<br>Telefon: 075-247 30 00</p></main>",
        "Drygt 50\u00a0000 barn\n\nTelefon: 075-247 30 00",
    ),
    (
        "a layout table keeps its prose; the data table inside it is taken out",
        "<body><table role='presentation'><tr><td><h1>R</h1><p>Text.</p>"
        "<table><tr><th>År</th><th>Antal</th></tr><tr><td>2023</td><td>401 000</td></tr>"
        "</table></td></tr></table></body>",
        "R\n\nText.",
    ),
    (
        "a related article's time is not the page's date; the stamp is",
        "<main><p>Publicerad 2 april 2024</p><p>Text.</p><aside class='related'>"
        "<time datetime='2019-12-12'>12 dec 2019</time></aside></main>",
        "Publicerad 2 april 2024\n\nText.",
    ),
    (
        "a fact box in an aside is the article's; a contact box in one is not",
        "<main><p>Text.</p><aside class='fakta'><h3>Fakta</h3><p>Enkäten gick till 4 600 "
        "medlemmar.</p></aside><aside class='contact'><p>Presstjänst 075-247 30 00</p>"
        "</aside></main>",
        "Text.\n\nFakta\n\nEnkäten gick till 4 600 medlemmar.",
    ),
    (
        "no main element: body without header, nav and footer",
        "<body><header><a>Logga</a></header><nav>Meny</nav><h1>R</h1><p>Text.</p>"
        "<footer>Sidfot</footer></body>",
        "R\n\nText.",
    ),
]


@pytest.mark.parametrize(("case", "html", "text"), CLEANING, ids=[c for c, _, _ in CLEANING])
def test_cleaning_rules(case: str, html: str, text: str) -> None:
    """Edge cases of the generic cleaner, as input and expected main text."""
    assert html_to_document(html.encode(), url="https://example.se/").text == text


def test_table_spans_are_expanded_to_a_grid() -> None:
    """colspan and rowspan repeat a cell in every slot it covers."""
    html = (
        "<main><table><thead><tr><th rowspan=2>Län</th><th colspan=2>Andel (procent)</th></tr>"
        "<tr><th>2022</th><th>2023</th></tr></thead><tbody>"
        "<tr><td rowspan=2>Jämtlands län</td><td>25</td><td>50</td></tr>"
        "<tr><td>26</td><td>51</td></tr></tbody></table></main>"
    ).encode()
    (table,) = html_to_document(html, url="https://example.se/").tables
    assert table.header == (("Län", "Andel (procent)", "Andel (procent)"), ("Län", "2022", "2023"))
    assert table.rows == (("Jämtlands län", "25", "50"), ("Jämtlands län", "26", "51"))


PUBLISHED = [
    ('<meta property="article:published_time" content="2024-03-28T09:00:00+01:00">', "2024-03-28"),
    ('<main><time datetime="2023-11-02">2 nov</time><p>Text.</p></main>', "2023-11-02"),
    ("<main><p>Publicerad 18 apr 2023</p><p>Text.</p></main>", "2023-04-18"),
    ("<main><p>Artikelnummer: 2023-3-8462|Publicerad: 2023-03-31</p></main>", "2023-03-31"),
    ("<main><p>Under 2018 gjordes 331 000 anmälningar den 1 november 2018.</p></main>", None),
    (
        "<main><p>Publicerad 2 april 2024</p><aside class='related'>"
        "<time datetime='2019-12-12'>12 dec 2019</time></aside></main>",
        "2024-04-02",
    ),
]


@pytest.mark.parametrize(("html", "expected"), PUBLISHED)
def test_published_date_sources(html: str, expected: str | None) -> None:
    """Meta, <time> and a 'Publicerad' line give the date; a date in the prose does not."""
    doc = html_to_document(html.encode(), url="https://example.se/")
    assert doc.published == (date.fromisoformat(expected) if expected else None)


TEXT = "Socialtjänsten i Västerås: 47 procent – närmare 56 000 barn"
ENCODINGS = [
    (
        "latin-1 declared in header",
        TEXT.replace("–", "-").encode("latin-1"),
        "text/html; charset=ISO-8859-1",
    ),
    (
        "latin-1 declared in meta",
        b'<meta charset="iso-8859-1">' + TEXT.replace("–", "-").encode("latin-1"),
        "text/html",
    ),
    ("cp1252 dash declared as latin-1", TEXT.encode("cp1252"), "text/html; charset=iso-8859-1"),
    ("utf-8 declared as latin-1", TEXT.encode("utf-8"), "text/html; charset=iso-8859-1"),
    ("utf-8 with meta latin-1", b'<meta charset="iso-8859-1">' + TEXT.encode(), "text/html"),
    ("utf-8 with BOM, no declaration", b"\xef\xbb\xbf" + TEXT.encode("utf-8"), ""),
    ("utf-16 with BOM", TEXT.encode("utf-16"), "text/html"),
    ("latin-1 undeclared", TEXT.replace("–", "-").encode("latin-1"), ""),
    ("unknown charset label", TEXT.encode("utf-8"), "text/html; charset=x-nonsense"),
]


@pytest.mark.parametrize(
    ("case", "content", "content_type"), ENCODINGS, ids=[case for case, _, _ in ENCODINGS]
)
def test_decode_gives_no_mojibake(case: str, content: bytes, content_type: str) -> None:
    """Whatever the declaration says, Swedish letters come out right."""
    text = decode(content, content_type)
    assert "Västerås" in text
    assert "Ã" not in text and "\ufffd" not in text


def test_latin1_page_becomes_clean_text() -> None:
    """A real ISO-8859-1 page declared in its meta tag reads correctly end to end."""
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        "</head><body><main><h1>Ekonomiskt bistånd</h1>"
        "<p>Över 50 000 barn i Jönköping och Malmö.</p></main></body></html>"
    ).encode("latin-1")
    doc = html_to_document(html, url="https://example.se/", content_type="text/html")
    assert doc.text == "Ekonomiskt bistånd\n\nÖver 50 000 barn i Jönköping och Malmö."


def test_five_megabyte_page_is_fetched_and_cleaned(httpserver: HTTPServer) -> None:
    """A 5 MB page passes the default 20 MB cap and cleans in reasonable time."""
    paragraph = (
        "<p>Antalet orosanmälningar om barn var {i} under året enligt kommunens statistik.</p>"
    )
    body = "".join(paragraph.format(i=i) for i in range(60_000))
    html = f"<html><body><nav>Meny</nav><main><h1>Stor sida</h1>{body}</main></body></html>"
    content = html.encode("utf-8")
    assert len(content) > 5_000_000
    httpserver.expect_request("/stor").respond_with_data(content, content_type="text/html")
    with Fetcher(backoff=0) as fetcher:
        fetched = fetcher.get(httpserver.url_for("/stor"))
    start = time.monotonic()
    doc = html_to_document(fetched.content, url=fetched.url, content_type=fetched.content_type)
    elapsed = time.monotonic() - start
    blocks = doc.text.split("\n\n")
    assert len(blocks) == 60_001
    assert blocks[-1].startswith("Antalet orosanmälningar om barn var 59999")
    assert elapsed < 60  # generous guard against quadratic cleaning


@pytest.mark.parametrize(
    ("title", "publisher"),
    [
        ("Placeringskostnaderna ökar - Hultsfreds kommun", "Hultsfreds kommun"),
        ("Statistik om hemlöshet | Socialstyrelsen", "Socialstyrelsen"),
        ("Placeringskostnaderna ökar", None),
    ],
)
def test_page_without_a_source_names_its_publisher_in_its_title(
    title: str, publisher: str | None
) -> None:
    """A page read without a source takes its publisher from its <title>'s site part."""
    html = f"<html><head><title>{title}</title></head><body><main><p>Text.</p></main></body></html>"
    doc = html_to_document(html.encode(), url="https://example.org/a")
    assert doc.publisher == publisher


def test_escape_sequences_and_control_characters_leave_the_text() -> None:
    """A page's terminal escapes ("\\x1b]0;hacked\\x07") are no text, and their digits no
    figures."""
    page = (
        "<html><head><title>Orosanmälningar</title></head><body>"
        "<h1>Orosanmälningar &#x1b;]0;hacked&#x7; &#x1b;[2Jökar</h1>"
        "<p>Under 2023 kom 402 000 orosanmälningar in&#x8;.</p></body></html>"
    ).encode()
    doc = html_to_document(page, url="https://example.se/a")
    assert "\x1b" not in doc.text and "\x07" not in doc.text and "\x08" not in doc.text
    assert "hacked" not in doc.text and "]0;" not in doc.text
    assert "402 000" in doc.text
