"""Shared fixtures: the fake Slack server; every test site lives on 127.0.0.1."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
# Tests keep their lemma cache apart from the user's.
os.environ.setdefault(
    "IFO_WATCH_LEMMA_CACHE", str(Path(tempfile.gettempdir()) / "ifo-watch-test-lemmas.tsv")
)

# Test sites are served on 127.0.0.1: allow loopback (refusal tests pass
# allow_private=False explicitly) and drop the polite pause between requests.
os.environ.setdefault("IFO_WATCH_ALLOW_PRIVATE", "1")
os.environ.setdefault("IFO_WATCH_FETCH_DELAY", "0")

from fakeslack import FakeSlack, serve_fake_slack


@pytest.fixture(autouse=True)
def _no_robots_txt(request: pytest.FixtureRequest) -> None:
    """Unknown paths of the test server answer 404, as a site without robots.txt does."""
    if "httpserver" in request.fixturenames:
        request.getfixturevalue("httpserver").no_handler_status_code = 404


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A fake Slack Web API on 127.0.0.1 that slack-sdk talks to over HTTP."""
    with serve_fake_slack() as fake:
        yield fake
