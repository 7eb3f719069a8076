"""Plain-text tables: columns set apart by spaces become Tables and leave the prose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ifo_watch.collect.documents import load
from ifo_watch.collect.text import text_tables
from ifo_watch.extract import Catalog, extract_figures

ANNUAL_REPORT = """\
Vård- och omsorgsnämnden, Ekby kommun
Årsredovisning 2024                                          Sida 9 (30)

3.2  Ekonomi

Individ- och familjeomsorgen gick med underskott under året.

Tabell 3.2  Nettokostnad per verksamhet 2024, tkr

Verksamhet                      Budget      Utfall    Avvikelse
---------------------------------------------------------------
Barn och familj                 41 200      47 650       -6 450
Ekonomiskt bistånd              22 800      21 900          900
---------------------------------------------------------------
Summa                           64 000      69 550       -5 550

Telefon    0123-456 00
Växel      0123-456 01

Nämnden följer kostnaderna varje månad.
"""

AGE_TABLE = """\
Placerade barn i Ekby 2023

FAKTA: Barn och unga med heldygnsinsats 2023, efter ålder

Ålder              Antal   Per 1 000 invånare 0–20 år
0–12 år               14    3,1
13–17 år              22    9,8
18–20 år               9    7,5
Samtliga 0–20 år      45    5,9
"""

WRAPPED_LABEL = """\
Tabell 4.2 Driftredovisning (tkr)

Verksamhet                    Budget      Utfall    Avvikelse
Barn och unga                 98 400     104 250       -5 850
Ekonomiskt bistånd inkl.
handläggning                  61 000      59 720        1 280
Summa IFO                    159 400     163 970       -4 570
"""

NOT_A_TABLE = """\
Kontakt

Pressansvarig   Anna Berg
Telefon         075-247 30 00

4.1  Uppdrag

Vi har 12 handläggare.
"""

YEAR_ROWS = """Revisionsrapport

Tabell 1. Orosanmälningar och utredningar, Ekby kommun

År     Orosanmälningar   Barn som anmälan   Inledda
                          gällde             utredningar
2019   1 184             702                341
2020   1 262             745                329
2021   1 437             812                388

Antalet anmälningar ökade.
"""

CASES: list[dict[str, Any]] = [
    {
        "name": "rows labelled by year under a header wrapped onto two lines",
        "text": YEAR_ROWS,
        "tables": [
            {
                "caption": "Tabell 1. Orosanmälningar och utredningar, Ekby kommun",
                "header": (
                    "År",
                    "Orosanmälningar",
                    "Barn som anmälan gällde",
                    "Inledda utredningar",
                ),
                "rows": [
                    ("2019", "1 184", "702", "341"),
                    ("2020", "1 262", "745", "329"),
                    ("2021", "1 437", "812", "388"),
                ],
            }
        ],
        "prose_keeps": ["Tabell 1.", "Antalet anmälningar ökade."],
        "prose_drops": ["1 437"],
    },
    {
        "name": "a row label wrapped onto the line of its values",
        "text": WRAPPED_LABEL,
        "tables": [
            {
                "caption": "Tabell 4.2 Driftredovisning (tkr)",
                "header": ("Verksamhet", "Budget", "Utfall", "Avvikelse"),
                "rows": [
                    ("Barn och unga", "98 400", "104 250", "-5 850"),
                    ("Ekonomiskt bistånd inkl. handläggning", "61 000", "59 720", "1 280"),
                    ("Summa IFO", "159 400", "163 970", "-4 570"),
                ],
            }
        ],
        "prose_keeps": ["Tabell 4.2"],
        "prose_drops": ["61 000"],
    },
    {
        "name": "an annual report's accounts",
        "text": ANNUAL_REPORT,
        "tables": [
            {
                "caption": "Tabell 3.2 Nettokostnad per verksamhet 2024, tkr",
                "header": ("Verksamhet", "Budget", "Utfall", "Avvikelse"),
                "rows": [
                    ("Barn och familj", "41 200", "47 650", "-6 450"),
                    ("Ekonomiskt bistånd", "22 800", "21 900", "900"),
                    ("Summa", "64 000", "69 550", "-5 550"),
                ],
            }
        ],
        "prose_keeps": ["Nämnden följer", "Telefon    0123-456 00", "Tabell 3.2"],
        "prose_drops": ["41 200", "-5 550"],
    },
    {
        "name": "an age table whose label column has a heading",
        "text": AGE_TABLE,
        "tables": [
            {
                "caption": "FAKTA: Barn och unga med heldygnsinsats 2023, efter ålder",
                "header": ("Ålder", "Antal", "Per 1 000 invånare 0–20 år"),
                "rows": [
                    ("0–12 år", "14", "3,1"),
                    ("13–17 år", "22", "9,8"),
                    ("18–20 år", "9", "7,5"),
                    ("Samtliga 0–20 år", "45", "5,9"),
                ],
            }
        ],
        "prose_keeps": ["Placerade barn i Ekby 2023"],
        "prose_drops": ["3,1"],
    },
    {
        "name": "a contact box and numbered headings are prose",
        "text": NOT_A_TABLE,
        "tables": [],
        "prose_keeps": ["075-247 30 00", "4.1  Uppdrag", "12 handläggare"],
        "prose_drops": [],
    },
]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_text_tables(case: dict[str, Any]) -> None:
    prose, tables = text_tables(case["text"])
    assert [
        {"caption": t.caption, "header": t.header[0] if t.header else (), "rows": list(t.rows)}
        for t in tables
    ] == case["tables"]
    for kept in case["prose_keeps"]:
        assert kept in prose
    for dropped in case["prose_drops"]:
        assert dropped not in prose
    assert prose.count("\n") == case["text"].count("\n")  # lines keep their places


def _figures(tmp_path: Path, text: str, catalog: Catalog) -> dict[str, Any]:
    path = tmp_path / "rapport.txt"
    path.write_text(text, encoding="utf-8")
    return {f.quote: f for f in extract_figures(load(str(path)), catalog=catalog)}


def test_accounts_read_through_their_headers(tmp_path: Path, catalog: Catalog) -> None:
    """tkr in the caption scales every cell; budget and deviation are indicators of their own."""
    got = _figures(tmp_path, ANNUAL_REPORT, catalog)
    budget, outcome, deviation = got["22 800"], got["21 900"], got["900"]
    assert (budget.value, outcome.value, deviation.value) == (22_800_000, 21_900_000, 900_000)
    assert {budget.unit, outcome.unit, deviation.unit} == {"kronor"}
    assert len({budget.metric, outcome.metric, deviation.metric}) == 3
    assert budget.metric == f"{outcome.metric}_budget"
    assert deviation.metric == f"{outcome.metric}_budgetavvikelse"
    assert got["-6 450"].value == -6_450_000  # a deficit keeps its sign
    assert {f.period for f in got.values()} == {"2024"}
    assert "0123-456 00" not in got


def test_age_rows_are_groups_and_the_total_row_is_not(tmp_path: Path, catalog: Catalog) -> None:
    got = _figures(tmp_path, AGE_TABLE, catalog)
    counts = [got[q] for q in ("14", "22", "9", "45")]
    assert [f.group for f in counts] == ["0–12 år", "13–17 år", "18–20 år", None]
    assert len({f.metric for f in counts}) == 1
    rates = [got[q] for q in ("3,1", "9,8", "7,5", "5,9")]
    assert {f.per for f in rates} == {"1 000 invånare"}
    assert [f.group for f in rates] == ["0–12 år", "13–17 år", "18–20 år", None]
    assert len({f.metric for f in rates}) == 1
    assert rates[0].metric != got["14"].metric


PRE_RELEASE = """\
<html><head><title>Fler hushåll fick ekonomiskt bistånd 2007</title></head><body>
<h1>Fler hushåll fick ekonomiskt bistånd 2007</h1>
<p>Publicerad 2008-05-20</p>
<p>Socialstyrelsens årsstatistik visar att utbetalningarna ökade något.</p>
<pre>
Ekonomiskt bistånd 2006 och 2007, hela landet
(belopp i mnkr)

                                   2006       2007   Förändring
