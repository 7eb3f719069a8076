"""Metric identity: one key per indicator across wordings, distinct keys for neighbours."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ifo_watch.extract.catalog import Catalog, CatalogError
from ifo_watch.models import Figure as _Figure

FigureOf = Callable[..., _Figure]


def _cases(name: str, key: str) -> list[dict[str, Any]]:
    data = tomllib.loads((Path(__file__).parent / "cases" / name).read_text(encoding="utf-8"))
    cases: list[dict[str, Any]] = data[key]
    return cases


SAME = _cases("identity.toml", "same")
DISTINCT = _cases("identity.toml", "distinct")


@pytest.mark.parametrize("case", SAME, ids=[c.get("key", "same") for c in SAME])
def test_same_indicator_same_key(case: dict[str, Any], figure_of: FigureOf) -> None:
    """Different wordings of one indicator share its key (and each its group, when given)."""
    figures = [figure_of(text, quote) for text, quote in case["sentences"]]
    keys = {f.metric for f in figures}
    assert len(keys) == 1, keys
    if "key" in case:
        assert keys == {case["key"]}
    if "groups" in case:
        assert [f.group or "" for f in figures] == case["groups"]


@pytest.mark.parametrize("case", DISTINCT, ids=[c["why"] for c in DISTINCT])
def test_neighbours_get_distinct_keys(case: dict[str, Any], figure_of: FigureOf) -> None:
    """Neighbouring indicators (a share, a rate, a change, adults) never share a key."""
    keys = [figure_of(text, quote).metric for text, quote in case["sentences"]]
    assert len(set(keys)) == len(keys), keys


def test_derived_keys_are_stable_across_documents(figure_of: FigureOf) -> None:
    """The same words around an unknown indicator give the same derived key."""
    a = figure_of(
        "45 procent av kommunerna erbjuder digitala möten med familjehemmen.", "45 procent"
    )
    b = figure_of(
        "Nu erbjuder 51 procent av kommunerna digitala möten med familjehemmen.", "51 procent"
    )
    assert a.metric == b.metric
    assert a.metric.startswith("andel_")


def test_change_key_differs_from_level(catalog: Catalog) -> None:
    """A change of a catalogued indicator is keyed by direction, apart from its level."""
    level = catalog.identify(
        "andelen kommuner med BBIC-licens", unit="procent", measure="level", per=None
    )
    up = catalog.identify(
        "ökade andelen kommuner med BBIC-licens", unit="procent", measure="change", per=None
    )
    assert up.key == f"okning_{level.key}"
    assert up.measure == "change"


def test_aliases_resolve(catalog: Catalog) -> None:
    """An old key resolves to the current one, for changes too."""
    assert catalog.canonical("barn_langvarigt_bistand") == "barn_langvarigt_ekonomiskt_bistand"
    assert (
        catalog.canonical("okning_barn_langvarigt_bistand")
        == "okning_barn_langvarigt_ekonomiskt_bistand"
    )
    metric = catalog.get("barn_langvarigt_bistand")
    assert metric is not None and metric.label.startswith("Barn i familjer")
    assert catalog.get("no_such_key") is None
    change = catalog.get("okning_barn_langvarigt_bistand")
    assert change is not None and change.measure == "change"
    assert change.key == "okning_barn_langvarigt_ekonomiskt_bistand"


def test_catalog_covers_the_known_indicators(catalog: Catalog) -> None:
    """The shipped catalog has the IFO indicators the project watches, each labelled in Swedish."""
    keys = {m.key for m in catalog.metrics}
    assert len(keys) >= 40
    for key in ("orosanmalningar", "orosanmalningar_per_dag", "orosanmalningar_per_1000_barn",
                "barn_familjehem", "barn_hvb", "vuxna_lvm", "andel_kommuner_bbic_licens",
                "hemlosa", "skyddade_boenden", "svarsfrekvens"):  # fmt: skip
        assert key in keys
    assert all(m.label and m.label[0].isupper() for m in catalog.metrics)


def test_bad_catalog_is_one_clear_error(tmp_path: Path) -> None:
    """A malformed catalog raises CatalogError naming the file."""
    bad = tmp_path / "catalog.toml"
    bad.write_text("[[metric]]\nkey = 'x'\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="x"):
        Catalog.load(bad)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ett första besök inom 14 dagar.", {"inom # dagar"}),
        ("En Lex Sarah-anmälan gjordes.", {"lex sarah"}),
        ("Mellan 3 och 4.", set()),
        ("Andelen var 3 %.", {"# %"}),  # a phrase with no word of letters is still tested
    ],
)
def test_catalog_phrases_are_found_in_the_folded_text(text: str, found: set[str]) -> None:
    """Phrases match the lower-cased text with numbers as "#" and hyphens as spaces."""
    from ifo_watch.extract.catalog import _TermIndex

    phrases = {"inom # dagar", "lex sarah", "# %"}
    assert _TermIndex(phrases).present(text) & phrases == found
