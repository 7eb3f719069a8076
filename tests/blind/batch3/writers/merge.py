"""Rebuild ../gold.jsonl and ../negatives.jsonl from the two writers' files of batch 3.

Writers a (d01-d06) and b (d11-d16) worked in parallel (see ../README.md). A reconciler
who had not read the code merged keys that name one indicator and renamed keys that
broke the rulebook or the earlier batches' keys (key_merges.json: old -> new), and fixed
plain slips in other fields (gold_fixes.jsonl: doc, quote, field, old, new, why).

Standard library only. Run from anywhere: python tests/blind/batch3/writers/merge.py
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SET = HERE.parent
WRITERS = ("a", "b")
KEYS = [
    "doc",
    "quote",
    "value",
    "unit",
    "per",
    "measure",
    "what",
    "indicator",
    "period",
    "region",
    "group",
    "required",
]


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _doc_text(doc: str, cache: dict[str, str]) -> str:
    if doc not in cache:
        cache[doc] = (SET / "docs" / doc).read_text(encoding="utf-8")
    return cache[doc]


def main() -> None:
    merges = json.loads((HERE / "key_merges.json").read_text(encoding="utf-8"))
    rows = []
    for writer in WRITERS:
        name = f"gold_{writer}.jsonl"
        for number, row in enumerate(_jsonl(HERE / name), start=1):
            rows.append({**row, "_file": name, "_line": number})

    for fix in _jsonl(HERE / "gold_fixes.jsonl"):
        hits = [
            r
            for r in rows
            if r["doc"] == fix["doc"]
            and r["quote"] == fix["quote"]
            and ("file" not in fix or (r["_file"], r["_line"]) == (fix["file"], fix["line"]))
        ]
        assert len(hits) == 1, f"fix matches {len(hits)} lines: {fix}"
        assert hits[0][fix["field"]] == fix["old"], f"fix 'old' is stale: {fix}"
        hits[0][fix["field"]] = fix["new"]

    used = set()
    for row in rows:
        if row["indicator"] in merges:
            used.add(row["indicator"])
            row["indicator"] = merges[row["indicator"]]
    unused = set(merges) - used
    assert not unused, f"merges matching no line: {sorted(unused)}"
    assert not {r["indicator"] for r in rows} & set(merges), "a merged-away key is still in use"

    texts: dict[str, str] = {}
    for row in rows:
        assert row["quote"] in _doc_text(row["doc"], texts), (
            row["_file"],
            row["_line"],
            row["quote"],
        )

    rows.sort(key=lambda r: (r["doc"], r["_file"], r["_line"]))
    (SET / "gold.jsonl").write_text(
        "".join(json.dumps({k: r.get(k) for k in KEYS}, ensure_ascii=False) + "\n" for r in rows),
        encoding="utf-8",
    )

    negatives = []
    for writer in WRITERS:
        negatives.extend(_jsonl(HERE / f"negatives_{writer}.jsonl"))
    for n in negatives:
        assert n["quote"] in _doc_text(n["doc"], texts), (n["doc"], n["quote"])
    negatives.sort(key=lambda n: n["doc"])  # stable: each writer's order kept within a doc
    (SET / "negatives.jsonl").write_text(
        "".join(
            json.dumps({k: n[k] for k in ("doc", "quote", "why")}, ensure_ascii=False) + "\n"
            for n in negatives
        ),
        encoding="utf-8",
    )

    keys = {r["indicator"] for r in rows}
    required = sum(1 for r in rows if r["required"])
    print(
        f"{len({r['doc'] for r in rows})} documents, "
        f"{len(rows)} gold figures ({required} required), "
        f"{len(keys)} indicators, {len(negatives)} non-figures; "
        f"{len(merges)} key merges, {len(_jsonl(HERE / 'gold_fixes.jsonl'))} fixes"
    )


if __name__ == "__main__":
    main()
