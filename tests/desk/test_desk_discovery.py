"""Discovery: `metrics` lists and searches the indicators; names and places are found as written."""

from __future__ import annotations

import json

import pytest
from deskkit import Desk

from ifo_watch.errors import UsageError
from ifo_watch.track import fold, resolve_region

METRICS_BARN = """\
barn_langvarigt_ekonomiskt_bistand
    Barn i familjer med långvarigt ekonomiskt bistånd
    antal · 2 uppgifter · senast närmare 56 000 (2023)
orosanmalningar
    Orosanmälningar om barn
    antal · 3 uppgifter · senast 402 000 (2023)
orosanmalningar_per_dag
    Orosanmälningar om barn per dag
    antal · 1 uppgift · senast 1 100 (2023)
placerade_barn_hvb
    Placerade barn på HVB
    antal · inga uppgifter
4 indicators match 'barn'
"""


def test_metrics_barn_lists_the_indicators_with_barn_in_their_label(desk: Desk) -> None:
    """`metrics barn`: key, label, unit, figures held and the newest, every key whole."""
    assert desk.run("metrics", "barn") == (0, METRICS_BARN, "")


def test_metrics_lists_the_catalog_and_the_state(desk: Desk) -> None:
    """Without a search, every indicator; the newest figure is the whole country's."""
    code, out, _ = desk.run("metrics")
    assert code == 0
    assert out.splitlines()[:3] == [
        "andel_kommuner_socialjour",
        "    Andel kommuner med socialjour dygnet runt",
        "    procent · 3 uppgifter · senast 62 procent (2012)",  # the country's, not a län's
    ]
    assert out.splitlines()[-1] == "6 indicators"


def test_metrics_search_ignores_case_and_diacritics(desk: Desk) -> None:
    """'HEMLÖS' and 'hemlos' find 'Personer i hemlöshet'; -q leaves out the count."""
    expected = (
        "hemlosa_personer\n    Personer i hemlöshet\n    antal · 1 uppgift · senast 33 000 (2017)\n"
    )
    assert desk.run("metrics", "HEMLÖS") == (0, expected + "1 indicator matches 'HEMLÖS'\n", "")
    assert desk.run("-q", "metrics", "hemlos") == (0, expected, "")


def test_metrics_without_a_match_suggests_the_nearest(desk: Desk) -> None:
    """A search that finds nothing names the nearest keys."""
    assert desk.run("metrics", "orosanmalnigar") == (
        0,
        "no indicator matches 'orosanmalnigar'; did you mean orosanmalningar, "
        "orosanmalningar_per_dag? (ifo-watch metrics lists them)\n",
        "",
    )


def test_metrics_json(desk: Desk) -> None:
    """`metrics --format json`: one array, each indicator with its newest figure."""
    code, out, _ = desk.run("metrics", "orosanmälningar", "--format", "json")
    assert code == 0
    found = json.loads(out)
    assert [m["metric"] for m in found] == ["orosanmalningar", "orosanmalningar_per_dag"]
    assert found[0] == {
        "metric": "orosanmalningar",
        "label": "Orosanmälningar om barn",
        "unit": "antal",
        "catalogued": True,
        "observations": 3,
        "latest": {
            "value": 402000,
            "period": "2023",
            "quote": "402 000",
            "source": "https://www.socialstyrelsen.se/aktuellt/orosanmalningar-2023/",
            "published": "2024-05-14",
            "region": None,
            "group": None,
        },
    }


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("orosanmalningar", "orosanmalningar"),  # a key
        ("orosanmalning", "orosanmalningar"),  # a key without its Swedish ending
        ("barn_langvarigt_bistand", "barn_langvarigt_ekonomiskt_bistand"),  # an old key
        ("barn_lang", "barn_langvarigt_ekonomiskt_bistand"),  # the start of a key
        ("långvarigt bistånd", "barn_langvarigt_ekonomiskt_bistand"),  # words of the label
        ("hemlöshet", "hemlosa_personer"),
    ],
)
def test_history_takes_a_key_a_prefix_or_label_words(desk: Desk, name: str, key: str) -> None:
    """Every way of naming an indicator finds its series."""
    code, out, err = desk.run("history", name, "--format", "csv")
    assert (code, err) == (0, "")
    assert {line.split(",")[0] for line in out.splitlines()[1:]} == {key}


