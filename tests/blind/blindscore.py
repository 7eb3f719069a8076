"""Score the extractor and the diff on the blind set: every field of a figure, and alerts.

Two scorers, each a command that prints its figures last (from the project root):

    .venv/bin/python tests/blind/blindscore.py fields [-v] [--set tests/blind]
    .venv/bin/python tests/blind/blindscore.py alerts [-v] [--set tests/blind]

`fields` matches each required gold figure to a predicted one by the shared scorer's
rules (`goldscore`: same value, same place, overlapping quotes; a second pass on value
and quote alone finds figures whose place is wrong) and counts a figure right in every
field when its unit, per, measure, period (exact years), region, group and indicator
are all right. The indicator is right when the figure's metric is the one the
extractor gives most of that gold indicator's matched figures, and that metric is not
the majority metric of another gold indicator. It also prints the shared scorer's
precision, recall and F1, period_exact, the metric pair measures and the non-figures
taken.

`alerts` builds a fresh state for each scenario of `scenarios/` (the bundled seeds,
then the documents of `baseline/`), compares `new.*` with it as `ifo-watch diff PATH`
does, and scores every `changed` and `revised` change against the scenario's
`[[alerts]]`: precision over the alerts given, recall over the alerts expected.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # goldscore, when run as a script

from goldscore import (  # noqa: E402
    Row,
    matches,
    norm_text,
    overlaps,
    same_period_exact,
    same_region,
    same_value,
    took_non_figure,
)

FIELDS = ("unit", "per", "measure", "period", "region", "group", "indicator")
DOC_SUFFIXES = (".html", ".htm", ".txt", ".pdf")


def read_jsonl(path: Path) -> list[Row]:
    """Return the rows of a JSON-lines file (blank lines skipped)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def norm_group(value: Any) -> str:
    """A group as compared: lower case, one kind of dash, no stray spaces."""
    text = norm_text(str(value or "")).replace("-", "–").replace("—", "–")
    return re.sub(r"\s*–\s*", "–", text)


def norm_per(value: Any) -> str:
    """A denominator as compared: "1 000 barn" and "1000 barn" are one."""
    return re.sub(r"(?<=\d)\s+(?=\d)", "", norm_text(str(value or "")))


def document_text(path: Path) -> str:
    """Return a document's text as quotes are compared with it (tags out, spaces folded)."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix in (".html", ".htm"):
        from bs4 import BeautifulSoup

        raw = BeautifulSoup(raw, "lxml").get_text(" ")
    return norm_text(raw)


# --------------------------------------------------------------------- every field


@dataclass
class FieldScores:
    """What `score_fields` counts over a gold set."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    negatives_taken: int = 0
    matched: int = 0  # required gold figures matched on value and quote (place aside)
    every_field: int = 0
    right: Counter[str] = field(default_factory=Counter)
    aligned: list[tuple[str, str, str]] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def ratio(self, a: int, b: int) -> float:
        return a / b if b else 0.0

    @property
    def precision(self) -> float:
        return self.ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self.ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def pairs(self) -> dict[str, float]:
        """metric_same, metric_cross and metric_distinct over the aligned figures."""
        same = cross = distinct = same_ok = cross_ok = distinct_ok = 0
        rows = self.aligned
        for i in range(len(rows)):
            for j in range(i + 1, len(rows)):
                (di, gi, pi), (dj, gj, pj) = rows[i], rows[j]
                if gi == gj:
                    same += 1
                    same_ok += pi == pj
                    if di != dj:
                        cross += 1
                        cross_ok += pi == pj
                else:
                    distinct += 1
                    distinct_ok += pi != pj
        return {
            "metric_same": self.ratio(same_ok, same),
            "metric_cross": self.ratio(cross_ok, cross),
            "metric_distinct": self.ratio(distinct_ok, distinct),
            "cross_pairs": cross,
        }

    def summary(self) -> dict[str, float]:
        out: dict[str, float] = {
            "every_field_right": self.ratio(self.every_field, self.matched),
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }
        out |= {name: self.ratio(self.right[name], self.matched) for name in FIELDS}
        out["period_exact"] = out.pop("period")
        out |= self.pairs()
        out["negatives_taken"] = self.negatives_taken
        out["matched"] = self.matched
        return out


Extractor = Callable[[Path], list[Row]]


def in_process_extractor() -> Extractor:
    """Extract with the installed package, as `ifo-watch extract --format json` does."""
    from ifo_watch.collect import load_document
    from ifo_watch.extract import Catalog, extract_figures

    catalog = Catalog.load()

    def run(path: Path) -> list[Row]:
        doc = load_document(str(path))
        return [dict(f.to_json()) for f in extract_figures(doc, catalog=catalog)]

    return run


