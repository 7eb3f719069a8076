"""The only module that talks to Slack (slack-sdk): the settings, the Web API and webhooks.

One `WebClient` per cycle is shared by every channel; it retries a 429 after Slack's
Retry-After (`RateLimitErrorRetryHandler`) and a connection error only when the request
cannot have reached Slack, or only reads (a retried post could be a second message). A
failure becomes a `PostFailed` that says what kind it is, whether the post may have gone
through, and which setting to fix; it never carries the token or a webhook URL.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from ifo_watch.errors import NotifyError, UsageError

# slack-sdk loads when a message is posted: reading the settings, or a cycle with
# nothing to post, does not need it.
if TYPE_CHECKING:
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError
    from slack_sdk.http_retry.handler import RetryHandler
    from slack_sdk.webhook import WebhookClient

    from ifo_watch.track import StoredMessage

DEFAULT_BASE_URL = "https://slack.com/api/"
DEFAULT_TIMEOUT = 15
EVENT_TYPE = "ifo_watch_message"
HISTORY_PAGES = 5  # look this far back (200 messages a page) for a message that may have gone

# Slack's error codes by what they mean for a message.
TOKEN_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "not_allowed_token_type",
        "ekm_access_denied",
        "missing_scope",
    }
)
CHANNEL_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "team_access_not_granted",
    }
)
REFUSED_FOR_GOOD = frozenset(
    {
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "no_text",
        "too_many_attachments",
        "invalid_attachments",
        "invalid_arguments",
        "invalid_metadata_format",
        "invalid_metadata_schema",
        "metadata_too_large",
        "markdown_text_conflict",
        "invalid_payload",
        "too_long",
    }
)
MAYBE_POSTED = frozenset({"fatal_error", "internal_error", "request_timeout"})
WEBHOOK_GONE = frozenset({403, 404, 410})
_READ_ONLY = ("conversations.history", "auth.test")


class PostFailed(NotifyError):
    """Slack did not take a message.

    `kind` is `token` or `channel` (posting stops: a setting is wrong), `refused` (Slack
    refuses this message for good), or `transient` (try again later); `uncertain` is
    True when the post may have gone through all the same (a crash, a timeout, a 5xx).
    """

    def __init__(
        self, kind: str, code: str, *, setting: str | None = None, uncertain: bool = False
    ) -> None:
        self.kind = kind
        self.code = code
        self.setting = setting
        self.uncertain = uncertain
        super().__init__(self._line())

    def _line(self) -> str:
        if self.kind == "token":
            return f"Slack refused the token ({self.code}): check {self.setting}"
        if self.kind == "channel":
            return f"Slack refused the channel ({self.code}): check {self.setting}"
        if self.kind == "refused":
            return f"Slack refused the message for good ({self.code})"
        return f"Slack could not take the message ({self.code})"


@dataclass(frozen=True)
class SlackSettings:
    """Where alerts and notices go, read from the environment (the contract's variables)."""

    token: str | None = field(default=None, repr=False)
    channel: str | None = None
    webhook_url: str | None = field(default=None, repr=False)
    error_channel: str | None = None
    error_webhook_url: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    timeout: int = DEFAULT_TIMEOUT
    backoff: float = 1.0  # seconds between posts to one channel, and before a retry
    env: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False, hash=False)

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
            timeout=max(1, round(_seconds(env, "IFO_WATCH_SLACK_TIMEOUT", DEFAULT_TIMEOUT))),
            backoff=_seconds(env, "IFO_WATCH_SLACK_BACKOFF", 1.0),
            env=dict(env),
        )

    @property
    def configured(self) -> bool:
        """Return True when alerts go to Slack rather than the terminal."""
        return bool(self.token or self.webhook_url)


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        return max(0.0, float(raw))
    except ValueError as exc:
        raise UsageError(f"{name} must be a number of seconds, not {raw!r}") from exc


# -- the clients ---------------------------------------------------------------------------


@cache
def _connection_retry() -> type[RetryHandler]:
    """Return the handler that retries a connection error only where a retry cannot post
    a message twice (a class made on first use: slack-sdk loads with it)."""
    from slack_sdk.http_retry import ConnectionErrorRetryHandler
    from slack_sdk.http_retry.request import HttpRequest
    from slack_sdk.http_retry.response import HttpResponse
    from slack_sdk.http_retry.state import RetryState

    class _ConnectionRetry(ConnectionErrorRetryHandler):
        def _can_retry(
            self,
            *,
            state: RetryState,
            request: HttpRequest,
            response: HttpResponse | None = None,
            error: Exception | None = None,
        ) -> bool:
            if not super()._can_retry(state=state, request=request, response=response, error=error):
                return False
            if request.url.rstrip("/").endswith(_READ_ONLY):
                return True
            return not_sent(error)

    return _ConnectionRetry


def not_sent(error: BaseException | None) -> bool:
    """Return True when a connection error happened before the request reached Slack."""
    reason = getattr(error, "reason", error)
    return isinstance(reason, ConnectionRefusedError | socket.gaierror)


def _retry_handlers() -> list[RetryHandler]:
    from slack_sdk.http_retry import RateLimitErrorRetryHandler

    return [RateLimitErrorRetryHandler(max_retry_count=2), _connection_retry()(max_retry_count=2)]


def _quiet_logger() -> logging.Logger:
    # slack-sdk logs every failed request at ERROR; the notifier reports each failure
    # once, as one line, itself.
    logger = logging.getLogger("ifo_watch.slack_sdk")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
    return logger


