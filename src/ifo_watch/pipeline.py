"""One watch cycle, source by source: fetch, extract, diff, record, notify."""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, Union, cast

from ifo_watch import collect, notify, track
from ifo_watch.errors import IfoWatchError
from ifo_watch.models import Change, Document, Fetched, Figure, Route, Source
from ifo_watch.resources import seeds_dir
from ifo_watch.track import Store, snapshot

if TYPE_CHECKING:  # the notifiers (slack-sdk) load when a cycle delivers
    from ifo_watch import reading  # the reading processes load when a cycle runs
    from ifo_watch.extract import Catalog
    from ifo_watch.notify import Notifier

Log = Callable[[str], None]
Clock = Callable[[], datetime]
# A catalog, or how to load it: a cycle in which every page answers 304 never loads it.
CatalogSource = Union["Catalog", Callable[[], "Catalog"]]
SEED_SUFFIXES = (".txt", ".html", ".htm", ".pdf")


def utcnow() -> datetime:
    """Return the current time, timezone-aware; the one clock the pipeline reads."""
    return datetime.now(UTC)


class CycleProgress(Protocol):
    """Who hears how a cycle goes while it runs (the CLI's progress display or lines)."""

    def start(self, total: int) -> None:
        """The cycle reads `total` sources."""

    def source_started(self, name: str) -> None:
        """A source is being read."""

    def source_done(self, report: SourceReport) -> None:
        """A source is done (its report says how it went)."""

    def delivering(self) -> None:
        """The sources are read; the outbox is being delivered."""


@dataclass(frozen=True)
class Settings:
    """What a cycle does with what it finds, and what it keeps."""

    auto_accept: bool = False
    alert_new: str = "catalogued"  # catalogued | all | none
    max_age: timedelta = track.DEFAULT_MAX_AGE  # no good cycle for longer: announce it once
    keep_versions: int | None = 3  # page texts kept per URL (None: all)


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
    catalog_source: CatalogSource
    now: Clock
    settings: Settings
    log: Log
    routes: Sequence[Route] = ()
    entries_seen: set[str] = field(default_factory=set)
    reports_seen: set[tuple[str, str]] = field(default_factory=set)  # (artikelnummer, kind)
    sites: tuple[collect.Site, ...] = ()
    found: track.FoundChanges | None = None  # read once a cycle, from the first document on
    ahead: collect.Ahead | None = None  # fetches ahead of a sequential cycle (run_cycle)
    workers: int = 0  # reading processes run_cycle may start (reading.Readers)
    readers: reading.Readers | None = None  # started when the first document is read
    # Held for all but the network waits when sources run concurrently (see start_cycle).
    lock: threading.RLock = field(default_factory=threading.RLock)
    stopping: threading.Event = field(default_factory=threading.Event)

    @property
    def catalog(self) -> Catalog:
        """Return the cycle's catalog, loaded when a document is first read."""
        try:
            catalog: Catalog = _loaded(self, "catalog_source")
        except Exception as exc:  # no document can be read: the cycle's failure, not one's
            raise _NoCatalog(exc) from exc
        return catalog


class _NoCatalog(BaseException):  # passes the handlers that make a failure one line
    """The catalog could not be loaded; `error` is why (raised again by the cycle)."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class _Run:
    """What one source has done so far in this cycle."""

    source: Source
    site: collect.Site | None
    hosts: tuple[str, ...]
    fetched: int = 0
    unchanged: int = 0
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    retry: list[str] = field(default_factory=list)
    validators: list[tuple[str, Fetched]] = field(default_factory=list)  # kept at the end

    def fail(self, ctx: _Context, url: str | None, exc: BaseException) -> None:
        where = f"{url}: " if url and url not in str(exc) else ""
        line = f"{self.source.name}: {where}{_one_line(exc)}"
        ctx.log(f"error: {line}")
        self.errors.append(line)
        if url and not isinstance(exc, collect.RefusedURL):  # a refusal is final
            self.retry.append(url)


# Reading ahead: sources looked at for an answer to send to the reading processes.
_LOOKAHEAD = 8
_READ = ("page", "pdf")  # kinds whose first request is the document itself
_MIN_FOR_WORKERS = 3
# Documents a page may lead to (reports and their tables) beyond the page itself.
_MAX_FOLLOWED = 8
_MAX_DEPTH = 2
MAX_RETRY_CYCLES = 5  # consecutive failed cycles before a linked URL is given up


def extract(doc: Document, *, catalog: Catalog) -> list[Figure]:
    """Extract the figures of one document (the one place the pipeline calls the extractor)."""
    return cast(list[Figure], _extractor("extract_figures")(doc, catalog=catalog))


def __getattr__(name: str) -> Any:
    """Load the extractor's names on first use (`extract_figures`, `EXTRACTOR_VERSION`)."""
    if name in ("extract_figures", "EXTRACTOR_VERSION"):
        return _extractor(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _extractor(name: str) -> Any:
    # Looked up in this module first: tests replace `pipeline.extract_figures`.
    if name not in globals():
        from ifo_watch import extract as stage

        globals()[name] = getattr(stage, name)
    return globals()[name]


def _loaded(holder: Any, attr: str) -> Any:
    """Return a catalog kept as itself or as its loader; a loader is called once."""
    value = getattr(holder, attr)
    if callable(value):
        value = value()
        setattr(holder, attr, value)
    return value


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
        store,
        loaded,
        now=now(),
        extractor_version=_extractor("EXTRACTOR_VERSION"),
        catalog=catalog,
    )


