#!/usr/bin/env python3
"""Check each scenario: expect.toml parses, every new_quote / quiet quote occurs
verbatim in new.html (or new.txt) after stripping HTML tags, and every document
has 250-800 words of text."""
import html, re, sys, tomllib
from pathlib import Path

def text_of(p: Path) -> str:
    s = p.read_text(encoding="utf-8")
    if p.suffix == ".html":
        s = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", s)
        s = re.sub(r"(?s)<!--.*?-->", " ", s)
        s = re.sub(r"(?s)<[^>]+>", " ", s)
        s = html.unescape(s)
    return re.sub(r"\s+", " ", s)

ok = True
root = Path(__file__).parent
for d in sorted(x for x in root.iterdir() if x.is_dir()):
    new = next((d / n for n in ("new.html", "new.txt") if (d / n).exists()), None)
    if new is None:
        print(f"{d.name}: no new document"); ok = False; continue
    exp = tomllib.loads((d / "expect.toml").read_text(encoding="utf-8"))
    t = text_of(new)
    alerts, quiet = exp.get("alerts", []), exp.get("quiet", [])
    for a in alerts:
        for k in ("kind", "what", "old_value", "new_value", "new_quote", "region", "group"):
            if k not in a: print(f"{d.name}: alert lacks {k}: {a}"); ok = False
        if a["new_quote"] not in t:
            print(f"{d.name}: alert quote not found: {a['new_quote']!r}"); ok = False
    for q in quiet:
        for k in ("quote", "value", "why"):
            if k not in q: print(f"{d.name}: quiet lacks {k}: {q}"); ok = False
        if q["quote"] not in t:
            print(f"{d.name}: quiet quote not found: {q['quote']!r}"); ok = False
    docs = sorted((d / "baseline").iterdir()) + [new]
    wc = {p.name: len(text_of(p).split()) for p in docs}
    for n, c in wc.items():
        if not 250 <= c <= 800:
            print(f"{d.name}: {n} has {c} words"); ok = False
    print(f"{d.name}: kind={exp.get('kind')} alerts={len(alerts)} quiet={len(quiet)} words={wc}")
sys.exit(0 if ok else 1)
