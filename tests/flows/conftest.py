"""Prefect for the flow tests: quiet, kept in a temporary PREFECT_HOME, one harness a session.

Prefect reads its settings from the environment when it is first imported, so they are
set here, before any test module imports it. Nothing reaches a Prefect server of the
machine's (PREFECT_API_URL is dropped) nor `~/.prefect`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from types import ModuleType

import pytest

os.environ.pop("PREFECT_API_URL", None)
os.environ.pop("PREFECT_PROFILE", None)
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="ifo-watch-prefect-")
os.environ.update(
    {
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
    }
)


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for the session's in-process flow runs (7-20 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture(scope="session")
def flows_watch() -> ModuleType:
    """The watch flow module as `ifo-watch serve` loads it: from the installed flows/ folder."""
    from ifo_watch.cli import _flows_module

    module = _flows_module("watch")
    sys.modules.setdefault(module.__name__, module)
    return module
