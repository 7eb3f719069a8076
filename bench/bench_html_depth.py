"""Measure how HTML reading time grows with nesting depth and with page size.

Usage: .venv/bin/python bench/bench_html_depth.py [--max-depth 100000]

Generated pages nest thousands of elements deep; the reader must neither recurse
(a RecursionError at about 1 000 levels) nor slow down quadratically (100 000
levels once took over ten minutes). This prints the time to read a page of N
nested <div>s, and of N sibling paragraphs of the same size, for N growing tenfold:
linear growth shows as a time per element that stays flat. No test asserts a time;
this is where the growth is measured.
"""

from __future__ import annotations

import argparse
import logging
import time

from ifo_watch.collect.text import html_to_document


def nested(depth: int) -> bytes:
    """Return a page whose text sits under `depth` nested elements."""
    return (
        "<html><body><main><p>Under 2023 fick 171 000 hushåll ekonomiskt bistånd.</p>"
        + "<div>ord " * depth
        + "slut"
        + "</div>" * depth
        + "</main></body></html>"
    ).encode()


def flat(count: int) -> bytes:
    """Return a page of `count` sibling paragraphs, about the size of `nested(count)`."""
    return ("<html><body><main>" + "<p>ord</p>" * count + "</main></body></html>").encode()


def timed(page: bytes) -> float:
    started = time.perf_counter()
    html_to_document(page, url="bench")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-depth", type=int, default=100_000)
    args = parser.parse_args()
    logging.getLogger("ifo_watch").setLevel(logging.ERROR)  # the flattening warning
    print(f"{'elements':>10} {'nested s':>10} {'µs/elem':>8} {'flat s':>8} {'µs/elem':>8}")
    count = 100
    while count <= args.max_depth:
        deep, wide = timed(nested(count)), timed(flat(count))
        print(
            f"{count:>10} {deep:>10.3f} {deep / count * 1e6:>8.1f}"
            f" {wide:>8.3f} {wide / count * 1e6:>8.1f}"
        )
        count *= 10


if __name__ == "__main__":
    main()
