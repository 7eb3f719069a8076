"""The bundled offline demo site: a local HTTP server and its sources.

`ifo-watch demo` serves `data/demo_site/` on 127.0.0.1 (no network), so one full
watch cycle can run against pages in the structure of Socialstyrelsen's and
SKR's. Text files may write `{BASE}` where an absolute link to the site belongs;
it is replaced by the server's base URL when served. The server answers
conditional GETs (ETag / Last-Modified -> 304), so a second cycle sees
"not modified".
"""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ifo_watch import resources
from ifo_watch.collect import parse_sources
from ifo_watch.models import Source

PLACEHOLDER = "{BASE}"
_TEMPLATED = {".html", ".htm", ".xml", ".rss", ".txt", ".toml", ".json"}
_TYPES = {
    ".xml": "application/rss+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
}
# A fixed Last-Modified: the site's content is versioned with the code, not by mtime.
_LAST_MODIFIED = datetime(2024, 4, 2, 8, 0, tzinfo=UTC)


def demo_site_dir() -> Path:
    """Return the folder of the bundled demo site."""
    return resources.data_file("demo_site")


def render(path: Path, base_url: str) -> bytes:
    """Return a demo file's bytes with `{BASE}` replaced for text files."""
    content = path.read_bytes()
    if path.suffix.lower() in _TEMPLATED:
        content = content.replace(PLACEHOLDER.encode(), base_url.encode())
    return content


def demo_sources(base_url: str) -> list[Source]:
    """Return the sources of the demo site served at `base_url`."""
    import tomllib

    text = render(demo_site_dir() / "sources.toml", base_url).decode("utf-8")
    return parse_sources(tomllib.loads(text), origin="demo_site/sources.toml")


@contextmanager
def serve_demo_site(*, root: Path | None = None, port: int = 0) -> Iterator[str]:
    """Serve the demo site on 127.0.0.1 in a background thread; yield its base URL."""
    site = (root or demo_site_dir()).resolve()
    server = _DemoServer(("127.0.0.1", port), _handler_for(site))
    host, bound = server.server_address[:2]
    base_url = f"http://{host!s}:{bound}/"
    server.base_url = base_url
    thread = threading.Thread(target=server.serve_forever, name="ifo-watch-demo", daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _DemoServer(ThreadingHTTPServer):
    """A threading server that knows its own base URL (for `{BASE}`)."""

    daemon_threads = True
    base_url = ""


def _handler_for(site: Path) -> type[BaseHTTPRequestHandler]:
    class DemoHandler(BaseHTTPRequestHandler):
        server_version = "ifo-watch-demo"

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def log_message(self, format: str, *args: object) -> None:
            pass  # the demo prints what would be posted, not an access log

        def _answer(self, *, send_body: bool) -> None:
            path = _resolve(site, self.path)
            if path is None:
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            server = self.server
            body = render(path, server.base_url if isinstance(server, _DemoServer) else "")
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            if _not_modified(
                etag,
                if_none_match=self.headers.get("If-None-Match"),
                if_modified_since=self.headers.get("If-Modified-Since"),
            ):
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self._validators(etag)
                self.end_headers()
                return
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", _content_type(path))
            self.send_header("Content-Length", str(len(body)))
            self._validators(etag)
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def _validators(self, etag: str) -> None:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", format_datetime(_LAST_MODIFIED, usegmt=True))

    return DemoHandler


def _resolve(site: Path, raw_path: str) -> Path | None:
    relative = unquote(urlsplit(raw_path).path).lstrip("/")
    candidate = (site / relative).resolve()
    if candidate.is_dir():
        candidate = candidate / "index.html"
    if not candidate.is_file() or not candidate.is_relative_to(site):
        return None
    if candidate.suffix == ".py" or candidate.name == "sources.toml":
        return None  # the PDF's generator script and the sources are not part of the site
    return candidate


def _not_modified(etag: str, *, if_none_match: str | None, if_modified_since: str | None) -> bool:
    """Apply RFC 9110: If-None-Match wins; otherwise compare If-Modified-Since."""
    if if_none_match is not None:
        tags = {tag.strip() for tag in if_none_match.split(",")}
        return etag in tags or "*" in tags
    if not if_modified_since:
        return False
    try:
        when = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when >= _LAST_MODIFIED


def _content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
