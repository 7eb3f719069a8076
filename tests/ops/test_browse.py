"""`ifo-watch browse`: Datasette on the state with the shipped metadata, or a one-line hint."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from ifo_watch import cli, track
from ifo_watch.track import DB_NAME, Store

FIXTURE = Path(__file__).parents[1] / "store" / "fixtures" / "state_m003.sql"


def _state(folder: Path) -> Path:
    folder.mkdir()
    conn = sqlite3.connect(folder / DB_NAME)
    conn.executescript(FIXTURE.read_text("utf-8"))
    conn.close()
    Store.open(folder).close()  # migrated to today's schema
    return folder


def test_without_datasette_a_one_line_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the optional extra: one line naming what to install, exit 2."""
    state = _state(tmp_path / "state")
    monkeypatch.setattr("ifo_watch.track.browse.datasette_installed", lambda: False)
    result = CliRunner().invoke(cli.main, ["--state", str(state), "browse"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "error: Datasette is not installed: pip install 'ifo-watch[browse]'\n",
    )


def test_the_metadata_describes_every_table_and_column(tmp_path: Path) -> None:
    """Every table and view of the schema has a Swedish title and an English description;
    every column of the two views is described."""
    store = Store.open(tmp_path)
    meta = yaml.safe_load(track.browse.metadata_file().read_text("utf-8"))
    tables = meta["databases"]["ifo-watch"]["tables"]
    names = set(store.db.table_names()) - {"_sqlite_migrations"} | set(store.db.view_names())
    assert names <= set(tables), names - set(tables)
    for name in names:
        assert tables[name]["title"] and tables[name]["description"], name
    for view in ("changes_with_pages", "series"):
        columns = {c.name for c in store.db[view].columns}
        assert columns == set(tables[view]["columns"]), columns ^ set(tables[view]["columns"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return json.loads(answer.read())


def test_datasette_serves_the_state_with_its_views(tmp_path: Path) -> None:
    """The command `browse` runs serves the views, the metadata and the canned query."""
    pytest.importorskip("datasette")
    state = _state(tmp_path / "state")
    port = _free_port()
    command = track.browse_command(state, port=port)
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/ifo-watch"
    try:
        for _ in range(100):
            try:
                rows = _get(f"{base}/changes_with_pages.json?_shape=array&status=accepted")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(server.stderr.read().decode() if server.stderr else "no answer")
        [accepted] = rows
        assert accepted["new_quote"] and accepted["page"].startswith("http://127.0.0.1:")
        # a seed whose original page was never found: its file, with the manifest's date
        assert (accepted["old_page"], accepted["old_published"]) == (
            "seeds/004_e3b5061050b5b3ab.txt",
            "2012-03-06",
        )
        series = _get(f"{base}/serie.json?_shape=array&metric=orosanmalningar")
        assert {r["value"] for r in series} >= {331000, 401000}
        meta = _get(f"http://127.0.0.1:{port}/-/metadata.json")
        assert meta["databases"]["ifo-watch"]["tables"]["changes"]["title"] == "Ändringar"
        with urllib.request.urlopen(f"{base}/changes", timeout=5) as answer:
            assert "Ändringar" in answer.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)
