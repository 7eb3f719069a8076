"""A small site served over real HTTP on 127.0.0.1 that answers conditional GETs.

Each page is bytes with a content type; the ETag is the body's hash, so an
unchanged page answers 304 to its ETag. Every request is logged with whether it
was conditional and what was answered, so a test can say "every answer was 304".
Paths may also be handled by a function, for servers that misbehave on purpose.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass(frozen=True)
class Hit:
    """One request the site answered."""

    path: str
    status: int
    conditional: bool
    host: str


@dataclass
class LocalSite:
    """The pages of one site and the log of what was asked."""

    base: str = ""
    pages: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    handlers: dict[str, Handler] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def put(
        self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8"
    ) -> None:
        """Serve a body at a path (text has `{BASE}` replaced by the site's base URL)."""
        if isinstance(body, str):
            body = body.replace("{BASE}", self.base.rstrip("/")).encode("utf-8")
        self.pages[path] = (body, content_type)

    def handle(self, path: str, handler: Handler) -> None:
        """Answer a path with a function of the request handler."""
        self.handlers[path] = handler

    def paths(self) -> list[str]:
        """Return the paths asked for, in order."""
        with self.lock:
            return [hit.path for hit in self.hits]

    def clear(self) -> None:
        """Forget the requests logged so far."""
        with self.lock:
            self.hits.clear()


@contextmanager
def serve(site: LocalSite | None = None) -> Iterator[LocalSite]:
    """Serve a site on 127.0.0.1 in a background thread; yield it with its base URL set."""
    site = site or LocalSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _handler_for(site: LocalSite) -> type[BaseHTTPRequestHandler]:
    class SiteHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            conditional = bool(
                self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since")
            )
            host = self.headers.get("Host", "")
            if path in site.handlers:
                with site.lock:  # logged first: a handler may run long after the client left
                    site.hits.append(Hit(path, 0, conditional, host))
                site.handlers[path](self)
                return
            page = site.pages.get(path)
            if page is None:
                status = 404
                self._answer(404, b"saknas", "text/plain; charset=utf-8", None)
            else:
                body, content_type = page
                etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
                status = 304 if self.headers.get("If-None-Match") == etag else 200
                self._answer(status, body if status == 200 else b"", content_type, etag)
            with site.lock:
                site.hits.append(Hit(path, status, conditional, host))

        def _answer(
            self, status: int, body: bytes, content_type: str | None, etag: str | None
        ) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    return SiteHandler
