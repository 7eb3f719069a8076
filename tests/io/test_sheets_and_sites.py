"""Spreadsheet tables and site adapters: the pieces behind a publication page."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from ifo_watch.collect import PageRules, default_sites, site_for
from ifo_watch.collect.documents import kind_of
from ifo_watch.collect.sheets import sheet_table, xlsx_to_document
from ifo_watch.collect.text import read_html
from ifo_watch.errors import DocumentError
from ifo_watch.extract import Catalog, extract_figures


def _workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tabell 3"
    sheet.append(["Tabell 3. Ekonomiskt bistånd per län, 2022 och 2023"])
    sheet.append(["Utbetalt bistånd, tkr"])
    sheet.append(["Län", "2022", None, "2023", None])
    sheet.merge_cells("B3:C3")
    sheet.merge_cells("D3:E3")
    sheet.append([None, "Kvinnor", "Män", "Kvinnor", "Män"])
    sheet.append(["Jämtlands län", 48210.0, 50112, 47005, 49870.5])
    sheet.append(["Riket", 5102330, 5600210, 4990100, 5511020])
    sheet.append(["Anm. Uppgifterna är preliminära."])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_sheet_becomes_a_table_with_caption_headers_and_rows() -> None:
    """Title and unit lines are the caption; merged year cells span their columns."""
    doc = xlsx_to_document(_workbook(), url="https://www.socialstyrelsen.se/t.xlsx")
    (table,) = doc.tables
    assert table.caption == (
        "Tabell 3. Ekonomiskt bistånd per län, 2022 och 2023 Utbetalt bistånd, tkr"
    )
    assert table.header == (
        ("Län", "2022", "2022", "2023", "2023"),
        ("", "Kvinnor", "Män", "Kvinnor", "Män"),
    )
    assert table.rows == (
        ("Jämtlands län", "48 210", "50 112", "47 005", "49 870,5"),
        ("Riket", "5 102 330", "5 600 210", "4 990 100", "5 511 020"),
    )
    assert kind_of(_workbook(), "application/octet-stream", name="t.xlsx") == "xlsx"


def test_sheet_tables_reach_the_extractor() -> None:
    """The extractor reads the cells like an HTML table's: tkr in the caption, years above."""
    doc = xlsx_to_document(_workbook(), url="https://www.socialstyrelsen.se/t.xlsx")
    figures = extract_figures(doc, catalog=Catalog.load())
    jamtland = [f for f in figures if f.region == "Jämtlands län"]
    assert [(f.value, f.unit, f.period) for f in jamtland] == [
        (48_210_000, "kronor", "2022"),
        (50_112_000, "kronor", "2022"),
        (47_005_000, "kronor", "2023"),
        (49_870_500, "kronor", "2023"),
    ]
    assert doc.text == "Tabell 3. Ekonomiskt bistånd per län, 2022 och 2023"  # no unit line


def test_contents_sheet_gives_no_table() -> None:
    """A sheet of text only (Innehåll) is not a table."""
    assert sheet_table([["Innehåll"], ["Tabell 1. Barn"], ["Tabell 2. Unga"]]) is None


def test_workbook_with_a_doctype_is_refused() -> None:
    """An XML part declaring a DOCTYPE (entity expansion) is refused before parsing."""
    raw = io.BytesIO(_workbook())
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b"<workbook", b'<!DOCTYPE w [<!ENTITY a "ha">]><workbook', 1)
            target.writestr(info, data)
    with pytest.raises(DocumentError) as caught:
        xlsx_to_document(out.getvalue(), url="u.xlsx")
    assert "entity expansion refused" in str(caught.value)


def test_broken_workbook_is_one_line() -> None:
    """A zip that is not a workbook says so in one line."""
    with pytest.raises(DocumentError) as caught:
        xlsx_to_document(b"PK\x03\x04trasig", url="u.xlsx")
    assert str(caught.value) == "u.xlsx: not a readable workbook (a broken zip)"


