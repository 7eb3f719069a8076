"""Hostile and broken sources, one test per failure mode, over real HTTP on 127.0.0.1.

Each failure is one clear line, the failing source is never reported ok, and the
other sources of the cycle are still read. Tests of the address check never send a
packet off 127.0.0.1: the resolver is stubbed and the feeds come from an in-memory
transport.
"""

from __future__ import annotations

import gzip
import logging
import random
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest

from ifo_watch import pipeline
from ifo_watch.collect import Fetcher, parse_sources
from ifo_watch.collect.fetch import DELAY_ENV, _GuardedBackend
from ifo_watch.collect.netsafe import RefusedURL
from ifo_watch.errors import FetchError
from ifo_watch.extract import Catalog
from ifo_watch.models import Source
from ifo_watch.notify import TerminalNotifier
from ifo_watch.track import Store
from localsite import LocalSite, serve

GOOD = (
    "<html><body><main><h1>Ekonomiskt bistånd 2023</h1><p>Publicerad 2024-03-19</p>"
    "<p>Under 2023 fick 171 000 hushåll ekonomiskt bistånd.</p></main></body></html>"
)
BOMB_INNER_MB = 256


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture
def site() -> Iterator[LocalSite]:
    with serve() as served:
        served.put("/god/", GOOD)
        yield served


def _sources(site: LocalSite, *extra: str) -> list[Source]:
    base = site.base.rstrip("/")
    text = "\n".join(
        [*extra, f'[[sources]]\nname = "god"\npublisher = "Socialstyrelsen"\nurl = "{base}/god/"\n']
    )
    import tomllib

    return parse_sources(tomllib.loads(text.replace("{BASE}", base)))


def _cycle(
    store: Store,
    sources: list[Source],
    catalog: Catalog,
    *,
    fetcher: Fetcher | None = None,
) -> tuple[pipeline.CycleReport, list[str]]:
    lines: list[str] = []
    own = fetcher or Fetcher(backoff=0, deadline=5)
    try:
        report = pipeline.run_cycle(
            store,
            sources,
            fetcher=own,
            notifier=TerminalNotifier(),
            catalog=catalog,
            log=lines.append,
        )
    finally:
        if fetcher is None:
            own.close()
    return report, [line for line in lines if line.startswith("error")]


def _notices(store: Store) -> list[str]:
    """Return the texts of the source notices queued for the error channel, oldest first."""
    return [str(row["text"]) for row in store.db.query("select text from notices order by id")]


def _by_name(report: pipeline.CycleReport) -> dict[str, pipeline.SourceReport]:
    return {source.name: source for source in report.sources}


def _assert_one_failure(
    report: pipeline.CycleReport, errors: list[str], name: str, needle: str
) -> None:
    reports = _by_name(report)
    assert reports[name].failed, f"{name} reported ok"
    assert len(reports[name].errors) == 1, reports[name].errors
    line = reports[name].errors[0]
    assert "\n" not in line and needle in line, line
    assert errors == [f"error: {line}"]
    good = reports["god"]
    assert not good.failed and good.fetched == 1, good  # the rest of the cycle went on


def _source(name: str, path: str, *, kind: str = "page", extra: str = "") -> str:
    return (
        f'[[sources]]\nname = "{name}"\npublisher = "SKR"\nurl = "{{BASE}}{path}"\n'
        f'kind = "{kind}"\n{extra}\n'
    )


# ----------------------------------------------------------------- deadline and size


def _drip(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.end_headers()
    try:
        for _ in range(300):
            handler.wfile.write(b"<")
            handler.wfile.flush()
            time.sleep(0.1)
    except OSError:
        return  # the client hung up, as it should


def test_drip_server_costs_at_most_the_deadline(site: LocalSite) -> None:
    """A server sending one byte every 0.1 s is cut off at the 1 s deadline, not later."""
    site.handle("/droppar/", _drip)
    url = site.base + "droppar/"
    with Fetcher(backoff=0, deadline=1.0, timeout=20) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchError) as caught:
            fetcher.get(url)
        elapsed = time.monotonic() - started
    assert str(caught.value) == f"{url}: no complete answer within the 1 s deadline"
    assert elapsed < 1.0 + 2.0  # the deadline plus scheduling slack, whatever the server sends
    assert site.paths().count("/droppar/") == 1  # a deadline overrun is not retried


