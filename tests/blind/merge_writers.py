"""Rebuild a blind batch's gold.jsonl and negatives.jsonl from its two writers' files.

Each batch's `writers/merge.py` (batches 5 to 20) calls `main` with its own folder.

Inputs (all in the writers' folder): gold_a.jsonl, gold_b.jsonl, negatives_a.jsonl,
negatives_b.jsonl, key_merges.json (old indicator -> new indicator, applied to every gold
line) and gold_fixes.jsonl, one fix a line, of two kinds:

  {"doc", "quote", "field", "old", "new", "why"}   change one field of exactly one gold line
                                                   (matched on doc, quote and field == old,
                                                   after the key merges)
  {"add": "gold" | "negative", "line": {...}, "why"}
                                                   add a line that the writer missed; it is
                                                   placed after the last line of its document

Output order is the writers' order (a, then b), line by line, added lines after their
document's lines in fix-file order, so the result is deterministic.
Checks: every quote occurs verbatim in its document's text (HTML tags stripped, entities
decoded), no quote is both a gold figure and a non-figure in one document, field order,
period form, change keys start with okning_/minskning_ and have measure change (and a level
key measure level), change values are positive, one unit per key, no duplicate lines.
"""

import html
import json
import os
import re
import sys
from collections import Counter, defaultdict

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
NEG_FIELDS = ["doc", "quote", "why"]
PERIOD = re.compile(
    r"^\d{4}(-\d{2}(-\d{2})?|-H[12]|-Q[1-4])?"
    r"(–\d{4}(-\d{2}(-\d{2})?|-H[12]|-Q[1-4])?)?$"
)


def load(here, name):
    with open(os.path.join(here, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def text_of(docs, doc):
    with open(os.path.join(docs, doc), encoding="utf-8") as f:
        s = f.read()
    if doc.endswith(".html"):
        s = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", s)
        s = re.sub(r"(?s)<!--.*?-->", " ", s)
        s = re.sub(r"(?s)<[^>]+>", " ", s)
        s = html.unescape(s)
    return s


def insert_after_doc(rows, line):
    """Insert line after the last row of its document (at the end if the document has none)."""
    idx = max((i for i, r in enumerate(rows) if r["doc"] == line["doc"]), default=len(rows) - 1)
    rows.insert(idx + 1, line)


def main(here):
    """Rebuild the batch whose writers' folder is `here` (its parent holds docs/)."""
    here = os.fspath(here)
    root = os.path.dirname(here)
    with open(os.path.join(here, "key_merges.json"), encoding="utf-8") as f:
        merges = json.load(f)
    fixes = load(here, "gold_fixes.jsonl")
    gold = load(here, "gold_a.jsonl") + load(here, "gold_b.jsonl")
    negs = load(here, "negatives_a.jsonl") + load(here, "negatives_b.jsonl")
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
    n_changed = n_gold_added = n_neg_added = 0
    for fx in fixes:
        if "add" in fx:
            line = fx["line"]
            if fx["add"] == "gold":
                insert_after_doc(gold, dict((k, line[k]) for k in FIELDS))
                n_gold_added += 1
            elif fx["add"] == "negative":
                insert_after_doc(negs, dict((k, line[k]) for k in NEG_FIELDS))
                n_neg_added += 1
            else:
                errors.append(f"fix: unknown add {fx['add']!r}")
            continue
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
        n_changed += 1

    # 3. checks
    texts = {}

    def has(doc, quote):
        if doc not in texts:
            texts[doc] = text_of(os.path.join(root, "docs"), doc)
        return quote in texts[doc]

    units = defaultdict(set)
    gold_quotes = defaultdict(set)
    seen = Counter(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in gold)
    for line, n in seen.items():
        if n > 1:
            errors.append(f"gold line repeated {n} times: {line}")
    for i, r in enumerate(gold, 1):
        if list(r.keys()) != FIELDS:
            errors.append(f"gold {i}: fields {list(r.keys())}")
        if not has(r["doc"], r["quote"]):
            errors.append(f"gold {i}: quote {r['quote']!r} not in {r['doc']}")
        if r["period"] is not None and not PERIOD.match(r["period"]):
            errors.append(f"gold {i}: period {r['period']!r}")
        if r["measure"] not in ("level", "change"):
            errors.append(f"gold {i}: measure {r['measure']!r}")
        is_change = r["indicator"].startswith(("okning_", "minskning_"))
        if is_change != (r["measure"] == "change"):
            errors.append(f"gold {i}: measure {r['measure']} vs key {r['indicator']}")
        if not isinstance(r["value"], (int, float)) or isinstance(r["value"], bool):
            errors.append(f"gold {i}: value {r['value']!r} is not a number")
        elif r["measure"] == "change" and r["value"] < 0:
            errors.append(f"gold {i}: negative change")
        if not isinstance(r["required"], bool):
            errors.append(f"gold {i}: required {r['required']!r}")
        if r["group"] is not None and r["group"] != r["group"].lower():
            errors.append(f"gold {i}: group {r['group']!r} not lower case")
        units[r["indicator"]].add(r["unit"])
        gold_quotes[r["doc"]].add(r["quote"])
    for k, u in sorted(units.items()):
        if len(u) > 1:
            errors.append(f"key {k} has units {sorted(u)}")
    neg_seen = set()
    for i, r in enumerate(negs, 1):
        if list(r.keys()) != NEG_FIELDS:
            errors.append(f"negative {i}: fields {list(r.keys())}")
        if not has(r["doc"], r["quote"]):
            errors.append(f"negative {i}: quote {r['quote']!r} not in {r['doc']}")
        if r["quote"] in gold_quotes[r["doc"]]:
            errors.append(f"negative {i}: {r['quote']!r} is also a gold quote in {r['doc']}")
        if (r["doc"], r["quote"]) in neg_seen:
            errors.append(f"negative {i}: {r['quote']!r} listed twice in {r['doc']}")
        neg_seen.add((r["doc"], r["quote"]))

    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)

    with open(os.path.join(root, "gold.jsonl"), "w", encoding="utf-8") as f:
        for r in gold:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(root, "negatives.jsonl"), "w", encoding="utf-8") as f:
        for r in negs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    docs = sorted({r["doc"] for r in gold})
    req = sum(r["required"] for r in gold)
    print(
        f"{len(docs)} documents, {len(gold)} gold figures ({req} required, "
        f"{len(gold) - req} not), {sum(r['measure'] == 'change' for r in gold)} changes, "
        f"{len(units)} keys, {len(negs)} non-figures"
    )
    for (old, new), n in sorted(merged.items()):
        print(f"merged {old} -> {new}: {n} line(s)")
    print(
        f"{n_changed} line fixes applied, {n_gold_added} gold line(s) and "
        f"{n_neg_added} non-figure(s) added"
    )
