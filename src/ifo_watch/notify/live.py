"""The live display of a watch cycle on a terminal (rich), apart from the plain lines.

A rich progress display shows the sources done, the one being read (with the time it
has taken so far, so a hanging source is seen at once) and the changes found so far;
each source's line is printed above it as the source finishes. Its own module so that a
cycle printed to a pipe, a file or Prefect's log never loads rich.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from ifo_watch.notify.progress import PlainProgress, SourceLike, source_line
from ifo_watch.notify.terminal import clean


class LiveProgress(PlainProgress):
    """A rich progress display on a terminal; the source lines are printed above it."""

    def __init__(self, console: Console, *, lines: bool = True) -> None:
        super().__init__()
        self._console = console
        self._lines = lines
        self._changes = 0
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}", markup=False),
            BarColumn(bar_width=20),
            MofNCompleteColumn(),
            TextColumn("sources · {task.fields[changes]} changes", markup=False),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            redirect_stdout=True,
            redirect_stderr=True,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> LiveProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def start(self, total: int) -> None:
        """Show the display for `total` sources."""
        self._task = self._progress.add_task("starting", total=total, changes=0)

    def source_started(self, name: str) -> None:
        """Show the source now being read."""
        if self._task is not None:
            self._progress.update(self._task, description=clean(name))

    def source_done(self, report: SourceLike) -> None:
        """Count the source done and print its line above the display."""
        self._changes += len(report.changes)
        if self._task is not None:
            self._progress.update(self._task, advance=1, changes=self._changes)
        if self._lines:
            self._progress.console.print(Text(source_line(report)))

    def delivering(self) -> None:
        """Show that the outbox is being delivered."""
        if self._task is not None:
            self._progress.update(self._task, description="delivering")
