"""Change detection scenarios, one TOML file each in scenarios/: baseline, new, expected."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from scenario_support import HERE, Scenario, check_changes, load, observation

from ifo_watch.models import Change, Figure
from ifo_watch.track import diff

SCENARIOS = sorted((HERE / "scenarios").glob("*.toml"))


def _found(sc: Scenario) -> list[Change]:
    out = []
    for raw in sc.data.get("found", []):
        obs = observation(raw, sc.labels)
        key = diff.key_of(obs.figure, sc.catalog)
        out.append(replace(diff.make_change(key, obs, None), status=raw["status"]))
    return out


def _run(sc: Scenario) -> diff.DiffResult:
    baseline = {}
    for raw in sc.data.get("baseline", []):
        obs = observation(raw, sc.labels)
        baseline[diff.key_of(obs.figure)] = obs
    observed: dict[diff.Key, list[Figure]] = {}
    for raw in sc.data.get("observed", []):
        fig = observation(raw, sc.labels).figure
        observed.setdefault(diff.key_of(fig), []).append(fig)
    new = [observation(raw, sc.labels) for raw in sc.data["new"]]
    return diff.detect(
        new, baseline=baseline, found=_found(sc), observed=observed, catalog=sc.catalog
    )


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario(path: Path) -> None:
    """A scenario gives exactly its expected changes; its silent figures go to history."""
    sc = load(path)
    result = _run(sc)
    expect = sc.data["expect"]
    check_changes(list(result.changes), expect["changes"], where=sc.name)
    changed = {c.new.figure.quote for c in result.changes}
    history = {o.figure.quote for o in result.history}
    for quote in expect.get("silent", []):
        assert quote in history and quote not in changed, f"{sc.name}: {quote!r} should be silent"
    assert len(result.changes) + len(result.history) == len(sc.data["new"])


def test_scenarios_cover_every_rule() -> None:
    """The scenario files cover each rule of the contract and issue 4 at least once."""
    rules = {load(p).data["rule"] for p in SCENARIOS}
    wanted = {
        "changed",
        "exact",
        "restatement",
        "older-period",
        "parenthesis",
        "reduce",
        "new",
        "threshold",
        "found",
        "no-period",
        "no-period-observed",
        "keys",
        "alias",
        "intervals",
        "periods",
        "twins",
    }
    assert wanted <= rules, wanted - rules
