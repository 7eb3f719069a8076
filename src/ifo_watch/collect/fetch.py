"""Polite, bounded HTTP for ifo-watch: one httpx client that no site can stall or flood.

What every request gets:

- a deadline for the whole exchange (connect, TLS, headers and body): a server that
  drips one byte a second is cut off at `deadline` seconds, not after one read
  timeout per byte; a deadline overrun is final for this cycle (not retried);
- a size cap counted on the decoded body while it is inflated (`inflate.py`), for
  any stack of gzip/deflate layers;
- redirects followed by hand, only to http(s) URLs on the configured hosts, each hop
  checked again;
- addresses checked before the request and in the connect step itself
  (`netsafe.py`): private, loopback and link-local addresses are refused unless
  `allow_private` (or `IFO_WATCH_ALLOW_PRIVATE=1`) says otherwise;
- robots.txt read once per host per Fetcher (one Fetcher is one cycle) and obeyed;
- at most `concurrency` requests at a time and `delay` seconds between the starts of
  two requests to one host (per-host settings through `configure_host`);
- conditional GET when the caller gives an ETag or Last-Modified;
- a User-Agent naming ifo-watch and a contact URL (`contact`, or `IFO_WATCH_CONTACT`).

Retries live here and nowhere else (the CLI and the Prefect flow behave the same):
connect errors, read timeouts, 429 and 5xx are retried with exponential backoff; a
`Retry-After` longer than `max_retry_after` is not waited for: the URL fails at once
and is tried again next cycle.

Testing switches, read when a Fetcher is made: `IFO_WATCH_FETCH_BACKOFF=0` turns the
waits between attempts off, `IFO_WATCH_FETCH_DELAY=0` the pause between requests to
one host.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

from ifo_watch.collect.lean import load_httpx

load_httpx()  # httpx without its command line (rich, pygments): see lean.py

import httpcore  # noqa: E402  (after load_httpx, which httpx's import must see)
import httpx  # noqa: E402

from ifo_watch import __version__  # noqa: E402
from ifo_watch.collect import inflate, netsafe, robots  # noqa: E402
from ifo_watch.errors import FetchError  # noqa: E402
from ifo_watch.models import Fetched  # noqa: E402

DEFAULT_CONTACT = "https://github.com/ifo-watch/ifo-watch"
CONTACT_ENV = "IFO_WATCH_CONTACT"
BACKOFF_ENV = "IFO_WATCH_FETCH_BACKOFF"
DELAY_ENV = "IFO_WATCH_FETCH_DELAY"
_CHUNK = 65_536
_REDIRECTS = {301, 302, 303, 307, 308}
_ACCEPT_ENCODING = "gzip, deflate"


def make_user_agent(contact: str = DEFAULT_CONTACT) -> str:
    """Return the User-Agent: ifo-watch, its version, a contact URL and what it does."""
    return (
        f"ifo-watch/{__version__} (+{contact}; "
        "watches Socialstyrelsen and SKR publications on individ- och familjeomsorg)"
    )


DEFAULT_UA = make_user_agent()


class HTTPStatusError(FetchError):
    """An answer with a status that is neither 2xx nor 304 (after the allowed retries)."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


class ValidatorCache(Protocol):
    """Where robots.txt bodies and their validators outlive one Fetcher (the state)."""

    def lookup(self, url: str) -> tuple[str | None, str | None, bytes] | None:
        """Return (etag, last_modified, body) of a URL fetched before, or None."""

    def remember(self, fetched: Fetched, *, url: str) -> None:
        """Keep a fetched body and its validators under `url`."""


