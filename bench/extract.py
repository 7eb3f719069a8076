"""Measure extract() throughput on Swedish text, on one core, and how it grows with input.

Usage: ./dev bench [extract] [--mb 5] [--repeat 3]

Three texts, each timed as installed (compiled with mypyc by ./dev) and, in a child
process, interpreted from src/:

- the seeds: the bundled Socialstyrelsen and SKR pages (21 kB in all), each one
  document, repeated to --mb (a blog post's readers' comments end what is read of it, so
  texts are never glued together);
- the gold corpora: the hand-written pages of tests/corpus and tests/heldout, the same way;
- a long report: about 150 pages of generated Swedish report text with 30 tables
  (bench/swedish.py), as ONE document, as a PDF report reaches the extractor.

The catalog remembers what each word holds, so repeated text is cheap: the seeds are
also timed with a new catalog for every document, for words not seen before. Then the
growth: the report cut to 1/16 of its length and doubled up to 16/16, each one document;
a time per kB that stays flat is linear growth. Also printed: the ceiling that sentence
splitting plus numbers.find_numbers alone allow, and each stage's share of the
interpreted time (a profiler does not see into compiled code). The last line sums it up.
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
from ifo_watch.models import Document, Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from swedish import report as long_report  # noqa: E402

REPORT_SEED = 19
GROWTH = (1, 2, 4, 8, 16)
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


def corpus_parts(*, dense: bool = False, seeds: bool = True) -> list[str]:
    """Return the Swedish texts the benchmark runs on: the seeds, and with dense the gold."""
    parts = []
    if seeds:
        parts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    if dense:
        for folder in DENSE_FOLDERS:
            parts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / folder).glob("*.txt"))]
    return parts


def corpus_text(*, dense: bool = False, seeds: bool = True) -> str:
    """Return the benchmark's texts as one (the ceiling reads it so)."""
    return "\n\n".join(corpus_parts(dense=dense, seeds=seeds))


def documents(megabytes: float, *, dense: bool = False, seeds: bool = True) -> list[Document]:
    """Return whole documents of the corpus, repeated until they hold `megabytes` of text.

    Each text stays one document: glued together, a blog post's readers' comments (which
    end what the extractor reads of a document) would silence the texts after them.
    """
    parts = [p for p in corpus_parts(dense=dense, seeds=seeds) if p.strip()]
    want = int(megabytes * 1_000_000)
    docs: list[Document] = []
    size = 0
    while size < want:
        for part in parts:
            docs.append(Document(url=f"bench:{len(docs)}", text=part))
            size += len(part)
            if size >= want:
                break
    return docs


def report_document(fraction: float = 1.0) -> Document:
    """Return the long report as one document, or its first `fraction` (tables in proportion)."""
    text, raw_tables = long_report(REPORT_SEED)
    tables = tuple(
        Table(caption=caption, header=(tuple(header),), rows=tuple(tuple(r) for r in rows))
        for caption, header, rows in raw_tables
    )
    if fraction < 1.0:
        cut = text.rfind("\n\n", 0, int(len(text) * fraction))
        text, tables = text[:cut], tables[: round(len(tables) * fraction)]
    return Document(url="bench:report", text=text, tables=tables)


