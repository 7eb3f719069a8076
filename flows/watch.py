"""The watch cycle as a Prefect flow: one task per source, the stages as plain calls.

`ifo-watch serve` serves this flow on a cron schedule; `prefect.yaml` deploys it to a
process work pool. The flow is a thin shell over `ifo_watch.pipeline`, which `ifo-watch
run` runs too:

- it takes the state folder's cycle lock first, so a second cycle (another run, a
  worker, `ifo-watch run`) refuses instead of writing the single-writer state at once;
- each source is a task, all submitted at once: an authority that is down, or slow,
  holds up no other. They share one fetcher, so its per-host limits (requests at a
  time, pause between them, robots.txt) hold across tasks, and they take turns on the
  state and on reading documents (CPU work), overlapping only on the network;
- the tasks have no Prefect retries (the fetch layer retries, as it does for the CLI;
  what still fails is retried next cycle) and no cache or persisted result: page
  bodies live in the state database, nowhere else;
- each run gets a readable name and a Markdown artifact with its changes, errors and
  figures.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait
from prefect.runtime import flow_run
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner

from ifo_watch import notify, pipeline
from ifo_watch.collect import Fetcher, load_routes, load_sources
from ifo_watch.errors import IfoWatchError
from ifo_watch.extract import Catalog
from ifo_watch.models import Route, Source
from ifo_watch.track import Store, hold_state

ARTIFACT_KEY = "ifo-watch-cycle"


def _log(line: str) -> None:
    """Log one pipeline line on the run (flow or task) it comes from."""
    logger = get_run_logger()
    if line.startswith("error: "):
        logger.error(line.removeprefix("error: "))
    else:
        logger.info(line)


def _run_name() -> str:
    started = flow_run.scheduled_start_time
    when = started.astimezone() if isinstance(started, datetime) else datetime.now()
    return f"cycle-{when:%Y-%m-%d-%H%M}"


@task(
    name="source",
    task_run_name="{source.name}",
    retries=0,
    cache_policy=NO_CACHE,
    persist_result=False,
)
def watch_source(cycle: pipeline.Cycle, source: Source) -> pipeline.SourceReport:
    """Fetch, extract, diff and record one source; its failures are lines of its report."""
    return pipeline.run_source(cycle, source)


@flow(
    name="ifo-watch",
    flow_run_name=_run_name,
    task_runner=ThreadPoolTaskRunner(max_workers=8),
    persist_result=False,
    retries=0,
)
def watch(
    state: str = "state",
    sources: str | None = None,
    auto_accept: bool = False,
    alert_new: str = "catalogued",
) -> dict[str, int] | State:
    """Run one watch cycle over the sources file (default: the bundled list).

    Slack settings come from the environment, as for `ifo-watch run`. Returns the
    cycle's figures; a source that failed is an error line in the log and the artifact
    (the run still completes: the rest was recorded, and the source is retried next
    cycle), and a cycle that finds the state busy fails with the holder's line alone,
    as any expected error (a broken sources file, an unusable state) fails in one line.
    """
    settings = pipeline.Settings(auto_accept=auto_accept, alert_new=alert_new)
    holder = f"Prefect flow run {flow_run.name!r}"
    logger = get_run_logger()
    try:
        sources_file = Path(sources) if sources else None
        report = _cycle(
            Path(state),
            load_sources(sources_file),
            load_routes(sources_file),
            settings=settings,
            holder=holder,
        )
    except IfoWatchError as exc:  # one line, no traceback, as the CLI says it
        logger.error(str(exc))
        return Failed(message=str(exc))
    create_markdown_artifact(
        markdown=cycle_markdown(report),
        key=ARTIFACT_KEY,
        description="What one ifo-watch cycle found: changes, errors and figures.",
    )
    for source_report in report.sources:
        (logger.warning if source_report.failed else logger.info)(_source_line(source_report))
    figures = cycle_figures(report)
    line = ", ".join(f"{value} {name}" for name, value in figures.items())
    (logger.warning if report.errors else logger.info)(line)
    return figures


def _cycle(
    state_dir: Path,
    sources: list[Source],
    routes: list[Route],
    *,
    settings: pipeline.Settings,
    holder: str,
) -> pipeline.CycleReport:
    """Hold the state, submit one task per source, wait for all, deliver."""
    notifier = notify.notifier_from_settings(notify.SlackSettings.from_env(), routes)
    with hold_state(state_dir, holder=holder, log=_log), Fetcher() as fetcher:
        store = Store.open(state_dir, threads=True)
        try:
            cycle = pipeline.start_cycle(
                store,
                sources,
                fetcher=fetcher,
                catalog=Catalog.load(),
                settings=settings,
                log=_log,
                routes=routes,
                concurrent=True,
            )
            futures = [watch_source.submit(cycle, source) for source in sources]
            try:
                reports = [future.result() for future in futures]
            except BaseException:  # cancelled, or serve stopping: end cleanly, then let go
                cycle.stop()
                wait(futures)
                raise
            return pipeline.finish_cycle(cycle, reports, notifier=notifier)
        finally:
            store.close()


def cycle_figures(report: pipeline.CycleReport) -> dict[str, int]:
    """Return a cycle's figures: sources, fetched, unchanged, changes, posted, errors."""
    return {
        "sources": len(report.sources),
        "fetched": sum(s.fetched for s in report.sources),
        "unchanged": sum(s.unchanged for s in report.sources),
        "changes": len(report.changes),
        "posted": report.posted,
        "errors": len(report.errors),
    }


def cycle_markdown(report: pipeline.CycleReport) -> str:
    """Return the run's artifact: the figures, the changes found, and the errors."""
    figures = cycle_figures(report)
    lines = [
        "# ifo-watch: watch cycle",
        "",
        "| " + " | ".join(figures) + " |",
        "|" + "---|" * len(figures),
        "| " + " | ".join(str(v) for v in figures.values()) + " |",
        "",
        "## Sources",
        "",
        "| source | status | fetched | unchanged | changes |",
        "|---|---|---|---|---|",
    ]
    for s in report.sources:
        status = "FAILED" if s.failed else "ok"
        lines.append(f"| {s.name} | {status} | {s.fetched} | {s.unchanged} | {len(s.changes)} |")
    lines += ["", f"## Changes ({len(report.changes)})", ""]
    lines.append(notify.changes_markdown(report.changes) if report.changes else "No changes.")
    lines += ["", f"## Errors ({len(report.errors)})", ""]
    lines += [f"- {_escape(e)}" for e in report.errors] or ["No errors."]
    return "\n".join(lines) + "\n"


def _source_line(report: pipeline.SourceReport) -> str:
    status = "FAILED" if report.failed else "ok"
    return (
        f"{report.name}: {status}, {report.fetched} fetched, {report.unchanged} unchanged, "
        f"{len(report.changes)} changes"
    )


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")
