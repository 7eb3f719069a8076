#!/usr/bin/env python3
"""Check the diff scenarios of this folder.

For every directory NNN_<kind>_<topic>/ it checks that
- expect.toml parses, has a description and a valid kind that matches the folder name,
- every [[alerts]] entry has kind changed|revised, a non-empty what, numeric old_value and
  new_value, new_quote, region and group strings, and that new_quote occurs verbatim in the
  new document's text (HTML tags stripped, entities decoded, whitespace collapsed),
- every [[quiet]] entry has quote, numeric value and why, and its quote occurs likewise,
- baseline/ holds one or two documents named b<NNN>_<site>_<topic>_<year>.html|.txt with
  NNN the scenario's number,
- there is exactly one new.html or new.txt,
- every document has 300-750 words of text,
- SOURCES.md exists and is not empty.
Exit status 0 when all scenarios pass, 1 otherwise.
"""
import html
import re
import sys
import tomllib
from pathlib import Path

KINDS = {"year_update", "restatement", "correction", "older_period", "regional",
         "varav", "rewrite", "mixed"}
ALERT_KINDS = {"changed", "revised"}
DIR_RE = re.compile(r"^(\d{3})_([a-z_]+)$")
BASE_RE = re.compile(r"^b(\d{3})_[a-z0-9]+(?:_[a-z0-9]+)*_(\d{4})\.(html|txt)$")
MIN_WORDS, MAX_WORDS = 300, 750


