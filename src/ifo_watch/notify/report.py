"""Render figures, changes and series for people (rich tables, markdown) and scripts (JSON)."""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ifo_watch.models import Change, Figure, Observation
from ifo_watch.notify.manifest import publication_of
from ifo_watch.notify.render import (
    delta_text,
    format_value,
    headline,
    is_web_url,
    said,
    subject,
)
from ifo_watch.notify.terminal import clean

if TYPE_CHECKING:  # rich loads when a table is made: `changes_text` prints without it
    from rich.console import JustifyMethod
    from rich.table import Table
    from rich.text import Text

    from ifo_watch.track import Decision, Indicator, Publication


def to_json(items: Sequence[Figure] | Sequence[Change]) -> str:
    """Return the contract's JSON array for figures or changes."""
    return json.dumps([item.to_json() for item in items], ensure_ascii=False, indent=2)


def figures_table(figures: Sequence[Figure], *, title: str | None = None) -> Table:
    """Return a table of extracted figures for the terminal."""
    from rich.table import Table

    table = Table(title=clean(title) or None, show_lines=False)
    for name in ("Indikator", "Värde", "Citat", "Period", "Region", "Grupp", "Nyckel"):
        table.add_column(name, overflow="fold")
    for f in figures:
        value = format_value(f.value, f.unit) + (f" per {clean(f.per)}" if f.per else "")
        table.add_row(
            _cell(f.label + (" (förändring)" if f.measure == "change" else "")),
            _cell(value),
            _cell(f.quote),
            _cell(f.period),
            _cell(f.region),
            _cell(f.group),
            _cell(f.metric),
        )
    return table


def _obs(obs: Observation | None, unit: str) -> str:
    if obs is None:
        return ""
    text = format_value(obs.figure.value, unit)
    return f"{text} ({obs.figure.period})" if obs.figure.period else text


def _cell(text: str | None) -> Text:
    """Return page text as a cell that prints as written (no markup, no escape codes)."""
    from rich.text import Text

    return Text(clean(text))


def source_text(obs: Observation, publications: Mapping[int, Publication]) -> str:
    """Return where a figure was published, short: 'Socialstyrelsen 2024-03-28'."""
    pub = publication_of(obs, publications)
    who = pub.publisher or _host(pub.url)
    when = pub.published.isoformat() if pub.published else ""
    return clean(f"{who} {when}".strip())


def _host(url: str) -> str:
    if is_web_url(url):
        return url.split("/")[2]
    return url.replace("\\", "/").rsplit("/", 1)[-1]  # a local file: its name


