"""Shared fixtures: the fake Slack server."""

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

from fakeslack import FakeSlack, serve_fake_slack


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A fake Slack Web API on 127.0.0.1 that slack-sdk talks to over HTTP."""
    with serve_fake_slack() as fake:
        yield fake
