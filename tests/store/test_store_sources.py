"""Source health: notify once when a source starts failing, once when it recovers."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ifo_watch.track.store import Store

CASES = tomllib.loads((Path(__file__).parent / "source_transitions.toml").read_text("utf-8"))[
    "case"
]
T0 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_transitions(tmp_path: Path, case: dict[str, Any]) -> None:
    """source_failed/source_ok say True exactly on a transition."""
    store = Store.open(tmp_path)
    answers = []
    for i, event in enumerate(case["events"]):
        now = T0 + timedelta(hours=i)
        if event == "fail":
            answers.append(store.source_failed("skr-nyheter", f"HTTP 500 at {i}", now))
        else:
            answers.append(store.source_ok("skr-nyheter", now))
    assert answers == case["notify"]
    store.close()


def test_failure_state_is_kept(tmp_path: Path) -> None:
    """A failing source keeps when it started failing, how often, and the last error."""
    store = Store.open(tmp_path)
    store.source_failed("ss-press", "timeout", T0)
    store.source_failed("ss-press", "HTTP 502", T0 + timedelta(hours=1))
    state = store.source_state("ss-press")
    assert state is not None
    assert (state.failing_since, state.failure_count, state.last_error) == (T0, 2, "HTTP 502")
    store.source_ok("ss-press", T0 + timedelta(hours=2))
    state = store.source_state("ss-press")
    assert state is not None and state.failing_since is None and state.failure_count == 0
    assert state.last_ok == T0 + timedelta(hours=2)
    store.close()
