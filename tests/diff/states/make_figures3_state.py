"""Build figures3.db: a state made by the extractor `figures-3` (the version before issue 12).

Run from the project root with that version's sources first on the path, e.g. a
worktree of commit 2f7372b:

    PYTHONPATH=/tmp/figures3/src .venv/bin/python tests/diff/states/make_figures3_state.py OUT

It seeds the bundled seeds, ingests figures3_documents.txt (documents separated by a
line "===", each starting with its URL line) and rejects the orosanmälningar change.
"""

import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from ifo_watch.collect import documents
from ifo_watch.extract import figures
from ifo_watch.extract.catalog import Catalog
from ifo_watch.models import Document
from ifo_watch.resources import seeds_dir
from ifo_watch.track import baseline
from ifo_watch.track.store import Store

HERE = Path(__file__).resolve().parent
T0 = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


def main(out: Path) -> None:
    catalog = Catalog.load()
    store = Store.open(out)
    seeds = [p for p in sorted(seeds_dir().iterdir()) if p.suffix == ".txt"]
    docs = [replace(documents.load(str(p)), url=f"seeds/{p.name}") for p in seeds]
    loaded = [(d, figures.extract(d, catalog=catalog)) for d in docs]
    baseline.seed(store, loaded, now=T0, extractor_version="figures-3", catalog=catalog)
    raw = (HERE / "figures3_documents.txt").read_text(encoding="utf-8")
    for part in raw.split("\n===\n"):
        url, text = part.split("\n", 1)
        doc = Document(url=url, text=text)
        found = figures.extract(doc, catalog=catalog)
        baseline.ingest(
            store, doc, found, now=T0, extractor_version="figures-3", catalog=catalog, source="t"
        )
    rejected = [c.id for c in store.changes() if c.metric == "orosanmalningar"]
    baseline.reject(store, rejected, now=T0)
    store.db.execute("pragma wal_checkpoint(TRUNCATE)")
    store.db.execute("vacuum")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
