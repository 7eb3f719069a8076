"""Every command is documented: in the README's table of commands, with an example in its help."""

from __future__ import annotations

from pathlib import Path

import pytest

from ifo_watch.cli import main

README = (Path(__file__).parents[2] / "README.md").read_text("utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme_with_an_example(name: str) -> None:
    """The README's table names the command, and its --help shows a real example."""
    assert f"| `ifo-watch {name}" in README, f"{name} is missing from the README's commands"
    command = main.commands[name]
    assert "Example" in (command.help or ""), f"{name} has no example in its help"
