"""A cycle reads and extracts on worker processes ahead of itself, and records the same.

`run_cycle` records its documents one after another; with `workers`, forked processes
read and extract the pages of the sources to come while it records (`reading.Readers`).
A real HTTP server on 127.0.0.1 serves the gold corpus's and the held-out pages (real
IFO publications, whose derived metrics recur from page to page). What must hold: the
same changes, figures, rows and messages as a cycle that reads every page on its own
thread; a worker that dies is one line and nothing is lost; a cycle of two pages starts
no worker; and a cycle in which every page answers 304 loads neither the catalog nor
the HTML reader, the extractor, the baseline's diff or slack-sdk.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ifo_watch import pipeline, reading
from ifo_watch.collect import Fetcher
from ifo_watch.extract import Catalog
from ifo_watch.models import Source
from ifo_watch.notify import TerminalNotifier
from ifo_watch.track import DB_NAME, Store

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted((ROOT / "tests/corpus/docs").glob("*.html")) + sorted(
    (ROOT / "tests/heldout/docs").glob("*.html")
)
# Columns that tell when, or are made anew by each run (a message's random key).
VARYING = {"seconds", "key", "message_key"}
WHEN = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d")  # when a row was written

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks (Linux)")


def _handler(pages: list[bytes]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            number = self.path.strip("/").rsplit("/", 1)[-1]
            if self.path.startswith("/sida/") and number.isdigit() and int(number) < len(pages):
                etag = f'"v{number}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = pages[int(number)]
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("ETag", etag)
            else:
                body = b"saknas"
                self.send_response(404)
                self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler([p.read_bytes() for p in DOCS]))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _sources(base: str, count: int = len(DOCS)) -> list[Source]:
    return [
        Source(
            name=f"sida-{n:02d}",
            publisher="Socialstyrelsen",
            url=f"{base}sida/{n}/",
            kind="page",
            concurrency=4,
            delay=0,
        )
        for n in range(count)
    ]


def _run(
    state_dir: Path, sources: list[Source], *, workers: int, log: Callable[[str], None] = print
) -> tuple[pipeline.CycleReport, list[str]]:
    printed: list[str] = []
    with Fetcher(backoff=0) as fetcher:
        report = pipeline.run_cycle(
            Store.open(state_dir),
            sources,
            fetcher=fetcher,
            notifier=TerminalNotifier(write=printed.append),
            catalog=Catalog.load(),
            log=log,
            workers=workers,
        )
    return report, printed


def _rows(state_dir: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Return every table's rows, less the columns that tell when (or are random)."""
    db = sqlite3.connect(state_dir / DB_NAME)
    out = {}
    for (table,) in db.execute("select name from sqlite_master where type = 'table'"):
        columns = [r[1] for r in db.execute(f"pragma table_info([{table}])")]
        kept = [c for c in columns if c not in VARYING]
        quoted = ", ".join(f"[{c}]" for c in kept)
        rows = db.execute(f"select {quoted} from [{table}] order by rowid").fetchall()
        out[table] = [tuple(_timeless(v) for v in row) for row in rows]
    db.close()
    return out


def _timeless(value: Any) -> Any:
    return "<time>" if isinstance(value, str) and WHEN.match(value) else value


def _found(report: pipeline.CycleReport) -> list[tuple[Any, ...]]:
    """Return each change as found (its figures, old and new), less when it was found."""
    return [
        (c.id, c.kind, c.metric, c.label, c.new.figure, c.old.figure if c.old else None)
        for c in report.changes
    ]


def _same_cycle(
    one: tuple[pipeline.CycleReport, list[str]], other: tuple[pipeline.CycleReport, list[str]]
) -> None:
    (report, printed), (report_other, printed_other) = one, other
    assert _found(report) == _found(report_other)
    assert report.errors == report_other.errors
    assert printed == printed_other  # the digest, message by message


def test_reading_ahead_records_what_reading_in_turn_records(base: str, tmp_path: Path) -> None:
    """Two workers: the same changes, digest and rows (figures, history, outbox) as none."""
    lines: list[str] = []
    ahead = _run(tmp_path / "ahead", _sources(base), workers=2, log=lines.append)
    in_turn = _run(tmp_path / "in-turn", _sources(base), workers=0)
    _same_cycle(ahead, in_turn)
    assert len(ahead[0].changes) > 100
    assert _rows(tmp_path / "ahead") == _rows(tmp_path / "in-turn")
    used = [line for line in lines if line.startswith("read ahead on 2 processes")]
    assert used and not used[0].startswith("read ahead on 2 processes: 0 documents"), lines
    again, _ = _run(tmp_path / "ahead", _sources(base), workers=2, log=lines.append)
    assert not again.changes and not again.errors  # every page answered 304
    assert sum(s.unchanged for s in again.sources) == len(DOCS)