def score_fields(
    gold: Sequence[Row], negatives: Sequence[Row], docs: Path, extractor: Extractor
) -> FieldScores:
    """Score every field of the extractor's figures against a gold set."""
    scores = FieldScores()
    by_doc: dict[str, list[Row]] = defaultdict(list)
    for row in gold:
        by_doc[row["doc"]].append(row)
    negs: dict[str, list[Row]] = defaultdict(list)
    for row in negatives:
        negs[row["doc"]].append(row)
    found: list[tuple[Row, Row]] = []  # (gold, prediction) of required figures
    for doc in sorted(set(by_doc) | set(negs)):
        preds = extractor(docs / doc)
        used: set[int] = set()
        ordered = sorted(by_doc[doc], key=lambda g: not g.get("required", True))
        loose: list[Row] = []
        for g in ordered:
            hit = next((i for i, p in enumerate(preds) if i not in used and matches(g, p)), None)
            if hit is None:
                if g.get("required", True):
                    scores.fn += 1
                    loose.append(g)
                    scores.misses.append(f"{doc}: MISSED {g['quote']!r} = {g['value']}")
                continue
            used.add(hit)
            if g.get("required", True):
                scores.tp += 1
                found.append((g, preds[hit]))
        misplaced: set[int] = set()
        for g in loose:  # the place is wrong, the figure is there: scored on its fields
            hit = next(
                (
                    i
                    for i, p in enumerate(preds)
                    if i not in used | misplaced
                    and same_value(p.get("value"), g["value"])
                    and overlaps(g["quote"], p.get("quote", ""))
                ),
                None,
            )
            if hit is not None:
                misplaced.add(hit)
                found.append((g, preds[hit]))
        gold_quotes = [g["quote"] for g in by_doc[doc]]
        for i, p in enumerate(preds):
            if i in used:
                continue
            scores.fp += 1  # as the shared scorer counts: a figure in the wrong place too
            if i in misplaced:
                continue
            if any(took_non_figure(n["quote"], p, gold_quotes) for n in negs[doc]):
                scores.negatives_taken += 1
                scores.misses.append(f"{doc}: NON-FIGURE {p.get('quote')!r}")
            else:
                scores.misses.append(f"{doc}: EXTRA {p.get('quote')!r} = {p.get('value')}")
    _score_found(scores, found)
    return scores


def _score_found(scores: FieldScores, found: list[tuple[Row, Row]]) -> None:
    majority = _majority_metrics(found)
    owners = Counter(majority.values())
    for g, p in found:
        scores.matched += 1
        metric = str(p.get("metric"))
        checks = {
            "unit": norm_text(p.get("unit")) == norm_text(g.get("unit")),
            "per": norm_per(p.get("per")) == norm_per(g.get("per")),
            "measure": (p.get("measure") or "level") == _gold_measure(g),
            "period": same_period_exact(g.get("period"), p.get("period")),
            "region": same_region(p.get("region"), g.get("region")),
            "group": norm_group(p.get("group")) == norm_group(g.get("group")),
            "indicator": metric == majority[g["indicator"]] and owners[metric] == 1,
        }
        scores.right.update(name for name, ok in checks.items() if ok)
        if all(checks.values()):
            scores.every_field += 1
        else:
            wrong = ", ".join(
                f"{name} {_shown(g, p, name)}" for name, ok in checks.items() if not ok
            )
            scores.misses.append(f"{g['doc']}: {g['quote']!r}: {wrong}")
        if same_region(p.get("region"), g.get("region")):
            scores.aligned.append((g["doc"], g["indicator"], metric))


def _majority_metrics(found: Iterable[tuple[Row, Row]]) -> dict[str, str]:
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for g, p in found:
        votes[g["indicator"]][str(p.get("metric"))] += 1
    return {ind: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for ind, c in votes.items()}


def _gold_measure(g: Row) -> str:
    if g.get("measure"):
        return str(g["measure"])
    return (
        "change" if str(g.get("indicator", "")).startswith(("okning_", "minskning_")) else "level"
    )


def _shown(g: Row, p: Row, name: str) -> str:
    key = {"indicator": "metric"}.get(name, name)
    want = g.get("indicator") if name == "indicator" else g.get(name)
    return f"(gold {want!r}, got {p.get(key)!r})"


# --------------------------------------------------------------------------- alerts


@dataclass
class AlertScores:
    """What `score_alerts` counts over the scenarios."""

    given: int = 0
    right: int = 0
    expected: int = 0
    found: int = 0
    quiet_broken: int = 0
    lines: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.given if self.given else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def scenario_dirs(root: Path) -> list[Path]:
    """Return the scenario folders in order."""
    return sorted(p for p in (root / "scenarios").iterdir() if (p / "expect.toml").exists())


