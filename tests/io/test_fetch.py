"""The HTTP layer against a real local server: conditional GET, redirects, retries, caps."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from ifo_watch.collect.fetch import BACKOFF_ENV, Fetcher
from ifo_watch.errors import FetchError

PAGE = "<html><body><main><p>Socialtjänsten</p></main></body></html>".encode()
ETAG = '"v1"'
LAST_MODIFIED = "Tue, 02 Apr 2024 08:00:00 GMT"


def _conditional(request: Request) -> Response:
    if request.headers.get("If-None-Match") == ETAG:
        return Response(status=304, headers={"ETag": ETAG})
    if request.headers.get("If-Modified-Since") == LAST_MODIFIED:
        return Response(status=304, headers={"Last-Modified": LAST_MODIFIED})
    return Response(
        PAGE,
        content_type="text/html; charset=utf-8",
        headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED},
    )


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(timeout=5, backoff=0, obey_robots=False) as client:
        yield client


def test_first_get_returns_body_and_validators(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    """A plain GET gives status 200, the body, its type and both validators."""
    httpserver.expect_request("/nyhet").respond_with_handler(_conditional)
    got = fetcher.get(httpserver.url_for("/nyhet"))
    assert (got.status, got.content, got.etag, got.last_modified) == (
        200,
        PAGE,
        ETAG,
        LAST_MODIFIED,
    )
    assert got.content_type.startswith("text/html")
    assert not got.not_modified


def test_etag_gives_not_modified(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    """Sending the ETag back makes the server answer 304, reported as not modified."""
    httpserver.expect_request("/nyhet").respond_with_handler(_conditional)
    got = fetcher.get(httpserver.url_for("/nyhet"), etag=ETAG)
    assert got.not_modified and got.content == b""
    assert httpserver.log[-1][0].headers["If-None-Match"] == ETAG


def test_last_modified_gives_not_modified(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    """Sending Last-Modified back as If-Modified-Since also gives 304."""
    httpserver.expect_request("/nyhet").respond_with_handler(_conditional)
    got = fetcher.get(httpserver.url_for("/nyhet"), last_modified=LAST_MODIFIED)
    assert got.status == 304
    assert httpserver.log[-1][0].headers["If-Modified-Since"] == LAST_MODIFIED


def test_redirects_are_followed_to_the_final_url(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    """A 301 then a 302 end at the page; `url` is where the body came from."""
    httpserver.expect_request("/gammal").respond_with_data(
        "", status=301, headers={"Location": "/mellan"}
    )
    httpserver.expect_request("/mellan").respond_with_data(
        "", status=302, headers={"Location": "/ny"}
    )
    httpserver.expect_request("/ny").respond_with_data(PAGE, content_type="text/html")
    got = fetcher.get(httpserver.url_for("/gammal"))
    assert got.content == PAGE
    assert got.url == httpserver.url_for("/ny")


def test_user_agent_names_ifo_watch(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    """Every request says who is asking."""
    httpserver.expect_request("/ua").respond_with_data("ok")
    fetcher.get(httpserver.url_for("/ua"))
    assert "ifo-watch" in httpserver.log[-1][0].headers["User-Agent"]


def test_404_fails_at_once_without_retry(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    """A client error is final: one request, a one-line FetchError with the status."""
    httpserver.expect_request("/saknas").respond_with_data("nej", status=404)
    url = httpserver.url_for("/saknas")
    with pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert str(caught.value) == f"{url}: HTTP 404"
    assert len(httpserver.log) == 1


def test_503_twice_then_success_is_retried(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    """Server errors are retried; the third attempt's body is returned."""
    for status in (503, 502):
        httpserver.expect_ordered_request("/ostadig").respond_with_data("", status=status)
    httpserver.expect_ordered_request("/ostadig").respond_with_data("till slut")
    got = fetcher.get(httpserver.url_for("/ostadig"))
    assert got.content == b"till slut"
    assert len(httpserver.log) == 3


