"""The ifo-watch command line: thin commands over the library.

Heavy modules (the extractor, the store, HTTP) are imported inside the commands, so that
`ifo-watch --help` starts fast; Prefect is only ever imported by `serve`.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ifo_watch.errors import IfoWatchError, UsageError

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = click.Choice(["table", "json"])
TEXT_OR_JSON = click.Choice(["text", "json"])
LOGGER = "ifo_watch"
log = logging.getLogger(LOGGER)


def _console(*, stderr: bool = False) -> Any:
    """Return the Console that prints page text as written (no markup, emoji or escapes)."""
    from ifo_watch.notify import console

    return console(stderr=stderr)


def _clean(text: str) -> str:
    from ifo_watch.notify import clean

    return clean(text)


def _err(line: str) -> None:
    click.echo(_clean(line), err=True)


class _EchoHandler(logging.Handler):
    """Log records as lines on stderr, as it stands when the record comes.

    `sys.stderr` is looked up for each record: tests swap it, and so does a live
    progress display, which prints the line above itself.
    """

    def emit(self, record: logging.LogRecord) -> None:
        print(_clean(self.format(record)), file=sys.stderr, flush=True)


def _setup_logging(verbosity: int) -> None:
    """Send ifo-watch's log to stderr: errors with -q, warnings by default, -v info, -vv debug."""
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    for handler in list(log.handlers):
        if isinstance(handler, _EchoHandler):
            log.removeHandler(handler)
    handler = _EchoHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(level)
    log.propagate = False


def _log_line(line: str) -> None:
    """Route a line of the pipeline's log: 'error: …' lines are errors, the rest info."""
    if line.startswith("error"):
        log.error(line)
    else:
        log.info(line)


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
        except BrokenPipeError:  # `ifo-watch metrics | head`: the reader has had enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


class State:
    """The --state folder, opened lazily, and how much the user wants to hear."""

    def __init__(self, path: Path, verbosity: int = 0) -> None:
        self.path = path
        self.verbosity = verbosity  # -1 quiet, 0 default, 1 verbose, 2 debug
        self._opened: list[Any] = []

    @property
    def quiet(self) -> bool:
        """True with -q: print results and errors only."""
        return self.verbosity < 0

    def open(self) -> Any:
        from ifo_watch.track import Store

        store = Store.open(self.path)
        self._opened.append(store)
        return store

    def close(self) -> None:
        """Close what the command opened (when it ends, however it ends)."""
        while self._opened:
            self._opened.pop().close()


def _quick_exit() -> None:
    """Let the interpreter skip its last collection over every object when the process ends.

    A short command's objects (the catalog, the extractor, a page's tree) all die with
    the process; looking through them for reference cycles took 15-20 ms of each `diff`
    and `extract`. At exit they are frozen instead (`gc.freeze`), so the collector
    passes them over. Only for commands that hold nothing a finalizer must close: the
    state is closed when the command ends (`State.close`), and they write no file.
    """
    import atexit
    import gc

    atexit.register(gc.freeze)


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
@click.option("-q", "--quiet", is_flag=True, help="Print results and errors only.")
@click.option(
    "-v", "--verbose", count=True, help="Say more: -v each source and document, -vv debug."
)
@click.version_option(package_name="ifo-watch")
@click.pass_context
def main(ctx: click.Context, state_dir: Path, quiet: bool, verbose: int) -> None:
    """Watch Socialstyrelsen and SKR publications for changed IFO figures.

    \b
    Examples:
      ifo-watch demo                       a full offline watch cycle on demo data
      ifo-watch extract report.pdf         the figures of one document
      ifo-watch metrics barn               the indicators with "barn" in their label
      ifo-watch diff                       changes waiting for review
      ifo-watch history orosanmalningar    one indicator's series, as a chart
      ifo-watch -q run                     one watch cycle, printing only its result
    """
    verbosity = -1 if quiet else verbose
    _setup_logging(verbosity)
    ctx.obj = State(state_dir, verbosity)
    ctx.call_on_close(ctx.obj.close)


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
    from ifo_watch import notify
    from ifo_watch.collect import load_document
    from ifo_watch.extract import extract_figures

    _quick_exit()
    doc = load_document(path_or_url)
    figures = extract_figures(doc, catalog=_catalog())
    if fmt == "json":
        click.echo(notify.to_json(figures))
    else:
        _console().print(notify.figures_table(figures, title=doc.title or path_or_url))


