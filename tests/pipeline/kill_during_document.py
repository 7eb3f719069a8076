"""Run one watch cycle and die (as by SIGKILL) while recording the second document.

Used by test_cycle.py: `python kill_during_document.py STATE_DIR SOURCES_FILE`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ifo_watch import pipeline
from ifo_watch.collect.fetch import Fetcher
from ifo_watch.collect.sources import load_sources
from ifo_watch.extract.catalog import Catalog
from ifo_watch.notify import TerminalNotifier
from ifo_watch.track.store import Store

calls = 0
original = Store.add_figures


def add_figures_then_die(self: Store, *args: object, **kwargs: object) -> object:
    """Write the second document's figures, then die before the transaction commits."""
    global calls
    result = original(self, *args, **kwargs)  # type: ignore[arg-type]
    calls += 1
    if calls == 2 + len(list(pipeline.seed_paths())):
        os._exit(137)
    return result


class NeverPosts(TerminalNotifier):
    """Leave the outbox as it is, so the test can see it was kept."""

    def target(self, destination: str) -> object:  # type: ignore[override]
        raise SystemExit("not expected: delivery happens after the documents")


Store.add_figures = add_figures_then_die  # type: ignore[method-assign]
state, sources = Path(sys.argv[1]), Path(sys.argv[2])
with Fetcher() as fetcher:
    pipeline.run_cycle(
        Store.open(state),
        load_sources(sources),
        fetcher=fetcher,
        notifier=NeverPosts(),
        catalog=Catalog.load(),
    )
sys.exit("the cycle ended without being killed")
