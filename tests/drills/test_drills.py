"""The drills: kills at 50 points chosen by a fixed seed, and Slack down for 12 cycles.

Every alert must reach the fake Slack exactly once and in order, and the state must
stay sound. The reference is the same site, round by round, run without kills.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from drill_site import DrillSite, serve_drill_site

from alertkit import change_ids
from fakeslack import FakeSlack
from ifo_watch import pipeline
from ifo_watch.collect import Fetcher, load_sources
from ifo_watch.extract import Catalog
from ifo_watch.notify import SlackNotifier, SlackSettings, TerminalNotifier
from ifo_watch.track.store import DB_NAME, Store

SEED = 15
KILLS = 50
CHILD = Path(__file__).parent / "drill_child.py"
# How far into a cycle each point is passed at most (the Nth pass is drawn from 1..this).
POINTS = {
    "fetch": 8,
    "extract": 6,
    "commit": 12,
    "committed": 6,
    "compose": 2,
    "post": 2,
    "posted": 2,
    "marked": 2,
    "history": 1,
}
ALERTS, ERRORS = "C0ALERTS", "C0ERRORS"


@pytest.fixture(autouse=True)
def _no_fetch_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IFO_WATCH_FETCH_BACKOFF", "0")


@pytest.fixture
def site() -> Any:
    with serve_drill_site() as served:
        yield served


def _env(fake: FakeSlack) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": fake.token,
        "SLACK_CHANNEL": ALERTS,
        "SLACK_ERROR_CHANNEL": ERRORS,
        "IFO_WATCH_SLACK_BASE_URL": fake.api_url,
        "IFO_WATCH_SLACK_BACKOFF": "0",
        "IFO_WATCH_SLACK_TIMEOUT": "2",
        "IFO_WATCH_FETCH_BACKOFF": "0",
    }


def _cycle(store: Store, site: DrillSite, folder: Path, notifier: Any) -> pipeline.CycleReport:
    with Fetcher() as fetcher:
        return pipeline.run_cycle(
            store,
            load_sources(site.sources(folder)),
            fetcher=fetcher,
            notifier=notifier,
            catalog=Catalog.load(),
            settings=pipeline.Settings(alert_new="all"),
        )


def _reference(site: DrillSite, folder: Path, rounds: int) -> dict[str, int]:
    """Run the rounds without kills; return the round that brought each alerted change."""
    store = Store.open(folder / "reference")
    found: dict[str, int] = {}
    for number in range(rounds):
        site.round = number
        _cycle(store, site, folder, TerminalNotifier(write=lambda text: None))
        for row in store.outbox():
            found.setdefault(row["change_id"], number)
    return found


def _check_delivery(
    fake: FakeSlack, store: Store, reference: dict[str, int]
) -> tuple[int, int, list[str]]:
    """Return (lost, doubled, received ids); assert order and the state's soundness."""
    received = [i for m in fake.posted(ALERTS) for i in change_ids(m["text"])]
    counts = Counter(received)
    doubled = sum(n - 1 for n in counts.values())
    lost = len(set(reference) - set(counts))
    assert set(counts) <= set(reference), "an alert the reference never raised"
    rounds = [reference[i] for i in dict.fromkeys(received)]
    assert rounds == sorted(rounds), "alerts out of order"
    keys = [m["metadata"]["event_payload"]["key"] for m in fake.posted(ALERTS)]
    state_keys = [m["key"] for m in store.messages() if m["destination"] == "slack"]
    assert keys == state_keys, "messages out of order, missing or repeated"
    notice_keys = [m["metadata"]["event_payload"]["key"] for m in fake.posted(ERRORS)]
    assert notice_keys == [m["key"] for m in store.messages() if m["destination"] == "errors"]
    assert store.pending_messages() == [] and store.waiting_destinations() == []
    assert not any(m["parked_at"] for m in store.messages())
    return lost, doubled, received


def _integrity(state: Path) -> str:
    with sqlite3.connect(state / DB_NAME) as conn:
        return str(conn.execute("pragma integrity_check").fetchone()[0])


def test_crash_fifty_kills_lose_nothing_and_double_nothing(
    site: DrillSite, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """50 kills at seeded points across cycles, then clean cycles: each alert once, in order."""
    started = time.monotonic()
    rng = random.Random(SEED)
    state, sources = tmp_path / "state", site.sources(tmp_path)
    env = {**os.environ, **_env(fake_slack)}
    killed: Counter[str] = Counter()
    runs = 0

    def child(point: str, nth: int) -> int:
        nonlocal runs
        runs += 1
        proc = subprocess.run(
            [sys.executable, str(CHILD), str(state), str(sources), point, str(nth)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode in (0, 1, 137), proc.stderr
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc.returncode

    while sum(killed.values()) < KILLS:
        point = rng.choice(sorted(POINTS))
        if child(point, rng.randint(1, POINTS[point])) == 137:
            killed[point] += 1
        else:
            site.round += 1  # a cycle got through: the site moves on
    for _ in range(2):  # clean cycles
        assert child("none", 0) in (0, 1)
    rounds = site.round + 1
    store = Store.open(state)
    reference = _reference(site, tmp_path, rounds)
    lost, doubled, received = _check_delivery(fake_slack, store, reference)
    assert (lost, doubled) == (0, 0)
    assert len(received) == len(reference) == 18 * rounds
    assert _integrity(state) == "ok"
    assert set(killed) >= {"fetch", "extract", "commit", "post", "posted", "marked"}
    assert time.monotonic() - started < 180
    print(
        f"\nkill drill: {sum(killed.values())} kills in {runs} runs"
        f" ({dict(sorted(killed.items()))}),"
        f" {rounds} rounds, {len(received)} alerts in {len(fake_slack.posted(ALERTS))} messages,"
        f" {len(fake_slack.posted(ERRORS))} notices; lost {lost}, doubled {doubled}"
    )


def test_outage_slack_down_for_twelve_cycles_then_back(
    site: DrillSite, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """Twelve cycles against a failing Slack, then it is back: everything once, in order."""
    started = time.monotonic()
    store = Store.open(tmp_path / "state")
    env = {**_env(fake_slack), "IFO_WATCH_SLACK_TIMEOUT": "1"}
    notifier = SlackNotifier(SlackSettings.from_env(env))
    # mostly 500s; 429s after Retry-After, and hanging posts, twice each
    outages = ["500", "429", "500", "timeout", "500", "500", "500", "429", "500", "timeout"]
    outages += ["500", "500"]
    fake_slack.retry_after, fake_slack.timeout_seconds = 0, 1.3
    errors: list[str] = []
    for number in range(12):
        site.round = number
        fake_slack.down = outages[number]
        report = _cycle(store, site, tmp_path, notifier)
        errors += [e for e in report.errors if e.startswith("notify:")]
        assert report.posted == 0 and not fake_slack.messages
    fake_slack.down = None
    site.round = 12
    report = _cycle(store, site, tmp_path, notifier)
    assert [e for e in report.errors if e.startswith("notify:")] == []
    reference = _reference(site, tmp_path, 13)
    lost, doubled, received = _check_delivery(fake_slack, store, reference)
    assert (lost, doubled, len(received)) == (0, 0, 18 * 13)
    stuck = [e for e in errors if "has failed" in e]
    assert len(stuck) == 2  # the first digest of each channel, once each, after 10 attempts
    assert _integrity(tmp_path / "state") == "ok"
    assert time.monotonic() - started < 180
    print(
        f"\noutage drill: 12 cycles down, {len(received)} alerts in"
        f" {len(fake_slack.posted(ALERTS))} messages once back; lost {lost}, doubled {doubled}"
    )
