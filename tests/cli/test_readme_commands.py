"""The README documents every command: a row of the commands table and an example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ifo_watch.cli import main

README = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
COMMANDS = sorted(main.commands)


def _section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.index("\n## ", start + 1)
    return README[start:end]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_a_row_and_an_example(command: str) -> None:
    """`| ifo-watch NAME` in the table, and a line `ifo-watch NAME ...` in the examples."""
    commands = _section("Commands")
    assert re.search(rf"^\| `ifo-watch {command}\b", commands, re.MULTILINE), command
    examples = commands.split("Examples, one per command:")[1].split("```")[1]
    assert re.search(rf"^ifo-watch (?:-\w+ )*{command}\b", examples, re.MULTILINE), command


@pytest.mark.parametrize(
    "command", ["run", "seed", "accept", "reject", "undo", "history", "metrics"]
)
def test_every_json_output_has_its_shape_in_the_readme(command: str) -> None:
    """The shapes of the JSON outputs beyond the contract's are documented."""
    assert f"`{command}" in _section("Output for scripts and other tools")
