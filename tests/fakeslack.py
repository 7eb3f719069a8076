"""A small fake of the Slack Web API and incoming webhooks, served on 127.0.0.1.

slack-sdk talks to it over real HTTP; tests read what it received and can make it fail:
`plan` scripts the answers to the next posts ("500", "429", "timeout", "posted_timeout",
"invalid_auth", "invalid_blocks", "msg_too_long", "channel_not_found", "404", ...),
`down` answers every post with one of them while set. It checks each message against
Slack's limits as Slack does (50 blocks, 3 000 characters a section, 150 a header,
40 000 of text) and answers `conversations.history` with metadata, newest first.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BLOCK_TYPES = {"header", "section", "divider", "context", "image", "actions", "rich_text"}


@dataclass
class FakeSlack:
    """What the fake received, and how it should answer next."""

    base_url: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[float, str]] = field(default_factory=list)  # (time, method or webhook)
    refused: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (error, payload)
    fail_next: int = 0  # answer this many requests with HTTP 500 first
    error: str | None = None  # answer {"ok": false, "error": ...} while set
    plan: list[str] = field(default_factory=list)  # answers to the next posts, in order
    down: str | None = None  # the answer to every post while set ("500", "429", "timeout")
    history_error: str | None = None  # answer conversations.history with this error
    token: str = "xoxb-test"
    timeout_seconds: float = 1.5  # how long a "timeout" answer keeps the client waiting
    retry_after: int = 1
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def api_url(self) -> str:
        """Return the Web API base URL, as IFO_WATCH_SLACK_BASE_URL takes it."""
        return self.base_url + "api/"

    @property
    def webhook_url(self) -> str:
        """Return an incoming-webhook URL."""
        return self.base_url + "services/T000/B000/XXXX"

    def posted(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Return the messages that arrived (in a channel, or through a webhook with None)."""
        with self.lock:
            return [m for m in self.messages if m.get("channel") == channel]

    def next_answer(self) -> str | None:
        with self.lock:
            if self.plan:
                return self.plan.pop(0)
            return self.down


def limits_problem(payload: dict[str, Any]) -> str | None:
    """Return Slack's error for a message beyond its limits, or None when it is well-formed."""
    text = payload.get("text") or ""
    blocks = payload.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if len(text) > 40_000:
        return "msg_too_long"
    if not blocks:
        return None if text else "no_text"
    if len(blocks) > 50:
        return "invalid_blocks"
    for block in blocks:
        kind = block.get("type")
        if kind not in BLOCK_TYPES:
            return "invalid_blocks"
        if kind == "header":
            inner = block.get("text") or {}
            if inner.get("type") != "plain_text" or not 0 < len(inner.get("text", "")) <= 150:
                return "invalid_blocks"
        if kind == "section":
            inner = block.get("text") or {}
            if inner.get("type") not in ("mrkdwn", "plain_text"):
                return "invalid_blocks"
            if not 0 < len(inner.get("text", "")) <= 3000:
                return "invalid_blocks"
    return None


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _reply(
            self,
            status: int,
            body: bytes,
            ctype: str = "application/json",
            headers: dict[str, str] | None = None,
        ) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a "timeout")

        def _json(self, data: dict[str, Any], status: int = 200) -> None:
            self._reply(status, json.dumps(data).encode())

        def do_GET(self) -> None:
            self.do_POST()

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = urlsplit(self.path).path
            if "json" in (self.headers.get("Content-Type") or ""):
                payload = json.loads(raw or b"{}")
            else:
                query = raw.decode() or urlsplit(self.path).query
                payload = {k: v[0] for k, v in parse_qs(query).items()}
            method = path.rsplit("/", 1)[-1] if path.startswith("/api/") else "webhook"
            with fake.lock:
                fake.requests.append((time.monotonic(), method))
            if fake.fail_next > 0:
                fake.fail_next -= 1
                self._reply(500, b'{"ok": false, "error": "internal_error"}')
                return
            if method == "webhook":
                self._webhook(payload)
                return
            if self.headers.get("Authorization") != f"Bearer {fake.token}":
                self._json({"ok": False, "error": "invalid_auth"})
                return
            if method == "conversations.history":
                self._history(payload)
                return
            if fake.error:
                self._json({"ok": False, "error": fake.error})
                return
            self._post(payload)

        def _answered(self, answer: str | None, record: Any) -> bool:
            """Give a scripted answer; True when the request is done with."""
            if answer is None:
                return False
            if answer == "500":
                self._reply(500, b'{"ok": false, "error": "internal_error"}')
            elif answer == "429":
                self._reply(
                    429,
                    b'{"ok": false, "error": "ratelimited"}',
                    headers={"Retry-After": str(fake.retry_after)},
                )
            elif answer in ("timeout", "posted_timeout"):
                if answer == "posted_timeout":
                    record()
                time.sleep(fake.timeout_seconds)
                self._json({"ok": False, "error": "too_late"})
            elif answer.isdigit():
                self._reply(int(answer), b"no_service", "text/plain")
            else:
                self._json({"ok": False, "error": answer})
            return True

        def _post(self, payload: dict[str, Any]) -> None:
            ts = f"{time.time():.0f}.{next(fake._ts):06d}"

            def record() -> None:
                with fake.lock:
                    fake.messages.append({"method": "chat.postMessage", "ts": ts, **payload})

            if self._answered(fake.next_answer(), record):
                return
            problem = limits_problem(payload)
            if problem:
                with fake.lock:
                    fake.refused.append((problem, payload))
                self._json({"ok": False, "error": problem})
                return
            record()
            self._json({"ok": True, "channel": payload.get("channel"), "ts": ts})

        def _webhook(self, payload: dict[str, Any]) -> None:
            def record() -> None:
                with fake.lock:
                    fake.messages.append({"webhook": self.path, **payload})

            if self._answered(fake.next_answer(), record):
                return
            problem = limits_problem(payload)
            if problem:
                with fake.lock:
                    fake.refused.append((problem, payload))
                self._reply(400, problem.encode(), "text/plain")
                return
            record()
            self._reply(200, b"ok", "text/plain")

        def _history(self, payload: dict[str, Any]) -> None:
            if fake.down and self._answered(fake.down, lambda: None):
                return
            if fake.history_error:
                self._json({"ok": False, "error": fake.history_error})
                return
            channel = payload.get("channel")
            everything = str(payload.get("include_all_metadata", "")).lower() in ("1", "true")
            limit = int(payload.get("limit") or 100)
            start = int(payload.get("cursor") or 0)
            with fake.lock:
                found = [m for m in reversed(fake.messages) if m.get("channel") == channel]
            page = found[start : start + limit]
            out = []
            for m in page:
                shown = {"type": "message", "ts": m["ts"], "text": m.get("text", "")}
                if everything and m.get("metadata"):
                    meta = m["metadata"]
                    shown["metadata"] = json.loads(meta) if isinstance(meta, str) else meta
                out.append(shown)
            more = start + limit < len(found)
            self._json(
                {
                    "ok": True,
                    "messages": out,
                    "has_more": more,
                    "response_metadata": {"next_cursor": str(start + limit) if more else ""},
                }
            )

    return Handler


@contextmanager
def serve_fake_slack() -> Iterator[FakeSlack]:
    """Run the fake on a free port of 127.0.0.1 for the duration of the block."""
    fake = FakeSlack()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
