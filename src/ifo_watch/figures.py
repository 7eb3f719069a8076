"""Turn a document's Swedish text and tables into figures with every field of the contract.

The stages, each a small pure function: lines -> blocks (headings, paragraphs) ->
sentences -> number expressions (numbers.py) -> for each, the clause it stands in, its
period (periods.py), places (regions.py), group (groups.py) and metric (catalog.py). A
figure whose clause names no indicator but refers back ("I Jämtland finns samma stöd bara
i var fjärde kommun") keeps the indicator of the figure before it. Tables give one figure
per numeric cell, read through their row and column headers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Protocol

from ifo_watch import periods
from ifo_watch.catalog import Catalog, Metric, content_words
from ifo_watch.groups import find_group
from ifo_watch.models import Document, Figure, Table

EXTRACTOR_VERSION = "figures-1"

__all__ = ["EXTRACTOR_VERSION", "Sentence", "extract", "sentences"]


class NumberLike(Protocol):
    """What figures.py reads of a numbers.NumberMatch."""

    start: int
    end: int
    quote: str
    value: float
    unit: str
    per: str | None
    qualifier: str | None
    low: float | None
    high: float | None
    measure: str


class PlaceLike(Protocol):
    """What figures.py reads of a regions.Place."""

    name: str
    type: str
    start: int
    end: int


# --- Blocks and sentences -------------------------------------------------------------


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TERMINAL = (".", "!", "?", ":", ";", "…")
_ABBREVIATIONS = _wordset(
    """t.ex ex bl.a s.k ca kl m.m m.fl dvs d.v.s osv o.s.v resp jfr inkl exkl t.o.m fr.o.m
    nr kap st p.g.a pga f.d fd s sid tel tfn milj mdr mkr tkr mnkr prop bet dir jan feb mar
    apr jun jul aug sep sept okt nov dec resp ung obs forts e.d o.d dr prof doc"""
)  # fmt: skip
_BOUNDARY = re.compile(r"[.!?…]+[\"”’)]*\s+(?=[\"”„'«(–—-]?\s*[A-ZÅÄÖÉÜ0-9])")
_LAST_TOKEN = re.compile(r"(\S+?)\.?[\"”’)]*$")
_HINT = re.compile(
    r"\d|\b(?:noll|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tretton|fjorton|femton|"
    r"sexton|sjutton|arton|nitton|tjugo|trettio|fyrtio|femtio|sextio|sjuttio|åttio|nittio|"
    r"hundra|tusen|miljon|miljard|hälften|halva|fjärdedel|tredjedel|femtedel|tiondel|"
    r"samtliga|alla|varannan|vartannat|var\s+\w+e\b|vart\s+\w+e\b|dubbelt|dubbla|"
    r"en\s+av|ett\s+av|ingen\s+av)",
    re.IGNORECASE,
)
_HAS_LETTER = re.compile(r"[A-Za-zÅÄÖåäöÉé]")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the document with where it stands."""

    text: str
    start: int
    heading: bool
    block: int


def sentences(text: str) -> Iterator[Sentence]:
    """Yield the document's sentences in order, headings as sentences of their own.

    A line that runs on (no end punctuation, the next line starting in lower case) is
    joined to the next; abbreviations ("t.ex.", "bl.a.", "ca", "kl.") do not end a
    sentence.
    """
    for index, (start, block) in enumerate(_blocks(text)):
        heading = _is_heading(block)
        if heading:
            yield Sentence(block, start, True, index)
            continue
        for s, e in _sentence_spans(block):
            piece = block[s:e].strip()
            if piece:
                lead = len(block[s:e]) - len(block[s:e].lstrip())
                yield Sentence(piece, start + s + lead, False, index)


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    start: int | None = None
    parts: list[str] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if not stripped:
            if parts and start is not None:
                yield start, " ".join(parts)
            parts, start = [], None
        elif parts and not parts[-1].endswith(_TERMINAL) and stripped[0].islower():
            parts.append(stripped)
        else:
            if parts and start is not None:
                yield start, " ".join(parts)
            start = offset + (len(line) - len(line.lstrip()))
            parts = [stripped]
        offset += len(line)
    if parts and start is not None:
        yield start, " ".join(parts)


def _is_heading(block: str) -> bool:
    return not block.endswith(_TERMINAL) and len(block) <= 120 and block.count(" ") < 16


def _sentence_spans(block: str) -> Iterator[tuple[int, int]]:
    begin = 0
    for m in _BOUNDARY.finditer(block):
        token = _LAST_TOKEN.search(block, max(begin, m.start() - 12), m.start() + 1)
        word = token.group(1).lower() if token else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        yield begin, m.end()
        begin = m.end()
    yield begin, len(block)


