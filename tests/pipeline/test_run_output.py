"""What `run` prints: lines per source, one JSON document, -q and -v, and page text made safe."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pipelinesite import Site
from rich.console import Console

from ifo_watch.cli import main
from ifo_watch.notify import LiveProgress, PlainProgress
from ifo_watch.pipeline import SourceReport

SITE = Path(__file__).parent / "site"


@pytest.fixture(autouse=True)
def _no_slack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IFO_WATCH_FETCH_BACKOFF", "0")
    for name in ("SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)


def _run(state: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--state", str(state), *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_run_json_is_one_document_and_the_digest_goes_to_stderr(site: Site, tmp_path: Path) -> None:
    """--format json: stdout is one JSON document; the printed digest moves to stderr."""
    code, out, err = _run(
        tmp_path / "state", "run", "--sources", str(site.sources), "--format", "json"
    )
    assert code == 1  # the SKR source fails
    report = json.loads(out)
    assert list(report) == ["dry_run", "sources", "changes", "posted", "errors"]
    assert report["sources"] == [
        {
            "name": "socialstyrelsen-nyheter",
            "status": "ok",
            "fetched": 2,
            "unchanged": 0,
            "changes": 2,
            "errors": [],
        },
        {
            "name": "skr-trasig",
            "status": "failed",
            "fetched": 0,
            "unchanged": 0,
            "changes": 0,
            "errors": [f"skr-trasig: {site.base}skr/nyheter/: HTTP 503 after 3 attempts"],
        },
    ]
    assert [c["metric"] for c in report["changes"]] == [
        "orosanmalningar",
        "orosanmalningar_per_dag",
    ]
    assert report["changes"][0]["status"] == "pending"
    assert (report["posted"], report["dry_run"]) == (2, False)
    assert report["errors"] == [f"skr-trasig: {site.base}skr/nyheter/: HTTP 503 after 3 attempts"]
    assert "ifo-watch: 2 ändrade uppgifter" in err


def test_quiet_run_prints_the_summary_and_errors_only(site: Site, tmp_path: Path) -> None:
    """-q: no line per source; the summary and the error line stay."""
    state = tmp_path / "state"
    _run(state, "run", "--sources", str(site.sources))
    code, out, err = _run(state, "-q", "run", "--sources", str(site.sources))
    assert (code, out, err) == (
        1,
        "0 changes, 0 posted, 1 error\n",
        f"error: skr-trasig: {site.base}skr/nyheter/: HTTP 503 after 3 attempts\n",
    )


def test_verbose_run_logs_each_source_and_document(site: Site, tmp_path: Path) -> None:
    """-v on the group (or on run): the log names each source as it starts and each document."""
    code, _, err = _run(tmp_path / "state", "-v", "run", "--sources", str(site.sources))
    assert code == 1
    lines = err.splitlines()
    assert lines[:2] == ["reading 2 sources", "socialstyrelsen-nyheter: reading"]
    assert (
        f"socialstyrelsen-nyheter: {site.base}nyheter/orosanmalningar-2023/: 2 figures, 2 changes"
        in lines
    )
    assert "skr-trasig: reading" in lines
    _, _, again = _run(tmp_path / "state2", "run", "-v", "--sources", str(site.sources))
    assert "socialstyrelsen-nyheter: reading" in again.splitlines()


def test_seed_json(tmp_path: Path) -> None:
    """seed --format json: {"added": N}; 0 the second time."""
    code, out, _ = _run(tmp_path / "state", "seed", "--format", "json")
    assert code == 0 and json.loads(out)["added"] > 0
    assert json.loads(_run(tmp_path / "state", "seed", "--format", "json")[1]) == {"added": 0}


def test_page_text_prints_literally(site: Site, tmp_path: Path) -> None:
    """A title with rich markup, emoji codes and escape sequences prints as written, codes gone."""
    body = (SITE / "orosanmalningar-2023.html").read_text("utf-8")
    body = (
        body.replace(
            "<h1>Antalet orosanmälningar om barn fortsätter att öka</h1>",
            "<h1>Orosanmälningar [/bold] root:x:0 &#x1b;[H&#x1b;[Jökar&#x1b;]0;hacked&#x7;"
            " [link=x]igen</h1>",
        )
        .replace(
            "<title>Antalet orosanmälningar om barn fortsätter att öka - Socialstyrelsen</title>",
            "<title>Orosanmälningar [/bold] root:x:0</title>",
        )
        .replace(
            "Under 2023 kom 402 000 orosanmälningar in",
            "[red]Under 2023[/red] kom 402 000 orosanmälningar in&#x8;&#x1b;[K",
        )
    )
    site.server.clear()
    site.server.no_handler_status_code = 404
    site.page("/nyheter/orosanmalningar-2023/", body)
    site.page("/nyheter/lagesrapport-ifo/", (SITE / "lagesrapport-ifo.html").read_text("utf-8"))
    site.server.expect_request("/feed.xml").respond_with_data(
        (SITE / "feed.xml").read_text("utf-8").replace("{BASE}", site.base),
        content_type="application/rss+xml",
    )
    site.server.expect_request("/skr/nyheter/").respond_with_data("nere", status=503)
    code, out, err = _run(tmp_path / "state", "run", "--sources", str(site.sources))
    assert code == 1, err
    assert "Orosanmälningar [/bold] root:x:0 ökar [link=x]igen\n" in out
    assert "Citat: ”[red]Under 2023[/red] kom 402 000 orosanmälningar in till kommunernas" in out
    assert not any(ch in out for ch in "\x1b\x07\x08❌")


def _report(name: str, *, changes: int = 0, failed: bool = False) -> SourceReport:
    return SourceReport(name, fetched=1, failed=failed, errors=("x",) if failed else ())


def test_plain_progress_prints_a_line_per_source_as_it_finishes() -> None:
    """Without a terminal: each source's line when it is done, the rest to the log."""
    lines: list[str] = []
    logged: list[str] = []
    progress = PlainProgress(lines.append, log=logged.append)
    with progress:
        progress.start(2)
        progress.source_started("a")
        progress.source_done(_report("a"))
        assert lines == ["a: ok, 1 fetched, 0 unchanged, 0 changes"]
        progress.source_started("b")
        progress.source_done(_report("b", failed=True))
        progress.delivering()
    assert lines[-1] == "b: FAILED, 1 fetched, 0 unchanged, 0 changes"
    assert logged == ["reading 2 sources", "a: reading", "b: reading", "delivering"]


def test_live_progress_shows_sources_and_prints_their_lines() -> None:
    """On a terminal: the display names the source being read; lines are printed above it."""
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=80, markup=False)
    with LiveProgress(console) as progress:
        progress.start(2)
        progress.source_started("socialstyrelsen [/bold]")
        progress.source_done(_report("socialstyrelsen [/bold]"))
        progress.source_started("skr")
        progress.source_done(_report("skr", failed=True))
        progress.delivering()
    shown = screen.getvalue()
    assert "socialstyrelsen [/bold]: ok, 1 fetched, 0 unchanged, 0 changes" in shown
    assert "skr: FAILED, 1 fetched, 0 unchanged, 0 changes" in shown