def changes_view(
    changes: Sequence[Change],
    *,
    ids: bool = True,
    statuses: bool = True,
    publications: Mapping[int, Publication] | None = None,
    width: int = 160,
) -> Table | Text:
    """Return changes for a terminal `width` columns wide: a table, or a list when narrow.

    Each change shows its indicator (with region and group), the earlier and the new
    figure, the difference and where the new figure was published. `ids=False` leaves
    out the id and status: changes of documents given to `diff` are not recorded, so no
    id of theirs could be accepted; `statuses=False` leaves out the status when every
    change has the same. Where the table's columns would have to cut words (about
    80 columns), each change gets three lines instead, its id first.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    layout = _changes_layout(changes, ids, statuses, publications or {}, width)
    if isinstance(layout, str):
        return Text(layout)
    names, widths, rows = layout
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for name, size in zip(names, widths, strict=True):
        table.add_column(name, width=size, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def changes_text(
    changes: Sequence[Change],
    *,
    ids: bool = True,
    statuses: bool = True,
    publications: Mapping[int, Publication] | None = None,
    width: int = 160,
) -> str | None:
    """Return what `changes_view` prints on a plain stream (no terminal, no styles), or None.

    The same table or list, laid out as rich lays it out, without loading rich (about
    30 ms of `ifo-watch diff PATH`): cells wrapped at word boundaries into their fixed
    widths, each padded by one space either side, the columns joined by a space, a rule
    under the header. None when only rich knows the answer: a character that may not be
    one column wide, a word longer than its column, a list line longer than `width`.
    `tests/notify/test_plain_changes.py` holds it to rich's output.
    """
    layout = _changes_layout(changes, ids, statuses, publications or {}, width)
    if isinstance(layout, str):
        lines = layout.split("\n")
        if all(len(line) <= width and _one_cell(line) for line in lines):
            return "".join(line + "\n" for line in lines)
        return None
    return _plain_table(*layout, width=width)


def _changes_layout(
    changes: Sequence[Change],
    ids: bool,
    statuses: bool,
    publications: Mapping[int, Publication],
    width: int,
) -> tuple[list[str], list[int], list[list[str]]] | str:
    """Return the table's names, column widths and rows, or the list's text when narrow."""
    names = (["Id"] if ids else []) + (["Status"] if ids and statuses else [])
    names += ["Indikator", "Förut", "Nu", "Förändring", "Källa"]
    rows = []
    for c in changes:
        cells = _change_cells(c)
        row = ([c.id or ""] if ids else []) + ([c.status or ""] if ids and statuses else [])
        row += [subject(c), *cells[5:], source_text(c.new, publications)]
        rows.append([clean(x) for x in row])
    widths = _change_widths(names, rows, width=width)
    label = names.index("Indikator")
    longest = max(len(row[label]) for row in rows) if rows else 0
    if sum(widths) + 3 * len(names) - 1 > width or widths[label] < min(longest, _LABEL):
        return "\n".join(_change_list(changes, ids, statuses, publications, width))
    return names, widths, rows


# Characters rich gives one column each, alone and in any sequence (tested against
# rich.cells): printable ASCII, Latin-1 to IPA, Greek, and the punctuation, currency,
# letter-like, arrow and maths blocks. No space but " " (cells are `clean`).
_ONE_CELL = re.compile(
    "[\x21-\x7e\xa1-\u02ff\u0370-\u03ff\u2010-\u2027\u2030-\u205e"
    "\u20a0-\u20c0\u2100-\u214f\u2190-\u22ff ]*"
)


def _one_cell(text: str) -> bool:
    return _ONE_CELL.fullmatch(text) is not None


def _plain_table(
    names: Sequence[str], widths: Sequence[int], rows: Sequence[Sequence[str]], *, width: int
) -> str | None:
    """Return rich's SIMPLE_HEAD table without edges, as printed on a plain stream."""
    if sum(widths) + 3 * len(widths) - 1 > width or min(widths, default=0) < 1:
        return None
    out: list[str] = []
    for number, row in enumerate([names, *rows]):
        cells = [_plain_wrap(text, size) for text, size in zip(row, widths, strict=True)]
        if any(lines is None for lines in cells):
            return None
        blank = [""]
        height = max(len(lines or blank) for lines in cells)
        for index in range(height):
            out.append(
                " ".join(
                    " " + (lines[index] if lines and index < len(lines) else "").ljust(size) + " "
                    for lines, size in zip(cells, widths, strict=True)
                )
            )
        if number == 0:
            out.append("─" * (sum(widths) + 3 * len(widths) - 1))
    return "".join(line + "\n" for line in out)


