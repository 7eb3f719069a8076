"""Spreadsheet tables (.xlsx) -> `Table`s, read like the tables of HTML pages and PDFs.

Socialstyrelsen publishes the exact figures of a statistics report in a workbook
beside the PDF (`<artikelnummer>-tabeller.xlsx`): one table per sheet, a title line
("Tabell 3. Barn och unga med insatser ... 2023"), sometimes a unit line ("Antal per
1 000 invånare"), header rows, rows of a label and values, then notes ("Källa: ...").
Each sheet becomes one `Table`: the title and unit lines are its caption, the
text-only rows above the first row of numbers its header rows (merged header cells
repeated over their span, as HTML colspans are), the rest its rows, without the
notes. The extractor reads them as it reads any table; units in headers and caption
apply by its rule.

The workbook is checked before openpyxl opens it: a zip with too many or too large
parts (a zip bomb) or an XML part with a DOCTYPE (entity expansion) is refused with
one line; openpyxl parses through defusedxml as well.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from typing import Any

from ifo_watch.errors import DocumentError
from ifo_watch.models import Document, Table

MAX_UNPACKED = 100_000_000
MAX_PARTS = 2_000
MAX_CELLS = 2_000_000
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_NOTE_PREFIXES = ("källa", "kalla", "anm", "not", "fotnot", "*", "förklaring", "..")


def is_xlsx(content: bytes) -> bool:
    """Return True for the bytes of an Office Open XML workbook (a zip with a workbook part)."""
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def xlsx_to_document(content: bytes, *, url: str, publisher: str | None = None) -> Document:
    """Return a workbook's sheets as tables of a Document (its text: the sheet titles)."""
    _check_archive(content, url=url)
    import openpyxl  # deferred: most cycles read no workbook

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many unrelated types for broken files
        raise DocumentError(f"{url}: not a readable workbook ({type(exc).__name__})") from None
    tables: list[Table] = []
    titles: list[str] = []  # the text: title lines only ("2023" + "Procent" is no figure)
    cells = 0
    try:
        for sheet in book.worksheets:
            cells += (sheet.max_row or 0) * (sheet.max_column or 0)
            if cells > MAX_CELLS:
                raise DocumentError(f"{url}: a workbook of more than {MAX_CELLS} cells")
            found = _sheet(_grid(sheet), name=str(sheet.title))
            if found is not None:
                tables.append(found[0])
                if found[1]:
                    titles.append(found[1])
    finally:
        book.close()
    return Document(
        url=url,
        text="\n\n".join(titles),
        title=titles[0] if titles else None,
        publisher=publisher,
        tables=tuple(tables),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _check_archive(content: bytes, *, url: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_PARTS:
                raise DocumentError(f"{url}: a workbook of {len(infos)} parts refused")
            unpacked = sum(info.file_size for info in infos)
            if unpacked > MAX_UNPACKED:
                raise DocumentError(
                    f"{url}: a workbook that unpacks to {unpacked} bytes refused (a zip bomb?)"
                )
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with archive.open(info) as part:
                        head = part.read(4096).lower()
                    if b"<!doctype" in head or b"<!entity" in head:
                        raise DocumentError(
                            f"{url}: {info.filename} declares a DOCTYPE; entity expansion refused"
                        )
    except zipfile.BadZipFile:
        raise DocumentError(f"{url}: not a readable workbook (a broken zip)") from None


def _grid(sheet: Any) -> list[list[str]]:
    """Return the sheet's cell texts, merged ranges filled with their first cell's text."""
    rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(rows) or left >= len(rows[top]):
            continue
        text = rows[top][left]
        # Repeat across header spans only: a label merged down a column keeps one row.
        for column in range(left, min(merged.max_col, len(rows[top]))):
            rows[top][column] = text
    return rows


def sheet_table(grid: list[list[str]], *, name: str = "") -> Table | None:
    """Return the table of one sheet's grid of texts, or None when it holds no figures."""
    found = _sheet(grid, name=name)
    return found[0] if found else None


def _sheet(grid: list[list[str]], *, name: str) -> tuple[Table, str] | None:
    rows = [row for row in (_trim(row) for row in grid) if any(row)]
    if not rows:
        return None
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    # Header rows may hold years ("2022", "2023" over their columns): a row of data is
    # the first with a number that is not a year.
    first_data = next((i for i, row in enumerate(rows) if _has_value(row[1:])), None)
    if first_data is None:
        return None  # a contents or notes sheet
    caption_lines: list[str] = []
    header: list[tuple[str, ...]] = []
    for row in rows[:first_data]:
        filled = [cell for cell in row if cell]
        if len(filled) == 1 and row[0] and not header:
            caption_lines.append(row[0])
        else:
            header.append(tuple(row))
    body: list[tuple[str, ...]] = []
    for row in rows[first_data:]:
        filled = [cell for cell in row if cell]
        if len(filled) == 1 and row[0] and _is_note(row[0]):
            continue
        if len(filled) == 1 and not _has_number(row) and len(row[0]) > 60:
            continue  # a sentence of notes under the table
        body.append(tuple(row))
    named = name if name and not name.lower().startswith(("blad", "sheet")) else ""
    caption = " ".join(caption_lines) or named
    title = caption_lines[0] if caption_lines else named
    return Table(caption=caption or None, header=tuple(header), rows=tuple(body)), title


def _trim(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1]:
        end -= 1
    return list(row[:end])


def _has_value(cells: list[str]) -> bool:
    return any(cell and _numeric(cell) and not _YEAR.match(cell) for cell in cells)


def _has_number(cells: list[str]) -> bool:
    return any(cell and _numeric(cell) for cell in cells)


def _numeric(cell: str) -> bool:
    text = cell.replace(" ", "").replace("\u00a0", "").replace(",", "").replace(".", "")
    text = text.lstrip("-−–")
    return text.isdigit()


def _is_note(text: str) -> bool:
    return text.strip().lower().startswith(_NOTE_PREFIXES)


def _cell_text(value: object) -> str:
    """Return a cell's value as the text an HTML table would show ("12,5", "48 210")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, int):
        return _group(str(value))
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return _group(str(int(value)))
        text = f"{value:.10g}"
        if "e" in text:
            return text
        whole, _, fraction = text.partition(".")
        return f"{_group(whole)},{fraction}"
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _group(digits: str) -> str:
    """Group thousands with a space, as Swedish tables do ("48210" -> "48 210")."""
    sign = "-" if digits.startswith("-") else ""
    digits = digits.lstrip("-")
    if len(digits) <= 4:
        return sign + digits  # "2023" is a year more often than an amount
    groups = []
    while digits:
        groups.append(digits[-3:])
        digits = digits[:-3]
    return sign + " ".join(reversed(groups))
