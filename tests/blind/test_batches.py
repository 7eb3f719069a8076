"""The later blind batches: written during the work on the extractor, their gold is sound.

Each batch was scored once when it was handed in (tests/blind/README.md); the floors
are the level measured after the latest work, a hair below, so that a change which
lowers one fails here. Batches 2 to 19 were used for tuning after their first scores
(batch 16's documents and batch 18's scenarios after a stop of being only scored);
batch 20 was only scored until stop 28, which read it; batches 21 and 22 were scored
blind when handed in during stop 28, then read; batch 23 was scored blind at the stop's
end, its gold never read until stop 29, which read it; batch 24 was scored blind twice
during stop 29, then read; batch 25 was scored blind at the stop's start and at
`329fed0`, then read; batch 26 was scored blind at the stop's start and end, its gold and
scenarios never read until stop 30, which read it with batches 27 and 28 (each scored blind
when handed in); batch 29 was scored blind and only its regressions were read, to take back
a rule that helped batch 28 and hurt it; batch 30 was written at stop 30's end and scored
blind with its start and final code, never read until stop 31, which read it; batch 31 was
scored blind when handed in during stop 31, then read; batch 32 was written late in stop 31 and
scored blind with the stop's start and final code, never read. Only a batch written after the
latest work is an honest check again. Stop 29 quoted a change in antal with its "fler"/"färre"
("47 fler"), as most gold does: sets whose writers quoted the bare number ("47") lost a little F1 or
alert precision (batches 10 and 19), and linked series whose region or representation
differs from a scenario's expectation (batches 21, 22) count as false alerts there.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

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
# batch: field floors, most non-figures taken, alert floors (precision, recall)
BATCHES: dict[str, dict[str, Any]] = {
    "batch2": {
        "fields": {
            "every_field_right": 0.86,
            "f1": 0.97,
            "period_exact": 0.94,
            "metric_distinct": 0.99,
        },
        "negatives": 0,
        "alerts": (0.99, 0.92),
    },
    "batch3": {
        "fields": {
            "every_field_right": 0.85,
            "f1": 0.95,
            "period_exact": 0.96,
            "metric_distinct": 0.99,
        },
        "negatives": 0,
        "alerts": (0.96, 0.99),
    },
    "batch4": {
        "fields": {
            "every_field_right": 0.77,
            "f1": 0.96,
            "period_exact": 0.94,
            "metric_distinct": 0.99,
        },
        "negatives": 1,
        "alerts": (0.99, 0.93),
    },
    "batch5": {
        "fields": {
            "every_field_right": 0.75,
            "f1": 0.94,
            "period_exact": 0.89,
            "metric_distinct": 0.99,
        },
        "negatives": 8,
        "alerts": (0.99, 0.79),
    },
    "batch6": {
        "fields": {
            "every_field_right": 0.77,
            "f1": 0.97,
            "period_exact": 0.95,
            "metric_distinct": 0.99,
        },
        "negatives": 2,
        "alerts": (0.95, 0.74),
    },
    "batch7": {
        "fields": {
            "every_field_right": 0.79,
            "f1": 0.95,
            "period_exact": 0.92,
            "metric_distinct": 0.99,
        },
        "negatives": 5,
        "alerts": (0.99, 0.86),
    },
    "batch8": {
        "fields": {
            "every_field_right": 0.8,
            "f1": 0.95,
            "period_exact": 0.93,
            "metric_distinct": 0.99,
        },
        "negatives": 6,
        "alerts": (0.96, 0.89),
    },
    "batch9": {
        "fields": {
            "every_field_right": 0.79,
            "f1": 0.94,
            "period_exact": 0.95,
            "metric_distinct": 0.99,
        },
        "negatives": 9,
        "alerts": (0.99, 0.78),
    },
    "batch10": {
        "fields": {
            "every_field_right": 0.71,
            "f1": 0.94,
            "period_exact": 0.94,
            "metric_distinct": 0.99,
        },
        "negatives": 10,
        # 0.74 before a share of the kommuner stopped taking the key of a share of the
        # ungdomar: one alert (74 -> 71 procent nöjda) had rested on both being wrong
        "alerts": (0.94, 0.77),
    },
    "batch11": {
        "fields": {
            # 0.56 until a count of places and one of units (p03: "385 platser i 42
            # verksamheter") stopped taking the children's key of the sentence before;
            # both now share a derived one, one figure less right by the majority rule
            "every_field_right": 0.58,
            "f1": 0.92,
            "period_exact": 0.85,
            "metric_distinct": 0.99,
        },
        "negatives": 8,
        "alerts": (0.87, 0.74),
    },
    "batch12": {
        "fields": {
            "every_field_right": 0.76,
            "f1": 0.97,
            "period_exact": 0.93,
            "metric_distinct": 0.99,
        },
        "negatives": 3,
        "alerts": (0.99, 0.76),
    },
    "batch13": {
        "fields": {
            "every_field_right": 0.73,
            "f1": 0.96,
            "period_exact": 0.93,
            "metric_distinct": 0.99,
        },
        "negatives": 2,
        "alerts": (0.99, 0.66),
    },
    "batch14": {
        "fields": {
            "every_field_right": 0.81,
            "f1": 0.97,
            "period_exact": 0.94,
            "metric_distinct": 0.99,
        },
        "negatives": 3,
        "alerts": (0.99, 0.80),
    },
    "batch15": {
        "fields": {
            "every_field_right": 0.7,
            "f1": 0.94,
            "period_exact": 0.89,
            "metric_distinct": 0.99,
        },
        "negatives": 2,
        "alerts": (0.96, 0.86),
    },
    # its documents scored only, never read (its scenarios were read): floors a hair below
    # their blind scores at the end of the session that wrote them
    "batch16": {
        "fields": {
            "every_field_right": 0.75,
            "f1": 0.93,
            "period_exact": 0.88,
            "metric_distinct": 0.99,
        },
        "negatives": 9,
        "alerts": (0.95, 0.70),
    },
    "batch19": {
        "fields": {
            "every_field_right": 0.72,
            "f1": 0.95,
            "period_exact": 0.94,
            "metric_distinct": 0.99,
        },
        "negatives": 6,
        "alerts": (0.99, 0.90),
    },
    # scored, never read: its floors are its blind score
    "batch20": {
        "fields": {
            "every_field_right": 0.74,
            "f1": 0.94,
            "period_exact": 0.9,
            "metric_distinct": 0.99,
        },
        "negatives": 3,
        "alerts": (0.99, 0.83),
    },
    "batch21": {
        "fields": {
            "every_field_right": 0.7,
            "f1": 0.92,
            "period_exact": 0.88,
            "metric_distinct": 0.99,
        },
        "negatives": 3,
        "alerts": (0.96, 0.83),
    },
    "batch22": {
        "fields": {
            "every_field_right": 0.76,
            "f1": 0.94,
            "period_exact": 0.95,
            "metric_distinct": 0.99,
        },
        "negatives": 8,
        "alerts": (0.96, 0.66),
    },
    "batch23": {
        "fields": {
            "every_field_right": 0.73,
            "f1": 0.92,
            "period_exact": 0.95,
            "metric_distinct": 0.99,
        },
        "negatives": 5,
        "alerts": (0.93, 0.6),
    },
    "batch24": {
        "fields": {
            "every_field_right": 0.71,
            "f1": 0.91,
            "period_exact": 0.92,
            "metric_distinct": 0.99,
        },
        "negatives": 4,
        "alerts": (0.88, 0.55),
    },
    "batch25": {
        "fields": {
            "every_field_right": 0.69,
            "f1": 0.93,
            "period_exact": 0.89,
            "metric_distinct": 0.99,
        },
        "negatives": 2,
        "alerts": (0.96, 0.6),
    },
    "batch26": {
        "fields": {
            "every_field_right": 0.63,
            "f1": 0.92,
            "period_exact": 0.91,
            "metric_distinct": 0.99,
        },
        "negatives": 6,
        "alerts": (0.87, 0.65),
    },
    "batch27": {
        "fields": {
            "every_field_right": 0.64,
            "f1": 0.95,
            "period_exact": 0.9,
            "metric_distinct": 0.99,
        },
        "negatives": 5,
        "alerts": (0.97, 0.81),
    },
    "batch28": {
        "fields": {
            "every_field_right": 0.66,
            "f1": 0.96,
            "period_exact": 0.83,
            "metric_distinct": 0.99,
        },
        "negatives": 6,
        "alerts": (0.97, 0.73),
    },
    "batch29": {
        "fields": {
            "every_field_right": 0.62,
            "f1": 0.95,
            "period_exact": 0.91,
            "metric_distinct": 0.99,
        },
        "negatives": 4,
        "alerts": (0.93, 0.42),
    },
    "batch30": {
        "fields": {
            "every_field_right": 0.65,
            "f1": 0.94,
            "period_exact": 0.91,
            "metric_distinct": 0.99,
        },
        "negatives": 6,
        "alerts": (0.99, 0.6),
    },
    "batch31": {
        "fields": {
            "every_field_right": 0.64,
            "f1": 0.97,
            "period_exact": 0.94,
            "metric_distinct": 0.99,
        },
        "negatives": 4,
        "alerts": (0.9, 0.71),
    },
    "batch32": {
        "fields": {
            "every_field_right": 0.54,
            "f1": 0.94,
            "period_exact": 0.92,
            "metric_distinct": 0.99,
        },
        "negatives": 9,
        "alerts": (0.85, 0.68),
    },
}
# Sets of diff scenarios alone (no gold documents): alert floors (precision, recall).
# Batch 17 was read and tuned on; batch 18 was scored blind (0.969 / 0.705), then read.
SCENARIO_SETS: dict[str, tuple[float, float]] = {
    "batch17": (0.99, 0.90),
    "batch18": (0.99, 0.88),
}


@pytest.mark.parametrize("batch", sorted(BATCHES))
def test_the_batch_holds_ten_documents_and_its_quotes_stand_in_them(batch: str) -> None:
    root = HERE / batch
    gold, negatives = load_set(root)
    texts = {
        p.name: document_text(p) for p in (root / "docs").iterdir() if p.suffix in DOC_SUFFIXES
    }
    assert len(texts) >= 10
    for row in [*gold, *negatives]:
        assert norm_text(row["quote"]) in texts[row["doc"]], row
    for folder in scenario_dirs(root):
        expect = tomllib.loads((folder / "expect.toml").read_text(encoding="utf-8"))
        new = next(p for p in sorted(folder.glob("new.*")) if p.suffix in DOC_SUFFIXES)
        for alert in expect.get("alerts", []):
            assert norm_text(alert["new_quote"]) in document_text(new), (folder.name, alert)


@pytest.fixture(scope="module")
def extractor() -> Any:
    return in_process_extractor()


@pytest.mark.parametrize("batch", sorted(BATCHES))
def test_the_extractor_keeps_its_level_on_the_batch(batch: str, extractor: Any) -> None:
    root = HERE / batch
    gold, negatives = load_set(root)
    scores = score_fields(gold, negatives, root / "docs", extractor).summary()
    for measure, floor in BATCHES[batch]["fields"].items():
        assert scores[measure] >= floor, (measure, scores[measure])
    assert scores["negatives_taken"] <= BATCHES[batch]["negatives"]


@pytest.mark.parametrize("batch", sorted(BATCHES))
def test_the_diff_keeps_its_alert_level_on_the_batch(batch: str) -> None:
    alerts = score_alerts(HERE / batch)
    precision, recall = BATCHES[batch]["alerts"]
    assert alerts.precision >= precision
    assert alerts.recall >= recall


@pytest.mark.parametrize("batch", sorted(SCENARIO_SETS))
def test_the_diff_keeps_its_alert_level_on_the_scenario_set(batch: str) -> None:
    folders = scenario_dirs(HERE / batch)
    assert len(folders) == 8
    for folder in folders:  # every alert's quote stands in its new document
        expect = tomllib.loads((folder / "expect.toml").read_text(encoding="utf-8"))
        new = next(p for p in sorted(folder.glob("new.*")) if p.suffix in DOC_SUFFIXES)
        for alert in expect.get("alerts", []):
            assert norm_text(alert["new_quote"]) in document_text(new), (folder.name, alert)
    alerts = score_alerts(HERE / batch)
    precision, recall = SCENARIO_SETS[batch]
    assert alerts.precision >= precision
    assert alerts.recall >= recall