def _as_seed(doc: Document, path: Path) -> Document:
    # The bundled seeds are named "seeds/<file>" wherever the package is installed.
    if path.parent.resolve() == seeds_dir().resolve():
        return replace(doc, url=f"seeds/{path.name}")
    return doc


def ensure_baseline(store: Store, *, catalog: CatalogSource, now: Clock = utcnow) -> None:
    """Seed the baseline from the bundled seeds when the state has none yet.

    `catalog` may be a loader, called only when there is something to seed.
    """
    if not store.has_baseline():
        seed(store, seed_paths(), catalog=catalog() if callable(catalog) else catalog, now=now)


def run_cycle(
    store: Store,
    sources: Sequence[Source],
    *,
    fetcher: collect.Fetcher,
    notifier: Notifier,
    catalog: CatalogSource,
    now: Clock = utcnow,
    settings: Settings = Settings(),
    log: Log = lambda line: None,
    routes: Sequence[Route] = (),
    sites: tuple[collect.Site, ...] | None = None,
    progress: CycleProgress | None = None,
    workers: int | None = None,
) -> CycleReport:
    """Run one watch cycle; every source fails alone and what failed is retried next time.

    Each document's changes enter the outbox in that document's transaction; at the
    end, the notifier delivers what waits there (this cycle's and any earlier one's).
    `sites` replaces the shipped site adapters (tests serve the sites on 127.0.0.1);
    `progress` hears of each source as it starts and finishes. `catalog` may be a
    loader (`Catalog.load`): it is called when the first document is read, so a cycle
    in which every page answers 304 never loads it. `workers` reading processes (default
    `reading.default_workers()`: the idle cores) read and extract the documents
    ahead of the cycle, which records them in order; 0 reads them on this thread.
    """
    cycle = start_cycle(
        store,
        sources,
        fetcher=fetcher,
        catalog=catalog,
        now=now,
        settings=settings,
        log=log,
        routes=routes,
        sites=sites,
    )
    reports = []
    if progress is not None:
        progress.start(len(sources))
    ctx = cycle._ctx
    # A cycle of one or two sources reads them itself: a worker would cost more.
    from ifo_watch import reading

    ctx.workers = reading.default_workers() if workers is None else workers
    if len(sources) < _MIN_FOR_WORKERS:
        ctx.workers = 0
    # The sources are read one after another (the order decides what is a change);
    # what they fetch is fetched ahead, within each host's limits, and what they read is
    # read and extracted ahead on the reading processes. Their commits do not wait for
    # the disk; delivery's do, and make them durable first (Store.bulk_writes).
    try:
        with store.bulk_writes(), collect.Ahead(fetcher, now=now) as ctx.ahead:
            plans = [(source, _first_request(ctx, source)) for source in sources]
            ctx.ahead.plan(request for _, request in plans if request)
            waiting = [i for i, (source, r) in enumerate(plans) if r and source.kind in _READ]
            for index, source in enumerate(sources):
                _read_ahead(ctx, plans, waiting, after=index)
                if progress is not None:
                    progress.source_started(source.name)
                report = run_source(cycle, source)
                reports.append(report)
                if progress is not None:
                    progress.source_done(report)
    except _NoCatalog as exc:
        raise exc.error from None
    finally:
        ctx.ahead = None
        if ctx.readers is not None:
            ctx.readers.close()
            log(
                f"read ahead on {ctx.workers} processes: {ctx.readers.used} documents"
                f" used, {ctx.readers.taken_back} not started when their turn came and"
                f" {ctx.readers.rereads} read again on the cycle's thread"
            )
            ctx.readers = None
    if progress is not None:
        progress.delivering()
    return finish_cycle(cycle, reports, notifier=notifier)


