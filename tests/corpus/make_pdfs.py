"""Generate the two PDF reports of the gold corpus (docs/023_*.pdf, docs/024_*.pdf).

Run from the project root: `.venv/bin/python tests/corpus/make_pdfs.py`. The texts are
written by hand in the style of Socialstyrelsen's statistics reports; facts are real
where README.md says so. The PDFs are committed, so tests need not run this script.
fpdf2's core font (Helvetica) covers Latin-1, so å, ä and ö work, but not the en dash:
`_latin1` writes it as a hyphen, which keeps the output the same on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

DOCS = Path(__file__).resolve().parent / "docs"
FIXED_DATE = datetime(2024, 1, 1, tzinfo=UTC)  # reproducible output


@dataclass(frozen=True)
class Block:
    """One piece of a page: a heading, a paragraph or a table."""

    kind: str  # "h1" | "h2" | "p" | "table"
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Report:
    """A small multi-page report: a cover, then pages of blocks."""

    filename: str
    running_title: str
    cover: tuple[str, ...]
    pages: tuple[tuple[Block, ...], ...]


def _latin1(text: str) -> str:
    return text.replace("–", "-").replace("—", "-").replace("”", '"').replace("’", "'")


class _Pdf(FPDF):
    def __init__(self, running_title: str) -> None:
        super().__init__(format="A4")
        self.running_title = running_title

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font("helvetica", size=8)
        self.cell(0, 6, _latin1(self.running_title), align="R")
        self.ln(10)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("helvetica", size=8)
        self.cell(0, 8, f"Socialstyrelsen | Sida {self.page_no()}", align="C")


def _block(pdf: _Pdf, block: Block) -> None:
    if block.kind == "h1":
        pdf.set_font("helvetica", style="B", size=16)
        pdf.multi_cell(0, 8, _latin1(block.text))
        pdf.ln(3)
    elif block.kind == "h2":
        pdf.set_font("helvetica", style="B", size=12)
        pdf.multi_cell(0, 7, _latin1(block.text))
        pdf.ln(1)
    elif block.kind == "p":
        pdf.set_font("helvetica", size=10)
        pdf.multi_cell(0, 5, _latin1(block.text))
        pdf.ln(2)
    elif block.kind == "table":
        pdf.set_font("helvetica", size=9)
        with pdf.table(text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT")) as table:
            for cells in block.rows:
                row = table.row()
                for cell in cells:
                    row.cell(_latin1(cell))
        pdf.ln(3)


def render(report: Report) -> Path:
    """Write one report to docs/ and return its path."""
    pdf = _Pdf(report.running_title)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(_latin1(report.running_title))
    pdf.set_author("Socialstyrelsen")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=20)
    pdf.ln(40)
    pdf.multi_cell(0, 10, _latin1(report.cover[0]))
    pdf.set_font("helvetica", size=11)
    for line in report.cover[1:]:
        pdf.ln(2)
        pdf.multi_cell(0, 6, _latin1(line))
    for blocks in report.pages:
        pdf.add_page()
        for block in blocks:
            _block(pdf, block)
    path = DOCS / report.filename
    pdf.output(str(path))
    return path


def H1(text: str) -> Block:
    return Block("h1", text)


def H2(text: str) -> Block:
    return Block("h2", text)


def P(text: str) -> Block:
    return Block("p", text)


def T(*rows: tuple[str, ...]) -> Block:
    return Block("table", rows=rows)


EKONOMISKT_BISTAND = Report(
    filename="023_rapport_ekonomiskt_bistand_2020.pdf",
    running_title="Ekonomiskt bistånd – årsstatistik 2020",
    cover=(
        "Ekonomiskt bistånd – årsstatistik 2020",
        "Sveriges officiella statistik. Statistik – Socialtjänst",
        "Artikelnummer: 2021-9-7530",
        "ISBN 978-91-7555-583-4",
        "Publicerad september 2021",
    ),
    pages=(
        (
            H1("Innehåll"),
            P("Sammanfattning 3"),
            P("Biståndshushåll per län 4"),
            P("Om statistiken 5"),
        ),
        (
            H1("Sammanfattning"),
            P(
                "Under 2020 fick cirka 198 000 hushåll ekonomiskt bistånd, en minskning med "
                "1,4 procent jämfört med 2019. Kommunerna betalade ut 11,9 miljarder kronor, "
                "vilket var 1,4 procent mer än året innan. Det genomsnittliga biståndet per "
                "hushåll var 60 tkr under året."
            ),
            P(
                "Under första halvåret 2020, när pandemin bröt ut, ökade antalet hushåll med "
                "bistånd i Stockholms län med 6 procent jämfört med samma period året innan."
            ),
            P(
                "Av de vuxna biståndsmottagarna var 53 procent män och 47 procent kvinnor. "
                "Långvarigt bistånd, det vill säga bistånd i minst 10 månader under året, fick "
                "37 procent av biståndshushållen."
            ),
            H2("Barn i hushåll med långvarigt bistånd"),
            P(
                "Knappt 53 000 barn levde i familjer med långvarigt ekonomiskt bistånd "
                "(54 100 år 2019). Det motsvarar 2,4 procent av alla barn i landet."
            ),
        ),
        (
            H1("Biståndshushåll per län"),
            P("Tabell 2. Biståndshushåll och andel av befolkningen med ekonomiskt bistånd 2020."),
            T(
                ("Län", "Biståndshushåll", "Andel av befolkningen, procent"),
                ("Stockholms län", "33 870", "3,4"),
                ("Uppsala län", "6 410", "3,3"),
                ("Södermanlands län", "8 120", "5,7"),
                ("Östergötlands län", "9 540", "4,4"),
                ("Jönköpings län", "6 980", "3,7"),
                ("Kronobergs län", "3 760", "4,2"),
                ("Kalmar län", "4 010", "3,6"),
                ("Gotlands län", "960", "2,6"),
                ("Blekinge län", "3 020", "4,5"),
                ("Skåne län", "40 250", "5,1"),
                ("Hallands län", "4 730", "2,8"),
                ("Västra Götalands län", "33 410", "4,1"),
                ("Värmlands län", "5 440", "3,9"),
                ("Örebro län", "6 790", "4,6"),
                ("Västmanlands län", "6 210", "4,8"),
                ("Dalarnas län", "4 960", "3,5"),
                ("Gävleborgs län", "6 630", "5,0"),
                ("Västernorrlands län", "4 120", "3,8"),
                ("Jämtlands län", "1 570", "2,8"),
                ("Västerbottens län", "3 530", "2,9"),
                ("Norrbottens län", "3 830", "3,0"),
            ),
        ),
        (
            H1("Om statistiken"),
            P(
                "Statistiken bygger på registret över ekonomiskt bistånd, som kommunerna "
                "lämnar uppgifter till varje år. Ekonomiskt bistånd ges enligt 4 kap. 1 § "
                "socialtjänstlagen (2001:453). Introduktionsersättning ingår inte sedan 2012."
            ),
            P("Kontakt: Statistikfrågor, telefon 075-247 30 00. Diarienummer 3.1-21873/2021."),
        ),
    ),
)

BARN_OCH_UNGA = Report(
    filename="024_rapport_barn_och_unga_insatser_2021.pdf",
    running_title="Statistik om socialtjänstinsatser till barn och unga 2021",
    cover=(
        "Statistik om socialtjänstinsatser till barn och unga 2021",
        "Sveriges officiella statistik. Statistik – Socialtjänst",
        "Artikelnummer: 2022-9-8096",
        "ISBN 978-91-7555-612-1",
        "Publicerad september 2022",
    ),
    pages=(
        (
            H1("Sammanfattning"),
            P(
                "Totalt fick 26 200 barn och unga en heldygnsinsats någon gång under 2021. "
                "Det är knappt 1 100 färre än 2020. De flesta insatserna var frivilliga, det "
                "vill säga beslutade enligt socialtjänstlagen."
            ),
            H2("Familjehem"),
            P(
                "Familjehem är den vanligaste placeringsformen. Under 2021 var 18 700 barn och "
                "unga placerade i familjehem, cirka 700 färre än året innan. Fördelningen har "
                "jämnats ut: 51 procent var pojkar och 49 procent flickor."
            ),
            H2("Hem för vård eller boende"),
            P(
                "Antalet barn och unga på HVB fortsatte att minska. Under 2021 var 6 000 "
                "placerade på HVB, hela 2 300 färre än 2020. Av dem var 59 procent pojkar och "
                "41 procent flickor. Stödboende gavs till 2 300 barn och unga, vilket var "
                "930 färre än 2020."
            ),
        ),
        (
            H1("Heldygnsinsatser per län"),
            P(
                "Tabell 3 visar antalet barn och unga med heldygnsinsats under 2021 per "
                "1 000 invånare i samma ålder, i tolv län."
            ),
            T(
                ("Län", "Per 1 000 invånare"),
                ("Stockholms län", "7,9"),
                ("Uppsala län", "9,4"),
                ("Södermanlands län", "13,2"),
                ("Östergötlands län", "10,8"),
                ("Skåne län", "11,6"),
                ("Västra Götalands län", "9,9"),
                ("Värmlands län", "14,1"),
                ("Gävleborgs län", "15,3"),
                ("Västernorrlands län", "13,7"),
                ("Jämtlands län", "12,5"),
                ("Västerbottens län", "10,2"),
                ("Norrbottens län", "12,9"),
            ),
            P(
                "Vård enligt lagen (1990:52) med särskilda bestämmelser om vård av unga, LVU, "
                "kan ges till barn och unga upp till 21 år."
            ),
        ),
    ),
)

REPORTS = (EKONOMISKT_BISTAND, BARN_OCH_UNGA)


def main() -> None:
    """Write every report and print where."""
    for report in REPORTS:
        print(render(report))


if __name__ == "__main__":
    main()
