"""The watch flow end to end under Prefect: a local site, the fake Slack, real SQLite."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from fakeslack import FakeSlack
from ifo_watch import demo
from ifo_watch.track import hold_state
from localsite import LocalSite, serve

pytestmark = pytest.mark.prefect

DOWN = """
[[sources]]
name = "skr-nere"
publisher = "SKR"
url = "{base}nyheter/"
kind = "listing"
"""


class Sites:
    """The demo site, an authority that is down, and a sources file listing both."""

    def __init__(self, base: str, down: LocalSite, sources: Path, state: Path) -> None:
        self.base = base
        self.down = down
        self.sources = sources
        self.state = state
        self.others_done = threading.Event()  # set when the down source saw the rest read


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[Sites]:
    """The down source comes first: it answers 503 only once the others are read (or 15 s)."""
    state = tmp_path / "state"
    with demo.serve_demo_site() as base, serve() as down:
        sources = tmp_path / "sources.toml"
        listed = demo.render(demo.demo_site_dir() / "sources.toml", base).decode("utf-8")
        sources.write_text(DOWN.format(base=down.base) + listed, "utf-8")
        found = Sites(base, down, sources, state)

        def answer(request: BaseHTTPRequestHandler) -> None:
            if _documents(state, base) >= 5 or _wait_documents(state, base, 15):
                found.others_done.set()
            request.send_response(503)
            request.send_header("Content-Length", "0")
            request.end_headers()

        down.handle("/nyheter/", answer)
        yield found


def _documents(state: Path, base: str) -> int:
    try:
        with sqlite3.connect(f"file:{state / 'ifo-watch.db'}?mode=ro", uri=True) as db:
            query = "select count(*) from document_versions where url like ?"
            return int(db.execute(query, [base + "%"]).fetchone()[0])
    except sqlite3.Error:
        return 0


def _wait_documents(state: Path, base: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _documents(state, base) >= 5:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def slack(fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> FakeSlack:
    monkeypatch.setenv("SLACK_BOT_TOKEN", fake_slack.token)
    monkeypatch.setenv("SLACK_CHANNEL", "C0ALERTS")
    monkeypatch.setenv("SLACK_ERROR_CHANNEL", "C0ERRORS")
    monkeypatch.setenv("IFO_WATCH_SLACK_BASE_URL", fake_slack.api_url)
    monkeypatch.setenv("IFO_WATCH_FETCH_BACKOFF", "0")
    monkeypatch.delenv("SLACK_WEBHOOK_URL", raising=False)
    return fake_slack


def _run(flows_watch: ModuleType, sites: Sites) -> tuple[Any, dict[str, int]]:
    from prefect.client.orchestration import get_client

    state = flows_watch.watch(state=str(sites.state), sources=str(sites.sources), return_state=True)
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(state.state_details.flow_run_id)
    return run, state.result()


def _artifact(flow_run_id: Any) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        ArtifactFilterKey,
    )

    with get_client(sync_client=True) as client:
        [artifact] = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["ifo-watch-cycle"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]),
            )
        )
    assert artifact.type == "markdown"
    return str(artifact.data)


def test_the_flow_finds_posts_once_and_writes_its_artifact(
    prefect_harness: None, flows_watch: ModuleType, sites: Sites, slack: FakeSlack
) -> None:
    """Changes found and posted once; the down source fails alone; one artifact a run."""
    run, figures = _run(flows_watch, sites)
    assert run.name.startswith("cycle-")
    assert run.state.is_completed()
    assert figures == {
        "sources": 3,
        "fetched": 5,
        "unchanged": 0,
        "changes": 12,
        "posted": figures["posted"],
        "errors": 1,
    }
    # the other authorities were read while the down one still hung: one task a source
    assert sites.others_done.is_set()
    alerts = [m for m in slack.messages if m["channel"] == "C0ALERTS"]
    assert alerts and figures["posted"] > 0
    texts = "\n".join(m["text"] for m in alerts)
    assert "Barn i familjer med långvarigt ekonomiskt bistånd" in texts
    errors = [m["text"] for m in slack.messages if m["channel"] == "C0ERRORS"]
    assert errors == [
        f"ifo-watch: källan skr-nere kunde inte läsas: {sites.down.base}nyheter/: "
        "HTTP 503 after 3 attempts"
    ]
    markdown = _artifact(run.id)
    assert "| sources | fetched | unchanged | changes | posted | errors |" in markdown
    assert f"| 3 | 5 | 0 | 12 | {figures['posted']} | 1 |" in markdown
    assert "| skr-nere | FAILED | 0 | 0 | 0 |" in markdown
    assert "## Changes (12)" in markdown and "Barn i familjer med långvarigt" in markdown
    assert f"- skr-nere: {sites.down.base}nyheter/: HTTP 503 after 3 attempts" in markdown

    posted = len(slack.messages)
    run, figures = _run(flows_watch, sites)
    assert (figures["changes"], figures["posted"], figures["errors"]) == (0, 0, 1)
    assert len(slack.messages) == posted  # nothing twice, and the failing source once
    assert "## Changes (0)\n\nNo changes." in _artifact(run.id)


def test_the_flow_persists_no_result_and_retries_nothing(
    prefect_harness: None, flows_watch: ModuleType, sites: Sites, slack: FakeSlack
) -> None:
    """No task retries (the fetch layer retries), no cache, no stored results."""
    from prefect.cache_policies import NO_CACHE
    from prefect.settings import PREFECT_HOME

    task = flows_watch.watch_source
    assert (task.retries, task.cache_policy, task.persist_result) == (0, NO_CACHE, False)
    assert flows_watch.watch.persist_result is False
    storage = Path(PREFECT_HOME.value()) / "storage"
    before = sorted(storage.rglob("*")) if storage.exists() else []
    _run(flows_watch, sites)
    after = sorted(storage.rglob("*")) if storage.exists() else []
    assert after == before


def test_a_flow_run_refuses_a_state_another_cycle_holds(
    prefect_harness: None, flows_watch: ModuleType, sites: Sites, slack: FakeSlack
) -> None:
    """While `ifo-watch run` holds the state, the flow run fails with the holder's line."""
    with hold_state(sites.state, holder="ifo-watch run"):
        state = flows_watch.watch(
            state=str(sites.state), sources=str(sites.sources), return_state=True
        )
    assert state.is_failed()
    message = str(state.message)
    assert f"the state in {sites.state} is in use by ifo-watch run (pid " in message
    assert slack.messages == []