def test_drip_source_fails_alone(site: LocalSite, catalog: Catalog, tmp_path: Path) -> None:
    """In a cycle, the dripping source is one line and the next source is still read."""
    site.handle("/droppar/", _drip)
    store = Store.open(tmp_path / "state")
    with Fetcher(backoff=0, deadline=1.0) as fetcher:
        report, errors = _cycle(
            store, _sources(site, _source("droppe", "/droppar/")), catalog, fetcher=fetcher
        )
    _assert_one_failure(report, errors, "droppe", "deadline")


@pytest.fixture(scope="module")
def nested_gzip() -> bytes:
    """A gzip inside a gzip: under 3 kB on the wire, 256 MiB inflated."""
    inner = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    parts = [inner.compress(block) for _ in range(BOMB_INNER_MB)]
    parts.append(inner.flush())
    return gzip.compress(b"".join(parts), 9)


def test_nested_gzip_costs_at_most_the_cap(site: LocalSite, nested_gzip: bytes) -> None:
    """'Content-Encoding: gzip, gzip' over a bomb stops at the cap, counted while inflating."""

    def bomb(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Encoding", "gzip, gzip")
        handler.send_header("Content-Length", str(len(nested_gzip)))
        handler.end_headers()
        handler.wfile.write(nested_gzip)

    site.handle("/bomb/", bomb)
    url = site.base + "bomb/"
    assert len(nested_gzip) < 3000
    with Fetcher(backoff=0, max_bytes=5_000_000) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert str(caught.value) == f"{url}: larger than 5 MB"


def test_layered_gzip_within_the_cap_is_read(site: LocalSite) -> None:
    """Two declared layers of gzip and one of deflate are undone in order."""
    body = "<html><body><p>Socialtjänsten i Jämtland</p></body></html>".encode()

    def layered(handler: BaseHTTPRequestHandler) -> None:
        payload = gzip.compress(gzip.compress(zlib.compress(body)))
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Encoding", "deflate, gzip, gzip")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    site.handle("/lager/", layered)
    with Fetcher(backoff=0) as fetcher:
        assert fetcher.get(site.base + "lager/").content == body


# ----------------------------------------------------------------- addresses (SSRF)


def test_loopback_is_refused_without_the_setting(site: LocalSite) -> None:
    """By default 127.0.0.1 is not fetched at all: one line, and the server sees nothing."""
    url = site.base + "god/"
    with Fetcher(backoff=0, allow_private=False) as fetcher, pytest.raises(RefusedURL) as caught:
        fetcher.get(url)
    assert str(caught.value) == f"{url}: refused 127.0.0.1: not a public address"
    assert site.paths() == []


def test_connect_step_refuses_a_rebound_name() -> None:
    """A name that resolves to a private address is refused in the connect step itself."""
    asked: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["169.254.169.254"]

    backend = _GuardedBackend(resolver=resolver, allow_private=False)
    with pytest.raises(RefusedURL) as caught:
        backend.connect_tcp("www.socialstyrelsen.se", 443, timeout=1)
    assert str(caught.value) == (
        "refused www.socialstyrelsen.se (169.254.169.254): not a public address"
    )
    assert asked == ["www.socialstyrelsen.se"]


FEED_WITH_TRAPS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Press</title><link>https://www.socialstyrelsen.se/</link>
<item><title>Barn i metadata</title><link>http://169.254.169.254/latest/meta-data/</link></item>
<item><title>Barn i intranätet</title><link>http://10.0.0.1/intern/barn</link></item>
<item><title>Barn hos localhost</title><link>http://localhost:8080/barn</link></item>
<item><title>Barn i en fil</title><link>file:///etc/passwd</link></item>
<item><title>Barn som omdirigeras</title>
<link>https://www.socialstyrelsen.se/aktuellt/omdirigerad-barn/</link></item>
<item><title>Barn på en intern värd</title><link>https://intern.socialstyrelsen.se/barn/</link></item>
<item><title>Barn och ekonomiskt bistånd</title>
<link>https://www.socialstyrelsen.se/aktuellt/barn-och-bistand/</link></item>
</channel></rss>"""


def test_feed_links_and_redirects_to_private_places_are_refused(
    catalog: Catalog, tmp_path: Path
) -> None:
    """Each trap in a feed is one refused line; the one good entry is read; no socket opens."""
    requested: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        path = request.url.path
        if path == "/robots.txt":
            return httpx.Response(404)
        if path == "/feed/":
            return httpx.Response(
                200, text=FEED_WITH_TRAPS, headers={"Content-Type": "application/rss+xml"}
            )
        if path == "/aktuellt/omdirigerad-barn/":
            return httpx.Response(302, headers={"Location": "http://10.0.0.1/barn"})
        if path == "/aktuellt/barn-och-bistand/":
            return httpx.Response(200, text=GOOD, headers={"Content-Type": "text/html"})
        return httpx.Response(404)

    public = {
        "www.socialstyrelsen.se": ["151.101.2.217"],
        "intern.socialstyrelsen.se": ["10.9.8.7"],
    }

    def resolver(host: str, port: int) -> list[str]:
        return public[host]

    source = Source(
        name="press",
        publisher="Socialstyrelsen",
        url="https://www.socialstyrelsen.se/feed/",
        kind="feed",
        hosts=("intern.socialstyrelsen.se",),
    )
    fetcher = Fetcher(
        backoff=0,
        allow_private=False,
        resolver=resolver,
        transport=httpx.MockTransport(answer),
    )
    store = Store.open(tmp_path / "state")
    with fetcher:
        report, _errors = _cycle(store, [source], catalog, fetcher=fetcher)
    press = _by_name(report)["press"]
    assert press.failed and press.fetched == 1
    assert sorted(press.errors) == sorted(
        [
            "press: refused http://169.254.169.254/latest/meta-data/: not on a configured host",
            "press: refused http://10.0.0.1/intern/barn: not on a configured host",
            "press: refused http://localhost:8080/barn: not on a configured host",
            # feedparser writes the link as file://etc/passwd
            "press: refused file://etc/passwd: only http and https are fetched",
            "press: https://www.socialstyrelsen.se/aktuellt/omdirigerad-barn/: refused redirect"
            " to http://10.0.0.1/barn: not on a configured host",
            "press: https://intern.socialstyrelsen.se/barn/: refused intern.socialstyrelsen.se"
            " (10.9.8.7): not a public address",
        ]
    )
    assert all(
        not url.startswith(("http://10.", "http://169.", "http://localhost")) for url in requested
    )
    assert not any("intern.socialstyrelsen.se" in url for url in requested)


def test_redirect_to_another_host_is_refused(site: LocalSite) -> None:
    """A redirect from the configured host to another one is not followed."""
    port = site.base.rstrip("/").rsplit(":", 1)[1]

    def away(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", f"http://localhost:{port}/god/")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    site.handle("/bort/", away)
    url = site.base + "bort/"
    with Fetcher(backoff=0) as fetcher, pytest.raises(RefusedURL) as caught:
        fetcher.get(url)
    assert str(caught.value) == (
        f"{url}: refused redirect to http://localhost:{port}/god/: not on a configured host"
    )


def test_dns_failure_is_one_line(catalog: Catalog, tmp_path: Path, site: LocalSite) -> None:
    """A host that does not resolve fails its source with one line; the next source is read."""

    def resolver(host: str, port: int) -> list[str]:
        raise FetchError(f"cannot resolve {host} (Name or service not known)")

    source = Source(name="borta", publisher="SKR", url="https://finns-inte.skr.se/nyheter/")
    sources = [source, *_sources(site)]
    with Fetcher(backoff=0, resolver=resolver) as fetcher:
        report, errors = _cycle(Store.open(tmp_path / "s"), sources, catalog, fetcher=fetcher)
    _assert_one_failure(report, errors, "borta", "cannot resolve finns-inte.skr.se")


# ------------------------------------------------------------------------ content


def test_deep_nesting_is_flattened_with_one_warning(
    site: LocalSite, catalog: Catalog, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """100 000 nested elements neither recurse nor stall: one warning, the text is read."""
    depth = 100_000
    page = (
        "<html><body><main><p>Under 2023 fick 171 000 hushåll ekonomiskt bistånd.</p>"
        + "<div>" * depth
        + "Djupt nere"
        + "</div>" * depth
        + "</main></body></html>"
    )
    site.put("/djup/", page)
    with caplog.at_level(logging.WARNING, logger="ifo_watch"):
        report, errors = _cycle(
            Store.open(tmp_path / "s"), _sources(site, _source("djup", "/djup/")), catalog
        )
    assert errors == [] and not _by_name(report)["djup"].failed
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [f"warning: {site.base}djup/: nesting deeper than 256 levels flattened"]


def test_random_bytes_named_html_are_refused(
    site: LocalSite, catalog: Catalog, tmp_path: Path
) -> None:
    """1 MB of random bytes served as text/html gives one line and no figures."""
    noise = random.Random(14).randbytes(1_000_000)
    site.put("/brus.html", noise, "text/html")
    report, errors = _cycle(
        Store.open(tmp_path / "s"), _sources(site, _source("brus", "/brus.html")), catalog
    )
    _assert_one_failure(report, errors, "brus", "binary content, not text")


def test_pdf_that_is_html_is_refused(site: LocalSite, catalog: Catalog, tmp_path: Path) -> None:
    """A 'PDF' that is an HTML page (a login or error page) is not read as a document."""
    site.put(
        "/rapport.pdf",
        "<!doctype html><html><body><p>Logga in</p></body></html>",
        "application/pdf",
    )
    report, errors = _cycle(
        Store.open(tmp_path / "s"),
        _sources(site, _source("rapport", "/rapport.pdf", kind="pdf")),
        catalog,
    )
    _assert_one_failure(report, errors, "rapport", "said to be a PDF, but an HTML page")


def test_wrong_content_type_is_refused(site: LocalSite, catalog: Catalog, tmp_path: Path) -> None:
    """An image where a page should be is one line."""
    site.put("/bild/", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
    report, errors = _cycle(
        Store.open(tmp_path / "s"), _sources(site, _source("bild", "/bild/")), catalog
    )
    _assert_one_failure(report, errors, "bild", "(image/png)")


@pytest.mark.parametrize(
    ("declared", "body"),
    [
        ("utf-8", "Under 2023 fick 171 000 hushåll ekonomiskt bistånd – i hela landet."),
        ("iso-8859-1", "Under 2023 fick 171 000 hushåll ekonomiskt bistånd – i hela landet."),
    ],
    ids=["cp1252-declared-utf8", "cp1252-declared-latin1"],
)
def test_wrong_or_latin_encoding_is_read(
    site: LocalSite, catalog: Catalog, tmp_path: Path, declared: str, body: str
) -> None:
    """Windows-1252 bytes, declared as UTF-8 or ISO-8859-1, come out as the right letters."""
    html = f"<html><body><main><h1>Ekonomiskt bistånd</h1><p>{body}</p></main></body></html>"
    site.put("/latin/", html.encode("cp1252"), f"text/html; charset={declared}")
    store = Store.open(tmp_path / "s")
    _report, errors = _cycle(store, _sources(site, _source("latin", "/latin/")), catalog)
    assert errors == []
    version = next(v for v in store.versions() if v.document.url.endswith("/latin/"))
    assert body in version.document.text
    assert store.figures(version.id)


def test_429_with_an_hour_long_retry_after_fails_at_once(
    site: LocalSite, catalog: Catalog, tmp_path: Path
) -> None:
    """A 429 asking for an hour is not waited for: one line, tried next cycle."""

    def busy(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(429)
        handler.send_header("Retry-After", "3600")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    site.handle("/upptagen/", busy)
    store = Store.open(tmp_path / "s")
    with Fetcher(backoff=1.0) as fetcher:
        started = time.monotonic()
        report, errors = _cycle(
            store, _sources(site, _source("upptagen", "/upptagen/")), catalog, fetcher=fetcher
        )
        assert time.monotonic() - started < 30  # seeding aside, no wait at all
    _assert_one_failure(report, errors, "upptagen", "asks to wait 3600 s")
    assert site.paths().count("/upptagen/") == 1
    assert store.retry_urls("upptagen") == {site.base + "upptagen/": 1}


# ------------------------------------------------------------------------- feeds


def test_broken_feed_is_one_line(site: LocalSite, catalog: Catalog, tmp_path: Path) -> None:
    """A feed cut off before its first item is a failure, not an empty success."""
    site.put(
        "/trasig.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Pr',
        "application/rss+xml",
    )
    report, errors = _cycle(
        Store.open(tmp_path / "s"),
        _sources(site, _source("trasig", "/trasig.xml", kind="feed")),
        catalog,
    )
    _assert_one_failure(report, errors, "trasig", "broken feed")


def test_html_served_as_feed_is_one_line(site: LocalSite, catalog: Catalog, tmp_path: Path) -> None:
    """feedparser accepts an HTML page without complaint; its missing version gives it away."""
    site.put("/flode/", "<!doctype html><html><body><p>Sidan har flyttat</p></body></html>")
    report, errors = _cycle(
        Store.open(tmp_path / "s"),
        _sources(site, _source("flode", "/flode/", kind="feed")),
        catalog,
    )
    _assert_one_failure(report, errors, "flode", "not a feed: an HTML page")


def test_empty_feed_body_is_one_line(site: LocalSite, catalog: Catalog, tmp_path: Path) -> None:
    """An empty 200 answer where a feed should be is a failure."""
    site.put("/tom/", b"", "application/rss+xml")
    report, errors = _cycle(
        Store.open(tmp_path / "s"), _sources(site, _source("tom", "/tom/", kind="feed")), catalog
    )
    _assert_one_failure(report, errors, "tom", "not a feed: an empty body")


def test_broken_feed_falls_back_to_the_listing(
    site: LocalSite, catalog: Catalog, tmp_path: Path
) -> None:
    """With a fallback listing, a broken feed still gives the listing's articles."""
    site.put("/flode/", "<!doctype html><html><body><p>Sidan har flyttat</p></body></html>")
    site.put(
        "/lista/",
        "<html><body><main><ul>"
        "<li><h2><a href='/god/'>Ekonomiskt bistånd 2023 minskar</a></h2></li>"
        "<li><h2><a href='/annan/'>Ekonomiskt bistånd i kommunerna</a></h2></li>"
        "</ul></main></body></html>",
    )
    site.put("/annan/", GOOD.replace("171 000", "172 000"))
    extra = _source("press", "/flode/", kind="feed", extra='fallback = "{BASE}/lista/"')
    report, errors = _cycle(Store.open(tmp_path / "s"), _sources(site, extra), catalog)
    assert errors == []
    assert not _by_name(report)["press"].failed and _by_name(report)["press"].fetched >= 1


def test_feed_declaring_entities_is_refused(
    site: LocalSite, catalog: Catalog, tmp_path: Path
) -> None:
    """Billion laughs: a feed that declares XML entities is refused before any parser runs."""
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>'
        '<rss version="2.0"><channel><title>&b;</title></channel></rss>'
    )
    site.put("/skratt.xml", laughs, "application/rss+xml")
    report, errors = _cycle(
        Store.open(tmp_path / "s"),
        _sources(site, _source("skratt", "/skratt.xml", kind="feed")),
        catalog,
    )
    _assert_one_failure(report, errors, "skratt", "declares XML entities")


