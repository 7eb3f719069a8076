"""A local site in the structure of Socialstyrelsen's, served over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from pipelinesite import Site
from pytest_httpserver import HTTPServer

SITE = Path(__file__).parent / "site"
PAGES = {
    "/nyheter/orosanmalningar-2023/": "orosanmalningar-2023.html",
    "/nyheter/lagesrapport-ifo/": "lagesrapport-ifo.html",
    "/nyheter/tandvard/": "lagesrapport-ifo.html",
}


@pytest.fixture
def site(httpserver: HTTPServer, tmp_path: Path) -> Site:
    """Serve the feed and its articles; the SKR listing answers 503 (a failing source)."""
    base = httpserver.url_for("/")
    feed = (SITE / "feed.xml").read_text("utf-8").replace("{BASE}", base)
    httpserver.expect_request("/feed.xml").respond_with_data(
        feed, content_type="application/rss+xml; charset=utf-8"
    )
    for path, name in PAGES.items():
        body = (SITE / name).read_text("utf-8")
        httpserver.expect_request(path).respond_with_data(
            body, content_type="text/html; charset=utf-8"
        )
    httpserver.expect_request("/skr/nyheter/").respond_with_data("nere", status=503)
    sources = tmp_path / "sources.toml"
    template = (Path(__file__).parent / "sources.toml").read_text("utf-8")
    sources.write_text(template.replace("{BASE}", base), "utf-8")
    return Site(httpserver, base, sources)