def test_the_source_task_is_a_plain_call_into_the_pipeline(
    flows_watch: ModuleType, tmp_path: Path
) -> None:
    """`.fn()` runs the task's body without Prefect: one source of a cycle, one report."""
    from ifo_watch import pipeline
    from ifo_watch.collect import Fetcher
    from ifo_watch.extract import Catalog
    from ifo_watch.track import Store

    with demo.serve_demo_site() as base, Fetcher(backoff=0) as fetcher:
        sources = demo.demo_sources(base)
        store = Store.open(tmp_path / "state")
        cycle = pipeline.start_cycle(store, sources, fetcher=fetcher, catalog=Catalog.load())
        report = flows_watch.watch_source.fn(cycle, sources[1])
    assert (report.name, report.fetched, report.errors) == ("demo-skr-nyheter", 2, ())


def test_the_artifact_escapes_what_would_break_its_tables(flows_watch: ModuleType) -> None:
    """An error line with a pipe or a tag stays one list item of the Markdown."""
    from ifo_watch import pipeline

    report = pipeline.CycleReport(
        (pipeline.SourceReport("sos", errors=("sos: <html> | 503",), failed=True),)
    )
    markdown = flows_watch.cycle_markdown(report)
    assert "| 1 | 0 | 0 | 0 | 0 | 1 |" in markdown
    assert "- sos: &lt;html> \\| 503" in markdown
    assert "## Changes (0)\n\nNo changes." in markdown