def size_of(docs: list[Document]) -> float:
    """Return the megabytes of text of some documents, their tables' cells counted."""
    cells = sum(len(c.encode()) + 1 for d in docs for t in d.tables for r in t.rows for c in r)
    return (sum(len(d.text.encode("utf-8")) for d in docs) + cells) / 1e6


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
    """Measure the same runs on the sources under src/, interpreted, in a child process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, __file__, "--mb", str(args.mb), "--repeat", str(args.repeat)]
    out = subprocess.run(
        [*command, "--json"], env=env, check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, Any] = json.loads(out)
    return result


def growth(catalog: Catalog, repeat: int) -> list[tuple[int, float, float]]:
    """Time the report cut to 1/16, 2/16, ... 16/16: (factor, MB, seconds), one document each."""
    out = []
    for factor in GROWTH:
        doc = report_document(factor / GROWTH[-1])
        seconds, _ = best_of(repeat, lambda doc=doc: run([doc], catalog))  # type: ignore[misc]
        out.append((factor, size_of([doc]), seconds))
    return out


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Time extract() on each text, the ceiling and the growth; profile the stages."""
    catalog = Catalog.load()
    texts = {
        "seeds": documents(args.mb),
        "gold": documents(args.mb, dense=True, seeds=False),
        "report": [report_document()],
    }
    out: dict[str, Any] = {"build": build(), "texts": {}}
    for name, docs in texts.items():
        run(docs[:5], catalog)  # warm caches and lazy imports
        seconds, count = best_of(args.repeat, lambda docs=docs: run(docs, catalog))  # type: ignore[misc]
        out["texts"][name] = {
            "size": size_of(docs),
            "documents": len(docs),
            "figures": count,
            "seconds": seconds,
        }
    seeds = texts["seeds"]
    out["ceiling"], _ = best_of(args.repeat, lambda: ceiling(seeds))
    out["cold"] = min(run_cold(seeds) for _ in range(args.repeat))
    out["growth"] = growth(catalog, args.repeat)
    # A profiler sees into interpreted code only: the child process reports them.
    out["stages"] = (
        stage_ratios(seeds[: max(1, len(seeds) // 5)], catalog)
        if out["build"] == "pure Python"
        else {}
    )
    return out


LABELS = {
    "seeds": "seeds (repeated, whole documents)",
    "gold": "gold corpora (tests/corpus, tests/heldout)",
    "report": "long report (150 pages, one document)",
}


def main() -> None:
    """Print MB/s compiled and interpreted per text, the growth, and the stage shares."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mb", type=float, default=5.0, help="MB of seeds and of gold text")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dense", action="store_true", help=argparse.SUPPRESS)  # always now
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    got = measure(args)
    if args.json:
        print(json.dumps(got))
        return
    pure = interpreted(args) if got["build"] != "pure Python" else got
    print(f"extractor: {got['build']}; MB/s on one core, best of {args.repeat}")
    print(f"{'text':<44}{'MB':>6}{'docs':>6}{'figures':>9}{'compiled':>10}{'interpreted':>13}")
    rates: dict[str, float] = {}
    for name, label in LABELS.items():
        mine, theirs = got["texts"][name], pure["texts"][name]
        rates[name] = mine["size"] / mine["seconds"]
        print(
            f"{label:<44}{mine['size']:>6.2f}{mine['documents']:>6}{mine['figures']:>9}"
            f"{rates[name]:>10.2f}{theirs['size'] / theirs['seconds']:>13.2f}"
        )
    seeds, floor = got["texts"]["seeds"], got["ceiling"]
    print(
        f"seeds with a new catalog for each document (word caches cold): compiled"
        f" {seeds['size'] / got['cold']:.2f} MB/s, interpreted"
        f" {pure['texts']['seeds']['size'] / pure['cold']:.2f} MB/s"
    )
    print(
        f"ceiling on the seeds (sentence splitting + numbers.find_numbers only): "
        f"{seeds['size'] / floor:.2f} MB/s, {seeds['seconds'] / floor:.2f}x extract()"
    )
    print("growth, the long report cut to 1/16 .. 16/16, one document each (compiled):")
    base = None
    for factor, size, seconds in got["growth"]:
        per_kb = seconds / (size * 1000) * 1e6
        base = base or per_kb
        print(
            f"  {factor:>2}x {size * 1000:>7.0f} kB {seconds:>7.3f} s {per_kb:>7.1f} µs/kB"
            f"  ({per_kb / base:.2f} of 1x)"
        )
    first, last = got["growth"][0], got["growth"][-1]
    growth_16 = (last[2] / last[1]) / (first[2] / first[1])
    print("share of interpreted extract() time by stage (profiled pass over the seeds):")
    for stage, ratio in pure["stages"].items():
        print(f"  {stage:34s} {ratio:6.1%}")
    print(
        f"seeds_mbps={rates['seeds']:.2f} gold_mbps={rates['gold']:.2f}"
        f" report_mbps={rates['report']:.2f} growth_16x={growth_16:.2f}"
    )


if __name__ == "__main__":
    main()
