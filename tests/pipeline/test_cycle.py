"""One watch cycle end to end: a real local HTTP site, a real SQLite state, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pipelinesite import Site

from fakeslack import FakeSlack
from ifo_watch.cli import main
from ifo_watch.track.store import Store

SITE = Path(__file__).parent / "site"
KILLER = Path(__file__).parent / "kill_during_document.py"


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IFO_WATCH_FETCH_BACKOFF", "0")
    for name in ("SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)


def _run(state: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--state", str(state), *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_cycle_finds_the_new_count_and_keeps_going_past_a_failing_source(
    site: Site, tmp_path: Path
) -> None:
    """A new orosanmälningar count is posted; the 503 source is one error line, exit 1."""
    state = tmp_path / "state"
    code, out, err = _run(state, "run", "--sources", str(site.sources))
    assert code == 1
    assert "Orosanmälningar om barn: 331 000 (2018) → 402 000 (2023)" in out.replace("\xa0", " ")
    assert "Citat: ”Under 2023 kom 402 000 orosanmälningar in" in out
    # the restated seed figure ("mer än 50 000" for 2021) and the dental news give nothing
    assert "långvarigt ekonomiskt bistånd:" not in out
    assert "tandvard" not in out
    assert err.strip().splitlines() == [
        f"error: skr-trasig: {site.base}skr/nyheter/: HTTP 503 after 3 attempts"
    ]
    # a line per source as it finishes, then the digest, then the summary
    assert out.splitlines()[:2] == [
        "socialstyrelsen-nyheter: ok, 2 fetched, 0 unchanged, 2 changes",
        "skr-trasig: FAILED, 0 fetched, 0 unchanged, 0 changes",
    ]
    assert out.splitlines()[-1] == "2 changes, 2 posted, 1 error"
    pending = json.loads(_run(state, "diff", "--format", "json")[1])
    by_metric = {c["metric"]: c for c in pending}
    count = by_metric["orosanmalningar"]
    assert count["status"] == "pending"
    assert (count["old"]["value"], count["new"]["value"], count["delta"]) == (331000, 402000, 71000)
    assert count["new"]["source"] == f"{site.base}nyheter/orosanmalningar-2023/"
    assert count["new"]["published"] == "2024-05-14"


def test_second_cycle_posts_nothing_again(site: Site, tmp_path: Path) -> None:
    """Unchanged pages are skipped and no alert is sent twice."""
    state = tmp_path / "state"
    _run(state, "run", "--sources", str(site.sources))
    code, out, _ = _run(state, "run", "--sources", str(site.sources))
    assert code == 1  # the SKR source still fails
    assert out.splitlines()[-3:] == [
        "socialstyrelsen-nyheter: ok, 0 fetched, 2 unchanged, 0 changes",
        "skr-trasig: FAILED, 0 fetched, 0 unchanged, 0 changes",
        "0 changes, 0 posted, 1 error",
    ]
    outbox = Store.open(state).outbox()
    assert len(outbox) == 2 and all(row["sent_at"] for row in outbox)


def test_a_redesigned_page_with_one_corrected_figure_gives_one_change(
    site: Site, tmp_path: Path
) -> None:
    """Same URL, new layout and date, one figure corrected: exactly one new change."""
    state = tmp_path / "state"
    _run(state, "run", "--sources", str(site.sources))
    redesigned = (
        "<html><body><div id='content'><h2>Orosanmälningar ökar</h2>"
        "<p>Publicerad 2024-06-01</p>"
        "<p>Socialtjänsten fick under 2023 in 402 000 orosanmälningar om barn.</p>"
        "<p>Det är i genomsnitt ungefär 1 300 anmälningar om dagen.</p></div></body></html>"
    )
    site.server.clear()
    site.server.no_handler_status_code = 404  # no robots.txt, as before the clear
    site.page("/nyheter/orosanmalningar-2023/", redesigned)
    # the feed and the other page as before
    site.server.expect_request("/feed.xml").respond_with_data(
        (Path(__file__).parent / "site" / "feed.xml")
        .read_text("utf-8")
        .replace("{BASE}", site.base),
        content_type="application/rss+xml",
    )
    site.page(
        "/nyheter/lagesrapport-ifo/",
        (Path(__file__).parent / "site" / "lagesrapport-ifo.html").read_text("utf-8"),
    )
    site.server.expect_request("/skr/nyheter/").respond_with_data("nere", status=503)
    code, out, _ = _run(state, "run", "--sources", str(site.sources))
    assert code == 1
    assert out.splitlines()[-1] == "1 change, 1 posted, 1 error"
    assert "närmare 1 000 (2018) → ungefär 1 300 (2023)" in out.replace("\xa0", " ")


def test_dry_run_records_and_posts_nothing(site: Site, tmp_path: Path) -> None:
    """--dry-run prints what would be posted and leaves the state as it was."""
    state = tmp_path / "state"
    _run(state, "seed")
    before = Store.open(state).counts()
    code, out, _ = _run(state, "run", "--sources", str(site.sources), "--dry-run")
    assert code == 1
    assert "331 000 (2018) → 402 000 (2023)" in out.replace("\xa0", " ")
    assert Store.open(state).counts() == before
    assert json.loads(_run(state, "diff", "--format", "json")[1]) == []


def test_killed_mid_document_leaves_state_as_before_that_document(
    site: Site, tmp_path: Path
) -> None:
    """A process killed inside the second document keeps the first and none of the second."""
    state = tmp_path / "state"
    env = {**os.environ, "IFO_WATCH_FETCH_BACKOFF": "0"}
    proc = subprocess.run(
        [sys.executable, str(KILLER), str(state), str(site.sources)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 137, proc.stderr
    store = Store.open(state)
    urls = [
        row["url"]
        for row in store.db.query("select url from document_versions")
        if not row["url"].startswith("seeds/")
    ]
    assert urls == [f"{site.base}nyheter/orosanmalningar-2023/"]
    assert store.db.execute("select count(*) from changes").fetchone()[0] == 2
    assert len(store.outbox()) == 2 and not any(row["sent_at"] for row in store.outbox())
    # the next cycle takes the second document again and delivers what waited
    code, out, _ = _run(state, "run", "--sources", str(site.sources))
    assert out.splitlines()[0] == "socialstyrelsen-nyheter: ok, 1 fetched, 1 unchanged, 0 changes"
    assert (code, out.splitlines()[-1]) == (1, "0 changes, 2 posted, 1 error")


def test_review_accept_reject_and_history(site: Site, tmp_path: Path) -> None:
    """Accept moves the baseline, reject silences, history shows the series."""
    state = tmp_path / "state"
    _run(state, "run", "--sources", str(site.sources))
    pending = json.loads(_run(state, "diff", "--format", "json")[1])
    by_metric = {c["metric"]: c["id"] for c in pending}
    code, out, _ = _run(state, "accept", by_metric["orosanmalningar"])
    assert code == 0
    assert out.replace("\xa0", " ") == (
        f"accepted {by_metric['orosanmalningar']}: "
        "Orosanmälningar om barn: 331 000 (2018) → 402 000 (2023)\n"
        "  baseline: 331 000 (2018) → 402 000 (2023)\n"
    )
    code, out, _ = _run(state, "reject", by_metric["orosanmalningar_per_dag"])
    assert code == 0 and out.startswith(f"rejected {by_metric['orosanmalningar_per_dag']}: ")
    assert _run(state, "diff")[1] == "no changes\n"
    code, out, _ = _run(state, "history", "orosanmalningar", "--format", "json")
    series = json.loads(out)
    assert [(o["value"], o["period"]) for o in series] == [(331000, "2018"), (402000, "2023")]
    # the baseline has moved: the same figure in another document is no change any more
    code, out, _ = _run(state, "diff", str(SITE / "orosanmalningar-2023.html"), "--format", "json")
    assert [c["metric"] for c in json.loads(out)] == ["orosanmalningar_per_dag"]
    assert _run(state, "accept", "ffffffff")[0] == 2


def test_alerts_and_source_failures_reach_slack_once(
    site: Site, tmp_path: Path, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Changes go to the channel; a failing source is announced once, not every cycle."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", fake_slack.token)
    monkeypatch.setenv("SLACK_CHANNEL", "C0ALERTS")
    monkeypatch.setenv("SLACK_ERROR_CHANNEL", "C0ERRORS")
    monkeypatch.setenv("IFO_WATCH_SLACK_BASE_URL", fake_slack.api_url.rstrip("/"))
    state = tmp_path / "state"
    for _ in range(2):
        code, out, _ = _run(state, "run", "--sources", str(site.sources))
        assert code == 1
    alerts = [m for m in fake_slack.messages if m["channel"] == "C0ALERTS"]
    errors = [m for m in fake_slack.messages if m["channel"] == "C0ERRORS"]
    [digest] = alerts  # one digest for the cycle, none for the second
    assert digest["text"].startswith("ifo-watch: 2 ändrade uppgifter\n")
    assert "• Orosanmälningar om barn: " in digest["text"]
    assert "• Orosanmälningar om barn per dag: " in digest["text"]
    assert [m["text"] for m in errors] == [
        f"ifo-watch: källan skr-trasig kunde inte läsas: {site.base}skr/nyheter/: "
        "HTTP 503 after 3 attempts"
    ]
    assert "Orosanmälningar" not in out  # posted to Slack, not printed
