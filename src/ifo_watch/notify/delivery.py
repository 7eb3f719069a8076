"""Deliver the outbox: one digest per destination and cycle, each message exactly once.

At delivery the changes and notices no message carries yet are composed into a digest
whose messages are frozen in the state before the first post, so that a retry sends
exactly the same messages, oldest first. A message is marked sent only after Slack
accepted it. One that fails stays pending, however many cycles that takes, and the
messages behind it wait, so the order holds; after `STUCK_AFTER` attempts it is
reported once as stuck, and kept. One that Slack refuses for good (`invalid_blocks`,
`msg_too_long`) is re-sent once as plain text, then parked with one notice, and the
messages behind it go on. A bad token or channel stops posting for the cycle after the
first message, with one line naming the setting to fix.

Before a message whose post may have gone through (a crash between the post and the
mark, a timeout, a 5xx) is sent again, the channel's recent history is searched for
its stable id (Web API). A webhook cannot be asked: in that one window it may repeat.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from ifo_watch.errors import NotifyError
from ifo_watch.models import Change, Route
from ifo_watch.notify.manifest import publication_of
from ifo_watch.notify.slack import (
    PostFailed,
    SlackSettings,
    WebhookTarget,
    WebTarget,
    web_client,
)
from ifo_watch.notify.terminal import clean
from ifo_watch.track import Store, StoredMessage

if TYPE_CHECKING:  # slack-sdk and the digest's blocks load when there is something to post
    from slack_sdk import WebClient

MAIN = "slack"  # SLACK_CHANNEL or SLACK_WEBHOOK_URL (or the terminal); the name predates routes
ERRORS = "errors"  # SLACK_ERROR_CHANNEL or SLACK_ERROR_WEBHOOK_URL (or only the log)
ROUTE = "route:"
STUCK_AFTER = 10  # failed attempts before a message is reported, once, as stuck
TRIES_PER_CYCLE = 2

Log = Callable[[str], None]
Clock = Callable[[], datetime]


class Target(Protocol):
    """Where one destination's messages go."""

    @property
    def label(self) -> str:
        """Where it posts, for lines on stderr."""
        ...

    @property
    def setting(self) -> str:
        """The variable that names where it posts."""
        ...

    @property
    def token_setting(self) -> str | None:
        """The variable of the token it posts with, if any."""
        ...

    @property
    def can_look_back(self) -> bool:
        """True when it can tell whether a message has arrived."""
        ...

    def post(self, message: StoredMessage, *, as_text: bool = False) -> str | None:
        """Deliver a message; return its remote id, or raise PostFailed."""
        ...

    def find(self, message: StoredMessage) -> str | None:
        """Return the remote id of the message if it arrived already."""
        ...


class Notifier(Protocol):
    """Where each destination of the outbox is delivered."""

    @property
    def backoff(self) -> float:
        """Seconds to wait between two posts to one channel, and before a retry."""
        ...

    def target(self, destination: str) -> Target:
        """Return the target of a destination; raise NotifyError when it is not set up."""
        ...


# -- targets without Slack -----------------------------------------------------------------


@dataclass
class TerminalTarget:
    """Print each message: the digest as a Slack user would read it, unescaped."""

    write: Callable[[str], Any] = print
    label: str = "the terminal"
    setting: str = ""
    token_setting: str | None = None
    can_look_back: bool = False

    def post(self, message: StoredMessage, *, as_text: bool = False) -> str | None:
        """Print the plain text of the message (page text stripped of control codes)."""
        self.write(clean(message.plain, lines=True) + "\n")
        return None

    def find(self, message: StoredMessage) -> str | None:
        """The terminal keeps nothing."""
        return None


@dataclass
class LogOnlyTarget:
    """A destination with no channel set: what it gets stays in the log (notices, by default)."""

    label: str = "the log"
    setting: str = ""
    token_setting: str | None = None
    can_look_back: bool = False

    def post(self, message: StoredMessage, *, as_text: bool = False) -> str | None:
        """Take the message without a word: the cycle's log lines already said it."""
        return None

    def find(self, message: StoredMessage) -> str | None:
        """Nothing is kept."""
        return None


