"""Generate socialstyrelsen/publikationer/lagesrapport-ifo-2024.pdf for the demo site.

Run from the project root: `.venv/bin/python src/ifo_watch/data/demo_site/make_pdf.py`.
The PDF is committed; this script documents how it was made (fpdf2, core fonts, so
the text stays within Latin-1). It has a running header and page numbers (which
the PDF reader must drop) and two ruled tables (which it must extract as tables).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

OUT = Path(__file__).parent / "socialstyrelsen" / "publikationer" / "lagesrapport-ifo-2024.pdf"


class Report(FPDF):
    """A two-page report with Socialstyrelsen-like running header and footer."""

    def header(self) -> None:
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, "Socialstyrelsen | Individ- och familjeomsorg 2024", align="R")
        self.ln(10)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, f"Sida {self.page_no()} av {{nb}}", align="C")


def paragraph(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    pdf.ln(4)


def heading(pdf: FPDF, text: str, *, size: int = 14) -> None:
    pdf.set_font("Helvetica", style="B", size=size)
    pdf.multi_cell(0, 8, text)
    pdf.ln(2)


def table(pdf: FPDF, caption: str, rows: list[tuple[str, ...]]) -> None:
    pdf.set_font("Helvetica", style="B", size=10)
    pdf.cell(0, 7, caption)
    pdf.ln(9)
    pdf.set_font("Helvetica", size=10)
    with pdf.table(text_align="LEFT", line_height=7) as grid:
        for values in rows:
            row = grid.row()
            for value in values:
                row.cell(value)
    pdf.ln(6)


def build() -> bytes:
    pdf = Report(format="A4")
    pdf.set_title("Individ- och familjeomsorg - Lägesrapport 2024")
    pdf.set_author("Socialstyrelsen")
    pdf.set_creation_date(datetime(2024, 3, 28, 9, 0, tzinfo=UTC))
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    heading(pdf, "Individ- och familjeomsorg - Lägesrapport 2024", size=18)
    paragraph(pdf, "Publicerad: 2024-03-28")
    heading(pdf, "Sammanfattning")
    paragraph(
        pdf,
        "Antalet barn som lever i familjer med långvarigt ekonomiskt bistånd har ökat "
        "två år i rad. År 2023 gällde det närmare 56 000 barn. Andelen av barnen i "
        "biståndshushåll som lever med långvarigt bistånd var 47 procent.",
    )
    paragraph(
        pdf,
        "Rapporten bygger på Socialstyrelsens register över ekonomiskt bistånd och på "
        "Öppna jämförelser. Den riktar sig till beslutsfattare i kommuner och på nationell nivå.",
    )
    table(
        pdf,
        "Tabell 1. Barn i familjer med långvarigt ekonomiskt bistånd 2021-2023",
        [
            ("År", "Antal barn", "Andel av barnen i biståndshushåll (procent)"),
            ("2021", "50 400", "43"),
            ("2022", "53 900", "48"),
            ("2023", "55 800", "47"),
        ],
    )
    pdf.add_page()
    heading(pdf, "Socialjour och barnutredningar")
    paragraph(
        pdf,
        "Tillgången till socialjour som är bemannad dygnet runt med socionomer varierar "
        "mellan länen. I tabell 2 redovisas andelen kommuner i tre län.",
    )
    table(
        pdf,
        "Tabell 2. Andel kommuner med socialjour dygnet runt 2024 (procent)",
        [
            ("Län", "Andel kommuner"),
            ("Västmanlands län", "100"),
            ("Jämtlands län", "50"),
            ("Norrbottens län", "50"),
        ],
    )
    paragraph(
        pdf,
        "Uppgifterna kommer från en enkät till samtliga kommuner. Svarsfrekvensen var "
        "91 procent. Frågor om rapporten besvaras av Socialstyrelsens presstjänst, "
        "telefon 075-247 38 00.",
    )
    return bytes(pdf.output())


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build())
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
