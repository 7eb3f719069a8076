"""Posting to Slack through slack-sdk against a fake Web API on 127.0.0.1."""

from __future__ import annotations

import pytest

from fakeslack import FakeSlack
from ifo_watch.errors import NotifyError, UsageError
from ifo_watch.models import Change, Figure, Observation
from ifo_watch.notify.render import TerminalNotifier
from ifo_watch.notify.slack import (
    SlackSettings,
    SlackWebhookNotifier,
    SlackWebNotifier,
    notifier_from_settings,
)


def _change() -> Change:
    fig = Figure(
        metric="orosanmalningar",
        label="Orosanmälningar om barn",
        value=400000,
        unit="antal",
        quote="omkring 400 000",
        sentence="Under 2023 kom omkring 400 000 orosanmälningar in.",
        qualifier="omkring",
        period="2023",
    )
    return Change(
        kind="new",
        metric=fig.metric,
        label=fig.label,
        unit="antal",
        new=Observation(fig, source="http://127.0.0.1/a"),
    )


def test_web_api_posts_text_and_blocks(fake_slack: FakeSlack) -> None:
    """chat.postMessage reaches the channel with the headline and the quote."""
    notifier = SlackWebNotifier(fake_slack.token, "C0123", fake_slack.api_url)
    ts = notifier.post(_change())
    [msg] = fake_slack.messages
    assert msg["method"] == "chat.postMessage"
    assert msg["channel"] == "C0123"
    assert ts == msg["ts"]
    assert msg["text"].startswith("Orosanmälningar om barn: ny uppgift omkring 400")
    assert "Under 2023 kom omkring 400" in str(msg["blocks"])


def test_web_api_error_is_one_line(fake_slack: FakeSlack) -> None:
    """A Slack refusal becomes a NotifyError naming Slack's reason."""
    fake_slack.error = "channel_not_found"
    with pytest.raises(NotifyError, match="channel_not_found"):
        SlackWebNotifier(fake_slack.token, "C0123", fake_slack.api_url).post(_change())


def test_web_api_outage_is_notify_error(fake_slack: FakeSlack) -> None:
    """An HTTP 500 from Slack is a NotifyError, not a traceback."""
    fake_slack.fail_next = 5
    with pytest.raises(NotifyError):
        SlackWebNotifier(fake_slack.token, "C0123", fake_slack.api_url).post(_change())


def test_webhook_posts(fake_slack: FakeSlack) -> None:
    """The incoming webhook receives the same message."""
    SlackWebhookNotifier(fake_slack.webhook_url).post(_change())
    [msg] = fake_slack.messages
    assert msg["webhook"].startswith("/services/")
    assert msg["text"].startswith("Orosanmälningar om barn")


def test_settings_pick_notifier() -> None:
    """A token wins over a webhook; none gives the terminal; a token needs a channel."""
    both = {
        "SLACK_BOT_TOKEN": "x",
        "SLACK_CHANNEL": "C1",
        "SLACK_WEBHOOK_URL": "http://h/w",
        "IFO_WATCH_SLACK_BASE_URL": "http://127.0.0.1:1/api",
    }
    settings = SlackSettings.from_env(both)
    assert settings.base_url == "http://127.0.0.1:1/api/"
    assert isinstance(notifier_from_settings(settings), SlackWebNotifier)
    hook = SlackSettings.from_env({"SLACK_WEBHOOK_URL": "http://h/w"})
    assert isinstance(notifier_from_settings(hook), SlackWebhookNotifier)
    assert isinstance(notifier_from_settings(SlackSettings.from_env({})), TerminalNotifier)
    with pytest.raises(UsageError):
        SlackSettings.from_env({"SLACK_BOT_TOKEN": "x"})
