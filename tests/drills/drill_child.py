"""Run one `ifo-watch run` and die as by `kill -9` at the Nth pass through a point.

`python drill_child.py STATE SOURCES POINT N` (POINT "none" never dies). The points:
fetch (before an HTTP fetch), extract (before a document's extraction), commit (inside a
document's transaction, before it commits), committed (just after), compose (after a
digest is frozen), post (before a post to Slack), posted (after Slack took it, before
the mark), marked (after the mark), history (before a look at the channel's history).
`os._exit` skips every cleanup, as a kill does: open transactions, files, sockets.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from ifo_watch import pipeline, track
from ifo_watch.cli import main
from ifo_watch.collect.fetch import Fetcher
from ifo_watch.notify.slack import WebhookTarget, WebTarget
from ifo_watch.track.store import Store

KILLED = 137
# The points are passes through this process: documents are read and extracted on its
# own thread, not on reading processes (a kill there is the pool's own test).
os.environ["IFO_WATCH_WORKERS"] = "0"
point, nth = sys.argv[3], int(sys.argv[4])
hits = 0


def _hit(name: str) -> None:
    global hits
    if name == point:
        hits += 1
        if hits == nth:
            sys.stdout.flush()
            os._exit(KILLED)


def _wrap(owner: Any, attr: str, name: str, *, after: bool) -> None:
    original: Callable[..., Any] = getattr(owner, attr)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not after:
            _hit(name)
        result = original(*args, **kwargs)
        if after:
            _hit(name)
        return result

    setattr(owner, attr, wrapper)


_wrap(Fetcher, "get", "fetch", after=False)
_wrap(pipeline, "extract", "extract", after=False)
_wrap(Store, "add_observations", "commit", after=True)
_wrap(track, "ingest", "committed", after=True)
_wrap(Store, "freeze", "compose", after=True)
for target in (WebTarget, WebhookTarget):
    _wrap(target, "post", "post", after=False)
    _wrap(target, "post", "posted", after=True)
    _wrap(target, "find", "history", after=False)
_wrap(Store, "message_sent", "marked", after=True)
main(["--state", sys.argv[1], "run", "--sources", sys.argv[2], "--alert-new", "all"])