class Cycle:
    """A watch cycle under way, as `start_cycle` left it: `run_source` each, then finish."""

    def __init__(self, ctx: _Context, cycle_id: int, started: datetime) -> None:
        self._ctx = ctx
        self._id = cycle_id
        self._started = started

    def __repr__(self) -> str:
        return f"Cycle(store={self._ctx.store!r})"

    def stop(self) -> None:
        """Ask the sources under way to stop before their next document (from any thread).

        A stopped source records neither its feed's validators nor its health, so the
        next cycle reads it as if this one had not begun it.
        """
        self._ctx.stopping.set()


class _Stopped(BaseException):  # passes the handlers that make a failure one line
    """The cycle was asked to stop: the source ends where it is."""


def start_cycle(
    store: Store,
    sources: Sequence[Source],
    *,
    fetcher: collect.Fetcher,
    catalog: CatalogSource,
    now: Clock = utcnow,
    settings: Settings = Settings(),
    log: Log = lambda line: None,
    routes: Sequence[Route] = (),
    sites: tuple[collect.Site, ...] | None = None,
    concurrent: bool = False,
) -> Cycle:
    """Begin a cycle over these sources: the baseline, robots.txt cache, per-host limits.

    With `concurrent`, `run_source` may be called for several sources at once from
    other threads (the Prefect flow runs one task per source): the store, the reading
    of documents and the cycle's bookkeeping then take turns under one lock, and only
    the waits on the network overlap, within the fetcher's per-host limits. The store
    must then be opened with `threads=True`.
    """
    cycle_id, started = begin_cycle(store, settings=settings, now=now)
    ctx = _Context(store, fetcher, catalog, now, settings, log, routes)
    if concurrent:
        store = ctx.store = cast(Store, _Exclusive(store, ctx.lock))
    try:
        ensure_baseline(store, catalog=lambda: ctx.catalog, now=now)
    except _NoCatalog as exc:
        raise exc.error from None
    ctx.sites = sites if sites is not None else collect.default_sites()
    fetcher.cache = _RobotsCache(store, now)
    for source in sources:
        try:
            hosts = _hosts(source, _site(ctx, source))
        except IfoWatchError:
            continue  # reported as the source's failure when it runs
        for host in hosts:
            fetcher.configure_host(host, concurrency=source.concurrency, delay=source.delay)
    return Cycle(ctx, cycle_id, started)


def run_source(cycle: Cycle, source: Source) -> SourceReport:
    """Fetch, extract, diff and record one source of a cycle; its failures are its lines."""
    ctx = cycle._ctx
    try:
        report, kept = _run_source(ctx, source)
    except _NoCatalog as exc:
        raise exc.error from None
    except _Stopped:
        line = f"{source.name}: stopped before the end of the source; read again next cycle"
        ctx.log(f"error: {line}")
        return SourceReport(source.name, errors=(line,), failed=True)
    with ctx.store.transaction():  # what the source leaves for the next cycle, in one go
        if kept is not None:
            _keep(ctx, *kept)
        _note_source_health(ctx, report)
    return report


def finish_cycle(
    cycle: Cycle, reports: Sequence[SourceReport], *, notifier: Notifier
) -> CycleReport:
    """Deliver what waits in the outbox (this cycle's and any earlier one's); report."""
    ctx = cycle._ctx
    delivered = notify.deliver(ctx.store, notifier, now=ctx.now, log=ctx.log)
    result = CycleReport(tuple(reports), posted=delivered.posted, post_errors=delivered.errors)
    end_cycle(
        ctx.store, cycle._id, result, settings=ctx.settings, started=cycle._started, now=ctx.now
    )
    return result


