"""One watch cycle, source by source: fetch, extract, diff, record, notify."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from ifo_watch import collect, notify, track
from ifo_watch.errors import IfoWatchError
from ifo_watch.extract import EXTRACTOR_VERSION, Catalog, extract_figures
from ifo_watch.models import Change, Document, Figure, Route, Source
from ifo_watch.notify import Notifier
from ifo_watch.resources import seeds_dir
from ifo_watch.track import Store, snapshot

Log = Callable[[str], None]
Clock = Callable[[], datetime]
SEED_SUFFIXES = (".txt", ".html", ".htm", ".pdf")


def utcnow() -> datetime:
    """Return the current time, timezone-aware; the one clock the pipeline reads."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Settings:
    """What a cycle does with what it finds."""

    auto_accept: bool = False
    alert_new: str = "catalogued"  # catalogued | all | none


@dataclass(frozen=True)
class SourceReport:
    """What one source gave in one cycle."""

    name: str
    fetched: int = 0
    unchanged: int = 0
    changes: tuple[Change, ...] = ()
    errors: tuple[str, ...] = ()
    failed: bool = False  # the source itself (feed, listing) could not be read


@dataclass(frozen=True)
class CycleReport:
    """What one watch cycle did."""

    sources: tuple[SourceReport, ...]
    posted: int = 0
    post_errors: tuple[str, ...] = ()

    @property
    def changes(self) -> tuple[Change, ...]:
        """Return every change found, source by source."""
        return tuple(c for s in self.sources for c in s.changes)

    @property
    def errors(self) -> tuple[str, ...]:
        """Return every error line: sources, documents and deliveries."""
        return tuple(e for s in self.sources for e in s.errors) + self.post_errors


@dataclass
class _Context:
    store: Store
    fetcher: collect.Fetcher
    catalog: Catalog
    now: Clock
    settings: Settings
    log: Log
    routes: Sequence[Route] = ()
    entries_seen: set[str] = field(default_factory=set)


def extract(doc: Document, *, catalog: Catalog) -> list[Figure]:
    """Extract the figures of one document (the one place the pipeline calls the extractor)."""
    return extract_figures(doc, catalog=catalog)


def seed_paths(paths: Sequence[Path] = ()) -> list[Path]:
    """Expand the paths to seed from; none means the bundled seed documents."""
    if not paths:
        paths = [seeds_dir()]
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in SEED_SUFFIXES))
        else:
            found.append(path)
    return found


def seed(store: Store, paths: Iterable[Path], *, catalog: Catalog, now: Clock = utcnow) -> int:
    """Build or extend the baseline from documents; running it twice changes nothing."""
    loaded = []
    for path in paths:
        doc = collect.load_document(str(path))
        doc = _as_seed(doc, path)
        loaded.append((doc, extract(doc, catalog=catalog)))
    return track.seed(
        store, loaded, now=now(), extractor_version=EXTRACTOR_VERSION, catalog=catalog
    )


def _as_seed(doc: Document, path: Path) -> Document:
    # The bundled seeds are named "seeds/<file>" wherever the package is installed.
    if path.parent.resolve() == seeds_dir().resolve():
        return replace(doc, url=f"seeds/{path.name}")
    return doc


def ensure_baseline(store: Store, *, catalog: Catalog, now: Clock = utcnow) -> None:
    """Seed the baseline from the bundled seeds when the state has none yet."""
    if not store.has_baseline():
        seed(store, seed_paths(), catalog=catalog, now=now)


def run_cycle(
    store: Store,
    sources: Sequence[Source],
    *,
    fetcher: collect.Fetcher,
    notifier: Notifier,
    catalog: Catalog,
    now: Clock = utcnow,
    settings: Settings = Settings(),
    log: Log = lambda line: None,
    routes: Sequence[Route] = (),
) -> CycleReport:
    """Run one watch cycle; every source fails alone and what failed is retried next time.

    Each document's changes enter the outbox in that document's transaction; at the
    end, the notifier delivers what waits there (this cycle's and any earlier one's).
    """
    ensure_baseline(store, catalog=catalog, now=now)
    ctx = _Context(store, fetcher, catalog, now, settings, log, routes)
    reports = []
    for source in sources:
        report = _run_source(ctx, source)
        _note_source_health(ctx, report)
        reports.append(report)
    delivered = notify.deliver(store, notifier, now=now, log=log)
    return CycleReport(tuple(reports), posted=delivered.posted, post_errors=delivered.errors)


