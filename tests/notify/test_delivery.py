"""Delivering the outbox to the fake Slack on 127.0.0.1: every message once, in order.

Each failure case of the issue: 429 with Retry-After, 500, timeouts, invalid_auth, a
channel or webhook gone, history with metadata, refusals for good, a long outage.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from alertkit import NOW, change, change_ids, new_store, queue, unescaped_markup
from fakeslack import FakeSlack
from ifo_watch.notify import ERRORS, DeliveryReport, SlackNotifier, SlackSettings, deliver
from ifo_watch.notify.slack import EVENT_TYPE, WebTarget
from ifo_watch.track.store import Store


def _notifier(fake: FakeSlack, **env: str) -> SlackNotifier:
    settings = SlackSettings.from_env(
        {
            "SLACK_BOT_TOKEN": fake.token,
            "SLACK_CHANNEL": "C0ALERTS",
            "SLACK_ERROR_CHANNEL": "C0ERRORS",
            "IFO_WATCH_SLACK_BASE_URL": fake.api_url,
            "IFO_WATCH_SLACK_BACKOFF": "0",
            "IFO_WATCH_SLACK_TIMEOUT": "1",
            **env,
        }
    )
    return SlackNotifier(settings)


def _deliver(store: Store, notifier: SlackNotifier) -> tuple[DeliveryReport, list[str]]:
    lines: list[str] = []
    return deliver(store, notifier, now=lambda: NOW, log=lines.append), lines


def _posts(fake: FakeSlack) -> int:
    return sum(1 for _, method in fake.requests if method == "chat.postMessage")


def _received_ids(fake: FakeSlack, channel: str = "C0ALERTS") -> list[str]:
    return [i for m in fake.posted(channel) for i in change_ids(m["text"])]


def test_a_digest_arrives_once_with_its_id_and_no_unfurling(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """One message for the cycle, with metadata, unfurling off, no link_names or parse."""
    store, ids = new_store(tmp_path, 3)
    report, lines = _deliver(store, _notifier(fake_slack))
    assert (report.posted, report.messages, report.errors, lines) == (3, 1, (), [])
    [message] = fake_slack.posted("C0ALERTS")
    assert _received_ids(fake_slack) == ids
    assert message["unfurl_links"] is False and message["unfurl_media"] is False
    assert "link_names" not in message and "parse" not in message
    [stored] = store.messages()
    assert message["metadata"] == {
        "event_type": EVENT_TYPE,
        "event_payload": {"key": stored["key"]},
    }
    assert stored["remote_id"] == message["ts"] and store.waiting_destinations() == []
    assert unescaped_markup(message) == []


def test_a_sixty_change_cycle_arrives_as_at_most_three_messages(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """60 changes from 10 publications: at most 3 numbered messages, each within Slack's limits."""
    sentence = "Enligt den nya kartläggningen " + "ökade anmälningarna i kommunerna " * 5
    store, ids = new_store(
        tmp_path, 60, source="https://www.socialstyrelsen.se/nyheter/{n}/", sentence=sentence
    )
    for n, change_id in enumerate(ids):  # ten publications of six changes each
        store.db.execute(
            "update observations set url = replace(url, ?, ?)"
            " where id = (select new_id from changes where id = ?)",
            [f"/nyheter/{n}/", f"/nyheter/{n % 10}/", change_id],
        )
    report, _ = _deliver(store, _notifier(fake_slack))
    messages = fake_slack.posted("C0ALERTS")
    assert 1 < len(messages) <= 3 and fake_slack.refused == [] and report.errors == ()
    for number, message in enumerate(messages, start=1):
        header = message["blocks"][0]["text"]["text"]
        assert header == f"ifo-watch: 60 ändrade uppgifter ({number}/{len(messages)})"
        assert len(message["blocks"]) <= 50 and unescaped_markup(message) == []
    assert sorted(_received_ids(fake_slack)) == sorted(ids) and report.posted == 60


def test_429_waits_for_retry_after_and_posts_once(tmp_path: Path, fake_slack: FakeSlack) -> None:
    """A 429 is retried after Slack's Retry-After, by slack-sdk; one message arrives."""
    store, ids = new_store(tmp_path, 2)
    fake_slack.plan = ["429"]
    report, _ = _deliver(store, _notifier(fake_slack))
    posts = [t for t, method in fake_slack.requests if method == "chat.postMessage"]
    assert len(posts) == 2 and posts[1] - posts[0] >= 1.0
    assert report.errors == () and _received_ids(fake_slack) == ids