@dataclass
class DryRunTarget:
    """Say what would be posted where; post nothing."""

    label: str
    write: Callable[[str], Any] = print
    setting: str = ""
    token_setting: str | None = None
    can_look_back: bool = False

    def post(self, message: StoredMessage, *, as_text: bool = False) -> str | None:
        """Print 'would post to …' and the message."""
        self.write(f"would post to {self.label}:\n{clean(message.plain, lines=True)}\n")
        return None

    def find(self, message: StoredMessage) -> str | None:
        """Nothing was posted."""
        return None


# -- notifiers -----------------------------------------------------------------------------


@dataclass
class TerminalNotifier:
    """No Slack settings: the main digest is printed; notices and routes stay in the log."""

    write: Callable[[str], Any] = print
    backoff: float = 0.0

    def target(self, destination: str) -> Target:
        """Print the main destination; take the others silently."""
        if destination == MAIN:
            return TerminalTarget(self.write)
        return LogOnlyTarget()


@dataclass
class SlackNotifier:
    """Slack per the contract's settings, and the routes of the sources file."""

    settings: SlackSettings
    routes: Sequence[Route] = ()
    _client: WebClient | None = field(default=None, init=False, repr=False)

    @property
    def backoff(self) -> float:
        """Seconds between two posts to one channel (Slack allows about one a second)."""
        return self.settings.backoff

    def client(self) -> WebClient:
        """Return the one WebClient of this notifier, shared by every channel."""
        if self._client is None:
            self._client = web_client(self.settings)
        return self._client

    def target(self, destination: str) -> Target:
        """Return the channel or webhook of a destination."""
        s = self.settings
        if destination == MAIN:
            main = self._either(s.channel, "SLACK_CHANNEL", s.webhook_url, "SLACK_WEBHOOK_URL")
            return main if main is not None else TerminalTarget()
        if destination == ERRORS:
            target = self._either(
                s.error_channel,
                "SLACK_ERROR_CHANNEL",
                s.error_webhook_url,
                "SLACK_ERROR_WEBHOOK_URL",
            )
            return target if target is not None else LogOnlyTarget()
        if destination.startswith(ROUTE):
            return self._route(destination.removeprefix(ROUTE))
        raise NotifyError(f"unknown destination {destination!r} in the outbox")

    def _either(
        self, channel: str | None, channel_var: str, webhook: str | None, webhook_var: str
    ) -> Target | None:
        if self.settings.token and channel:
            return WebTarget(self.client(), channel, channel_var)
        if webhook:
            return WebhookTarget(webhook, webhook_var, timeout=self.settings.timeout)
        return None

    def _route(self, name: str) -> Target:
        route = next((r for r in self.routes if r.name == name), None)
        if route is None:
            raise NotifyError(f"route {name!r} is not in the sources file; its messages wait")
        value = self.settings.env.get(route.env, "").strip()
        if value.lower().startswith(("http://", "https://")):
            return WebhookTarget(value, route.env, timeout=self.settings.timeout)
        if not value:
            raise NotifyError(
                f"route {name}: set {route.env} to a channel id or a webhook URL; its messages wait"
            )
        if not self.settings.token:
            raise NotifyError(
                f"route {name}: {route.env} names a channel, which needs SLACK_BOT_TOKEN; "
                "its messages wait"
            )
        return WebTarget(self.client(), value, route.env)


@dataclass
class DryRunNotifier:
    """Wrap a notifier: say 'would post to …' for each message instead of posting it."""

    inner: Notifier
    write: Callable[[str], Any] = print
    backoff: float = 0.0

    def target(self, destination: str) -> Target:
        """Return a target that prints what the real one would receive."""
        real = self.inner.target(destination)
        if isinstance(real, LogOnlyTarget):
            return real
        return DryRunTarget(real.label, self.write)


def notifier_from_settings(settings: SlackSettings, routes: Sequence[Route] = ()) -> Notifier:
    """Pick the notifier: Slack when a token or webhook is set, the terminal otherwise.

    With only SLACK_ERROR_WEBHOOK_URL set, notices go there and the digest to the terminal.
    """
    if settings.configured or settings.error_webhook_url:
        return SlackNotifier(settings, tuple(routes))
    return TerminalNotifier()


# -- into the outbox -----------------------------------------------------------------------


def source_notice(store: Store, name: str, event: str, message: str, *, now: datetime) -> None:
    """Queue the notice that a source started failing or recovered (event: started|recovered).

    It goes to the error channel through the outbox, grouped with the cycle's other
    notices and retried like any alert; call it in the transaction that records the
    source's new state.
    """
    store.add_notice(ERRORS, event, name, message, now=now)