def _run_source(ctx: _Context, source: Source) -> SourceReport:
    try:
        entries = _entries(ctx, source)
    except IfoWatchError as exc:
        line = f"{source.name}: {exc}"
        ctx.log(f"error: {line}")
        return SourceReport(source.name, errors=(line,), failed=True)
    fetched = unchanged = 0
    changes: list[Change] = []
    errors: list[str] = []
    for entry in entries:
        if entry.url in ctx.entries_seen:
            continue
        ctx.entries_seen.add(entry.url)
        try:
            found = _run_document(ctx, source, entry)
        except Exception as exc:  # one bad document never stops the cycle
            line = f"{source.name}: {entry.url}: {_one_line(exc)}"
            ctx.log(f"error: {line}")
            errors.append(line)
            continue
        if found is None:
            unchanged += 1
        else:
            fetched += 1
            changes.extend(found)
    return SourceReport(source.name, fetched, unchanged, tuple(changes), tuple(errors))


def _entries(ctx: _Context, source: Source) -> list[collect.Entry]:
    if source.kind in ("page", "pdf"):
        return [collect.Entry(url=source.url, title=None, published=None, summary=None)]
    index = ctx.fetcher.get(source.url, now=ctx.now())
    if source.kind == "feed" or (
        source.kind == "auto" and collect.looks_like_feed(index.content, index.content_type)
    ):
        entries = collect.parse_feed(index.content, base_url=index.url)
    elif source.kind == "listing" or source.link_selector:
        entries = collect.parse_listing(
            index.content, base_url=index.url, link_selector=source.link_selector
        )
    else:
        return [collect.Entry(url=source.url, title=None, published=None, summary=None)]
    wanted = [e for e in entries if collect.matches_include(source, e.title, e.summary, e.url)]
    return wanted[: source.max_items]


def _run_document(ctx: _Context, source: Source, entry: collect.Entry) -> list[Change] | None:
    """Fetch, extract and record one document; None when it has not changed."""
    last = ctx.store.last_version(entry.url)
    fetched = ctx.fetcher.get(
        entry.url,
        etag=last.etag if last else None,
        last_modified=last.last_modified if last else None,
        now=ctx.now(),
    )
    if fetched.not_modified:
        return None
    if last is None and fetched.url != entry.url:
        last = ctx.store.last_version(fetched.url)  # stored under the URL it redirected to
    if last is not None and last.content_hash == fetched.content_hash:
        return None
    doc = collect.document_from_fetched(fetched, source=source)
    if doc.published is None and entry.published is not None:
        doc = replace(doc, published=entry.published)
    found = extract(doc, catalog=ctx.catalog)
    changes = track.ingest(
        ctx.store,
        doc,
        found,
        fetched=fetched,
        source=source.name,
        now=ctx.now(),
        extractor_version=EXTRACTOR_VERSION,
        auto_accept=ctx.settings.auto_accept,
        alert_new=ctx.settings.alert_new,
        destinations=lambda change: notify.route_destinations(
            ctx.routes, change, publisher=doc.publisher or source.publisher
        ),
        catalog=ctx.catalog,
    )
    ctx.log(f"{source.name}: {entry.url}: {len(found)} figures, {len(changes)} changes")
    return changes


def _note_source_health(ctx: _Context, report: SourceReport) -> None:
    now = ctx.now()
    with ctx.store.transaction():  # the new state and its notice land together
        if report.failed:
            started = ctx.store.source_failed(report.name, report.errors[0], now)
            detail = report.errors[0].removeprefix(f"{report.name}: ")
            message = f"ifo-watch: källan {report.name} kunde inte läsas: {detail}"
        else:
            started = ctx.store.source_ok(report.name, now)
            message = f"ifo-watch: källan {report.name} fungerar igen"
        if started:
            event = "started" if report.failed else "recovered"
            notify.source_notice(ctx.store, report.name, event, message, now=now)


def copy_state(state_dir: Path, into: Path) -> Path:
    """Copy the state for a dry run, so that nothing touches the real one."""
    target = into / "state"
    snapshot(state_dir, target)
    return target


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, IfoWatchError):
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
