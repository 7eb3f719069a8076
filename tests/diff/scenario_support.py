"""Read scenario files (TOML) into models, a stub catalog and expected changes.

A figure in a scenario file is a TOML table with the contract's figure fields plus
`source` and `published` for its observation. Fields left out get defaults that
make the files short: `unit = "antal"`, `quote` = the value, `sentence` = the quote,
`label` = the metric's label from `[labels]` (else the key), and `low`/`high` from
the contract's interval table when a qualifier is given.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ifo_watch.extract.catalog import Metric
from ifo_watch.models import Change, Document, Figure, Observation

HERE = Path(__file__).parent

_FACTORS = {
    "drygt": (1.0, 1.10),
    "över": (1.0, 1.10),
    "mer än": (1.0, 1.10),
    "fler än": (1.0, 1.10),
    "minst": (1.0, 1.10),
    "lite drygt": (1.0, 1.10),
    "strax över": (1.0, 1.10),
    "knappt": (0.90, 1.0),
    "närmare": (0.90, 1.0),
    "nära": (0.90, 1.0),
    "nästan": (0.90, 1.0),
    "högst": (0.90, 1.0),
    "upp till": (0.90, 1.0),
    "strax under": (0.90, 1.0),
    "cirka": (0.95, 1.05),
    "ca": (0.95, 1.05),
    "omkring": (0.95, 1.05),
    "ungefär": (0.95, 1.05),
    "runt": (0.95, 1.05),
    "kring": (0.95, 1.05),
}
_FIGURE_FIELDS = {
    "metric",
    "label",
    "value",
    "unit",
    "quote",
    "sentence",
    "measure",
    "per",
    "qualifier",
    "low",
    "high",
    "period",
    "region",
    "region_type",
    "group",
    "offset",
}


class StubCatalog:
    """A catalog built from a scenario's `[catalog.KEY]` tables (real Metric objects)."""

    def __init__(self, metrics: dict[str, Metric]) -> None:
        self._metrics = metrics
        self._canonical = {m.key: m.key for m in metrics.values()}
        for metric in metrics.values():
            for alias in metric.aliases:
                self._canonical.setdefault(alias, metric.key)

    def get(self, key: str) -> Metric | None:
        return self._metrics.get(self.canonical(key))

    def canonical(self, key: str) -> str:
        return self._canonical.get(key, key)


@dataclass(frozen=True)
class Scenario:
    """One scenario file, read."""

    name: str
    data: dict[str, Any]
    catalog: StubCatalog
    labels: dict[str, str]


def load(path: Path) -> Scenario:
    """Read one scenario file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    labels = dict(data.get("labels", {}))
    return Scenario(path.stem, data, catalog_of(data.get("catalog", {}), labels), labels)


def catalog_of(raw: dict[str, Any], labels: dict[str, str]) -> StubCatalog:
    """Build a stub catalog from `[catalog.KEY]` tables."""
    metrics = {}
    for key, entry in raw.items():
        intervals = tuple(
            (name, float(lo), float(hi)) for name, (lo, hi) in entry.get("intervals", {}).items()
        )
        metrics[key] = Metric(
            key=key,
            label=labels.get(key, key),
            unit=entry.get("unit"),
            catalogued=entry.get("catalogued", True),
            aliases=tuple(entry.get("aliases", ())),
            min_abs=entry.get("min_abs"),
            min_rel=entry.get("min_rel"),
            intervals=intervals,
        )
    return StubCatalog(metrics)


def figure(raw: dict[str, Any], labels: dict[str, str]) -> Figure:
    """Build a Figure from a scenario table, filling the defaults."""
    data = {k: v for k, v in raw.items() if k in _FIGURE_FIELDS}
    value = float(data["value"])
    data["value"] = value
    data.setdefault("unit", "antal")
    data.setdefault("label", labels.get(data["metric"], data["metric"]))
    data.setdefault("quote", _plain(value))
    data.setdefault("sentence", data["quote"])
    qualifier = data.get("qualifier")
    if qualifier and "low" not in data:
        lo, hi = _FACTORS[qualifier]
        data["low"], data["high"] = value * lo, value * hi
    data.setdefault("low", value)
    data.setdefault("high", value)
    data["low"], data["high"] = float(data["low"]), float(data["high"])
    return Figure(**data)


def observation(raw: dict[str, Any], labels: dict[str, str], **defaults: Any) -> Observation:
    """Build an Observation from a scenario table (source/published may come from its document)."""
    published = raw.get("published", defaults.get("published"))
    return Observation(
        figure=figure(raw, labels),
        source=raw.get("source", defaults.get("source", "scenario")),
        published=_date(published),
        document_id=defaults.get("document_id"),
    )


def document(raw: dict[str, Any]) -> Document:
    """Build a Document for a scenario step (the text is only stored, never extracted)."""
    return Document(
        url=raw["url"],
        text=raw.get("text", f"Text av {raw['url']} publicerad {raw.get('published')}"),
        title=raw.get("title"),
        published=_date(raw.get("published")),
    )


def check_changes(got: list[Change], expected: list[dict[str, Any]], *, where: str) -> None:
    """Assert that the changes are exactly the expected ones, field by field, in order.

    TOML has no null: the string "none" stands for it.
    """
    summary = [_summary(c) for c in got]
    assert len(got) == len(expected), f"{where}: expected {len(expected)} changes, got {summary}"
    for change, want in zip(got, expected, strict=True):
        have = _summary(change)
        for key, value in want.items():
            value = None if value == "none" else value
            assert have[key] == value, f"{where}: {key} is {have[key]!r}, want {value!r}: {have}"


def _summary(change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "status": change.status,
        "metric": change.metric,
        "region": change.region,
        "group": change.group,
        "unit": change.unit,
        "old_value": change.old.figure.value if change.old else None,
        "old_period": change.old.figure.period if change.old else None,
        "new_value": change.new.figure.value,
        "new_period": change.new.figure.period,
        "new_quote": change.new.figure.quote,
        "delta": change.delta,
        "delta_pct": change.delta_pct,
    }


def _plain(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value).replace(".", ",")


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
