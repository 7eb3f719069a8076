"""Time the watch cycle over 200 and 1 000 local pages, side by side with urlwatch 2.29.

Usage: ./dev bench cycle [--quick] [--sizes 200,1000] [--runs 3] [--budget 840]
                         [--cache DIR] [--profile N] [--workers N]

A server on 127.0.0.1 serves generated pages of 5-20 kB of Swedish IFO text with
figures (bench/swedish.py, seed 19), each with an ETag and a Last-Modified, and answers
conditional requests with 304. For each size, in the same run and against the same
pages, it times:

- ifo-watch through its CLI, `ifo-watch --state DIR run --sources FILE`, with Slack
  unset (the digest goes to the terminal), a new state and lemma cache each run;
- urlwatch 2.29, installed by this script into a cached virtualenv under --cache (pip
  from the package registry), as `urlwatch --urls urls.yaml --config urlwatch.yaml
  --hooks hooks.py --cache cache.db` with HOME pointed at a scratch folder;

each on a first cycle (empty state) and on a no-change cycle right after (every page
answered 304). Wall time is the child process's, start-up included; peak memory is the
child's ru_maxrss (os.wait4). urlwatch fetches 10 at a time with no delay between
requests, so ifo-watch gets the same politeness here: every source says `delay = 0`
and `concurrency = 8` (the most a sources file allows), and IFO_WATCH_ALLOW_PRIVATE=1
lets it fetch from 127.0.0.1.
urlwatch's jobs are plain URL jobs: it keeps each page's bytes and diffs them as text,
extracting nothing.

Each size is run up to --runs times and the medians are printed; when the time spent so
far says another run would overrun --budget seconds (the whole benchmark must finish
within 15 minutes on 2 cores), fewer runs are made at the larger size, and the output
says how many. The last line is

    ratio_first=... ratio_nochange=... per_source_growth=...

ratio_* = ifo-watch's wall time / urlwatch's, the worse of the sizes; per_source_growth
= ifo-watch's time per source at the largest size / at the smallest, the worse of the
first and the no-change cycle. --profile N runs one first cycle of N pages under
cProfile instead and prints where its time goes (compiled extractor code shows under
its Python caller, `pipeline.extract`; the reading processes are not profiled, their
results are taken in `reading.Readers.take`). --workers N sets ifo-watch's reading
processes (IFO_WATCH_WORKERS; 0 reads on the cycle's thread); by default ifo-watch
starts as many as the machine has idle cores when the cycle starts (reading.default_workers).
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from swedish import page

SEED = 19
URLWATCH = "urlwatch==2.29"
LAST_MODIFIED = email.utils.formatdate(1_725_264_000, usegmt=True)  # 2024-09-02
WORKERS = 10  # urlwatch's worker.MAX_WORKERS
IFO_CONCURRENCY = 8  # the most a sources file allows (collect/sources.py)
# Nothing of the caller's Slack, state or proxies reaches the children.
DROPPED_ENV = ("SLACK_", "IFO_WATCH_", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
WORKERS_SETTING: dict[str, str] = {}  # IFO_WATCH_WORKERS when --workers is given


def default_cache() -> Path:
    """Return the folder that keeps urlwatch's virtualenv between runs."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ifo-watch" / "bench"


# -- the site -------------------------------------------------------------------------


