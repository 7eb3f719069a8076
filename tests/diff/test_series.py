"""Which stored series a reworded indicator continues (track.series), cases as data."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from scenario_support import HERE

from ifo_watch.models import Figure
from ifo_watch.track import series
from ifo_watch.track.diff import Key

CASES = tomllib.loads((HERE / "series_cases.toml").read_text(encoding="utf-8"))["case"]
UNITS = {"antal": "antal", "andel": "procent", "belopp": "kronor", "dagar": "dagar"}


def _entry(row: list[Any]) -> tuple[Key, Figure]:
    key, value, period, *place = row
    region = place[0] if place else None
    unit = UNITS.get(key.split("_")[0], "antal")
    fig = Figure(
        metric=key, label=key, value=float(value), unit=unit, quote=str(value), sentence="",
        period=period, region=region,
    )  # fmt: skip
    return (key, region, None), fig


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_links(case: dict[str, Any]) -> None:
    new = dict(_entry(row) for row in case["new"])
    stored = dict(_entry(row) for row in case["stored"])
    present = [(key, None, None) for key in case.get("present", [])] + list(new)
    got = series.links(new, stored, present=present)
    assert {k[0]: v[0] for k, v in got.items()} == case["links"]
