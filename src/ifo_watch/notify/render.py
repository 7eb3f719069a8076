"""Render changes as Swedish text (pure): numbers, headlines, and Slack's escaping rules."""

from __future__ import annotations

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


def said(obs: Observation, unit: str) -> str:
    """Return a figure as written, with its period: 'drygt 50 000 (2021)', '43 procent (2023)'."""
    return _side(obs, unit)


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


def where(change: Change) -> str:
    """Return 'Label (region, group)', the name of an indicator in a digest."""
    parts = ", ".join(part for part in (change.region, change.group) if part)
    return f"{change.label} ({parts})" if parts else change.label


def values_text(change: Change) -> str:
    """Return 'old (period) → new (period), +6 000 (+12,0 %)', or 'ny uppgift …'."""
    new = _side(change.new, change.unit)
    if change.old is None:
        return f"ny uppgift {new}"
    line = f"{_side(change.old, change.unit)} → {new}"
    size = delta_text(change)
    return f"{line}, {size}" if size else line


def change_line(change: Change) -> str:
    """Return 'Label (region, group): old (period) → new (period), +6 000 (+12,0 %)'."""
    return f"{where(change)}: {values_text(change)}"


# -- Slack's text rules -------------------------------------------------------------------

_URL_UNSAFE = {"|": "%7C", "<": "%3C", ">": "%3E", " ": "%20", '"': "%22"}


def escape(text: str) -> str:
    """Escape &, < and > (in that order), so page text can never form a link or a mention."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def is_web_url(text: str | None) -> bool:
    """Return True for an http(s) URL: the only kind of source that becomes a link."""
    return bool(text) and str(text).lower().startswith(("http://", "https://"))


def safe_url(url: str) -> str:
    """Return a URL that cannot break out of Slack's <url|label>: |, <, >, spaces encoded."""
    out = []
    for ch in url.strip():
        if ch in _URL_UNSAFE:
            out.append(_URL_UNSAFE[ch])
        elif ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("".join(f"%{byte:02X}" for byte in ch.encode("utf-8")))
        else:
            out.append(ch)
    return "".join(out).replace("&", "&amp;")


def slack_link(url: str | None, label: str) -> str:
    """Return a Slack link to an http(s) URL with an escaped label, or the escaped label alone."""
    label = escape(" ".join(label.split()))
    if url is None or not is_web_url(url):
        return label
    return f"<{safe_url(url)}|{label}>"