def _plain_wrap(text: str, width: int) -> list[str] | None:
    """Return a cell's lines as rich wraps them (words kept whole), or None when in doubt."""
    if not _one_cell(text) or "  " in text or text.startswith(" ") or text.endswith(" "):
        return None
    words = text.split(" ") if text else [""]
    if any(len(word) > width for word in words):
        return None
    lines = [words[0]]
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _change_list(
    changes: Sequence[Change],
    ids: bool,
    statuses: bool,
    publications: Mapping[int, Publication],
    width: int,
) -> list[str]:
    """Return each change as lines: id and indicator, the values, then source and status."""
    indent = " " * (10 if ids else 2)
    lines: list[str] = []
    for c in changes:
        head = f"{c.id or '':<8}  " if ids else "  "
        # a label of only spaces wraps to no line at all: its change still gets one
        label = textwrap.wrap(clean(subject(c)), width=max(20, width - len(indent))) or [""]
        lines.append(head + label[0])
        lines += [indent + part for part in label[1:]]
        size = delta_text(c) or ("ny" if c.kind == "new" else "")
        values = f"{_obs(c.old, c.unit) or '–'} → {_obs(c.new, c.unit)}" + (
            f", {size}" if size else ""
        )
        lines += textwrap.wrap(
            clean(values), width=max(20, width), initial_indent=indent, subsequent_indent=indent
        )
        where = source_text(c.new, publications)
        lines.append(indent + where + (f" · {c.status}" if ids and statuses else ""))
    return lines


_CELL = 17  # the width a value or source column grows to, when there is room
_LABEL = 28  # the width the indicator column gets before the others grow


def _change_widths(names: Sequence[str], rows: Sequence[Sequence[str]], *, width: int) -> list[int]:
    """Return column widths that fit `width`: no column narrower than its longest word.

    What is left goes first to the indicator (up to a readable width), then to the
    value and source columns (so that "43 procent (2021)" stays on one line), then to
    the indicator again.
    """
    words = [
        max([len(name), *(len(w) for row in rows for w in row[i].split())])
        for i, name in enumerate(names)
    ]
    longest = [max([len(name), *(len(row[i]) for row in rows)]) for i, name in enumerate(names)]
    widths = list(words)
    label = names.index("Indikator")
    room = width - (3 * len(names) - 1) - sum(widths)

    def grow(index: int, upto: int) -> None:
        nonlocal room
        extra = max(0, min(room, upto - widths[index]))
        widths[index] += extra
        room -= extra

    grow(label, min(longest[label], _LABEL))
    for index in range(len(names)):
        if index != label:
            grow(index, min(longest[index], _CELL))
    grow(label, longest[label])
    return widths


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


def changes_markdown(changes: Sequence[Change], *, ids: bool = True) -> str:
    """Return the changes as a markdown table, for issues and reports."""
    names = ["Id", "Status"] if ids else []
    names += ["Indikator", "Region", "Grupp", "Förut", "Nu", "Förändring", "Källa"]
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    for c in changes:
        cells = [*_change_cells(c), c.new.source]
        cells = cells if ids else cells[2:]
        lines.append("| " + " | ".join(clean(x).replace("|", "\\|") for x in cells) + " |")
    return "\n".join(lines)


