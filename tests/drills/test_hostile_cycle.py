"""The hostile-source drill: every failure mode of tests/io/test_hostile.py in ONE cycle.

test_hostile.py proves each failure mode alone; this drill serves all of them at once,
beside good sources, and runs a single watch cycle against them with the fake Slack:
the cycle ends within its deadline, each failing source is one line that says why
(the feed of traps one line per trap), and the good sources are read, their changes
posted to the alert channel and the failures announced once in the error channel.

The servers, pages and fixtures are test_hostile's, imported; only the cycle is new.
The local server stands in for the internet here: 127.0.0.1 counts as a public address
for this one test (every other loopback, private and link-local address is refused as
in production), so that the address checks run with `allow_private=False` next to a
site they can reach. No packet leaves 127.0.0.1: names resolve through a stub, and
every refused address is refused before a socket opens.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "io"))
import test_hostile as hostile

from alertkit import change_ids
from fakeslack import FakeSlack
from ifo_watch import pipeline
from ifo_watch.collect import Fetcher, netsafe
from ifo_watch.errors import FetchError
from ifo_watch.notify import SlackNotifier, SlackSettings
from ifo_watch.track import Store
from localsite import LocalSite, serve

# test_hostile's fixtures, reused as they are (pytest finds them by these names).
catalog = hostile.catalog
nested_gzip = hostile.nested_gzip

CYCLE_DEADLINE = 30.0  # seconds for the whole cycle, the 2 s fetch deadline included
FETCH_DEADLINE = 2.0
ALERTS, ERRORS = "C0ALERTS", "C0ERRORS"
# Names the resolver stub knows: a host that does not resolve, one that rebinds to the
# cloud metadata address, and an intranet host (each refused before any socket opens).
GONE, METADATA, INTERNAL = "finns-inte.skr.se", "metadata.skr.se", "intern.socialstyrelsen.se"

# (source name, the needle its one error line holds); the trap feed is checked apart.
FAILING = {
    "droppe": "no complete answer within the 2 s deadline",
    "bomb": "larger than 5 MB",
    "loopback": "refused 127.0.0.2: not a public address",
    "metadata": f"refused {METADATA} (169.254.169.254): not a public address",
    "bort": "refused redirect to http://localhost:",
    "borta": f"cannot resolve {GONE}",
    "brus": "binary content, not text",
    "rapport": "said to be a PDF, but an HTML page",
    "bild": "(image/png)",
    "upptagen": "asks to wait 3600 s",
    "trasig": "broken feed",
    "flode": "not a feed: an HTML page",
    "tom": "not a feed: an empty body",
    "skratt": "declares XML entities",
    "krasch": "RuntimeError: oväntat tabellformat",
    "saknas": "HTTP 404",
    "intern": "disallowed by robots.txt",
    "robotsfel": "robots.txt answered HTTP 503",
}
GOOD_SOURCES = ("god", "lager", "latin-utf8", "latin-1", "press", "djup")
TRAPS = 6  # the lines of the trap feed: four links, one redirect, one intranet host


@pytest.fixture
def sites(nested_gzip: bytes) -> Iterator[tuple[LocalSite, LocalSite]]:
    """The hostile site (every failure mode and the good pages) and a host whose robots fail."""
    with serve() as site, serve() as down:
        _fill(site, nested_gzip)
        down.handle("/robots.txt", _unavailable)
        down.put("/sida/", hostile.GOOD)
        yield site, down


def _unavailable(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(503)
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def _answer(body: bytes, *headers: tuple[str, str]) -> Any:
    """Return a handler that sends fixed bytes with fixed headers."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        for name, value in headers:
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handler


