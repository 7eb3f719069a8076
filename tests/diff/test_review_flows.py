"""Watch-cycle flows over a real SQLite state, one TOML file each in flows/: seed, then steps.

A step ingests a document (as a watch cycle would), compares one (as `diff PATH`),
accepts or rejects pending changes, or only checks the state; after it, the changes
it returned, the outbox size, the pending count and baseline entries are checked.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from scenario_support import HERE, Scenario, check_changes, document, figure, load

from ifo_watch.models import Change
from ifo_watch.track import baseline
from ifo_watch.track.store import Store

FLOWS = sorted((HERE / "flows").glob("*.toml"))
T0 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


def _seed(store: Store, sc: Scenario) -> int:
    docs = [
        (document(raw), [figure(f, sc.labels) for f in raw.get("figures", [])])
        for raw in sc.data.get("seed", [])
    ]
    return baseline.seed(store, docs, now=T0, extractor_version="test", catalog=sc.catalog)


def _step(store: Store, sc: Scenario, step: dict[str, Any], now: datetime) -> list[Change]:
    action = step["do"]
    if action == "check":
        return []
    if action in ("accept", "reject"):
        metrics = step.get("metrics")
        ids = None
        if metrics is not None:
            ids = [c.id or "" for c in baseline.pending(store) if c.metric in metrics]
        if action == "accept":
            return baseline.accept(store, ids, now=now, catalog=sc.catalog)
        return baseline.reject(store, ids, now=now)
    doc = document(step)
    figures = [figure(f, sc.labels) for f in step.get("figures", [])]
    if action == "compare":
        return baseline.compare(store, doc, figures, catalog=sc.catalog)
    assert action == "ingest", action
    return baseline.ingest(
        store,
        doc,
        figures,
        source="flow",
        now=now,
        extractor_version="test",
        catalog=sc.catalog,
        **step.get("settings", {}),
    )


def _check_state(store: Store, step: dict[str, Any], where: str) -> None:
    if "outbox" in step:
        assert len(store.outbox()) == step["outbox"], f"{where}: outbox {store.outbox()}"
    if "pending" in step:
        assert len(baseline.pending(store)) == step["pending"], f"{where}: pending"
    current = store.baseline()
    for want in step.get("baseline", []):
        key = (want["metric"], want.get("region"), want.get("group"))
        assert key in current, f"{where}: no baseline for {key}"
        assert current[key].figure.value == want["value"], f"{where}: baseline {key}"


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.stem)
def test_flow(path: Path, tmp_path: Path) -> None:
    """Each step of a flow returns exactly its expected changes and leaves the expected state."""
    sc = load(path)
    store = Store.open(tmp_path / "state")
    _seed(store, sc)
    for i, step in enumerate(sc.data["step"], start=1):
        where = f"{sc.name} step {i} ({step['do']})"
        before = store.counts() if step["do"] == "compare" else None
        got = _step(store, sc, step, T0 + timedelta(hours=i))
        check_changes(got, step.get("expect", []), where=where)
        if before is not None:
            assert store.counts() == before, f"{where}: compare recorded something"
        _check_state(store, step, where)
    store.close()


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.stem)
def test_seeding_twice_changes_nothing(path: Path, tmp_path: Path) -> None:
    """Seeding the same documents again writes nothing and returns 0."""
    sc = load(path)
    store = Store.open(tmp_path / "state")
    first = _seed(store, sc)
    snapshot = {t: list(store.db.query(f"select * from [{t}]")) for t in store.db.table_names()}
    assert first == len(store.baseline()) > 0
    assert _seed(store, sc) == 0
    assert {t: list(store.db.query(f"select * from [{t}]")) for t in store.db.table_names()} == (
        snapshot
    )