def begin_cycle(store: Store, *, settings: Settings, now: Clock) -> tuple[int, datetime]:
    """Record that a cycle starts; announce once in the error channel that none went well
    for longer than `settings.max_age`. Return the cycle's id and start."""
    started = now()
    with store.transaction():
        cycle_id, stale = track.begin_cycle(store, now=started, max_age=settings.max_age)
        if stale is not None:
            notify.stale_notice(store, stale, now=started)
    return cycle_id, started


def end_cycle(
    store: Store,
    cycle_id: int,
    report: CycleReport,
    *,
    settings: Settings,
    started: datetime,
    now: Clock,
) -> None:
    """Drop page texts beyond the retention setting and record how the cycle went."""
    outcome = track.CycleOutcome(
        sources=len(report.sources),
        sources_failed=sum(s.failed for s in report.sources),
        documents=sum(s.fetched for s in report.sources),
        unchanged=sum(s.unchanged for s in report.sources),
        changes=len(report.changes),
        posted=report.posted,
        errors=report.errors,
        delivery_failed=bool(report.post_errors),
    )
    with store.transaction():
        track.end_cycle(
            store,
            cycle_id,
            outcome,
            started=started,
            now=now(),
            keep_versions=settings.keep_versions,
        )


class _Exclusive:
    """A store whose every call, and every transaction, holds the cycle's lock."""

    def __init__(self, store: Store, lock: threading.RLock) -> None:
        self._store = store
        self._lock = lock

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if name == "transaction":
            return self._transaction
        if not callable(attr):
            return attr

        @functools.wraps(attr)
        def exclusive(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return attr(*args, **kwargs)

        return exclusive

    @contextmanager
    def _transaction(self) -> Iterator[Store]:
        with self._lock, self._store.transaction():
            yield cast(Store, self)


class _RobotsCache:
    """robots.txt bodies and validators kept in the state, so a new cycle asks conditionally."""

    def __init__(self, store: Store, now: Clock) -> None:
        self._store = store
        self._now = now

    def lookup(self, url: str) -> tuple[str | None, str | None, bytes] | None:
        return self._store.http_validators(url)

    def remember(self, fetched: Fetched, *, url: str) -> None:
        self._store.remember_http(
            url,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            body=fetched.content,
            now=self._now(),
        )


def _site(ctx: _Context, source: Source) -> collect.Site | None:
    return collect.site_for(source.url, name=source.site, sites=ctx.sites)


def _hosts(source: Source, site: collect.Site | None) -> tuple[str, ...]:
    hosts = [collect.host_of(source.url), *source.hosts]
    if source.fallback:
        hosts.append(collect.host_of(source.fallback))
    if site is not None and site.owns(source.url):
        hosts.extend(site.hosts)
    return tuple(dict.fromkeys(host for host in hosts if host))


def _get(
    ctx: _Context,
    url: str,
    *,
    validators: tuple[str | None, str | None] | None,
    hosts: tuple[str, ...],
) -> Fetched:
    """Fetch a URL conditionally: the answer fetched ahead when it was planned so."""
    etag, last_modified = validators or (None, None)
    if ctx.ahead is not None:
        return ctx.ahead.get(url, etag=etag, last_modified=last_modified, hosts=hosts)
    return ctx.fetcher.get(url, etag=etag, last_modified=last_modified, now=ctx.now(), hosts=hosts)


def _first_request(ctx: _Context, source: Source) -> collect.Request | None:
    """Return the request a source's reading starts with (None: nothing to fetch ahead)."""
    try:
        site = _site(ctx, source)
    except IfoWatchError:
        return None
    hosts = _hosts(source, site)
    if source.kind in ("page", "pdf"):
        url = site.canonical(source.url) if site is not None else source.url
        return _document_request(ctx, url, hosts)
    _, kept = _index_validators(ctx, source, source.url, kind=source.kind)
    return collect.Request(source.url, *(kept or (None, None)), hosts)


def _document_request(ctx: _Context, url: str, hosts: tuple[str, ...]) -> collect.Request | None:
    """Return the request `_read_entry` makes for a document URL, if it makes one."""
    if url in ctx.entries_seen:
        return None
    try:
        collect.check_scheme(url)
    except collect.RefusedURL:
        return None
    last = ctx.store.last_version(url)
    return collect.Request(
        url, last.etag if last else None, last.last_modified if last else None, hosts
    )


def _read_ahead(
    ctx: _Context,
    plans: Sequence[tuple[Source, collect.Request | None]],
    waiting: list[int],
    *,
    after: int,
) -> None:
    """Send the pages of the next sources whose answers have come to the reading processes.

    `waiting` holds the indexes of the sources whose page is not looked at yet; each is
    looked at once, when its answer has come. Only a page's own document is read ahead
    (a feed's entries and followed reports are read on this thread); the job holds what
    `_read_document` would read it with.
    """
    while waiting and waiting[0] <= after:
        waiting.pop(0)
    if ctx.workers <= 0 or ctx.ahead is None:
        return
    for index in list(waiting[:_LOOKAHEAD]):
        if ctx.readers is not None and not ctx.readers.room():
            return
        source, request = plans[index]
        assert request is not None
        fetched = ctx.ahead.ready(request)
        if fetched is None:
            continue  # not come yet: looked at again before the next source
        waiting.remove(index)
        if fetched.not_modified:
            continue
        site = _site(ctx, source)
        fetched = replace(fetched, url=site.canonical(fetched.url) if site else fetched.url)
        if fetched.url in ctx.entries_seen:
            continue
        last = ctx.store.last_version(fetched.url)
        if last is not None and last.content_hash == fetched.content_hash:
            continue
        job = _job(fetched, source, _rules(site, fetched.url), None)
        if ctx.readers is None and not _start_readers(ctx):
            return
        assert ctx.readers is not None
        if not ctx.readers.sent(job):
            ctx.readers.send(job)


def _job(
    fetched: Fetched, source: Source, rules: collect.PageRules | None, published: date | None
) -> reading.Job:
    from ifo_watch import reading

    return reading.Job(fetched, source, rules, published)


def _start_readers(ctx: _Context) -> bool:
    """Start the reading processes (the catalog is loaded first: they inherit it)."""
    from ifo_watch import reading

    try:
        ctx.readers = reading.Readers(
            ctx.catalog, extract=extract, workers=ctx.workers, log=ctx.log
        )
    except (OSError, ValueError) as exc:  # no fork here, or no more processes
        ctx.log(f"error: cannot start reading processes ({_one_line(exc)}); reading on one core")
        ctx.workers = 0
        return False
    return True


def _rules(site: collect.Site | None, url: str) -> collect.PageRules | None:
    return site.rules if site is not None and site.owns(url) else None


def _plan(ctx: _Context, run: _Run, urls: Iterable[str]) -> None:
    """Fetch ahead the documents a source reads next, before anything else planned."""
    if ctx.ahead is not None:
        canonical = (_canonical(run, url) for url in urls)
        ctx.ahead.plan(
            (r for url in canonical if (r := _document_request(ctx, url, run.hosts))), first=True
        )


def _run_source(
    ctx: _Context, source: Source
) -> tuple[SourceReport, tuple[_Run, dict[str, int]] | None]:
    """Read a source's documents; return its report and what `_keep` keeps of it."""
    try:
        site = _site(ctx, source)
    except IfoWatchError as exc:
        line = f"{source.name}: {exc}"
        ctx.log(f"error: {line}")
        return SourceReport(source.name, errors=(line,), failed=True), None
    run = _Run(source, site, _hosts(source, site))
    try:
        entries = _entries(ctx, run)
    except Exception as exc:  # any failure of the source itself is one line, never a traceback
        run.fail(ctx, None, exc)
        entries = []
    retries = ctx.store.retry_urls(source.name)
    # A page's one entry is its own URL, planned with the cycle (_first_request).
    listed = [] if source.kind in ("page", "pdf") else [entry.url for entry in entries]
    _plan(ctx, run, [*listed, *retries])
    for entry in entries:
        _read_entry(ctx, run, entry)
    for url in retries:
        _read_entry(ctx, run, collect.Entry(url=url, title=None, published=None, summary=None))
    report = SourceReport(
        source.name,
        run.fetched,
        run.unchanged,
        tuple(run.changes),
        tuple(run.errors),
        failed=bool(run.errors),
    )
    return report, (run, retries)


def _keep(ctx: _Context, run: _Run, retries: dict[str, int]) -> None:
    """Record the source's index validators and its URLs to retry, once its entries are read.

    Validators are kept only now: a cycle killed halfway leaves the feed to be read
    in full next time, so no entry is lost behind a 304. A URL that has failed
    `MAX_RETRY_CYCLES` cycles in a row is given up (it is read again if a feed or
    page lists it anew). Runs in `run_source`'s transaction, with the source's health.
    """
    failing: dict[str, int] = {}
    for url in dict.fromkeys(run.retry):
        count = retries.get(url, 0) + 1
        if count >= MAX_RETRY_CYCLES:
            ctx.log(f"{run.source.name}: {url}: failed {count} cycles in a row, given up")
            continue
        failing[url] = count
    for key, fetched in run.validators:
        ctx.store.remember_http(
            key,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            body=None,
            now=ctx.now(),
        )
    if list(failing.items()) != list(retries.items()):  # as read when the source began
        ctx.store.set_retry_urls(run.source.name, failing)


def _entries(ctx: _Context, run: _Run) -> list[collect.Entry]:
    """Return the entries of a feed or listing that are new or changed, or read a page.

    A feed or listing answered 304 has nothing new: no parsing, no entries. A source
    of kind auto whose URL is a page is read from this same answer (never fetched
    twice). A feed that cannot be read falls back to the source's listing.
    """
    source = run.source
    if source.kind in ("page", "pdf"):
        return [collect.Entry(url=source.url, title=None, published=None, summary=None)]
    try:
        return _index_entries(ctx, run, source.url, kind=source.kind)
    except Exception as exc:
        if not source.fallback:
            raise
        ctx.log(f"{source.name}: {_one_line(exc)}; reading the listing {source.fallback}")
        return _index_entries(ctx, run, source.fallback, kind="listing")


def _index_entries(ctx: _Context, run: _Run, url: str, *, kind: str) -> list[collect.Entry]:
    source = run.source
    key, kept = _index_validators(ctx, source, url, kind=kind)
    fetched = _get(ctx, url, validators=kept, hosts=run.hosts)
    if fetched.not_modified:
        ctx.log(f"{source.name}: {url}: not modified")
        return []
    marker = run.site.embedded_list if run.site else None
    if kind == "feed" or (
        kind == "auto" and collect.looks_like_feed(fetched.content, fetched.content_type)
    ):
        entries = collect.parse_feed(fetched.content, base_url=fetched.url)
    elif marker and marker.encode() in fetched.content:
        entries = collect.parse_embedded_list(
            fetched.content, base_url=fetched.url, marker=marker, subjects=source.subjects
        )
    elif kind == "listing" or source.link_selector:
        entries = collect.parse_listing(
            fetched.content,
            base_url=fetched.url,
            link_selector=source.link_selector,
            content_type=fetched.content_type,
        )
    else:
        entry = collect.Entry(url=url, title=None, published=None, summary=None)
        ctx.entries_seen.add(_canonical(run, url))
        _read_fetched(ctx, run, entry, fetched, depth=0)
        return []
    run.validators.append((key, fetched))
    wanted = [e for e in entries if collect.matches_include(source, e.title, e.summary, e.url)]
    return wanted[: source.max_items]


def _index_validators(
    ctx: _Context, source: Source, url: str, *, kind: str
) -> tuple[str, tuple[str | None, str | None] | None]:
    """Return where a feed's or listing's validators are kept, and the validators kept."""
    key = f"{url} {_fingerprint(source)}"
    kept = ctx.store.http_validators(key)
    if kept is None and kind == "auto":
        last = ctx.store.last_version(url)  # an auto source whose URL turned out a page
        return key, (last.etag, last.last_modified) if last else None
    return key, (kept[0], kept[1]) if kept else None


def _fingerprint(source: Source) -> str:
    """Return a short hash of what decides a source's entries: a changed filter reads again."""
    parts = (source.include, source.max_items, source.link_selector, source.subjects)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:12]


