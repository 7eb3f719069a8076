"""The seed documents against the shared gold: the extraction score the project must keep."""

from __future__ import annotations

import json
import runpy
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from ifo_watch.collect.documents import load
from ifo_watch.extract.catalog import Catalog
from ifo_watch.extract.figures import extract

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT.parent / "shared" / "eval"
SCORER = EVAL / "score_extraction.py"


def _jsonl(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.skipif(not SCORER.exists(), reason="shared/eval is not beside the checkout")
def test_seed_extraction_score(catalog: Catalog) -> None:
    """Seeds reach F1 >= 0.95, no non-figures, periods >= 0.9, units >= 0.95, metric identity."""
    score: dict[str, Any] = runpy.run_path(str(SCORER))
    gold: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for g in _jsonl(EVAL / "seeds_gold.jsonl"):
        gold[g["doc"]].append(g)
    negatives: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n in _jsonl(EVAL / "seeds_negatives.jsonl"):
        negatives[n["doc"]].append(n)
    tp = fp = fn = neg = period_ok = unit_ok = 0
    aligned: list[tuple[str, str, str]] = []
    for doc in sorted(set(gold) | set(negatives)):
        preds = [f.to_json() for f in extract(load(str(ROOT / "seeds" / doc)), catalog=catalog)]
        used: set[int] = set()
        for g in sorted(gold[doc], key=lambda g: not g.get("required", True)):
            hit = next(
                (
                    i
                    for i, p in enumerate(preds)
                    if i not in used
                    and score["same_value"](p["value"], g["value"])
                    and score["same_region"](p["region"], g.get("region"))
                    and score["overlaps"](g["quote"], p["quote"])
                ),
                None,
            )
            if hit is None:
                fn += g.get("required", True)
                continue
            used.add(hit)
            if g.get("required", True):
                tp += 1
                period_ok += score["same_period"](g.get("period"), preds[hit]["period"])
                unit_ok += preds[hit]["unit"] == g["unit"]
                aligned.append((doc, g["indicator"], preds[hit]["metric"]))
        quotes = [g["quote"] for g in gold[doc]]
        for i, p in enumerate(preds):
            if i not in used:
                fp += 1
                neg += any(score["took_non_figure"](n["quote"], p, quotes) for n in negatives[doc])
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    same, same_ok, cross, cross_ok, distinct, distinct_ok = _identity(aligned)
    assert 2 * precision * recall / (precision + recall) >= 0.95
    assert neg == 0
    assert period_ok / tp >= 0.9
    assert unit_ok / tp >= 0.95
    assert same_ok / same >= 0.9
    assert cross_ok == cross > 0
    assert distinct_ok / distinct >= 0.98


def _identity(aligned: list[tuple[str, str, str]]) -> tuple[int, int, int, int, int, int]:
    same = same_ok = cross = cross_ok = distinct = distinct_ok = 0
    for i, (di, gi, pi) in enumerate(aligned):
        for dj, gj, pj in aligned[i + 1 :]:
            if gi == gj:
                same += 1
                same_ok += pi == pj
                cross += di != dj
                cross_ok += di != dj and pi == pj
            else:
                distinct += 1
                distinct_ok += pi != pj
    return same, same_ok, cross, cross_ok, distinct, distinct_ok
