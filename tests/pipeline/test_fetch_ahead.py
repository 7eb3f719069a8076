"""A cycle fetches ahead on several threads, within each host's limits, and finds the same.

`run_cycle` reads its sources one after another but fetches what they read next while it
reads (`collect.Ahead`). A real HTTP server on 127.0.0.1 counts what it is asked: never
more requests at a time on a host than its `concurrency`, never two starts closer than
its `delay`, every page asked for once, a failing page one error line while the others
are read, and the same changes as a cycle that fetches each page when it reads it.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ifo_watch import pipeline
from ifo_watch.collect import Ahead, Fetcher, Request
from ifo_watch.collect.fetch import RobotsNotRead
from ifo_watch.extract import Catalog
from ifo_watch.models import Source
from ifo_watch.notify import TerminalNotifier
from ifo_watch.track import Store

PAGE = (
    "<html><head><title>Sida {n}</title></head><body><main><h1>Ekonomiskt bistånd {n}</h1>"
    "<p>Under 2023 fick {households} hushåll ekonomiskt bistånd i {place}.</p>"
    "<p>Andelen barn i hushåll med bistånd var {share} procent 2023.</p></main></body></html>"
)
PLACES = ("Uppsala län", "Skåne län", "Gotlands län", "Malmö", "Umeå")


@dataclass
class Counting:
    """The server's record: requests per path, most at a time, start times, held requests."""

    hold_until: int = 1  # a request waits (up to 5 s) until this many are under way,
    expected: int = 0  # or until this many requests have come
    asked: Counter[str] = field(default_factory=Counter)
    starts: list[float] = field(default_factory=list)
    running: int = 0
    most: int = 0
    cond: threading.Condition = field(default_factory=threading.Condition)


def _handler(state: Counting, pages: int) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            with state.cond:
                state.asked[self.path] += 1
                state.starts.append(time.monotonic())
                state.running += 1
                state.most = max(state.most, state.running)
                state.cond.notify_all()
                if self.path not in ("/robots.txt", "/sida/0/"):  # read before any ahead
                    state.cond.wait_for(
                        lambda: (
                            state.running >= state.hold_until
                            or state.asked.total() >= state.expected
                        ),
                        timeout=5,
                    )
            try:
                self._answer()
            finally:
                with state.cond:
                    state.running -= 1

        def _answer(self) -> None:
            number = self.path.strip("/").rsplit("/", 1)[-1]
            if self.path.startswith("/sida/") and number.isdigit() and int(number) < pages:
                n = int(number)
                body = PAGE.format(
                    n=n,
                    households=f"{10_000 + 137 * n:,}".replace(",", " "),
                    place=PLACES[n % len(PLACES)],
                    share=20 + n % 30,
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("ETag", f'"v{n}"')
            else:
                body = b"saknas"
                self.send_response(404)
                self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def serve() -> Iterator[tuple[Counting, str]]:
    state = Counting()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state, pages=12))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _sources(base: str, count: int, *, concurrency: int, delay: float) -> list[Source]:
    return [
        Source(
            name=f"sida-{n:02d}",
            publisher="Socialstyrelsen",
            url=f"{base}sida/{n}/",
            kind="page",
            concurrency=concurrency,
            delay=delay,
        )
        for n in range(count)
    ]


def _run(state_dir: Path, sources: list[Source]) -> pipeline.CycleReport:
    with Fetcher(backoff=0) as fetcher:
        return pipeline.run_cycle(
            Store.open(state_dir),
            sources,
            fetcher=fetcher,
            notifier=TerminalNotifier(write=lambda text: None),
            catalog=Catalog.load(),
        )


def test_a_cycle_fetches_ahead_no_more_at_a_time_than_the_host_allows(
    serve: tuple[Counting, str], tmp_path: Path
) -> None:
    """concurrency = 3: three requests under way at once, never four; each page asked once."""
    state, base = serve
    state.hold_until, state.expected = 3, 13  # each waits for two more: overlap if allowed
    report = _run(tmp_path, _sources(base, 12, concurrency=3, delay=0))
    assert report.errors == ()
    assert sum(s.fetched for s in report.sources) == 12
    assert state.most == 3
    assert state.asked == Counter({f"/sida/{n}/": 1 for n in range(12)} | {"/robots.txt": 1})


