"""documents.load and from_fetched: each kind of input, and the errors for the rest."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from fpdf import FPDF
from pytest_httpserver import HTTPServer

from ifo_watch import resources
from ifo_watch.collect.documents import load
from ifo_watch.collect.fetch import Fetcher
from ifo_watch.collect.text import find_published
from ifo_watch.errors import DocumentError, FetchError

FIXTURES = Path(__file__).parent / "fixtures"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
TEXT = (
    "Socialjour i kommunerna\n\nPublicerad: 2024-04-02\n\n"
    "I dag har 78 procent av kommunerna jour.\n"
)


def _pdf() -> bytes:
    pdf = FPDF()
    pdf.set_title("Orosanmälningar 2023")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "Under 2023 gjordes drygt 400 000 anmälningar om barn.")
    return bytes(pdf.output())


LOCAL = [
    ("nyhet.txt", TEXT.encode("utf-8"), "text/plain", "Socialjour i kommunerna", date(2024, 4, 2)),
    ("nyhet.TXT", TEXT.encode("cp1252"), "text/plain", "Socialjour i kommunerna", date(2024, 4, 2)),
    (
        "sida.html",
        (FIXTURES / "skr_article.html").read_bytes(),
        "text/html",
        "Ekonomiskt bistånd ökar i många kommuner",
        date(2024, 2, 5),
    ),
    (
        "sida.htm",
        (FIXTURES / "socialstyrelsen_article.html").read_bytes(),
        "text/html",
        "Fler placerade barn bor i familjehem",
        date(2024, 6, 18),
    ),
    ("rapport.pdf", _pdf(), "application/pdf", "Orosanmälningar 2023", None),
    ("utan-andelse", _pdf(), "application/pdf", "Orosanmälningar 2023", None),
]


@pytest.mark.parametrize(
    ("name", "content", "content_type", "title", "published"),
    LOCAL,
    ids=[name for name, *_ in LOCAL],
)
def test_load_local_file(
    tmp_path: Path,
    name: str,
    content: bytes,
    content_type: str,
    title: str,
    published: date | None,
) -> None:
    """Text, HTML and PDF files load by extension or by magic bytes, url is the path given."""
    path = tmp_path / name
    path.write_bytes(content)
    doc = load(str(path))
    assert (doc.content_type, doc.title, doc.published, doc.url) == (
        content_type,
        title,
        published,
        str(path),
    )
    assert "SKA-BORT" not in doc.text and doc.text


SEEDS = [
    (
        "000_75645184be0f4cf2.txt",
        "Lägesrapport från individ- och familjeomsorgen",
        date(2023, 4, 18),
    ),
    (
        "001_575160f7dc9292e0.txt",
        "Fler med erfarenhet av barnutredningar i socialtjänsten"
        " – men kompetensutmaningar kvarstår",
        date(2023, 3, 31),
    ),
    (
        "002_71fa8ae7af36d67c.txt",
        "Stabilitet viktig ledningsfråga för individ- och familjeomsorgen",
        date(2007, 2, 23),
    ),
    ("003_7572ba5ba7aebb5f.txt", "Vi kan förbättra för barn som fara illa", None),
    (
        "004_e3b5061050b5b3ab.txt",
        "Förbättrat arbete med utsatta barn i kommunerna",
        date(2012, 3, 6),
    ),
]


@pytest.mark.parametrize(("name", "title", "published"), SEEDS, ids=[n[:3] for n, _, _ in SEEDS])
def test_seeds_load_unchanged_with_title_and_date(
    name: str, title: str, published: date | None
) -> None:
    """A seed's text is kept as is (offsets stay valid); mastheads are not titles."""
    path = resources.seeds_dir() / name
    doc = load(str(path))
    assert doc.text == path.read_text(encoding="utf-8")
    assert (doc.title, doc.published) == (title, published)


# The first lines of plain texts and the title read from them.
TITLES = [
    ("ESKILSTUNAPOSTEN\n\nNyheter | Eskilstuna | Sport | Kultur\n\nEskilstuna\n\n"
     "Färre hushåll får försörjningsstöd\n\nText.", "Färre hushåll får försörjningsstöd"),
    ("Start / Om Socialstyrelsen / Pressrum\n\nFler barn i familjehem\n",
     "Fler barn i familjehem"),
    ("Hoppa till huvudinnehåll\nStatistik om bistånd\n", "Statistik om bistånd"),
    ("Nyhet\nPublicerad: 2016-11-24\nKvaliteten varierar\n", "Kvaliteten varierar"),
    ("SOCIALSTYRELSEN          1(4)\nStatistik om insatser 2019\n",
     "Statistik om insatser 2019"),
    ("Kunskapsstöd och regler   Statistik och data   Om oss\nÖppna jämförelser 2023\n",
     "Öppna jämförelser 2023"),
    ("Pressmeddelande 2019-11-27\nFler platser i skyddat boende\n",
     "Fler platser i skyddat boende"),
    ("Dnr SN 2024/0031\nVerksamhetsberättelse 2023\n", "Verksamhetsberättelse 2023"),
    ("VÄSTERVIKS KOMMUN\nIndivid- och familjeomsorgen\n", "VÄSTERVIKS KOMMUN"),
    ("TVÅNGSVÅRD ENLIGT LVM 2008–2023\nEn återblick\n", "TVÅNGSVÅRD ENLIGT LVM 2008–2023"),
    ("ENDAST\n", "ENDAST"),
    ("Dagens Socialtjänst\nGranskning | Barn och unga\n\nTio år av platsbrist\n",
     "Tio år av platsbrist"),
    ("BOLLNÄS KOMMUN          Socialnämnden\nVerksamhetsberättelse 2023\n",
     "BOLLNÄS KOMMUN          Socialnämnden"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "title"), TITLES, ids=[t[:12] for t, _ in TITLES])