def _canonical(run: _Run, url: str) -> str:
    return run.site.canonical(url) if run.site is not None else url


def _read_entry(ctx: _Context, run: _Run, entry: collect.Entry, *, depth: int = 0) -> None:
    """Fetch and read one linked document (and the reports it leads to); failures are lines."""
    if ctx.stopping.is_set():
        raise _Stopped
    url = _canonical(run, entry.url)
    with ctx.lock:
        if url in ctx.entries_seen:
            return
        ctx.entries_seen.add(url)
    try:
        collect.check_scheme(url)  # a file: or ftp: link in a feed is refused aloud
        last = ctx.store.last_version(url)
        fetched = _get(ctx, url, validators=last[:2] if last else None, hosts=run.hosts)
    except Exception as exc:  # one bad link never stops the source, nor the cycle
        run.fail(ctx, url, exc)
        return
    if fetched.not_modified:
        run.unchanged += 1
        return
    _read_fetched(ctx, run, replace(entry, url=url), fetched, depth=depth)


def _read_fetched(
    ctx: _Context, run: _Run, entry: collect.Entry, fetched: Fetched, *, depth: int
) -> None:
    url = entry.url
    try:
        fetched = replace(fetched, url=_canonical(run, fetched.url))
        last = ctx.store.last_version(fetched.url)
        if last is not None and last.content_hash == fetched.content_hash:
            run.unchanged += 1
            return
        with ctx.lock:  # reading and extracting is CPU work: no gain in overlapping it
            found = _read_document(ctx, run, entry, fetched)
    except Exception as exc:  # an unreadable document or an extractor crash: one line
        run.fail(ctx, url, exc)
        return
    if found is None:
        run.unchanged += 1
        return
    changes, links = found
    run.fetched += 1
    run.changes.extend(changes)
    if run.source.follow_reports and depth < _MAX_DEPTH:
        with ctx.lock:
            followed = _followed(ctx, run, links, depth=depth)
        _plan(ctx, run, followed)
        for link in followed:
            _read_entry(
                ctx,
                run,
                collect.Entry(url=link, title=None, published=entry.published, summary=None),
                depth=depth + 1,
            )