def web_client(settings: SlackSettings) -> WebClient:
    """Return the one WebClient a cycle shares between its channels."""
    from slack_sdk import WebClient

    return WebClient(
        token=settings.token,
        base_url=settings.base_url,
        timeout=settings.timeout,
        retry_handlers=_retry_handlers(),
        logger=_quiet_logger(),
    )


# -- targets: one destination's channel ----------------------------------------------------


@dataclass
class WebTarget:
    """A channel posted to with chat.postMessage; it can look back in the channel's history."""

    client: WebClient
    channel: str
    setting: str  # the variable that names the channel
    token_setting: str = "SLACK_BOT_TOKEN"
    can_look_back: bool = True

    @property
    def label(self) -> str:
        """Return where the target posts, for lines on stderr."""
        return f"Slack channel {self.channel} ({self.setting})"

    def post(self, message: StoredMessage, *, as_text: bool = False) -> str | None:
        """Post a frozen message with its stable id in the metadata; return Slack's ts."""
        kwargs: dict[str, Any] = {
            "channel": self.channel,
            "text": message.text,
            "unfurl_links": False,
            "unfurl_media": False,
            "metadata": {"event_type": EVENT_TYPE, "event_payload": {"key": message.key}},
        }
        if not as_text and message.blocks:
            kwargs["blocks"] = list(message.blocks)
        from slack_sdk.errors import SlackApiError

        try:
            response = self.client.chat_postMessage(**kwargs)
        except SlackApiError as exc:
            raise self._failure(exc) from None
        except Exception as exc:  # urllib: refused, reset, timed out, ...
            raise _connection_failure(exc) from None
        ts = response.get("ts")
        return str(ts) if ts else None

    def find(self, message: StoredMessage) -> str | None:
        """Return the ts of a recent message in the channel that carries this message's id."""
        from slack_sdk.errors import SlackApiError

        cursor = None
        for _ in range(HISTORY_PAGES):
            try:
                page = self.client.conversations_history(
                    channel=self.channel, include_all_metadata=True, limit=200, cursor=cursor
                )
            except SlackApiError as exc:
                raise self._failure(exc) from None
            except Exception as exc:
                raise _connection_failure(exc) from None
            for found in page.get("messages") or []:
                meta = found.get("metadata") or {}
                payload = meta.get("event_payload") or {}
                if meta.get("event_type") == EVENT_TYPE and payload.get("key") == message.key:
                    return str(found.get("ts"))
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        return None

    def _failure(self, exc: SlackApiError) -> PostFailed:
        status = exc.response.status_code
        data = exc.response.data
        code = str(data.get("error")) if isinstance(data, dict) and data.get("error") else ""
        if status == 429 or code == "ratelimited":
            return PostFailed("transient", "ratelimited")
        if status >= 500:
            return PostFailed("transient", code or f"HTTP {status}", uncertain=True)
        if code in TOKEN_ERRORS:
            return PostFailed("token", code, setting=self.token_setting)
        if code in CHANNEL_ERRORS:
            return PostFailed("channel", code, setting=self.setting)
        if code in REFUSED_FOR_GOOD:
            return PostFailed("refused", code)
        return PostFailed("transient", code or f"HTTP {status}", uncertain=code in MAYBE_POSTED)


@dataclass
class WebhookTarget:
    """An incoming webhook: it cannot be asked what it received."""

    url: str = field(repr=False)
    setting: str  # the variable that holds the URL
    timeout: int = DEFAULT_TIMEOUT
    can_look_back: bool = False
    token_setting: str | None = None
    _client: WebhookClient | None = field(default=None, init=False, repr=False)

    @property
    def label(self) -> str:
        """Return where the target posts, for lines on stderr (never the URL: it is a secret)."""
        return f"Slack webhook ({self.setting})"

    def post(self, message: StoredMessage, *, as_text: bool = False) -> str | None:
        """Post a frozen message; the webhook's status code decides, since it never raises."""
        body: dict[str, Any] = {"text": message.text, "unfurl_links": False, "unfurl_media": False}
        if not as_text and message.blocks:
            body["blocks"] = list(message.blocks)
        if self._client is None:
            from slack_sdk.webhook import WebhookClient

            self._client = WebhookClient(
                self.url,
                timeout=self.timeout,
                retry_handlers=_retry_handlers(),
                logger=_quiet_logger(),
            )
        try:
            response = self._client.send_dict(body)
        except Exception as exc:
            raise _connection_failure(exc) from None
        if response.status_code == 200:
            return None
        raise self._failure(response.status_code, " ".join(str(response.body or "").split()))

    def _failure(self, status: int, answer: str) -> PostFailed:
        code = answer[:60] or f"HTTP {status}"
        if status in WEBHOOK_GONE:
            return PostFailed("channel", code, setting=self.setting)
        if status == 429:
            return PostFailed("transient", "ratelimited")
        if status in (400, 413):
            return PostFailed("refused", code)
        return PostFailed("transient", code, uncertain=status >= 500)

    def find(self, message: StoredMessage) -> str | None:
        """A webhook has no history: nothing can be found."""
        return None


def _connection_failure(exc: BaseException) -> PostFailed:
    name = type(getattr(exc, "reason", None) or exc).__name__
    return PostFailed("transient", name, uncertain=not not_sent(exc))