Biståndshushåll                 212 300    216 800       +4 500
Biståndsmottagare               398 100    404 600       +6 500
  därav barn                    131 200    133 900       +2 700
Utbetalt bistånd, mnkr            8 402      8 611         +209
</pre>
</body></html>
"""


def test_a_pre_table_is_read_as_a_table(tmp_path: Path, catalog: Catalog) -> None:
    """An older release's <pre> table: rows of counts keep their unit though the caption
    gives the amounts in mnkr, and a "därav barn" row is the persons' group."""
    path = tmp_path / "press.html"
    path.write_text(PRE_RELEASE, encoding="utf-8")
    got = {f.quote: f for f in extract_figures(load(str(path)), catalog=catalog)}
    households, persons, children = got["216 800"], got["404 600"], got["133 900"]
    assert (households.unit, households.value, households.period) == ("antal", 216_800, "2007")
    assert persons.metric == children.metric != households.metric
    assert (persons.group, children.group) == (None, "barn")
    paid = got["8 611"]
    assert (paid.unit, paid.value) == ("kronor", 8_611_000_000)
    assert got["+209"].measure == "change" and got["+209"].value == 209_000_000


AREA_TABLE = """\
<html><head><title>Kostnaderna för socialtjänsten fortsatte att öka</title></head><body>
<h1>Kostnaderna för socialtjänsten fortsatte att öka</h1>
<p>Publicerad 12 mars 2025</p>
<p>Utbetalningarna av ekonomiskt bistånd landade på 11,3 miljarder kronor under 2024.</p>
<h2>Kommunernas kostnader för individ- och familjeomsorg</h2>
<table>
<caption>Miljoner kronor, löpande priser</caption>
<tr><th>Verksamhet</th><th>2023</th><th>2024</th></tr>
<tr><td>Barn och unga</td><td>28 410</td><td>29 950</td></tr>
<tr><td>Ekonomiskt bistånd</td><td>15 720</td><td>16 260</td></tr>
<tr><td>Kommunal verksamhet utan förebild</td><td>410</td><td>455</td></tr>
<tr><td>Summa</td><td>58 900</td><td>61 380</td></tr>
</table>
</body></html>
"""


def test_a_table_of_fields_of_activity(tmp_path: Path, catalog: Catalog) -> None:
    """A caption that only gives the unit takes the heading above as its title, and a rows'
    header "Verksamhet" makes the row "Ekonomiskt bistånd" the field's cost, apart from
    the bistånd paid out; a row the catalog does not know gets no word of the header."""
    path = tmp_path / "kostnader.html"
    path.write_text(AREA_TABLE, encoding="utf-8")
    got = {f.quote: f for f in extract_figures(load(str(path)), catalog=catalog)}
    paid, field = got["11,3 miljarder kronor"], got["16 260"]
    assert (field.value, field.unit, field.period) == (16_260_000_000, "kronor", "2024")
    assert field.metric == got["15 720"].metric == "kostnad_ifo_ekonomiskt_bistand"
    assert paid.metric != field.metric
    assert got["61 380"].metric == "kostnad_ifo"
    assert "verksamhet" not in got["455"].metric
