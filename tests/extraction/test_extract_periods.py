"""Periods: the sentence's own year, range, date or half-year, relative words, and none."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ifo_watch import periods
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