# ------------------------------------------------------------- extractor and state


def test_extractor_crash_fails_the_source_and_is_retried(
    site: LocalSite, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document the extractor crashes on is FAILED, not ok; it recovers next cycle, once."""
    site.put("/krasch/", GOOD.replace("171 000", "181 000"))
    real = pipeline.extract_figures

    def crashing(doc: object, **kwargs: object) -> object:
        if str(getattr(doc, "url", "")).endswith("/krasch/"):
            raise RuntimeError("oväntat tabellformat")
        return real(doc, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "extract_figures", crashing)
    store = Store.open(tmp_path / "s")
    sources = _sources(site, _source("krasch", "/krasch/"))
    report, errors = _cycle(store, sources, catalog)
    _assert_one_failure(report, errors, "krasch", "RuntimeError: oväntat tabellformat")
    assert _notices(store) == [
        f"ifo-watch: källan krasch kunde inte läsas: {site.base}krasch/: "
        "RuntimeError: oväntat tabellformat"
    ]
    report, errors = _cycle(store, sources, catalog)
    assert len(_notices(store)) == 1  # still failing: announced once
    monkeypatch.setattr(pipeline, "extract_figures", real)
    report, errors = _cycle(store, sources, catalog)
    assert errors == [] and _by_name(report)["krasch"].fetched == 1
    assert _notices(store)[1:] == ["ifo-watch: källan krasch fungerar igen"]
    assert store.retry_urls("krasch") == {}


def test_failed_entry_is_retried_behind_a_304_feed_then_given_up(
    site: LocalSite, catalog: Catalog, tmp_path: Path
) -> None:
    """A feed answered 304 still retries last cycle's failed entry, for a few cycles only."""
    site.put(
        "/flode.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Press</title>'
        f"<item><title>Barn</title><link>{site.base}saknas/</link></item>"
        "</channel></rss>",
        "application/rss+xml",
    )
    store = Store.open(tmp_path / "s")
    sources = _sources(site, _source("press", "/flode.xml", kind="feed"))
    for cycle in range(1, pipeline.MAX_RETRY_CYCLES + 1):
        site.clear()
        report, _ = _cycle(store, sources, catalog)
        assert _by_name(report)["press"].failed, cycle
        assert site.paths().count("/saknas/") == 1
        if cycle > 1:
            assert [h.status for h in site.hits if h.path == "/flode.xml"] == [304]
    assert store.retry_urls("press") == {}  # given up after the last cycle
    site.clear()
    report, errors = _cycle(store, sources, catalog)
    assert errors == [] and not _by_name(report)["press"].failed
    assert "/saknas/" not in site.paths()


# ------------------------------------------------------------------ politeness


def test_robots_txt_is_obeyed(site: LocalSite, catalog: Catalog, tmp_path: Path) -> None:
    """A path robots.txt disallows is not fetched: one line."""
    site.put("/robots.txt", "User-agent: *\nDisallow: /intern/\n", "text/plain")
    site.put("/intern/", GOOD)
    report, errors = _cycle(
        Store.open(tmp_path / "s"), _sources(site, _source("intern", "/intern/")), catalog
    )
    _assert_one_failure(report, errors, "intern", "disallowed by robots.txt")
    assert "/intern/" not in site.paths()
    assert site.paths().count("/robots.txt") == 1  # read once per host per cycle


def test_robots_txt_server_error_skips_the_host(site: LocalSite) -> None:
    """A robots.txt answering 5xx means 'disallow all' this cycle (RFC 9309)."""

    def down(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(503)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    site.handle("/robots.txt", down)
    with Fetcher(backoff=0, retries=0) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(site.base + "god/")
    assert "robots.txt answered HTTP 503: host skipped this cycle" in str(caught.value)
    assert "/god/" not in site.paths()


def test_user_agent_contact_is_settable(site: LocalSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """IFO_WATCH_CONTACT (or contact=) puts the operator's address in the User-Agent."""
    seen: list[str] = []

    def echo(handler: BaseHTTPRequestHandler) -> None:
        seen.append(handler.headers.get("User-Agent", ""))
        handler.send_response(200)
        handler.send_header("Content-Length", "2")
        handler.end_headers()
        handler.wfile.write(b"ok")

    site.handle("/ua/", echo)
    monkeypatch.setenv("IFO_WATCH_CONTACT", "mailto:ifo@example.se")
    with Fetcher(backoff=0) as fetcher:
        fetcher.get(site.base + "ua/")
    assert seen[0].startswith("ifo-watch/") and "+mailto:ifo@example.se" in seen[0]


def test_delay_between_requests_to_one_host(
    site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three requests to one host with a 0.3 s delay take at least 0.6 s."""
    monkeypatch.delenv(DELAY_ENV, raising=False)
    with Fetcher(backoff=0, delay=0.3, obey_robots=False) as fetcher:
        started = time.monotonic()
        for _ in range(3):
            fetcher.get(site.base + "god/")
        assert time.monotonic() - started >= 0.6


def test_at_most_two_requests_at_a_time_to_one_host(site: LocalSite) -> None:
    """Six threads share one Fetcher; the host never sees more than two at once."""
    running = 0
    most = 0
    lock = threading.Lock()

    def slow(handler: BaseHTTPRequestHandler) -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.2)
        with lock:
            running -= 1
        handler.send_response(200)
        handler.send_header("Content-Length", "2")
        handler.end_headers()
        handler.wfile.write(b"ok")

    site.handle("/lang/", slow)
    with Fetcher(backoff=0, obey_robots=False, concurrency=2) as fetcher:
        threads = [
            threading.Thread(target=fetcher.get, args=(site.base + "lang/",)) for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert 1 <= most <= 2  # two overlap on any machine but the slowest; never three
