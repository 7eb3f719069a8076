"""Delivery at the end of a watch cycle, through the CLI: terminal, dry run, routes, notices."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pipelinesite import Site

from alertkit import change_ids
from fakeslack import FakeSlack
from ifo_watch.cli import main
from ifo_watch.track.store import Store

SKR_SEED = (
    "https://skr.se/skr/tjanster/bloggarfranskr/socialtjanstbloggen/artiklar/"
    "vikanforbattraforbarnsomfarailla.50128.html"
)


@pytest.fixture(autouse=True)
def _quiet_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IFO_WATCH_FETCH_BACKOFF", "0")
    monkeypatch.setenv("IFO_WATCH_SLACK_BACKOFF", "0")
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_CHANNEL",
        "SLACK_WEBHOOK_URL",
        "SLACK_ERROR_CHANNEL",
        "SLACK_ERROR_WEBHOOK_URL",
    ):
        monkeypatch.delenv(name, raising=False)


def _slack_env(monkeypatch: pytest.MonkeyPatch, fake: FakeSlack, token: str | None = None) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", token or fake.token)
    monkeypatch.setenv("SLACK_CHANNEL", "C0ALERTS")
    monkeypatch.setenv("SLACK_ERROR_CHANNEL", "C0ERRORS")
    monkeypatch.setenv("IFO_WATCH_SLACK_BASE_URL", fake.api_url)


def _run(state: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--state", str(state), *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout.replace("\xa0", " "), result.stderr


def test_without_slack_the_digest_is_printed(site: Site, tmp_path: Path) -> None:
    """No Slack settings: the same digest, unescaped, on the terminal."""
    code, out, _ = _run(tmp_path / "state", "run", "--sources", str(site.sources))
    assert code == 1  # the SKR source fails
    # the sources' lines as they finish, then the digest at delivery
    assert out.split("\n", 2)[2].startswith(
        "ifo-watch: 2 ändrade uppgifter\n\nAntalet orosanmälningar om barn"
    )
    assert (
        f"Socialstyrelsen · publicerad 2024-05-14 · {site.base}nyheter/orosanmalningar-2023/" in out
    )
    assert "• Orosanmälningar om barn: 331 000 (2018) → 402 000 (2023), +71 000 (+21,5 %)" in out
    assert f"  Tidigare: Vi kan förbättra för barn som fara illa (SKR) {SKR_SEED}\n" in out
    assert len(change_ids(out)) == 2 and "godkänn: ifo-watch accept " in out


def test_dry_run_says_would_post(
    site: Site, tmp_path: Path, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--dry-run with Slack set: 'would post to' the channel, nothing sent, nothing recorded."""
    _slack_env(monkeypatch, fake_slack)
    state = tmp_path / "state"
    _run(state, "seed")
    code, out, _ = _run(state, "run", "--sources", str(site.sources), "--dry-run")
    assert code == 1
    assert out.split("\n", 2)[2].startswith(
        "would post to Slack channel C0ALERTS (SLACK_CHANNEL):\nifo-watch: 2"
    )
    assert "would post to Slack channel C0ERRORS (SLACK_ERROR_CHANNEL):\nifo-watch: källan" in out
    assert out.splitlines()[-1] == "2 changes, would post 2, 1 error"
    assert "posted" not in out and fake_slack.requests == []
    assert Store.open(state).outbox() == []


def test_routes_send_a_subject_to_its_own_channel(
    site: Site, tmp_path: Path, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A [[routes]] entry sends its changes to its channel too; an unset variable waits."""
    _slack_env(monkeypatch, fake_slack)
    monkeypatch.setenv("ROUTE_PER_DAG", "C0PERDAG")
    sources = tmp_path / "routed.toml"
    routes = """
[[routes]]
name = "per-dag"
metric = "orosanmalningar_per_dag"
env = "ROUTE_PER_DAG"

[[routes]]
name = "malmo"
region = "Malmö"
env = "ROUTE_MALMO"

[[routes]]
name = "skr"
publisher = "Socialstyrelsen"
metric = "orosanmalningar"
env = "ROUTE_SOS"
"""
    sources.write_text(site.sources.read_text("utf-8") + routes, "utf-8")
    code, _, err = _run(tmp_path / "state", "run", "--sources", str(sources))
    [main_digest] = fake_slack.posted("C0ALERTS")
    [routed] = fake_slack.posted("C0PERDAG")
    assert len(change_ids(main_digest["text"])) == 2
    assert "• Orosanmälningar om barn per dag: " in routed["text"]
    assert len(change_ids(routed["text"])) == 1
    assert "error: notify: route skr: set ROUTE_SOS to a channel id or a webhook URL" in err
    assert code == 1


def test_a_source_notice_waits_out_an_outage_and_comes_once(
    site: Site, tmp_path: Path, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing source is announced once, even when Slack is down as it starts failing."""
    _slack_env(monkeypatch, fake_slack)
    state = tmp_path / "state"
    fake_slack.down = "500"
    _run(state, "run", "--sources", str(site.sources))
    assert fake_slack.messages == []
    fake_slack.down = None
    for _ in range(2):
        _run(state, "run", "--sources", str(site.sources))
    [notice] = fake_slack.posted("C0ERRORS")
    assert notice["text"] == (
        f"ifo-watch: källan skr-trasig kunde inte läsas: {site.base}skr/nyheter/: "
        "HTTP 503 after 3 attempts"
    )
    assert len(fake_slack.posted("C0ALERTS")) == 1


def test_a_bad_token_gives_one_line_naming_it(
    site: Site, tmp_path: Path, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """invalid_auth: one post tried, one line naming SLACK_BOT_TOKEN, the token never shown."""
    _slack_env(monkeypatch, fake_slack, token="xoxb-not-the-right-one")
    code, out, err = _run(tmp_path / "state", "run", "--sources", str(site.sources))
    assert code == 1
    assert err.splitlines() == [
        f"error: skr-trasig: {site.base}skr/nyheter/: HTTP 503 after 3 attempts",
        "error: notify: Slack refused the token (invalid_auth): check SLACK_BOT_TOKEN;"
        " 1 message waits for the next cycle",
    ]
    assert sum(method == "chat.postMessage" for _, method in fake_slack.requests) == 1
    assert "xoxb-not-the-right-one" not in out + err
    assert out.splitlines()[-1] == "2 changes, 0 posted, 2 errors"