def scenario_changes(folder: Path, state_dir: Path) -> list[Row]:
    """Return the `diff PATH` changes of a scenario's new document, as JSON rows."""
    from ifo_watch import pipeline, track
    from ifo_watch.collect import load_document
    from ifo_watch.extract import Catalog

    catalog = Catalog.load()
    store = track.Store.open(state_dir)
    baseline = sorted(p for p in (folder / "baseline").glob("*") if p.suffix in DOC_SUFFIXES)
    pipeline.seed(store, [*pipeline.seed_paths(), *baseline], catalog=catalog)
    new = next(p for p in sorted(folder.glob("new.*")) if p.suffix in DOC_SUFFIXES)
    doc = load_document(str(new))
    changes = track.compare(store, doc, pipeline.extract(doc, catalog=catalog), catalog=catalog)
    return [dict(c.to_json()) for c in changes]


def _alert_matches(want: Row, got: Row) -> bool:
    new = got.get("new") or {}
    return (
        same_value(new.get("value"), want["new_value"])
        and overlaps(str(want.get("new_quote", "")), str(new.get("quote", "")))
        and same_region(got.get("region"), want.get("region") or None)
    )


def score_alerts(root: Path) -> AlertScores:
    """Score the alerts of every scenario against its expectations."""
    scores = AlertScores()
    for folder in scenario_dirs(root):
        expect = tomllib.loads((folder / "expect.toml").read_text(encoding="utf-8"))
        wanted: list[Row] = list(expect.get("alerts", []))
        with tempfile.TemporaryDirectory() as state:
            changes = scenario_changes(folder, Path(state))
        alerts = [c for c in changes if c.get("kind") in ("changed", "revised")]
        scores.expected += len(wanted)
        scores.given += len(alerts)
        left = list(wanted)
        for alert in alerts:
            hit = next((w for w in left if _alert_matches(w, alert)), None)
            new = alert.get("new") or {}
            if hit is None:
                scores.lines.append(
                    f"{folder.name}: FALSE {alert.get('label')!r} {alert.get('region') or ''} "
                    f"{(alert.get('old') or {}).get('value')} -> {new.get('value')} "
                    f"({new.get('quote')!r})"
                )
                for quiet in expect.get("quiet", []):
                    if same_value(new.get("value"), quiet.get("value")) and overlaps(
                        str(quiet.get("quote", "")), str(new.get("quote", ""))
                    ):
                        scores.quiet_broken += 1
                        break
                continue
            left.remove(hit)
            scores.right += 1
        scores.found += len(wanted) - len(left)
        for w in left:
            scores.lines.append(
                f"{folder.name}: MISSED {w.get('what')!r} {w.get('old_value')} -> "
                f"{w['new_value']} ({w.get('new_quote')!r})"
            )
    return scores


# ------------------------------------------------------------------------------ CLI


def load_set(root: Path) -> tuple[list[Row], list[Row]]:
    """Return the gold figures and the listed non-figures of a blind set."""
    return read_jsonl(root / "gold.jsonl"), read_jsonl(root / "negatives.jsonl")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scorer", choices=["fields", "alerts"])
    parser.add_argument("--set", default=str(HERE), help="the set's folder (default: this one)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    root = Path(args.set)
    if args.scorer == "fields":
        gold, negatives = load_set(root)
        scores = score_fields(gold, negatives, root / "docs", in_process_extractor())
        if args.verbose:
            print("\n".join(scores.misses))
        s = scores.summary()
        print(
            f"documents={len({g['doc'] for g in gold})} "
            f"required={sum(g['required'] for g in gold)} "
            f"tp={scores.tp} fp={scores.fp} fn={scores.fn} matched={scores.matched} "
            f"cross_pairs={s['cross_pairs']} negatives_listed={len(negatives)}"
        )
        print(" ".join(f"{k}={s[k]:.3f}" for k in ("unit", "per", "measure", "region", "group")))
        print(
            f"every_field_right={s['every_field_right']:.3f} f1={s['f1']:.3f} "
            f"precision={s['precision']:.3f} recall={s['recall']:.3f} "
            f"period_exact={s['period_exact']:.3f} indicator={s['indicator']:.3f} "
            f"metric_same={s['metric_same']:.3f} metric_cross={s['metric_cross']:.3f} "
            f"metric_distinct={s['metric_distinct']:.3f} "
            f"negatives_taken={int(s['negatives_taken'])}"
        )
    else:
        alerts = score_alerts(root)
        if args.verbose:
            print("\n".join(alerts.lines))
        print(
            f"scenarios={len(scenario_dirs(root))} alerts_expected={alerts.expected} "
            f"alerts_given={alerts.given} right={alerts.right} quiet_broken={alerts.quiet_broken}"
        )
        print(f"alert_precision={alerts.precision:.3f} alert_recall={alerts.recall:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
