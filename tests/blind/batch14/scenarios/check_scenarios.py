#!/usr/bin/env python3
"""Check the diff scenarios 151–158 in this folder.

For each scenario folder NNN_*:
- expect.toml parses (tomllib), has description and a valid kind;
- every alert has kind/what/old_value/new_value/new_quote/region/group with sane types,
  kind is changed or revised;
- every quiet entry has quote/value/why;
- every new_quote and quiet quote occurs verbatim in the new document's text
  (HTML tags stripped, entities decoded, whitespace collapsed);
- baseline/ holds one or two documents named b<NNN>_..., and new.html or new.txt exists;
- every document has 300–750 words of text;
- SOURCES.md exists.
Exit 1 on any problem.
"""
import html
import re
import sys
import tomllib
from pathlib import Path

KINDS = {"year_update", "restatement", "correction", "older_period", "regional",
         "varav", "rewrite", "mixed"}
ALERT_KINDS = {"changed", "revised"}
ALERT_FIELDS = ("kind", "what", "old_value", "new_value", "new_quote", "region", "group")
QUIET_FIELDS = ("quote", "value", "why")
MIN_WORDS, MAX_WORDS = 300, 750


def doc_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".html", ".htm"):
        raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
        raw = re.sub(r"(?is)<!--.*?-->", " ", raw)
        raw = re.sub(r"(?s)<[^>]+>", " ", raw)
        raw = html.unescape(raw)
    return re.sub(r"\s+", " ", raw).strip()


def words(text: str) -> int:
    return len(re.findall(r"\S+", text))


def is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check(folder: Path) -> list[str]:
    errs = []
    num = folder.name.split("_", 1)[0]
    exp = folder / "expect.toml"
    if not exp.exists():
        return [f"{folder.name}: expect.toml missing"]
    try:
        data = tomllib.loads(exp.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        return [f"{folder.name}: expect.toml does not parse: {e}"]
    if not isinstance(data.get("description"), str) or not data["description"].strip():
        errs.append(f"{folder.name}: description missing")
    if data.get("kind") not in KINDS:
        errs.append(f"{folder.name}: bad kind {data.get('kind')!r}")

    news = [p for p in (folder / "new.html", folder / "new.txt") if p.exists()]
    if len(news) != 1:
        errs.append(f"{folder.name}: need exactly one of new.html / new.txt")
        return errs
    new_text = doc_text(news[0])

    base_dir = folder / "baseline"
    bases = sorted(p for p in base_dir.iterdir() if p.is_file()) if base_dir.is_dir() else []
    if not 1 <= len(bases) <= 2:
        errs.append(f"{folder.name}: baseline/ must hold one or two documents, has {len(bases)}")
    for b in bases:
        if not b.name.startswith(f"b{num}_"):
            errs.append(f"{folder.name}: baseline file {b.name} must start with b{num}_")
        if b.suffix not in (".html", ".txt"):
            errs.append(f"{folder.name}: baseline file {b.name} is not .html/.txt")

    for d in bases + news:
        n = words(doc_text(d))
        if not MIN_WORDS <= n <= MAX_WORDS:
            errs.append(f"{folder.name}: {d.name} has {n} words (want {MIN_WORDS}–{MAX_WORDS})")

    alerts = data.get("alerts", [])
    quiet = data.get("quiet", [])
    if not alerts:
        errs.append(f"{folder.name}: no alerts")
    for i, a in enumerate(alerts):
        for f in ALERT_FIELDS:
            if f not in a:
                errs.append(f"{folder.name}: alert {i} lacks {f}")
        if a.get("kind") not in ALERT_KINDS:
            errs.append(f"{folder.name}: alert {i} bad kind {a.get('kind')!r}")
        for f in ("old_value", "new_value"):
            if f in a and not is_num(a[f]):
                errs.append(f"{folder.name}: alert {i} {f} is not a number")
        for f in ("what", "new_quote", "region", "group"):
            if f in a and not isinstance(a[f], str):
                errs.append(f"{folder.name}: alert {i} {f} is not a string")
        if is_num(a.get("old_value")) and is_num(a.get("new_value")) and a["old_value"] == a["new_value"]:
            errs.append(f"{folder.name}: alert {i} old_value equals new_value")
        q = a.get("new_quote")
        if isinstance(q, str) and q not in new_text:
            errs.append(f"{folder.name}: alert {i} new_quote {q!r} not in {news[0].name}")
    for i, qd in enumerate(quiet):
        for f in QUIET_FIELDS:
            if f not in qd:
                errs.append(f"{folder.name}: quiet {i} lacks {f}")
        if "value" in qd and not is_num(qd["value"]):
            errs.append(f"{folder.name}: quiet {i} value is not a number")
        q = qd.get("quote")
        if isinstance(q, str) and q not in new_text:
            errs.append(f"{folder.name}: quiet {i} quote {q!r} not in {news[0].name}")
    if not (folder / "SOURCES.md").exists():
        errs.append(f"{folder.name}: SOURCES.md missing")
    return errs


def main() -> int:
    root = Path(__file__).resolve().parent
    folders = sorted(p for p in root.iterdir() if p.is_dir() and re.match(r"15[1-8]_", p.name))
    all_errs = []
    kinds = {}
    for f in folders:
        errs = check(f)
        all_errs += errs
        try:
            d = tomllib.loads((f / "expect.toml").read_text(encoding="utf-8"))
            kinds[f.name] = d.get("kind")
            nb = [p.name for p in sorted((f / "baseline").iterdir())]
            newp = next(p for p in (f / "new.html", f / "new.txt") if p.exists())
            wc = [words(doc_text(f / "baseline" / n)) for n in nb] + [words(doc_text(newp))]
            print(f"{f.name:40s} kind={d.get('kind'):13s} alerts={len(d.get('alerts', [])):2d} "
                  f"quiet={len(d.get('quiet', [])):2d} words={wc} {'OK' if not errs else 'FAIL'}")
        except Exception as e:  # report, keep going
            print(f"{f.name}: {e}")
    if len(folders) != 8:
        all_errs.append(f"expected 8 scenario folders 151–158, found {len(folders)}")
    if len(set(kinds.values())) != len(kinds):
        all_errs.append("each scenario must have a different kind")
    for e in all_errs:
        print("ERROR:", e)
    print("PASS" if not all_errs else f"FAIL ({len(all_errs)} problems)")
    return 0 if not all_errs else 1


if __name__ == "__main__":
    sys.exit(main())