def route_destinations(
    routes: Iterable[Route], change: Change, *, publisher: str | None
) -> list[str]:
    """Return the outbox destinations of a change: the main channel and every matching route."""
    return [MAIN] + [ROUTE + r.name for r in routes if route_matches(r, change, publisher)]


def route_matches(route: Route, change: Change, publisher: str | None) -> bool:
    """Return True when a change falls under a route (every condition it names must hold).

    `metric` is a key ("orosanmalningar"), which also takes its longer keys
    ("orosanmalningar_per_dag"), or a prefix ending in "*"; region and publisher
    are compared without regard to case.
    """
    if route.metric is not None:
        key = route.metric
        if key.endswith("*"):
            if not change.metric.startswith(key[:-1]):
                return False
        elif change.metric != key and not change.metric.startswith(key + "_"):
            return False
    if route.region is not None and (change.region or "").casefold() != route.region.casefold():
        return False
    return route.publisher is None or (publisher or "").casefold() == route.publisher.casefold()


# -- out of the outbox ---------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery did: changes and messages delivered, and one line per failure."""

    posted: int = 0
    messages: int = 0
    errors: tuple[str, ...] = ()


def deliver(store: Store, notifier: Notifier, *, now: Clock, log: Log) -> DeliveryReport:
    """Compose, freeze and post what waits in the outbox, destination by destination."""
    with store.delivery_lock() as held:
        if not held:
            log("notify: another ifo-watch is delivering; these messages wait for the next cycle")
            return DeliveryReport()
        run = _Delivery(store, notifier, now, log)
        waiting = store.waiting_destinations()
        for destination in sorted(waiting, key=lambda d: (d != MAIN, d)):
            if destination != ERRORS:
                run.destination(destination)
        if ERRORS in store.waiting_destinations():  # notices may have come up just now
            run.destination(ERRORS)
        return DeliveryReport(run.posted, run.messages, tuple(run.errors))


