"""`ifo-watch status`: exact output for a healthy state, a failing source, a stuck outbox and a
stale state; exit status 1 only when no cycle went well within the allowed age."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from ifo_watch import cli, track
from ifo_watch.models import Document, Figure, Observation
from ifo_watch.track import CycleOutcome, Draft, Store, diff

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
GOOD = CycleOutcome(
    sources=6,
    sources_failed=0,
    documents=3,
    unchanged=9,
    changes=2,
    posted=2,
    errors=(),
    delivery_failed=False,
)


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_now", lambda: NOW)
    monkeypatch.delenv("IFO_WATCH_MAX_AGE", raising=False)


def _cycle(store: Store, start: datetime, outcome: CycleOutcome = GOOD) -> None:
    cycle_id, _ = track.begin_cycle(store, now=start, max_age=timedelta(hours=48))
    track.end_cycle(store, cycle_id, outcome, started=start, now=start + timedelta(seconds=4.2))


def _state(tmp_path: Path) -> tuple[Path, Store]:
    state = tmp_path / "state"
    store = Store.open(state)
    doc = Document(url="https://www.socialstyrelsen.se/a/", text="Under 2023 kom 402 000.")
    version_id, _ = store.add_version(doc, source="socialstyrelsen-press", fetched=None, now=NOW)
    figure = Figure(
        metric="orosanmalningar",
        label="Orosanmälningar om barn",
        value=402000,
        unit="antal",
        quote="402 000",
        sentence=doc.text,
        period="2023",
    )
    change = diff.make_change(
        ("orosanmalningar", None, None), Observation(figure, doc.url, None, version_id), None
    )
    store.add_change(replace(change, status="pending", found_at=NOW))
    return state, store


def _status(state: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.main, ["--state", str(state), "status", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_a_healthy_state(tmp_path: Path) -> None:
    """The last cycle was good two hours ago: every line says so, exit 0."""
    state, store = _state(tmp_path)
    _cycle(store, NOW - timedelta(days=1))
    _cycle(store, NOW - timedelta(hours=2))
    store.close()
    code, out, err = _status(state)
    assert (code, err) == (0, "")
    first, rest = out.split("\n", 1)
    assert re.fullmatch(rf"state: {{12}}{state}/ifo-watch\.db, \d+ kB", first), first
    assert rest == (
        "holds:            1 document, 1 version (0 page texts pruned, 23 B of text kept),"
        " 0 figures, 1 change (1 pending)\n"
        "last cycle:       2026-11-22 06:00 UTC (2 h ago), 4.2 s, good: 6 sources"
        " (0 failed), 3 documents read, 2 changes, 2 posted, 0 errors\n"
        "last good cycle:  the last cycle\n"
        "failing sources:  none\n"
        "outbox:           empty\n"
    )


def test_a_failing_source(tmp_path: Path) -> None:
    """A source failing for three cycles is named with since when and its last error; the
    cycles still read the other sources, so the state is not stale."""
    state, store = _state(tmp_path)
    for days in (3, 2, 1):
        store.source_failed("skr-nyheter", "HTTP 503 after 3 attempts", NOW - timedelta(days=days))
        _cycle(store, NOW - timedelta(days=days), replace(GOOD, sources_failed=1, errors=("x",)))
    store.close()
    code, out, err = _status(state)
    assert (code, err) == (0, "")
    assert out.splitlines()[2:] == [
        "last cycle:       2026-11-21 08:00 UTC (24 h ago), 4.2 s, good: 6 sources (1 failed),"
        " 3 documents read, 2 changes, 2 posted, 1 error",
        "last good cycle:  the last cycle",
        "failing sources:  skr-nyheter: since 2026-11-19 08:00 UTC (3 days), 3 cycles:"
        " HTTP 503 after 3 attempts",
        "outbox:           empty",
    ]
    data = json.loads(_status(state, "--format", "json")[1])
    assert data["failing_sources"] == [
        {
            "name": "skr-nyheter",
            "since": "2026-11-19T08:00:00+00:00",
            "failures": 3,
            "last_error": "HTTP 503 after 3 attempts",
        }
    ]


def test_a_stuck_outbox(tmp_path: Path) -> None:
    """A message Slack keeps refusing waits, with its age, attempts and last error; the
    cycles that could not deliver it are not good, and the last good one is named."""
    state, store = _state(tmp_path)
    _cycle(store, NOW - timedelta(hours=30))
    [change] = store.changes()
    store.enqueue(change.id or "", "slack", now=NOW - timedelta(hours=26))
    [item] = store.unsent("slack")
    [message] = store.freeze(
        "slack", [Draft(text="t", plain="t", item_ids=(item.id,))], now=NOW - timedelta(hours=26)
    )
    for hours in (26, 2):
        store.message_trying(message.id, now=NOW - timedelta(hours=hours))
        store.message_failed(
            message.id, "HTTP 500", uncertain=False, now=NOW - timedelta(hours=hours)
        )
        _cycle(store, NOW - timedelta(hours=hours), replace(GOOD, delivery_failed=True, posted=0))
    store.add_notice("errors", "stuck", "slack", "fastnat", now=NOW)
    store.close()
    code, out, err = _status(state)
    assert (code, err) == (0, "")
    assert out.splitlines()[2:] == [
        "last cycle:       2026-11-22 06:00 UTC (2 h ago), 4.2 s, not good: 6 sources"
        " (0 failed), 3 documents read, 2 changes, 0 posted, 0 errors",
        "last good cycle:  2026-11-21 02:00 UTC (30 h ago), 4.2 s, good: 6 sources (0 failed),"
        " 3 documents read, 2 changes, 2 posted, 0 errors",
        "failing sources:  none",
        "outbox:           1 message waiting (slack), 1 notice to compose",
        "oldest unsent:    slack, 2026-11-21 06:00 UTC (26 h ago), 2 attempts,"
        " last error: 2026-11-22T06:00:00+00:00 HTTP 500",
    ]
    outbox = json.loads(_status(state, "--format", "json")[1])["outbox"]
    assert outbox == {
        "messages": 1,
        "destinations": ["slack"],
        "changes_queued": 0,
        "notices_queued": 1,
        "parked": 0,
        "oldest": {
            "destination": "slack",
            "created_at": "2026-11-21T06:00:00+00:00",
            "attempts": 2,
            "last_error": "2026-11-22T06:00:00+00:00 HTTP 500",
        },
    }


def test_a_stale_state_exits_1(tmp_path: Path) -> None:
    """No good cycle for three days: the report, then one error line, exit 1; a longer
    allowed age (option or environment) makes it healthy again."""
    state, store = _state(tmp_path)
    _cycle(store, NOW - timedelta(days=3, hours=1))
    _cycle(store, NOW - timedelta(days=1), replace(GOOD, sources_failed=6, errors=("x",) * 6))
    store.close()
    code, out, err = _status(state)
    assert code == 1
    assert out.splitlines()[3] == (
        "last good cycle:  2026-11-19 07:00 UTC (3 days ago), 4.2 s, good: 6 sources (0 failed),"
        " 3 documents read, 2 changes, 2 posted, 0 errors"
    )
    assert err == (
        "error: no good cycle since the last for 3 days"
        " (since 2026-11-19 07:00 UTC; allowed: 48 h)\n"
    )
    data = json.loads(_status(state, "--format", "json")[1])
    assert (data["ok"], data["stale"], data["stale_since"], data["max_age_hours"]) == (
        False,
        True,
        "2026-11-19T07:00:04.200000+00:00",
        48.0,
    )
    assert data["last_cycle"]["good"] is False and data["last_good_cycle"]["good"] is True
    assert _status(state, "--max-age", "4d")[0] == 0
    result = CliRunner().invoke(
        cli.main, ["--state", str(state), "status"], env={"IFO_WATCH_MAX_AGE": "80h"}
    )
    assert result.exit_code == 0


def test_a_state_that_never_ran_a_cycle(tmp_path: Path) -> None:
    """A state with no cycle yet is stale for a monitor; a missing state is a usage error."""
    state, store = _state(tmp_path)
    store.close()
    code, out, err = _status(state)
    assert code == 1 and "last cycle:       none yet" in out
    assert err == "error: no watch cycle has run in this state (allowed: 48 h)\n"
    assert _status(tmp_path / "nowhere") == (
        2,
        "",
        f"error: no state database in {tmp_path}/nowhere\n",
    )
    assert not (tmp_path / "nowhere").exists()
    assert _status(state, "--max-age", "soon")[2] == (
        "error: not an age: 'soon' (write 48h, 2d or 90m)\n"
    )
