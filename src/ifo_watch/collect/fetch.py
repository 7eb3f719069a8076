"""Polite HTTP for ifo-watch: one httpx client, conditional GET, a size cap, retries.

Retries live here and nowhere else (the CLI and the Prefect flow behave the same).
Only connect errors, timeouts, 429 and 5xx are retried, with exponential backoff
that honours `Retry-After` up to `max_retry_after` seconds.

Testing switch: `backoff=0`, or the environment variable `IFO_WATCH_FETCH_BACKOFF=0`
(read when a `Fetcher` is made; it overrides the `backoff` argument), turns every
wait between attempts off, so retry tests run instantly.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType

import httpx

from ifo_watch import __version__
from ifo_watch.errors import FetchError
from ifo_watch.models import Fetched

DEFAULT_UA = (
    f"ifo-watch/{__version__} (+https://github.com/ifo-watch/ifo-watch; "
    "watches Socialstyrelsen and SKR publications on individ- och familjeomsorg)"
)
BACKOFF_ENV = "IFO_WATCH_FETCH_BACKOFF"
_CHUNK = 65_536


class _Retryable(Exception):
    """An attempt that failed in a way worth trying again."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Fetcher:
    """Fetch URLs with one shared httpx client; use as a context manager."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        max_bytes: int = 20_000_000,
        user_agent: str = DEFAULT_UA,
        retries: int = 2,
        backoff: float = 1.0,
        max_retry_after: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        env = os.environ.get(BACKOFF_ENV)
        self.backoff = _env_float(env, default=backoff)
        self.retries = max(0, retries)
        self.max_bytes = max_bytes
        self.max_retry_after = max_retry_after
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            headers={"User-Agent": user_agent},
            transport=transport,
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

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        now: datetime | None = None,
    ) -> Fetched:
        """GET a URL, conditionally when an ETag or Last-Modified is given.

        Returns a `Fetched` whose status is 304 (and content empty) when the
        server says not modified; `url` is the final URL after redirects. Raises
        `FetchError` with a one-line message for anything that is not a 2xx or 304
        after the allowed retries, and for bodies larger than `max_bytes`.
        """
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempts = self.retries + 1
        for attempt in range(attempts):
            try:
                return self._attempt(url, headers=headers, now=now)
            except _Retryable as exc:
                if attempt + 1 >= attempts:
                    suffix = f" after {attempts} attempts" if attempts > 1 else ""
                    raise FetchError(f"{url}: {exc}{suffix}") from None
                self._wait(attempt, retry_after=exc.retry_after)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, url: str, *, headers: dict[str, str], now: datetime | None) -> Fetched:
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                return self._read(url, response, now=now)
        except httpx.TimeoutException:
            raise _Retryable("timed out") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(f"{url}: invalid URL ({exc})") from None
        except httpx.TooManyRedirects:
            raise FetchError(f"{url}: too many redirects") from None
        except httpx.TransportError as exc:
            raise _Retryable(f"connection failed ({_short(exc)})") from None
        except httpx.HTTPError as exc:  # e.g. a body that fails to decompress
            raise FetchError(f"{url}: {_short(exc)}") from None

    def _read(self, url: str, response: httpx.Response, *, now: datetime | None) -> Fetched:
        status = response.status_code
        if status == 429 or 500 <= status < 600:
            raise _Retryable(
                f"HTTP {status}", retry_after=_retry_after(response.headers.get("retry-after"))
            )
        if status != 304 and not 200 <= status < 300:
            raise FetchError(f"{url}: HTTP {status}")
        content = b"" if status == 304 else self._body(url, response)
        return Fetched(
            url=str(response.url),
            content=content,
            content_type=response.headers.get("content-type", ""),
            fetched_at=now or datetime.now(UTC),
            status=status,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )

    def _body(self, url: str, response: httpx.Response) -> bytes:
        too_large = f"{url}: larger than {_megabytes(self.max_bytes)}"
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(too_large)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(too_large)
            chunks.append(chunk)
        return b"".join(chunks)

    def _wait(self, attempt: int, *, retry_after: float | None) -> None:
        if self.backoff <= 0:
            return
        delay = self.backoff * (2**attempt)
        if retry_after is not None:
            delay = max(delay, retry_after)
        time.sleep(min(delay, self.max_retry_after))


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
