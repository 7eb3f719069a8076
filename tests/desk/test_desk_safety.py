"""Page text on the terminal: markup and emoji codes print as written, escape codes never pass."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from deskkit import NOW, OROS, Desk, fig

from ifo_watch.cli import main
from ifo_watch.extract import Catalog
from ifo_watch.models import Document
from ifo_watch.notify import clean
from ifo_watch.track import baseline

EVIL_TITLE = "Rapport [/bold] root:x:0 \x1b[31mröd\x1b[0m \x1b]0;hacked\x07slut\u202e"


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("[/bold] [red]x[/red] :x:", "[/bold] [red]x[/red] :x:"),  # not ours to interpret
        ("\x1b[31mröd\x1b[0m", "röd"),  # CSI (colours)
        ("\x1b[2J\x1b[Hrensad", "rensad"),  # clear screen, cursor home
        ("\x1b]0;titel\x07kvar", "kvar"),  # OSC: the window title, ended by BEL
        ("\x1b]8;;https://x.se\x1b\\länk\x1b]8;;\x1b\\", "länk"),  # OSC 8 hyperlink, ended by ST
        ("\x9b31mC1\x9b0m", "C1"),  # the 8-bit CSI
        ("a\x00b\x07c\x08d\x7fe", "abcde"),
        ("höger\u202evänster\u2066", "högervänster"),  # bidirectional overrides
        ("två\n\trader  här", "två rader här"),
    ],
)
def test_clean(text: str, cleaned: str) -> None:
    assert clean(text) == cleaned


def test_clean_keeps_lines_when_asked() -> None:
    assert clean("a\x1b[1m\r\nb\tc", lines=True) == "a\nb\tc"


def test_history_prints_a_title_with_markup_and_escape_codes_literally(
    desk: Desk, desk_catalog: Catalog
) -> None:
    """A stored title and quote with markup, an emoji code and escapes: as written, codes gone."""
    doc = Document(
        url="https://example.se/rapport",
        text="x",
        title=EVIL_TITLE,
        published=date(2025, 2, 1),
        publisher="Socialstyrelsen",
    )
    baseline.ingest(
        desk.store(),
        doc,
        [fig("orosanmalningar", OROS, 410000, "2024", quote="[b]410 000[/b] :x:")],
        now=NOW,
        extractor_version="t",
        catalog=desk_catalog,
    )
    code, out, err = desk.run("history", "orosanmalningar", columns=100)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1].rstrip() == (
        " 2024     410 000   [b]410 000[/b] :x:   Rapport [/bold] root:x:0 röd slut"
        "               2025-02-01"
    )
    assert not any(ch in out for ch in "\x1b\x07\u202e❌")


def test_extract_prints_a_title_with_markup_and_escape_codes_literally(tmp_path: Path) -> None:
    """`extract` of a page whose heading holds markup and escape codes: no MarkupError."""
    page = tmp_path / "rapport.html"
    page.write_text(
        "<html><body><h1>Rapport [/bold] root:x:0 &#x1b;[H&#x1b;[Jröd</h1>"
        "<p>Under 2023 kom 402 000 orosanmälningar om barn in [red]:x:[/red].</p></body></html>",
        "utf-8",
    )
    result = CliRunner().invoke(main, ["extract", str(page)], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].strip() == "Rapport [/bold] root:x:0 röd"
    assert "\x1b" not in result.stdout and "❌" not in result.stdout