def test_plain_text_title_skips_page_furniture(text: str, title: str, tmp_path: Path) -> None:
    """A masthead, menu, breadcrumb, skip link, section word or dateline is no title; a
    kommun's name in capitals is (it names the text's place)."""
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    assert load(str(path)).title == title


STAMPS = [
    ("Publicerad 18 apr 2023", date(2023, 4, 18)),
    ("Publicerad: 2023-03-31", date(2023, 3, 31)),
    ("Publicerad:\nText.\nArtikelnummer: 2023-3-8462|Publicerad: 2023-03-31", date(2023, 3, 31)),
    ("Pressmeddelande   •   Feb 23, 2007 08:11 CET", date(2007, 2, 23)),
    ("den 6 mars 2012 kl. 09:00 Nyhet", date(2012, 3, 6)),
    ("Publicerad 28 november 2023", date(2023, 11, 28)),
    ("Fortsatt ökning av väntetiderna 2015-12-16 09:00", date(2015, 12, 16)),
    ("Under 2018 gjordes 331 000 anmälningar.", None),
    ("Kartläggningen gällde den 1 november 2018.", None),
    ("Nyligen publicerade Socialstyrelsen en rapport 2019.", None),
    ("Publicerad 31 februari 2023", None),
]


@pytest.mark.parametrize(("text", "expected"), STAMPS)
def test_find_published(text: str, expected: date | None) -> None:
    """Only publication stamps give a date; dates in the prose and impossible dates do not."""
    assert find_published(text) == expected


def test_missing_file(tmp_path: Path) -> None:
    """A path that does not exist: 'no such file: PATH'."""
    missing = str(tmp_path / "finns-inte.txt")
    with pytest.raises(DocumentError) as caught:
        load(missing)
    assert str(caught.value) == f"no such file: {missing}"


NOT_DOCUMENTS = [
    ("bild.png", PNG, "not a document: {path} (unknown type)"),
    ("arkiv.zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), "not a document:"),
    ("falsk.pdf", b"<!-- inte en pdf -->\x00\x01", "not a document: {path}"),
    ("flode.xml", (FIXTURES / "socialstyrelsen_rss.xml").read_bytes(), "(a feed)"),
]


@pytest.mark.parametrize(
    ("name", "content", "message"), NOT_DOCUMENTS, ids=[n for n, _, _ in NOT_DOCUMENTS]
)
def test_not_a_document(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    """Images, archives, fake PDFs and feeds are DocumentErrors naming the path."""
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as caught:
        load(str(path))
    assert message.format(path=path) in str(caught.value)


def test_folder_is_not_a_document(tmp_path: Path) -> None:
    """A directory is refused with a clear message."""
    with pytest.raises(DocumentError, match=r"not a document: .* \(a folder\)"):
        load(str(tmp_path))


SERVED = [
    ("/sida", (FIXTURES / "skr_article.html").read_bytes(), "text/html", "text/html"),
    ("/rapport", _pdf(), "application/octet-stream", "application/pdf"),  # magic bytes win
    ("/fil.txt", TEXT.encode(), "text/plain; charset=utf-8", "text/plain"),
]


@pytest.mark.parametrize(("path", "body", "served_as", "kind"), SERVED)
def test_load_url(
    httpserver: HTTPServer, path: str, body: bytes, served_as: str, kind: str
) -> None:
    """A URL is fetched and dispatched on magic bytes, then content type."""
    httpserver.expect_request(path).respond_with_data(body, content_type=served_as)
    with Fetcher(backoff=0) as fetcher:
        doc = load(httpserver.url_for(path), fetcher=fetcher)
    assert doc.content_type == kind
    assert doc.url == httpserver.url_for(path)


def test_url_that_fails_is_a_fetch_error(httpserver: HTTPServer) -> None:
    """A 404 URL raises FetchError (exit 1 territory), not DocumentError."""
    httpserver.expect_request("/borta").respond_with_data("", status=404)
    with Fetcher(backoff=0) as fetcher, pytest.raises(FetchError, match="HTTP 404"):
        load(httpserver.url_for("/borta"), fetcher=fetcher)


def test_url_serving_an_image_is_not_a_document(httpserver: HTTPServer) -> None:
    """An image at a URL is a DocumentError naming the URL and its type."""
    httpserver.expect_request("/logga").respond_with_data(PNG, content_type="image/png")
    url = httpserver.url_for("/logga")
    with Fetcher(backoff=0) as fetcher, pytest.raises(DocumentError) as caught:
        load(url, fetcher=fetcher)
    assert str(caught.value) == f"not a document: {url} (image/png)"


def test_seed_copied_elsewhere_loads_the_same(tmp_path: Path) -> None:
    """Loading does not depend on the working directory or the seeds folder."""
    seed = resources.seeds_dir() / "004_e3b5061050b5b3ab.txt"
    copy = tmp_path / seed.name
    shutil.copy(seed, copy)
    assert load(str(copy)).text == load(str(seed)).text
