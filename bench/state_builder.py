"""Build a large ifo-watch state for bench/state.py: a template through the package, copied.

Usage: .venv/bin/python bench/state_builder.py OUT_DIR [--documents 10000]
                                                        [--figures 1000000] [--budget 600]

The state holds `--documents` document versions and about `--figures` figures, with
their history (observations) and a baseline, and some pending changes:

1. a template: a pool of 400 generated pages (bench/swedish.py, 5-20 kB), read and
   extracted, their figures capped so that the total will come to `--figures` (about
   100 a document), recorded through `track.seed` in batches of 200 (the version, its
   figures, the history and the baseline, as `ifo-watch seed` records them);
2. the copies: every row of the template's documents, versions, figures, history and
   seed marks is copied with INSERT ... SELECT until the state holds `--documents`
   documents, each copy under URLs and version ids of its own (the history's JSON is
   pointed at the copy's URL and version). Recording 10 000 documents through
   `track.seed` would take far too long: each seeded document loads every baseline entry
   of its metrics (`track.baseline._baseline_for`), so seeding slows as the baseline
   grows; this is one of the costs bench/state.py exists to show;
3. a few fresh pages (not in the pool) recorded through `track.ingest`, as a watch cycle
   records them, against the full state: the state gets pending changes, and the time
   of one ingest against it is printed (no more are ingested once the build has taken
   --budget seconds).

The copy step is the only one that writes SQL, and it is kept here, apart from the
package: it reads the tables' columns from the database and changes only the URL, the
version ids and the history's ident, so the columns of a newer schema are copied as
they are. A schema that renames those columns stops it with one line.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ifo_watch import track
from ifo_watch.collect.text import html_to_document
from ifo_watch.extract import EXTRACTOR_VERSION, Catalog, extract_figures
from ifo_watch.models import Document
from ifo_watch.track.store import DB_NAME
from swedish import page

SEED = 1919
POOL = 400
BATCH = 200
INGESTED = 5  # fresh pages recorded the way a watch cycle records them
BASE = "https://www.socialstyrelsen.se/statistik/rapport-{number}/"
START = datetime(2015, 1, 1, 8, tzinfo=UTC)
# The tables copied, and what each copy changes; every other column is copied as it is.
COPIED = ("document_versions", "documents", "figures", "observations", "seeds")


def read(number: int) -> Document:
    """Return generated page `number` read as a watch cycle reads a page."""
    return html_to_document(page(SEED, number), url=BASE.format(number=number))


def template(store: track.Store, catalog: Catalog, *, figures: int) -> int:
    """Seed the pool pages through track.seed, about `figures` in all; return how many."""
    pages = [(doc, extract_figures(doc, catalog=catalog)) for doc in map(read, range(POOL))]
    cap = 1
    while cap < 10_000 and sum(min(len(found), cap) for _, found in pages) < figures:
        cap += 1  # the same cap for every page: the figures a document has, up to it
    stored = 0
    for first in range(0, POOL, BATCH):
        batch = []
        for number in range(first, first + BATCH):
            doc, found = pages[number]
            when = START + timedelta(days=number)
            batch.append((replace(doc, published=when.date()), found[:cap]))
            stored += len(found[:cap])
        now = START + timedelta(days=first)
        track.seed(store, batch, now=now, extractor_version=EXTRACTOR_VERSION, catalog=catalog)
    return stored


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"pragma table_info({table})")}


def _copy_sql(db: sqlite3.Connection, table: str) -> str:
    """Return the INSERT ... SELECT that copies a table's template rows as copy :k."""
    exprs = {
        "document_versions": {"id": "id + :shift", "url": "url || '?kopia=' || :k"},
        "documents": {"url": "url || '?kopia=' || :k", "latest_version": "latest_version + :shift"},
        "figures": {"id": None, "version_id": "version_id + :shift"},
        "observations": {
            "id": None,
            "version_id": "version_id + :shift",
            "ident": "ident || '-' || :k",
            "digest": "digest || '-' || :k",  # unique: one row per observation
            "url": "url || '?kopia=' || :k",
            "observation": "json_set(observation, '$.document_id', version_id + :shift,"
            " '$.source', json_extract(observation, '$.source') || '?kopia=' || :k)",
        },
        "seeds": {"url": "url || '?kopia=' || :k"},
    }[table]
    columns = _columns(db, table)
    optional = {"observation", "digest", "url"}  # the JSON of the third schema, or its columns
    missing = [c for c, e in exprs.items() if c not in columns | optional and e is not None]
    if missing:
        sys.exit(f"state_builder: {table} has no column {', '.join(missing)}: update COPIED")
    kept = [c for c in sorted(columns) if exprs.get(c, c) is not None]
    select = ", ".join(exprs.get(c) or f"[{c}]" for c in kept)  # "group", "offset": quoted
    where = " where version_id <= :top" if "version_id" in columns else ""
    if table == "document_versions":
        where = " where id <= :top"
    elif table in ("documents", "seeds"):
        where = " where url not like '%?kopia=%'"
    names = ", ".join(f"[{c}]" for c in kept)
    return f"insert into {table} ({names}) select {select} from {table}{where}"


def copy(path: Path, copies: int) -> None:
    """Copy the template's rows `copies` times, in one transaction."""
    with closing(sqlite3.connect(path)) as db, db:
        top = db.execute("select max(id) from document_versions").fetchone()[0]
        statements = [_copy_sql(db, table) for table in COPIED]
        for k in range(1, copies + 1):
            for sql in statements:
                db.execute(sql, {"k": k, "shift": top * k, "top": top})


def build(out: Path, *, documents: int, figures: int, budget: float) -> dict[str, Any]:
    """Build the state in `out`; return what it holds and how long each part took."""
    started = time.perf_counter()
    catalog = Catalog.load()
    store = track.Store.open(out)
    copies = max(0, -(-(documents - INGESTED) // POOL) - 1)
    stored = template(store, catalog, figures=figures // (copies + 1))
    seeded = time.perf_counter() - started
    store.close()
    copy(out / DB_NAME, copies)
    copied = time.perf_counter() - started - seeded
    store = track.Store.open(out)
    ingest_times: list[float] = []
    for index in range(INGESTED):
        doc = read(POOL + index)  # a page the state has never seen
        found = extract_figures(doc, catalog=catalog)
        begun = time.perf_counter()
        track.ingest(
            store, doc, found, source="bench", now=datetime.now(UTC),
            extractor_version=EXTRACTOR_VERSION, catalog=catalog, alert_new="all",
        )  # fmt: skip
        ingest_times.append(time.perf_counter() - begun)
        if time.perf_counter() - started > budget:
            break
    counts = store.counts()
    store.close()
    info = {
        "documents": counts.get("document_versions", 0),
        "figures": counts.get("figures", 0),
        "figures_asked": figures,
        "template_figures": stored,
        "counts": counts,
        "template_seconds": seeded,
        "copy_seconds": copied,
        "ingest_seconds": ingest_times,
        "seconds": time.perf_counter() - started,
    }
    (out / "built.json").write_text(json.dumps(info, indent=1) + "\n", "utf-8")
    return info


def main() -> None:
    """Build the state and print what it holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--figures", type=int, default=1_000_000)
    parser.add_argument("--budget", type=float, default=600.0)
    args = parser.parse_args()
    info = build(args.out, documents=args.documents, figures=args.figures, budget=args.budget)
    print(json.dumps(info, indent=1))


if __name__ == "__main__":
    main()
