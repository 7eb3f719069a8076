"""`ifo-watch serve` as a user runs it: a subprocess with its own local Prefect server.

One serve process for the module (a local server takes 5-20 s to be healthy): the cron
deployment gets scheduled runs (what a wrong SQLAlchemy silently broke), a run triggered
with `prefect deployment run` completes a cycle, and SIGTERM stops serve, the server it
started included, leaving no process behind.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from ifo_watch import demo

pytestmark = [
    pytest.mark.prefect,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc"),
]
STOCKHOLM = ZoneInfo("Europe/Stockholm")
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    api: str
    env: dict[str, str]
    state: Path
    stdout: Path
    stderr: Path

    def get(self, path: str) -> Any:
        response = httpx.get(f"{self.api}{path}", timeout=10)
        response.raise_for_status()
        return response.json()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        response = httpx.post(f"{self.api}{path}", json=body, timeout=10)
        response.raise_for_status()
        return response.json()

    def prefect(self, *args: str) -> str:
        """Run the prefect CLI against serve's server, as the README tells a user to."""
        prefect = Path(sys.executable).with_name("prefect")
        done = subprocess.run(
            [str(prefect), *args], env=self.env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(what: str, check: Callable[[], Any], seconds: float, served: Served) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            pytest.fail(f"serve exited ({served.process.returncode}): {served.stderr.read_text()}")
        try:
            found = check()
        except httpx.HTTPError:
            found = None
        if found:
            return found
        time.sleep(0.25)
    pytest.fail(f"no {what} after {seconds:g} s: {served.stderr.read_text()}")


def _descendants(pid: int) -> set[int]:
    """Return every live process under `pid`, read from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Start `ifo-watch serve` on a demo site; whatever is left is killed at the end."""
    tmp = tmp_path_factory.mktemp("serve")
    state = tmp / "state"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SLACK_"))}
    env.update(
        {
            "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "1",  # schedule at once
            "PREFECT_RUNNER_POLL_FREQUENCY": "1",  # pick a triggered run up at once
            "PREFECT_SERVER_UI_ENABLED": "false",
            "IFO_WATCH_ALLOW_PRIVATE": "1",
            "IFO_WATCH_FETCH_DELAY": "0",
        }
    )
    script = Path(sys.executable).with_name("ifo-watch")
    with demo.serve_demo_site() as base:
        sources = tmp / "sources.toml"
        sources.write_bytes(demo.render(demo.demo_site_dir() / "sources.toml", base))
        stdout, stderr = tmp / "serve.out", tmp / "serve.err"
        command = [str(script), "--state", str(state), "serve", "--port", str(port)]
        with open(stdout, "wb") as out, open(stderr, "wb") as err:
            process = subprocess.Popen(
                [*command, "--sources", str(sources)],
                env=env,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
        api = f"http://127.0.0.1:{port}/api"
        cli_env = {
            **env,
            "PREFECT_API_URL": api,
            "PREFECT_HOME": str(state / "prefect"),
            "COLUMNS": "250",  # the prefect CLI's tables, untruncated
        }
        try:
            yield Served(process, api, cli_env, state, stdout, stderr)
        finally:
            leftover = _descendants(process.pid)
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
            for pid in leftover:
                if _alive(pid):
                    os.kill(pid, signal.SIGKILL)


def _deployment(served: Served) -> dict[str, Any]:
    return dict(
        _wait(
            "deployment",
            lambda: served.get("/deployments/name/ifo-watch/watch"),
            120,
            served,
        )
    )


def test_serve_schedules_the_next_weekday_runs_at_0730_stockholm(served: Served) -> None:
    """The cron deployment gets scheduled runs on a real local server, one cycle at a time."""
    started = time.monotonic()
    deployment = _deployment(served)
    healthy_after = time.monotonic() - started
    assert deployment["global_concurrency_limit"]["limit"] == 1
    assert deployment["paused"] is False
    assert deployment["parameters"]["state"] == str(served.state.resolve())
    [schedule] = deployment["schedules"]
    assert schedule["schedule"]["cron"] == "30 7 * * 1-5"
    assert schedule["schedule"]["timezone"] == "Europe/Stockholm"

    def scheduled() -> list[dict[str, Any]]:
        body = {
            "deployments": {"id": {"any_": [deployment["id"]]}},
            "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
        }
        return list(served.post("/flow_runs/filter", body))

    runs = _wait("scheduled runs", lambda: len(scheduled()) >= 3 and scheduled(), 60, served)
    for run in runs:
        when = datetime.fromisoformat(run["expected_start_time"]).astimezone(STOCKHOLM)
        assert (when.hour, when.minute, when.weekday() < 5) == (7, 30, True)
    listed = served.prefect("flow-run", "ls", "--state", "SCHEDULED")
    assert listed.count("SCHEDULED") >= 3 and "ifo-watch" in listed
    assert "ifo-watch/watch" in served.prefect("deployment", "ls")
    assert (served.state / "prefect" / "prefect.db").exists()  # PREFECT_HOME under the state
    print(f"serve: deployment scheduled {healthy_after:.1f} s after the test asked")


def test_a_triggered_run_completes_a_cycle(served: Served) -> None:
    """`prefect deployment run` makes serve run one cycle: changes found, artifact written."""
    _deployment(served)
    out = served.prefect("deployment", "run", "ifo-watch/watch")
    flow_run_id = out.split("UUID:")[1].split()[0]

    def finished() -> dict[str, Any] | None:
        run = served.get(f"/flow_runs/{flow_run_id}")
        return dict(run) if run["state_type"] in ("COMPLETED", "FAILED", "CRASHED") else None

    run = _wait("finished run", finished, 90, served)
    assert run["state_type"] == "COMPLETED", served.stderr.read_text()
    assert run["name"].startswith("cycle-")
    body = {"artifacts": {"key": {"any_": ["ifo-watch-cycle"]}}}
    [artifact] = [
        a for a in served.post("/artifacts/filter", body) if a["flow_run_id"] == flow_run_id
    ]
    assert "## Changes (12)" in artifact["data"]
    log = served.stderr.read_text()
    assert "2 sources, 5 fetched, 0 unchanged, 12 changes, 11 posted, 0 errors" in log
    assert "Barn i familjer med långvarigt ekonomiskt bistånd" in served.stdout.read_text()


def test_prefect_yaml_deploys_the_flow_to_a_process_worker(served: Served, tmp_path: Path) -> None:
    """`prefect deploy` of prefect.yaml on serve's server; a process worker runs one cycle."""
    import yaml

    _deployment(served)
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text("utf-8"))
    [deployment] = config["deployments"]
    assert deployment["entrypoint"] == "flows/watch.py:watch"
    assert deployment["concurrency_limit"] == 1
    assert deployment["schedules"][0]["cron"] == "30 7 * * 1-5"  # as serve's default
    # the same file under another deployment and pool name, beside serve's deployment
    deployment["name"] = "worker-check"
    deployment["work_pool"]["name"] = "ifo-watch-check"
    prefect_file = tmp_path / "prefect.yaml"
    prefect_file.write_text(yaml.safe_dump(config), "utf-8")
    served.prefect("work-pool", "create", "ifo-watch-check", "--type", "process")
    served.prefect("--no-prompt", "deploy", "--all", "--prefect-file", str(prefect_file))
    state, sources = tmp_path / "state", served.stdout.with_name("sources.toml")
    out = served.prefect(
        "deployment", "run", "ifo-watch/worker-check",
        "--param", f"state={state}", "--param", f"sources={sources}",
    )  # fmt: skip
    flow_run_id = out.split("UUID:")[1].split()[0]
    worker = subprocess.run(
        [str(Path(sys.executable).with_name("prefect")), "worker", "start",
         "--pool", "ifo-watch-check", "--run-once"],
        env=served.env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    run = served.get(f"/flow_runs/{flow_run_id}")
    assert run["state_type"] == "COMPLETED", worker.stdout + worker.stderr
    assert "2 sources, 5 fetched, 0 unchanged, 12 changes, 11 posted, 0 errors" in worker.stderr
    assert (state / "ifo-watch.db").exists()


def test_sigterm_stops_serve_and_its_server_leaving_no_process(served: Served) -> None:
    """SIGTERM: the runner stops, then the local server; no process of serve's is left."""
    _deployment(served)
    children = _descendants(served.process.pid)
    assert children  # the local Prefect server at least
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(60) == 0, served.stderr.read_text()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in children if _alive(pid)] == []
    assert served.stderr.read_text().rstrip().endswith("stopped")


def test_a_wrong_cron_is_one_line_and_starts_nothing(tmp_path: Path) -> None:
    """`serve --cron` that Prefect cannot read: exit 2, one line, no server started."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    script = Path(sys.executable).with_name("ifo-watch")
    done = subprocess.run(
        [str(script), "--state", str(tmp_path / "state"), "serve", "--cron", "61 7 * * *",
         "--port", str(_free_port())],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "error: not a valid cron schedule '61 7 * * *': Invalid cron string: \"61 7 * * *\"\n"
    )
