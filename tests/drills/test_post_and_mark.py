"""A process killed after Slack took a post but before the state marked it, then restarted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from drill_site import DrillSite, serve_drill_site

from alertkit import change_ids
from fakeslack import FakeSlack
from ifo_watch.track.store import Store

CHILD = Path(__file__).parent / "drill_child.py"


@pytest.fixture
def site() -> object:
    with serve_drill_site() as served:
        yield served


def _run(state: Path, sources: Path, env: dict[str, str], point: str = "none") -> int:
    proc = subprocess.run(
        [sys.executable, str(CHILD), str(state), str(sources), point, "1"],
        env={**os.environ, "IFO_WATCH_FETCH_BACKOFF": "0", "IFO_WATCH_SLACK_BACKOFF": "0", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode


def test_crash_web_api_killed_between_post_and_mark_gives_exactly_one_message(
    site: DrillSite, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """The restarted notifier finds the message by its id in the history: one message."""
    state, sources = tmp_path / "state", site.sources(tmp_path)
    env = {
        "SLACK_BOT_TOKEN": fake_slack.token,
        "SLACK_CHANNEL": "C0ALERTS",
        "IFO_WATCH_SLACK_BASE_URL": fake_slack.api_url,
    }
    assert _run(state, sources, env, "posted") == 137
    [posted] = fake_slack.posted("C0ALERTS")
    [row] = Store.open(state).messages()
    assert (row["sent_at"], row["uncertain"]) == (None, 1)
    assert _run(state, sources, env) == 0
    assert fake_slack.posted("C0ALERTS") == [posted]
    assert len(change_ids(posted["text"])) == 18
    [row] = Store.open(state).messages()
    assert row["sent_at"] and row["remote_id"] == posted["ts"]


def test_crash_a_webhook_may_repeat_in_that_one_window(
    site: DrillSite, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """A webhook cannot be asked what it received: the README says it may repeat here."""
    state, sources = tmp_path / "state", site.sources(tmp_path)
    env = {"SLACK_WEBHOOK_URL": fake_slack.webhook_url}
    assert _run(state, sources, env, "posted") == 137
    assert _run(state, sources, env) == 0
    first, second = fake_slack.posted(None)
    assert first["text"] == second["text"]
    assert Store.open(state).pending_messages() == []