class _Retryable(Exception):
    """An attempt that failed in a way worth trying again."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class RobotsNotRead(Exception):
    """A fetch that may not read robots.txt met a host whose robots.txt is not read yet."""


@dataclass(frozen=True)
class _Redirect:
    location: str


# ------------------------------------------------------------------- the deadline

_local = threading.local()


def _deadline_left() -> float | None:
    end: float | None = getattr(_local, "end", None)
    return None if end is None else end - time.monotonic()


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    previous = getattr(_local, "end", None)
    _local.end = time.monotonic() + seconds
    try:
        yield
    finally:
        _local.end = previous


@contextmanager
def _robots_unread() -> Iterator[None]:
    previous = getattr(_local, "robots_unread", False)
    _local.robots_unread = True
    try:
        yield
    finally:
        _local.robots_unread = previous


def _clamp(timeout: float | None) -> float | None:
    """Shorten a socket timeout to what is left of the request's deadline."""
    left = _deadline_left()
    if left is None:
        return timeout
    if left <= 0:
        raise httpcore.ReadTimeout("deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _clamp(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Connect only to checked addresses, by the deadline; the address is pinned here."""

    def __init__(self, *, resolver: netsafe.Resolver, allow_private: bool) -> None:
        self._inner = httpcore.SyncBackend()
        self._resolver = resolver
        self._allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = netsafe.checked_addresses(
            host, port, resolver=self._resolver, allow_private=self._allow_private
        )
        error: Exception | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    address,
                    port,
                    timeout=_clamp(timeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream)
        raise error or httpcore.ConnectError(f"cannot connect to {host}")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise netsafe.RefusedURL("refused: unix sockets are never used")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _ByScheme(httpx.BaseTransport):
    """Plain http through one transport; https through one made on its first request.

    Making a verifying TLS context reads the certificate store (tens of ms): a cycle
    whose URLs are all http, or that is answered 304 before any https URL is asked,
    never pays for it.
    """

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend
        self._plain = _guarded_transport(backend, verify=False)  # no TLS on http://
        self._tls: httpx.HTTPTransport | None = None
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme != "https":
            return self._plain.handle_request(request)
        with self._lock:
            if self._tls is None:
                self._tls = _guarded_transport(self._backend)
        return self._tls.handle_request(request)

    def close(self) -> None:
        self._plain.close()
        if self._tls is not None:
            self._tls.close()


def _guarded_transport(
    backend: httpcore.NetworkBackend, *, verify: bool = True
) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(retries=0, verify=verify)
    pool = transport._pool
    # httpx offers no public way to give its pool a network backend; httpcore's pool
    # reads this attribute for every new connection.
    if not hasattr(pool, "_network_backend"):  # pragma: no cover - a future httpcore
        raise RuntimeError("this httpcore version has no pluggable network backend")
    pool._network_backend = backend
    return transport


# ------------------------------------------------------------------ per-host gates


class _Gate:
    """One host's limit: `concurrency` requests at a time, `delay` s between starts."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self.slots = threading.BoundedSemaphore(max(1, concurrency))
        self.lock = threading.Lock()
        self.delay = delay
        self.next_start = 0.0


class _Gates:
    def __init__(self, *, concurrency: int, delay: float, sleep: Callable[[float], None]) -> None:
        self._default = (max(1, concurrency), max(0.0, delay))
        self._settings: dict[str, tuple[int, float]] = {}
        self._gates: dict[str, _Gate] = {}
        self._lock = threading.Lock()
        self._sleep = sleep

    def configure(self, host: str, *, concurrency: int | None, delay: float | None) -> None:
        """Set a host's limits; when two sources set them, the more polite wins."""
        key = netsafe.same_site(host)
        with self._lock:
            old = self._settings.get(key)
            new_conc = max(1, concurrency) if concurrency is not None else self._default[0]
            new_delay = max(0.0, delay) if delay is not None else self._default[1]
            if old is not None:
                new_conc, new_delay = min(old[0], new_conc), max(old[1], new_delay)
            self._settings[key] = (new_conc, new_delay)
            if key in self._gates:
                self._gates[key].delay = new_delay

    def slow_down(self, host: str, delay: float) -> None:
        """Lengthen a host's delay (robots.txt Crawl-delay); never shorten it."""
        gate = self._gate(host)
        with gate.lock:
            gate.delay = max(gate.delay, delay)

    def _gate(self, host: str) -> _Gate:
        key = netsafe.same_site(host)
        with self._lock:
            gate = self._gates.get(key)
            if gate is None:
                concurrency, delay = self._settings.get(key, self._default)
                gate = self._gates[key] = _Gate(concurrency, delay)
            return gate

    @contextmanager
    def slot(self, host: str, *, zero_delay: bool) -> Iterator[None]:
        gate = self._gate(host)
        with gate.slots:
            with gate.lock:
                now = time.monotonic()
                wait = 0.0 if zero_delay else max(0.0, gate.next_start - now)
                gate.next_start = max(now, gate.next_start) + (0.0 if zero_delay else gate.delay)
            if wait > 0:
                self._sleep(wait)
            yield


# ------------------------------------------------------------------------ Fetcher


class Fetcher:
    """Fetch URLs politely within hard bounds; use as a context manager, one per cycle."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        deadline: float = 60.0,
        max_bytes: int = 20_000_000,
        contact: str | None = None,
        user_agent: str | None = None,
        retries: int = 2,
        backoff: float = 1.0,
        max_retry_after: float = 30.0,
        max_redirects: int = 5,
        concurrency: int = 2,
        delay: float = 1.0,
        obey_robots: bool = True,
        allow_private: bool | None = None,
        resolver: netsafe.Resolver | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.backoff = _env_float(os.environ.get(BACKOFF_ENV), default=backoff)
        self.retries = max(0, retries)
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_retry_after = max_retry_after
        self.max_redirects = max_redirects
        self.obey_robots = obey_robots
        self.allow_private = (
            netsafe.allow_private_from_env() if allow_private is None else allow_private
        )
        self.resolver = resolver or netsafe.system_resolver
        contact = contact or os.environ.get(CONTACT_ENV, "").strip() or DEFAULT_CONTACT
        self.user_agent = user_agent or make_user_agent(contact)
        self._agent = robots.agent_token(self.user_agent)
        env_delay = os.environ.get(DELAY_ENV)
        self._zero_delay = env_delay is not None and _env_float(env_delay, default=1.0) == 0
        self._gates = _Gates(concurrency=concurrency, delay=delay, sleep=sleep)
        self._sleep = sleep
        self._robots: dict[str, robots.Robots] = {}
        self._robots_lock = threading.Lock()
        self.cache: ValidatorCache | None = None
        backend = _GuardedBackend(resolver=self.resolver, allow_private=self.allow_private)
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"User-Agent": self.user_agent, "Accept-Encoding": _ACCEPT_ENCODING},
            transport=transport or _ByScheme(backend),
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying connection pool."""
        self._client.close()

    def robots_ready(self, url: str) -> bool:
        """Return True when fetching this URL needs no robots.txt read first."""
        parts = urlsplit(url)
        if not self.obey_robots or parts.path == "/robots.txt":
            return True
        with self._robots_lock:
            return f"{parts.scheme}://{parts.netloc}" in self._robots

    def configure_host(
        self, host: str, *, concurrency: int | None = None, delay: float | None = None
    ) -> None:
        """Set how many requests may run at once on a host and the pause between them."""
        self._gates.configure(host, concurrency=concurrency, delay=delay)

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        now: datetime | None = None,
        hosts: Iterable[str] | None = None,
        max_bytes: int | None = None,
        read_robots: bool = True,
    ) -> Fetched:
        """GET a URL, conditionally when an ETag or Last-Modified is given.

        Returns a `Fetched` whose status is 304 (content empty) when the server says
        not modified; `url` is the final URL after redirects. With `hosts`, the URL
        and every redirect must be on one of them; without, redirects stay on the
        URL's own host. Raises `FetchError` (one line) for anything else: a refused
        URL or address, robots.txt, a status that is not 2xx or 304 after the
        allowed retries, the deadline, and bodies larger than `max_bytes`. With
        `read_robots=False` (a fetch ahead on another thread than the cycle's), a
        host whose robots.txt is not read yet raises `RobotsNotRead` instead.
        """
        if not read_robots:
            with _robots_unread():
                return self.get(
                    url,
                    etag=etag,
                    last_modified=last_modified,
                    now=now,
                    hosts=hosts,
                    max_bytes=max_bytes,
                )
        netsafe.check_scheme(url)
        allowed = tuple(hosts) if hosts is not None else (netsafe.host_of(url),)
        if not netsafe.on_hosts(url, allowed):
            raise netsafe.RefusedURL(f"refused {url}: not on a configured host")
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(self.max_redirects + 1):
            answer = self._with_retries(
                current, headers=headers, now=now, limit=max_bytes or self.max_bytes
            )
            if isinstance(answer, Fetched):
                return answer
            target = answer.location
            try:
                netsafe.check_scheme(target)
            except netsafe.RefusedURL as exc:
                raise netsafe.RefusedURL(f"{current}: redirect {exc}") from None
            if not netsafe.on_hosts(target, allowed):
                raise netsafe.RefusedURL(
                    f"{current}: refused redirect to {target[:200]}: not on a configured host"
                )
            current = target
        raise FetchError(f"{url}: too many redirects")

    # -- one URL, with retries ------------------------------------------------------

    def _with_retries(
        self, url: str, *, headers: dict[str, str], now: datetime | None, limit: int
    ) -> Fetched | _Redirect:
        attempts = self.retries + 1
        for attempt in range(attempts):
            try:
                return self._once(url, headers=headers, now=now, limit=limit)
            except _Retryable as exc:
                wait = self._backoff(attempt, retry_after=exc.retry_after)
                if exc.retry_after is not None and exc.retry_after > self.max_retry_after:
                    raise _status_error(
                        f"{url}: {exc}, asks to wait {exc.retry_after:g} s (more than "
                        f"{self.max_retry_after:g} s): tried again next cycle",
                        exc.status,
                    ) from None
                if attempt + 1 >= attempts:
                    suffix = f" after {attempts} attempts" if attempts > 1 else ""
                    raise _status_error(f"{url}: {exc}{suffix}", exc.status) from None
                if wait > 0:
                    self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(
        self, url: str, *, headers: dict[str, str], now: datetime | None, limit: int
    ) -> Fetched | _Redirect:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not self.allow_private:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            try:
                netsafe.checked_addresses(host, port, resolver=self.resolver, allow_private=False)
            except FetchError as exc:
                raise type(exc)(f"{url}: {exc}") from None
        if self.obey_robots and parts.path != "/robots.txt":
            self._check_robots(url)
        with self._gates.slot(host, zero_delay=self._zero_delay), _deadline(self.deadline):
            try:
                with self._client.stream("GET", url, headers=headers) as response:
                    return self._read(url, response, now=now, limit=limit)
            except httpx.TimeoutException:
                left = _deadline_left()
                if left is not None and left <= 0.05:
                    raise FetchError(
                        f"{url}: no complete answer within the {self.deadline:g} s deadline"
                    ) from None
                raise _Retryable("timed out") from None
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
                raise FetchError(f"{url}: invalid URL ({_short(exc)})") from None
            except httpx.TransportError as exc:
                raise _Retryable(f"connection failed ({_short(exc)})") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"{url}: {_short(exc)}") from None

    def _read(
        self, url: str, response: httpx.Response, *, now: datetime | None, limit: int
    ) -> Fetched | _Redirect:
        status = response.status_code
        if status in _REDIRECTS and response.headers.get("location"):
            return _Redirect(urljoin(url, response.headers["location"].strip()))
        if status == 429 or 500 <= status < 600:
            raise _Retryable(
                f"HTTP {status}",
                status=status,
                retry_after=_retry_after(response.headers.get("retry-after")),
            )
        if status != 304 and not 200 <= status < 300:
            raise HTTPStatusError(f"{url}: HTTP {status}", status=status)
        if status == 304:
            response.read()  # no body (HTTP says so): read to its end, the connection is kept
            content = b""
        else:
            content = self._body(url, response, limit=limit)
        return Fetched(
            url=url,
            content=content,
            content_type=response.headers.get("content-type", ""),
            fetched_at=now or datetime.now(UTC),
            status=status,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )

    def _body(self, url: str, response: httpx.Response, *, limit: int) -> bytes:
        too_large = f"{url}: larger than {_megabytes(limit)}"
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise inflate.TooLarge(too_large)
        if response.is_stream_consumed:  # an in-memory transport handed over a read body
            if len(response.content) > limit:
                raise inflate.TooLarge(too_large)
            return response.content
        try:
            applied = inflate.encodings(response.headers.get("content-encoding"))
        except FetchError as exc:
            raise FetchError(f"{url}: {exc}") from None

        def check() -> None:
            left = _deadline_left()
            if left is not None and left <= 0:
                raise FetchError(
                    f"{url}: no complete answer within the {self.deadline:g} s deadline"
                )

        try:
            return inflate.read_decoded(
                response.iter_raw(_CHUNK), applied, limit=limit, too_large=too_large, check=check
            )
        except inflate.TooLarge:
            raise
        except FetchError as exc:
            text = str(exc)
            raise FetchError(text if text.startswith(url) else f"{url}: {text}") from None

    def _backoff(self, attempt: int, *, retry_after: float | None) -> float:
        if self.backoff <= 0:
            return 0.0
        delay = float(self.backoff * 2**attempt)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return min(delay, self.max_retry_after)

    # -- robots.txt ------------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            rules = self._robots.get(origin)
        if rules is None:
            if getattr(_local, "robots_unread", False):
                raise RobotsNotRead(origin)
            rules = self._load_robots(origin)
            with self._robots_lock:
                self._robots[origin] = rules
            if rules.crawl_delay:
                self._gates.slow_down(parts.hostname or "", rules.crawl_delay)
        if not rules.allows(url, self._agent):
            reason = rules.disallow_all or "disallowed by robots.txt"
            raise FetchError(f"{url}: {reason}")

    def _load_robots(self, origin: str) -> robots.Robots:
        robots_url = f"{origin}/robots.txt"
        cached = self.cache.lookup(robots_url) if self.cache is not None else None
        try:
            fetched = self.get(
                robots_url,
                etag=cached[0] if cached else None,
                last_modified=cached[1] if cached else None,
                max_bytes=robots.MAX_ROBOTS_BYTES,
            )
        except HTTPStatusError as exc:
            if 400 <= exc.status < 500 and exc.status != 429:
                return robots.no_rules()
            return robots.unreachable(f"robots.txt answered {_tail(exc)}: host skipped this cycle")
        except FetchError as exc:
            return robots.unreachable(_tail(exc))  # the host itself fails: say how
        if fetched.not_modified and cached is not None:
            body = cached[2]
        else:
            body = fetched.content
            if self.cache is not None:
                self.cache.remember(fetched, url=robots_url)
        return robots.parse_robots(body.decode("utf-8", "replace"), self._agent)


def _status_error(message: str, status: int | None) -> FetchError:
    return HTTPStatusError(message, status=status) if status is not None else FetchError(message)


def _env_float(value: str | None, *, default: float) -> float:
    if value is None or not value.strip():
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        return default


def _retry_after(value: str | None) -> float | None:
    """Return the seconds a Retry-After header asks for (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _megabytes(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:g} MB"
    return f"{size / 1000:g} kB" if size >= 1000 else f"{size} bytes"


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else type(exc).__name__


def _tail(exc: Exception) -> str:
    """Return an error's text after its URL prefix ("HTTP 503 after 3 attempts")."""
    text = str(exc)
    return text.split(": ", 1)[1] if ": " in text else text
