"""Baseline vs new figures -> changes and history, by the contract's restatement rules.

Pure: no I/O and no clock. The caller (baseline.py) reads the baseline and the changes
already found from the store, calls `detect`, and records what it returns.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from ifo_watch import extract
from ifo_watch.models import Change, ChangeKind, Figure, Observation

Key = tuple[str, str | None, str | None]  # (metric, region, group)

_EPS = 1e-9


class MetricInfo(Protocol):
    """What diff needs of a catalogued metric (catalog.Metric satisfies it)."""

    @property
    def key(self) -> str: ...
    @property
    def catalogued(self) -> bool: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def min_abs(self) -> float | None: ...
    @property
    def min_rel(self) -> float | None: ...
    @property
    def intervals(self) -> tuple[tuple[str, float, float], ...]: ...


class CatalogLike(Protocol):
    """What diff needs of the metric catalog (catalog.Catalog satisfies it)."""

    def get(self, key: str) -> MetricInfo | None: ...
    def canonical(self, key: str) -> str: ...


class EmptyCatalog:
    """A catalog that knows no metric: every key is its own, no thresholds."""

    def get(self, key: str) -> MetricInfo | None:
        """Return None: nothing is catalogued."""
        return None

    def canonical(self, key: str) -> str:
        """Return the key unchanged."""
        return key


@dataclass(frozen=True)
class DiffResult:
    """What one document's figures mean against the baseline."""

    changes: tuple[Change, ...]
    history: tuple[Observation, ...]  # observed, but no change


def key_of(figure: Figure, catalog: CatalogLike | None = None) -> Key:
    """Return the (metric, region, group) a figure belongs to, with the canonical metric."""
    metric = catalog.canonical(figure.metric) if catalog else figure.metric
    return (metric, figure.region, figure.group)


def period_end(period: str | None) -> date | None:
    """Return the last day a period covers, so that periods of any form compare.

    "2021" -> 2021-12-31, "2020–2022" -> 2022-12-31 (a range counts by its end),
    "2018-11-01" -> that day, "2004-H1" -> 2004-06-30, "2023-Q2" -> 2023-06-30,
    "2023-05" -> 2023-05-31. None for no period or a form it does not know.
    """
    if not period:
        return None
    return _period_end(period)


@functools.lru_cache(maxsize=4096)
def _period_end(period: str) -> date | None:
    """The work of `period_end`, kept per text: a cycle compares the same few periods often."""
    text = period.strip()
    parts = re.split(r"\s*[–—-]\s*(?=\d{4}\b)", text)
    last = parts[-1]
    return _parse_point(last)


def _parse_point(text: str) -> date | None:
    if m := re.fullmatch(r"(\d{4})", text):
        return date(int(m[1]), 12, 31)
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if m := re.fullmatch(r"(\d{4})-H([12])", text, re.IGNORECASE):
        return date(int(m[1]), 6, 30) if m[2] == "1" else date(int(m[1]), 12, 31)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text, re.IGNORECASE):
        month = int(m[2]) * 3
        return _month_end(int(m[1]), month)
    if (m := re.fullmatch(r"(\d{4})-(\d{2})", text)) and 1 <= int(m[2]) <= 12:
        return _month_end(int(m[1]), int(m[2]))
    return None


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)


def is_exact(figure: Figure) -> bool:
    """Return True for a figure stated exactly: no known hedge word and no interval."""
    return hedge_class(figure) is None


def hedge_class(figure: Figure) -> str | None:
    """Return "over", "under", "about" or "worded" for a hedged figure, None when exact.

    A figure without a qualifier whose bounds differ ("sex av tio", "tusen") is worded.
    """
    low = figure.value if figure.low is None else figure.low
    high = figure.value if figure.high is None else figure.high
    worded = abs(high - low) > _EPS * max(1.0, abs(figure.value))
    return extract.hedge_class(figure.qualifier, worded=worded)


def interval(figure: Figure, metric: MetricInfo | None = None) -> tuple[float, float]:
    """Return the interval a figure's wording implies, with the metric's overrides.

    Without an override the figure's own low/high (set by the extractor) stand; a
    catalogued metric may widen or narrow one hedge class ("about" = ±10 % for a
    noisy count).
    """
    cls = hedge_class(figure)
    if cls is None:
        return (figure.value, figure.value)
    overrides = {name: (lo, hi) for name, lo, hi in metric.intervals} if metric else {}
    if cls not in overrides and figure.low is not None and figure.high is not None:
        return _ordered(figure.low, figure.high)
    return extract.interval(
        figure.value, figure.qualifier, worded=cls == "worded", overrides=overrides
    )


def _ordered(a: float, b: float) -> tuple[float, float]:
    return (a, b) if a <= b else (b, a)