def test_503_every_time_names_the_attempts(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    """After the last retry the error says how many attempts were made."""
    httpserver.expect_request("/nere").respond_with_data("", status=503)
    url = httpserver.url_for("/nere")
    with pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert str(caught.value) == f"{url}: HTTP 503 after 3 attempts"
    assert len(httpserver.log) == 3


def test_retry_after_is_honoured(httpserver: HTTPServer) -> None:
    """A 429 with Retry-After: 1 waits about a second before trying again."""
    httpserver.expect_ordered_request("/vanta").respond_with_data(
        "", status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request("/vanta").respond_with_data("ok")
    with Fetcher(obey_robots=False, backoff=0.01, retries=1) as client:
        start = time.monotonic()
        assert client.get(httpserver.url_for("/vanta")).content == b"ok"
        assert time.monotonic() - start >= 0.9


def test_retry_after_past_the_cap_fails_at_once(httpserver: HTTPServer) -> None:
    """An hour-long Retry-After is not waited for: one line at once, tried next cycle."""
    httpserver.expect_request("/lange").respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    url = httpserver.url_for("/lange")
    with Fetcher(obey_robots=False, backoff=1.0, retries=2, max_retry_after=30) as client:
        start = time.monotonic()
        with pytest.raises(FetchError) as caught:
            client.get(url)
        assert time.monotonic() - start < 5
    assert str(caught.value) == (
        f"{url}: HTTP 429, asks to wait 3600 s (more than 30 s): tried again next cycle"
    )
    assert len(httpserver.log) == 1


def test_backoff_env_switch_turns_waiting_off(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """IFO_WATCH_FETCH_BACKOFF=0 overrides a long backoff, so retry tests run fast."""
    monkeypatch.setenv(BACKOFF_ENV, "0")
    httpserver.expect_ordered_request("/snabb").respond_with_data("", status=500)
    httpserver.expect_ordered_request("/snabb").respond_with_data("ok")
    with Fetcher(obey_robots=False, backoff=30.0, retries=1) as client:
        start = time.monotonic()
        assert client.get(httpserver.url_for("/snabb")).content == b"ok"
        assert time.monotonic() - start < 5


def _slow(request: Request) -> Response:
    time.sleep(1.0)
    return Response("sent")


def test_slow_server_times_out(httpserver: HTTPServer) -> None:
    """A handler slower than the timeout gives 'timed out', retried like other failures."""
    httpserver.expect_request("/seg").respond_with_handler(_slow)
    url = httpserver.url_for("/seg")
    with (
        Fetcher(obey_robots=False, timeout=0.2, retries=1, backoff=0) as client,
        pytest.raises(FetchError) as caught,
    ):
        client.get(url)
    assert str(caught.value) == f"{url}: timed out after 2 attempts"


def test_refused_connection_is_a_fetch_error() -> None:
    """Nothing listening on the port gives a FetchError, not an httpx exception."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    with (
        Fetcher(obey_robots=False, retries=0, backoff=0) as client,
        pytest.raises(FetchError) as caught,
    ):
        client.get(url)
    assert str(caught.value).startswith(f"{url}: connection failed")


SIZE_CASES = [
    ("declared", False),  # Content-Length says too much: stop before reading
    ("streamed", True),  # chunked, no length: stop while reading
]


@pytest.mark.parametrize(("case", "chunked"), SIZE_CASES, ids=[c for c, _ in SIZE_CASES])
def test_body_over_the_cap_is_refused(httpserver: HTTPServer, case: str, chunked: bool) -> None:
    """A body larger than max_bytes gives 'larger than ...', whether declared or streamed."""
    body = b"x" * 5000

    def handler(request: Request) -> Response:
        if chunked:
            return Response(body[i : i + 500] for i in range(0, len(body), 500))
        return Response(body)

    httpserver.expect_request("/stor").respond_with_handler(handler)
    url = httpserver.url_for("/stor")
    with (
        Fetcher(obey_robots=False, max_bytes=2000, backoff=0) as client,
        pytest.raises(FetchError) as caught,
    ):
        client.get(url)
    assert str(caught.value) == f"{url}: larger than 2 kB"


def test_body_at_the_cap_is_accepted(httpserver: HTTPServer) -> None:
    """Exactly max_bytes is still fine."""
    httpserver.expect_request("/lagom").respond_with_data(b"y" * 2000)
    with Fetcher(obey_robots=False, max_bytes=2000, backoff=0) as client:
        assert len(client.get(httpserver.url_for("/lagom")).content) == 2000
