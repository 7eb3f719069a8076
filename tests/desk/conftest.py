"""Fixtures of the review desk's tests: its catalog and clock, and a state built on them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from deskkit import CATALOG, NOW, Desk, build_state

from ifo_watch import cli
from ifo_watch.extract import Catalog


@pytest.fixture
def desk_catalog(monkeypatch: pytest.MonkeyPatch) -> Iterator[Catalog]:
    """The desk's catalog and clock, for the CLI too."""
    catalog = Catalog.load(CATALOG)
    monkeypatch.setattr(cli, "_catalog", lambda: catalog)
    monkeypatch.setattr(cli, "_now", lambda: NOW)
    yield catalog


@pytest.fixture
def desk(tmp_path: Path, desk_catalog: Catalog) -> Desk:
    """A state with a seeded baseline and four pending changes (two documents)."""
    state = tmp_path / "state"
    build_state(state, desk_catalog)
    return Desk(state)
