"""Time the CLI's start-up, and `diff` against a state of 10 000 documents and 1M figures.

Usage: ./dev bench state [--documents 10000] [--figures 1000000] [--repeat 5]
                         [--cache DIR] [--budget 600]

Prints, each the median of --repeat runs of the installed `ifo-watch` in a child process
(wall time, Python's start-up and imports included):

- start-up: `ifo-watch --help`; `ifo-watch extract` of the smallest seed (--format json);
  `ifo-watch --state EMPTY diff` (the pending list of an empty state);
- the large state: its size on disk and its rows; the time of one `diff PATH` (a
  generated page of 12 kB the state has never seen; nothing is recorded), against a
  state seeded with the bundled seeds only and against the large state, and what the
  large state adds beyond start-up; the time of `diff` (the pending list) against it.

The large state is built once by bench/state_builder.py and kept under --cache, in a
folder named after its size and a hash of the installed track/ modules, so a changed
schema or store builds a new one. Building it takes a minute or two (a 400-document
template through `track.seed`, copied with SQL: see bench/state_builder.py for why);
the size it got is printed.
The last line: `help_s=... extract_s=... diff_s=... state_mb=... diff_path_ms=...
diff_path_beyond_startup_ms=... pending_s=...`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ifo_watch.track as track_stage
from swedish import page

ROOT = Path(__file__).resolve().parent.parent


def default_cache() -> Path:
    """Return the folder that keeps the large state between runs."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ifo-watch" / "bench"


def ifo_watch_bin() -> str:
    found = Path(sys.executable).with_name("ifo-watch")
    if not found.exists():
        sys.exit(f"no ifo-watch beside {sys.executable}: run this with ./dev bench state")
    return str(found)


def child_env() -> dict[str, str]:
    """The caller's environment less Slack and ifo-watch settings (a fixed lemma cache)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "IFO_WATCH_"))}
    return env


def timed(command: list[str], *, repeat: int, env: dict[str, str]) -> float:
    """Return the median wall time of a command, after one untimed warm-up run."""
    times = []
    for attempt in range(repeat + 1):
        started = time.perf_counter()
        proc = subprocess.run(command, env=env, capture_output=True, check=False)
        took = time.perf_counter() - started
        if proc.returncode not in (0, 1):
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
            sys.exit(f"{' '.join(command[1:])} exited {proc.returncode}: {tail}")
        if attempt:
            times.append(took)
    return statistics.median(times)


def fingerprint() -> str:
    """Return a hash of the installed track/ modules: a new store means a new state."""
    folder = Path(track_stage.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def large_state(args: argparse.Namespace) -> tuple[Path, dict[str, object]]:
    """Return the cached large state (building it the first time) and what it holds."""
    folder = args.cache / f"state-{args.documents}-{args.figures}-{fingerprint()}"
    built = folder / "built.json"
    if not built.exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"building the large state in {folder} (once; minutes) ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "state_builder.py"),
                str(folder),
                "--documents",
                str(args.documents),
                "--figures",
                str(args.figures),
                "--budget",
                str(args.budget),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    info: dict[str, object] = json.loads(built.read_text("utf-8"))
    return folder, info


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.glob("ifo-watch.db*")) / 1e6


def main() -> None:
    """Print the start-up times, the large state's size and the diff times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--figures", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=default_cache())
    parser.add_argument("--budget", type=float, default=600.0, help="seconds to build the state")
    args = parser.parse_args()
    cli, env = ifo_watch_bin(), child_env()
    seed = min((ROOT / "seeds").glob("*.txt"), key=lambda p: p.stat().st_size)
    with tempfile.TemporaryDirectory(prefix="ifo-watch-state-") as tmp:
        scratch = Path(tmp)
        env["IFO_WATCH_LEMMA_CACHE"] = str(scratch / "lemmas-sv.tsv")
        doc = scratch / "ny-rapport.html"
        doc.write_bytes(page(1919, 90_001, min_bytes=11_000, max_bytes=13_000))
        repeat = args.repeat
        help_s = timed([cli, "--help"], repeat=repeat, env=env)
        extract_s = timed([cli, "extract", str(seed), "--format", "json"], repeat=repeat, env=env)
        empty = scratch / "empty"
        diff_s = timed([cli, "--state", str(empty), "diff"], repeat=repeat, env=env)
        print(f"start-up, median of {repeat} (wall time of the command, imports included):")
        print(f"  ifo-watch --help                  {help_s:6.3f} s")
        print(f"  ifo-watch extract {seed.name} {extract_s:6.3f} s")
        print(f"  ifo-watch diff (empty state)      {diff_s:6.3f} s")
        small = scratch / "seeded"
        subprocess.run(
            [cli, "--state", str(small), "seed"], env=env, check=True, capture_output=True
        )
        small_s = timed([cli, "--state", str(small), "diff", str(doc)], repeat=repeat, env=env)
        folder, info = large_state(args)
        counts = info["counts"]
        assert isinstance(counts, dict)
        size = disk_mb(folder)
        print(
            f"large state: {counts.get('document_versions')} document versions,"
            f" {counts.get('figures')} figures, {counts.get('observations')} observations,"
            f" {counts.get('baseline')} baseline keys, {counts.get('changes')} pending changes;"
            f" {size:.0f} MB on disk"
        )
        print(
            f"  built in {info['seconds']:.0f} s (template through track.seed"
            f" {info['template_seconds']:.0f} s, copies {info['copy_seconds']:.0f} s);"
            " track.ingest of one fresh page against it: "
            + ", ".join(f"{s:.2f}" for s in info["ingest_seconds"])  # type: ignore[attr-defined]
            + " s"
        )
        large = scratch / "large"
        shutil.copytree(folder, large)  # diff records nothing, but a run must never touch the cache
        big_s = timed([cli, "--state", str(large), "diff", str(doc)], repeat=repeat, env=env)
        pending_s = timed([cli, "--state", str(large), "diff"], repeat=repeat, env=env)
    print(f"diff PATH (a 12 kB page), median of {repeat}:")
    print(f"  against the bundled seeds only    {small_s:6.3f} s")
    print(f"  against the large state           {big_s:6.3f} s")
    print(f"  the large state's part            {(big_s - small_s) * 1000:6.0f} ms")
    print(f"  beyond diff's start-up            {(big_s - diff_s) * 1000:6.0f} ms")
    print(f"diff (pending list) against the large state: {pending_s:.3f} s")
    print(
        f"help_s={help_s:.3f} extract_s={extract_s:.3f} diff_s={diff_s:.3f} state_mb={size:.0f}"
        f" diff_path_ms={big_s * 1000:.0f}"
        f" diff_path_beyond_startup_ms={(big_s - diff_s) * 1000:.0f}"
        f" pending_s={pending_s:.3f}"
    )


if __name__ == "__main__":
    main()
