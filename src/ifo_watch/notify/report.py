"""Render figures, changes and series for people (rich tables, markdown) and scripts (JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich.table import Table

from ifo_watch.models import Change, Figure, Observation
from ifo_watch.notify.render import delta_text, format_value


def to_json(items: Sequence[Figure] | Sequence[Change]) -> str:
    """Return the contract's JSON array for figures or changes."""
    return json.dumps([item.to_json() for item in items], ensure_ascii=False, indent=2)


def figures_table(figures: Sequence[Figure], *, title: str | None = None) -> Table:
    """Return a table of extracted figures for the terminal."""
    table = Table(title=title, show_lines=False)
    for name in ("Indikator", "Värde", "Citat", "Period", "Region", "Grupp", "Nyckel"):
        table.add_column(name, overflow="fold")
    for f in figures:
        value = format_value(f.value, f.unit) + (f" per {f.per}" if f.per else "")
        table.add_row(
            f.label + (" (förändring)" if f.measure == "change" else ""),
            value,
            f.quote,
            f.period or "",
            f.region or "",
            f.group or "",
            f.metric,
        )
    return table


def _obs(obs: Observation | None, unit: str) -> str:
    if obs is None:
        return ""
    text = format_value(obs.figure.value, unit)
    return f"{text} ({obs.figure.period})" if obs.figure.period else text


def changes_table(changes: Sequence[Change], *, title: str | None = None) -> Table:
    """Return a table of changes for the terminal."""
    table = Table(title=title)
    for name in ("Id", "Status", "Indikator", "Region", "Grupp", "Förut", "Nu", "Förändring"):
        table.add_column(name, overflow="fold")
    for c in changes:
        table.add_row(*_change_cells(c))
    return table


def _change_cells(c: Change) -> list[str]:
    return [
        c.id or "",
        c.status or "",
        c.label,
        c.region or "",
        c.group or "",
        _obs(c.old, c.unit) or "–",
        _obs(c.new, c.unit),
        delta_text(c) or ("ny" if c.kind == "new" else ""),
    ]


def changes_markdown(changes: Sequence[Change]) -> str:
    """Return the changes as a markdown table, for issues and reports."""
    lines = [
        "| Id | Status | Indikator | Region | Grupp | Förut | Nu | Förändring | Källa |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for c in changes:
        cells = [*_change_cells(c), c.new.source]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def history_table(series: Sequence[Observation], *, unit: str, title: str | None = None) -> Table:
    """Return a series with a bar per observation: a small chart in the terminal."""
    table = Table(title=title)
    for name in ("Period", "Värde", "", "Citat", "Källa", "Publicerad"):
        table.add_column(name, overflow="fold")
    top = max((abs(o.figure.value) for o in series), default=0.0) or 1.0
    for o in series:
        bar = "█" * max(1, round(24 * abs(o.figure.value) / top))
        table.add_row(
            o.figure.period or "–",
            format_value(o.figure.value, unit),
            bar,
            o.figure.quote,
            o.source,
            o.published.isoformat() if o.published else "",
        )
    return table


def summary_counts(**counts: Any) -> str:
    """Return 'a=1, b=2' for a closing summary line."""
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items())
