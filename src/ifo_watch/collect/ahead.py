"""Fetch what a cycle will read next while it reads what it has: a few threads ahead.

A watch cycle reads its documents one after another, because the order decides what is
a change; only their fetching may overlap. `Ahead` takes the requests the cycle will
make (`plan`), starts them on a small pool of threads, at most `limit` answers held or
under way, in the order planned, and hands each answer over when the cycle asks for
the very same request (`get`: same URL, validators and hosts); anything else is fetched
there and then. The fetcher's per-host limits (`concurrency` requests at a time,
`delay` between starts) hold for the threads and the cycle alike, and a request whose
host's robots.txt the fetcher has not read yet waits for the cycle to fetch from that
host first, so that robots.txt (and the state that keeps it) is read on the cycle's
thread only. A failed request fails where the cycle asks for it, with the error a
direct fetch would raise.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import NamedTuple

from ifo_watch.collect.fetch import Fetcher, RobotsNotRead
from ifo_watch.models import Fetched

MAX_WORKERS = 8  # the most requests a sources file allows at a time on one host


class Request(NamedTuple):
    """One conditional GET as the cycle will make it."""

    url: str
    etag: str | None
    last_modified: str | None
    hosts: tuple[str, ...]


class Ahead:
    """Fetch planned requests on a pool of threads; hand each answer over once."""

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        now: Callable[[], datetime],
        workers: int = MAX_WORKERS,
        limit: int | None = None,
    ) -> None:
        self._fetcher = fetcher
        self._now = now
        self._limit = max(1, limit if limit is not None else 2 * workers)
        self._pool = ThreadPoolExecutor(max(1, workers), thread_name_prefix="ifo-watch-ahead")
        self._queue: deque[Request] = deque()
        self._queued: set[Request] = set()
        self._queued_urls: Counter[str] = Counter()
        self._started: dict[Request, Future[Fetched]] = {}
        self._lock = threading.Lock()
        self._closed = False

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def plan(self, requests: Iterable[Request], *, first: bool = False) -> None:
        """Queue requests to start when there is room; `first`: before those queued already."""
        with self._lock:
            items = [r for r in dict.fromkeys(requests) if r not in self._queued]
            items = [r for r in items if r not in self._started]
            self._queued.update(items)
            self._queued_urls.update(r.url for r in items)
            if first:
                self._queue.extendleft(reversed(items))
            else:
                self._queue.extend(items)
        self._fill()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        hosts: Iterable[str],
    ) -> Fetched:
        """Return the answer to one request: the one fetched ahead, or a fetch now."""
        request = Request(url, etag, last_modified, tuple(hosts))
        with self._lock:
            future = self._started.pop(request, None)
            self._drop(url)  # planned otherwise, or not started yet: never fetched twice
        try:
            if future is not None:
                try:
                    return future.result()
                except RobotsNotRead:
                    pass  # a redirect to a host not read yet: fetch it here
            return self._fetcher.get(
                url, etag=etag, last_modified=last_modified, now=self._now(), hosts=request.hosts
            )
        finally:
            self._fill()

    def ready(self, request: Request) -> Fetched | None:
        """Return the answer to a request fetched ahead if it has come, without taking it.

        `get` still hands it over; None when it is not planned, not started, not done,
        or failed.
        """
        with self._lock:
            future = self._started.get(request)
        if future is None or not future.done() or future.cancelled():
            return None
        if future.exception() is not None:
            return None
        return future.result()

    def close(self) -> None:
        """Drop what has not started; wait for what has (its answers are not used)."""
        with self._lock:
            self._closed = True
            self._queue.clear()
            self._queued.clear()
            self._queued_urls.clear()
            started, self._started = list(self._started.values()), {}
        for future in started:
            future.cancel()
        self._pool.shutdown(wait=True)

    def _drop(self, url: str) -> None:
        if self._queued_urls[url]:
            self._queue = deque(r for r in self._queue if r.url != url)
            self._queued = set(self._queue)
            del self._queued_urls[url]
        for other in [r for r in self._started if r.url == url]:
            self._started.pop(other).cancel()  # under way: its answer is not used

    def _fill(self) -> None:
        with self._lock:
            while self._queue and len(self._started) < self._limit and not self._closed:
                request = self._queue[0]
                if not self._fetcher.robots_ready(request.url):
                    break  # the cycle's own fetch from that host reads robots.txt first
                self._queue.popleft()
                self._queued.discard(request)
                self._queued_urls[request.url] -= 1
                self._started[request] = self._pool.submit(self._fetch, request)

    def _fetch(self, request: Request) -> Fetched:
        return self._fetcher.get(
            request.url,
            etag=request.etag,
            last_modified=request.last_modified,
            now=self._now(),
            hosts=request.hosts,
            read_robots=False,
        )