@dataclass
class Site:
    """The served pages and a count of the answers given since the last reset."""

    pages: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    answers: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""

    def fill(self, count: int) -> None:
        """Generate pages 0..count-1 (kept: a larger size reuses the smaller's pages)."""
        for number in range(len(self.pages), count):
            body = page(SEED, number)
            etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            self.pages[f"/sida/{number}/"] = (body, etag)

    def urls(self, count: int) -> list[str]:
        return [f"{self.base}sida/{number}/" for number in range(count)]

    def take_answers(self) -> Counter[int]:
        with self.lock:
            answers, self.answers = self.answers, Counter()
        return answers


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            found = site.pages.get(self.path)
            if found is None:
                status, body, etag = 404, b"saknas", None
            else:
                body, etag = found
                status = 304 if self._fresh(etag) else 200
            self.send_response(status)
            if etag:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
            if status == 304:
                self.send_header("Content-Length", "0")
                body = b""
            else:
                ctype = "text/html; charset=utf-8" if etag else "text/plain; charset=utf-8"
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            with site.lock:
                site.answers[status] += 1

        def _fresh(self, etag: str) -> bool:
            asked = self.headers.get("If-None-Match")
            if asked is not None:
                return etag in [tag.strip() for tag in asked.split(",")]
            since = self.headers.get("If-Modified-Since")
            if since:
                try:
                    return email.utils.parsedate_to_datetime(
                        since
                    ) >= email.utils.parsedate_to_datetime(LAST_MODIFIED)
                except (TypeError, ValueError):
                    return False
            return False

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client gone at exit
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    """Serve the site on 127.0.0.1 in a thread of this process."""
    server = _Server(("127.0.0.1", 0), _handler(site))
    site.base = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


# -- the children ---------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    """One child process: wall time, peak memory, exit status, and what the site answered."""

    seconds: float
    peak_mb: float
    status: int
    answers: tuple[tuple[int, int], ...]
    stopped: bool = False  # killed at the cap: `seconds` is a lower bound


def child_env(**extra: str) -> dict[str, str]:
    """Return the environment of a child: the caller's, less Slack, state and proxies."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(DROPPED_ENV)}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env.update(extra)
    return env


def measure(
    command: list[str], *, env: dict[str, str], cwd: Path, site: Site, cap: float | None = None
) -> Measured:
    """Run a command to its end (or kill it after `cap` s); time it, read its peak memory."""
    site.take_answers()
    name = Path(command[0]).name
    with (
        open(cwd / f"{name}.out", "ab") as out,
        open(cwd / f"{name}.err", "ab") as err,
    ):
        started = time.perf_counter()
        proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err)
        killer = threading.Timer(cap, proc.kill) if cap is not None else None
        if killer is not None:
            killer.start()
        _, wait_status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        if killer is not None:
            killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(wait_status)
    answers = tuple(sorted(site.take_answers().items()))
    stopped = cap is not None and proc.returncode == -9 and seconds >= cap
    return Measured(seconds, usage.ru_maxrss / 1024, proc.returncode, answers, stopped)


def ifo_watch_bin() -> Path:
    """Return the installed CLI beside this interpreter (./dev's .venv)."""
    found = Path(sys.executable).with_name("ifo-watch")
    if not found.exists():
        sys.exit(f"no ifo-watch beside {sys.executable}: run this with ./dev bench cycle")
    return found


def ifo_watch_setup(folder: Path, urls: list[str]) -> tuple[list[str], dict[str, str]]:
    """Write the sources file (urlwatch's politeness: no delay, 10 at a time)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = folder / "sources.toml"
    sources.write_text(
        "".join(
            f'[[sources]]\nname = "sida-{number:04d}"\npublisher = "Socialstyrelsen"\n'
            f'url = "{url}"\nkind = "page"\ndelay = 0\nconcurrency = {IFO_CONCURRENCY}\n\n'
            for number, url in enumerate(urls)
        ),
        "utf-8",
    )
    command = [
        str(ifo_watch_bin()),
        "--state",
        str(folder / "state"),
        "run",
        "--sources",
        str(sources),
    ]
    env = child_env(
        IFO_WATCH_ALLOW_PRIVATE="1",
        IFO_WATCH_LEMMA_CACHE=str(folder / "lemmas-sv.tsv"),
        **WORKERS_SETTING,
    )
    return command, env


def urlwatch_venv(cache: Path) -> Path:
    """Return urlwatch's executable, installing it into a cached virtualenv the first time."""
    venv = cache / f"urlwatch-2.29-py{sys.version_info.major}.{sys.version_info.minor}"
    executable = venv / "bin" / "urlwatch"
    stamp = venv / ".installed"
    if stamp.exists() and executable.exists():
        return executable
    shutil.rmtree(venv, ignore_errors=True)
    print(f"installing {URLWATCH} into {venv} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", URLWATCH],
        check=True,
    )  # fmt: skip
    stamp.write_text(URLWATCH + "\n", "utf-8")
    return executable


