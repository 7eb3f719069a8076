"""The blind set: its gold is sound, and the extractor and the diff keep their measured level.

The documents, gold and scenarios were written by people who had not read the code
(see README.md). The floors are the level measured when the set was frozen; a change
that lowers one fails here, and the work that raises one raises its floor.
"""

from __future__ import annotations

import tomllib
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from blindscore import (
    DOC_SUFFIXES,
    document_text,
    in_process_extractor,
    load_set,
    norm_text,
    scenario_dirs,
    score_alerts,
    score_fields,
)

HERE = Path(__file__).resolve().parent
GOLD, NEGATIVES = load_set(HERE)
GOLD_KEYS = {"doc", "quote", "value", "unit", "per", "measure", "what", "indicator"} | {
    "period",
    "region",
    "group",
    "required",
}

# What the set must hold (the counts).
MIN_DOCUMENTS, MIN_REQUIRED, MIN_CROSS_PAIRS, MIN_NEGATIVES, MIN_SCENARIOS = 40, 400, 80, 60, 20

# The level measured after the latest work (tests/blind/README.md), a hair below; the set
# was frozen at every field 0.236, F1 0.794, alerts 0.705 / 0.378.
FLOORS = {
    "every_field_right": 0.80,
    "f1": 0.97,
    "period_exact": 0.96,
    "region": 0.98,
    "metric_cross": 0.90,
    "metric_distinct": 0.99,
}
MAX_NEGATIVES_TAKEN = 0
ALERT_FLOORS = {"precision": 0.97, "recall": 0.92}  # stop 29: "630 färre" against a bare "630"


def test_the_set_is_large_enough() -> None:
    docs = {g["doc"] for g in GOLD}
    assert len(docs) >= MIN_DOCUMENTS
    assert sum(g["required"] for g in GOLD) >= MIN_REQUIRED
    assert len(NEGATIVES) >= MIN_NEGATIVES
    assert len(scenario_dirs(HERE)) >= MIN_SCENARIOS
    by_indicator: dict[str, Counter[str]] = defaultdict(Counter)
    for g in GOLD:
        if g["required"]:
            by_indicator[g["indicator"]][g["doc"]] += 1
    cross = 0
    for per_doc in by_indicator.values():
        counts = list(per_doc.values())
        cross += sum(a * b for i, a in enumerate(counts) for b in counts[i + 1 :])
    assert cross >= MIN_CROSS_PAIRS


def test_every_gold_line_has_every_field_and_stands_in_its_document() -> None:
    texts = {
        p.name: document_text(p) for p in (HERE / "docs").iterdir() if p.suffix in DOC_SUFFIXES
    }
    for row in GOLD:
        assert set(row) == GOLD_KEYS, row
        assert row["measure"] in ("level", "change"), row
        assert norm_text(row["quote"]) in texts[row["doc"]], row
    for row in NEGATIVES:
        assert norm_text(row["quote"]) in texts[row["doc"]], row


def test_every_scenario_is_complete_and_its_quotes_stand_in_the_new_document() -> None:
    for folder in scenario_dirs(HERE):
        expect = tomllib.loads((folder / "expect.toml").read_text(encoding="utf-8"))
        new = next(p for p in sorted(folder.glob("new.*")) if p.suffix in DOC_SUFFIXES)
        text = document_text(new)
        assert expect.get("description"), folder.name
        for alert in expect.get("alerts", []):
            assert alert["kind"] in ("changed", "revised"), (folder.name, alert)
            assert norm_text(alert["new_quote"]) in text, (folder.name, alert)
        for quiet in expect.get("quiet", []):
            assert norm_text(quiet["quote"]) in text, (folder.name, quiet)


@pytest.fixture(scope="module")
def field_scores() -> dict[str, float]:
    scores = score_fields(GOLD, NEGATIVES, HERE / "docs", in_process_extractor())
    return scores.summary()


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_the_extractor_keeps_its_level_on_the_blind_set(
    field_scores: dict[str, float], measure: str
) -> None:
    assert field_scores[measure] >= FLOORS[measure]


def test_the_extractor_takes_no_more_non_figures_than_when_frozen(
    field_scores: dict[str, float],
) -> None:
    assert field_scores["negatives_taken"] <= MAX_NEGATIVES_TAKEN


def test_the_diff_keeps_its_alert_level_on_the_blind_scenarios() -> None:
    scores = score_alerts(HERE)
    assert scores.precision >= ALERT_FLOORS["precision"]
    assert scores.recall >= ALERT_FLOORS["recall"]
