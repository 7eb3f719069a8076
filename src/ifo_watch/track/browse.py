"""Browse the state in Datasette: the command line that opens it, read-only, with metadata.

Datasette is an optional extra (`pip install 'ifo-watch[browse]'`); nothing here imports
it. The shipped `data/metadata.yml` describes the tables (English) and titles them
(Swedish); the database's foreign keys make the rows link to each other.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from ifo_watch import resources
from ifo_watch.errors import UsageError
from ifo_watch.track.store import DB_NAME

INSTALL_HINT = "Datasette is not installed: pip install 'ifo-watch[browse]'"


def datasette_installed() -> bool:
    """Return True when Datasette can be imported by this Python."""
    return importlib.util.find_spec("datasette") is not None


def metadata_file() -> Path:
    """Return the Datasette metadata shipped with the package."""
    return resources.data_file("metadata.yml")


def browse_command(
    state_dir: Path, *, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False
) -> list[str]:
    """Return the command that serves the state's database in Datasette.

    Datasette opens a database file that may change read-only, so it can run beside
    watch cycles. The state must exist: browsing never creates one.
    """
    database = state_dir / DB_NAME
    if not database.is_file():
        raise UsageError(f"no state database in {state_dir}")
    if not datasette_installed():
        raise UsageError(INSTALL_HINT)
    command = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        str(database),
        "--metadata",
        str(metadata_file()),
        "--host",
        host,
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "5000",
    ]
    return [*command, "--open"] if open_browser else command
