"""Groups: sex and age bands that limit a figure, not the words that define an indicator."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ifo_watch.models import Figure as _Figure

FigureOf = Callable[..., _Figure]


def _cases(name: str, key: str) -> list[dict[str, Any]]:
    data = tomllib.loads((Path(__file__).parent / "cases" / name).read_text(encoding="utf-8"))
    cases: list[dict[str, Any]] = data[key]
    return cases


CASES = _cases("groups.toml", "case")


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_group_of_figure(case: dict[str, Any], figure_of: FigureOf) -> None:
    """A breakdown gets its group; the indicator's own population does not."""
    assert figure_of(case["text"], case["quote"]).group == (case["group"] or None)
