"""Write a golden snapshot of extract() over every bundled document, to diff before/after.

Usage: .venv/bin/python bench/snapshot.py OUT.json

Runs `figures.extract` on the seeds, the corpus and held-out test pages, the pipeline
test site and the demo site (anything `documents.load` reads; feeds, code and config
are skipped), plus the benchmark's own documents, and writes each document's
`[f.to_json() for f in figures]` as JSON. Two snapshots must be byte-identical when an
optimisation changes no output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ifo_watch.collect.documents import load
from ifo_watch.extract.catalog import Catalog
from ifo_watch.extract.figures import extract

ROOT = Path(__file__).resolve().parent.parent
SKIP_SUFFIXES = {".xml", ".py", ".toml", ".json", ".md", ".csv"}


def paths() -> list[Path]:
    """Return every document the snapshot covers, in a stable order."""
    found = [
        *sorted((ROOT / "seeds").iterdir()),
        *sorted((ROOT / "tests/corpus/docs").iterdir()),
        *sorted((ROOT / "tests/heldout/docs").iterdir()),
        *sorted((ROOT / "tests/pipeline/site").glob("*.html")),
        *sorted((ROOT / "src/ifo_watch/data/demo_site").rglob("*")),
    ]
    return [p for p in found if p.is_file() and p.suffix.lower() not in SKIP_SUFFIXES]


def snapshot() -> dict[str, Any]:
    """Return {document name: figures as JSON} for every covered document."""
    out: dict[str, Any] = {}
    for path in paths():
        out[str(path.relative_to(ROOT))] = [f.to_json() for f in extract(load(str(path)))]
    sys.path.insert(0, str(ROOT / "bench"))
    from extract import documents

    catalog = Catalog.load()
    for doc in documents(1.0, dense=True):
        out[doc.url] = [f.to_json() for f in extract(doc, catalog=catalog)]
    return out


def main(target: str) -> None:
    """Write the snapshot to `target`."""
    data = snapshot()
    Path(target).write_text(
        json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"{len(data)} documents, {sum(len(v) for v in data.values())} figures -> {target}")


if __name__ == "__main__":
    main(sys.argv[1])
