"""PDF reports: text without running heads and page numbers, tables as Table, errors."""

from __future__ import annotations

from datetime import date

import pytest
from fpdf import FPDF

from ifo_watch.collect.text import pdf_to_document
from ifo_watch.errors import DocumentError
from ifo_watch.models import Table

RUNNING_HEAD = "Socialstyrelsen | Öppna jämförelser 2024"
PARAGRAPH = (
    "I Öppna jämförelser 2024 uppger 78 procent av kommunerna att de har en socialjour "
    "som är bemannad dygnet runt med socionomer. Andelen har ökat sedan förra mätningen, "
    "men skillnaderna mellan länen är fortfarande stora och särskilt små kommuner saknar "
    "ofta egen jour."
)
TABLE_ROWS = [
    ("Län", "Andel kommuner (procent)", "Antal kommuner"),
    ("Jämtlands län", "50", "8"),
    ("Västmanlands län", "100", "10"),
    ("Norrbottens län", "57", "14"),
]


class _Report(FPDF):
    def header(self) -> None:
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, RUNNING_HEAD, align="R")
        self.ln(10)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, f"Sida {self.page_no()} av {{nb}}", align="C")


def _report(*, title: str | None = "Socialjour i kommunerna 2024", pages: int = 2) -> bytes:
    pdf = _Report()
    if title:
        pdf.set_title(title)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", style="B", size=16)
        pdf.multi_cell(0, 9, f"Kapitel {number}. Socialjour dygnet runt")
        pdf.ln(3)
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, PARAGRAPH)
        pdf.ln(4)
        if number == 1:
            pdf.set_font("Helvetica", style="B", size=10)
            pdf.cell(0, 7, "Tabell 1. Andel kommuner med socialjour per län 2024")
            pdf.ln(9)
            pdf.set_font("Helvetica", size=10)
            with pdf.table() as grid:
                for values in TABLE_ROWS:
                    row = grid.row()
                    for value in values:
                        row.cell(value)
            pdf.ln(4)
            pdf.set_font("Helvetica", size=11)
            pdf.multi_cell(0, 6, "Publicerad: 2024-04-02. Telefon 075-247 30 00.")
    return bytes(pdf.output())


def test_pdf_table_is_extracted_with_caption() -> None:
    """A ruled table becomes one Table: first row header, the rest body, caption above it."""
    doc = pdf_to_document(_report(), url="rapport.pdf")
    assert doc.tables == (
        Table(
            caption="Tabell 1. Andel kommuner med socialjour per län 2024",
            header=(TABLE_ROWS[0],),
            rows=tuple(TABLE_ROWS[1:]),
        ),
    )
    assert "Jämtlands län" not in doc.text
    assert "Tabell 1." not in doc.text


def test_pdf_text_drops_running_heads_and_page_numbers() -> None:
    """The header on every page and 'Sida N av M' are gone; the paragraphs stay."""
    doc = pdf_to_document(_report(pages=3), url="rapport.pdf")
    assert RUNNING_HEAD not in doc.text
    assert "Sida " not in doc.text
    blocks = doc.text.split("\n\n")
    assert blocks.count(PARAGRAPH) == 3
    assert "Kapitel 2. Socialjour dygnet runt" in blocks


def test_pdf_wrapped_lines_are_joined_into_one_paragraph() -> None:
    """A paragraph wrapped over several lines comes out as one block (sentences stay whole)."""
    doc = pdf_to_document(_report(pages=1), url="rapport.pdf")
    assert PARAGRAPH in doc.text.split("\n\n")


TITLES = [
    ("Socialjour i kommunerna 2024", "Socialjour i kommunerna 2024"),
    (None, "Kapitel 1. Socialjour dygnet runt"),
]


@pytest.mark.parametrize(("metadata_title", "expected"), TITLES)
def test_pdf_title_from_metadata_or_first_line(metadata_title: str | None, expected: str) -> None:
    """The title comes from the PDF metadata, else from the first line of text."""
    doc = pdf_to_document(_report(title=metadata_title, pages=1), url="rapport.pdf")
    assert doc.title == expected
    assert doc.published == date(2024, 4, 2)
    assert doc.content_type == "application/pdf"


BROKEN = [
    ("garbage after magic", b"%PDF-1.4\nthis is not a pdf at all"),
    ("truncated", _report()[:300]),
    ("empty", b""),
]


@pytest.mark.parametrize(("case", "content"), BROKEN, ids=[c for c, _ in BROKEN])
def test_broken_pdf_is_a_document_error(case: str, content: bytes) -> None:
    """An unreadable PDF gives one DocumentError naming the URL."""
    with pytest.raises(DocumentError, match=r"^rapport\.pdf: "):
        pdf_to_document(content, url="rapport.pdf")


def _one_table_pdf(layout: str, rows: list[tuple[str, ...]]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 6, "Andel kommuner med socialjour dygnet runt per län.")
    pdf.ln(4)
    with pdf.table(borders_layout=layout) as grid:
        for values in rows:
            row = grid.row()
            for value in values:
                row.cell(value)
    return bytes(pdf.output())


COLUMN_RULED = [
    ("ruled grid", "ALL", TABLE_ROWS),
    ("rules between columns only", "NO_HORIZONTAL_LINES", TABLE_ROWS),
    (
        "wrapped header is not split",
        "ALL",
        [("Län i\nSverige", "Andel kommuner\nmed socialjour"), ("Jämtlands län", "50")],
    ),
]


@pytest.mark.parametrize(
    ("case", "layout", "rows"), COLUMN_RULED, ids=[c for c, _, _ in COLUMN_RULED]
)
def test_pdf_table_rows_are_unstacked(case: str, layout: str, rows: list[tuple[str, ...]]) -> None:
    """Values stacked in one tall row are split into rows; wrapped header text is joined."""
    (table,) = pdf_to_document(_one_table_pdf(layout, rows), url="t.pdf").tables
    expected = [tuple(" ".join(value.split()) for value in row) for row in rows]
    assert (table.header, table.rows) == ((expected[0],), tuple(expected[1:]))