# --- Clauses ------------------------------------------------------------------------------

# A contrast starts a clause about another place or group; a continuation ("vilket
# motsvarar") keeps them.
_CONTRAST = re.compile(r",?\s+(?:medan|men|samtidigt\s+som|jämfört\s+med|än\s+i)\s+|;\s+", re.I)


def _clauses(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    begin = 0
    for m in _CONTRAST.finditer(text):
        spans.append((begin, m.start()))
        begin = m.start()
    spans.append((begin, len(text)))
    return spans


def _clause_of(spans: list[tuple[int, int]], start: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= start < e:
            return s, e
    return spans[-1]


# --- Reference across sentences -----------------------------------------------------

_ANAPHORA = re.compile(
    r"\b(?:samma|detsamma|motsvarande|gör\s+det|är\s+det|gäller\s+det|det\s+gäller|"
    r"rekommendation\w*|så\s+är\s+fallet|denna\s+andel|den\s+andelen|siffran|nivån)\b",
    re.I,
)
_CONTINUES = re.compile(
    r"^(?:–\s*)?(?:det\s+(?:motsvarar|innebär|betyder|är\s+en\s+(?:ökning|minskning))|vilket|"
    r"detta\s+(?:motsvarar|innebär)|det\s+var)\b",
    re.I,
)
_GENERIC = _wordset(
    """kommun kommunerna landet land län region stöd ökning minskning nivå siffra resultat
    ungefär bara endast fortfarande nu idag jämföra innan före siffra andel antal"""
)


def _is_referential(clause: str, *, offset: int, places: Sequence[PlaceLike]) -> bool:
    """Tell whether a clause leans on an earlier one for its indicator.

    It does when it says so ("samma stöd", "gör det", "rekommendationen") or when, with
    its places taken out, at most one content word is left ("är samtliga kommuner
    licensierade").
    """
    if _ANAPHORA.search(clause):
        return True
    text = clause
    for place in sorted(places, key=lambda p: -p.start):
        s, e = place.start - offset, place.end - offset
        if 0 <= s <= e <= len(text):
            text = text[:s] + " " + text[e:]
    words = [w for w in content_words(text) if w not in _GENERIC and len(w) > 2]
    return len(words) <= 1


# --- Extraction -----------------------------------------------------------------------------


@dataclass
class _State:
    """What one pass over a document remembers: its anchors and the figures so far."""

    doc: Document
    catalog: Catalog
    survey: int | None
    end_year: int | None
    heading_period: str | None = None
    previous: Sentence | None = None
    previous_period: str | None = None
    figures: list[Figure] = field(default_factory=list)


def extract(doc: Document, *, catalog: Catalog | None = None) -> list[Figure]:
    """Return the figures of a document in document order; pure, never raises on odd text.

    Text figures come first in text order, then table figures table by table (a
    Document keeps its tables apart from its text).
    """
    catalog = catalog or _default_catalog()
    survey = periods.survey_year(doc.text) if doc.text else None
    published_year = doc.published.year if doc.published else None
    state = _State(doc, catalog, survey, survey or published_year)
    for sentence in sentences(doc.text):
        _take_sentence(sentence, state)
    for table in doc.tables:
        state.figures.extend(_table_figures(table, state))
    return state.figures


@lru_cache(maxsize=1)
def _default_catalog() -> Catalog:
    return Catalog.load()


def _take_sentence(sentence: Sentence, state: _State) -> None:
    if sentence.heading:
        period = periods.heading_period(sentence.text)
        if period is not None:
            state.heading_period = period
    if _HINT.search(sentence.text) and _HAS_LETTER.search(sentence.text):
        _sentence_figures(sentence, state)
    else:
        state.previous_period = None
    state.previous = sentence


def _sentence_figures(sentence: Sentence, state: _State) -> None:
    """Append the figures of one sentence to the state, one per place sharing a figure."""
    text = sentence.text
    numbers = [n for n in _find_numbers(text) if _keep_number(n, text)]
    if not numbers:
        state.previous_period = _own_period(sentence, state)
        return
    mentions = periods.find_periods(
        text, published=state.doc.published, ref_year=_ref_year(sentence, state)
    )
    places = _find_places(text)
    spans = _clauses(text)
    sentence_period: str | None = None
    for number in numbers:
        clause = _clause_of(spans, number.start)
        period = periods.governing(
            periods.in_scope(mentions, text, number.start, number.end),
            number.start,
            number.end,
            end_year=state.end_year,
        )
        sentence_period = sentence_period or period
        if period is None:
            period = _fallback_period(sentence, state)
        base = _figure(number, sentence, clause, period, state, places)
        clause_places = [p for p in places if clause[0] <= p.start < clause[1]]
        if not clause_places:
            state.figures.append(base)
        for place in clause_places:
            state.figures.append(replace(base, region=place.name, region_type=place.type))
    state.previous_period = sentence_period or _own_period(sentence, state)


def _own_period(sentence: Sentence, state: _State) -> str | None:
    if not periods.find_periods(sentence.text):
        return None
    for mention in periods.find_periods(sentence.text, published=state.doc.published):
        if mention.kind in periods.GOVERNING and mention.period:
            return mention.period
    return None


def _fallback_period(sentence: Sentence, state: _State) -> str | None:
    if state.previous is not None and _CONTINUES.search(sentence.text) and state.previous_period:
        return state.previous_period
    if state.heading_period is not None:
        return state.heading_period
    if state.survey is not None:
        return str(state.survey)
    return None


def _ref_year(sentence: Sentence, state: _State) -> int | None:
    if "året" not in sentence.text.lower():
        return None
    years = periods.years_in(state.doc.text[: sentence.start + len(sentence.text)])
    if state.survey:
        years.append(state.survey)
    return years[-1] if years else None


def _figure(
    number: NumberLike,
    sentence: Sentence,
    clause: tuple[int, int],
    period: str | None,
    state: _State,
    places: Sequence[PlaceLike],
) -> Figure:
    text = sentence.text
    clause_text = text[clause[0] : clause[1]]
    rel_start, rel_end = number.start - clause[0], number.end - clause[0]
    context = clause_text[:rel_start] + " " + clause_text[rel_end:]
    clause_places = [p for p in places if clause[0] <= p.start < clause[1]]
    metric = _metric(
        number,
        context,
        clause_text,
        state,
        places=clause_places,
        offset=clause[0],
        focus=_focus(clause_text, rel_start, rel_end),
    )
    return Figure(
        metric=metric.key,
        label=metric.label,
        value=float(number.value),
        unit=number.unit,
        quote=number.quote,
        sentence=text,
        measure="change" if number.measure == "change" else "level",
        per=number.per,
        qualifier=number.qualifier,
        low=_float(number.low, number.value),
        high=_float(number.high, number.value),
        period=period,
        group=find_group(clause_text, rel_start, rel_end),
        offset=sentence.start + number.start,
    )


def _float(value: float | None, default: float) -> float:
    return float(default if value is None else value)


def _metric(
    number: NumberLike,
    context: str,
    clause_text: str,
    state: _State,
    *,
    places: Sequence[PlaceLike],
    offset: int,
    focus: str,
) -> Metric:
    measure = "change" if number.measure == "change" else "level"
    metric = state.catalog.identify(
        context, unit=number.unit, measure=measure, per=number.per, focus=focus
    )
    if metric.catalogued or not _is_referential(clause_text, offset=offset, places=places):
        return metric
    earlier = _earlier_metric(state, unit=number.unit, measure=measure)
    if earlier is None:
        return metric
    if measure == "change":
        return state.catalog.change_of(earlier, context)
    return earlier


def _earlier_metric(state: _State, *, unit: str, measure: str) -> Metric | None:
    for fig in reversed(state.figures[-12:]):
        if fig.measure != "level":
            continue
        if measure == "level" and fig.unit != unit:
            continue
        return state.catalog.get(fig.metric) or Metric(fig.metric, fig.label, fig.unit)
    return None


def _focus(clause: str, start: int, end: int) -> str:
    before = clause[:start].split()[-6:]
    after = clause[end:].split()[:8]
    return " ".join([*before, " ", *after])


# --- Filters ------------------------------------------------------------------------------------

_NOT_A_FIGURE_AFTER = re.compile(r"^\s*(?:§|kap\b|kap\.|st\.|sidor?\b|s\.\s)", re.I)


def _keep_number(number: NumberLike, sentence: str) -> bool:
    """Drop what only context shows is no figure: a bare counter, a law reference."""
    return _NOT_A_FIGURE_AFTER.match(sentence, number.end) is None


# --- Tables ---------------------------------------------------------------------------

_PERCENT_HEAD = re.compile(r"%|procent|andel", re.I)
_KRONOR_HEAD = re.compile(r"\b(?:kronor|kr|tkr|mnkr|mdkr|miljoner kronor|tusen kronor)\b", re.I)
_SCALE = (
    (re.compile(r"\b(?:tkr|tusen\s+kronor|tusental\s+kronor)\b", re.I), 1e3),
    (re.compile(r"\b(?:mnkr|mkr|miljoner\s+kronor)\b", re.I), 1e6),
    (re.compile(r"\b(?:mdkr|miljarder\s+kronor)\b", re.I), 1e9),
)
_EMPTY_CELL = re.compile(r"^\s*(?:[-–—.…x*]+|\.\.|n/a|uppgift saknas)?\s*$", re.I)


def _table_figures(table: Table, state: _State) -> list[Figure]:
    out: list[Figure] = []
    width = max((len(r) for r in (*table.header, *table.rows)), default=0)
    columns = [
        " ".join(h[c] for h in table.header if c < len(h) and h[c].strip()) for c in range(width)
    ]
    caption = table.caption or ""
    for row in table.rows:
        if not row:
            continue
        row_head = row[0] if not _numeric_cell(row[0]) else ""
        for c, cell in enumerate(row):
            if c == 0 and row_head:
                continue
            if _EMPTY_CELL.match(cell) or not _numeric_cell(cell):
                continue
            column = columns[c] if c < len(columns) else ""
            fig = _cell_figure(cell, caption=caption, row_head=row_head, column=column, state=state)
            if fig is not None:
                out.extend(fig)
    return out


def _numeric_cell(cell: str) -> bool:
    return bool(re.search(r"\d", cell)) and len(cell) <= 40


def _cell_figure(
    cell: str, *, caption: str, row_head: str, column: str, state: _State
) -> list[Figure]:
    numbers = _find_numbers(cell.strip())
    if not numbers:
        return []
    number = numbers[0]
    heads = f"{caption} {row_head} {column}"
    unit, value, low, high = _cell_unit(number, cell, heads)
    period = _table_period(column) or _table_period(row_head) or _table_period(caption)
    period = period or state.heading_period or (str(state.survey) if state.survey else None)
    places = [*_find_places(row_head), *_find_places(column)]
    group = _table_group(row_head) or _table_group(column)
    context = _strip_places(f"{caption} {column} {row_head}", [row_head, column])
    measure = "change" if number.measure == "change" else "level"
    metric = state.catalog.identify(context, unit=unit, measure=measure, per=number.per)
    sentence = " – ".join(p for p in (caption, row_head, column, cell.strip()) if p)
    base = Figure(
        metric=metric.key,
        label=metric.label,
        value=value,
        unit=unit,
        quote=cell.strip(),
        sentence=sentence,
        measure="change" if measure == "change" else "level",
        per=number.per,
        qualifier=number.qualifier,
        low=low,
        high=high,
        period=period,
        group=group,
        offset=len(state.doc.text),
    )
    if not places:
        return [base]
    return [replace(base, region=p.name, region_type=p.type) for p in places[:1]]


def _cell_unit(number: NumberLike, cell: str, heads: str) -> tuple[str, float, float, float]:
    value = float(number.value)
    low, high = _float(number.low, value), _float(number.high, value)
    if number.unit != "antal" or re.search(r"[a-zåäö%]", cell, re.I):
        return number.unit, value, low, high
    if _PERCENT_HEAD.search(heads):
        return "procent", value, low, high
    if _KRONOR_HEAD.search(heads):
        scale = next((f for pattern, f in _SCALE if pattern.search(heads)), 1.0)
        return "kronor", value * scale, low * scale, high * scale
    return number.unit, value, low, high


def _table_period(text: str) -> str | None:
    for mention in periods.find_periods(text):
        if mention.kind in ("year", "range", "half", "quarter", "date", "survey"):
            return mention.period
    return None


def _table_group(text: str) -> str | None:
    return find_group(f"bland {text}", 0, 0) if text else None


def _strip_places(text: str, heads: list[str]) -> str:
    for head in heads:
        for place in _find_places(head):
            text = text.replace(head[place.start : place.end], " ")
    for mention in periods.find_periods(text):
        text = text[: mention.start] + " " * (mention.end - mention.start) + text[mention.end :]
    return text


# --- Collaborators (imported lazily: they may land after this module) ------------------------


def _find_numbers(text: str) -> list[Any]:
    try:
        from ifo_watch.numbers import find_numbers
    except ImportError:  # pragma: no cover - numbers.py is written in parallel
        return []
    return list(find_numbers(text))


def _find_places(text: str) -> list[Any]:
    try:
        from ifo_watch.regions import find_places
    except ImportError:  # pragma: no cover
        return []
    return list(find_places(text))
