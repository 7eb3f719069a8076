"""Whole documents: regions, cross-sentence reference, periods from context, tables, non-figures."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ifo_watch.extract.catalog import Catalog
from ifo_watch.extract.figures import extract
from ifo_watch.models import Document, Figure, Table


def _cases(name: str, key: str) -> list[dict[str, Any]]:
    data = tomllib.loads((Path(__file__).parent / "cases" / name).read_text(encoding="utf-8"))
    cases: list[dict[str, Any]] = data[key]
    return cases


DOCUMENTS = _cases("documents.toml", "document")
CHECKED = ("value", "unit", "measure", "period", "region", "region_type", "group", "metric")
CHECKED += ("label", "identity", "per")


def _document(case: dict[str, Any]) -> Document:
    tables = tuple(
        Table(
            caption=t.get("caption"),
            header=tuple(tuple(row) for row in t.get("header", [])),
            rows=tuple(tuple(row) for row in t["rows"]),
        )
        for t in case.get("tables", [])
    )
    return Document(
        url=f"test:{case['name']}",
        text=case["text"],
        published=date.fromisoformat(case["published"]),
        publisher=case.get("publisher"),
        title=case.get("title"),
        tables=tables,
    )


@pytest.mark.parametrize("case", DOCUMENTS, ids=[d["name"] for d in DOCUMENTS])
def test_document_figures(case: dict[str, Any], catalog: Catalog) -> None:
    """The document gives exactly the expected figures, in order, with the expected fields."""
    got = extract(_document(case), catalog=catalog)
    want = case.get("figures", [])
    assert [f.quote for f in got] == [w["quote"] for w in want]
    for index, (fig, expected) in enumerate(zip(got, want, strict=True)):
        _check(index, fig, expected, got)


def _check(index: int, fig: Figure, expected: dict[str, Any], got: list[Figure]) -> None:
    where = f"figure {index} {fig.quote!r}"
    for name in CHECKED:
        if name in expected:
            assert getattr(fig, name) == (expected[name] if expected[name] != "" else None), where
    if "same_metric_as" in expected:
        assert fig.metric == got[expected["same_metric_as"]].metric, where
    if "other_metric_than" in expected:
        assert fig.metric != got[expected["other_metric_than"]].metric, where


def test_figures_carry_their_sentence_and_offset(catalog: Catalog) -> None:
    """Quote and sentence are as written; the offset points at the quote in the text."""
    text = (
        "Rubrik\n\nBl.a. visar rapporten att ca 40 procent av kommunerna har en plan, "
        "t.ex. mot våld. Nästa mening."
    )
    doc = Document(url="test", text=text)
    (fig,) = extract(doc, catalog=catalog)
    assert (
        fig.sentence
        == "Bl.a. visar rapporten att ca 40 procent av kommunerna har en plan, t.ex. mot våld."
    )
    assert text[fig.offset : fig.offset + len(fig.quote)] == fig.quote


def test_document_order(catalog: Catalog) -> None:
    """Figures come in the order they stand in the text, table figures after the text."""
    doc = _document(DOCUMENTS[-1])
    got = extract(doc, catalog=catalog)
    offsets = [f.offset for f in got]
    assert offsets == sorted(offsets)


@pytest.mark.parametrize("lead", ["", "İ "], ids=["plain", "lower-casing moves offsets"])
@pytest.mark.parametrize("contrast", ["medan", "MEDAN", "Medan"])
def test_contrast_starts_a_clause_in_any_case(catalog: Catalog, lead: str, contrast: str) -> None:
    """A contrast word in any case gives each side its own place."""
    text = (
        f"{lead}I Blekinge erbjuder 40 procent av kommunerna stödet, "
        f"{contrast} bara 20 procent gör det i Jämtland."
    )
    got = {f.quote: f.region for f in extract(Document(url="test", text=text), catalog=catalog)}
    assert got == {"40 procent": "Blekinge län", "20 procent": "Jämtlands län"}
