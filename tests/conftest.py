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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run a test once when tests/drills re-exports it and its own file is collected too.

    The drills import the fuzzing and state-lock tests from their own files so that
    `./dev drills` runs them; a whole run (`./dev test`) collects both and keeps the
    original.
    """
    drills = Path(__file__).parent / "drills"

    def function(item: pytest.Item) -> object:
        return getattr(item, "function", None)

    originals = {function(i) for i in items if drills not in i.path.parents}
    copies = [
        i
        for i in items
        if drills in i.path.parents
        and function(i) in originals
        and getattr(function(i), "__module__", None)
        != getattr(getattr(i, "module", None), "__name__", None)
    ]
    if copies:
        config.hook.pytest_deselected(items=copies)
        items[:] = [i for i in items if i not in copies]


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
