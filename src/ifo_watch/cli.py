"""The ifo-watch command line: thin commands over the library.

Heavy modules (the extractor, the store, HTTP) are imported inside the commands, so that
`ifo-watch --help` starts fast; Prefect is only ever imported by `serve`.
"""

from __future__ import annotations

import functools
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ifo_watch.errors import IfoWatchError, UsageError

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = click.Choice(["table", "json"])


def _console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)


def _err(line: str) -> None:
    click.echo(line, err=True)


def edge(func: F) -> F:
    """Turn expected errors into one line on stderr and the contract's exit status."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UsageError as exc:
            _err(f"error: {exc}")
            sys.exit(2)
        except IfoWatchError as exc:
            _err(f"error: {exc}")
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


class State:
    """The --state folder, opened lazily."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def open(self) -> Any:
        from ifo_watch.track import Store

        return Store.open(self.path)


def _catalog() -> Any:
    from ifo_watch.extract import Catalog

    return Catalog.load()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--state",
    "state_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="IFO_WATCH_STATE",
    default="state",
    show_default=True,
    help="Folder holding the SQLite database and everything the bot keeps.",
)
@click.version_option(package_name="ifo-watch")
@click.pass_context
def main(ctx: click.Context, state_dir: Path) -> None:
    """Watch Socialstyrelsen and SKR publications for changed IFO figures.

    \b
    Examples:
      ifo-watch demo                       a full offline watch cycle on demo data
      ifo-watch extract report.pdf         the figures of one document
      ifo-watch diff                       changes waiting for review
      ifo-watch run --dry-run              one cycle, recording and posting nothing
    """
    ctx.obj = State(state_dir)


@main.command(short_help="Print the figures of one document.")
@click.argument("path_or_url")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@edge
def extract(path_or_url: str, fmt: str) -> None:
    """Print the figures of one document (.txt, .html, .pdf or a URL); touches no state.

    \b
    Example:
      ifo-watch extract seeds/001_575160f7dc9292e0.txt --format json
    """
    from ifo_watch import notify, pipeline
    from ifo_watch.collect import load_document

    doc = load_document(path_or_url)
    figures = pipeline.extract(doc, catalog=_catalog())
    if fmt == "json":
        click.echo(notify.to_json(figures))
    else:
        _console().print(notify.figures_table(figures, title=doc.title or path_or_url))


