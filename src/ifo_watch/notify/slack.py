"""The only module that talks to Slack (slack-sdk): Web API or incoming webhook."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ifo_watch.errors import NotifyError, UsageError
from ifo_watch.models import Change
from ifo_watch.notify.render import Notifier, TerminalNotifier, render_slack

DEFAULT_BASE_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class SlackSettings:
    """Where alerts and source-failure notices go, read from the environment."""

    token: str | None = None
    channel: str | None = None
    webhook_url: str | None = None
    error_channel: str | None = None
    error_webhook_url: str | None = None
    base_url: str = DEFAULT_BASE_URL

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SlackSettings:
        """Read the SLACK_* variables; a token without a channel is a usage error."""
        env = os.environ if env is None else env
        token = env.get("SLACK_BOT_TOKEN") or None
        channel = env.get("SLACK_CHANNEL") or None
        if token and not channel:
            raise UsageError("SLACK_BOT_TOKEN is set but SLACK_CHANNEL is not")
        base_url = env.get("IFO_WATCH_SLACK_BASE_URL") or DEFAULT_BASE_URL
        if not base_url.endswith("/"):
            base_url += "/"  # slack-sdk drops the last path segment otherwise
        return cls(
            token=token,
            channel=channel,
            webhook_url=env.get("SLACK_WEBHOOK_URL") or None,
            error_channel=env.get("SLACK_ERROR_CHANNEL") or None,
            error_webhook_url=env.get("SLACK_ERROR_WEBHOOK_URL") or None,
            base_url=base_url,
        )

    @property
    def configured(self) -> bool:
        """Return True when alerts go to Slack rather than the terminal."""
        return bool(self.token or self.webhook_url)


@dataclass
class SlackWebNotifier:
    """Post with chat.postMessage."""

    token: str
    channel: str
    base_url: str = DEFAULT_BASE_URL
    name: str = "slack"

    def post(self, change: Change) -> str | None:
        """Post one change; return the message timestamp Slack gave it."""
        return self.post_text(*render_slack(change))

    def post_text(self, text: str, blocks: list[dict[str, object]] | None = None) -> str | None:
        """Post a message; raise NotifyError with Slack's reason on failure."""
        from slack_sdk import WebClient
        from slack_sdk.errors import SlackApiError

        client = WebClient(token=self.token, base_url=self.base_url, timeout=20)
        try:
            response = client.chat_postMessage(channel=self.channel, text=text, blocks=blocks)
        except SlackApiError as exc:
            raise NotifyError(f"Slack refused the message: {exc.response.get('error')}") from exc
        except Exception as exc:  # network errors of every kind from urllib
            raise NotifyError(f"Slack could not be reached: {exc}") from exc
        ts = response.get("ts")
        return str(ts) if ts else None


@dataclass
class SlackWebhookNotifier:
    """Post with an incoming webhook."""

    url: str
    name: str = "slack-webhook"

    def post(self, change: Change) -> str | None:
        """Post one change through the webhook."""
        text, blocks = render_slack(change)
        return self.post_text(text, blocks)

    def post_text(self, text: str, blocks: list[dict[str, object]] | None = None) -> str | None:
        """Post a message; raise NotifyError on any answer other than 200."""
        from slack_sdk.webhook import WebhookClient

        try:
            response = WebhookClient(self.url, timeout=20).send(text=text, blocks=blocks)
        except Exception as exc:
            raise NotifyError(f"Slack webhook could not be reached: {exc}") from exc
        if response.status_code != 200:
            raise NotifyError(f"Slack webhook answered {response.status_code}: {response.body}")
        return None


def notifier_from_settings(settings: SlackSettings) -> Notifier:
    """Pick the notifier: Web API wins over a webhook; the terminal when neither is set."""
    if settings.token and settings.channel:
        return SlackWebNotifier(settings.token, settings.channel, settings.base_url)
    if settings.webhook_url:
        return SlackWebhookNotifier(settings.webhook_url)
    return TerminalNotifier()


def error_notifier_from_settings(settings: SlackSettings) -> Callable[[str], object] | None:
    """Return where source failures are posted, or None to keep them in the log only."""
    if settings.token and settings.error_channel:
        return SlackWebNotifier(settings.token, settings.error_channel, settings.base_url).post_text
    if settings.error_webhook_url:
        return SlackWebhookNotifier(settings.error_webhook_url).post_text
    return None