def urlwatch_setup(
    folder: Path, urls: list[str], executable: Path
) -> tuple[list[str], dict[str, str]]:
    """Write urls.yaml, urlwatch.yaml and hooks.py for plain URL jobs on 127.0.0.1."""
    folder.mkdir(parents=True, exist_ok=True)
    home = folder / "home"
    home.mkdir(exist_ok=True)
    (folder / "urls.yaml").write_text(
        "\n---\n".join(
            f'name: "sida-{number:04d}"\nurl: "{url}"' for number, url in enumerate(urls)
        )
        + "\n",
        "utf-8",
    )
    # Merged over urlwatch's DEFAULT_CONFIG (storage.py): the text report on stdout only.
    (folder / "urlwatch.yaml").write_text(
        "display:\n  new: true\n  error: true\n  unchanged: false\n"
        "report:\n  stdout:\n    enabled: true\n    color: false\n",
        "utf-8",
    )
    (folder / "hooks.py").write_text("# no hooks: plain URL jobs\n", "utf-8")
    command = [
        str(executable),
        "--urls",
        str(folder / "urls.yaml"),
        "--config",
        str(folder / "urlwatch.yaml"),
        "--hooks",
        str(folder / "hooks.py"),
        "--cache",
        str(folder / "cache.db"),
    ]
    return command, child_env(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))


# -- one size --------------------------------------------------------------------------


@dataclass
class Runs:
    """Every run at one size: (first, no-change) for each tool."""

    size: int
    ifo_first: list[Measured] = field(default_factory=list)
    ifo_same: list[Measured] = field(default_factory=list)
    uw_first: list[Measured] = field(default_factory=list)
    uw_same: list[Measured] = field(default_factory=list)


def one_run(
    site: Site, size: int, folder: Path, urlwatch: Path, runs: Runs, *, cap: float
) -> float:
    """Run both tools' first and no-change cycles once, interleaved; return the time taken.

    ifo-watch's first cycle is killed after `cap` seconds, so that the benchmark ends
    within its budget; its time is then a lower bound and its no-change cycle is not run
    (the state holds only part of the pages).
    """
    started = time.perf_counter()
    urls = site.urls(size)
    ifo_cmd, ifo_env = ifo_watch_setup(folder / "ifo-watch", urls)
    uw_cmd, uw_env = urlwatch_setup(folder / "urlwatch", urls, urlwatch)
    ifo_dir, uw_dir = folder / "ifo-watch", folder / "urlwatch"
    runs.ifo_first.append(measure(ifo_cmd, env=ifo_env, cwd=ifo_dir, site=site, cap=cap))
    runs.uw_first.append(measure(uw_cmd, env=uw_env, cwd=uw_dir, site=site))
    if runs.ifo_first[-1].stopped:
        print(f"  ifo-watch's first cycle of {size} stopped at the cap of {cap:.0f} s", flush=True)
        runs.ifo_same.append(Measured(float("nan"), float("nan"), 0, (), stopped=True))
    else:
        runs.ifo_same.append(measure(ifo_cmd, env=ifo_env, cwd=ifo_dir, site=site))
    runs.uw_same.append(measure(uw_cmd, env=uw_env, cwd=uw_dir, site=site))
    for tool, got in (
        ("ifo-watch", runs.ifo_first[-1]),
        ("ifo-watch", runs.ifo_same[-1]),
        ("urlwatch", runs.uw_first[-1]),
        ("urlwatch", runs.uw_same[-1]),
    ):
        if got.status != 0 and not got.stopped:
            err = (folder / tool / f"{tool}.err").read_text("utf-8").strip()
            tail = err.splitlines()[-1] if err else ""
            if got.status == 2 or tool == "urlwatch":  # wrong usage: nothing was measured
                sys.exit(f"{tool} exited {got.status}: {tail}")
            print(f"  warning: {tool} exited {got.status}: {tail}", flush=True)
    return time.perf_counter() - started


