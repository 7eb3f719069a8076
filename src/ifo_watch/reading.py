"""Read and extract fetched documents on worker processes, ahead of the cycle that records them.

A watch cycle records its documents one after another, because the order decides what
is a change; reading a page (HTML -> text) and extracting its figures depend on the
page alone, and on one thing more: the metrics the catalog derived from the documents
extracted before it (`Catalog.get` answers with the first one derived under a key).
`Readers` runs that work on forked processes, one document per job, while the cycle's
thread records the documents before it, and hands each result over only when it is the
one the cycle's own thread would have computed:

- each worker's catalog holds exactly the cycle's derived metrics as they stood when the
  job was sent (sent with the job as what was added since that worker's last job), and
  its own additions are dropped after the job;
- when the cycle takes the result, the metrics derived since the job was sent (by the
  documents recorded in between) must not touch the job's metrics: any key the job
  derived or gave a figure that was derived in between, differently, makes the cycle
  read the document itself (`rereads`). Otherwise the job's derived metrics are added
  to the cycle's catalog in the order the job derived them, as its own extraction
  would have;
- the words whose lemmas a worker looked up come back with its result into the
  cycle's lemma table, which keeps them for the next run as its own would;
- a job that has not started when the cycle comes to its document is taken back and
  read on the cycle's thread, which so never waits behind a busy worker;
- a job that fails (an unreadable page, an extractor crash) is read again on the
  cycle's thread, which fails the same way and reports it as a sequential cycle does;
  a worker that dies ends the pool: one line in the log, and the cycle reads the rest
  itself. Nothing is lost either way.

Workers are forked (Linux only): they start with the cycle's catalog and lemma table
as loaded, and with whatever the process holds, so nothing is pickled at start.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import date
from itertools import islice
from typing import TYPE_CHECKING, Any

from ifo_watch.models import Document, Fetched, Figure, Source

if TYPE_CHECKING:  # the pool's modules load when a cycle has documents to read
    from concurrent.futures import Future

    from ifo_watch.collect import PageLinks, PageRules
    from ifo_watch.extract import Catalog

Extract = Callable[[Document], list[Figure]]
MAX_WORKERS = 4
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
WINDOW = 2  # jobs sent ahead to each worker


def default_workers() -> int:
    """Return how many reading processes a cycle uses: IFO_WATCH_WORKERS, else the idle cores.

    0 reads on the cycle's own thread. Unset, a cycle uses the cores the machine has
    free now (its cores less the one-minute load average, rounded, at most MAX_WORKERS):
    a reading process pays only where a core is free for it, and on a busy shared
    machine it only adds the cost of forking and pickling (bench/README.md). Processes
    are only forked on Linux.
    """
    if not sys.platform.startswith("linux"):
        return 0
    setting = os.environ.get("IFO_WATCH_WORKERS", "").strip()
    if not setting:
        return idle_cores()
    try:
        return max(0, min(MAX_WORKERS, int(setting)))
    except ValueError:
        return 0


def idle_cores() -> int:
    """Return the cores this process may use less the one-minute load, rounded (0..MAX_WORKERS)."""
    try:
        cores = len(os.sched_getaffinity(0))
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0
    return max(0, min(MAX_WORKERS, cores, int(cores - load + 0.5)))


@dataclass(frozen=True)
class Job:
    """One document to read: everything its reading depends on, the catalog aside."""

    fetched: Fetched
    source: Source
    rules: PageRules | None
    published: date | None

    @property
    def key(self) -> Hashable:
        """Return what tells two jobs apart (the source's name stands for the source)."""
        return (self.source.name, self.fetched.url, self.fetched.content_hash)


@dataclass(frozen=True)
class Read:
    """A document read and extracted."""

    doc: Document
    links: PageLinks
    figures: list[Figure]


@dataclass
class _Sent:
    job: Job
    future: Future[Any]
    known: int  # the cycle's derived metrics the worker's catalog held
    worker: int


class Readers:
    """Worker processes that read and extract documents ahead of the cycle."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        extract: Callable[..., list[Figure]],
        workers: int,
        log: Callable[[str], None],
    ) -> None:
        """Fork `workers` processes that read with `catalog` and `extract(doc, catalog=)`."""
        from ifo_watch.extract import lemma_table

        self._catalog = catalog
        self._log = log
        self._lemmas: Any = lemma_table()
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        self._pools = [
            ProcessPoolExecutor(
                1, mp_context=context, initializer=_start, initargs=(catalog, extract, os.getpid())
            )
            for _ in range(max(1, workers))
        ]
        # The derived metrics each worker is known to hold (as its last result said): at
        # first, those of the catalog it forks with. A job carries every one since, so a
        # job taken back before it ran (`take`) leaves no worker behind.
        self._synced = [len(_derived(catalog))] * len(self._pools)
        self._sent: dict[Hashable, _Sent] = {}
        self._next = 0
        self.rereads = 0  # results the cycle could not use (read on its own thread)
        self.taken_back = 0  # jobs not started when the cycle came to them (read there)
        self.used = 0
        self.broken = False
        for pool in self._pools:  # fork now, before the cycle's fetching threads start
            pool.submit(int).result()

    def __enter__(self) -> Readers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def room(self) -> bool:
        """Tell whether another job may be sent now."""
        return not self.broken and len(self._sent) < WINDOW * len(self._pools)

    def sent(self, job: Job) -> bool:
        """Tell whether this job is under way or done."""
        return job.key in self._sent

    def send(self, job: Job) -> None:
        """Send a job to the next worker, with the metrics derived since its last job."""
        if self.broken or job.key in self._sent:
            return
        index = self._next
        self._next = (index + 1) % len(self._pools)
        derived = _derived(self._catalog)
        start = self._synced[index]
        added = [(k, _fields(m)) for k, m in islice(derived.items(), start, None)]
        try:
            future = self._pools[index].submit(_read, job, start, added)
        except RuntimeError as exc:  # BrokenProcessPool is one
            self._broke(exc)
            return
        self._sent[job.key] = _Sent(job, future, len(derived), index)

    def take(self, job: Job) -> Read | None:
        """Return the job's result as the cycle's thread would compute it, or None.

        None: the job was not sent, had not started (the cycle's thread reads it rather
        than wait), failed, or its result may differ from the cycle's own (then the
        cycle reads the document itself).
        """
        sent = self._sent.pop(job.key, None)
        if sent is None or sent.job != job:
            return None
        if sent.future.cancel():  # not started: this thread reads it rather than wait
            self.taken_back += 1
            return None
        try:
            outcome = sent.future.result()
        except Exception as exc:  # the worker died (BrokenProcessPool) or could not pickle
            self._broke(exc)
            return None
        self._synced[sent.worker] = max(self._synced[sent.worker], sent.known)
        if outcome is None:  # the reading failed: the cycle's thread fails the same way
            return None
        read: Read = outcome[0]
        added: list[tuple[str, tuple[Any, ...]]] = outcome[1]
        learned: list[tuple[str, str]] = outcome[2]
        self._learn(learned)
        derived = _derived(self._catalog)
        between = dict(islice(derived.items(), sent.known, None))
        metrics = {key: _metric(values) for key, values in added}
        touched = {*metrics, *(f.metric for f in read.figures)}
        if any(key in between and between[key] != metrics.get(key) for key in touched):
            self.rereads += 1
            return None
        for key, metric in metrics.items():
            derived.setdefault(key, metric)
        self.used += 1
        return read

    def close(self) -> None:
        """Stop the workers (what they were doing is not used)."""
        for pool in self._pools:
            pool.shutdown(wait=True, cancel_futures=True)
        self._sent.clear()

    def _learn(self, learned: list[tuple[str, str]]) -> None:
        lemmas = self._lemmas
        fresh = [(word, lemma) for word, lemma in learned if word not in lemmas._known]
        if fresh:
            lemmas._known.update(fresh)
            lemmas._cached.update(fresh)
            lemmas._new += len(fresh)

    def _broke(self, exc: BaseException) -> None:
        if not self.broken:
            self.broken = True
            reason = " ".join(str(exc).split()) or type(exc).__name__
            self._log(f"error: a reading process stopped ({reason}); reading on one core")
        for sent in self._sent.values():
            sent.future.cancel()
        self._sent.clear()


# -- in the worker ---------------------------------------------------------------------

_catalog: Catalog | None = None
_extract: Callable[..., list[Figure]] | None = None
_known: dict[str, Any] = {}  # the cycle's derived metrics, as of this worker's last job


def _start(catalog: Catalog, extract: Callable[..., list[Figure]], parent: int) -> None:
    # Forked: the arguments are the cycle's own objects, not copies made by pickling.
    global _catalog, _extract
    _end_with(parent)
    _catalog, _extract = catalog, extract
    _known.clear()
    _known.update(_derived(catalog))


def _read(
    job: Job, start: int, added: list[tuple[str, tuple[Any, ...]]]
) -> tuple[Read, list[tuple[str, tuple[Any, ...]]], list[tuple[str, str]]] | None:
    """Read and extract one document with the cycle's derived metrics; None when it fails."""
    from ifo_watch.collect import read_fetched
    from ifo_watch.extract import lemma_table

    catalog, extract = _catalog, _extract
    assert catalog is not None and extract is not None and start <= len(_known)
    _known.update((key, _metric(values)) for key, values in added[len(_known) - start :])
    catalog._derived = dict(_known)
    table: Any = lemma_table()
    before = len(table._cached)
    try:
        doc, links = read_fetched(job.fetched, source=job.source, rules=job.rules)
        if doc.published is None and job.published is not None:
            doc = replace(doc, published=job.published)
        figures = extract(doc, catalog=catalog)
    except Exception:
        return None
    derived = _derived(catalog)
    mine = [(key, _fields(metric)) for key, metric in islice(derived.items(), len(_known), None)]
    catalog._derived = dict(_known)
    learned = list(islice(table._cached.items(), before, None))
    return Read(doc, links, figures), mine, learned


def _end_with(parent: int) -> None:
    """Make this worker end when the cycle's process does, however it ends.

    A worker outliving a killed cycle would hold what it was forked with, the state's
    lock (a flock) among them, and wait for jobs forever: Linux kills it when its parent
    dies (PR_SET_PDEATHSIG). Ctrl-C is the cycle's to handle, not the worker's.
    """
    import ctypes  # here, in the worker: a cycle that starts none never loads it

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:  # the cycle died before the line above
        os._exit(1)


# -- the catalog's derived metrics ---------------------------------------------------------


def _derived(catalog: Catalog) -> dict[str, Any]:
    # The one state of the catalog that extraction reads and writes (first one wins).
    derived: dict[str, Any] = catalog._derived
    return derived


def _fields(metric: Any) -> tuple[Any, ...]:
    # The extractor's compiled Metric cannot be unpickled; its fields can.
    return tuple(getattr(metric, f.name) for f in dataclasses.fields(metric))


def _metric(values: tuple[Any, ...]) -> Any:
    from ifo_watch.extract import Metric

    return Metric(*values)