@main.command(short_help="Build or extend the baseline.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_obj
@edge
def seed(state: State, paths: tuple[Path, ...]) -> None:
    """Build or extend the baseline from documents (default: the bundled seeds).

    Running it twice changes nothing.

    \b
    Example:
      ifo-watch seed                       seed from the bundled documents
      ifo-watch seed rapport.pdf           extend the baseline with one more
    """
    from ifo_watch import pipeline

    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file: {path}")
    added = pipeline.seed(state.open(), pipeline.seed_paths(paths), catalog=_catalog())
    click.echo(f"baseline: {added} figures added")


@main.command(short_help="Show changes against the baseline, or those awaiting review.")
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table")
@click.pass_obj
@edge
def diff(state: State, paths: tuple[str, ...], fmt: str) -> None:
    """Show changes: of the given documents against the baseline, or those awaiting review.

    With documents nothing is recorded (the baseline is built from the seeds first when the
    state has none). Without, it lists the changes watch cycles found that wait for review.

    \b
    Examples:
      ifo-watch diff https://www.socialstyrelsen.se/.../lagesrapport-2024/
      ifo-watch diff --format json
    """
    from ifo_watch import track

    store = state.open()
    catalog = _catalog()
    if paths:
        from ifo_watch import pipeline
        from ifo_watch.collect import load_document

        docs = [load_document(path) for path in paths]  # bad input fails before any write
        pipeline.ensure_baseline(store, catalog=catalog)
        changes = []
        for doc in docs:
            changes.extend(
                track.compare(store, doc, pipeline.extract(doc, catalog=catalog), catalog=catalog)
            )
        changes.sort(key=track.sort_key)
    else:
        changes = track.pending(store)
    _print_changes(changes, fmt)


def _print_changes(changes: list[Any], fmt: str) -> None:
    from ifo_watch import notify

    if fmt == "json":
        click.echo(notify.to_json(changes))
    elif fmt == "markdown":
        click.echo(notify.changes_markdown(changes))
    elif changes:
        _console().print(notify.changes_table(changes))
    else:
        click.echo("no changes")


@main.command(short_help="Accept changes: move the baseline.")
@click.argument("ids", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Accept every pending change.")
@click.pass_obj
@edge
def accept(state: State, ids: tuple[str, ...], all_: bool) -> None:
    """Accept changes: the baseline moves to the new figures.

    \b
    Example:
      ifo-watch accept c7f3a1
      ifo-watch accept --all
    """
    from ifo_watch import track
    from ifo_watch.notify import headline

    if not ids and not all_:
        raise UsageError("name the changes to accept, or --all")
    done = track.accept(state.open(), None if all_ else list(ids), now=_now(), catalog=_catalog())
    for change in done:
        click.echo(f"accepted {change.id}: {headline(change)}")


@main.command(short_help="Reject changes: keep the baseline, silence them.")
@click.argument("ids", nargs=-1, required=True)
@click.pass_obj
@edge
def reject(state: State, ids: tuple[str, ...]) -> None:
    """Reject changes: the baseline stays and the same figure is never reported again.

    \b
    Example:
      ifo-watch reject c7f3a1
    """
    from ifo_watch import track
    from ifo_watch.notify import headline

    done = track.reject(state.open(), list(ids), now=_now())
    for change in done:
        click.echo(f"rejected {change.id}: {headline(change)}")


@main.command(short_help="Show the series of one indicator.")
@click.argument("metric")
@click.option("--region", default=None, help="A län or kommun, e.g. 'Jämtlands län'.")
@click.option("--group", default=None, help="A group, e.g. 'flickor'.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_obj
@edge
def history(state: State, metric: str, region: str | None, group: str | None, fmt: str) -> None:
    """Show the series of one indicator with its sources and a small chart.

    \b
    Example:
      ifo-watch history orosanmalningar
    """
    import json

    from ifo_watch import notify, track

    catalog = _catalog()
    key = catalog.canonical(metric)
    series = track.history(state.open(), key, region=region, group=group, catalog=catalog)
    if fmt == "json":
        click.echo(json.dumps([o.to_json() for o in series], ensure_ascii=False, indent=2))
        return
    if not series:
        raise UsageError(f"no figures for {metric}" + (f" in {region}" if region else ""))
    unit = series[-1].figure.unit
    title = series[-1].figure.label + (f" – {region}" if region else "")
    _console().print(notify.history_table(series, unit=unit, title=title))


@main.command(short_help="Re-extract stored documents after an upgrade.")
@click.pass_obj
@edge
def reextract(state: State) -> None:
    """Re-run extraction over stored documents after an upgrade, without alerting.

    \b
    Example:
      ifo-watch reextract
    """
    from ifo_watch import extract as extract_stage
    from ifo_watch import track

    catalog = _catalog()
    result = track.reextract(
        state.open(),
        lambda doc: extract_stage.extract_figures(doc, catalog=catalog),
        now=_now(),
        extractor_version=extract_stage.EXTRACTOR_VERSION,
        catalog=catalog,
    )
    click.echo(
        f"re-extracted {result.versions} document versions: {result.figures} figures, "
        f"{result.rekeyed} baseline entries re-keyed, {result.dropped} dropped, "
        f"{result.added} added; nothing alerted"
    )


@main.command(short_help="Run one watch cycle.")
@click.option(
    "--sources",
    "sources_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="TOML sources file (default: the bundled Socialstyrelsen and SKR list).",
)
@click.option("--dry-run", is_flag=True, help="Record nothing and post nothing; print instead.")
@click.option("--auto-accept", is_flag=True, help="Move the baseline to every change found.")
@click.option(
    "--alert-new",
    type=click.Choice(["catalogued", "all", "none"]),
    default="catalogued",
    show_default=True,
    help="Which indicators new to the baseline are alerted.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log each document.")
@click.pass_obj
@edge
def run(
    state: State,
    sources_file: Path | None,
    dry_run: bool,
    auto_accept: bool,
    alert_new: str,
    verbose: bool,
) -> None:
    """Run one watch cycle: fetch what is new or changed, extract, diff, record, notify.

    \b
    Example:
      ifo-watch run --sources my-sources.toml --dry-run
    """
    from ifo_watch import pipeline
    from ifo_watch.collect import load_routes, load_sources
    from ifo_watch.notify import DryRunNotifier, SlackSettings, notifier_from_settings

    if sources_file is not None and not sources_file.exists():
        raise UsageError(f"no such sources file: {sources_file}")
    sources = load_sources(sources_file)
    routes = load_routes(sources_file)
    settings = pipeline.Settings(auto_accept=auto_accept, alert_new=alert_new, **_upkeep())
    notifier = notifier_from_settings(SlackSettings.from_env(), routes)
    if dry_run:
        with tempfile.TemporaryDirectory(prefix="ifo-watch-dry-") as tmp:
            copy = pipeline.copy_state(state.path, Path(tmp))
            result = _cycle(copy, sources, DryRunNotifier(notifier), settings, verbose, routes)
        _finish(result, dry_run=True)
    else:
        _finish(_cycle(state.path, sources, notifier, settings, verbose, routes))


def _cycle(
    state_dir: Path,
    sources: list[Any],
    notifier: Any,
    settings: Any,
    verbose: bool,
    routes: Any = (),
    *,
    allow_private: bool | None = None,
) -> Any:
    from ifo_watch import pipeline
    from ifo_watch.collect import Fetcher
    from ifo_watch.track import Store, hold_state

    def log(line: str) -> None:
        if verbose or line.startswith("error"):
            _err(line)

    with (
        hold_state(state_dir, holder="ifo-watch run", log=_err),
        Fetcher(allow_private=allow_private) as fetcher,
    ):
        return pipeline.run_cycle(
            Store.open(state_dir),
            sources,
            fetcher=fetcher,
            notifier=notifier,
            catalog=_catalog(),
            settings=settings,
            log=log,
            routes=routes,
        )


def _finish(result: Any, *, dry_run: bool = False) -> None:
    for source in result.sources:
        status = "FAILED" if source.failed else "ok"
        click.echo(
            f"{source.name}: {status}, {source.fetched} fetched, {source.unchanged} unchanged, "
            f"{len(source.changes)} changes"
        )
    delivered = f"would post {result.posted}" if dry_run else f"{result.posted} posted"
    click.echo(f"{len(result.changes)} changes, {delivered}, {len(result.errors)} errors")
    if result.errors:
        sys.exit(1)


@main.command(short_help="Run a full watch cycle offline on demo data.")
@click.pass_obj
@edge
def demo(state: State) -> None:
    """Run one full watch cycle offline against a bundled demo site and print the alerts.

    A local server on 127.0.0.1 serves a small site in the style of Socialstyrelsen and SKR;
    the state lives in a temporary folder, so nothing of yours is touched.

    \b
    Example:
      ifo-watch demo
    """
    from ifo_watch import demo as demo_site
    from ifo_watch import pipeline
    from ifo_watch.notify import TerminalNotifier

    with (
        tempfile.TemporaryDirectory(prefix="ifo-watch-demo-") as tmp,
        demo_site.serve_demo_site() as base,
    ):
        click.echo(f"demo site: {base}")
        click.echo("baseline: seeded from the bundled seed documents")
        click.echo("")
        result = _cycle(
            Path(tmp) / "state",
            demo_site.demo_sources(base),
            TerminalNotifier(),
            pipeline.Settings(),
            False,
            allow_private=True,  # the demo site is served on 127.0.0.1
        )
        _finish(result)


@main.command(short_help="Run watch cycles on a schedule (Prefect).")
@click.option(
    "--cron",
    default="30 7 * * 1-5",
    show_default=True,
    help="When cycles run (cron: minute hour day month weekday).",
)
@click.option(
    "--timezone",
    "tz",
    default="Europe/Stockholm",
    show_default=True,
    help="Timezone of the cron schedule (IANA name).",
)
@click.option(
    "--sources",
    "sources_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="TOML sources file (default: the bundled Socialstyrelsen and SKR list).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=4200,
    show_default=True,
    help="Port of the local Prefect server started when PREFECT_API_URL is unset (0: any).",
)
@click.pass_obj
@edge
def serve(state: State, cron: str, tz: str, sources_file: Path | None, port: int) -> None:
    """Serve the watch cycle as a Prefect deployment with a cron schedule, until stopped.

    Without PREFECT_API_URL a local Prefect server is started on 127.0.0.1 (its files in
    PREFECT_HOME, by default STATE/prefect); with it, that server is used. Cycles never
    overlap, every cycle takes the state folder's lock, and Ctrl-C or SIGTERM stops
    everything serve started. Slack settings come from the environment, as for `run`.

    \b
    Example:
      ifo-watch serve --cron "30 7 * * 1-5" --timezone Europe/Stockholm
    """
    import zoneinfo

    if sources_file is not None and not sources_file.exists():
        raise UsageError(f"no such sources file: {sources_file}")
    if sources_file is not None:
        from ifo_watch.collect import load_sources

        load_sources(sources_file)  # a broken file fails now, not at 07:30
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown timezone: {tz}") from None
    flows = _flows_module("serve")
    flows.serve(state.path, cron=cron, timezone=tz, sources=sources_file, port=port, log=_err)


def _flows_module(name: str) -> Any:
    """Load a module of the shipped flows/ folder (it imports Prefect: only `serve` calls)."""
    import importlib.util

    from ifo_watch.resources import flows_dir

    path = flows_dir() / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"ifo_watch_flows_{name}", path)
    if spec is None or spec.loader is None:  # pragma: no cover - a broken install
        raise IfoWatchError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@main.command(short_help="Show the bot's health: cycles, failing sources, outbox, size.")
@click.option(
    "--max-age",
    default="48h",
    envvar="IFO_WATCH_MAX_AGE",
    show_default=True,
    help="Exit 1 when no cycle went well for longer than this (48h, 2d, 90m).",
)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_obj
@edge
def status(state: State, max_age: str, fmt: str) -> None:
    """Show the last cycle and the last good one, failing sources, the outbox and the size.

    A cycle is good when it ran to its end, read a source and delivered what it had to.
    Exit status 1 when none went well within --max-age (default 48 hours), so that a
    monitor can call it; the next cycle that runs also says so once in the error channel.

    \b
    Examples:
      ifo-watch status
      ifo-watch status --max-age 36h --format json
    """
    from ifo_watch import notify, track

    age = track.parse_age(max_age)
    _existing(state)
    result = track.status(state.open(), now=_now(), max_age=age)
    if fmt == "json":
        click.echo(notify.status_json(result))
    else:
        for line in notify.status_lines(result):
            click.echo(line)
    stale = notify.stale_line(result)
    if stale is not None:
        _err(f"error: {stale}")
        sys.exit(1)


@main.command(short_help="Copy the state into one file, safely while a cycle runs.")
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_obj
@edge
def backup(state: State, file: Path) -> None:
    """Copy the state's database into FILE with SQLite's backup API.

    The copy is one consistent version of the state even while a watch cycle writes,
    is checked before it takes the name FILE (an older FILE is replaced), and opens
    as the database of a state folder: `ifo-watch --state DIR` with DIR/ifo-watch.db.

    \b
    Example:
      ifo-watch backup /var/backups/ifo-watch-$(date +%F).db
    """
    from ifo_watch import track

    done = track.backup(state.path, file)
    click.echo(f"backed up {state.path} to {done.path}: {done.bytes} bytes, {done.integrity}")


@main.command(short_help="Browse the state in Datasette (optional extra).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port."
)
@click.option("-o", "--open", "open_browser", is_flag=True, help="Open it in a web browser.")
@click.pass_obj
@edge
def browse(state: State, host: str, port: int, open_browser: bool) -> None:
    """Serve the state in Datasette, read-only, with described and linked tables.

    Start with the views "changes_with_pages" (each change with its quote and page)
    and "series" (every indicator's figures). Needs the optional extra:
    pip install 'ifo-watch[browse]'.

    \b
    Example:
      ifo-watch --state /srv/ifo-watch browse --port 8001 --open
    """
    import subprocess

    from ifo_watch import track

    command = track.browse_command(state.path, host=host, port=port, open_browser=open_browser)
    try:
        code = subprocess.call(command)
    except KeyboardInterrupt:  # Datasette got the same Ctrl-C and stops by itself
        code = 0
    sys.exit(code)


def _existing(state: State) -> None:
    """Refuse a state folder without a database: reading commands never create one."""
    from ifo_watch.track import DB_NAME

    if not (state.path / DB_NAME).is_file():
        raise UsageError(f"no state database in {state.path}")


def _upkeep() -> dict[str, Any]:
    """Return a cycle's health settings from the environment.

    IFO_WATCH_MAX_AGE (48h): announce once when no cycle went well for longer;
    IFO_WATCH_KEEP_VERSIONS (3, or all): page texts kept per URL.
    """
    import os

    from ifo_watch import track

    found: dict[str, Any] = {}
    if os.environ.get("IFO_WATCH_MAX_AGE"):
        found["max_age"] = track.parse_age(os.environ["IFO_WATCH_MAX_AGE"])
    if os.environ.get("IFO_WATCH_KEEP_VERSIONS"):
        found["keep_versions"] = track.parse_keep(os.environ["IFO_WATCH_KEEP_VERSIONS"])
    return found


def _now() -> Any:
    from ifo_watch.pipeline import utcnow

    return utcnow()


if __name__ == "__main__":  # pragma: no cover
    main()
