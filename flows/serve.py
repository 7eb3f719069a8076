"""`ifo-watch serve`: the watch flow served on a cron schedule, with its own Prefect server.

Without `PREFECT_API_URL` a local Prefect server is started on 127.0.0.1 first (a
schedule never fires against Prefect's temporary server), its database and log under
`PREFECT_HOME`, which defaults to `<state>/prefect`; with `PREFECT_API_URL` set, that
server is used. Then the flow is served as the deployment `ifo-watch/watch`: a cron
schedule, a concurrency limit of one (two cycles never overlap: the state is
single-writer SQLite), and `pause_on_shutdown=False` (stopping serve leaves the schedule
on for the next start). SIGINT and SIGTERM stop the runner, then the server it started.

Prefect reads its settings from the environment when it is first imported, so
`prepare_environment` runs before any Prefect import; this module imports Prefect
only inside the functions that need it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

from ifo_watch.errors import IfoWatchError, UsageError

DEPLOYMENT = "watch"
FLOW = "ifo-watch"
HEALTH_TIMEOUT = 90.0  # seconds; a local server is healthy after 5-20 s here
QUIET = {
    "PREFECT_LOGGING_LEVEL": "WARNING",
    # the flow's own lines (one per source, one per cycle) stay; Prefect's own go
    "PREFECT_LOGGING_LOGGERS_PREFECT_FLOW_RUNS_LEVEL": "INFO",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}

Log = Callable[[str], None]


def prepare_environment(state_dir: Path) -> Path:
    """Set Prefect's quiet defaults, and PREFECT_HOME under the state, unless already set."""
    for name, value in QUIET.items():
        os.environ.setdefault(name, value)
    home = Path(os.environ.setdefault("PREFECT_HOME", str((state_dir / "prefect").resolve())))
    home.mkdir(parents=True, exist_ok=True)
    return home


def serve(
    state_dir: Path,
    *,
    cron: str,
    timezone: str,
    sources: Path | None,
    port: int,
    log: Log,
) -> None:
    """Serve the watch flow until SIGINT or SIGTERM; start a local server when needed."""
    local = not os.environ.get("PREFECT_API_URL")
    if local:
        port = port or _free_port()
        if not _port_free(port):
            raise UsageError(f"port {port} on 127.0.0.1 is taken: choose another with --port")
    home = prepare_environment(state_dir)
    if local:  # before Prefect is imported: it reads the API URL once, at import
        os.environ["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
    api = os.environ["PREFECT_API_URL"]
    schedule = _schedule(cron, timezone)  # a wrong cron fails before anything starts
    with _stop_on_signals(), contextlib.ExitStack() as stack:
        if local:
            stack.enter_context(local_server(home, port))
            log(f"Prefect server: {api.removesuffix('/api')} (its log: {home / 'server.log'})")
        else:
            log(f"Prefect server: {api}")
        _serve_flow(state_dir, schedule=schedule, sources=sources, log=log)


def _schedule(cron: str, timezone: str) -> Any:
    from prefect.schedules import Cron

    try:
        return Cron(cron, timezone=timezone)
    except ValueError as exc:
        raise UsageError(f"not a valid cron schedule {cron!r}: {_first_line(exc)}") from None


def _serve_flow(state_dir: Path, *, schedule: Any, sources: Path | None, log: Log) -> None:
    from prefect.flows import load_flow_from_entrypoint

    watch = load_flow_from_entrypoint(f"{Path(__file__).with_name('watch.py')}:watch")
    parameters = {
        "state": str(state_dir.resolve()),
        "sources": str(sources.resolve()) if sources else None,
    }
    log(
        f"serving {FLOW}/{DEPLOYMENT}: '{schedule.cron}' in {schedule.timezone}, "
        f"state {parameters['state']}; run it now with: prefect deployment run {FLOW}/{DEPLOYMENT}"
    )
    with contextlib.suppress(KeyboardInterrupt):
        watch.serve(
            name=DEPLOYMENT,
            schedules=[schedule],
            parameters=parameters,
            global_limit=1,
            pause_on_shutdown=False,
            print_starting_message=False,
            tags=["ifo-watch"],
        )
    log("stopped")


@contextlib.contextmanager
def local_server(home: Path, port: int) -> Iterator[str]:
    """Run `prefect server start` on 127.0.0.1 until the block ends; yield its API URL."""
    api = f"http://127.0.0.1:{port}/api"
    server_log = home / "server.log"
    command = [
        sys.executable, "-m", "prefect", "server", "start",
        "--host", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    with open(server_log, "ab") as out:
        # A session of its own: Ctrl-C in the terminal reaches serve only, which stops
        # the runner first and the server after it.
        process = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        _wait_healthy(process, api, server_log)
        yield api
    finally:
        _stop(process)


def _wait_healthy(process: subprocess.Popen[bytes], api: str, server_log: Path) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise IfoWatchError(
                f"the Prefect server stopped at start (exit {process.returncode}): "
                f"{_last_line(server_log)}; see {server_log}"
            )
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise IfoWatchError(
        f"the Prefect server was not healthy after {HEALTH_TIMEOUT:g} s; see {server_log}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server's process group: SIGTERM, then SIGKILL after 20 s."""
    for sig, wait in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(wait)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # anything the server left in its group


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    """Make SIGINT and SIGTERM both stop serve the clean way, as Ctrl-C does.

    SIGINT gets Python's own handler back (a shell starting serve in the background
    leaves it ignored), which asyncio turns into a clean cancel of the runner.
    """

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = {
        signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler),
        signal.SIGTERM: signal.signal(signal.SIGTERM, interrupt),
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _last_line(path: Path) -> str:
    lines = [line for line in path.read_text("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no output"


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