def median_of(items: list[Measured]) -> tuple[float, float]:
    """Return the median wall time and the median peak memory."""
    return (
        statistics.median(m.seconds for m in items),
        statistics.median(m.peak_mb for m in items),
    )


def answers_text(items: list[Measured]) -> str:
    return ", ".join(f"{n}×{status}" for status, n in items[-1].answers) or "none"


def run_sizes(args: argparse.Namespace) -> list[Runs]:
    """Run every size as often as --runs and the budget allow."""
    urlwatch = urlwatch_venv(args.cache)
    started = time.perf_counter()
    results: list[Runs] = []
    site = Site()
    site.fill(max(args.sizes))
    with serve(site), tempfile.TemporaryDirectory(prefix="ifo-watch-cycle-") as tmp:
        for index, size in enumerate(args.sizes):
            runs = Runs(size)
            later = args.sizes[index + 1 :]
            for number in range(args.runs):
                # What is left of the budget, less a minute for urlwatch and the report.
                cap = max(30.0, args.budget - (time.perf_counter() - started) - 60)
                folder = Path(tmp) / f"{size}-{number}"
                took = one_run(site, size, folder, urlwatch, runs, cap=cap)
                print(
                    f"  {size} sources, run {number + 1}: ifo-watch"
                    f" {runs.ifo_first[-1].seconds:.2f} s / {runs.ifo_same[-1].seconds:.2f} s,"
                    f" urlwatch {runs.uw_first[-1].seconds:.2f} s /"
                    f" {runs.uw_same[-1].seconds:.2f} s ({took:.0f} s)",
                    flush=True,
                )
                spent = time.perf_counter() - started
                # A later size costs at least (its size / this size) times this run.
                ahead = sum(took * later_size / size for later_size in later)
                if spent + took + ahead > args.budget:
                    break
            results.append(runs)
    return results


# -- the report ------------------------------------------------------------------------


def report(results: list[Runs]) -> str:
    """Print the table and return the last line."""
    print()
    print(
        f"politeness: ifo-watch is given urlwatch's settings for this benchmark: every source"
        f" has delay = 0 and concurrency = {IFO_CONCURRENCY}, the most a sources file allows"
        f" (urlwatch: {WORKERS} workers, no delay); IFO_WATCH_ALLOW_PRIVATE=1; Slack unset."
        " ifo-watch records its sources one after another, fetches ahead of them on up to"
        f" {IFO_CONCURRENCY} threads (collect.Ahead), within that limit, and reads and extracts"
        " pages ahead on forked processes (reading.Readers; "
        + (
            f"IFO_WATCH_WORKERS={WORKERS_SETTING['IFO_WATCH_WORKERS']})"
            if WORKERS_SETTING
            else "its default: the cores idle when the cycle starts, at most 4)"
        )
    )
    print(
        f"{'cycle':<22}{'runs':>5}  {'ifo-watch':>18}  {'urlwatch 2.29':>18}  {'ratio':>7}"
        "   answers (ifo-watch | urlwatch, last run)"
    )
    ratios: dict[str, list[float]] = {"first": [], "same": []}
    per_source: dict[str, list[tuple[int, float]]] = {"first": [], "same": []}
    bound = False  # a ratio rests on a cycle stopped at the cap: a lower bound
    for runs in results:
        for kind, ifo, uw in (
            ("first", runs.ifo_first, runs.uw_first),
            ("same", runs.ifo_same, runs.uw_same),
        ):
            label = f"{runs.size} pages, " + ("first" if kind == "first" else "no change")
            done = [m for m in ifo if m.seconds == m.seconds]  # NaN: not run
            if not done:
                print(f"{label:<22}{0:>5}  not measured: the first cycle was stopped")
                continue
            (ifo_s, ifo_mb), (uw_s, uw_mb) = median_of(done), median_of(uw)
            stopped = any(m.stopped for m in done)
            bound |= stopped
            ratio = ifo_s / uw_s
            ratios[kind].append(ratio)
            per_source[kind].append((runs.size, ifo_s / runs.size))
            mark = ">=" if stopped else "  "
            print(
                f"{label:<22}{len(done):>5}  {mark}{ifo_s:>7.2f} s {ifo_mb:>5.0f} MB "
                f" {uw_s:>7.2f} s {uw_mb:>5.0f} MB  {mark}{ratio:>6.2f}x"
                f"   {answers_text(done)} | {answers_text(uw)}"
            )
    for kind in ("first", "same"):
        print(
            f"ifo-watch per source, {'first' if kind == 'first' else 'no-change'} cycle: "
            + ", ".join(f"{cost * 1000:.1f} ms at {size}" for size, cost in per_source[kind])
        )
    growth = max(
        (costs[-1][1] / costs[0][1] for costs in per_source.values() if len(costs) > 1),
        default=float("nan"),
    )
    if bound:
        print("'>=': ifo-watch was stopped at the cap: that time, and what rests on it, is a bound")
    return (
        f"ratio_first={max(ratios['first'], default=float('nan')):.2f}"
        f" ratio_nochange={max(ratios['same'], default=float('nan')):.2f}"
        f" per_source_growth={growth:.2f}"
    )


