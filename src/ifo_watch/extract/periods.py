"""Find the periods a Swedish sentence names, and pick the one that governs a figure.

Small parsers per form (feedparser-style), tried in order over the sentence; each span
is taken once. The contract's order of sources (sentence, heading, survey name, relative
words) is applied by figures.py; this module only reads text and never the clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Final, Literal

from ifo_watch.extract.scan import holds_any, scan_lower

Kind = Literal[
    "date", "half", "quarter", "range", "since", "year", "relative", "comparison", "name", "survey"
]
GOVERNING: frozenset[str] = frozenset(
    {"date", "half", "quarter", "range", "since", "year", "relative"}
)

_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
# "SFS 2001:453" is no year; "Öppna jämförelser 2023: ekonomiskt bistånd" holds one.
_Y = rf"(?<![\d.,:/-])({_YEAR})(?![\d/]|:\d|-?tal|-\d|\s?(?:%|procent|kr\b|kronor))"
_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "may": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# The parsers are written in lower case and read the lower-cased sentence (scan_lower).

_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])", re.ASCII)
_SV_DATE = re.compile(rf"\b(?:den\s+)?(\d{{1,2}})(?:\s|\xa0)+({_MONTH})\.?(?:\s|\xa0)+({_YEAR})\b")
_EN_DATE = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s+({_YEAR})\b")
_HALF = re.compile(rf"\b(första|andra)\s+halvåret\s+(?:år\s+)?({_YEAR})\b")
_QUARTER = re.compile(rf"\b(första|andra|tredje|fjärde)\s+kvartalet\s+(?:år\s+)?({_YEAR})\b")
# "Kvartal 1 2018", "2018 kvartal 3", "kv. 2 2024", "2024 Q1" (tables and statistics news).
_QUARTER_NUMBER = re.compile(
    rf"\b(?:(?:kvartal|kv\.?|q)\s*([1-4])\s*(?:år\s+)?({_YEAR})|"
    rf"({_YEAR})\s*(?:kvartal|kv\.?|q)\s*([1-4]))\b"
)
# Months that make up a quarter or a half-year: "januari–juni 2024", "juli–sept. 2023".
_MONTH_SPAN = re.compile(
    rf"\b(jan(?:uari)?|apr(?:il)?|juli?|okt(?:ober)?)\.?\s*[–—-]\s*"
    rf"(mars?|juni?|sep(?:t(?:ember)?)?|dec(?:ember)?)\.?\s+(?:år\s+)?({_YEAR})\b"
)
_SPANS = {
    ("jan", "mar"): "Q1", ("apr", "jun"): "Q2", ("jul", "sep"): "Q3", ("okt", "dec"): "Q4",
    ("jan", "jun"): "H1", ("jul", "dec"): "H2",
}  # fmt: skip
_RANGE = re.compile(
    rf"(?:\b(?:mellan|från|åren|perioden)\s+(?:år\s+|åren\s+)?)?(?<![\d.,:/-])({_YEAR})"
    rf"\s*(?:–|—|-|\s(?:till|och|t\.o\.m\.)\s+(?:år\s+)?)({_YEAR})(?![\d:/-]|-?tal)"
)
_SINCE = re.compile(rf"\bsedan\s+(?:år\s+|början\s+av\s+)?{_Y}")
_COMPARISON = re.compile(
    r"\b(?:jämfört\s+med|jämfört\s+mot|(?:mer|mindre|fler|färre|högre|lägre|större|"
    r"mindre)\s+än)\s+(?:under\s+)?(?:år\s+|(?:samma|motsvarande)\s+period\s+(?:år\s+)?|"
    r"(?:första|andra)\s+halvåret\s+)?(?:(?P<year>"
    + _YEAR
    + r")\b|året\s+innan|året\s+före|föregående\s+år|förra\s+året|i\s+fjol)"
    + r"|\b(?:procentenheter|procent|ökning|minskning)\s+från\s+(?:år\s+)?(?P<since>"
    + _YEAR
    + r")\b(?!\s*(?:–|-|till|och))"
)
_REPORT = re.compile(
    rf"\b(?:läges|års|slut|del|verksamhets)?rapport(?:en)?\s*(?:för\s+)?{_Y}"
    rf"|\b(?:årsredovisning|verksamhetsplan|budget|handlingsplan)(?:en)?\s+(?:för\s+)?{_Y}"
)
_SURVEY = re.compile(
    rf"\b(?:öppna\s+jämförelser|statistik(?:en)?\s+om|kommun-?\s*och\s+landstingsdatabasen|"
    rf"kolada|nationella\s+kartläggning(?:en)?)[^.!?\n]{{0,100}}?{_Y}"
)


# A word that every survey name (_SURVEY) holds.
_SURVEY_WORDS = ("jämförelser", "statistik", "landstingsdatabasen", "kolada", "kartläggning")


_RELATIVE = re.compile(
    r"\b(förra\s+året|i\s+fjol|fjolårets?|föregående\s+år|i\s+år|hittills\s+i\s+år|"
    r"årets(?!\s+(?:\d|tolv|elva|tio|månader|dagar|veckor))|"
    r"året\s+innan|året\s+dessförinnan|året\s+före|ett\s+år\s+tidigare)\b"
)
_PLAIN_YEAR = re.compile(_Y)
_YEAR_RE = re.compile(_YEAR)
PLAIN_YEAR = _PLAIN_YEAR
_DECADE = re.compile(rf"\b{_YEAR}-talet\b")


class PeriodMention:
    """One period expression in a sentence: its span, its normal form and its kind.

    `period` is None for names ("Lägesrapport 2023") and comparisons, which never govern;
    `year` is the year a survey name gives or a relative word resolves to.

    A plain class with read-only (Final) attributes, not a frozen dataclass:
    sentences name many periods, and a frozen dataclass's __init__ costs four times as much.
    """

    __slots__ = ("end", "kind", "period", "start", "year")

    def __init__(
        self, start: int, end: int, kind: Kind, period: str | None, year: int | None = None
    ) -> None:
        self.start: Final = start
        self.end: Final = end
        self.kind: Final = kind
        self.period: Final = period
        self.year: Final = year

    def __repr__(self) -> str:
        return f"PeriodMention({self.start}, {self.end}, {self.kind!r}, {self.period!r})"


def find_periods(
    sentence: str, *, published: date | None = None, ref_year: int | None = None
) -> list[PeriodMention]:
    """Return the period expressions of a sentence in text order, each span taken once.

    `published` resolves "förra året"/"i år"; `ref_year` (a year named earlier in the
    text) resolves "året innan". Unresolvable relative words are left out.
    """
    if not has_year_hint(sentence):
        return []
    if _FOUR_DIGITS.search(sentence) is None:
        return _relative_only(sentence, published=published, ref_year=ref_year)
    taken: list[tuple[int, int]] = []
    found: list[PeriodMention] = []

    def add(m: re.Match[str], kind: Kind, period: str | None, year: int | None = None) -> None:
        s, e = m.span()
        if any(s < te and ts < e for ts, te in taken):
            return
        taken.append((s, e))
        found.append(PeriodMention(s, e, kind, period, year))

    lower = sentence.lower()
    # Each parser runs only when its key words are there: most sentences hold one year.
    if "rapport" in lower or holds_any(lower, _NAME_WORDS):
        for m in scan_lower(_REPORT, sentence, lower):
            add(m, "name", None, int(_last_year(m.group(0))))
    if holds_any(lower, _SURVEY_WORDS):
        for m in scan_lower(_SURVEY, sentence, lower):
            year = int(_last_year(m.group(0)))
            add(m, "survey", str(year), year)
    if "jämfört" in lower or " än " in lower or " från " in lower:
        for m in scan_lower(_COMPARISON, sentence, lower):
            base = int(m["year"] or m["since"]) if (m["year"] or m["since"]) else None
            add(m, "comparison", None, base)
    if "-tal" in lower:
        for m in scan_lower(_DECADE, sentence, lower):
            add(m, "name", None)
    if "-" in sentence:
        for m in _ISO_DATE.finditer(sentence):
            if _valid_date(int(m[1]), int(m[2]), int(m[3])):  # "2019-11-32" is no date
                add(m, "date", f"{m[1]}-{m[2]}-{m[3]}", int(m[1]))
    if _MONTH_HINT.search(lower):
        for m in scan_lower(_SV_DATE, sentence, lower):
            add(m, "date", _date(m[3], m[2], m[1]), int(m[3]))
        for m in scan_lower(_EN_DATE, sentence, lower):
            add(m, "date", _date(m[3], m[1], m[2]), int(m[3]))
    if "halvår" in lower:
        for m in scan_lower(_HALF, sentence, lower):
            add(m, "half", f"{m[2]}-H{1 if m[1].lower() == 'första' else 2}", int(m[2]))
    if "kvartal" in lower:
        for m in scan_lower(_QUARTER, sentence, lower):
            q = ("första", "andra", "tredje", "fjärde").index(m[1].lower()) + 1
            add(m, "quarter", f"{m[2]}-Q{q}", int(m[2]))
    if "kv" in lower or "q" in lower:
        for m in scan_lower(_QUARTER_NUMBER, sentence, lower):
            year_text, which = (m[2], m[1]) if m[1] else (m[3], m[4])
            add(m, "quarter", f"{year_text}-Q{which}", int(year_text))
    if _MONTH_HINT.search(lower) and ("–" in lower or "-" in lower or "—" in lower):
        for m in scan_lower(_MONTH_SPAN, sentence, lower):
            part = _SPANS.get((m[1][:3], m[2][:3]))
            if part is not None:
                add(m, "half" if part[0] == "H" else "quarter", f"{m[3]}-{part}", int(m[3]))
    if len(_FOUR_DIGITS.findall(sentence)) > 1:
        for m in scan_lower(_RANGE, sentence, lower):
            if int(m[1]) < int(m[2]):
                add(m, "range", f"{m[1]}–{m[2]}", int(m[2]))
    if "sedan" in lower:
        for m in scan_lower(_SINCE, sentence, lower):
            add(m, "since", m[1], int(m[1]))
    if "år" in lower or "fjol" in lower:
        for m in scan_lower(_RELATIVE, sentence, lower):
            resolved = _relative_year(m[1].lower(), published=published, ref_year=ref_year)
            if resolved is not None:
                add(m, "relative", str(resolved), resolved)
    for m in _PLAIN_YEAR.finditer(sentence):
        add(m, "year", m[1], int(m[1]))
    found.sort(key=lambda p: p.start)
    return found


_FOUR_DIGITS = re.compile(r"(?:19|20)\d\d")
# A word that names a document (_REPORT) besides "rapport".
_NAME_WORDS = ("årsredovisning", "verksamhetsplan", "budget", "handlingsplan")

_MONTH_HINT = re.compile(r"\b(?:" + _MONTH + r")\b")


def _relative_only(
    sentence: str, *, published: date | None, ref_year: int | None
) -> list[PeriodMention]:
    lower = sentence.lower()
    # Every comparison holds one of these words; most sentences hold none of them.
    found = (
        [
            PeriodMention(m.start(), m.end(), "comparison", None)
            for m in scan_lower(_COMPARISON, sentence, lower)
        ]
        if "jämfört" in lower or "än" in lower or "från" in lower
        else []
    )
    for m in scan_lower(_RELATIVE, sentence, lower):
        if any(c.start <= m.start() < c.end for c in found):
            continue
        resolved = _relative_year(m[1].lower(), published=published, ref_year=ref_year)
        if resolved is not None:
            found.append(PeriodMention(m.start(), m.end(), "relative", str(resolved), resolved))
    return sorted(found, key=lambda p: p.start)


def has_relative_hint(sentence: str) -> bool:
    """Tell whether a sentence may hold a relative period ("i fjol", "året innan").

    Without one, `published` and `ref_year` change nothing in `find_periods`.
    """
    lowered = sentence.lower()
    return "år" in lowered or "fjol" in lowered


def has_year_hint(sentence: str) -> bool:
    """Return True when a sentence may name a period (a cheap test before parsing)."""
    return (
        " år" in sentence
        or "År" in sentence
        or "fjol" in sentence
        or _FOUR_DIGITS.search(sentence) is not None
    )


def _last_year(text: str) -> str:
    years: list[str] = _YEAR_RE.findall(text)
    return years[-1]


def _date(year: str, month: str, day: str) -> str | None:
    number = _MONTHS.get(month.lower().rstrip("."))
    if number is None:
        return None
    try:
        return date(int(year), number, int(day)).isoformat()
    except ValueError:
        return None


def _relative_year(word: str, *, published: date | None, ref_year: int | None) -> int | None:
    word = " ".join(word.split())
    if word in ("året innan", "året dessförinnan", "året före", "ett år tidigare"):
        return ref_year - 1 if ref_year else None
    if published is None:
        return None
    if word in ("i år", "hittills i år", "årets"):
        return published.year
    return published.year - 1


def governing(
    mentions: list[PeriodMention], start: int, end: int, *, end_year: int | None = None
) -> str | None:
    """Return the period that governs the figure at [start, end) of the same sentence.

    The nearest governing mention wins (a preceding one on a tie); a mention inside
    parentheses only governs figures inside the same parentheses, and vice versa, so
    "47 procent (48 procent 2022)" keeps 2022 for the 48 only. "sedan 2010" becomes
    "2010–<end_year>" when an end year is known.
    """
    best: PeriodMention | None = None
    best_distance = 10**9
    for mention in mentions:
        if mention.kind not in GOVERNING or mention.period is None:
            continue
        distance = mention.start - end if mention.start >= end else start - mention.end
        distance = max(distance, 0) * 2 + (1 if mention.start >= end else 0)
        if distance < best_distance:
            best, best_distance = mention, distance
    if best is None:
        return None
    if best.kind == "since":
        if end_year and end_year > int(best.period or 0):
            return f"{best.period}–{end_year}"
        return best.period
    return best.period


def change_span(
    period: str | None,
    mentions: list[PeriodMention],
    sentence: str,
    *,
    context: str | None = None,
) -> str | None:
    """Return the span a change figure covers: from the time compared with to the newer one.

    A change compares two times. "ökat med 19 procent sedan 2017" and "500 fler än 2021"
    name only the older; the newer is another year of the sentence or, failing that,
    the time its context is about (`context`: the heading's, the paragraph's). "på ett
    år", "på fyra år", "året innan" and "samma period förra året" count back from the
    newer; two years in the sentence ("från 48 procent 2021 till 37 procent 2022") are
    the span themselves. `period` is what the nearest mention gave; it stays when
    nothing says more.
    """
    if period is not None and "–" in period:
        return period
    named = [m for m in mentions if m.kind in _NAMED_TIME and m.period]
    lower = sentence.lower()
    base = _base_year(lower, mentions)
    newer = [m.period for m in named if m.period and years_in(m.period)[-1] != base]
    current = max(newer, key=_period_order) if newer else context
    if current is None:
        return period
    end = years_in(current)[-1] if years_in(current) else None
    if end is None:
        return period
    if base is None:
        back = _years_back(lower)
        if back is not None:
            return _shifted_span(current, back)
        years = sorted({y for m in named if m.period for y in years_in(m.period)})
        if len(years) >= 2:
            return f"{years[0]}–{years[-1]}"
        return period
    if base < end:
        return f"{base}–{end}"
    return period


_NAMED_TIME = frozenset({"date", "half", "quarter", "year", "relative", "survey"})
_BASE = re.compile(
    rf"\b(?:än|med|mot|från|sedan|jämfört\s+med)\s+(?:år\s+|under\s+|i\s+|början\s+av\s+)?"
    rf"({_YEAR})\b"
)
_BACK_WORDS = {"ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8}
_YEARS_BACK = re.compile(r"\bpå\s+(ett|två|tre|fyra|fem|sex|sju|åtta|\d)\s+år\b")
_YEAR_BEFORE = re.compile(
    r"\b(?:året\s+innan|året\s+före|förra\s+året|i\s+fjol|föregående\s+år|"
    r"ett\s+år\s+tidigare)\b"
)


def _base_year(lower: str, mentions: list[PeriodMention]) -> int | None:
    """Return the year a change is compared with, when the sentence names it."""
    for mention in mentions:
        if mention.kind in ("since", "comparison") and mention.year is not None:
            return mention.year
    found = _BASE.search(lower)
    return int(found[1]) if found else None


def _years_back(lower: str) -> int | None:
    """Return how many years back a change counts ("på fyra år": 4; "året innan": 1)."""
    found = _YEARS_BACK.search(lower)
    if found:
        word = found[1]
        return int(word) if word.isdigit() else _BACK_WORDS[word]
    return 1 if _YEAR_BEFORE.search(lower) else None


def _shifted_span(current: str, back: int) -> str:
    """Return "<current less `back` years>–<current>": 2024-Q1 and 1 give 2023-Q1–2024-Q1."""
    end = years_in(current)[-1]
    start = current if "–" not in current else current.split("–")[-1]
    older = start.replace(str(end), str(end - back), 1)
    return f"{older}–{start}"


def _period_order(period: str) -> tuple[int, str]:
    years = years_in(period)
    return (years[-1] if years else 0, period)


def paren_scope(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """Return the span of the parentheses around [start, end), or None outside any."""
    open_at = sentence.rfind("(", 0, start)
    if open_at < 0 or sentence.rfind(")", open_at, start) >= 0:
        return None
    close_at = sentence.find(")", end)
    return (open_at, close_at + 1 if close_at >= 0 else len(sentence))


def in_scope(
    mentions: list[PeriodMention], sentence: str, start: int, end: int
) -> list[PeriodMention]:
    """Keep the mentions in the same parenthesis level as the figure at [start, end)."""
    scope = paren_scope(sentence, start, end)
    if scope is not None:
        inside = [m for m in mentions if scope[0] <= m.start and m.end <= scope[1]]
        if any(m.kind in GOVERNING for m in inside):
            return inside
        return [m for m in mentions if paren_scope(sentence, m.start, m.end) is None]
    return [m for m in mentions if paren_scope(sentence, m.start, m.end) is None]


def dateline(text: str) -> date | None:
    """Return the date a page's first lines carry ("Socialstyrelsen, 29 november 2017").

    For documents whose publication date nobody recorded: the dateline of a press
    release is its date.
    """
    for mention in find_periods(text[:_DATELINE_CHARS]):
        if mention.kind == "date" and mention.period:
            try:
                return date.fromisoformat(mention.period)
            except ValueError:  # never raised for what find_periods gives; total all the same
                continue
    return None


def _valid_date(year: int, month: int, day: int) -> bool:
    """Tell whether the numbers make a calendar date (an impossible one is no date)."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