@main.command(short_help="Build or extend the baseline.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=TEXT_OR_JSON, default="text", show_default=True)
@click.pass_obj
@edge
def seed(state: State, paths: tuple[Path, ...], fmt: str) -> None:
    """Build or extend the baseline from documents (default: the bundled seeds).

    Running it twice changes nothing.

    \b
    Example:
      ifo-watch seed                       seed from the bundled documents
      ifo-watch seed rapport.pdf           extend the baseline with one more
      ifo-watch seed --format json         {"added": 41}
    """
    from ifo_watch import pipeline

    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file: {path}")
    added = pipeline.seed(state.open(), pipeline.seed_paths(paths), catalog=_catalog())
    if fmt == "json":
        _json({"added": added})
    else:
        click.echo(f"baseline: {added} figures added")


@main.command(short_help="List the indicators, or those matching words of their label.")
@click.argument("search", nargs=-1)
@click.option("--format", "fmt", type=TEXT_OR_JSON, default="text", show_default=True)
@click.pass_obj
@edge
def metrics(state: State, search: tuple[str, ...], fmt: str) -> None:
    """List the indicators of the catalog and the state, or those whose label holds SEARCH.

    Each with its key (the name every other command takes), its Swedish label, its
    unit, how many figures the state holds and the latest of them.

    \b
    Example:
      ifo-watch metrics barn               the indicators with "barn" in their label
      ifo-watch metrics långvarigt bistånd --format json
    """
    from ifo_watch import notify, track

    query = " ".join(search)
    store, catalog = state.open(), _catalog()
    found = track.indicators(store, catalog, query or None)
    if fmt == "json":
        _json([i.to_json() for i in found])
        return
    if not found:
        click.echo(f"no indicator matches '{_clean(query)}'{track.nearest(store, catalog, query)}")
        return
    for line in notify.metrics_lines(found, width=notify.columns()):
        click.echo(line)
    if not state.quiet:
        verb = "matches" if len(found) == 1 else "match"
        matching = f" {verb} '{_clean(query)}'" if query else ""
        click.echo(f"{notify.plural(len(found), 'indicator')}{matching}")


@main.command(short_help="Show changes against the baseline, or those awaiting review.")
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table")
@click.option(
    "--status",
    type=click.Choice(["pending", "accepted", "rejected", "all"]),
    default=None,
    help="Recorded changes of this status (default: pending).",
)
@click.option("--metric", default=None, help="An indicator: key, start of a key or label words.")
@click.option("--source", default=None, help="Words of a source's name, publisher, title or URL.")
@click.option("--since", default=None, help="Found on or after a day: 2024-05-01, or 7d, 2w.")
@click.pass_obj
@edge
def diff(
    state: State,
    paths: tuple[str, ...],
    fmt: str,
    status: str | None,
    metric: str | None,
    source: str | None,
    since: str | None,
) -> None:
    """Show changes: of the given documents against the baseline, or those awaiting review.

    With documents nothing is recorded (the baseline is built from the seeds first when the
    state has none), so their changes have no id to accept: `ifo-watch run` records
    what it finds. Without, it lists the changes watch cycles found that wait for review
    (--status accepted|rejected|all for the others), each with the id that `accept`,
    `reject` and `undo` take.

    \b
    Examples:
      ifo-watch diff https://www.socialstyrelsen.se/.../lagesrapport-2024/
      ifo-watch diff --metric orosanmalningar --since 30d --format json
      ifo-watch diff --status accepted --source skr
    """
    from ifo_watch import track

    _quick_exit()
    store = state.open()
    catalog = _catalog()
    keys = None
    if metric is not None:
        keys = track.with_aliases(track.match_metrics(store, catalog, metric), catalog)
    flt = track.ChangeFilter(
        status=status or "pending",
        metrics=keys,
        source=source,
        since=track.parse_since(since, today=_now().date()) if since else None,
    )
    if paths:
        if status is not None:
            raise UsageError("--status is for recorded changes; documents' changes have none")
        from ifo_watch.collect import load_document
        from ifo_watch.extract import extract_figures

        docs = [load_document(path) for path in paths]  # bad input fails before any write
        if not store.has_baseline():  # the watch cycle's module loads only to seed it
            from ifo_watch import pipeline

            pipeline.ensure_baseline(store, catalog=catalog)
        changes = []
        for doc in docs:
            changes.extend(
                track.compare(store, doc, extract_figures(doc, catalog=catalog), catalog=catalog)
            )
        changes = sorted(track.keep(changes, flt, {}), key=track.sort_key)
    else:
        changes = track.recorded(store, flt)
    _print_changes(state, store, changes, fmt, recorded=not paths, statuses=flt.status == "all")


def _print_changes(
    state: State,
    store: Any,
    changes: list[Any],
    fmt: str,
    *,
    recorded: bool,
    statuses: bool = False,
) -> None:
    from ifo_watch import notify

    if fmt == "json":
        click.echo(notify.to_json(changes))
    elif fmt == "markdown":
        click.echo(notify.changes_markdown(changes, ids=recorded))
    elif changes:
        pubs = store.publications(c.new.document_id for c in changes)
        width = notify.columns()
        # Piped or redirected, the table is only text: written without loading rich.
        text = None
        if notify.plain(sys.stdout):
            text = notify.changes_text(
                changes, ids=recorded, statuses=statuses, publications=pubs, width=width
            )
        if text is None:
            table = notify.changes_view(
                changes, ids=recorded, statuses=statuses, publications=pubs, width=width
            )
            _console().print(table)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    else:
        click.echo("no changes")
    if not recorded and fmt == "table" and not state.quiet:
        click.echo("nothing recorded; ifo-watch run records changes with ids for review")


def _print_decisions(decisions: list[Any], fmt: str) -> None:
    from ifo_watch import notify

    if fmt == "json":
        _json([d.to_json() for d in decisions])
        return
    for decision in decisions:
        for line in notify.decision_lines(decision):
            click.echo(line)


@main.command(short_help="Accept changes: move the baseline.")
@click.argument("ids", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Accept every pending change.")
@click.option("--format", "fmt", type=TEXT_OR_JSON, default="text", show_default=True)
@click.pass_obj
@edge
def accept(state: State, ids: tuple[str, ...], all_: bool, fmt: str) -> None:
    """Accept changes: the baseline moves to the new figures; says what moved.

    \b
    Example:
      ifo-watch accept c7f3a1
      ifo-watch accept --all --format json
    """
    from ifo_watch import track

    if not ids and not all_:
        raise UsageError("name the changes to accept, or --all")
    done = track.decide(
        state.open(), None if all_ else list(ids), action="accept", now=_now(), catalog=_catalog()
    )
    _print_decisions(done, fmt)


@main.command(short_help="Reject changes: keep the baseline, silence them.")
@click.argument("ids", nargs=-1, required=True)
@click.option("--format", "fmt", type=TEXT_OR_JSON, default="text", show_default=True)
@click.pass_obj
@edge
def reject(state: State, ids: tuple[str, ...], fmt: str) -> None:
    """Reject changes: the baseline stays and the same figure is never reported again.

    \b
    Example:
      ifo-watch reject c7f3a1
    """
    from ifo_watch import track

    done = track.decide(state.open(), list(ids), action="reject", now=_now(), catalog=_catalog())
    _print_decisions(done, fmt)


@main.command(short_help="Take back an accept or reject: the change waits for review again.")
@click.argument("ids", nargs=-1, required=True)
@click.option("--format", "fmt", type=TEXT_OR_JSON, default="text", show_default=True)
@click.pass_obj
@edge
def undo(state: State, ids: tuple[str, ...], fmt: str) -> None:
    """Take back the latest accept or reject of changes; they wait for review again.

    An accepted change puts the baseline back where it was, unless a later decision
    has moved it since (then undo that one first).

    \b
    Example:
      ifo-watch undo c7f3a1
    """
    from ifo_watch import track

    done = track.undo(state.open(), list(ids), now=_now(), catalog=_catalog())
    _print_decisions(done, fmt)


@main.command(short_help="Show the series of one indicator, with a chart.")
@click.argument("metric")
@click.option("--region", default=None, help="A län or kommun: 'Gotland', 'Region Uppsala'.")
@click.option("--group", default=None, help="A group, e.g. 'flickor'.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@click.pass_obj
@edge
def history(state: State, metric: str, region: str | None, group: str | None, fmt: str) -> None:
    """Show the series of one indicator: a chart, then each figure with its source.

    METRIC is a key, the start of one, or words of the label; a region may be written
    as people do ("Uppsala", "Region Uppsala" for "Uppsala län").

    \b
    Example:
      ifo-watch history orosanmalningar
      ifo-watch history barn_langvarigt --region Gotland --format csv
    """
    from ifo_watch import notify, track

    store, catalog = state.open(), _catalog()
    key = track.resolve_metric(store, catalog, metric)
    place = None
    if region is not None:
        place = track.resolve_region(region, present=track.regions_of(store, catalog, key))
    grp = None
    if group is not None:
        grp = track.resolve_group(group, present=track.groups_of(store, catalog, key, place))
    series = track.history(store, key, region=place, group=grp, catalog=catalog)
    if fmt == "json":
        _json(notify.history_rows(series))
        return
    if fmt == "csv":
        click.echo(notify.history_csv(series), nl=False)
        return
    if not series:
        raise UsageError(track.no_figures(store, catalog, key, region=place, group=grp))
    width = notify.columns()
    for line in notify.history_heading(series, key=key):
        click.echo(line)
    chart = notify.history_chart(series, width=min(width, 100))
    if chart:
        click.echo("")
        click.echo(chart)
    pubs = store.publications(o.document_id for o in series)
    table = notify.history_table(
        series, unit=series[-1].figure.unit, publications=pubs, width=width
    )
    click.echo("")
    _console().print(table)


@main.command(short_help="Write the detected changes as an Atom feed.")
@click.option("--metric", default=None, help="Only this indicator's changes (key or label words).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the feed to FILE (replaced whole); default: print it.",
)
@click.option("--link", default=None, help="The URL the feed will be served at (its self link).")
@click.pass_obj
@edge
def feed(state: State, metric: str | None, output: Path | None, link: str | None) -> None:
    """Write the changes watch cycles found as an Atom feed, for feed readers and bots.

    Every recorded change is an entry (pending, accepted or rejected), newest first;
    its id stays the same from one run to the next, and its update time is when it
    was found or last decided on.

    \b
    Example:
      ifo-watch feed -o /var/www/ifo-watch.xml
      ifo-watch feed --metric orosanmalningar
    """
    from ifo_watch import notify, track

    store, catalog = state.open(), _catalog()
    keys = None
    if metric is not None:
        keys = track.with_aliases(track.match_metrics(store, catalog, metric), catalog)
    changes = track.recorded(store, track.ChangeFilter(status="all", metrics=keys))
    text = notify.atom_feed(
        changes,
        decided=store.decided_at(c.id for c in changes if c.id),
        publications=store.publications(
            o.document_id for c in changes for o in (c.new, c.old) if o is not None
        ),
        now=_now(),
        metric=metric.strip() if metric else None,
        link=link,
    )
    if output is None:
        click.echo(text, nl=False)
        return
    _write_atomically(output, text)
    if not state.quiet:
        click.echo(f"feed: {notify.plural(len(changes), 'entry', 'entries')} written to {output}")


def _write_atomically(path: Path, text: str) -> None:
    """Replace a file whole, so a feed reader never reads half a feed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
        ) as handle:
            handle.write(text)
        os.replace(handle.name, path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _json(value: Any) -> None:
    import json

    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


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
@click.option("--format", "fmt", type=TEXT_OR_JSON, default="text", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="Log each document (as ifo-watch -v run).")
@click.pass_obj
@edge
def run(
    state: State,
    sources_file: Path | None,
    dry_run: bool,
    auto_accept: bool,
    alert_new: str,
    fmt: str,
    verbose: bool,
) -> None:
    """Run one watch cycle: fetch what is new or changed, extract, diff, record, notify.

    A line per source as it finishes (on a terminal, above a live display of the
    source being read), then the cycle's summary; with --format json, one JSON
    document instead, and a printed digest goes to stderr.

    \b
    Example:
      ifo-watch run --sources my-sources.toml --dry-run
      ifo-watch -q run --format json
    """
    from ifo_watch import pipeline
    from ifo_watch.collect import load_routes, load_sources
    from ifo_watch.notify import (
        DryRunNotifier,
        SlackSettings,
        TerminalNotifier,
        notifier_from_settings,
    )

    if verbose and state.verbosity < 1:
        _setup_logging(1)
    if sources_file is not None and not sources_file.exists():
        raise UsageError(f"no such sources file: {sources_file}")
    sources = load_sources(sources_file)
    routes = load_routes(sources_file)
    settings = pipeline.Settings(auto_accept=auto_accept, alert_new=alert_new, **_upkeep())
    notifier = notifier_from_settings(SlackSettings.from_env(), routes)
    write = _digest_writer(fmt)
    if isinstance(notifier, TerminalNotifier):
        notifier = TerminalNotifier(write=write)
    if dry_run:
        with tempfile.TemporaryDirectory(prefix="ifo-watch-dry-") as tmp:
            copy = pipeline.copy_state(state.path, Path(tmp))
            result = _cycle(
                state,
                copy,
                sources,
                DryRunNotifier(notifier, write=write),
                settings,
                routes,
                fmt=fmt,
            )
        _finish(result, fmt=fmt, dry_run=True)
    else:
        _finish(_cycle(state, state.path, sources, notifier, settings, routes, fmt=fmt), fmt=fmt)


def _digest_writer(fmt: str) -> Callable[[str], None]:
    """Return where a digest printed to the terminal goes: stdout, stderr beside JSON."""

    def write(text: str) -> None:
        print(text, file=sys.stderr if fmt == "json" else sys.stdout, flush=True)

    return write


def _progress(state: State, fmt: str) -> Any:
    """Return the display of a cycle: live on a terminal, plain lines elsewhere, none with -q."""
    from ifo_watch import notify

    lines = fmt == "text" and not state.quiet
    stream = sys.stdout if fmt == "text" else sys.stderr
    if not state.quiet and stream.isatty() and not os.environ.get("CI"):
        return notify.LiveProgress(_console(stderr=fmt != "text"), lines=lines)  # loads rich
    return notify.PlainProgress(click.echo if lines else None, log=log.info)


def _cycle(
    state: State,
    state_dir: Path,
    sources: list[Any],
    notifier: Any,
    settings: Any,
    routes: Any = (),
    *,
    fmt: str = "text",
    allow_private: bool | None = None,
) -> Any:
    from ifo_watch import pipeline
    from ifo_watch.collect import Fetcher
    from ifo_watch.track import Store, hold_state

    with (
        hold_state(state_dir, holder="ifo-watch run", log=_err),
        _progress(state, fmt) as progress,
        Fetcher(allow_private=allow_private) as fetcher,
    ):
        return pipeline.run_cycle(
            Store.open(state_dir),
            sources,
            fetcher=fetcher,
            notifier=notifier,
            catalog=_catalog,  # loaded when a document is first read
            settings=settings,
            log=_log_line,
            routes=routes,
            progress=progress,
        )


def _finish(result: Any, *, fmt: str = "text", dry_run: bool = False) -> None:
    from ifo_watch.notify import cycle_json, summary_line

    if fmt == "json":
        click.echo(cycle_json(result, dry_run=dry_run))
    else:
        click.echo(summary_line(result, dry_run=dry_run))
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
            state,
            Path(tmp) / "state",
            demo_site.demo_sources(base),
            TerminalNotifier(write=_digest_writer("text")),
            pipeline.Settings(),
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
