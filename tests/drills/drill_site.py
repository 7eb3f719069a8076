"""A site whose figures move every round, for the drills: a feed, six pages, a flaky listing.

Round r gives every page new values, so each round brings changes: 18 indicators
(orosanmälningar in 18 län), one new exact value each. The SKR listing fails in rounds
1, 4, 7, ... and works otherwise, so sources start failing and recover.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REGIONS = (
    "Stockholms län",
    "Uppsala län",
    "Södermanlands län",
    "Östergötlands län",
    "Jönköpings län",
    "Kronobergs län",
    "Kalmar län",
    "Gotlands län",
    "Blekinge län",
    "Skåne län",
    "Hallands län",
    "Värmlands län",
    "Örebro län",
    "Västmanlands län",
    "Dalarnas län",
    "Gävleborgs län",
    "Jämtlands län",
    "Norrbottens län",
)
PAGES = 6


@dataclass
class DrillSite:
    """The served site; `round` moves its figures."""

    base: str = ""
    round: int = 0

    def sources(self, folder: Path) -> Path:
        """Write a sources file for the site and return its path."""
        path = folder / "sources.toml"
        path.write_text(
            "[[sources]]\n"
            'name = "drill-feed"\npublisher = "Socialstyrelsen"\n'
            f'url = "{self.base}feed.xml"\nkind = "feed"\n\n'
            "[[sources]]\n"
            'name = "drill-skr"\npublisher = "SKR"\n'
            f'url = "{self.base}skr/"\nkind = "listing"\n',
            "utf-8",
        )
        return path

    def value(self, page: int, line: int) -> int:
        """Return the figure of one line of one page in the current round."""
        return 600 + 40 * page + 7 * line + 3 * self.round

    def skr_fails(self) -> bool:
        """Return True in the rounds where the SKR listing answers 503."""
        return self.round % 3 == 1

    def page(self, number: int) -> str:
        """Return the HTML of one page in the current round."""
        lines = "".join(
            f"<p>Under 2023 kom {self.value(number, j)} orosanmälningar om barn in till"
            f" socialtjänsten i {REGIONS[number * 3 + j]}.</p>"
            for j in range(3)
        )
        return (
            f"<html><head><title>Orosanmälningar i länen, del {number + 1}</title></head>"
            f"<body><main><article><h1>Orosanmälningar i länen, del {number + 1}</h1>"
            f'<p class="published">Publicerad: 2024-05-14</p>{lines}</article></main>'
            "</body></html>"
        )

    def feed(self) -> str:
        """Return the RSS feed listing every page."""
        items = "".join(
            f"<item><title>Orosanmälningar i länen, del {n + 1}</title>"
            f"<link>{self.base}sida/{n}/</link><guid>{self.base}sida/{n}/</guid>"
            "<pubDate>Tue, 14 May 2024 08:00:00 +0200</pubDate></item>"
            for n in range(PAGES)
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Drill</title><link>{self.base}</link>{items}</channel></rss>"
        )


def _handler(site: DrillSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            status, ctype, body = 200, "text/html; charset=utf-8", ""
            if self.path == "/feed.xml":
                ctype, body = "application/rss+xml; charset=utf-8", site.feed()
            elif self.path.startswith("/sida/"):
                body = site.page(int(self.path.strip("/").split("/")[-1]))
            elif self.path == "/skr/":
                status, body = (503, "nere") if site.skr_fails() else (200, "<html></html>")
            else:
                status, body = 404, "saknas"
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def serve_drill_site() -> Iterator[DrillSite]:
    """Serve the drill site on 127.0.0.1 for the duration of the block."""
    site = DrillSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