def test_an_unknown_indicator_is_one_line_with_the_nearest_names(desk: Desk) -> None:
    """A misspelt name: exit 2, the nearest keys suggested."""
    assert desk.run("history", "orosanmalningr") == (
        2,
        "",
        "error: no indicator matches 'orosanmalningr'; did you mean orosanmalningar, "
        "orosanmalningar_per_dag? (ifo-watch metrics lists them)\n",
    )


def test_an_ambiguous_name_lists_what_it_matches(desk: Desk) -> None:
    """Words matching several indicators with figures: each named, with its count."""
    assert desk.run("history", "om barn") == (
        2,
        "",
        "error: 'om barn' matches 2 indicators: orosanmalningar (3 figures), "
        "orosanmalningar_per_dag (1 figure); name one (ifo-watch metrics om barn lists them)\n",
    )


def test_an_indicator_without_figures_says_so(desk: Desk) -> None:
    """A catalogued indicator the state has no figure of: where to get some."""
    assert desk.run("history", "placerade")[2] == (
        "error: no figures for placerade_barn_hvb; the state has none of it yet "
        "(ifo-watch seed, ifo-watch run)\n"
    )


@pytest.mark.parametrize("written", ["Gotland", "gotland", "Region Gotland", "Gotlands län"])
def test_history_normalises_places(desk: Desk, written: str) -> None:
    """'Gotland', 'Region Gotland' are the state's 'Gotlands län'."""
    code, out, _ = desk.run(
        "history", "andel_kommuner_socialjour", "--region", written, "--format", "csv"
    )
    assert code == 0
    assert [line.split(",")[3] for line in out.splitlines()[1:]] == ["Gotlands län"] * 2


def test_a_place_without_figures_names_those_with(desk: Desk) -> None:
    """'Uppsala' is Uppsala län; the error names the places the indicator has figures for."""
    assert desk.run("history", "socialjour", "--region", "Uppsala")[2] == (
        "error: no figures for andel_kommuner_socialjour (Uppsala län); "
        "it has figures for Gotlands län, riket\n"
    )
    assert desk.run("history", "socialjour", "--region", "Upsala")[2] == (
        "error: no place named 'Upsala'; did you mean Uppsala, Uppsala län, Sala?\n"
    )


@pytest.mark.parametrize(
    ("written", "present", "place"),
    [
        ("Uppsala", [], "Uppsala län"),  # neither has figures: the län
        ("Uppsala", ["Uppsala"], "Uppsala"),  # the state holds the kommun
        ("Uppsala", ["Uppsala län", "Uppsala"], "Uppsala"),  # written exactly as stored
        ("Region Uppsala", ["Uppsala"], "Uppsala län"),
        ("Uppsala kommun", [], "Uppsala"),
        ("Malmö stad", [], "Malmö"),
        ("Stockholm", [], "Stockholms län"),
        ("Västra Götaland", [], "Västra Götalands län"),
        ("riket", [], None),
    ],
)
def test_resolve_region(written: str, present: list[str], place: str | None) -> None:
    """A place as people write it, as the extractor stores it."""
    assert resolve_region(written, present=present) == place


def test_resolve_region_refuses_a_non_place() -> None:
    with pytest.raises(UsageError, match="no place named 'Atlantis'"):
        resolve_region("Atlantis")


def test_fold() -> None:
    assert fold("Orosanmälningar ÅÄÖ é") == "orosanmalningar aao e"