def _fill(site: LocalSite, bomb: bytes) -> None:
    """Serve test_hostile's failure modes and good pages on one site."""
    import gzip
    import random
    import zlib

    port = site.base.rstrip("/").rsplit(":", 1)[1]
    site.put("/robots.txt", "User-agent: *\nDisallow: /intern/\n", "text/plain")
    site.put("/god/", hostile.GOOD)
    site.put("/intern/", hostile.GOOD)
    site.handle("/droppar/", hostile._drip)
    site.handle(
        "/bomb/",
        _answer(bomb, ("Content-Type", "text/html"), ("Content-Encoding", "gzip, gzip")),
    )
    layered = (
        "<html><body><main><p>Under 2023 fick 169 000 hushåll ekonomiskt bistånd.</p>"
        "</main></body></html>"
    ).encode()
    site.handle(
        "/lager/",
        _answer(
            gzip.compress(gzip.compress(zlib.compress(layered))),
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Encoding", "deflate, gzip, gzip"),
        ),
    )

    def away(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", f"http://localhost:{port}/god/")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    site.handle("/bort/", away)
    site.put("/brus.html", random.Random(14).randbytes(1_000_000), "text/html")
    login = "<!doctype html><html><body><p>Logga in</p></body></html>"
    site.put("/rapport.pdf", login, "application/pdf")
    site.put("/bild/", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
    latin = (
        "<html><body><main><h1>Ekonomiskt bistånd</h1><p>Under 2022 fick 174 000 hushåll"
        " ekonomiskt bistånd – i hela landet.</p></main></body></html>"
    ).encode("cp1252")
    site.put("/latin-utf8/", latin, "text/html; charset=utf-8")
    site.put("/latin-1/", latin, "text/html; charset=iso-8859-1")

    def busy(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(429)
        handler.send_header("Retry-After", "3600")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    site.handle("/upptagen/", busy)
    rss = "application/rss+xml"
    site.put("/trasig.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>Pr', rss)
    moved = "<!doctype html><html><body><p>Sidan har flyttat</p></body></html>"
    site.put("/flode/", moved)
    site.put("/tom/", b"", rss)
    site.put(
        "/skratt.xml",
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>'
        '<rss version="2.0"><channel><title>&b;</title></channel></rss>',
        rss,
    )
    site.put("/pressflode/", moved)
    site.put(
        "/lista/",
        "<html><body><main><ul>"
        "<li><h2><a href='/annan/'>Ekonomiskt bistånd i kommunerna</a></h2></li>"
        "</ul></main></body></html>",
    )
    site.put("/annan/", hostile.GOOD.replace("171 000", "172 000"))
    site.put("/krasch/", hostile.GOOD.replace("171 000", "181 000"))
    site.put(
        "/saknas.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Press</title>'
        f"<item><title>Barn</title><link>{site.base}borttagen/</link></item></channel></rss>",
        rss,
    )
    depth = 100_000
    site.put(
        "/djup/",
        "<html><body><main><p>Under 2021 fick 160 000 hushåll ekonomiskt bistånd.</p>"
        + "<div>" * depth
        + "Djupt nere"
        + "</div>" * depth
        + "</main></body></html>",
    )
    # test_hostile's feed of traps, its public host moved to the local site.
    traps = hostile.FEED_WITH_TRAPS.replace("https://www.socialstyrelsen.se", site.base.rstrip("/"))
    site.put("/fallor/", traps, rss)
    site.handle(
        "/aktuellt/omdirigerad-barn/",
        lambda h: (
            h.send_response(302),
            h.send_header("Location", "http://10.0.0.1/barn"),
            h.send_header("Content-Length", "0"),
            h.end_headers(),
        ),
    )
    site.put("/aktuellt/barn-och-bistand/", hostile.GOOD.replace("171 000", "176 000"))


def _sources_toml(site: LocalSite, down: LocalSite) -> str:
    base, port = site.base.rstrip("/"), site.base.rstrip("/").rsplit(":", 1)[1]

    def one(name: str, url: str, kind: str = "page", extra: str = "") -> str:
        return (
            f'[[sources]]\nname = "{name}"\npublisher = "SKR"\nurl = "{url}"\n'
            f'kind = "{kind}"\n{extra}\n'
        )

    return "".join(
        [
            one("god", f"{base}/god/"),
            one("droppe", f"{base}/droppar/"),
            one("bomb", f"{base}/bomb/"),
            one("lager", f"{base}/lager/"),
            one("loopback", f"http://127.0.0.2:{port}/god/"),
            one("metadata", f"http://{METADATA}:{port}/"),
            one("fallor", f"{base}/fallor/", "feed", f'hosts = ["{INTERNAL}"]'),
            one("bort", f"{base}/bort/"),
            one("borta", f"https://{GONE}/nyheter/"),
            one("djup", f"{base}/djup/"),
            one("brus", f"{base}/brus.html"),
            one("rapport", f"{base}/rapport.pdf", "pdf"),
            one("bild", f"{base}/bild/"),
            one("latin-utf8", f"{base}/latin-utf8/"),
            one("latin-1", f"{base}/latin-1/"),
            one("upptagen", f"{base}/upptagen/"),
            one("trasig", f"{base}/trasig.xml", "feed"),
            one("flode", f"{base}/flode/", "feed"),
            one("tom", f"{base}/tom/", "feed"),
            one("press", f"{base}/pressflode/", "feed", f'fallback = "{base}/lista/"'),
            one("skratt", f"{base}/skratt.xml", "feed"),
            one("krasch", f"{base}/krasch/"),
            one("saknas", f"{base}/saknas.xml", "feed"),
            one("intern", f"{base}/intern/"),
            one("robotsfel", f"{down.base}sida/"),
        ]
    )


def _resolver(host: str, port: int) -> list[str]:
    known = {METADATA: ["169.254.169.254"], INTERNAL: ["10.9.8.7"], "localhost": ["127.0.0.1"]}
    if host in known:
        return known[host]
    raise FetchError(f"cannot resolve {host} (Name or service not known)")


def test_every_failure_mode_in_one_cycle(
    sites: tuple[LocalSite, LocalSite],
    catalog: Any,
    fake_slack: FakeSlack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One cycle over every hostile source and six good ones: one line each, the rest posted."""
    import tomllib

    from ifo_watch.collect import parse_sources

    site, down = sites
    public = netsafe.public_address
    monkeypatch.setattr(
        netsafe, "public_address", lambda address: address == "127.0.0.1" or public(address)
    )
    real = pipeline.extract_figures

    def crashing(doc: Any, **kwargs: Any) -> Any:
        if str(getattr(doc, "url", "")).endswith("/krasch/"):
            raise RuntimeError("oväntat tabellformat")
        return real(doc, **kwargs)

    monkeypatch.setattr(pipeline, "extract_figures", crashing)
    sources = parse_sources(tomllib.loads(_sources_toml(site, down)))
    env = {
        "SLACK_BOT_TOKEN": fake_slack.token,
        "SLACK_CHANNEL": ALERTS,
        "SLACK_ERROR_CHANNEL": ERRORS,
        "IFO_WATCH_SLACK_BASE_URL": fake_slack.api_url,
        "IFO_WATCH_SLACK_BACKOFF": "0",
    }
    store = Store.open(tmp_path / "state")
    pipeline.ensure_baseline(store, catalog=catalog)  # the seeds, before the clock starts
    lines: list[str] = []
    fetcher = Fetcher(
        backoff=0,
        deadline=FETCH_DEADLINE,
        max_bytes=5_000_000,
        allow_private=False,
        resolver=_resolver,
    )
    started = time.monotonic()
    with fetcher:
        report = pipeline.run_cycle(
            store,
            sources,
            fetcher=fetcher,
            notifier=SlackNotifier(SlackSettings.from_env(env)),
            catalog=catalog,
            settings=pipeline.Settings(alert_new="all"),
            log=lines.append,
        )
    elapsed = time.monotonic() - started
    assert elapsed < CYCLE_DEADLINE, f"the cycle took {elapsed:.1f} s"
    by_name = {s.name: s for s in report.sources}
    assert set(by_name) == set(FAILING) | set(GOOD_SOURCES) | {"fallor"}

    for name, needle in FAILING.items():
        source = by_name[name]
        assert source.failed, f"{name} reported ok"
        assert len(source.errors) == 1, (name, source.errors)
        [line] = source.errors
        assert "\n" not in line and needle in line, (name, line)
    traps = by_name["fallor"]
    assert len(traps.errors) == TRAPS and traps.fetched == 1, traps.errors
    assert all(" refused " in line for line in traps.errors), traps.errors
    for name in GOOD_SOURCES:
        good = by_name[name]
        assert not good.failed and good.fetched >= 1 and not good.errors, good
    error_lines = [line for line in lines if line.startswith("error")]
    assert len(error_lines) == len(FAILING) + TRAPS  # each failure once, nothing else

    changes = {c.id for c in report.changes}
    assert changes, "the good sources gave no change"
    posted = [i for m in fake_slack.posted(ALERTS) for i in change_ids(m["text"])]
    assert sorted(posted) == sorted(changes)  # every change posted, once
    notices = " ".join(m["text"] for m in fake_slack.posted(ERRORS))
    for name in [*FAILING, "fallor"]:
        assert f"källan {name} kunde inte läsas" in notices, name
    assert report.post_errors == ()
    print(
        f"\nhostile drill: {len(FAILING) + 1} failing sources ({len(error_lines)} lines),"
        f" {len(GOOD_SOURCES)} good, {len(changes)} changes posted, cycle {elapsed:.1f} s"
    )
