"""Cycles record themselves; the next cycle after too long without a good one says so once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ifo_watch import pipeline
from ifo_watch.collect import Fetcher
from ifo_watch.extract import Catalog
from ifo_watch.models import Source
from ifo_watch.notify import ERRORS
from ifo_watch.track import Store, StoredMessage


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IFO_WATCH_FETCH_BACKOFF", "0")


START = datetime(2026, 11, 2, 7, 30, tzinfo=UTC)
DOWN = Source(name="nere", publisher="SKR", url="http://127.0.0.1:9/nyheter/", kind="page")


@dataclass
class Recorded:
    """A target that keeps what it is sent."""

    sent: list[str]
    label: str = "recorded"
    setting: str = ""
    token_setting: str | None = None
    can_look_back: bool = False

    def post(self, message: StoredMessage, *, as_text: bool = False) -> str | None:
        self.sent.append(message.plain)
        return None

    def find(self, message: StoredMessage) -> str | None:
        return None


@dataclass
class Recorder:
    """A notifier that records what each destination gets."""

    sent: dict[str, list[str]] = field(default_factory=dict)
    backoff: float = 0.0

    def target(self, destination: str) -> Recorded:
        return Recorded(self.sent.setdefault(destination, []))


def _cycle(store: Store, at: datetime, sources: list[Source], notifier: Recorder) -> None:
    with Fetcher(allow_private=True) as fetcher:
        pipeline.run_cycle(
            store,
            sources,
            fetcher=fetcher,
            notifier=notifier,
            catalog=Catalog.load(),
            now=lambda: at,
            settings=pipeline.Settings(max_age=timedelta(hours=48)),
        )


def test_staleness_is_announced_once_per_outage(tmp_path: Path) -> None:
    """Good, then two days of failing cycles: the first cycle past 48 hours announces it in
    the error channel, the next ones do not; after a good cycle a new outage is announced."""
    store = Store.open(tmp_path)
    notifier = Recorder()
    _cycle(store, START, [], notifier)
    for hours in (24, 49, 60, 72):
        _cycle(store, START + timedelta(hours=hours), [DOWN], notifier)
    stale = [m for m in notifier.sent[ERRORS] if "ingen lyckad körning" in m]
    assert stale == [
        "ifo-watch: ingen lyckad körning på 49 timmar (sedan 2026-11-02 07:30 UTC);"
        " se ifo-watch status"
    ]
    _cycle(store, START + timedelta(hours=80), [], notifier)  # good again
    _cycle(store, START + timedelta(hours=140), [DOWN], notifier)
    stale = [m for m in notifier.sent[ERRORS] if "ingen lyckad körning" in m]
    assert len(stale) == 2 and "på 60 timmar (sedan 2026-11-05 15:30 UTC)" in stale[1]
    cycles = list(store.db.query("select good, stale_since from cycles order by id"))
    assert [c["good"] for c in cycles] == [1, 0, 0, 0, 0, 1, 0]
    assert [bool(c["stale_since"]) for c in cycles] == [
        False,
        False,
        True,
        False,
        False,
        False,
        True,
    ]


def test_a_cycle_records_itself(tmp_path: Path) -> None:
    """A cycle's row has its start, end, counts and first error; a killed one has no end."""
    store = Store.open(tmp_path)
    _cycle(store, START, [DOWN], Recorder())
    [row] = store.db.query("select * from cycles")
    assert row["started_at"] == row["finished_at"] == START.isoformat()
    assert (row["sources"], row["sources_failed"], row["good"], row["errors"]) == (1, 1, 0, 1)
    assert row["first_error"].startswith("nere: ")
    cycle_id, _ = pipeline.begin_cycle(store, settings=pipeline.Settings(), now=lambda: START)
    last = store.last_cycle()
    assert last is not None and last.id == cycle_id and last.finished_at is None
