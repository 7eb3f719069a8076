"""Build src/ifo_watch/data/lemmas-sv.tsv: simplemma's lemmas for the IFO vocabulary.

Run after upgrading simplemma or adding documents:
    .venv/bin/python scripts/build_lemma_table.py
The vocabulary is every word of the seeds, the gold corpus, the demo site, the test
fixtures and the metric catalog.
"""

from __future__ import annotations

import re
from pathlib import Path

from ifo_watch.collect import documents
from ifo_watch.extract.lemmas import OVERRIDES, TABLE, lemmatize, write_table
from ifo_watch.resources import data_file

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"[a-zåäöéü]+(?:-[a-zåäöéü]+)*")
SOURCES = ["seeds", "tests", "src/ifo_watch/data"]
SUFFIXES = {".txt", ".html", ".htm", ".pdf", ".toml", ".tsv", ".json", ".jsonl"}


def texts() -> list[str]:
    """Return the text of every vocabulary file."""
    out = []
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix.lower() not in SUFFIXES or not path.is_file():
                continue
            if path.suffix.lower() in {".html", ".htm", ".pdf"}:
                try:
                    doc = documents.load(str(path))
                except Exception:
                    continue
                cells = " ".join(" ".join(r) for t in doc.tables for r in (*t.header, *t.rows))
                out.append(f"{doc.title or ''} {doc.text} {cells}")
            else:
                out.append(path.read_text("utf-8", errors="replace"))
    return out


def main() -> None:
    """Write the table."""
    words: set[str] = set()
    for text in texts():
        for match in WORD.finditer(text.lower()):
            words.add(match.group(0))
            words.update(match.group(0).split("-"))
    table = {w: OVERRIDES.get(w) or lemmatize(w) for w in sorted(words) if w}
    write_table(data_file(TABLE), table)
    print(f"{len(table)} words -> {data_file(TABLE).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