def text_of(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
        raw = re.sub(r"(?s)<!--.*?-->", " ", raw)
        raw = re.sub(r"(?s)<[^>]+>", " ", raw)
        raw = html.unescape(raw)
    return re.sub(r"\s+", " ", raw).strip()


def words(text: str) -> int:
    return len([w for w in text.split(" ") if re.search(r"\w", w)])


def is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check(sdir: Path) -> list[str]:
    errs = []
    m = DIR_RE.match(sdir.name)
    if not m:
        return [f"folder name {sdir.name!r} is not NNN_<kind>_<topic>"]
    num, rest = m.group(1), m.group(2)
    dir_kind = next((k for k in sorted(KINDS, key=len, reverse=True) if rest.startswith(k + "_")), None)
    if dir_kind is None:
        errs.append(f"folder name does not start with a valid kind: {rest}")

    # documents
    news = [p for p in (sdir / "new.html", sdir / "new.txt") if p.exists()]
    if len(news) != 1:
        errs.append(f"expected exactly one new.html or new.txt, found {len(news)}")
    bdir = sdir / "baseline"
    bases = sorted(p for p in bdir.iterdir() if p.is_file()) if bdir.is_dir() else []
    if not 1 <= len(bases) <= 2:
        errs.append(f"baseline/ must hold one or two documents, holds {len(bases)}")
    for b in bases:
        bm = BASE_RE.match(b.name)
        if not bm:
            errs.append(f"baseline file {b.name!r} is not named b<NNN>_<site>_<topic>_<year>.html|txt")
        elif bm.group(1) != num:
            errs.append(f"baseline file {b.name!r} does not carry the scenario number {num}")
    for d in bases + news:
        try:
            n = words(text_of(d))
        except UnicodeDecodeError:
            errs.append(f"{d.name} is not UTF-8")
            continue
        if not MIN_WORDS <= n <= MAX_WORDS:
            errs.append(f"{d.relative_to(sdir)} has {n} words (needs {MIN_WORDS}-{MAX_WORDS})")

    # SOURCES.md
    src = sdir / "SOURCES.md"
    if not src.exists() or not src.read_text(encoding="utf-8").strip():
        errs.append("SOURCES.md missing or empty")

    # expect.toml
    ef = sdir / "expect.toml"
    if not ef.exists():
        return errs + ["expect.toml missing"]
    try:
        exp = tomllib.loads(ef.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        return errs + [f"expect.toml does not parse: {e}"]
    allowed_top = {"description", "kind", "alerts", "quiet"}
    for k in exp:
        if k not in allowed_top:
            errs.append(f"unknown top-level key {k!r}")
    if not isinstance(exp.get("description"), str) or not exp["description"].strip():
        errs.append("description missing")
    kind = exp.get("kind")
    if kind not in KINDS:
        errs.append(f"kind {kind!r} is not one of {sorted(KINDS)}")
    elif dir_kind and kind != dir_kind:
        errs.append(f"kind {kind!r} does not match folder kind {dir_kind!r}")

    new_text = text_of(news[0]) if len(news) == 1 else ""
    alerts = exp.get("alerts", [])
    quiet = exp.get("quiet", [])
    if not isinstance(alerts, list) or not isinstance(quiet, list):
        return errs + ["alerts and quiet must be arrays of tables"]
    if not alerts and not quiet:
        errs.append("neither alerts nor quiet entries")
    alert_fields = {"kind", "what", "old_value", "new_value", "new_quote", "region", "group"}
    for i, a in enumerate(alerts, 1):
        where = f"alert {i}"
        missing = alert_fields - a.keys()
        extra = a.keys() - alert_fields
        if missing:
            errs.append(f"{where}: missing {sorted(missing)}")
        if extra:
            errs.append(f"{where}: unknown fields {sorted(extra)}")
        if a.get("kind") not in ALERT_KINDS:
            errs.append(f"{where}: kind {a.get('kind')!r} not changed|revised")
        if not isinstance(a.get("what"), str) or not a.get("what", "").strip():
            errs.append(f"{where}: what missing")
        for f in ("old_value", "new_value"):
            if f in a and not is_num(a[f]):
                errs.append(f"{where}: {f} is not a number")
        if is_num(a.get("old_value")) and is_num(a.get("new_value")) and a["old_value"] == a["new_value"]:
            errs.append(f"{where}: old_value equals new_value")
        for f in ("region", "group"):
            if f in a and not isinstance(a[f], str):
                errs.append(f"{where}: {f} must be a string")
        q = a.get("new_quote")
        if not isinstance(q, str) or not q.strip():
            errs.append(f"{where}: new_quote missing")
        elif re.sub(r"\s+", " ", q) not in new_text:
            errs.append(f"{where}: new_quote {q!r} not found in the new document")
    quiet_fields = {"quote", "value", "why"}
    for i, qd in enumerate(quiet, 1):
        where = f"quiet {i}"
        missing = quiet_fields - qd.keys()
        extra = qd.keys() - quiet_fields
        if missing:
            errs.append(f"{where}: missing {sorted(missing)}")
        if extra:
            errs.append(f"{where}: unknown fields {sorted(extra)}")
        if "value" in qd and not is_num(qd["value"]):
            errs.append(f"{where}: value is not a number")
        if not isinstance(qd.get("why"), str) or not qd.get("why", "").strip():
            errs.append(f"{where}: why missing")
        q = qd.get("quote")
        if not isinstance(q, str) or not q.strip():
            errs.append(f"{where}: quote missing")
        elif re.sub(r"\s+", " ", q) not in new_text:
            errs.append(f"{where}: quote {q!r} not found in the new document")
    return errs


def main() -> int:
    root = Path(__file__).resolve().parent
    dirs = sorted(p for p in root.iterdir() if p.is_dir() and DIR_RE.match(p.name))
    if not dirs:
        print("no scenarios found")
        return 1
    bad = 0
    kinds_seen = []
    for d in dirs:
        errs = check(d)
        try:
            exp = tomllib.loads((d / "expect.toml").read_text(encoding="utf-8"))
            kinds_seen.append(exp.get("kind"))
            counts = f"{len(exp.get('alerts', []))} alerts, {len(exp.get('quiet', []))} quiet"
        except Exception:
            counts = "?"
        if errs:
            bad += 1
            print(f"FAIL {d.name} ({counts})")
            for e in errs:
                print(f"     - {e}")
        else:
            print(f"ok   {d.name} ({counts})")
    dup = {k for k in kinds_seen if kinds_seen.count(k) > 1}
    if dup:
        print(f"note: kinds used more than once: {sorted(dup)}")
    print(f"{len(dirs) - bad}/{len(dirs)} scenarios pass")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
