"""Measure extract() throughput on Swedish text, on one core, with per-stage ratios.

Usage: ./dev bench [--mb 5] [--repeat 3] [--dense]

The text is the bundled seeds (real Socialstyrelsen and SKR pages, about 1 400 figures
per MB; 21 kB in all) repeated to the wanted size, cut into documents of about 20 kB each.
The catalog remembers what each word holds, so repeated text is cheap: a second run gives
every document a catalog of its own, for the throughput on words not seen before. With
--dense the hand-written corpus pages under tests/ (about 3 000 figures per MB) are
added. Prints MB/s for the whole extract() as installed (compiled with mypyc by ./dev) and,
in a child process, interpreted from src/; the ceiling that sentence splitting plus
numbers.find_numbers alone allow; and each stage's share of the interpreted time (a
profiler does not see into compiled code).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ifo_watch.extract import figures
from ifo_watch.extract.catalog import Catalog
from ifo_watch.models import Document

ROOT = Path(__file__).resolve().parent.parent
DOC_SIZE = 20_000
# Stage name -> functions whose cumulative time makes up the stage.
STAGES: dict[str, tuple[str, ...]] = {
    "numbers (numbers.find_numbers)": ("find_numbers",),
    "places (regions.find_places)": ("find_places",),
    "periods": ("find_periods", "survey_year", "heading_period"),
    "metric identity (catalog)": ("identify", "_is_referential", "_reuse_derived"),
    "groups": ("find_group",),
    "splitting (blocks, sentences)": ("_blocks", "_sentence_spans"),
}


# The hand-written gold corpora; the blind set stays out, so that it never tunes speed work.
DENSE_FOLDERS = ("tests/corpus/docs", "tests/heldout/docs")


def corpus_text(*, dense: bool = False) -> str:
    """Return the Swedish text the benchmark runs on."""
    parts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    if dense:
        for folder in DENSE_FOLDERS:
            parts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / folder).glob("*.txt"))]
    return "\n\n".join(parts)


def documents(megabytes: float, *, dense: bool = False) -> list[Document]:
    """Cut the repeated corpus into documents of about DOC_SIZE characters."""
    base = corpus_text(dense=dense)
    want = int(megabytes * 1_000_000)
    text = (base + "\n\n") * (want // (len(base) + 2) + 1)
    docs: list[Document] = []
    for start in range(0, want, DOC_SIZE):
        cut = text.rfind("\n\n", start, start + DOC_SIZE)
        end = cut if cut > start else start + DOC_SIZE
        docs.append(Document(url=f"bench:{start}", text=text[start:end]))
    return docs


def build() -> str:
    """Say whether the extractor runs compiled (a wheel built by ./dev) or interpreted."""
    from ifo_watch.extract import catalog, numbers, periods, regions

    modules = (figures, numbers, catalog, periods, regions)
    compiled = [m.__name__ for m in modules if Path(m.__file__ or "").suffix in (".so", ".pyd")]
    if len(compiled) == len(modules):
        return "compiled with mypyc"
    return "pure Python" if not compiled else f"partly compiled ({', '.join(compiled)})"


def run(docs: list[Document], catalog: Catalog) -> int:
    """Extract every document; return the number of figures."""
    return sum(len(figures.extract(doc, catalog=catalog)) for doc in docs)


def run_cold(docs: list[Document]) -> float:
    """Time extracting every document with a catalog of its own: its word caches start empty.

    Each catalog is loaded, untimed, just before its document: a process holds one.
    """
    seconds = 0.0
    for doc in docs:
        catalog = Catalog.load()
        start = time.perf_counter()
        figures.extract(doc, catalog=catalog)
        seconds += time.perf_counter() - start
    return seconds


def stage_ratios(docs: list[Document], catalog: Catalog) -> dict[str, float]:
    """Return each stage's share of extract() time, from a profile of one pass."""
    profile = cProfile.Profile()
    profile.enable()
    run(docs, catalog)
    profile.disable()
    stats: Any = pstats.Stats(profile).stats
    total = sum(tt for (_, _, name), (_, _, tt, _, _) in stats.items())
    out: dict[str, float] = {}
    for stage, names in STAGES.items():
        summed = sum(ct for (_, _, name), (_, _, _, ct, _) in stats.items() if name in names)
        out[stage] = min(summed, total) / total if total else 0.0
    return out


def ceiling(docs: list[Document]) -> int:
    """Split and find numbers only: the part of extract() that is not figures.py's own."""
    from ifo_watch.extract.numbers import find_numbers

    count = 0
    for doc in docs:
        for sentence in figures.sentences(doc.text):
            if not sentence.quiet:
                count += len(find_numbers(sentence.text))
    return count


def best_of(repeat: int, func: Callable[[], int]) -> tuple[float, int]:
    """Return the fastest wall time of `repeat` runs, and the result."""
    best, result = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def interpreted(args: argparse.Namespace) -> dict[str, Any]:
    """Measure the same run on the sources under src/, interpreted, in a child process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, __file__, "--mb", str(args.mb), "--repeat", str(args.repeat)]
    if args.dense:
        command.append("--dense")
    out = subprocess.run(
        [*command, "--json"], env=env, check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, Any] = json.loads(out)
    return result


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Time extract() and the ceiling; profile the stages on a fifth of the text."""
    catalog = Catalog.load()
    docs = documents(args.mb, dense=args.dense)
    size = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    run(docs[:5], catalog)  # warm caches and lazy imports
    seconds, count = best_of(args.repeat, lambda: run(docs, catalog))
    floor, _ = best_of(args.repeat, lambda: ceiling(docs))
    cold = min(run_cold(docs) for _ in range(args.repeat))
    kind = build()
    return {
        "build": kind,
        "size": size,
        "documents": len(docs),
        "figures": count,
        "seconds": seconds,
        "ceiling": floor,
        "cold": cold,
        # A profiler sees into interpreted code only: the child process reports them.
        "stages": stage_ratios(docs[: max(1, len(docs) // 5)], catalog)
        if kind == "pure Python"
        else {},
    }


def main() -> None:
    """Print MB/s for the whole extract(), compiled and interpreted, and the stage shares."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dense", action="store_true", help="add the figure-dense test corpus")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    got = measure(args)
    if args.json:
        print(json.dumps(got))
        return
    size, seconds = got["size"], got["seconds"]
    print(f"extractor: {got['build']}")
    print(f"text: {size:.2f} MB in {got['documents']} documents, {got['figures']} figures")
    print(f"extract(): {seconds:.2f} s, {size / seconds:.2f} MB/s on one core")
    print(
        f"extract() with a new catalog for each document (its word caches cold): "
        f"{size / got['cold']:.2f} MB/s"
    )
    stages = got["stages"]
    if got["build"] != "pure Python":
        pure = interpreted(args)
        print(
            f"extract() interpreted (src/): {pure['seconds']:.2f} s, "
            f"{size / pure['seconds']:.2f} MB/s ({size / pure['cold']:.2f} MB/s with new "
            f"catalogs); compiled is {pure['seconds'] / seconds:.2f}x"
        )
        stages = pure["stages"]
    print(f"figures per MB: {got['figures'] / size:.0f}")
    floor = got["ceiling"]
    print(
        f"ceiling (sentence splitting + numbers.find_numbers only): {size / floor:.2f} MB/s, "
        f"{seconds / floor:.2f}x faster than extract()"
    )
    print("share of interpreted extract() time by stage (profiled pass):")
    for stage, ratio in stages.items():
        print(f"  {stage:34s} {ratio:6.1%}")


if __name__ == "__main__":
    main()
