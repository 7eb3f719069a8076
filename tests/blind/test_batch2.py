"""The second blind batch: written during the work, scored at its end; its gold is sound.

Floors are the level measured when it was first scored (tests/blind/README.md).
"""

from __future__ import annotations

import tomllib
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

BATCH = Path(__file__).resolve().parent / "batch2"
GOLD, NEGATIVES = load_set(BATCH)
FLOORS = {"every_field_right": 0.49, "f1": 0.95, "period_exact": 0.81, "metric_distinct": 0.99}
MAX_NEGATIVES_TAKEN = 9
ALERT_FLOORS = {"precision": 0.75, "recall": 0.38}


def test_the_batch_holds_ten_documents_and_its_quotes_stand_in_them() -> None:
    texts = {
        p.name: document_text(p) for p in (BATCH / "docs").iterdir() if p.suffix in DOC_SUFFIXES
    }
    assert len(texts) >= 10
    for row in [*GOLD, *NEGATIVES]:
        assert norm_text(row["quote"]) in texts[row["doc"]], row
    for folder in scenario_dirs(BATCH):
        expect = tomllib.loads((folder / "expect.toml").read_text(encoding="utf-8"))
        new = next(p for p in sorted(folder.glob("new.*")) if p.suffix in DOC_SUFFIXES)
        for alert in expect.get("alerts", []):
            assert norm_text(alert["new_quote"]) in document_text(new), (folder.name, alert)


@pytest.fixture(scope="module")
def scores() -> dict[str, float]:
    return score_fields(GOLD, NEGATIVES, BATCH / "docs", in_process_extractor()).summary()


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_the_extractor_keeps_its_level_on_the_second_batch(
    scores: dict[str, float], measure: str
) -> None:
    assert scores[measure] >= FLOORS[measure]
    assert scores["negatives_taken"] <= MAX_NEGATIVES_TAKEN


def test_the_diff_keeps_its_alert_level_on_the_second_batch() -> None:
    alerts = score_alerts(BATCH)
    assert alerts.precision >= ALERT_FLOORS["precision"]
    assert alerts.recall >= ALERT_FLOORS["recall"]
