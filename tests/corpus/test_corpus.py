"""The hand-annotated gold corpus: its own sanity, and the extractor's score on it.

The corpus (docs/, gold.jsonl, negatives.jsonl) is written and annotated by hand,
independently of the extractor; see README.md for the annotation rules.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from goldscore import Row, matches

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
GOLD_FILE = HERE / "gold.jsonl"
NEGATIVES_FILE = HERE / "negatives.jsonl"

MIN_DOCS = 20
MIN_REQUIRED = 200
MIN_PRECISION = 0.9
MIN_RECALL = 0.9

GOLD_KEYS = {"doc", "quote", "value", "unit", "what", "indicator", "period", "region", "required"}
UNITS = {"antal", "procent", "procentenheter", "kronor", "år", "dagar", "månader"}
OTHER_UNITS = {"gånger"}  # "another Swedish unit word where none of these fits"
PERIOD = re.compile(r"^(\d{4}|\d{4}–\d{4}|\d{4}-\d{2}-\d{2}|\d{4}-H[12])$")
INDICATOR = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
COUNTIES = {
    "Stockholms län", "Uppsala län", "Södermanlands län", "Östergötlands län",
    "Jönköpings län", "Kronobergs län", "Kalmar län", "Gotlands län", "Blekinge län",
    "Skåne län", "Hallands län", "Västra Götalands län", "Värmlands län", "Örebro län",
    "Västmanlands län", "Dalarnas län", "Gävleborgs län", "Västernorrlands län",
    "Jämtlands län", "Västerbottens län", "Norrbottens län",
}  # fmt: skip


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


GOLD = _read_jsonl(GOLD_FILE)
NEGATIVES = _read_jsonl(NEGATIVES_FILE)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def _written_text(path: Path) -> str:
    """Return the text as written: plain text, HTML without tags, or the PDF's text layer."""
    if path.suffix == ".html":
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        return _squash(soup.get_text(" "))
    if path.suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return _squash(" ".join(page.extract_text() or "" for page in pdf.pages))
    return _squash(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- sanity of the gold


def test_gold_lines_have_the_seed_format() -> None:
    """Every gold line has the fields of the seeds' gold (and a group where the annotator
    named one), with sane types."""
    bad = [g for g in GOLD if set(g) - {"group"} != GOLD_KEYS or g.get("group", "x") is None]
    assert not bad, bad[:3]
    for g in GOLD:
        assert isinstance(g["value"], int | float) and not isinstance(g["value"], bool), g
        assert g["unit"] in UNITS | OTHER_UNITS, g
        assert g["period"] is None or PERIOD.match(g["period"]), g
        assert INDICATOR.match(g["indicator"]), g
        assert isinstance(g["required"], bool), g
        assert g["what"].strip() and g["quote"].strip(), g
        assert not g["region"] or not g["region"].endswith(" län") or g["region"] in COUNTIES, g


def test_corpus_is_big_enough() -> None:
    """The corpus holds enough documents, formats and required figures."""
    docs = {g["doc"] for g in GOLD}
    assert len(docs) >= MIN_DOCS
    assert sum(g["required"] for g in GOLD) >= MIN_REQUIRED
    suffixes = {Path(d).suffix for d in docs}
    assert {".txt", ".html", ".pdf"} <= suffixes
    assert sum(1 for d in docs if d.endswith(".pdf")) >= 2


def test_every_document_exists_and_is_annotated() -> None:
    """Gold and negatives name existing documents, and every document has gold."""
    named = {g["doc"] for g in GOLD} | {n["doc"] for n in NEGATIVES}
    on_disk = {p.name for p in DOCS.iterdir() if p.suffix in {".txt", ".html", ".pdf"}}
    assert named <= on_disk, sorted(named - on_disk)
    required_docs = {g["doc"] for g in GOLD if g["required"]}
    assert on_disk <= required_docs, sorted(on_disk - required_docs)


@pytest.mark.parametrize("doc", sorted({g["doc"] for g in GOLD} | {n["doc"] for n in NEGATIVES}))
def test_quotes_occur_in_their_document(doc: str) -> None:
    """Each gold and negative quote stands, as written, in its document's text."""
    text = _written_text(DOCS / doc)
    quotes = [g["quote"] for g in GOLD if g["doc"] == doc]
    quotes += [n["quote"] for n in NEGATIVES if n["doc"] == doc]
    missing = [q for q in quotes if _squash(q) not in text]
    assert not missing, missing


def test_indicators_are_consistent() -> None:
    """One indicator has one unit, and change keys are used for changes only."""
    units: dict[str, set[str]] = defaultdict(set)
    for g in GOLD:
        units[g["indicator"]].add(g["unit"])
    mixed = {k: v for k, v in units.items() if len(v) > 1}
    assert not mixed, mixed
    for g in GOLD:
        if g["indicator"].startswith(("okning_", "minskning_")):
            assert g["unit"] in {"procent", "procentenheter", "antal", "kronor"}, g


def test_same_indicator_shared_across_documents() -> None:
    """The corpus exercises metric identity: several indicators recur in other documents."""
    docs_of: dict[str, set[str]] = defaultdict(set)
    for g in GOLD:
        docs_of[g["indicator"]].add(g["doc"])
    assert sum(1 for d in docs_of.values() if len(d) > 1) >= 10


def test_negatives_are_not_gold() -> None:
    """No listed non-figure is also annotated as a figure of the same document."""
    gold_quotes = {(g["doc"], _squash(g["quote"]).lower()) for g in GOLD}
    clash = [n for n in NEGATIVES if (n["doc"], _squash(n["quote"]).lower()) in gold_quotes]
    assert not clash, clash


# ---------------------------------------------------------------- scoring the extractor


def _score(golds: list[Row], preds: list[Row]) -> tuple[int, int, int, list[str]]:
    """Return (tp, fp, fn, notes) for one document, greedy as the shared scorer."""
    used: set[int] = set()
    tp = fn = 0
    notes: list[str] = []
    for g in sorted(golds, key=lambda g: not g["required"]):
        hit = next((i for i, p in enumerate(preds) if i not in used and matches(g, p)), None)
        if hit is not None:
            used.add(hit)
            tp += g["required"]
        elif g["required"]:
            fn += 1
            notes.append(f"MISSED {g['quote']!r}={g['value']} region={g['region']}")
    extra = [p for i, p in enumerate(preds) if i not in used]
    notes += [f"EXTRA {p.get('quote')!r}={p.get('value')} region={p.get('region')}" for p in extra]
    return tp, len(extra), fn, notes


def _extractor() -> tuple[Any, Any]:
    from ifo_watch.collect import load_document
    from ifo_watch.extract import extract_figures

    return load_document, extract_figures


def _as_dict(figure: Any) -> dict[str, Any]:
    return figure if isinstance(figure, dict) else figure.to_json()


def test_extractor_precision_and_recall_on_the_corpus() -> None:
    """The extractor reaches precision and recall of at least 0.9 on the gold corpus."""
    load, extract = _extractor()
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for g in GOLD:
        by_doc[g["doc"]].append(g)
    tp = fp = fn = 0
    report: list[str] = []
    for doc, golds in sorted(by_doc.items()):
        preds = [_as_dict(f) for f in extract(load(str(DOCS / doc)))]
        t, f, n, notes = _score(golds, preds)
        tp, fp, fn = tp + t, fp + f, fn + n
        report += [f"{doc}: {note}" for note in notes]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    summary = f"tp={tp} fp={fp} fn={fn} precision={precision:.3f} recall={recall:.3f}"
    detail = "\n".join([summary, *report[:80]])
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, detail
