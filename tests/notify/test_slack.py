"""Slack settings and targets through slack-sdk, against a fake Web API on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fakeslack import FakeSlack
from ifo_watch.errors import UsageError
from ifo_watch.models import Route
from ifo_watch.notify import (
    DryRunNotifier,
    SlackNotifier,
    SlackSettings,
    TerminalNotifier,
    notifier_from_settings,
)
from ifo_watch.notify.delivery import DryRunTarget, LogOnlyTarget, TerminalTarget
from ifo_watch.notify.slack import PostFailed, WebhookTarget, WebTarget
from ifo_watch.track import StoredMessage

MESSAGE = StoredMessage(
    id=1,
    destination="slack",
    key="ifo-watch-abc",
    text="ifo-watch: 1 ändrad uppgift",
    plain="ifo-watch: 1 ändrad uppgift",
    blocks=({"type": "section", "text": {"type": "mrkdwn", "text": "*x*"}},),
    changes=1,
    attempts=0,
    uncertain=False,
    as_text=False,
    stuck=False,
    created_at=datetime(2026, 1, 1, tzinfo=UTC),
)


def _web(fake: FakeSlack, channel: str = "C0123") -> WebTarget:
    settings = SlackSettings.from_env(
        {
            "SLACK_BOT_TOKEN": fake.token,
            "SLACK_CHANNEL": channel,
            "IFO_WATCH_SLACK_BASE_URL": fake.api_url,
        }
    )
    target = SlackNotifier(settings).target("slack")
    assert isinstance(target, WebTarget)
    return target


def test_web_api_posts_text_blocks_and_metadata(fake_slack: FakeSlack) -> None:
    """chat.postMessage reaches the channel with the fallback, the blocks and the stable id."""
    ts = _web(fake_slack).post(MESSAGE)
    [msg] = fake_slack.messages
    assert (msg["method"], msg["channel"], msg["ts"], msg["text"]) == (
        "chat.postMessage",
        "C0123",
        ts,
        MESSAGE.text,
    )
    assert msg["blocks"] == list(MESSAGE.blocks)
    assert msg["metadata"]["event_payload"] == {"key": "ifo-watch-abc"}


def test_history_finds_a_message_by_its_id(fake_slack: FakeSlack) -> None:
    """conversations.history with include_all_metadata finds the message among others."""
    target = _web(fake_slack)
    assert target.find(MESSAGE) is None
    ts = target.post(MESSAGE)
    for n in range(250):  # more than one page of history after it
        fake_slack.messages.append({"channel": "C0123", "ts": f"2.{n:06d}", "text": "other"})
    assert target.find(MESSAGE) == ts


@pytest.mark.parametrize(
    ("answer", "kind", "uncertain", "line"),
    [
        (
            "invalid_auth",
            "token",
            False,
            "Slack refused the token (invalid_auth): check SLACK_BOT_TOKEN",
        ),
        (
            "not_in_channel",
            "channel",
            False,
            "Slack refused the channel (not_in_channel): check SLACK_CHANNEL",
        ),
        ("invalid_blocks", "refused", False, "Slack refused the message for good (invalid_blocks)"),
        ("500", "transient", True, "Slack could not take the message (internal_error)"),
        ("fatal_error", "transient", True, "Slack could not take the message (fatal_error)"),
        ("ratelimited", "transient", False, "Slack could not take the message (ratelimited)"),
    ],
)
def test_failures_say_what_they_mean(
    fake_slack: FakeSlack, answer: str, kind: str, uncertain: bool, line: str
) -> None:
    """Each refusal becomes one line that names the setting to fix, and whether it may have gone."""
    fake_slack.plan = [answer]
    with pytest.raises(PostFailed) as caught:
        _web(fake_slack).post(MESSAGE)
    assert (caught.value.kind, caught.value.uncertain, str(caught.value)) == (kind, uncertain, line)


def test_connection_refused_is_certain_and_not_retried_into_a_double() -> None:
    """Nobody listening: the post surely did not arrive."""
    settings = SlackSettings.from_env(
        {
            "SLACK_BOT_TOKEN": "x",
            "SLACK_CHANNEL": "C1",
            "IFO_WATCH_SLACK_BASE_URL": "http://127.0.0.1:9/api",
        }
    )
    target = SlackNotifier(settings).target("slack")
    with pytest.raises(PostFailed) as caught:
        target.post(MESSAGE)
    assert caught.value.kind == "transient" and not caught.value.uncertain


def test_webhook_posts_and_checks_status(fake_slack: FakeSlack) -> None:
    """The webhook receives the message; a 410 is a channel gone, named by its variable."""
    target = WebhookTarget(fake_slack.webhook_url, "SLACK_WEBHOOK_URL")
    assert target.post(MESSAGE) is None
    [msg] = fake_slack.messages
    assert msg["webhook"].startswith("/services/") and msg["blocks"] == list(MESSAGE.blocks)
    fake_slack.plan = ["410"]
    with pytest.raises(PostFailed, match="check SLACK_WEBHOOK_URL"):
        target.post(MESSAGE)
    assert "XXXX" not in repr(target)


def test_settings_pick_the_notifier_and_its_targets() -> None:
    """A token wins over a webhook; none gives the terminal; a token needs a channel."""
    both = {
        "SLACK_BOT_TOKEN": "xoxb-secret",
        "SLACK_CHANNEL": "C1",
        "SLACK_WEBHOOK_URL": "http://h/w",
        "IFO_WATCH_SLACK_BASE_URL": "http://127.0.0.1:1/api",
    }
    settings = SlackSettings.from_env(both)
    assert settings.base_url == "http://127.0.0.1:1/api/"
    assert "xoxb-secret" not in repr(settings) and "http://h/w" not in repr(settings)
    notifier = notifier_from_settings(settings)
    assert isinstance(notifier.target("slack"), WebTarget)
    assert isinstance(notifier.target("errors"), LogOnlyTarget)  # default: only the log
    hook = SlackSettings.from_env({"SLACK_WEBHOOK_URL": "http://h/w"})
    assert isinstance(notifier_from_settings(hook).target("slack"), WebhookTarget)
    terminal = notifier_from_settings(SlackSettings.from_env({}))
    assert isinstance(terminal, TerminalNotifier)
    assert isinstance(terminal.target("slack"), TerminalTarget)
    with pytest.raises(UsageError):
        SlackSettings.from_env({"SLACK_BOT_TOKEN": "x"})
    with pytest.raises(UsageError, match="IFO_WATCH_SLACK_BACKOFF"):
        SlackSettings.from_env({"IFO_WATCH_SLACK_BACKOFF": "soon"})


def test_routes_take_their_channel_from_a_named_variable() -> None:
    """A route's variable holds a channel id (Web API) or a webhook URL; unset, it waits."""
    routes = (
        Route("malmo", "ROUTE_MALMO", region="Malmö"),
        Route("sk", "ROUTE_SK", publisher="SKR"),
    )
    env = {"SLACK_BOT_TOKEN": "x", "SLACK_CHANNEL": "C1", "ROUTE_MALMO": "C0MALMO"}
    notifier = SlackNotifier(SlackSettings.from_env(env), routes)
    malmo = notifier.target("route:malmo")
    assert isinstance(malmo, WebTarget) and malmo.label == "Slack channel C0MALMO (ROUTE_MALMO)"
    with pytest.raises(Exception, match="set ROUTE_SK to a channel id or a webhook URL"):
        notifier.target("route:sk")
    hooked = SlackNotifier(SlackSettings.from_env({**env, "ROUTE_SK": "https://hooks/x"}), routes)
    assert isinstance(hooked.target("route:sk"), WebhookTarget)


def test_dry_run_says_would_post() -> None:
    """A dry run prints 'would post to …' for each message and posts nothing."""
    lines: list[str] = []
    settings = SlackSettings.from_env({"SLACK_BOT_TOKEN": "x", "SLACK_CHANNEL": "C1"})
    notifier = DryRunNotifier(SlackNotifier(settings), lines.append)
    target = notifier.target("slack")
    assert isinstance(target, DryRunTarget)
    target.post(MESSAGE)
    assert lines == [f"would post to Slack channel C1 (SLACK_CHANNEL):\n{MESSAGE.plain}\n"]
    assert isinstance(notifier.target("errors"), LogOnlyTarget)
