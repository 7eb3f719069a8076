"""Shared fixtures for the extraction tests: the catalog and one-paragraph extraction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from ifo_watch.extract.catalog import Catalog
from ifo_watch.extract.figures import extract
from ifo_watch.models import Document, Figure

FigureOf = Callable[..., Figure]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """Return the shipped catalog, loaded once."""
    return Catalog.load()


@pytest.fixture(scope="session")
def figure_of(catalog: Catalog) -> FigureOf:
    """Return a function: extract a one-paragraph document, give the figure with a quote."""

    def find(text: str, quote: str, *, published: date | None = None) -> Figure:
        doc = Document(url="test", text=text, published=published)
        figures = extract(doc, catalog=catalog)
        found = [f for f in figures if f.quote == quote]
        assert found, f"no figure {quote!r} in {[f.quote for f in figures]}"
        return found[0]

    return find