def test_a_worker_that_dies_is_one_line_and_nothing_is_lost(
    base: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed on its first document: one line; the cycle reads them all itself."""
    parent = os.getpid()
    real = pipeline.extract_figures

    def dying(doc: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            os._exit(9)  # as by kill -9, in the worker only, on its first document
        return real(doc, **kwargs)

    in_turn = _run(tmp_path / "in-turn", _sources(base), workers=0)
    monkeypatch.setattr(pipeline, "extract_figures", dying)
    lines: list[str] = []
    ahead = _run(tmp_path / "ahead", _sources(base), workers=1, log=lines.append)
    _same_cycle(ahead, in_turn)
    assert _rows(tmp_path / "ahead") == _rows(tmp_path / "in-turn")
    stopped = [line for line in lines if "reading process stopped" in line]
    assert len(stopped) == 1 and stopped[0].endswith("reading on one core"), lines


def test_a_page_the_worker_cannot_read_fails_as_on_the_cycles_thread(
    base: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An extractor crash in a worker: the cycle reads the page itself and fails it, one line."""
    real = pipeline.extract_figures

    def crashing(doc: Any, **kwargs: Any) -> Any:
        if doc.url.endswith("/sida/4/"):
            raise RuntimeError("oväntat tabellformat")
        return real(doc, **kwargs)

    monkeypatch.setattr(pipeline, "extract_figures", crashing)
    ahead = _run(tmp_path / "ahead", _sources(base, 8), workers=1, log=lambda line: None)
    in_turn = _run(tmp_path / "in-turn", _sources(base, 8), workers=0, log=lambda line: None)
    _same_cycle(ahead, in_turn)
    assert ahead[0].errors == (f"sida-04: {base}sida/4/: RuntimeError: oväntat tabellformat",)


def test_a_cycle_of_two_pages_starts_no_worker(base: str, tmp_path: Path) -> None:
    """One or two sources: read on the cycle's own thread (a worker would cost more)."""
    lines: list[str] = []
    report, _ = _run(tmp_path, _sources(base, 2), workers=2, log=lines.append)
    assert sum(s.fetched for s in report.sources) == 2
    assert not [line for line in lines if line.startswith("read ahead")], lines


NOT_NEEDED = (
    "bs4",
    "lxml",
    "slack_sdk",
    "ifo_watch.extract.catalog",
    "ifo_watch.extract.figures",
    "ifo_watch.track.baseline",
    "ifo_watch.collect.text",
    "ifo_watch.notify.digest",
    "concurrent.futures.process",
    "rich",  # the live display is for a terminal; httpx's command line is never run
    "pygments",
    "httpx._main",
    "sqlite_utils",  # the store reads and records a 304 with SQLite alone
)


def _cli_cycle(state: Path, sources: Path) -> tuple[int, list[str]]:
    """Run `ifo-watch run` in its own process; return its status and the modules it loaded."""
    code = (
        "import json, sys\n"
        "from ifo_watch.cli import main\n"
        "try:\n"
        f"    main(['--state', {str(state)!r}, 'run', '--sources', {str(sources)!r}])\n"
        "except SystemExit as exc:\n"
        "    status = exc.code or 0\n"
        "print(json.dumps([status, sorted(sys.modules)]), file=sys.stderr)\n"
    )
    env = {**os.environ, "IFO_WATCH_ALLOW_PRIVATE": "1", "IFO_WATCH_FETCH_BACKOFF": "0"}
    for name in ("SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_WEBHOOK_URL"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    status, modules = json.loads(done.stderr.strip().splitlines()[-1])
    return int(status), list(modules)


def test_a_cycle_where_every_page_answers_304_loads_only_what_it_needs(
    base: str, tmp_path: Path
) -> None:
    """No catalog, HTML reader, extractor, diff, slack-sdk or process pool: nothing to read."""
    sources = tmp_path / "sources.toml"
    sources.write_text(
        "".join(
            f'[[sources]]\nname = "sida-{n}"\npublisher = "Socialstyrelsen"\n'
            f'url = "{base}sida/{n}/"\nkind = "page"\ndelay = 0\nconcurrency = 8\n\n'
            for n in range(6)
        ),
        "utf-8",
    )
    status, first = _cli_cycle(tmp_path / "state", sources)
    assert status == 0 and "ifo_watch.extract.figures" in first and "bs4" in first
    status, again = _cli_cycle(tmp_path / "state", sources)
    assert status == 0
    assert [name for name in NOT_NEEDED if name in again] == []


def test_a_cycle_killed_leaves_no_reading_process_holding_the_state(
    base: str, tmp_path: Path
) -> None:
    """`kill -9` of `ifo-watch run` mid-cycle: its reading processes end with it, and the
    state's lock (a flock they were forked with) is free for the next cycle at once."""
    from ifo_watch.track import hold_state

    sources = tmp_path / "sources.toml"
    sources.write_text(
        "".join(
            f'[[sources]]\nname = "sida-{n}"\npublisher = "Socialstyrelsen"\n'
            f'url = "{base}sida/{n}/"\nkind = "page"\ndelay = 0\nconcurrency = 8\n\n'
            for n in range(len(DOCS))
        ),
        "utf-8",
    )
    env = {**os.environ, "IFO_WATCH_ALLOW_PRIVATE": "1", "IFO_WATCH_WORKERS": "1"}
    command = [sys.executable, "-m", "ifo_watch.cli", "--state", str(tmp_path / "state"),
               "-v", "run", "--sources", str(sources)]  # fmt: skip
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    for line in process.stderr:  # the reading process is started with the first pages
        if line.startswith("sida-5: "):
            break
    process.kill()
    process.wait(timeout=30)
    for _ in range(50):
        try:
            with hold_state(tmp_path / "state", holder="test"):
                return
        except Exception:  # StateBusy while an orphaned worker still holds the flock
            threading.Event().wait(0.1)
    pytest.fail("the state stayed locked after the cycle was killed")


def test_the_catalog_loads_when_a_page_is_first_read_and_a_broken_one_fails_the_cycle(
    base: str, tmp_path: Path
) -> None:
    """A loader: called once by a first cycle, never by one where every page answers 304;
    one that fails ends the cycle with its error, as the catalog loaded before would."""
    from ifo_watch.errors import IfoWatchError
    from ifo_watch.extract import CatalogError

    calls: list[int] = []

    def loader() -> Catalog:
        calls.append(1)
        return Catalog.load()

    def cycle(state: Path, load: Callable[[], Catalog]) -> pipeline.CycleReport:
        with Fetcher(backoff=0) as fetcher:
            return pipeline.run_cycle(
                Store.open(state),
                _sources(base, 4),
                fetcher=fetcher,
                notifier=TerminalNotifier(write=lambda text: None),
                catalog=load,
                workers=1,
            )

    ensure = Store.open(tmp_path / "state")
    pipeline.ensure_baseline(ensure, catalog=Catalog.load())  # seeded: no load for that
    first = cycle(tmp_path / "state", loader)
    assert sum(s.fetched for s in first.sources) == 4 and calls == [1]
    again = cycle(tmp_path / "state", loader)
    assert sum(s.unchanged for s in again.sources) == 4 and calls == [1]

    def broken() -> Catalog:
        raise CatalogError("cannot read catalog katalog.toml: Invalid value (at line 3)")

    for state in ("new", "seeded"):  # seeding fails, or the first page's reading
        if state == "seeded":
            pipeline.ensure_baseline(Store.open(tmp_path / state), catalog=Catalog.load())
        with pytest.raises(IfoWatchError, match="cannot read catalog"):
            cycle(tmp_path / state, broken)


@pytest.mark.parametrize(
    ("setting", "cores", "load", "expected"),
    [
        ("", 2, 0.1, 2),  # an idle 2-core machine: both cores read
        ("", 2, 1.0, 1),  # one core busy elsewhere: one reading process
        ("", 2, 1.7, 0),  # no free core: the cycle reads on its own thread
        ("", 16, 0.0, reading.MAX_WORKERS),
        ("0", 2, 0.0, 0),  # the setting wins over the idle cores
        ("3", 2, 9.0, 3),
        ("many", 2, 0.0, 0),
    ],
)
def test_the_default_readers_are_the_idle_cores_unless_set(
    monkeypatch: pytest.MonkeyPatch, setting: str, cores: int, load: float, expected: int
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("IFO_WATCH_WORKERS", setting)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    assert reading.default_workers() == expected
