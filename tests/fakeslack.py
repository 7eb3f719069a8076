"""A small fake of the Slack Web API and incoming webhooks, served on 127.0.0.1.

slack-sdk talks to it over real HTTP; tests read what it received and can make it fail.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class FakeSlack:
    """What the fake received, and how it should answer next."""

    base_url: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)
    fail_next: int = 0  # answer this many requests with HTTP 500 first
    error: str | None = None  # answer {"ok": false, "error": ...} while set
    token: str = "xoxb-test"
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def api_url(self) -> str:
        """Return the Web API base URL, as IFO_WATCH_SLACK_BASE_URL takes it."""
        return self.base_url + "api/"

    @property
    def webhook_url(self) -> str:
        """Return an incoming-webhook URL."""
        return self.base_url + "services/T000/B000/XXXX"


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _reply(self, status: int, body: bytes, ctype: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if fake.fail_next > 0:
                fake.fail_next -= 1
                self._reply(500, b'{"ok": false, "error": "internal_error"}')
                return
            if "json" in (self.headers.get("Content-Type") or ""):
                payload = json.loads(raw or b"{}")
            else:
                payload = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            if self.path.startswith("/services/"):
                fake.messages.append({"webhook": self.path, **payload})
                self._reply(200, b"ok", "text/plain")
                return
            if self.headers.get("Authorization") != f"Bearer {fake.token}":
                self._reply(200, b'{"ok": false, "error": "invalid_auth"}')
                return
            if fake.error:
                self._reply(200, json.dumps({"ok": False, "error": fake.error}).encode())
                return
            ts = f"1700000000.{next(fake._ts):06d}"
            fake.messages.append({"method": self.path.rsplit("/", 1)[-1], "ts": ts, **payload})
            self._reply(
                200, json.dumps({"ok": True, "channel": payload.get("channel"), "ts": ts}).encode()
            )

    return Handler


@contextmanager
def serve_fake_slack() -> Iterator[FakeSlack]:
    """Run the fake on a free port of 127.0.0.1 for the duration of the block."""
    fake = FakeSlack()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