def history_table(
    series: Sequence[Observation],
    *,
    unit: str,
    title: str | None = None,
    publications: Mapping[int, Publication] | None = None,
    width: int = 80,
) -> Table:
    """Return a series as a table `width` columns wide: period, value, quote, source, date.

    Period, value and date are never wrapped nor cut; the quote and the source's title
    share what is left, cut with an ellipsis (the CSV and JSON formats carry them whole).
    """
    rows = []
    for o in series:
        pub = publication_of(o, publications or {})
        rows.append(
            (
                o.figure.period or "–",
                format_value(o.figure.value, unit),
                clean(o.figure.quote),
                clean(pub.title) or source_text(o, publications or {}),
                pub.published.isoformat() if pub.published else "",
            )
        )
    names = ("Period", "Värde", "Citat", "Källa", "Publicerad")
    longest = [max([len(name), *(len(row[i]) for row in rows)]) for i, name in enumerate(names)]
    left = width - (3 * len(names) - 1) - longest[0] - longest[1] - longest[4]
    quote = min(longest[2], max(8, left * 2 // 5))
    source = min(longest[3], max(8, left - quote))
    widths = [longest[0], longest[1], quote, source, longest[4]]
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=clean(title) or None, box=box.SIMPLE_HEAD, show_edge=False)
    for name, size in zip(names, widths, strict=True):
        table.add_column(
            name, width=size, no_wrap=True, overflow="ellipsis", justify=_justify(name)
        )
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def _justify(name: str) -> JustifyMethod:
    return "right" if name == "Värde" else "left"


HISTORY_FIELDS = (
    "metric",
    "label",
    "unit",
    "region",
    "group",
    "period",
    "value",
    "qualifier",
    "quote",
    "source",
    "published",
)


def history_rows(series: Sequence[Observation]) -> list[dict[str, Any]]:
    """Return the series as the objects of `history --format json` (and rows of csv)."""
    rows = []
    for o in series:
        f = o.figure
        rows.append(
            {
                "metric": f.metric,
                "label": f.label,
                "unit": f.unit,
                "region": f.region,
                "group": f.group,
                **o.to_json(),
                "qualifier": f.qualifier,
            }
        )
    return [{key: row[key] for key in HISTORY_FIELDS} for row in rows]


def history_csv(series: Sequence[Observation]) -> str:
    """Return the series as CSV with a header row (RFC 4180, values as numbers)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HISTORY_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in history_rows(series):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def history_heading(series: Sequence[Observation], *, key: str) -> list[str]:
    """Return the two lines above a history: the indicator, then its key, unit and count."""
    last = series[-1].figure
    where = ", ".join(part for part in (last.region, last.group) if part)
    label = f"{last.label} – {where}" if where else last.label
    count = f"{len(series)} uppgift" if len(series) == 1 else f"{len(series)} uppgifter"
    return [clean(label), f"{key} · {last.unit} · {count}"]


# -- indicators ----------------------------------------------------------------------------


def metrics_lines(found: Sequence[Indicator], *, width: int = 80) -> list[str]:
    """Return the indicators as `metrics` prints them: each key on a line of its own.

    Under the key, indented, the Swedish label (wrapped at `width`) and a line with
    unit, how many figures the state holds and the latest of them. A key is never
    wrapped, so it can be copied whole.
    """
    lines: list[str] = []
    for ind in found:
        lines.append(ind.key)
        label = clean(ind.label)
        lines += textwrap.wrap(
            label, width=max(20, width), initial_indent="    ", subsequent_indent="    "
        ) or ["    "]
        lines.append("    " + " · ".join(_facts(ind)))
    return lines


def _facts(ind: Indicator) -> list[str]:
    facts = [ind.unit or "enhet okänd"]
    if ind.observations == 0:
        facts.append("inga uppgifter")
    else:
        noun = "uppgift" if ind.observations == 1 else "uppgifter"
        facts.append(f"{ind.observations} {noun}")
    if ind.latest is not None:
        f = ind.latest.figure
        where = ", ".join(x for x in (f.region, f.group) if x)
        value = clean(said(ind.latest, ind.unit or f.unit))
        facts.append(f"senast {value}" + (f", {clean(where)}" if where else ""))
    if not ind.catalogued:
        facts.append("ej i katalogen")
    return facts


# -- review decisions ----------------------------------------------------------------------


def decision_lines(decision: Decision) -> list[str]:
    """Return what a decision did: 'accepted ID: headline', then what the baseline did."""
    c = decision.change
    lines = [f"{decision.action} {c.id}: {clean(headline(c))}"]
    before, after = _obs(decision.before, c.unit), _obs(decision.after, c.unit)
    if decision.action == "undone":
        moved = f"; baseline: {before or '–'} → {after or '–'}" if decision.moved else ""
        lines.append(f"  {decision.undid} taken back{moved}; pending again")
    elif decision.moved:
        lines.append(f"  baseline: {before or '–'} → {after}")
    elif decision.action == "accepted":
        lines.append(f"  baseline stays at {after} (the change is about an older period)")
    elif after:
        lines.append(f"  baseline stays at {after}")
    else:
        lines.append("  baseline stays without this indicator")
    return lines


def summary_counts(**counts: Any) -> str:
    """Return 'a=1, b=2' for a closing summary line."""
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items())