def profile(args: argparse.Namespace, size: int) -> None:
    """Run one first cycle of `size` pages under cProfile; print the heaviest functions."""
    import pstats

    site = Site()
    site.fill(size)
    with serve(site), tempfile.TemporaryDirectory(prefix="ifo-watch-profile-") as tmp:
        folder = Path(tmp)
        command, env = ifo_watch_setup(folder, site.urls(size))
        out = args.profile_out or folder / "cycle.prof"
        command = [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(out),
            "-m",
            "ifo_watch.cli",
            *command[1:],
        ]
        got = measure(command, env=env, cwd=folder, site=site)
        print(f"first cycle of {size} pages under cProfile: {got.seconds:.1f} s ({got.status})")
        stats = pstats.Stats(str(out))
        total = max(s[3] for s in stats.stats.values())  # type: ignore[attr-defined]
        for title, key in (("cumulative", "cumulative"), ("own time", "tottime")):
            print(f"\nheaviest by {title} (share of the whole run, {total:.1f} s):")
            rows = sorted(
                stats.stats.items(),  # type: ignore[attr-defined]
                key=lambda item: item[1][3 if key == "cumulative" else 2],
                reverse=True,
            )
            for (path, line, name), (calls, _, own, cum, _) in rows[:25]:
                value = cum if key == "cumulative" else own
                where = f"{Path(path).parent.name}/{Path(path).name}:{line}" if line else path
                print(f"  {value / total:6.1%} {value:7.2f} s {calls:>9} calls  {name}  {where}")


def main() -> None:
    """Run the benchmark and print its table and last line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="20 and 100 pages, one run each")
    parser.add_argument("--sizes", default="200,1000", help="comma-separated source counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (medians)")
    parser.add_argument("--budget", type=float, default=840.0, help="seconds for all runs")
    parser.add_argument("--cache", type=Path, default=default_cache())
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--profile-out", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=None, help="ifo-watch's reading processes")
    args = parser.parse_args()
    if args.workers is not None:
        WORKERS_SETTING["IFO_WATCH_WORKERS"] = str(args.workers)
    if args.profile:
        profile(args, args.profile)
        return
    args.sizes = [20, 100] if args.quick else sorted(int(s) for s in args.sizes.split(","))
    if args.quick:
        args.runs = 1
    started = time.perf_counter()
    print(
        f"ifo-watch cycle benchmark: sizes {args.sizes}, up to {args.runs} runs each"
        f" (budget {args.budget:.0f} s), pages of 5-20 kB (bench/swedish.py, seed {SEED})",
        flush=True,
    )
    results = run_sizes(args)
    last = report(results)
    print(f"benchmark took {time.perf_counter() - started:.0f} s")
    print(last)


if __name__ == "__main__":
    main()
