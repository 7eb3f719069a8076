"""Finding Swedish places in sentences: län, kommuner and the words that only look like them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ifo_watch.extract.regions import (
    counties,
    county_of,
    find_places,
    municipalities,
    newspaper_place,
    normalize_place,
)

_TABLE = Path(__file__).parent / "places.tsv"


def _cases() -> list[tuple[str, list[tuple[str, str]]]]:
    lines = [line for line in _TABLE.read_text("utf-8").splitlines() if not line.startswith("#")]
    cases = []
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        expected = [
            (name.strip(), kind.strip())
            for item in (row["expected"] or "").split(" ; ")
            if item.strip()
            for name, kind in [item.rsplit(":", 1)]
        ]
        cases.append((row["sentence"], expected))
    return cases


CASES = _cases()


def test_table_is_large_enough() -> None:
    """The table holds at least 60 sentences, with and without places."""
    assert len(CASES) >= 60
    assert sum(1 for _, expected in CASES if not expected) >= 10


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:50] for c in CASES])
def test_find_places(sentence: str, expected: list[tuple[str, str]]) -> None:
    """Each sentence gives exactly the listed places, in order."""
    assert [(p.name, p.type) for p in find_places(sentence)] == expected


def test_gazetteer_counts() -> None:
    """The gazetteer holds exactly 21 län and 290 kommuner, each name once."""
    assert len(counties()) == len(set(counties())) == 21
    assert len(municipalities()) == len(set(municipalities())) == 290
    assert all(name.endswith(" län") for name in counties())
    assert not set(counties()) & set(municipalities())


def test_every_kommun_lies_in_a_listed_lan() -> None:
    """Each kommun belongs to one of the 21 län, and every län has a kommun."""
    lan_of = {kommun: county_of(kommun) for kommun in municipalities()}
    assert set(lan_of.values()) == set(counties())
    assert county_of("Sverige") is None


@pytest.mark.parametrize("name", municipalities())
def test_every_kommun_is_found_after_i(name: str) -> None:
    """'i X' and 'X kommun' name the kommun X, with the span of the mention."""
    for sentence in (f"Andelen var 3 procent i {name} under 2022.", f"{name} kommun ökade."):
        places = find_places(sentence)
        assert [(p.name, p.type) for p in places] == [(name, "kommun")]
        assert normalize_place(sentence[places[0].start : places[0].end]) == (name, "kommun")


@pytest.mark.parametrize("name", counties())
def test_every_lan_by_official_name(name: str) -> None:
    """The official name of each län, in a sentence or alone, reads as that län."""
    assert [(p.name, p.type) for p in find_places(f"I {name} ökade antalet.")] == [(name, "län")]
    assert normalize_place(name) == (name, "län")
    assert normalize_place(name.upper()) == (name, "län")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Region Stockholm", ("Stockholms län", "län")),
        ("Stockholms stad", ("Stockholm", "kommun")),
        ("Jönköpings län", ("Jönköpings län", "län")),
        ("Malmö stad", ("Malmö", "kommun")),
        ("Göteborgs Stad", ("Göteborg", "kommun")),
        ("Jämtland", ("Jämtlands län", "län")),
        ("Sörmland", ("Södermanlands län", "län")),
        ("Region Jämtland Härjedalen", ("Jämtlands län", "län")),
        ("Uppsala", ("Uppsala", "kommun")),
        ("Vara", ("Vara", "kommun")),
        ("Upplands-bro", ("Upplands-Bro", "kommun")),
        ("  Östra  Göinge ", ("Östra Göinge", "kommun")),
        ("Riket", None),
        ("Sverige", None),
        ("Göteborgsregionen", None),
        ("", None),
    ],
)
def test_normalize_place(text: str, expected: tuple[str, str] | None) -> None:
    """A text that is one place name maps to its official name and type; others to None."""
    assert normalize_place(text) == expected


_PIECES = st.sampled_from(
    [
        "i ",
        "I ",
        " och ",
        ", ",
        " län",
        " kommun",
        " stad",
        "Region ",
        "s",
        "-",
        " ",
        ".",
        "\n",
        "säger ",
        "Vara",
        "Mark",
        "Stockholm",
        "Örebro",
        "Jämtland",
        "Västra Götaland",
        "Upplands",
        "Väsby",
        "Anna",
        "Svensson",
        "12 procent",
    ]
)
_TEXT = st.one_of(st.text(max_size=200), st.lists(_PIECES, max_size=40).map("".join))


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_find_places_never_raises_and_spans_match(text: str) -> None:
    """Any text gives ordered, disjoint spans that each read as a place on their own."""
    end = 0
    for place in find_places(text):
        assert end <= place.start < place.end <= len(text)
        end = place.end
        assert place.type in ("län", "kommun")
        assert normalize_place(text[place.start : place.end]) is not None


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("Jönköpings-Posten", ("Jönköping", "kommun")),
        ("Borlänge Tidning", ("Borlänge", "kommun")),
        ("Eskilstuna-Kuriren", ("Eskilstuna", "kommun")),
        ("Göteborgsbladet", ("Göteborg", "kommun")),
        ("Västmanlandsnytt", ("Västmanlands län", "län")),
        ("Dagens Nyheter", None),
        ("Socialstyrelsen", None),
        ("UNT", ("Uppsala", "kommun")),
        ("ST", ("Sundsvall", "kommun")),
        ("SVT", None),
    ],
)
def test_a_local_paper_names_its_place(name: str, place: tuple[str, str] | None) -> None:
    """A local paper named after a kommun or län speaks of that place."""
    assert newspaper_place(name) == place