_DATELINE_CHARS = 300


def survey_year(text: str) -> int | None:
    """Return the data year of the first survey or statistics named with a year.

    "Öppna jämförelser av den sociala barn- och ungdomsvården 2012" gives 2012; a
    report named for its publication year ("Lägesrapport 2023") is not a survey.
    """
    lowered = text.lower()
    if not holds_any(lowered, _SURVEY_WORDS):
        return None
    found = (
        _survey_names(lowered) if len(lowered) == len(text) else scan_lower(_SURVEY, text, lowered)
    )
    for m in found:
        if _REPORT.search(m.group(0).lower()) is None:
            return int(_last_year(m.group(0)))
    return None


# Where a survey name can start, found by plain substring search in the lower-cased
# text: a part of each name's first word, and its distance from the word's start.
_SURVEY_STARTS = (("öppna", 0), ("tat", 1), ("kommun", 0), ("kolada", 0), ("nat", 0))


def _survey_names(lowered: str) -> Iterator[re.Match[str]]:
    """Yield what `_SURVEY.finditer(lowered)` yields, trying the pattern only where it can start.

    A scan of the whole document for the pattern is slow.
    """
    starts: set[int] = set()
    for part, back in _SURVEY_STARTS:
        at = lowered.find(part)
        while at != -1:
            if at >= back:
                starts.add(at - back)
            at = lowered.find(part, at + 1)
    end = 0
    for start in sorted(starts):
        if start < end:
            continue
        m = _SURVEY.match(lowered, start)
        if m is not None:
            yield m
            end = m.end()


def heading_period(heading: str, mentions: list[PeriodMention] | None = None) -> str | None:
    """Return the period a heading names for the text under it, or None.

    Dates in headings are publication stamps ("den 6 mars 2012 kl. 09:00"), not the
    period of the figures, and report names give none. `mentions` are the heading's
    periods when the caller has found them already.
    """
    if heading.lower().lstrip().startswith("publicerad"):
        return None
    for mention in find_periods(heading) if mentions is None else mentions:
        if mention.kind in ("year", "range", "half", "quarter", "survey"):
            return mention.period
    return None


def years_in(period: str | None) -> list[int]:
    """Return the years a normal-form period names ("2020–2022" -> [2020, 2022])."""
    return [int(y) for y in _YEAR_RE.findall(period or "")]
