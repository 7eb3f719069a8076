"""Rendering changes as Swedish messages: headline, size of the change, Slack blocks."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from ifo_watch.models import Change, Figure, Observation
from ifo_watch.notify.render import delta_text, format_number, headline, render_slack, render_text

CASES = tomllib.loads((Path(__file__).parent / "render_cases.toml").read_text("utf-8"))["case"]


def _obs(side: dict[str, Any], *, unit: str, source: str) -> Observation:
    figure = Figure(
        metric="m",
        label="l",
        value=side["value"],
        unit=unit,
        quote=side["quote"],
        sentence=f"I texten står {side['quote']}.",
        period=side["period"] or None,
    )
    return Observation(figure, source=source)


def _change(case: dict[str, Any]) -> Change:
    old = case.get("old")
    return Change(
        kind="changed" if old else "new",
        metric="m",
        label=case["label"],
        unit=case["unit"],
        region=case.get("region"),
        group=case.get("group"),
        new=_obs(case["new"], unit=case["unit"], source="https://www.socialstyrelsen.se/a"),
        old=_obs(old, unit=case["unit"], source="seeds/001.txt") if old else None,
        delta=case.get("delta"),
        delta_pct=case.get("delta_pct"),
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_headline_and_delta(case: dict[str, Any]) -> None:
    """The headline reads 'Label – region: old (period) → new (period)'."""
    change = _change(case)
    assert headline(change).replace("\u00a0", " ") == case["headline"]
    assert (delta_text(change) or "").replace("\u00a0", " ") == case["delta_text"]


def test_text_message_has_quote_and_sources() -> None:
    """The terminal message carries the sentence quoted and both sources."""
    text = render_text(_change(CASES[0]))
    assert "Citat: ”I texten står 56 000.”" in text
    assert "Källa: https://www.socialstyrelsen.se/a" in text
    assert "Tidigare: seeds/001.txt" in text


def test_slack_blocks_escape_and_link() -> None:
    """Slack text is escaped, and URL sources become links."""
    case = dict(CASES[0], label="Barn <under 18> & unga")
    fallback, blocks = render_slack(_change(case))
    body = blocks[0]["text"]["text"]
    assert fallback.startswith("Barn <under 18> & unga:")
    assert "Barn &lt;under 18&gt; &amp; unga" in body
    assert "<https://www.socialstyrelsen.se/a|https://www.socialstyrelsen.se/a>" in body


@pytest.mark.parametrize(
    ("value", "text"),
    [(331000, "331 000"), (4.25, "4,2"), (-1200, "−1 200"), (0, "0"), (1000000, "1 000 000")],
)
def test_format_number(value: float, text: str) -> None:
    """Numbers use a space for thousands, a decimal comma and a real minus sign."""
    assert format_number(value).replace("\u00a0", " ") == text