PUBLICATION_PAGE = """<html><body><header><h1>Socialstyrelsen</h1></header><main>
<div class="publication-wrapper"><h1>Statistik om ekonomiskt bistånd 2023</h1>
<span class="date">Publicerad: 2024-09-26</span>
<p>Under 2023 betalades 13,2 miljarder kronor ut i ekonomiskt bistånd.</p>
<a class="publication-wrapper__main-doc"
   href="/contentassets/0a1b2c/2024-9-1234.pdf">Ladda ner</a>
<a href="/contentassets/0a1b2c/2024-9-1234-tabeller.xlsx">Tabeller</a>
<aside><a href="/publikationer/annat-2023-1-1/">Relaterat</a></aside></div></main></body></html>"""


def test_socialstyrelsen_rules_read_date_title_and_report_links() -> None:
    """The shipped adapter finds the date span, the main PDF and the tables of a page."""
    site = site_for("https://www.socialstyrelsen.se/publikationer/x-2024-9-1234/")
    assert site is not None and site.name == "socialstyrelsen"
    doc, links = read_html(
        PUBLICATION_PAGE.encode(),
        url="https://www.socialstyrelsen.se/publikationer/statistik-om-ekonomiskt-bistand-2024-9-1234/",
        rules=site.rules,
    )
    assert doc.title == "Statistik om ekonomiskt bistånd 2023"
    assert doc.published is not None and doc.published.isoformat() == "2024-09-26"
    assert links.reports == ("https://www.socialstyrelsen.se/contentassets/0a1b2c/2024-9-1234.pdf",)
    assert links.tables == (
        "https://www.socialstyrelsen.se/contentassets/0a1b2c/2024-9-1234-tabeller.xlsx",
    )
    assert site.report_number(links.reports[0]) == "2024-9-1234"
    assert site.report_number(links.tables[0]) == "2024-9-1234"
    assert site.is_report_page("https://www.socialstyrelsen.se/publikationer/annat-2023-1-1/")


def test_skr_dates_in_both_forms() -> None:
    """SKR writes 'Publicerad 1 februari 2024' and, on older pages, 'Publicerad: 21 ...'."""
    site = site_for("https://skr.se/skr/tjanster/pressrum/nyheter/nyhetsarkiv/x.1.html")
    assert site is not None and site.name == "skr"
    for stamp, iso in (
        ("Publicerad 1 februari 2024", "2024-02-01"),
        ("Publicerad: 21 september 2017", "2017-09-21"),
    ):
        page = f"<html><body><main><h1>Rubrik</h1><p>{stamp}</p><p>Text.</p></main></body></html>"
        doc, _ = read_html(page.encode(), url="https://skr.se/a.html", rules=site.rules)
        assert doc.published is not None and doc.published.isoformat() == iso


def test_mirror_hosts_are_one_document() -> None:
    """A page on a mirror host is read from, and stored under, the canonical host."""
    sos = site_for("https://www.hsan.se/om-socialstyrelsen/pressrum/press/")
    assert sos is not None and sos.name == "socialstyrelsen"
    assert sos.canonical("https://www.hsan.se/aktuellt/x/?a=1") == (
        "https://www.socialstyrelsen.se/aktuellt/x/?a=1"
    )
    skr = site_for("https://webbutik.skr.se/sv/artiklar/x.html")
    assert skr is not None and skr.canonical("https://webbutik.skr.se/bilder/a.pdf") == (
        "https://skr.se/bilder/a.pdf"
    )
    assert sos.canonical("https://www.socialstyrelsen.se/a/") == "https://www.socialstyrelsen.se/a/"


def test_rules_that_no_longer_match_fall_back_to_the_cleaner() -> None:
    """After a redesign, selectors that match nothing leave the generic reading in charge."""
    rules = PageRules(title=("h1.borta",), content=("div.borta",), published=("span.borta",))
    page = b"<html><body><main><h1>Rubrik</h1><p>Publicerad 2024-01-05</p><p>Text.</p></main>"
    doc, _ = read_html(page, url="u", rules=rules)
    assert doc.title == "Rubrik" and doc.published is not None
    assert len(default_sites()) == 2
