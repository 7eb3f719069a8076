"""How a watch cycle reports while it runs: plain lines, and the summary and JSON of a cycle.

On a terminal, a rich progress display shows the sources done, the one being read
(with the time it has taken so far, so a hanging source is seen at once) and the
changes found so far; each source's line is printed above it as the source finishes.
Anywhere else (CI, cron, Prefect's log) the same lines come plain, one per source as
it finishes. The cycle's result is summed up the same way, and as one JSON document.

The pipeline hands over its own report records; this module needs only their fields
(`SourceLike`, `CycleLike`), so it does not import the pipeline. The live display is
`live.py`: rich loads only on a terminal (about 12 ms of every cycle printed to a pipe).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ifo_watch.models import Change
from ifo_watch.notify.terminal import clean


class SourceLike(Protocol):
    """What a source's report of one cycle holds (pipeline.SourceReport)."""

    @property
    def name(self) -> str: ...
    @property
    def fetched(self) -> int: ...
    @property
    def unchanged(self) -> int: ...
    @property
    def changes(self) -> tuple[Change, ...]: ...
    @property
    def errors(self) -> tuple[str, ...]: ...
    @property
    def failed(self) -> bool: ...


class CycleLike(Protocol):
    """What a cycle's report holds (pipeline.CycleReport)."""

    @property
    def sources(self) -> Sequence[SourceLike]: ...
    @property
    def changes(self) -> tuple[Change, ...]: ...
    @property
    def errors(self) -> tuple[str, ...]: ...
    @property
    def posted(self) -> int: ...


def plural(count: int, one: str, many: str | None = None) -> str:
    """Return '1 change', '2 changes', '1 error'."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def source_line(report: SourceLike) -> str:
    """Return 'name: ok, 2 fetched, 0 unchanged, 1 change' (FAILED when it could not be read)."""
    status = "FAILED" if report.failed else "ok"
    return (
        f"{clean(report.name)}: {status}, {report.fetched} fetched, {report.unchanged} unchanged, "
        f"{plural(len(report.changes), 'change')}"
    )


def summary_line(report: CycleLike, *, dry_run: bool = False) -> str:
    """Return '2 changes, 2 posted, 1 error' ('would post 2' on a dry run)."""
    delivered = f"would post {report.posted}" if dry_run else f"{report.posted} posted"
    return (
        f"{plural(len(report.changes), 'change')}, {delivered}, "
        f"{plural(len(report.errors), 'error')}"
    )


def cycle_json(report: CycleLike, *, dry_run: bool = False) -> str:
    """Return `run --format json`: the sources, the changes found, what was posted, errors."""
    return json.dumps(
        {
            "dry_run": dry_run,
            "sources": [
                {
                    "name": s.name,
                    "status": "failed" if s.failed else "ok",
                    "fetched": s.fetched,
                    "unchanged": s.unchanged,
                    "changes": len(s.changes),
                    "errors": list(s.errors),
                }
                for s in report.sources
            ],
            "changes": [c.to_json() for c in report.changes],
            "posted": report.posted,
            "errors": list(report.errors),
        },
        ensure_ascii=False,
        indent=2,
    )


class PlainProgress:
    """A line per source as it finishes (`write`), and the source being read to `log`."""

    def __init__(
        self,
        write: Callable[[str], Any] | None = None,
        log: Callable[[str], Any] = lambda line: None,
    ) -> None:
        self._write = write
        self._log = log

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def start(self, total: int) -> None:
        """Note how many sources the cycle reads."""
        self._log(f"reading {plural(total, 'source')}")

    def source_started(self, name: str) -> None:
        """Note the source now being read."""
        self._log(f"{clean(name)}: reading")

    def source_done(self, report: SourceLike) -> None:
        """Print the source's line."""
        if self._write is not None:
            self._write(source_line(report))

    def delivering(self) -> None:
        """Note that the cycle now delivers the outbox."""
        self._log("delivering")
