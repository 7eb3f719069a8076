"""Periods: the sentence's own year, range, date or half-year, relative words, and none."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ifo_watch.extract import periods
from ifo_watch.extract.catalog import Catalog
from ifo_watch.extract.figures import extract
from ifo_watch.models import Document
from ifo_watch.models import Figure as _Figure

FigureOf = Callable[..., _Figure]


def _cases(name: str, key: str) -> list[dict[str, Any]]:
    data = tomllib.loads((Path(__file__).parent / "cases" / name).read_text(encoding="utf-8"))
    cases: list[dict[str, Any]] = data[key]
    return cases


CASES = _cases("periods.toml", "case")


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_period_of_figure(case: dict[str, Any], figure_of: FigureOf) -> None:
    """A figure takes the period its sentence gives it, in the contract's forms."""
    published = date.fromisoformat(case["published"]) if "published" in case else None
    figure = figure_of(case["text"], case["quote"], published=published)
    assert figure.period == (case["period"] or None)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        (
            "Siffrorna kommer från Öppna jämförelser av den sociala barn- och ungdomsvården 2012.",
            2012,
        ),
        ("Statistik om ekonomiskt bistånd 2020 visar att färre fick stöd.", 2020),
        ("Individ- och familjeomsorg – Lägesrapport 2023 visar läget.", None),
        ("Ingen undersökning nämns här.", None),
        ("Vid den förra nationella kartläggningen 2017 var de fler.", None),
    ],
)
def test_survey_year(text: str, year: int | None) -> None:
    """A survey named with a year gives its data year; a report named for its year does not."""
    assert periods.survey_year(text) == year


@pytest.mark.parametrize(
    ("heading", "period"),
    [
        ("Orosanmälningar 2021", "2021"),
        ("den 6 mars 2012 kl. 09:00 Nyhet", None),
        ("Publicerad 18 apr 2023", None),
        ("Individ- och familjeomsorg – Lägesrapport 2023", None),
        ("Ekonomiskt bistånd 2015–2020", "2015–2020"),
        ("Öppna jämförelser 2021: socialtjänstens stöd till våldsutsatta", "2021"),
        ("Lag (SFS 2001:453) om socialtjänst", None),
        ("Stockholm i mars 2024", None),
    ],
)
def test_heading_period(heading: str, period: str | None) -> None:
    """Headings govern with years and ranges, never with publication dates or report names."""
    assert periods.heading_period(heading) == period


def test_decade_is_no_period() -> None:
    """'2000-talet' names no period."""
    assert [
        m.period for m in periods.find_periods("Boendeinsatserna har ökat under 2000-talet.")
    ] == [None]


PERIOD_SENTENCES = [
    "Enligt Lägesrapport 2023 ökade antalet under första halvåret 2022 jämfört med året innan.",
    "STATISTIK OM EKONOMISKT BISTÅND 2020 visar läget den 1 november 2021.",
    "Mellan 2018 och 2021 steg andelen, sedan 2015 har den legat högt, och förra året sjönk den.",
    "Under 2017 och tredje kvartalet 2019, April 5, 2020 och på 1990-talet var det så.",
]


@pytest.mark.parametrize("sentence", PERIOD_SENTENCES)
def test_periods_read_whatever_the_case(sentence: str) -> None:
    """Upper case finds the same periods, also where lower-casing changes the text's length.

    The parsers read the lower-cased sentence; a letter that lower-cases to two ("İ")
    moves the offsets, so the text as written is read case-insensitively instead.
    """
    published = date(2023, 5, 2)

    def found(text: str) -> list[tuple[int, int, str, str | None]]:
        return [
            (m.start, m.end, m.kind, m.period)
            for m in periods.find_periods(text, published=published, ref_year=2022)
        ]

    expected = found(sentence)
    assert len(expected) >= 2
    assert found(sentence.upper()) == expected
    shifted = found("İ " + sentence)
    assert shifted == [(s + 2, e + 2, kind, period) for s, e, kind, period in expected]
    assert len(("İ " + sentence).lower()) != len("İ " + sentence)


def test_period_sentences_cover_every_parser() -> None:
    """The sentences above hold every kind of period the parsers find."""
    kinds = {
        m.kind
        for text in PERIOD_SENTENCES
        for m in periods.find_periods(text, published=date(2023, 5, 2), ref_year=2022)
    }
    assert kinds == {
        "name", "half", "comparison", "survey", "date", "range", "since", "relative", "quarter",
        "year",
    }  # fmt: skip


def test_survey_year_where_lower_casing_moves_offsets() -> None:
    """A survey name is found when lower-casing changes the document's length."""
    assert periods.survey_year("İ Öppna jämförelser 2012 visar läget.") == 2012
    assert periods.survey_year("İ Lägesrapport 2023 och statistik saknas.") is None


def test_a_text_on_this_years_survey_is_not_about_an_older_national_one(catalog: Catalog) -> None:
    """'Vid årets kartläggning' in 2020 beside 'den nationella kartläggningen i april 2017':
    the 2017 survey is another one, and its year never governs the text's figures."""
    text = (
        "Akut hemlöshet ökar igen\n\nPublicerad 10 mars 2020\n\nVid årets kartläggning i januari "
        "fanns fler helsingborgare i akut hemlöshet än tidigare.\n\nTotalt kartlades 114 "
        "personer i akut hemlöshet.\n\nI Socialstyrelsens nationella kartläggning i april 2017 "
        "räknades 117 personer som akut hemlösa."
    )
    got = {f.quote: f for f in extract(Document(url="test", text=text), catalog=catalog)}
    assert got["114"].period != "2017"
    assert got["117"].period == "2017"
