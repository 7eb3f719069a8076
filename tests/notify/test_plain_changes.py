"""`changes_text` prints what rich prints for `changes_view` on a plain stream, to the byte."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from ifo_watch.models import Change, Figure, Observation
from ifo_watch.notify import terminal
from ifo_watch.notify.report import changes_text, changes_view

# Mostly what pages hold; now and then what only rich can measure (wide, combining,
# zero-width), and spaces of other kinds, which `clean` folds.
LETTERS = "abcdefghijklmnopqrstuvwxyzåäöéüABCDEÅÄÖ0123456789"
ODD = "–—−-.,:;%()/§·→≈×…'\"&<>[]*«»€‰½²"
RARE = "中\u0301\u200b\t\u00a0\u2009😀ŉǅ"
RARE_WORD = st.text(alphabet=LETTERS + RARE, min_size=1, max_size=6)


@st.composite
def text(draw: st.DrawFn) -> str:
    """A few words; one in twenty texts holds a word with a character rich must measure."""
    words = draw(st.lists(st.text(alphabet=LETTERS + ODD, min_size=1, max_size=14), max_size=12))
    if draw(st.integers(min_value=0, max_value=19)) == 0 or not words:
        words.insert(draw(st.integers(min_value=0, max_value=len(words))), draw(RARE_WORD))
    return " ".join(words)


# A label of spaces alone is no label (`_change_list` gives it an empty line: see below).
TEXT = text().filter(lambda t: bool(t.split()))


def _obs(value: float, period: str | None, publisher: str) -> Observation:
    figure = Figure(
        metric="m",
        label="l",
        value=value,
        unit="procent",
        quote=f"{value} procent",
        sentence="En mening.",
        period=period,
    )
    return Observation(figure, source=f"https://{publisher}.se/a", published=date(2024, 3, 1))


@st.composite
def changes(draw: st.DrawFn) -> list[Change]:
    found = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        old = draw(st.none() | st.floats(min_value=0, max_value=1e6, allow_nan=False))
        new = draw(st.floats(min_value=0, max_value=1e6, allow_nan=False))
        period = draw(st.none() | st.sampled_from(["2021", "2019–2021", "2023-Q2"]))
        publisher = draw(st.sampled_from(["www.socialstyrelsen", "skr", "x" * 30]))
        found.append(
            Change(
                kind="new" if old is None else "changed",
                metric="m",
                label=draw(TEXT),
                unit="procent",
                new=_obs(new, period, publisher),
                old=None if old is None else _obs(old, period, publisher),
                region=draw(st.none() | TEXT),
                group=draw(st.none() | st.sampled_from(["flickor", "pojkar 13–17 år"])),
                delta=None if old is None else new - old,
                id=draw(st.sampled_from(["faf64fdf", "0a1b2c3d", "", None])),
                status=draw(st.sampled_from(["pending", "accepted", "rejected", None])),
            )
        )
    return found


def _rich(found: list[Change], *, ids: bool, statuses: bool, width: int) -> str:
    """What `ifo-watch diff` printed through rich, to a stream that is not a terminal."""
    out = io.StringIO()
    console = Console(
        file=out, soft_wrap=False, width=width, markup=False, emoji=False, highlight=False
    )
    console.print(changes_view(found, ids=ids, statuses=statuses, publications={}, width=width))
    return out.getvalue()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    found=changes(),
    ids=st.booleans(),
    statuses=st.booleans(),
    width=st.integers(min_value=20, max_value=220),
)
def test_plain_text_is_what_rich_prints(
    found: list[Change], ids: bool, statuses: bool, width: int
) -> None:
    """Table or list, any width: the plain text equals rich's, or it declines (None)."""
    text = changes_text(found, ids=ids, statuses=statuses, publications={}, width=width)
    if text is not None:
        assert text == _rich(found, ids=ids, statuses=statuses, width=width)


@pytest.mark.parametrize("width", [160, 100, 80, 60])
def test_common_pages_take_the_plain_path(width: int) -> None:
    """Swedish text at common widths is written plain (the test above is not vacuous)."""
    found = [
        Change(
            kind="changed",
            metric="m",
            label="Andel barn som lever i hushåll med ekonomiskt bistånd",
            unit="procent",
            region="Västernorrlands län",
            new=_obs(37.5, "2019–2021", "www.socialstyrelsen"),
            old=_obs(41.0, "2018", "www.socialstyrelsen"),
            delta=-3.5,
            id="faf64fdf",
            status="pending",
        )
    ] * 3
    text = changes_text(found, ids=True, statuses=True, publications={}, width=width)
    assert text is not None
    assert text == _rich(found, ids=True, statuses=True, width=width)


def test_plain_only_where_rich_would_print_no_styles(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pipe is plain; a terminal, FORCE_COLOR or TTY_COMPATIBLE leave it to rich."""
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    assert terminal.plain(io.StringIO())

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert not terminal.plain(Tty())
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not terminal.plain(io.StringIO())
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    assert not terminal.plain(io.StringIO())


def test_diff_path_does_not_load_rich(tmp_path: object) -> None:
    """Printing a document's changes to a pipe loads neither rich nor soupsieve."""
    script = (
        "import sys\n"
        "from ifo_watch.notify.report import changes_text\n"
        "from ifo_watch.notify import terminal\n"
        "print(terminal.plain(sys.stdout), 'rich' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "False"]


def test_a_change_with_a_blank_label_still_gets_its_lines() -> None:
    """A label of spaces alone wraps to no line: the change is listed all the same."""
    from ifo_watch.notify.report import _change_list

    change = Change(
        kind="changed",
        metric="m",
        label="   ",
        unit="procent",
        new=_obs(12.0, "2023", "skr"),
        old=_obs(10.0, "2022", "skr"),
    )
    lines = _change_list([change], ids=False, statuses=False, publications={}, width=60)
    assert len(lines) >= 3 and "10" in "".join(lines) and "12" in "".join(lines)
