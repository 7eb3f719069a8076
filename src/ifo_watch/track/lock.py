"""The state folder's cycle lock: one watch cycle at a time, whoever starts it.

The state is single-writer SQLite, so every cycle (`ifo-watch run`, the Prefect flow
under `ifo-watch serve` or a worker) takes this lock first, and a second one refuses
with one line naming the holder. It is an OS file lock (`flock`) on `cycle.lock`: the
kernel drops it with the process that held it, so a lock left by a killed cycle is
simply taken over (its holder line is still in the file and is reported). A state
folder on a network file system shared by several machines needs one writer by
arrangement: flock over NFS is not to be trusted.
"""

from __future__ import annotations

import fcntl
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ifo_watch.errors import StateBusy, StoreError

LOCK_NAME = "cycle.lock"


@contextmanager
def hold_state(
    state_dir: Path, *, holder: str, log: Callable[[str], None] = lambda line: None
) -> Iterator[None]:
    """Hold the state folder for one cycle; raise `StateBusy` naming whoever holds it.

    `holder` says what this cycle is ("ifo-watch run", "Prefect flow run 'x'"); the
    process id, host and start time are added. A holder line left by a process that
    ended without releasing (killed) is reported through `log` and replaced.
    """
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(state_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot lock the state in {state_dir}: {exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            current = _read(fd) or "another process"
            raise StateBusy(
                f"the state in {state_dir} is in use by {current}; one cycle at a time"
            ) from None
        left = _read(fd)
        if left:
            log(f"took over the state lock left by {left}, which ended without releasing it")
        since = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        _write(fd, f"{holder} (pid {os.getpid()} on {socket.gethostname()}, since {since})")
        try:
            yield
        finally:
            _write(fd, "")
    finally:
        os.close(fd)  # closing the file releases the flock


def _read(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 4096).decode("utf-8", "replace").strip()


def _write(fd: int, text: str) -> None:
    os.ftruncate(fd, 0)
    os.pwrite(fd, text.encode("utf-8"), 0)
