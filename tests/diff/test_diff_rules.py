"""The building blocks of change detection: periods, intervals, ids, ordering."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest
from scenario_support import HERE

from ifo_watch.models import Figure, Observation
from ifo_watch.track import diff

CASES = tomllib.loads((HERE / "period_cases.toml").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize(("period", "end"), CASES)
def test_period_end(period: str, end: str) -> None:
    """Every period form orders by its last day; unknown forms give None."""
    want = None if end == "none" else date.fromisoformat(end)
    assert diff.period_end(period) == want


def _fig(value: float, **kw: object) -> Figure:
    return Figure(
        metric="m", label="M", value=value, unit="antal", quote=str(value), sentence="", **kw
    )  # type: ignore[arg-type]


def test_change_id_is_stable_and_short() -> None:
    """The same new figure of one key gets the same id; another source gets another."""
    a = diff.change_id("m", None, None, 56000.0, "2023", "https://a")
    assert a == diff.change_id("m", None, None, 56000, "2023", "https://a")
    assert a != diff.change_id("m", None, None, 56000.0, "2023", "https://b")
    assert len(a) == 8 and int(a, 16) >= 0


def test_worded_figure_without_qualifier_is_hedged() -> None:
    """A figure with no qualifier but low < high ("sex av tio") is hedged, class worded."""
    fig = _fig(60, low=54, high=66)
    assert not diff.is_exact(fig)
    assert diff.hedge_class(fig) == "worded"
    assert diff.hedge_class(_fig(60, low=60, high=60)) is None


def test_missing_bounds_fall_back_to_contract_factors() -> None:
    """A hedged figure without low/high gets the contract's default interval."""
    assert diff.interval(_fig(1000, qualifier="närmare")) == (900, 1000)
    assert diff.interval(_fig(1000, qualifier="runt")) == (950, 1050)


def test_baseline_order() -> None:
    """Period beats none, newer beats older, exact beats hedged, later publication wins."""

    def obs(fig: Figure, published: str | None = None) -> Observation:
        return Observation(fig, "s", date.fromisoformat(published) if published else None)

    none = obs(_fig(1))
    old = obs(_fig(2, period="2021"))
    hedged = obs(_fig(3, period="2022", qualifier="drygt", low=3, high=3.3), "2024-01-01")
    exact = obs(_fig(4, period="2022"), "2023-01-01")
    later = obs(_fig(5, period="2022"), "2023-06-01")
    assert diff.best([none, old]) is old
    assert diff.best([old, hedged]) is hedged
    assert diff.best([hedged, exact]) is exact
    assert diff.best([exact, later]) is later
    assert diff.best([later, exact]) is later
