"""Rebuild ../gold.jsonl and ../negatives.jsonl from the two writers' files of batch 4.

Writers a (e01-e06) and b (e11-e16) worked in parallel (see ../README.md). A reconciler
who had not read the code merged keys that name one indicator and renamed keys that
broke the rulebook or the earlier batches' keys (key_merges.json: old -> new), and fixes
plain slips in other fields when there are any (gold_fixes.jsonl: doc, quote, field, old,
new, why; optional, absent when nothing needed fixing).

Every quote, of a figure and of a non-figure, must occur in its document's visible text:
for HTML the text outside tags, without <script>/<style>, with entities resolved, never
across a block boundary (a table cell, a paragraph, a heading); for plain text the file
itself. Runs of white space count as one space.

Standard library only. Run from anywhere: python tests/blind/batch4/writers/merge.py
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
SET = HERE.parent
WRITERS = ("a", "b")
KEYS = (
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
)
HIDDEN = frozenset({"script", "style", "template"})
BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt"}
    | {"figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header"}
    | {"hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot"}
    | {"th", "thead", "title", "tr", "ul"}
)


class _Visible(HTMLParser):
    """Collect the visible text of an HTML page, one line per block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and self.hidden:
            self.hidden -= 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def visible_text(path: Path) -> str:
    """The text a reader sees in the document, white space collapsed."""
    source = path.read_text(encoding="utf-8")
    if path.suffix.lower() not in (".html", ".htm"):
        return re.sub(r"\s+", " ", source)
    parser = _Visible()
    parser.feed(source)
    parser.close()
    return re.sub(r"[^\S\n]+", " ", "".join(parser.parts))


def _occurs(quote: str, doc: str, cache: dict[str, str]) -> bool:
    if doc not in cache:
        cache[doc] = visible_text(SET / "docs" / doc)
    return re.sub(r"\s+", " ", quote) in cache[doc]


def main() -> None:
    merges = json.loads((HERE / "key_merges.json").read_text(encoding="utf-8"))
    fixes = _jsonl(HERE / "gold_fixes.jsonl")
    rows = []
    for writer in WRITERS:
        name = f"gold_{writer}.jsonl"
        for number, row in enumerate(_jsonl(HERE / name), start=1):
            rows.append({**row, "_file": name, "_line": number})

    for fix in fixes:
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
        assert _occurs(row["quote"], row["doc"], texts), (row["_file"], row["_line"], row["quote"])

    rows.sort(key=lambda r: (r["doc"], r["_file"], r["_line"]))
    (SET / "gold.jsonl").write_text(
        "".join(json.dumps({k: r.get(k) for k in KEYS}, ensure_ascii=False) + "\n" for r in rows),
        encoding="utf-8",
    )

    negatives = []
    for writer in WRITERS:
        negatives.extend(_jsonl(HERE / f"negatives_{writer}.jsonl"))
    for n in negatives:
        assert _occurs(n["quote"], n["doc"], texts), (n["doc"], n["quote"])
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
        f"{len(merges)} key merges, {len(fixes)} fixes"
    )


if __name__ == "__main__":
    main()
