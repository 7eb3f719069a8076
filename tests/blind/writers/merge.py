"""Rebuild ../gold.jsonl and ../negatives.jsonl from the five writers' files.

The writers worked in parallel (see ../README.md); a reconciler who had not read the
code merged keys that name one indicator (key_merges.json) and fixed plain annotation
slips (gold_fixes.jsonl). Run from anywhere: python tests/blind/writers/merge.py
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
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
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def main() -> None:
    merges = json.loads((HERE / "key_merges.json").read_text(encoding="utf-8"))
    rows = []
    for writer in range(1, 6):
        name = f"gold_w{writer}.jsonl"
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
        assert len(hits) == 1, fix
        hits[0][fix["field"]] = fix["new"]
    for row in rows:
        row["indicator"] = merges.get(row["indicator"], row["indicator"])
    rows.sort(key=lambda r: (r["doc"], r["_file"], r["_line"]))
    out = "".join(json.dumps({k: r.get(k) for k in KEYS}, ensure_ascii=False) + "\n" for r in rows)
    (HERE.parent / "gold.jsonl").write_text(out, encoding="utf-8")
    negatives = sorted(
        (n for w in range(1, 6) for n in _jsonl(HERE / f"negatives_w{w}.jsonl")),
        key=lambda n: n["doc"],
    )
    (HERE.parent / "negatives.jsonl").write_text(
        "".join(
            json.dumps({k: n[k] for k in ("doc", "quote", "why")}, ensure_ascii=False) + "\n"
            for n in negatives
        ),
        encoding="utf-8",
    )
    print(f"{len(rows)} gold figures, {len(negatives)} non-figures")


if __name__ == "__main__":
    main()
