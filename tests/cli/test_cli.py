"""The command line: help, exit codes, one-line errors, and the contract's shapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ifo_watch.cli import main
from ifo_watch.models import FIGURE_KEYS
from ifo_watch.resources import seeds_dir
from ifo_watch.track.store import Store

SEED = seeds_dir() / "001_575160f7dc9292e0.txt"
DEMO_ARTICLE = (
    Path(__file__).parents[2]
    / "src/ifo_watch/data/demo_site/socialstyrelsen/aktuellt/lagesrapport-ifo-2024/index.html"
)
COMMANDS = [
    "accept",
    "backup",
    "browse",
    "demo",
    "diff",
    "extract",
    "feed",
    "history",
    "metrics",
    "reextract",
    "reject",
    "run",
    "seed",
    "serve",
    "status",
    "undo",
]


def invoke(*args: str, state: Path | None = None) -> tuple[int, str, str]:
    prefix = ["--state", str(state)] if state else []
    result = CliRunner().invoke(main, [*prefix, *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_help_lists_every_command() -> None:
    """The top-level help names each command of the contract and the review commands."""
    code, out, _ = invoke("--help")
    assert code == 0
    listed = [line.split()[0] for line in out.split("Commands:")[1].strip().splitlines()]
    assert listed == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    """Each command's help carries a real example line."""
    code, out, _ = invoke(command, "--help")
    assert code == 0
    assert f"ifo-watch {command}" in out.split("Example")[1]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["extract", "nope.txt"], "error: no such file: nope.txt"),
        (["diff", "nope.pdf"], "error: no such file: nope.pdf"),
        (["seed", "nope.txt"], "error: no such file: nope.txt"),
        (["run", "--sources", "nope.toml"], "error: no such sources file: nope.toml"),
        (["accept"], "error: name the changes to accept, or --all"),
        (["serve", "--sources", "nope.toml"], "error: no such sources file: nope.toml"),
        (["serve", "--timezone", "Europe/Stokholm"], "error: unknown timezone: Europe/Stokholm"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], line: str, tmp_path: Path) -> None:
    """Wrong usage and unreadable input: exit 2, one line on stderr, no traceback."""
    code, out, err = invoke(*args, state=tmp_path / "state")
    assert (code, out, err) == (2, "", line + "\n")


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    """`diff` on a missing file fails before it builds any baseline."""
    invoke("diff", "nope.txt", state=tmp_path / "state")
    assert not Store.open(tmp_path / "state").has_baseline()


def test_token_without_channel_is_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SLACK_BOT_TOKEN without SLACK_CHANNEL is a usage error (exit 2)."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.delenv("SLACK_CHANNEL", raising=False)
    code, _, err = invoke("run", state=tmp_path / "state")
    assert (code, err) == (2, "error: SLACK_BOT_TOKEN is set but SLACK_CHANNEL is not\n")


def test_extract_json_has_the_contract_shape() -> None:
    """`extract --format json` gives an array of figures with every contract key."""
    code, out, _ = invoke("extract", str(SEED), "--format", "json")
    assert code == 0
    figures = json.loads(out)
    assert figures and all(list(f) == list(FIGURE_KEYS) for f in figures)
    drygt = next(f for f in figures if " ".join(f["quote"].split()) == "drygt 50 000")
    assert (drygt["value"], drygt["unit"], drygt["qualifier"], drygt["period"]) == (
        50000,
        "antal",
        "drygt",
        "2021",
    )
    assert (drygt["low"], drygt["high"]) == (50000, 55000)
    assert " ".join(drygt["sentence"].split()) == (
        "Antalet barn i familjer med långvarigt bistånd låg 2021 på drygt 50 000."
    )


def test_seed_twice_changes_nothing(tmp_path: Path) -> None:
    """Running `seed` twice leaves the same state."""
    state = tmp_path / "state"
    code, first, _ = invoke("seed", state=state)
    assert code == 0 and first.startswith("baseline: ") and first != "baseline: 0 figures added\n"
    dump = "\n".join(Store.open(state).db.iterdump())
    assert invoke("seed", state=state)[1] == "baseline: 0 figures added\n"
    assert "\n".join(Store.open(state).db.iterdump()) == dump


def test_diff_of_a_document_records_nothing(tmp_path: Path) -> None:
    """`diff PATH` compares with the seeded baseline and records no change."""
    state = tmp_path / "state"
    code, out, _ = invoke("diff", str(DEMO_ARTICLE), "--format", "json", state=state)
    assert code == 0
    changes = json.loads(out)
    share = next(c for c in changes if c["old"] and c["old"]["value"] == 43)
    assert (share["status"], share["kind"], share["new"]["value"]) == (None, "changed", 47)
    assert share["delta"] == 4
    assert invoke("diff", "--format", "json", state=state)[1].strip() == "[]"
    assert invoke("diff", state=state)[1] == "no changes\n"


def test_cli_does_not_import_prefect() -> None:
    """The CLI module and the commands most used never load Prefect."""
    code = (
        "import sys, ifo_watch.cli, ifo_watch.pipeline, ifo_watch.track;"
        "assert 'prefect' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_serve_refuses_a_taken_port_before_it_starts_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A port in use is a usage error, found before Prefect is loaded or a file is written."""
    import socket

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = invoke("serve", "--port", str(port), state=tmp_path / "state")
    assert (code, out) == (2, "")
    assert err == f"error: port {port} on 127.0.0.1 is taken: choose another with --port\n"
    assert not (tmp_path / "state").exists()
    assert str(tmp_path) not in os.environ.get("PREFECT_HOME", "")  # the environment untouched
