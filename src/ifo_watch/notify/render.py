"""Render changes as Swedish messages (pure) and deliver them to the terminal or Slack."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ifo_watch.models import Change, Observation

_SHARE_UNITS = {"procent", "procentenheter"}


def format_number(value: float) -> str:
    """Format a number the Swedish way: space as thousands separator, decimal comma."""
    if float(value).is_integer():
        text = f"{int(value):,}".replace(",", "\u00a0")
    else:
        text = f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", "\u00a0")
    return text.replace("-", "−")


def format_value(value: float, unit: str) -> str:
    """Format a value with its unit: '43 procent', '10,7 miljarder kronor', '56 000'."""
    if unit == "kronor" and abs(value) >= 1e9:
        return f"{format_number(round(value / 1e9, 1))} miljarder kronor"
    if unit == "kronor" and abs(value) >= 1e6:
        return f"{format_number(round(value / 1e6, 1))} miljoner kronor"
    if unit == "antal":
        return format_number(value)
    return f"{format_number(value)} {unit}"


def _side(obs: Observation, unit: str) -> str:
    figure = obs.figure
    quote = " ".join(figure.quote.split())
    if not any(ch.isdigit() for ch in quote):
        # "var fjärde", "samtliga": say what the words mean
        quote = f"{quote} ({format_value(figure.value, unit)})"
    elif unit != "antal" and unit not in quote:
        quote = f"{quote} {unit}"
    return f"{quote} ({figure.period})" if figure.period else quote


def subject(change: Change) -> str:
    """Return the label with region and group: 'Andel kommuner … – Jämtlands län, flickor'."""
    where = ", ".join(part for part in (change.region, change.group) if part)
    return f"{change.label} – {where}" if where else change.label


def headline(change: Change) -> str:
    """Return the one-line summary: 'Label: drygt 50 000 (2021) → 56 000 (2023)'."""
    new = _side(change.new, change.unit)
    if change.old is None:
        return f"{subject(change)}: ny uppgift {new}"
    return f"{subject(change)}: {_side(change.old, change.unit)} → {new}"


def delta_text(change: Change) -> str | None:
    """Return the size of the change in words, or None for a new indicator."""
    if change.delta is None:
        return None
    sign = "+" if change.delta > 0 else ""
    if change.unit == "procent":
        text = f"{sign}{format_number(change.delta)} procentenheter"
    else:
        text = f"{sign}{format_value(change.delta, change.unit)}"
    if change.delta_pct is not None and change.unit not in _SHARE_UNITS:
        pct = f"{change.delta_pct:+.1f}".replace(".", ",")
        text += f" ({pct} %)"
    return text


def render_text(change: Change) -> str:
    """Render a change for the terminal or a plain-text channel."""
    lines = [headline(change)]
    size = delta_text(change)
    if size:
        lines.append(f"  Förändring: {size}")
    lines.append(f"  Citat: ”{' '.join(change.new.figure.sentence.split())}”")
    lines.append(f"  Källa: {change.new.source}")
    if change.old is not None:
        lines.append(f"  Tidigare: {change.old.source}")
    return "\n".join(lines)


def render_slack(change: Change) -> tuple[str, list[dict[str, Any]]]:
    """Render a change as Slack fallback text and Block Kit blocks."""
    text = headline(change)
    body = [f"*{_escape(text)}*"]
    size = delta_text(change)
    if size:
        body.append(f"Förändring: {_escape(size)}")
    body.append(f"> {_escape(' '.join(change.new.figure.sentence.split()))}")
    body.append(_link(change.new.source, "Källa"))
    if change.old is not None:
        body.append(_link(change.old.source, "Tidigare källa"))
    block = {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(body)}}
    return text, [block]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(source: str, name: str) -> str:
    if source.startswith(("http://", "https://")):
        return f"{name}: <{source}|{_escape(source)}>"
    return f"{name}: {_escape(source)}"


class Notifier(Protocol):
    """Where alerts go: the terminal, or a Slack channel."""

    name: str

    def post(self, change: Change) -> str | None:
        """Deliver one change; return the remote message id if there is one."""
        ...


@dataclass
class TerminalNotifier:
    """Print each change; used when no Slack settings are given and for dry runs."""

    write: Any = print
    name: str = "terminal"

    def post(self, change: Change) -> str | None:
        """Print the rendered change followed by a blank line."""
        self.write(render_text(change) + "\n")
        return None