def _contains(bounds: tuple[float, float], value: float) -> bool:
    tol = _EPS * max(1.0, abs(value))
    return bounds[0] - tol <= value <= bounds[1] + tol


def restates(a: Figure, b: Figure, metric: MetricInfo | None = None) -> bool:
    """Return True when two figures say the same thing in other words.

    Two exact values restate each other only when equal; otherwise every hedged
    side's interval must contain the other side's value.
    """
    a_exact, b_exact = is_exact(a), is_exact(b)
    if a_exact and b_exact:
        return abs(a.value - b.value) <= _EPS * max(1.0, abs(a.value))
    if not a_exact and not _contains(interval(a, metric), b.value):
        return False
    return b_exact or _contains(interval(b, metric), a.value)


def order_key(obs: Observation) -> tuple[int, date, int, date]:
    """Return the sort key of the baseline order: the greatest key wins.

    A figure with a period beats one without; a newer period beats an older one;
    for the same period an exact value beats a hedged one, then the later
    publication wins.
    """
    end = period_end(obs.figure.period)
    return (
        0 if end is None else 1,
        end or date.min,
        1 if is_exact(obs.figure) else 0,
        obs.published or date.min,
    )


def best(observations: Iterable[Observation]) -> Observation:
    """Return the observation that would be the baseline's among several of one key.

    Ties keep the earliest (document order), so the result does not depend on sorting.
    """
    items = list(observations)
    top = items[0]
    for obs in items[1:]:
        if order_key(obs) > order_key(top):
            top = obs
    return top


def change_id(
    metric: str,
    region: str | None,
    group: str | None,
    value: float,
    period: str | None,
    source: str,
) -> str:
    """Return a short hex id, stable across runs for the same new figure of one key."""
    payload = json.dumps([metric, region, group, _canon_number(value), period, source])
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:8]


def _canon_number(value: float) -> str:
    return repr(int(value)) if float(value).is_integer() else repr(round(float(value), 6))


def within_threshold(old: Figure, new: Figure, metric: MetricInfo | None) -> bool:
    """Return True when a move is too small to count by the metric's thresholds.

    `min_abs` is in the figure's unit (procentenheter for shares); `min_rel` is in
    percent of the old value, like `delta_pct` (2.0 = 2 %). A move counts only when
    it is larger than every threshold set.
    """
    if metric is None:
        return False
    delta = abs(new.value - old.value)
    if metric.min_abs is not None and delta <= metric.min_abs + _EPS:
        return True
    if metric.min_rel is not None and old.value:
        return delta / abs(old.value) * 100 <= metric.min_rel + _EPS
    return False


def make_change(
    key: Key, new: Observation, old: Observation | None, *, kind: ChangeKind | None = None
) -> Change:
    """Build a Change for one key, with delta and delta_pct.

    For shares the plain difference is already in procentenheter. `kind` is
    "changed" with an old figure and "new" without, unless given ("revised").
    """
    metric, region, group = key
    fig = new.figure
    delta = delta_pct = None
    if old is not None:
        delta = fig.value - old.figure.value
        if old.figure.value:
            delta_pct = round(delta / abs(old.figure.value) * 100, 1)
    return Change(
        kind=kind or ("changed" if old is not None else "new"),
        metric=metric,
        label=fig.label,
        unit=fig.unit,
        new=new,
        old=old,
        region=region,
        group=group,
        delta=delta,
        delta_pct=delta_pct,
        id=change_id(metric, region, group, fig.value, fig.period, new.source),
    )


def detect(
    new: Sequence[Observation],
    *,
    baseline: Mapping[Key, Observation],
    found: Iterable[Change] = (),
    observed: Mapping[Key, Sequence[Figure]] | None = None,
    catalog: CatalogLike | None = None,
) -> DiffResult:
    """Compare one document's observations with the baseline and the changes already found.

    `baseline` and `found` may use old (alias) keys: everything is compared under the
    catalog's canonical key. Changes come out in the contract's order (label, region,
    group); every observation that is not a change comes out as history.

    `observed` holds the figures already recorded for each key. A figure without a
    period that restates one of them is history: "331 000" with no year, repeated after
    the baseline moved on to 383 000 (2023), is an old figure quoted again, not a fall.
    """
    cat: CatalogLike = catalog or EmptyCatalog()
    base = {_canon(k, cat): obs for k, obs in baseline.items()}
    before = {_canon(k, cat): figs for k, figs in (observed or {}).items()}
    seen: dict[Key, list[Change]] = {}
    for change in found:
        seen.setdefault(_canon((change.metric, change.region, change.group), cat), []).append(
            change
        )
    changes: list[Change] = []
    history: list[Observation] = []
    for key, items in _by_key(new, cat).items():
        top = best(items)
        history.extend(o for o in items if o is not top)
        metric = cat.get(key[0])
        if top.figure.period is None and any(
            restates(top.figure, fig, metric) for fig in before.get(key, ())
        ):
            history.append(top)
            continue
        found_change = _judge(key, top, base.get(key), seen.get(key, []), metric)
        if found_change is None:
            history.append(top)
        else:
            changes.append(found_change)
    changes, twins = _without_twins(changes, cat)
    history.extend(twins)
    changes.sort(key=sort_key)
    return DiffResult(changes=tuple(changes), history=tuple(history))