def test_the_delay_between_requests_to_a_host_holds_for_the_threads(
    serve: tuple[Counting, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """delay = 0.2 s: no two requests start closer than that, fetched ahead or not."""
    monkeypatch.delenv("IFO_WATCH_FETCH_DELAY", raising=False)  # the tests' switch: off here
    state, base = serve
    report = _run(tmp_path, _sources(base, 5, concurrency=4, delay=0.2))
    assert report.errors == ()
    gaps = [b - a for a, b in zip(state.starts, state.starts[1:], strict=False)]
    assert len(gaps) == 5 and min(gaps) >= 0.2 - 0.01, gaps


def test_a_failing_page_is_one_line_and_the_others_are_read(
    serve: tuple[Counting, str], tmp_path: Path
) -> None:
    """A page that answers 404, fetched ahead: its source's one error; every other page read."""
    state, base = serve
    sources = _sources(base, 6, concurrency=4, delay=0)
    sources.insert(3, Source(name="saknas", publisher="SKR", url=f"{base}sida/99/", kind="page"))
    report = _run(tmp_path, sources)
    assert report.errors == (f"saknas: {base}sida/99/: HTTP 404",)
    assert [s.fetched for s in report.sources] == [1, 1, 1, 0, 1, 1, 1]
    assert state.asked["/sida/99/"] == 1


def test_fetching_ahead_finds_what_fetching_in_turn_finds(
    serve: tuple[Counting, str], tmp_path: Path
) -> None:
    """The same changes, rows and answers as a cycle that fetches each page when it reads it."""
    _, base = serve
    sources = _sources(base, 10, concurrency=4, delay=0)
    ahead = _run(tmp_path / "ahead", sources)
    store = Store.open(tmp_path / "in-turn")
    with Fetcher(backoff=0) as fetcher:
        cycle = pipeline.start_cycle(store, sources, fetcher=fetcher, catalog=Catalog.load())
        reports = [pipeline.run_source(cycle, source) for source in sources]
        in_turn = pipeline.finish_cycle(
            cycle, reports, notifier=TerminalNotifier(write=lambda text: None)
        )
    assert [c.id for c in ahead.changes] == [c.id for c in in_turn.changes]
    assert len(ahead.changes) > 10
    assert Store.open(tmp_path / "ahead").counts() == store.counts()
    again = _run(tmp_path / "ahead", sources)  # every page answered 304 now
    assert not again.changes and not again.errors
    assert sum(s.unchanged for s in again.sources) == 10


def test_an_answer_is_handed_over_once_and_what_was_not_planned_is_fetched_then(
    serve: tuple[Counting, str],
) -> None:
    """The same request asked twice is fetched twice; a request never planned is fetched."""
    state, base = serve
    hosts = ("127.0.0.1",)
    with Fetcher(backoff=0) as fetcher, Ahead(fetcher, now=pipeline.utcnow) as ahead:
        fetcher.get(f"{base}sida/0/", hosts=hosts)  # robots.txt read on this thread
        ahead.plan([Request(f"{base}sida/1/", None, None, hosts)])
        assert ahead.get(f"{base}sida/1/", hosts=hosts).status == 200
        assert ahead.get(f"{base}sida/1/", hosts=hosts).status == 200
        assert ahead.get(f"{base}sida/2/", etag='"v2"', hosts=hosts).status == 200
    assert state.asked["/sida/1/"] == 2 and state.asked["/sida/2/"] == 1


def test_a_host_whose_robots_txt_is_not_read_waits_for_the_cycles_own_fetch(
    serve: tuple[Counting, str],
) -> None:
    """A fetch ahead never reads robots.txt (nor the state): the cycle's first fetch does."""
    state, base = serve
    hosts = ("127.0.0.1",)
    with Fetcher(backoff=0) as fetcher:
        with pytest.raises(RobotsNotRead):
            fetcher.get(f"{base}sida/1/", hosts=hosts, read_robots=False)
        with Ahead(fetcher, now=pipeline.utcnow) as ahead:
            ahead.plan([Request(f"{base}sida/1/", None, None, hosts)])
            assert state.asked.total() == 0  # planned, not started: robots.txt unread
            assert ahead.get(f"{base}sida/0/", hosts=hosts).status == 200
            assert ahead.get(f"{base}sida/1/", hosts=hosts).status == 200
    assert state.asked == Counter({"/robots.txt": 1, "/sida/0/": 1, "/sida/1/": 1})
