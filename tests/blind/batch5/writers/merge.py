#!/usr/bin/env python3
"""Rebuild ../gold.jsonl and ../negatives.jsonl for batch 5 from the two writers' files.

Inputs (all in this folder): gold_a.jsonl, gold_b.jsonl, negatives_a.jsonl, negatives_b.jsonl,
key_merges.json (old indicator -> new indicator, applied to every gold line) and gold_fixes.jsonl
(one line per fix: doc, quote, field, old, new, why; each must match exactly one gold line).

Output order is the writers' order (a, then b), line by line, so the result is deterministic.
Checks: every quote occurs verbatim in its document's text (HTML tags stripped, entities
decoded), no quote is both a gold figure and a non-figure in one document, field order,
period form, change keys start with okning_/minskning_, one unit per key.
"""

import html
import json
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DOCS = os.path.join(ROOT, "docs")
FIELDS = [
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
PERIOD = re.compile(
    r"^\d{4}(-\d{2}(-\d{2})?|-H[12]|-Q[1-4])?"
    r"(–\d{4}(-\d{2}(-\d{2})?|-H[12]|-Q[1-4])?)?$"
)


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def text_of(doc):
    with open(os.path.join(DOCS, doc), encoding="utf-8") as f:
        s = f.read()
    if doc.endswith(".html"):
        s = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", s)
        s = re.sub(r"(?s)<!--.*?-->", " ", s)
        s = re.sub(r"(?s)<[^>]+>", " ", s)
        s = html.unescape(s)
    return s


def main():
    with open(os.path.join(HERE, "key_merges.json"), encoding="utf-8") as f:
        merges = json.load(f)
    fixes = load("gold_fixes.jsonl")
    gold = load("gold_a.jsonl") + load("gold_b.jsonl")
    negs = load("negatives_a.jsonl") + load("negatives_b.jsonl")
    errors = []

    # 1. key merges
    merged = Counter()
    for r in gold:
        new = merges.get(r["indicator"])
        if new:
            merged[(r["indicator"], new)] += 1
            r["indicator"] = new
    for old, new in merges.items():
        if not merged[(old, new)]:
            errors.append(f"merge {old} -> {new} matched no line")

    # 2. line fixes (applied after the merges; 'old' is the value after merging)
    for fx in fixes:
        hits = [
            r
            for r in gold
            if r["doc"] == fx["doc"]
            and r["quote"] == fx["quote"]
            and r.get(fx["field"]) == fx["old"]
        ]
        if len(hits) != 1:
            errors.append(f"fix {fx['doc']} {fx['quote']!r} {fx['field']}: {len(hits)} matches")
            continue
        hits[0][fx["field"]] = fx["new"]

    # 3. checks
    texts = {}

    def has(doc, quote):
        if doc not in texts:
            texts[doc] = text_of(doc)
        return quote in texts[doc]

    units = defaultdict(set)
    gold_quotes = defaultdict(set)
    for i, r in enumerate(gold, 1):
        if list(r.keys()) != FIELDS:
            errors.append(f"gold {i}: fields {list(r.keys())}")
        if not has(r["doc"], r["quote"]):
            errors.append(f"gold {i}: quote {r['quote']!r} not in {r['doc']}")
        if r["period"] is not None and not PERIOD.match(r["period"]):
            errors.append(f"gold {i}: period {r['period']!r}")
        is_change = r["indicator"].startswith(("okning_", "minskning_"))
        if is_change != (r["measure"] == "change"):
            errors.append(f"gold {i}: measure {r['measure']} vs key {r['indicator']}")
        if r["measure"] == "change" and r["value"] < 0:
            errors.append(f"gold {i}: negative change")
        units[r["indicator"]].add(r["unit"])
        gold_quotes[r["doc"]].add(r["quote"])
    for k, u in units.items():
        if len(u) > 1:
            errors.append(f"key {k} has units {sorted(u)}")
    for i, r in enumerate(negs, 1):
        if list(r.keys()) != ["doc", "quote", "why"]:
            errors.append(f"negative {i}: fields {list(r.keys())}")
        if not has(r["doc"], r["quote"]):
            errors.append(f"negative {i}: quote {r['quote']!r} not in {r['doc']}")
        if r["quote"] in gold_quotes[r["doc"]]:
            errors.append(f"negative {i}: {r['quote']!r} is also a gold quote in {r['doc']}")

    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)

    with open(os.path.join(ROOT, "gold.jsonl"), "w", encoding="utf-8") as f:
        for r in gold:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(ROOT, "negatives.jsonl"), "w", encoding="utf-8") as f:
        for r in negs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    docs = sorted({r["doc"] for r in gold})
    req = sum(r["required"] for r in gold)
    print(
        f"{len(docs)} documents, {len(gold)} gold figures ({req} required, "
        f"{len(gold) - req} not), {len(units)} keys, {len(negs)} non-figures"
    )
    for (old, new), n in sorted(merged.items()):
        print(f"merged {old} -> {new}: {n} line(s)")
    print(f"{len(fixes)} line fixes applied")


if __name__ == "__main__":
    main()