def test_a_500_is_retried_after_a_look_at_the_history(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """A 500 may have posted: the history is searched for the id before the one retry."""
    store, ids = new_store(tmp_path, 2)
    fake_slack.plan = ["500"]
    report, _ = _deliver(store, _notifier(fake_slack))
    methods = [method for _, method in fake_slack.requests]
    assert methods == ["chat.postMessage", "conversations.history", "chat.postMessage"]
    assert report.errors == () and _received_ids(fake_slack) == ids


def test_a_timeout_after_slack_took_the_post_gives_one_message(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """Slack took the post but the answer never came: the history shows it, nothing is re-sent."""
    store, ids = new_store(tmp_path, 1)
    fake_slack.plan = ["posted_timeout"]
    report, _ = _deliver(store, _notifier(fake_slack))
    assert _posts(fake_slack) == 1 and _received_ids(fake_slack) == ids
    assert report.errors == () and store.messages()[0]["remote_id"] == fake_slack.messages[0]["ts"]


def test_a_timeout_before_slack_took_it_is_posted_again(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """A post that timed out and is not in the history is sent once more."""
    store, ids = new_store(tmp_path, 1)
    fake_slack.plan = ["timeout"]
    report, _ = _deliver(store, _notifier(fake_slack))
    assert _posts(fake_slack) == 2 and _received_ids(fake_slack) == ids and report.errors == ()


def test_slack_down_keeps_everything_and_the_order(tmp_path: Path, fake_slack: FakeSlack) -> None:
    """While Slack fails, digests pile up in order; once back, each arrives once, oldest first."""
    store, first = new_store(tmp_path, 2)
    notifier = _notifier(fake_slack)
    fake_slack.down = "500"
    report, lines = _deliver(store, notifier)
    assert report.errors == (
        "notify: Slack channel C0ALERTS (SLACK_CHANNEL): Slack could not take the message"
        " (internal_error); 1 message waits for the next cycle",
    )
    assert lines == [f"error: {report.errors[0]}"]
    second = queue(store, [change(n) for n in (10, 11)])
    fake_slack.down, fake_slack.retry_after = "429", 0
    _deliver(store, notifier)
    fake_slack.down = None
    report, _ = _deliver(store, notifier)
    assert (report.messages, report.errors) == (2, ())
    assert _received_ids(fake_slack) == first + second


def test_invalid_auth_stops_posting_with_one_line(tmp_path: Path, fake_slack: FakeSlack) -> None:
    """A bad token: one post is tried, one line names the setting, everything waits."""
    store, _ = new_store(tmp_path, 1)
    queue(store, [change(5)], destination="route:x")
    store.add_notice(ERRORS, "started", "s", "ifo-watch: källan s kunde inte läsas", now=NOW)
    store.freeze("slack", [], now=NOW)
    notifier = _notifier(fake_slack, SLACK_BOT_TOKEN="xoxb-wrong-token")
    report, lines = _deliver(store, notifier)
    assert _posts(fake_slack) == 1
    assert report.errors == (
        "notify: Slack refused the token (invalid_auth): check SLACK_BOT_TOKEN;"
        " 1 message waits for the next cycle",
        "notify: route 'x' is not in the sources file; its messages wait",
    )
    assert not any("xoxb-wrong-token" in line for line in lines)
    assert store.waiting_destinations() == ["errors", "route:x", "slack"]


def test_a_channel_that_is_gone_names_its_setting(tmp_path: Path, fake_slack: FakeSlack) -> None:
    """channel_not_found names SLACK_CHANNEL; the digest stays for the next cycle."""
    store, ids = new_store(tmp_path, 1)
    fake_slack.plan = ["channel_not_found"]
    report, _ = _deliver(store, _notifier(fake_slack))
    assert report.errors == (
        "notify: Slack refused the channel (channel_not_found): check SLACK_CHANNEL;"
        " 1 message waits for the next cycle",
    )
    _deliver(store, _notifier(fake_slack))
    assert _received_ids(fake_slack) == ids


def test_webhook_status_is_checked(tmp_path: Path, fake_slack: FakeSlack) -> None:
    """A webhook 404 names SLACK_WEBHOOK_URL (never the URL) and keeps the digest; then it goes."""
    store, ids = new_store(tmp_path, 2)
    settings = SlackSettings.from_env(
        {"SLACK_WEBHOOK_URL": fake_slack.webhook_url, "IFO_WATCH_SLACK_BACKOFF": "0"}
    )
    fake_slack.plan = ["404"]
    report, lines = _deliver(store, SlackNotifier(settings))
    assert report.errors == (
        "notify: Slack refused the channel (no_service): check SLACK_WEBHOOK_URL;"
        " 1 message waits for the next cycle",
    )
    assert fake_slack.webhook_url not in " ".join(lines) and "XXXX" not in " ".join(lines)
    report, _ = _deliver(store, SlackNotifier(settings))
    [message] = fake_slack.posted(None)
    assert message["webhook"].startswith("/services/") and message["unfurl_links"] is False
    assert change_ids(message["text"]) == ids and report.posted == 2


def test_history_with_metadata_prevents_a_second_message(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """A message posted before a crash, not marked: found by its id, marked, not re-sent."""
    store, ids = new_store(tmp_path, 1)
    notifier = _notifier(fake_slack)
    [drafted] = _freeze(store)
    store.message_trying(drafted.id, now=NOW)
    target = notifier.target("slack")
    assert isinstance(target, WebTarget)
    ts = target.post(drafted)  # Slack took it; the process died before the mark
    fake_slack.messages.insert(0, {"channel": "C0ALERTS", "ts": "1.000001", "text": "other"})
    report, _ = _deliver(store, notifier)
    assert _posts(fake_slack) == 1 and _received_ids(fake_slack) == ids
    assert report.messages == 1 and store.messages()[0]["remote_id"] == ts


def test_missing_history_scope_posts_again_with_one_line(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """Without the history scope the notifier cannot tell, says so once and posts again."""
    store, _ = new_store(tmp_path, 1)
    [drafted] = _freeze(store)
    store.message_trying(drafted.id, now=NOW)
    fake_slack.history_error = "missing_scope"
    report, _ = _deliver(store, _notifier(fake_slack))
    assert report.messages == 1 and len(report.errors) == 1
    assert "channels:history" in report.errors[0]


def test_refused_blocks_are_resent_as_plain_text(tmp_path: Path, fake_slack: FakeSlack) -> None:
    """invalid_blocks: the same message goes once more, as its escaped plain text."""
    store, ids = new_store(tmp_path, 2)
    fake_slack.plan = ["invalid_blocks"]
    report, _ = _deliver(store, _notifier(fake_slack))
    [message] = fake_slack.posted("C0ALERTS")
    assert "blocks" not in message and change_ids(message["text"]) == ids
    assert report.errors == () and store.messages()[0]["as_text"] == 1


def test_refused_twice_is_parked_with_one_notice(tmp_path: Path, fake_slack: FakeSlack) -> None:
    """Refused as blocks and as text: parked, one notice, one line; the next message goes on."""
    store, first = new_store(tmp_path, 1)
    _freeze(store)
    second = queue(store, [change(7)])
    fake_slack.plan = ["invalid_blocks", "msg_too_long"]
    report, _ = _deliver(store, _notifier(fake_slack))
    assert _received_ids(fake_slack) == second
    [parked] = [line for line in report.errors if "parked" in line]
    assert "(invalid_blocks), also as plain text (msg_too_long)" in parked
    [notice] = fake_slack.posted("C0ERRORS")
    assert notice["text"].startswith("ifo-watch: ett meddelande till huvudkanalen avvisades")
    assert [bool(m["parked_at"]) for m in store.messages()[:2]] == [True, False]
    assert first and store.waiting_destinations() == []


def test_a_stuck_message_is_reported_once_and_kept(tmp_path: Path, fake_slack: FakeSlack) -> None:
    """After ten failed attempts a message is reported once as stuck, kept, delivered later."""
    store, ids = new_store(tmp_path, 1)
    notifier = _notifier(fake_slack)
    fake_slack.down = "500"
    lines: list[str] = []
    for _ in range(8):
        lines += _deliver(store, notifier)[1]
    stuck = [line for line in lines if "has failed" in line]
    assert len(stuck) == 1 and "it stays queued" in stuck[0]
    fake_slack.down = None
    report, _ = _deliver(store, notifier)
    assert _received_ids(fake_slack) == ids and report.errors == ()
    [notice] = fake_slack.posted("C0ERRORS")
    assert "har inte gått fram på 10 försök" in notice["text"]


def test_posts_to_one_channel_are_paced(tmp_path: Path, fake_slack: FakeSlack) -> None:
    """Slack allows about one message a second per channel: posts wait the backoff between."""
    store, _ = new_store(tmp_path, 1)
    for n in (20, 21):
        _freeze(store)
        queue(store, [change(n)])
    _deliver(store, _notifier(fake_slack, IFO_WATCH_SLACK_BACKOFF="0.3"))
    times = [t for t, method in fake_slack.requests if method == "chat.postMessage"]
    assert len(times) == 3 and all(b - a >= 0.29 for a, b in itertools.pairwise(times))


def test_the_token_never_leaves_the_environment(tmp_path: Path, fake_slack: FakeSlack) -> None:
    """Neither lines, errors, the state files nor the settings' repr hold the token."""
    store, _ = new_store(tmp_path, 2)
    notifier = _notifier(fake_slack)
    lines: list[str] = []
    for plan in (["500", "500"], ["timeout", "timeout"], ["invalid_blocks", "msg_too_long"]):
        fake_slack.plan = list(plan)
        report, more = _deliver(store, notifier)
        lines += more + list(report.errors)
        queue(store, [change(len(lines) + 30)])
    store.close()
    seen = "\n".join(lines) + repr(notifier.settings) + repr(notifier)
    assert fake_slack.token not in seen
    for path in tmp_path.iterdir():
        assert fake_slack.token.encode() not in path.read_bytes(), path


def _freeze(store: Store) -> Any:
    from ifo_watch.notify.delivery import _Delivery

    run = _Delivery(store, _NoNotifier(), lambda: NOW, lambda line: None)
    run.compose("slack")
    return store.pending_messages("slack")


class _NoNotifier:
    backoff = 0.0

    def target(self, destination: str) -> Any:
        raise AssertionError("not used")


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
