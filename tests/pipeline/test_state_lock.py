"""One cycle at a time on a state: a second refuses naming the holder; a dead lock is taken over."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from ifo_watch.track.lock import LOCK_NAME
from localsite import LocalSite, serve

PAGE = (
    "<html><body><main><h1>Orosanmälningar</h1>"
    "<p>Under 2023 kom 402 000 orosanmälningar om barn in till socialtjänsten.</p>"
    "</main></body></html>"
)


class SlowSite:
    """One page that answers only when released: a cycle reading it holds the state."""

    def __init__(self, site: LocalSite, sources: Path) -> None:
        self.site = site
        self.sources = sources
        self.release = threading.Event()


@pytest.fixture
def slow(tmp_path: Path) -> Iterator[SlowSite]:
    with serve() as site:
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[[sources]]\nname = "sos"\npublisher = "Socialstyrelsen"\n'
            f'url = "{site.base}sida/"\nkind = "page"\ndelay = 0\n',
            "utf-8",
        )
        found = SlowSite(site, sources)

        def answer(request: BaseHTTPRequestHandler) -> None:
            found.release.wait(30)
            body = PAGE.encode("utf-8")
            request.send_response(200)
            request.send_header("Content-Type", "text/html; charset=utf-8")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)

        site.handle("/sida/", answer)
        yield found
        found.release.set()


def _env() -> dict[str, str]:
    env = {**os.environ, "IFO_WATCH_FETCH_BACKOFF": "0"}
    for name in ("SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_WEBHOOK_URL"):
        env.pop(name, None)
    return env


def _command(state: Path, sources: Path) -> list[str]:
    return [sys.executable, "-m", "ifo_watch.cli", "--state", str(state), "run",
            "--sources", str(sources)]  # fmt: skip


def _start_cycle(state: Path, sources: Path) -> subprocess.Popen[str]:
    """Start `ifo-watch run` in its own process and wait until it holds the state."""
    process = subprocess.Popen(
        _command(state, sources), env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    lock = state / LOCK_NAME
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().strip()):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the first cycle never took the state"
        time.sleep(0.05)
    return process


def _run(state: Path, sources: Path) -> tuple[int, str, str]:
    """Run a second `ifo-watch run`, as a user in another terminal would."""
    done = subprocess.run(
        _command(state, sources), env=_env(), capture_output=True, text=True, timeout=60
    )
    return done.returncode, done.stdout, done.stderr


def test_two_cycles_at_once_one_runs_and_one_refuses(slow: SlowSite, tmp_path: Path) -> None:
    """The second cycle refuses with one line naming the first; the first runs to its end."""
    state = tmp_path / "state"
    first = _start_cycle(state, slow.sources)
    try:
        code, out, err = _run(state, slow.sources)
    finally:
        slow.release.set()
        first_out, first_err = first.communicate(timeout=60)
    assert (code, out) == (1, "")
    host = socket.gethostname()
    assert err.startswith(
        f"error: the state in {state} is in use by ifo-watch run (pid {first.pid} on {host}, since "
    )
    assert err.endswith("); one cycle at a time\n") and err.count("\n") == 1
    assert first.returncode == 0, first_err
    assert "sos: ok, 1 fetched, 0 unchanged, 1 change" in first_out.splitlines()
    assert first_out.splitlines()[-1] == "1 change, 1 posted, 0 errors"
    assert (state / LOCK_NAME).read_text() == ""  # released on the way out


def test_a_lock_left_by_a_killed_cycle_is_taken_over(slow: SlowSite, tmp_path: Path) -> None:
    """A cycle killed while it held the state leaves the lock free: the next one runs."""
    state = tmp_path / "state"
    first = _start_cycle(state, slow.sources)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=30)
    slow.release.set()
    code, out, err = _run(state, slow.sources)
    assert err.splitlines() == [
        f"took over the state lock left by ifo-watch run (pid {first.pid} on "
        f"{socket.gethostname()}, since " + err.split(", since ", 1)[1].split(")")[0] + "), "
        "which ended without releasing it"
    ]
    assert (code, out.splitlines()[-1]) == (0, "1 change, 1 posted, 0 errors")
