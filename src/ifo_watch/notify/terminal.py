"""Text from pages made safe for a terminal, and the one rich Console the CLI prints with.

Titles, quotes and URLs come from web pages: a title holding "[/bold]" must print as
written (rich would read it as markup and raise), ":x:" must not become an emoji, and
an escape sequence must never reach the terminal (it could recolour, retitle or clear
it, or hide text). So every piece of page text goes through `clean`, and the console
has markup, emoji codes and highlighting off.
"""

from __future__ import annotations

import builtins
import os
import re
import shutil
import sys
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:  # rich loads when a console is made
    from rich.console import Console

# ESC sequences: CSI ("\x1b[31m"), OSC up to BEL or ST ("\x1b]8;;url\x07", titles), and
# the two-character ones; C1 controls (U+0080-U+009F) include an 8-bit CSI of their own.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x1b[@-Z\\-_]?"
)
# Controls left after that, and the bidirectional overrides that reorder what is shown.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
DEFAULT_WIDTH = 160  # when printing to a file or a pipe and COLUMNS is not set


def clean(text: str | None, *, lines: bool = False) -> str:
    """Return page text without escape sequences and control characters.

    With `lines`, newlines and tabs are kept (a digest, a multi-line message);
    otherwise every run of whitespace becomes one space (a table cell, a title).
    """
    if not text:
        return ""
    text = _CONTROLS.sub("", _ESCAPES.sub("", text))
    if lines:
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return " ".join(text.split())


def width(stream: IO[str] | None = None) -> int | None:
    """Return the width to print at: COLUMNS when set, the terminal's, else 160."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    out = stream or sys.stdout
    if out.isatty():
        return None  # rich asks the terminal
    return DEFAULT_WIDTH


def columns(stream: IO[str] | None = None) -> int:
    """Return the columns to lay text out in: COLUMNS, the terminal's width, else 160."""
    found = width(stream)
    if found is not None:
        return found
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


def console(*, stderr: bool = False) -> Console:
    """Return a Console that prints text as written: no markup, no emoji codes, no highlighting."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    return Console(
        file=stream,
        soft_wrap=False,
        width=width(stream),
        markup=False,
        emoji=False,
        highlight=False,
    )


def plain(stream: IO[str] | None = None) -> bool:
    """Return True when `console()` would print to the stream without styles or colours.

    That is when rich does not take it for a terminal: no tty, and neither FORCE_COLOR
    nor TTY_COMPATIBLE set (rich's overrides), nor a notebook. Then what it prints is the
    text alone, which `report.changes_text` writes without loading rich.
    """
    if os.environ.get("FORCE_COLOR") is not None or os.environ.get("TTY_COMPATIBLE"):
        return False
    if sys.platform == "win32":  # rich writes a long text there in parts
        return False
    if hasattr(builtins, "get_ipython"):
        return False
    out = stream or sys.stdout
    try:
        return not out.isatty() and width(out) is not None
    except (AttributeError, ValueError):
        return False
