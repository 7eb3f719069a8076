"""Rendering changes as Swedish text: headline, size of the change, Slack's escaping."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from ifo_watch.models import Change, Figure, Observation
from ifo_watch.notify.render import (
    change_line,
    delta_text,
    escape,
    format_number,
    headline,
    safe_url,
    slack_link,
)

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


def test_change_line_names_region_group_and_size() -> None:
    """A digest line reads 'Label (region, group): old (period) → new (period), size'."""
    case = dict(CASES[1], group="flickor")
    assert change_line(_change(case)).replace("\u00a0", " ") == (
        "Andel kommuner med socialjour bemannad dygnet runt med socionomer"
        " (Jämtlands län, flickor): var fjärde (25 procent) (2012) → 40 procent (2024),"
        " +15 procentenheter"
    )
    assert change_line(_change(CASES[3])).endswith(": ny uppgift ett 50-tal")


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<!channel>", "&lt;!channel&gt;"),
        ("<@U123> & co", "&lt;@U123&gt; &amp; co"),
        ("<https://example.org|klicka här>", "&lt;https://example.org|klicka här&gt;"),
        ("&lt; stays visible", "&amp;lt; stays visible"),
    ],
)
def test_escape_in_slacks_order(text: str, escaped: str) -> None:
    """&, < and > are escaped, & first, so page text never forms a mention or a link."""
    assert escape(text) == escaped


def test_urls_cannot_break_out_of_a_link() -> None:
    """|, <, > and spaces in a URL are percent-encoded; & is Slack's &amp;."""
    assert safe_url("https://x.se/a b|c<d>e?f=1&g=2") == (
        "https://x.se/a%20b%7Cc%3Cd%3Ee?f=1&amp;g=2"
    )
    assert slack_link("https://x.se/a|<!channel>", "Rubrik <b> & |") == (
        "<https://x.se/a%7C%3C!channel%3E|Rubrik &lt;b&gt; &amp; |>"
    )


def test_only_web_urls_become_links() -> None:
    """A seed file, a path or a javascript: URL is shown as escaped text, never linked."""
    assert slack_link("seeds/001.txt", "Tidigare <källa>") == "Tidigare &lt;källa&gt;"
    assert slack_link("javascript:alert(1)", "x") == "x"
    assert slack_link(None, "x") == "x"


@pytest.mark.parametrize(
    ("value", "text"),
    [(331000, "331 000"), (4.25, "4,2"), (-1200, "−1 200"), (0, "0"), (1000000, "1 000 000")],
)
def test_format_number(value: float, text: str) -> None:
    """Numbers use a space for thousands, a decimal comma and a real minus sign."""
    assert format_number(value).replace("\u00a0", " ") == text
