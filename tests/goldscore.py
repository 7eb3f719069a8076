"""The matching rules of ../shared/eval/score_extraction.py, for the gold-set tests.

Imported from the shared scorer when it stands beside the project (as in CI), so the
tests score exactly as the acceptance checks do; otherwise the same rules, compactly.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

Row = dict[str, Any]

_SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
try:
    if not (_SHARED_EVAL / "score_extraction.py").exists():
        raise ImportError(_SHARED_EVAL)
    sys.path.insert(0, str(_SHARED_EVAL))
    from score_extraction import (  # type: ignore[import-not-found]
        norm_text,
        overlaps,
        same_period,
        same_period_exact,
        same_region,
        same_value,
        took_non_figure,
    )
except ImportError:  # the shared folder is absent: the same rules, compactly

    def norm_text(s: str | None) -> str:
        return re.sub(r"\s+", " ", (s or "").replace("\xa0", " ")).strip().lower()

    def _region_keys(s: str | None) -> set[str]:
        s = norm_text(s)
        if not s:
            return {""}
        for prefix in ("region ", "landstinget "):
            s = s.removeprefix(prefix)
        for suffix in (" län", " kommun", " stad", " region"):
            if s.endswith(suffix):
                base = s[: -len(suffix)]
                return {base, base[:-1]} if base.endswith("s") else {base}
        return {s}

    def same_region(a: str | None, b: str | None) -> bool:
        return bool(_region_keys(a) & _region_keys(b))

    def same_value(a: Any, b: Any) -> bool:
        try:
            x, y = float(a), float(b)
        except (TypeError, ValueError):
            return False
        return abs(x - y) <= 1e-6 * max(1.0, abs(y))

    def overlaps(gold_quote: str, pred_quote: str) -> bool:
        g, p = norm_text(gold_quote), norm_text(pred_quote)
        if not (g and p):
            return False
        short, long_ = sorted((g, p), key=len)
        return short in long_ and len(short) >= 0.4 * len(long_)

    def took_non_figure(neg_quote: str, pred: Row, gold_quotes: list[str]) -> bool:
        n, q = norm_text(neg_quote), norm_text(pred.get("quote", ""))
        if not (n and q):
            return False
        if n in q:
            return True
        if q not in n:
            return False
        sentence = norm_text(pred.get("sentence"))
        if sentence and n not in sentence:
            return False
        return not any(
            q in norm_text(g) and (not sentence or norm_text(g) in sentence) for g in gold_quotes
        )

    def _years(s: Any) -> set[str]:
        return set(re.findall(r"(?:19|20)\d\d", str(s or "")))

    def same_period(gold: str | None, pred: str | None) -> bool:
        g, p = _years(gold), _years(pred)
        if not g or not p:
            return not g and not p
        return g <= p or p <= g

    def same_period_exact(gold: str | None, pred: str | None) -> bool:
        return _years(gold) == _years(pred)


def matches(gold: Row, pred: Row) -> bool:
    """Tell whether a predicted figure takes a gold one: value, place and quote agree."""
    return (
        same_value(pred.get("value"), gold["value"])
        and same_region(pred.get("region"), gold.get("region"))
        and overlaps(gold["quote"], pred.get("quote", ""))
    )


__all__ = [
    "matches",
    "norm_text",
    "overlaps",
    "same_period",
    "same_period_exact",
    "same_region",
    "same_value",
    "took_non_figure",
]