def _read_document(
    ctx: _Context, run: _Run, entry: collect.Entry, fetched: Fetched
) -> tuple[list[Change], collect.PageLinks] | None:
    """Read, extract and record one fetched document; None when it holds nothing new."""
    rules = _rules(run.site, fetched.url)
    job = _job(fetched, run.source, rules, entry.published)
    ready = ctx.readers.take(job) if ctx.readers is not None else None
    if ready is not None:  # read ahead on a reading process, as this thread would have
        doc, links, found = ready.doc, ready.links, ready.figures
    else:
        doc, links = collect.read_fetched(fetched, source=run.source, rules=rules)
        if doc.published is None and entry.published is not None:
            doc = replace(doc, published=entry.published)
        found = extract(doc, catalog=ctx.catalog)
    if ctx.found is None:
        ctx.found = track.FoundChanges()
    changes = track.ingest(
        ctx.store,
        doc,
        found,
        fetched=fetched,
        source=run.source.name,
        now=ctx.now(),
        extractor_version=_extractor("EXTRACTOR_VERSION"),
        auto_accept=ctx.settings.auto_accept,
        alert_new=ctx.settings.alert_new,
        destinations=lambda change: notify.route_destinations(
            ctx.routes, change, publisher=doc.publisher or run.source.publisher
        ),
        catalog=ctx.catalog,
        found=ctx.found,
    )
    ctx.log(f"{run.source.name}: {fetched.url}: {len(found)} figures, {len(changes)} changes")
    return changes, links


def _followed(ctx: _Context, run: _Run, links: collect.PageLinks, *, depth: int) -> list[str]:
    """Return the report documents, tables and publication pages a page leads to.

    A report is read once a cycle whatever links to it: its article number joins a
    news item, its publication page, its PDF and its spreadsheet.
    """
    site = run.site
    candidates = [*links.reports, *links.tables]
    if site is not None and depth == 0:
        candidates += [url for url in links.anchors if site.is_report_page(url)]
    chosen: list[str] = []
    for url in candidates:
        url = _canonical(run, url)
        if url in ctx.entries_seen or url in chosen or not collect.on_hosts(url, run.hosts):
            continue
        number = site.report_number(url) if site is not None else None
        if number is not None:
            kind = url.rsplit(".", 1)[-1].lower() if "." in url.rsplit("/", 1)[-1] else "page"
            if (number, kind) in ctx.reports_seen:
                continue
            ctx.reports_seen.add((number, kind))
        chosen.append(url)
    return chosen[:_MAX_FOLLOWED]


def _note_source_health(ctx: _Context, report: SourceReport) -> None:
    """Record how the source went, and a notice when it starts failing or recovers.

    Runs in `run_source`'s transaction: the new state and its notice land together.
    """
    now = ctx.now()
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