@dataclass
class _Delivery:
    store: Store
    notifier: Notifier
    now: Clock
    log: Log
    posted: int = 0
    messages: int = 0
    errors: list[str] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)  # settings found wrong in this cycle
    refused: dict[int, str] = field(default_factory=dict)  # message id -> first refusal
    history_unreadable: bool = False  # said once: the bot lacks the history scope

    def fail(self, line: str) -> None:
        self.errors.append(line)
        self.log(f"error: {line}")

    def destination(self, destination: str) -> None:
        try:
            target = self.notifier.target(destination)
            self.compose(destination)
        except NotifyError as exc:
            self.fail(f"notify: {exc}")
            return
        for index, message in enumerate(self.store.pending_messages(destination)):
            if {target.setting, target.token_setting} & self.blocked:
                return  # said once already: the setting is wrong
            if index and self.notifier.backoff:
                time.sleep(self.notifier.backoff)
            if not self.send(target, destination, message):
                return

    def compose(self, destination: str) -> None:
        items = self.store.unsent(destination)
        notices = self.store.unsent_notices(destination)
        if not items and not notices:
            return
        from slack_sdk.errors import SlackObjectFormationError

        from ifo_watch.notify.digest import Entry, compose_digest, compose_notices

        changes = [item.change for item in items]
        stored = self.store.publications(
            [c.new.document_id for c in changes] + [c.old.document_id for c in changes if c.old]
        )
        entries = [
            Entry(
                item.id,
                item.change,
                publication_of(item.change.new, stored),
                publication_of(item.change.old, stored) if item.change.old else None,
            )
            for item in items
        ]
        try:
            drafts = compose_digest(entries) + compose_notices(notices)
        except SlackObjectFormationError as exc:
            raise NotifyError(f"cannot compose the digest for {destination}: {exc}") from exc
        self.store.freeze(destination, drafts, now=self.now())

    def send(self, target: Target, destination: str, message: StoredMessage) -> bool:
        """Deliver one message; False when the messages behind it must wait."""
        tries = 0
        while True:
            try:
                self.attempt(target, message)
                return True
            except PostFailed as failure:
                tries += failure.kind == "transient"
                outcome = self.failed(
                    target, destination, message, failure, last=tries >= TRIES_PER_CYCLE
                )
            if outcome in ("next", "stop"):
                return outcome == "next"
            if outcome == "later":
                time.sleep(self.notifier.backoff)
            message = self.store.message(message.id)

    def attempt(self, target: Target, message: StoredMessage) -> None:
        self.store.message_trying(message.id, now=self.now())  # from here on, it may arrive
        if message.uncertain and target.can_look_back:
            found = self.look_back(target, message)
            if found is not None:
                self.sent(message, found)
                return
        remote_id = target.post(message, as_text=message.as_text)
        self.sent(message, remote_id)

    def look_back(self, target: Target, message: StoredMessage) -> str | None:
        try:
            return target.find(message)
        except PostFailed as failure:
            if failure.code != "missing_scope":  # still unknown whether it arrived
                raise PostFailed(
                    failure.kind, failure.code, setting=failure.setting, uncertain=True
                ) from None
        if not self.history_unreadable:
            self.history_unreadable = True
            self.fail(
                f"notify: cannot read the history of {target.label} (missing_scope): give the"
                " bot the channels:history scope; a message that may have arrived is posted again"
            )
        return None

    def sent(self, message: StoredMessage, remote_id: str | None) -> None:
        self.store.message_sent(message.id, now=self.now(), remote_id=remote_id)
        self.posted += message.changes
        self.messages += 1

    def failed(
        self,
        target: Target,
        destination: str,
        message: StoredMessage,
        failure: PostFailed,
        *,
        last: bool,
    ) -> str:
        """Record a failure; return what comes next: now, later, next (message) or stop."""
        now = self.now()
        self.store.message_failed(message.id, str(failure), uncertain=failure.uncertain, now=now)
        waiting = len(self.store.pending_messages(destination))
        if failure.kind in ("token", "channel"):
            self.blocked.add(failure.setting or target.setting)
            self.fail(f"notify: {failure}; {_waiting(waiting)} for the next cycle")
            return "stop"
        if failure.kind == "refused":
            if not message.as_text:
                self.refused[message.id] = failure.code
                self.store.message_as_text(message.id)
                return "now"
            self.park(target, destination, message, failure)
            return "next"
        if not last:
            return "later"
        self.report_stuck(target, destination, self.store.message(message.id), failure)
        self.fail(f"notify: {target.label}: {failure}; {_waiting(waiting)} for the next cycle")
        return "stop"

    def park(
        self, target: Target, destination: str, message: StoredMessage, failure: PostFailed
    ) -> None:
        first = self.refused.pop(message.id, failure.code)
        now = self.now()
        self.store.message_parked(message.id, f"{first}; as plain text: {failure.code}", now=now)
        self.fail(
            f"notify: {target.label}: Slack refused message {message.id} for good ({first}),"
            f" also as plain text ({failure.code}); it is parked in the state and the messages"
            " behind it go on"
        )
        if destination != ERRORS:
            self.store.add_notice(
                ERRORS,
                "parked",
                destination,
                f"ifo-watch: ett meddelande till {_place(destination)} avvisades av Slack"
                f" ({first}, även som ren text: {failure.code}) och har lagts åt sidan."
                f" Det finns kvar i ifo-watch-databasen (meddelande {message.id}).",
                now=now,
            )

    def report_stuck(
        self, target: Target, destination: str, message: StoredMessage, failure: PostFailed
    ) -> None:
        if message.attempts < STUCK_AFTER or message.stuck:
            return
        now = self.now()
        self.store.message_stuck(message.id, now=now)
        since = message.created_at.date().isoformat()
        self.fail(
            f"notify: {target.label}: message {message.id} has failed {message.attempts} times"
            f" since {since} ({failure.code}); it stays queued and is tried every cycle"
        )
        if destination != ERRORS:
            self.store.add_notice(
                ERRORS,
                "stuck",
                destination,
                f"ifo-watch: ett meddelande till {_place(destination)} har inte gått fram på"
                f" {message.attempts} försök sedan {since} ({failure.code}). Det ligger kvar"
                " och skickas så snart Slack tar emot det.",
                now=now,
            )


def _waiting(count: int) -> str:
    return "1 message waits" if count == 1 else f"{count} messages wait"


def _place(destination: str) -> str:
    if destination == MAIN:
        return "huvudkanalen"
    if destination.startswith(ROUTE):
        return f"rutten {destination.removeprefix(ROUTE)}"
    return destination