def _without_twins(
    changes: list[Change], cat: CatalogLike
) -> tuple[list[Change], list[Observation]]:
    """Keep one of the changes that move the same values between the same periods.

    A document that gives "1 046 … 1 118 vuxna" in its prose and again in a table under
    other words makes two keys of one indicator: both from 1 046 (2023) to 1 118 (2024)
    for the same place and group. One change is posted, under the catalog's key when one
    of them has it; the other's figure is history.
    """
    kept: dict[tuple[object, ...], Change] = {}
    twins: list[Observation] = []
    for change in changes:
        if change.old is None or extract.is_spread_end(change.metric):
            # (a spread's end may well equal a place's own figure: "som högst 151 dagar")
            kept[(id(change),)] = change
            continue
        old, new = change.old.figure, change.new.figure
        twin = (
            change.unit,
            change.region,
            change.group,
            old.value,
            old.period,
            new.value,
            new.period,
        )
        other = kept.get(twin)
        if other is None:
            kept[twin] = change
        elif cat.get(change.metric) is not None and cat.get(other.metric) is None:
            kept[twin] = change
            twins.append(other.new)
        else:
            twins.append(change.new)
    return list(kept.values()), twins


def undated_keys(new: Sequence[Observation], catalog: CatalogLike | None = None) -> set[Key]:
    """Return the keys whose figure, once reduced (`best`), has no period.

    Only for these does `detect` look at the figures recorded before (`observed`).
    """
    cat: CatalogLike = catalog or EmptyCatalog()
    return {key for key, items in _by_key(new, cat).items() if best(items).figure.period is None}


def _by_key(new: Sequence[Observation], catalog: CatalogLike) -> dict[Key, list[Observation]]:
    groups: dict[Key, list[Observation]] = {}
    for obs in new:
        groups.setdefault(key_of(obs.figure, catalog), []).append(obs)
    return groups


def _canon(key: Key, catalog: CatalogLike) -> Key:
    return (catalog.canonical(key[0]), key[1], key[2])


def _judge(
    key: Key,
    top: Observation,
    old: Observation | None,
    seen: Sequence[Change],
    metric: MetricInfo | None,
) -> Change | None:
    """Return the change one reduced figure makes, or None when it is history.

    A change found before and not rejected counts like the baseline for periods: a
    2022 figure after a found 2023 one is history, not a change against a 2021 baseline.
    """
    fig = top.figure
    if any(restates(fig, prior.new.figure, metric) for prior in seen):
        return None
    standing = [prior.new.figure for prior in seen if prior.status != "rejected"]
    if any(_older(fig, other) for other in standing):
        return None
    if old is None:
        return make_change(key, _rekeyed(top, key), None)
    if _older(fig, old.figure):
        return None
    if restates(fig, old.figure, metric):
        return None
    if _corrects(fig, old.figure):
        # Another exact value for the same period: a correction, never silenced by a
        # threshold (thresholds weigh movements between periods).
        return make_change(key, _rekeyed(top, key), old, kind="revised")
    if within_threshold(old.figure, fig, metric):
        return None
    return make_change(key, _rekeyed(top, key), old)


def _corrects(fig: Figure, old: Figure) -> bool:
    """Tell a revised figure: exact, for the same period as an exact baseline figure."""
    return (
        fig.period is not None
        and fig.period == old.period
        and is_exact(fig)
        and is_exact(old)
        and abs(fig.value - old.value) > _EPS
    )


def _older(fig: Figure, than: Figure) -> bool:
    mine, theirs = period_end(fig.period), period_end(than.period)
    return mine is not None and theirs is not None and mine < theirs


def _rekeyed(obs: Observation, key: Key) -> Observation:
    if obs.figure.metric == key[0]:
        return obs
    return replace(obs, figure=replace(obs.figure, metric=key[0]))


_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})


def swedish(text: str | None) -> str:
    """Return a sort key that orders Swedish words as a Swedish reader expects (å, ä, ö last)."""
    return (text or "").casefold().translate(_SWEDISH_ORDER)


def sort_key(change: Change) -> tuple[str, str, str, str]:
    """Return the contract's order of changes: label, region, group (None first)."""
    return (swedish(change.label), swedish(change.region), swedish(change.group), change.id or "")
