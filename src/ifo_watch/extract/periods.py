"""Find the periods a Swedish sentence names, and pick the one that governs a figure.

Small parsers per form (feedparser-style), tried in order over the sentence; each span
is taken once. The contract's order of sources (sentence, heading, survey name, relative
words) is applied by figures.py; this module only reads text and never the clock.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from typing import Final, Literal

from ifo_watch.extract.scan import (
    holds_any,
    lowered,
    scan_lower,
    scan_lower_at_starts,
    search_at_starts,
)

Kind = Literal[
    "date",
    "month",
    "half",
    "quarter",
    "range",
    "since",
    "year",
    "relative",
    "comparison",
    "name",
    "survey",
]
GOVERNING: frozenset[str] = frozenset(
    {"date", "month", "half", "quarter", "range", "since", "year", "relative", "survey"}
)

_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
# "SFS 2001:453" is no year; "Öppna jämförelser 2023: ekonomiskt bistånd" holds one.
_NOT_BEFORE_YEAR = r"[\d.,:/-]"
_NOT_AFTER_YEAR = r"(?![\d/]|:\d|-?tal|-\d|\s?(?:%|procent|kr\b|kronor))"
_Y = rf"(?<!{_NOT_BEFORE_YEAR})({_YEAR}){_NOT_AFTER_YEAR}"
_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "may": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# The parsers are written in lower case and read the lower-cased sentence (scan_lower).

# The year comes first and the character before it is looked behind for, here and in
# _PLAIN_YEAR: a pattern that opens with its digits lets the engine skip to them, one
# that opens with a lookbehind is tried at every position (about twice as slow).
# (\d\d{3}, not \d{4}: see numbers._DIGIT_RUN_RE)
_ISO_DATE = re.compile(r"(\d\d{3})(?<![\d-]\d{4})-(\d{2})-(\d{2})(?![\d-])", re.ASCII)
_SV_DATE = re.compile(rf"\b(?:den\s+)?(\d{{1,2}})(?:\s|\xa0)+({_MONTH})\.?(?:\s|\xa0)+({_YEAR})\b")
# "31 juli 2018–1 augusti 2019", "1 januari till 30 juni 2023", "31 juli 2018 till och med
# 1 augusti 2019": a span of days.
_SV_DATE_RANGE = re.compile(
    rf"\b(\d{{1,2}})(?:\s|\xa0)+({_MONTH})\.?(?:(?:\s|\xa0)+({_YEAR}))?\s*(?:–|-|—|till\s+och\s+med|t\.\s?o\.\s?m\.|till|och)\s*"
    rf"(\d{{1,2}})(?:\s|\xa0)+({_MONTH})\.?(?:\s|\xa0)+({_YEAR})\b"
)
# "under veckan 4–10 april 2022": days of one month, a survey's week, in its year
_SV_DAY_SPAN = re.compile(
    rf"\b(\d{{1,2}})\s*[–-]\s*(\d{{1,2}})(?:\s|\xa0)+({_MONTH})\.?(?:\s|\xa0)+({_YEAR})\b"
)
_EN_DATE = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s+({_YEAR})\b")
# Where a match of each of these can begin: their openings without the "\b", which
# the engine skips to (a pattern opening with "\b" is tried at every position); see
# scan.scan_lower_at_starts.
_SV_DATE_RANGE_START = re.compile(rf"\d\d?(?:\s|\xa0)+(?:{_MONTH})")
_EN_DATE_START = re.compile(rf"(?:{_MONTH})\.?\s+\d")
_HALF = re.compile(rf"\b(första|andra)\s+halvåret\s+(?:år\s+)?({_YEAR})\b")
_QUARTER = re.compile(rf"\b(första|andra|tredje|fjärde)\s+kvartalet\s+(?:år\s+)?({_YEAR})\b")
# "Kvartal 1 2018", "2018 kvartal 3", "kv. 2 2024", "2024 Q1" (tables and statistics news).
_QUARTER_NUMBER = re.compile(
    rf"\b(?:(?:kvartal|kv\.?|q)\s*([1-4])\s*(?:år\s+)?({_YEAR})|"
    rf"({_YEAR})\s*(?:kvartal|kv\.?|q)\s*([1-4]))\b"
)
# Months of one year: a quarter or a half-year ("januari–juni 2024", "juli–sept. 2023",
# "mellan juli och september 2020"), else their span ("januari–september 2025", the year
# so far; "mars till maj 2024")
_MONTHS_OF_YEAR = re.compile(
    rf"\b(mellan\s+)?({_MONTH})\.?\s*(?:[–—-]|\s(?:till\s+och\s+med|t\.\s?o\.\s?m\.|till|och)\s)"
    rf"\s*({_MONTH})\.?\s+(?:år\s+)?({_YEAR})\b"
)
# A flow over one month: "under mars 2024", "för augusti 2023" ("i april 2023 var 310
# personer hemlösa" is a count made that month: the year's)
_FLOW_VERB = r"(?:fick|betalade|betalades|utbetalades|beviljades|fattades|kom|inkom)"
_ONE_MONTH = re.compile(
    rf"\b(?:(?:under|för)\s+({_MONTH})(?:\s+månad)?\s+({_YEAR})\b"
    rf"|i\s+({_MONTH})\s+({_YEAR})(?=\s+{_FLOW_VERB}\b))"
)
# ... and without its year, in the context's: "Under mars betalades …", "I april fick 1 390
# vuxna bistånd" (monthly statistics)
# ("Undersökningen genomfördes under oktober": when a survey was made, no month of data)
_BARE_MONTH = re.compile(rf"\b(?:under\s+({_MONTH})|i\s+({_MONTH}))\s+{_FLOW_VERB}\b")
# A count's survey week or day in a month without its year ("Under kommunens mätvecka i
# oktober räknades 218 personer"): the year of that month
_MONTH_OF_YEAR = re.compile(
    rf"\b(?:mätvecka|mätveckan|mätdag|mätdagen|räkningen|kartläggningen)\s+(?:\w+\s+){{0,2}}?"
    rf"i\s+({_MONTH})\b(?!\s*[–-])(?!\s+(?:19|20)\d\d)"
)
_SPANS = {
    ("jan", "mar"): "Q1", ("apr", "jun"): "Q2", ("jul", "sep"): "Q3", ("okt", "dec"): "Q4",
    ("jan", "jun"): "H1", ("jul", "dec"): "H2",
}  # fmt: skip
_RANGE = re.compile(
    rf"(?:\b(?:mellan|från|åren|perioden)\s+(?:år\s+|åren\s+)?)?(?<![\d.,:/-])({_YEAR})"
    rf"\s*(?:–|—|-|\s(?:till|och|t\.o\.m\.)\s+(?:år\s+)?)({_YEAR})(?![\d:/-]|-?tal)"
)
_RANGE_START = re.compile(r"mellan\s|från\s|åren\s|perioden\s|19\d\d|20\d\d")
# "sedan 2017", "sedan den första kartläggningen 2018": the time a change runs from.
_SINCE = re.compile(
    r"\bsedan\s+(?:år\s+|början\s+av\s+|(?:den\s+|sin\s+|vår\s+)?(?:[a-zåäö]+\s+)?"
    rf"(?:kartläggning|mätning|undersökning|enkät)\w*,?\s+(?:år\s+)?)?{_Y}"
)
_COMPARISON = re.compile(
    r"\b(?:jämfört\s+med|jämfört\s+mot|ställt\s+mot|ställd\s+mot|(?:mer|mindre|fler|färre|högre|lägre|större|"
    r"mindre)\s+än|lika\s+\w+\s+som|samma\s+nivå\s+som)\s+(?:under\s+)?(?:år\s+|(?:samma|motsvarande)\s+period\s+(?:år\s+)?|"
    # "3,3 procent mer än under januari–september 2019": the same months of that year
    + rf"(?:{_MONTH})\.?\s*[–—-]\s*(?:{_MONTH})\.?\s+|"
    r"(?:första|andra)\s+halvåret\s+)?(?:(?P<year>"
    + _YEAR
    + r")\b|året\s+innan|året\s+före|föregående\s+år|förra\s+året|i\s+fjol)"
    + r"|\b(?:procentenheter|procent|ökning|minskning)\s+från\s+(?:år\s+)?(?P<since>"
    + _YEAR
    + r")\b(?!\s*(?:–|-|till|och))"
    # "två fler än när förbundet senast ställde frågan 2022": the time of an earlier survey
    + r"|\b(?:mer|mindre|fler|färre|högre|lägre|större)\s+än\s+(?:när|då)\s+"
    + r"[^,.;]{0,60}?\b(?P<when>"
    + _YEAR
    + r")\b"
)
_REPORT = re.compile(
    rf"\b(?:läges|års|slut|del|verksamhets)?rapport(?:en)?\s*(?:för\s+)?{_Y}"
    # (an "Årsredovisning 2023", like a "Verksamhetsberättelse 2023", is the year's own
    # account: its year is its figures')
    rf"|\b(?:verksamhetsplan|handlingsplan)(?:en)?\s+(?:för\s+)?{_Y}"
)
_MADE = re.compile(r"\b(?:genomfördes|gjordes|skedde)\b")
_SURVEY_TIME_WORDS = (
    r"(?:mät|kartläggnings)?veckan|vecka|perioden|våren|hösten|sommaren|vintern|januari|"
    r"februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
)
_SURVEY = re.compile(
    rf"\b(?:öppna\s+jämförelser|statistik(?:en)?\s+om|kommun-?\s*och\s+landstingsdatabasen|"
    rf"kolada|nationella\s+kartläggning(?:en)?)[^.!?\n]{{0,100}}?{_Y}(?:\s*[–—-]\s*{_YEAR}\b)?|"
    # "Kartläggningen genomfördes under hösten 2020": the time a survey was made
    # ("Mätningen gjordes i oktober 2024")
    # ("Den sjunde kartläggningen … gjordes under veckan 4–10 april 2022")
    rf"\b(?:kartläggningen|enkäten|undersökningen|mätningen|uppföljningen|inventeringen)\s+"
    rf"(?:[^\W\d]+\s+){{0,4}}?(?:genomfördes|gjordes|skedde)\s+"
    # ("under mätveckan 26 april–2 maj 2021", "i oktober 2024", "under hösten 2020")
    rf"(?:(?:under|i)\s+)?(?:(?:{_SURVEY_TIME_WORDS})\s*|\d{{1,2}}\s*[–-]?\s*|[–-]\s*){{0,7}}?{_Y}"
)


# A word that every survey name (_SURVEY) holds.
_SURVEY_WORDS = (
    "jämförelser",
    "statistik",
    "landstingsdatabasen",
    "kolada",
    "kartläggning",
    "enkät",
    "undersökning",
    "mätning",
)


_COUNT_WORDS = {
    "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
    "nio": 9, "tio": 10,
}  # fmt: skip
_RELATIVE = re.compile(
    r"\b(förra\s+året|förra\s+årets|i\s+fjol|fjolårets?|föregående\s+år(?:et)?|i\s+år|hittills\s+i\s+år|"
    r"årets\s+(?:rapport|enkät|kartläggning|mätning|undersökning|resultat|jämförelse|"
    r"statistik|lägesrapport|uppföljning)\w*|"
    r"årets(?!\s+(?:\d|tolv|elva|tio|månader|dagar|veckor|slut\b))|"
    r"året\s+innan|året\s+dessförinnan|året\s+före(?!\s+[a-zåäö])|året\s+efter(?!\s+[a-zåäö])|"
    r"(?:ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|\d{1,2})\s+år\s+"
    r"(?:tidigare|senare|innan|dessförinnan|efter)|"
    r"för\s+(?:ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|\d{1,2})\s+år\s+sedan)\b"
)


def _may_be_relative(sentence: str, lower: str) -> bool:
    """Tell cheaply whether `_RELATIVE` can match: each of its matches holds "fjol" or a
    word that starts with "år" ("året", "i år", "två år tidigare"), where "år" inside a
    word ("vård", "svårt") is in most sentences.

    `lower` is `sentence.lower()`, which `scan_lower` reads when their lengths agree;
    the word's start is tested in it as the pattern's boundary is.
    """
    if "fjol" in lower or len(lower) != len(sentence):
        return True
    at = lower.find("år")
    while at != -1:
        if at == 0 or not (lower[at - 1].isalnum() or lower[at - 1] == "_"):
            return True
        at = lower.find("år", at + 1)
    return False


# Relative words that count back from another time: what a change compares with.
_BACK = re.compile(
    r"förra\s+året|förra\s+årets|i\s+fjol|fjolårets?|föregående\s+år|året\s+innan|året\s+dessförinnan|"
    r"året\s+före|\w+\s+år\s+(?:tidigare|innan|dessförinnan)|för\s+\w+\s+år\s+sedan"
)
# "för tre år sedan": counted back from the publication, as "i fjol".
_AGO = re.compile(r"för\s+(\w+)\s+år\s+sedan")
_N_YEARS = re.compile(r"(\w+)\s+år\s+(tidigare|senare|innan|dessförinnan|efter)")
# "tredje kvartalet", "första halvåret" without a year: the year of the text's context.
# ("årets första halvår", "årets första sex månader": the first half of the year)
_BARE_PART = re.compile(
    # (not "årets tre första kvartal": three quarters)
    r"(?<!två\s)(?<!tre\s)\b(första|andra|tredje|fjärde)\s+(kvartal(?:et)?|halvår(?:et)?)\b"
    r"(?!\s+(?:år\s+)?(?:19|20)\d\d)|"
    r"\bårets\s+(första|sista)\s+sex\s+månader(?:na)?\b|"
    # "Under årets tre första månader", "de tre första månaderna": the first quarter
    r"\b(?:årets|de)\s+tre\s+första\s+(månader)(?:na)?\b"
)
_ORDINALS = ("första", "andra", "tredje", "fjärde")
_MONTH_COUNTS = {
    "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
    "tio": 10, "elva": 11,
}  # fmt: skip
# "årets fyra första månader", "de första nio månaderna 2025", "årets 8 första månader"
_FIRST_MONTHS = re.compile(
    r"\b(årets|de)\s+(?:(två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|\d{1,2}\s)\s*första|"
    r"första\s+(två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|\d{1,2}\s))\s*månader(?:na)?"
    rf"(?:\s+(?:år\s+)?({_YEAR}))?\b"
)
# Months of a year without the year: "januari-april", "jan–aug" (not before a year)
_BARE_MONTHS_SPAN = re.compile(rf"\b({_MONTH})\.?\s*[–-]\s*({_MONTH})\.?(?!\w)(?!\s*(?:19|20)\d\d)")
# "den 1 november" with no year after it (a census day the text names by habit).
# "den 1 november": a day and its month
_DAY_MONTH = (
    r"\b[Dd]en\s+([12]?\d|3[01])\s+(januari|februari|mars|april|maj|juni|juli|augusti|september|"
    r"oktober|november|december)\b"
)
_BARE_DAY = re.compile(_DAY_MONTH + r"(?!\s*(?:\d|år\b))")  # without its year
_BARE_DAY_START = re.compile(r"den\s")  # where it can begin (see scan.search_at_starts)
# "på mätdagen i november 2023": a census day named by its month.
_CENSUS_MONTH = re.compile(rf"\bmätdag(?:en)?\s+(?:den\s+)?i\s+({_MONTH})\s+({_YEAR})\b")
# "vid utgången av 2024", "vid slutet av 2022", "vid årets slut": the last day of the year.
_YEAR_END = re.compile(
    rf"\b(?:(?:(?:vid|per)\s+utgången|vid\s+slutet)\s+av\s+(?:år\s+)?({_YEAR})\b|"
    r"vid\s+årets\s+slut\b|vid\s+årsskiftet\b)"
)
# "vid utgången av augusti", "i slutet av juni 2023": the last day of the month.
_MONTH_END = re.compile(
    rf"\b(?:(?:vid|per)\s+utgången\s+av|i\s+slutet\s+av)\s+({_MONTH})\b(?:\s+({_YEAR})\b)?"
)
# "under vecka 14 2023": a survey week is its year's (and the week number no figure's).
_WEEK = re.compile(rf"vecka\s+\d{{1,2}}(?:\s+år)?\s+({_YEAR})\b")
# _Y with the year first (see _ISO_DATE).
_PLAIN_YEAR = re.compile(rf"({_YEAR})(?<!{_NOT_BEFORE_YEAR}\d{{4}}){_NOT_AFTER_YEAR}")
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
    if published is not None and (season := _season_year(sentence, published)) is not None:
        ref_year = season  # "i höstas …, jämfört med 73 procent året innan"
    first_digits = _four_digits(sentence)
    if first_digits is None:
        # has_year_hint, but for the scan just made
        if not (_names_time_word(sentence) or has_bare_day(sentence)):
            return []
        return _relative_only(sentence, published=published, ref_year=ref_year)
    taken: list[tuple[int, int]] = []
    found: list[PeriodMention] = []

    def take(mention: PeriodMention) -> None:
        s, e = mention.start, mention.end
        if any(s < te and ts < e for ts, te in taken):
            return
        taken.append((s, e))
        found.append(mention)

    def add(m: re.Match[str], kind: Kind, period: str | None, year: int | None = None) -> None:
        take(PeriodMention(m.start(), m.end(), kind, period, year))

    lower = lowered(sentence)
    # Each parser runs only when its key words are there: most sentences hold one year.
    if "rapport" in lower or holds_any(lower, _NAME_WORDS):
        for m in scan_lower(_REPORT, sentence, lower):
            add(m, "name", None, int(_last_year(m.group(0))))
    if holds_any(lower, _SURVEY_WORDS):
        for m in scan_lower(_SURVEY, sentence, lower):
            year = int(_last_year(m.group(0)))
            add(m, "survey", str(year), year)
    if "jämfört" in lower or " än " in lower or " från " in lower or " mot " in lower:
        for m in scan_lower(_COMPARISON, sentence, lower):
            named = m["year"] or m["since"] or m["when"]
            base = int(named) if named else None
            if base is None:  # "fler än året innan", "jämfört med i fjol"
                rel = _RELATIVE.search(lower, m.start(), m.end())
                base = (
                    _relative_year(rel[1], published=published, ref_year=ref_year) if rel else None
                )
            add(m, "comparison", None, base)
    if "-tal" in lower:
        for m in scan_lower(_DECADE, sentence, lower):
            add(m, "name", None)
    if "-" in sentence:
        for m in _ISO_DATE.finditer(sentence):
            if _valid_date(int(m[1]), int(m[2]), int(m[3])):  # "2019-11-32" is no date
                add(m, "date", f"{m[1]}-{m[2]}-{m[3]}", int(m[1]))
    months = _names_month(lower)
    if months:
        for m in scan_lower_at_starts(_SV_DATE_RANGE, _SV_DATE_RANGE_START, sentence, lower):
            span = _date_span(m)
            if span is not None:
                kind: Kind = (
                    "half"
                    if "-H" in span
                    else "quarter"
                    if "-Q" in span
                    else "range"
                    if "–" in span
                    else "year"
                )
                add(m, kind, span, int(m[6]))
        for m in scan_lower(_SV_DAY_SPAN, sentence, lower):
            if _date(m[4], m[3], m[1]) is not None and _date(m[4], m[3], m[2]) is not None:
                add(m, "year", m[4], int(m[4]))
        for m in scan_lower(_SV_DATE, sentence, lower):
            add(m, "date", _date(m[3], m[2], m[1]), int(m[3]))
        for m in scan_lower_at_starts(_EN_DATE, _EN_DATE_START, sentence, lower):
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
    if months:
        for m in scan_lower(_MONTHS_OF_YEAR, sentence, lower):
            if " och " in m[0].lower() and not m[1]:
                continue  # "i juni och juli 2019" two months, "mellan juli och september" a span
            part = _SPANS.get((m[2][:3].lower(), m[3][:3].lower()))
            if part is not None:  # "juli–sept. 2023", "mellan juli och september": a quarter
                add(m, "half" if part[0] == "H" else "quarter", f"{m[4]}-{part}", int(m[4]))
                continue
            span = _months_span(m[2], m[3], m[4])
            if span is not None:
                add(m, "range", span, int(m[4]))
        for m in scan_lower(_ONE_MONTH, sentence, lower):
            month, year_text = (m[1], m[2]) if m[1] else (m[3], m[4])
            add(m, "month", f"{year_text}-{_MONTHS[month]:02d}", int(year_text))
    if _four_digits(sentence, first_digits.end()) is not None:  # a second one
        for m in scan_lower_at_starts(_RANGE, _RANGE_START, sentence, lower):
            if int(m[1]) < int(m[2]):
                add(m, "range", f"{m[1]}–{m[2]}", int(m[2]))
    if "sedan" in lower:
        for m in scan_lower(_SINCE, sentence, lower):
            add(m, "since", m[1], int(m[1]))
    for m, kind, period in _first_months(sentence, lower, ref_year, published):
        add(m, kind, period, int(period[:4]))  # (before "årets" is read as the year)
    if _may_be_relative(sentence, lower):
        for m in scan_lower(_RELATIVE, sentence, lower):
            if _APPOSED_TO_YEAR.search(lower, max(0, m.start() - 8), m.start()):
                continue  # "2017, året innan spel om pengar skrevs in i lagen": the 2017
            resolved = _relative_year(m[1].lower(), published=published, ref_year=ref_year)
            if resolved is not None:
                take(_relative_mention(m, lower, resolved))
    for bare, bare_kind, bare_period in _bare_parts(sentence, lower, ref_year, published):
        add(bare, bare_kind, bare_period, ref_year)
    if "vecka" in lower:
        for m in scan_lower(_WEEK, sentence, lower):
            add(m, "year", m[1], int(m[1]))
    for m in _PLAIN_YEAR.finditer(sentence):
        add(m, "year", m[1], int(m[1]))
    found.sort(key=lambda p: p.start)
    if "från " in lower or "fr.o.m" in lower:
        # "från den 1 januari 2017 ska kommunerna få 1 350 kronor": the day a rule starts
        # dates the year it holds for, no census day
        found = [
            PeriodMention(m.start, m.end, "year", m.period[:4], m.year)
            if m.kind == "date" and m.period and _FROM_DAY.search(lower, 0, m.start)
            else m
            for m in found
        ]
    return found


_FROM_DAY = re.compile(r"\b(?:från|fr\.o\.m\.?)\s+(?:och\s+med\s+)?(?:den\s+)?$")


_FOUR_DIGITS = re.compile(r"(?:19|20)\d\d")


def _four_digits(text: str, pos: int = 0) -> re.Match[str] | None:
    """Return `_FOUR_DIGITS.search(text, pos)`, scanned only when "19" or "20" is there
    (most sentences hold neither: two substring tests are cheaper than the scan)."""
    if "19" not in text and "20" not in text:
        return None
    return _FOUR_DIGITS.search(text, pos)


# A word that names a document (_REPORT) besides "rapport".
_NAME_WORDS = ("verksamhetsplan", "handlingsplan")

_MONTH_HINT = re.compile(r"\b(?:" + _MONTH + r")\b")
# The first three letters of every month's name: a text holding none names no month.
_MONTH_STARTS = tuple(sorted({month[:3] for month in _MONTHS}))


def _months_span(first: str, last: str, year_text: str) -> str | None:
    """Return "2025-01-01–2025-09-30" for the months first to last of a year, or None."""
    start, end, year = _MONTHS[first], _MONTHS[last], int(year_text)
    if not start < end:
        return None
    return f"{year}-{start:02d}-01–{year}-{end:02d}-{calendar.monthrange(year, end)[1]:02d}"


def span_of_years(period: str) -> str:
    """Return "2023–2024" for a span whose ends are spans ("2023–2024-01-01–2024-08-31")."""
    years = years_in(period)
    if not years:
        return period
    return f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])


def lone_month(text: str) -> int | None:
    """Return the month a table header names alone ("Januari", "Sept.", "juli*"), or None.

    A header that is only a month takes its year from the table's other header or its
    caption; "Summa jan-sep" or "Juli 2024" is not a lone month.
    """
    return _MONTHS.get(text.strip(" *.:").lower())


def bare_month_spans(text: str) -> list[tuple[int, int]]:
    """Return where a text names months of a year without the year ("Utfall jan–aug"):
    what a table's header says of time, not of what its cells count."""
    lower = lowered(text)
    if not _names_month(lower) or ("–" not in lower and "-" not in lower):
        return []
    return [m.span() for m in scan_lower(_BARE_MONTHS_SPAN, text, lower)]


def names_month(text: str) -> bool:
    """Return True when a text names a month ("i september", "januari–augusti")."""
    return _names_month(lowered(text))


def _names_month(lower: str) -> bool:
    """Tell whether a lower-cased text names a month (substring tests before the scan)."""
    return holds_any(lower, _MONTH_STARTS) and _MONTH_HINT.search(lower) is not None


def _relative_only(
    sentence: str, *, published: date | None, ref_year: int | None
) -> list[PeriodMention]:
    """Return the periods of a sentence without four digits of a year (find_periods)."""
    lower = lowered(sentence)
    # Every comparison holds one of these words; most sentences hold none of them. (With
    # no year in the sentence, only a comparison with a relative time can be there: one
    # of _COMPARED_TIMES.)
    found = (
        [
            PeriodMention(
                m.start(),
                m.end(),
                "comparison",
                None,
                _compared_year(m, lower, published, ref_year),
            )
            for m in scan_lower(_COMPARISON, sentence, lower)
        ]
        if ("jämfört" in lower or "än" in lower or "från" in lower)
        and holds_any(lower, _COMPARED_TIMES)
        else []
    )
    for m in scan_lower(_RELATIVE, sentence, lower) if _may_be_relative(sentence, lower) else ():
        if any(c.start <= m.start() < c.end for c in found):
            continue
        if _LIKE_BEFORE.search(lower, max(0, m.start() - 16), m.start()):
            continue  # "Liksom förra året behövde 33 …": a likeness, no time of the figure
        resolved = _relative_year(m[1].lower(), published=published, ref_year=ref_year)
        if resolved is not None:
            found.append(_relative_mention(m, lower, resolved))
    parts = _bare_parts(sentence, lower, ref_year, published)
    for m, kind, period in [*_first_months(sentence, lower, ref_year, published), *parts]:
        overlapping = [c for c in found if c.start < m.end() and m.start() < c.end]
        if overlapping and (
            kind not in ("month", "half", "quarter", "range")
            or any(c.kind == "comparison" for c in overlapping)
        ):
            continue
        # "årets första halvår": the part of the year, not the year it is of
        found = [c for c in found if c not in overlapping]
        found.append(PeriodMention(m.start(), m.end(), kind, period, ref_year))
    return sorted(found, key=lambda p: p.start)


# A relative time set beside a year it describes ("2017, året innan …")
_APPOSED_TO_YEAR = re.compile(rf"{_YEAR},\s*$")
_LIKE_BEFORE = re.compile(r"\b(?:liksom|precis\s+som|likt|på\s+samma\s+sätt\s+som)\s+(?:i\s+)?$")
# The relative times a `_COMPARISON` without a year ends in ("än året innan", "jämfört
# med föregående år", "i fjol"), by a word each holds.
_COMPARED_TIMES = ("året", "föregående", "förra", "fjol")

# "Den 1 november förra året": a day of the year the relative words name.
_DAY_MONTH_BEFORE = re.compile(rf"\b(?:den\s+)?(\d{{1,2}})(?:\s|\xa0)+({_MONTH})\.?\s+$")


def _relative_mention(m: re.Match[str], lower: str, year: int) -> PeriodMention:
    """Return a relative year as a mention, or the day it closes ("1 november i fjol")."""
    day = _DAY_MONTH_BEFORE.search(lower, max(0, m.start() - 24), m.start())
    if day is not None and m[1].lower() in _DAY_YEAR_WORDS:
        dated = _date(str(year), day[2], day[1])
        if dated is not None:
            return PeriodMention(day.start(), m.end(), "date", dated, year)
    return PeriodMention(m.start(), m.end(), "relative", str(year), year)


_DAY_YEAR_WORDS = frozenset({"förra året", "i fjol", "i år", "föregående år", "föregående året"})


def _compared_year(
    m: re.Match[str], lower: str, published: date | None, ref_year: int | None
) -> int | None:
    """Return the year a comparison without digits names ("än året innan", "än i fjol")."""
    rel = _RELATIVE.search(lower, m.start(), m.end())
    return _relative_year(rel[1], published=published, ref_year=ref_year) if rel else None


# A season just past, said from the publication date: "i höstas", "i våras" (not
# "sedan i höstas", a start).
# "i höstas", and a survey named by its season: "höstens enkät", "vårens kartläggning"
_SEASON_PAST = re.compile(
    r"(?<!sedan )\bi\s+(höstas|våras|somras|vintras)\b|"
    r"\b(höstens|vårens|sommarens|vinterns)\s+(?:\w+\s+)?"
    r"(?:enkät|kartläggning|undersökning|mätning|räkning|inventering)"
)
_SEASON_WORDS = ("höstas", "våras", "somras", "vintras", "höstens", "vårens", "sommarens",
                 "vinterns")  # fmt: skip
_SEASON_END = {"våras": 5, "somras": 8, "höstas": 11, "vintras": 2}  # its last month
_SEASON_OF = {"höstens": "höstas", "vårens": "våras", "sommarens": "somras", "vinterns": "vintras"}


def _season_of(season: str, published: date) -> int:
    """Return the year of a season just past: "i höstas" in a text of February 2020 is
    the autumn of 2019; in December, that of the same year. "höstens enkät" in a text of
    October is this year's autumn."""
    if season in _SEASON_OF:
        past = _SEASON_OF[season]
        started = published.month >= _SEASON_END[past] - 2
        return published.year if started else published.year - 1
    return published.year if published.month > _SEASON_END[season] else published.year - 1


def _season_year(sentence: str, published: date) -> int | None:
    """Return the year of the season a sentence says it speaks of ("i höstas"), or None."""
    if not holds_any(sentence, _SEASON_WORDS):
        return None
    found = _SEASON_PAST.search(lowered(sentence))
    return _season_of(found[1] or found[2], published) if found else None


def _first_months(
    sentence: str, lower: str, ref_year: int | None, published: date | None
) -> list[tuple[re.Match[str], Kind, str]]:
    """Return "årets fyra första månader", "de första nio månaderna 2025": the year so far,
    of the year named, else the context's, else the publication's."""
    if "första" not in lower or "månader" not in lower:
        return []
    found: list[tuple[re.Match[str], Kind, str]] = []
    for m in scan_lower(_FIRST_MONTHS, sentence, lower):
        said = (m[2] or m[3]).strip().lower()
        count = _MONTH_COUNTS.get(said) or int(said)
        year = int(m[4]) if m[4] else ref_year or (published.year if published else None)
        if year is not None and 1 <= count <= _LAST_PART_MONTH:
            last = calendar.monthrange(year, count)[1]
            found.append((m, "range", f"{year}-01-01–{year}-{count:02d}-{last:02d}"))
    return found


_LAST_PART_MONTH = 11  # "årets tolv första månader" would be the year


def _bare_parts(
    sentence: str, lower: str, ref_year: int | None, published: date | None = None
) -> list[tuple[re.Match[str], Kind, str]]:
    """Return "tredje kvartalet", "första halvåret" without a year, in the context's year,
    and the end of a month ("vid utgången av augusti"), in its own year or the context's."""
    found: list[tuple[re.Match[str], Kind, str]] = []
    if published is not None and holds_any(lower, _SEASON_WORDS):
        for m in scan_lower(_SEASON_PAST, sentence, lower):
            found.append((m, "year", str(_season_of(m[1] or m[2], published))))
    if "mätdag" in lower:
        for m in scan_lower(_CENSUS_MONTH, sentence, lower):
            # "På mätdagen i november 2023": the census day, the first of that month
            found.append((m, "date", f"{m[2]}-{_MONTHS[m[1]]:02d}-01"))
    if holds_any(lower, ("utgången", "årets slut", "vid slutet", "årsskiftet")):
        for m in scan_lower(_YEAR_END, sentence, lower):
            # "Vid utgången av 2024", "vid årets slut": the year's last day
            year = int(m[1]) if m[1] else ref_year
            if year is not None and not m[1] and published is not None:
                # "Vid årsskiftet bodde 38 barn i familjehem" in September 2023: the last
                # year's end, never one still to come
                year = min(year, published.year - 1)
            if year is not None:
                found.append((m, "date", f"{year}-12-31"))
    if "utgången" in lower or "slutet av" in lower:
        for m in scan_lower(_MONTH_END, sentence, lower):
            # A month's end without a year is the context's, else the publication's
            # (an interim report's "vid utgången av augusti").
            if _SOURCE_PUBLISHED.search(lower, max(0, m.start() - 30), m.start()):
                continue  # "som SCB publicerade i slutet av augusti": the source's date
            year = int(m[2]) if m[2] else ref_year or (published.year if published else None)
            month = _MONTHS[m[1].lower()]
            if year is not None:
                last = calendar.monthrange(year, month)[1]
                found.append((m, "date", f"{year}-{month:02d}-{last:02d}"))
    if _names_month(lower) and ("–" in lower or "-" in lower):
        for m in scan_lower(_BARE_MONTHS_SPAN, sentence, lower):
            # "Nettokostnaden för januari-april", "Under jan–aug": those months of the
            # context's year, else of the publication's once they have ended
            first, last = _MONTHS[m[1].lower().rstrip(".")], _MONTHS[m[2].lower().rstrip(".")]
            year = ref_year or _ended_in(published, last)
            part = _SPANS.get((m[1][:3].lower(), m[2][:3].lower()))
            if year is not None and part is not None:
                found.append((m, "half" if part[0] == "H" else "quarter", f"{year}-{part}"))
            elif year is not None and first < last:
                end = calendar.monthrange(year, last)[1]
                found.append((m, "range", f"{year}-{first:02d}-01–{year}-{last:02d}-{end:02d}"))
    month_year = ref_year or (published.year if published else None)
    if month_year is not None and _names_month(lower):
        for m in scan_lower(_BARE_MONTH, sentence, lower):
            found.append((m, "month", f"{month_year}-{_MONTHS[(m[1] or m[2]).lower()]:02d}"))
        for m in scan_lower(_MONTH_OF_YEAR, sentence, lower):
            # "Under kommunens mätvecka i oktober räknades 218 personer" in November 2012:
            # the survey's month (the last one past) dates the count by its year
            month = _MONTHS[m[1].lower()]
            year = ref_year or (
                published.year - (published.month < month) if published else month_year
            )
            found.append((m, "year", str(year)))
    # A day without a year in a text naming none: the last such day before publication
    # ("Den 1 oktober var 486 tjänster obesatta" in November 2023).
    day_year = ref_year or (published.year if published else None)
    if day_year and "den " in lower:
        for m in scan_lower_at_starts(_BARE_DAY, _BARE_DAY_START, sentence, lower):
            if _EVENT_BEFORE.search(lower, max(0, m.start() - 12), m.start()):
                continue  # "Inför den 25 november": an event's day, no time of data
            day = _bare_day(m, day_year, published)
            if day is not None:
                found.append((m, "date", day))
    if (
        "kvartal" not in lower
        and "halvår" not in lower
        and "sex månader" not in lower
        and "första månader" not in lower
    ):
        return found
    for m in scan_lower(_BARE_PART, sentence, lower):
        if m[4] is not None:
            which, quarter = 1, True
        elif m[3] is not None:
            which, quarter = (1 if m[3].lower() == "första" else 2), False
        else:
            which = _ORDINALS.index(m[1].lower()) + 1
            quarter = m[2].lower().startswith("kvartal")
        # without a year in context, the publication's, once the part has ended
        # ("Under första halvåret betalade kommunen ut …" in a report of August)
        year = ref_year or _ended_in(published, 3 * which if quarter else 6 * which)
        if year is None:
            continue
        if quarter:
            found.append((m, "quarter", f"{year}-Q{which}"))
        elif which <= 2:
            found.append((m, "half", f"{year}-H{which}"))
    return found


def _ended_in(published: date | None, last_month: int) -> int | None:
    """Return the publication's year when a part of it ending with a month has ended."""
    return published.year if published is not None and published.month > last_month else None


def has_relative_hint(sentence: str) -> bool:
    """Tell whether a sentence may hold a relative period ("i fjol", "året innan").

    Without one, `published` and `ref_year` change nothing in `find_periods`.
    """
    lower = lowered(sentence)
    return (
        "år" in lower
        or "fjol" in lower
        or "kvartal" in lower
        or "utgången" in lower
        or "slutet av" in lower
        or has_bare_day(lower)
    )


def has_year_hint(sentence: str) -> bool:
    """Return True when a sentence may name a period (a cheap test before parsing)."""
    # (the scan for a year first: most sentences asked hold one, and then none of the
    # seven substring tests runs)
    return (
        _four_digits(sentence) is not None or _names_time_word(sentence) or has_bare_day(sentence)
    )


def _names_time_word(sentence: str) -> bool:
    return (
        " år" in sentence
        or "År" in sentence
        or "fjol" in sentence
        or "kvartalet" in sentence
        or "halvåret" in sentence
        or "utgången" in sentence
        or "slutet av" in sentence
        or "i höstas" in sentence
        or "i våras" in sentence
        or "i somras" in sentence
        or "i vintras" in sentence
        or holds_any(sentence, _SEASON_GENITIVES)  # "höstens enkät"
        or (
            # ("för januari-april": months of the context's year)
            (
                "nder " in sentence
                or "I " in sentence
                or " i " in sentence
                or "–" in sentence
                or "-" in sentence
            )
            and _names_month(lowered(sentence))
        )
    )


_SEASON_GENITIVES = ("östens", "vårens", "Vårens", "ommarens", "interns")


def bare_day_of(text: str, year: str) -> str | None:
    """Return the day a header names without its year ("den 1 november") in a given year."""
    lower = text.lower()
    found = _BARE_DAY.search(lower) if "den " in lower else None
    if found is None or not _YEAR_ONLY.fullmatch(year):
        return None
    return _bare_day(found, int(year), None)


_YEAR_ONLY = re.compile(r"(?:19|20)\d\d")
_SOURCE_PUBLISHED = re.compile(
    r"\b(?:publicera|presentera|släppt|släppte|redovisade|offentliggjorde|kom\s+ut)\w*\s+$"
)
_EVENT_BEFORE = re.compile(r"\b(?:inför|till|senast|före|efter|från|sedan)\s+$")


def has_bare_day(sentence: str) -> bool:
    """Tell a sentence that may name a day without its year ("Den 30 juni", "den 1 november")."""
    if "den " not in sentence and "Den " not in sentence:
        return False
    return search_at_starts(_BARE_DAY, _BARE_DAY_START, sentence) is not None


def _bare_day(m: re.Match[str], year: int, published: date | None) -> str | None:
    """Return the day "den 1 november" names without a year, in the context's year; never
    a day after the publication ("den 31 december" in an August report is the year
    before's)."""
    month, day = _MONTHS[m[2]], int(m[1])
    if published and year == published.year and (month, day) > (published.month, published.day):
        year -= 1  # a count on a day still to come is last year's
    return f"{year}-{month:02d}-{day:02d}" if _valid_date(year, month, day) else None


def _last_year(text: str) -> str:
    years: list[str] = _YEAR_RE.findall(text)
    return years[-1]


_PARTS_OF_YEAR = {
    "H1": ("01-01", "06-30"), "H2": ("07-01", "12-31"), "Q1": ("01-01", "03-31"),
    "Q2": ("04-01", "06-30"), "Q3": ("07-01", "09-30"), "Q4": ("10-01", "12-31"),
}  # fmt: skip


def _date_span(m: re.Match[str]) -> str | None:
    """Return the period a span of days is about: its years ("2018–2019"), else its year.

    A span is no day of the year: "31 juli 2018–1 augusti 2019" counts a year's stays.
    """
    end = _date(m[6], m[5], m[4])
    begin = _date(m[3] or m[6], m[2], m[1])
    if end is None or begin is None or begin >= end:
        return None
    first, last = int(begin[:4]), int(end[:4])
    if first != last:
        return f"{first}–{last}"
    months = (begin[5:], end[5:])
    for part, (start, stop) in _PARTS_OF_YEAR.items():
        if months == (start, stop):
            return f"{last}-{part}"  # "1 januari–30 juni 2023": the first half-year
    return str(last)


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
    counted = _N_YEARS.fullmatch(word)
    if counted is not None:
        n = int(counted[1]) if counted[1].isdigit() else _COUNT_WORDS.get(counted[1])
        if n is None or not ref_year:
            return None
        return ref_year + n if counted[2] in ("senare", "efter") else ref_year - n
    if word in ("året innan", "året dessförinnan", "året före"):
        return ref_year - 1 if ref_year else None
    if word.startswith("årets ") or (word == "årets" and ref_year):
        # "årets rapport", "årets enkät", "årets resultat": the survey the text is about,
        # whose data year is the text's, not the publication's; so "årets alla dagar" in a
        # text about 2024 published in 2025.
        return ref_year
    if word.startswith("föregående") and ref_year:
        return ref_year - 1  # the year before the one the text speaks of
    if word == "året efter":
        return ref_year + 1 if ref_year else None
    if published is None:
        return None
    if word in ("i år", "hittills i år", "årets"):
        return published.year
    ago = _AGO.fullmatch(word)
    if ago is not None:
        n = int(ago[1]) if ago[1].isdigit() else _COUNT_WORDS.get(ago[1])
        return published.year - n if n else None
    return published.year - 1


def counts_back(mention: PeriodMention, sentence: str) -> bool:
    """Tell whether a relative mention counts back ("året innan", "i fjol", "tre år tidigare")."""
    if mention.kind == "relative":
        return _BACK.match(sentence.lower(), mention.start, mention.end) is not None
    return mention.kind == "comparison" and (
        _BACK.search(sentence.lower(), mention.start, mention.end) is not None
    )


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
    at: tuple[int, int] = (0, 0),
    context: str | None = None,
    carried: str | None = None,
) -> str | None:
    """Return the span a change figure covers: from the time compared with to the newer one.

    A change compares two times. "ökat med 19 procent sedan 2017", "500 fler än 2021",
    "jämfört med den förra kartläggningen 2012" and "fler än året innan" name only the
    older (the base nearest the figure at `at`, after it first); the newer is another
    time of the sentence or, failing that, the time its context is about (`context`:
    the paragraph's, the heading's, the lead's). A range nearer than any base is the
    span itself ("ökade med 55 procent mellan 2020 och 2022"). "på fyra år" and "på
    ett år" count back from the newer; two years in the sentence are the span; else
    the span a change before it in the paragraph stated (`carried`). A base and a newer
    time of different grain take the finer one's part ("samma kvartal 2007" in a text
    about 2008-Q4 is 2007-Q4). `period` is what the nearest mention gave; it stays when
    nothing says more.
    """
    start, end = at
    bases = compared_bases(mentions, sentence)
    ranges = [m for m in mentions if m.kind == "range" and m.period]
    base = min(bases, key=lambda b: _distance(b[0], start, end)) if bases else None
    near_range = min(ranges, key=lambda m: _distance(m, start, end)) if ranges else None
    if near_range is not None and (
        base is None or _distance(near_range, start, end) < _distance(base[0], start, end)
    ):
        return near_range.period
    taken = {id(b[0]) for b in bases}
    named = [m for m in mentions if m.kind in _NAMED_TIME and m.period and id(m) not in taken]
    counted = _YEARS_BACK.search(sentence.lower(), end) if base is not None else None
    if (
        counted is not None
        and counted[1] is not None
        and counted.start() - end < _NEAR_BACK
        and base is not None
        and counted.start() < base[0].start
        and context is not None
        and years_in(context)
    ):
        # "ökat med 8 procent på två år och med 38 procent sedan 2018": the years the
        # figure's own words count back, not the base of the figure after it
        n = int(counted[1]) if counted[1].isdigit() else _COUNT_WORDS[counted[1]]
        return _shifted_span(context, n)
    if base is not None:
        older = base[1]
        first = years_in(older)[0]
        later = [m for m in [*named, *ranges] if m.period and years_in(m.period)[-1] > first]
        newer = _newer_end(min(later, key=lambda m: _distance(m, start, end))) if later else context
        if newer is None or not years_in(newer) or years_in(newer)[-1] <= first:
            if not counts_back(base[0], sentence):
                return older
            newer = str(first + 1)  # "fler än året innan": the year it counts back from
        older, newer = aligned(older, newer or "")
        return f"{older}–{newer}"
    current = (
        min(named, key=lambda m: _distance(m, start, end)).period if named else None
    ) or context
    back = _years_back(sentence.lower())
    if back is not None and current is not None and years_in(current):
        return _shifted_span(current, back)
    years = sorted({y for m in named if m.period for y in years_in(m.period)})
    if len(years) >= 2:
        return f"{years[0]}–{years[-1]}"
    if carried is not None:
        return carried
    if not named and period is not None and _PART_OR_YEAR.fullmatch(period):
        # "en ökning med 12 procent" naming no time compares with the period before:
        # the year before, or the same quarter or half-year of the year before.
        return _shifted_span(period, 1)
    return period


_PART_OR_YEAR = re.compile(r"\d{4}(?:-(?:Q[1-4]|H[12])|-\d\d-\d\d)?")


def _newer_end(mention: PeriodMention) -> str | None:
    """Return a mention's period, or a range's newer end."""
    if mention.kind == "range" and mention.period:
        return str(years_in(mention.period)[-1])
    return mention.period


def has_year(sentence: str) -> bool:
    """Tell whether a sentence names a year of its own."""
    return _PLAIN_YEAR.search(sentence) is not None


def back_span(current: str, sentence: str) -> str:
    """Return the span back from `current` a sentence counts ("på tre år"), one year if none."""
    return _shifted_span(current, _years_back(sentence.lower()) or 1)


def _distance(mention: PeriodMention, start: int, end: int) -> int:
    """How far a mention stands from a figure; one after it wins a tie."""
    if mention.start >= end:
        return (mention.start - end) * 2
    return max(start - mention.end, 0) * 2 + 1


_NAMED_TIME = frozenset({"date", "month", "half", "quarter", "year", "relative", "survey"})
# What opens a comparison with another time; the time follows within a few words
# ("än vid Socialstyrelsens första kartläggning, som avsåg 2018").
_MARKER = re.compile(
    r"\b(?:jämfört\s+(?:med|mot)|att\s+jämföra\s+med|än|mot(?=\s+(?:samma|motsvarande|"
    r"föregående|förra|året|(?:19|20)\d\d))|sedan)\s"
)
# The gap may hold the value compared with: "jämfört med 338 under 2022".
_GAP = re.compile(
    r"(?:[^\d,;:.()!?]|,\s+som\s+(?:avsåg|gällde|gjordes|genomfördes)\b|"
    r"(?<![\d,])\d[\d\s\xa0]*(?:,\d+)?(?![\d,]))*"
)
_GAP_CHARS = 64


def compared_bases(mentions: list[PeriodMention], sentence: str) -> list[tuple[PeriodMention, str]]:
    """Return the times a sentence compares with, each with its period.

    "sedan 2017", "jämfört med 2021", "än under fjärde kvartalet 2007", "än året
    innan", "jämfört med den förra kartläggningen 2012": a time a comparison word opens,
    within a few words and no number, and a relative word that counts back.
    """
    lower = lowered(sentence)
    out: list[tuple[PeriodMention, str]] = []
    for mention in mentions:
        if mention.kind in ("since", "comparison") and mention.year is not None:
            out.append(
                (
                    mention,
                    str(mention.year) if mention.kind == "comparison" else str(mention.period),
                )
            )
        elif mention.kind == "relative" and mention.period and counts_back(mention, sentence):
            out.append((mention, mention.period))
    if "än" not in lower and "jämför" not in lower and "mot " not in lower and "sedan" not in lower:
        return out
    seen = {id(m) for m, _ in out}
    for marker in _MARKER.finditer(lower):
        for mention in mentions:
            if mention.end <= marker.end():
                continue
            if mention.start < marker.end():
                break  # the marker opens this mention itself: "jämfört med 2021", "sedan 2018"
            if id(mention) in seen or mention.kind not in _NAMED_TIME or not mention.period:
                break  # only the first time after a marker is the one compared with
            gap = lower[marker.end() : mention.start]
            if len(gap) <= _GAP_CHARS and _GAP.fullmatch(gap):
                out.append((mention, mention.period))
                seen.add(id(mention))
            break
    return out


_PART = re.compile(r"^(\d{4})(-(?:Q[1-4]|H[12]))$")


def aligned(older: str, newer: str) -> tuple[str, str]:
    """Give a plain year the part of the other end ("2007", "2008-Q4" -> "2007-Q4")."""
    old_part, new_part = _PART.match(older), _PART.match(newer)
    if new_part and older.isdigit():
        return older + new_part[2], newer
    if old_part and newer.isdigit():
        return older, newer + old_part[2]
    return older, newer


_YEARS_BACK = re.compile(
    r"\bpå\s+(?:bara\s+|endast\s+|drygt\s+|knappt\s+)?(ett|två|tre|fyra|fem|sex|sju|åtta|\d)\s+år\b"
    r"|\bsenaste\s+året\b"
)
_YEAR_BEFORE = re.compile(
    r"\b(?:året\s+innan|året\s+före|förra\s+året|i\s+fjol|föregående\s+år|"
    r"ett\s+år\s+tidigare)\b"
)


_NEAR_BACK = 16  # "8 procent på två år": the count of years right after the figure


def _years_back(lower: str) -> int | None:
    """Return how many years back a change counts ("på fyra år": 4; "året innan": 1)."""
    found = _YEARS_BACK.search(lower)
    if found:
        word = found[1]
        if word is None:
            return 1  # "under det senaste året"
        return int(word) if word.isdigit() else _COUNT_WORDS[word]
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
    head = text[:_DATELINE_CHARS]
    lower = lowered(head)  # (find_periods reads it too)
    if len(lower) == len(head) and not _names_month(lower) and not _ISO_DATE.search(head):
        return None  # a date is an ISO date or names its month: most pages' heads hold none
    for mention in find_periods(head):
        if mention.kind == "date" and mention.period:
            try:
                return date.fromisoformat(mention.period)
            except ValueError:  # never raised for what find_periods gives; total all the same
                continue
    return None


def _valid_date(year: int, month: int, day: int) -> bool:
    """Tell whether the numbers make a calendar date of the years a figure can be about.

    An impossible date is no date, and neither is one outside the years the periods
    read ("1900-01-01" is a placeholder, not a day of the statistics).
    """
    if not _YEAR_RE.fullmatch(str(year)):
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


_DATELINE_CHARS = 300


def declared_year(text: str, lower: str | None = None) -> int | None:
    """Return the data year a text declares for all its figures ("Uppgifterna avser 2023
    om inget annat sägs", "Siffrorna gäller år 2022"), or None.

    `lower`, when given, is the text lower-cased (a document's lead, cut from the whole
    document lower-cased: `extract` has it).
    """
    if "avser" not in text and "gäller" not in text:
        return None
    if not _verb_before_year(text.lower() if lower is None else lower):
        return None  # the slow scan of the lead would find nothing
    found = _DECLARED.search(text)
    return int(found[1]) if found else None


def _verb_before_year(lowered: str) -> bool:
    """Tell whether a lower-cased text holds the part of a `_DECLARED` match from its verb
    to its year ("avser 2023", "gäller år 2022"), looked for where a verb stands.

    A case-insensitive scan for the subject words from each position of a 3 000-character
    lead is slow. The "s" of "avser" may also be the long "ſ", which IGNORECASE lets in
    and str.lower() keeps; the other letters' case-insensitive matches are the
    characters str.lower() turns into them.
    """
    for verb in _DECLARED_VERBS:
        at = lowered.find(verb)
        while at != -1:
            if _DECLARED_YEAR.match(lowered, at + len(verb)) is not None:
                return True
            at = lowered.find(verb, at + 1)
    return False


# "Uppgifterna avser 2023 om inget annat sägs": the year of the text's data.
_DECLARED = re.compile(
    rf"\b(?:uppgifterna|siffrorna|statistiken|resultaten|talen|data)\s+(?:i\s+\w+\s+)?"
    rf"(?:avser|gäller)\s+(?:år\s+|helåret\s+)?({_YEAR})\b(?!\s*[–-])",
    re.I,
)
_DECLARED_VERBS = ("avser", "avſer", "gäller")
_DECLARED_YEAR = re.compile(rf"\s+(?:år\s+|helåret\s+)?{_YEAR}")  # after the verb


def survey_year(text: str) -> int | None:
    """Return the data year of the first survey or statistics named with a year.

    "Öppna jämförelser av den sociala barn- och ungdomsvården 2012" gives 2012; a
    report named for its publication year ("Lägesrapport 2023") is not a survey.
    """
    lower = lowered(text)
    if len(lower) == len(text):
        # (the names are looked for only when their later word is there: _SURVEY_WORDS)
        found: Iterable[re.Match[str]] = _survey_names(lower)
    elif not holds_any(lower, _SURVEY_WORDS):
        return None
    else:
        found = scan_lower(_SURVEY, text, lower)
    for m in found:
        if _REPORT.search(m.group(0).lower()) is not None:
            continue
        if _OTHER_SURVEY.search(
            lower, max(0, m.start() - _OTHER_SURVEY_CHARS), m.start()
        ) and not _MADE.search(m.group(0)):
            # "i den senaste nationella kartläggningen 2017": another one than this (not
            # "Den senaste kartläggningen gjordes under mätveckan …": this one's time)
            continue
        return int(_last_year(m.group(0)))
    return None


# "Vid den förra kartläggningen, 2017, var antalet ...": an earlier survey's time.
_EARLIER = re.compile(
    r"\b(?:förra|föregående|tidigare|första)\s+(?:\w+\s+)?"
    r"(?:kartläggning|mätning|räkning|undersökning|enkät|jämförelse)\w*[^.\d;]{0,24}$"
)


def of_earlier_survey(sentence: str, mention: PeriodMention) -> bool:
    """Tell a time that names an earlier survey ("den förra kartläggningen, 2017").

    The sentence is about that survey; its time is not the one the text goes on about.
    """
    lower = sentence[max(0, mention.start - 64) : mention.start].lower()
    return "r" in lower and _EARLIER.search(lower) is not None


def earlier_survey(mentions: list[PeriodMention], sentence: str) -> str | None:
    """Return the time a sentence gives an earlier survey ("den första kartläggningen,
    som gällde 2018"), or None."""
    if "r" not in sentence:
        return None
    for mention in mentions:
        if mention.kind in _NAMED_TIME and mention.period and of_earlier_survey(sentence, mention):
            return mention.period
    return None


# "Vid den förra kartläggningen var andelen 8,3 procent": a figure of the earlier survey;
# not "som vid förra mätningen" (a likeness: the figure is the text's own) nor "än vid ...".
_AT_EARLIER = re.compile(
    r"(?<!\bsom\s)(?<!\bän\s)\b(?:vid|i|under)\s+(?:den\s+|\w+s\s+)?(?:förra|föregående|"
    r"tidigare|första)\s+(?:\w+\s+)?(?:kartläggning|mätning|undersökning|enkät|räkning)\w*",
    re.I,
)


def at_earlier_survey(sentence: str, before: int) -> bool:
    """Tell a figure at `before` that a sentence places at an earlier survey, naming no time."""
    if not holds_any(sentence, ("förra", "före", "första", "tidigare")):
        return False
    found = _AT_EARLIER.search(sentence)
    return found is not None and found.start() < before


def named_at_earlier_survey(sentence: str, after: int) -> bool:
    """Tell a figure ending at `after` that the words straight after it place at an
    earlier survey ("…, mot 33 vid förra mätningen")."""
    return _AT_EARLIER_AFTER.match(sentence, after) is not None


# The survey before the text's own: "förra mätningen", "den föregående nationella
# kartläggningen" (after "vid", "jämfört med", "mot" …)
EARLIER_SURVEY = (
    r"(?:den\s+)?(?:förra|föregående|tidigare)\s+(?:\w+\s+)?"
    r"(?:kartläggning|mätning|undersökning|enkät|räkning)\w*"
)
_AT_EARLIER_AFTER = re.compile(rf"\s+(?:[a-zåäö]+\s+){{0,2}}?(?:vid|i)\s+{EARLIER_SURVEY}", re.I)


# A survey the text refers to as another one than its own: an earlier or a later one.
_OTHER_SURVEY = re.compile(
    r"\b(?:förra|föregående|tidigare|första|senaste|nästa|kommande)\s+(?:\w+\s+){0,2}$"
)
_OTHER_SURVEY_CHARS = 48


# Where a survey name can start, found by plain substring search in the lower-cased
# text: each name's first word, and a later word of the name the text must hold too
# ("kommun" starts many words besides "Kommun- och landstingsdatabasen").
_SURVEY_STARTS = (
    ("öppna", "jämförelser"),
    ("statistik", "statistik"),
    ("kommun", "landstingsdatabasen"),
    ("kolada", "kolada"),
    ("nationella", "kartläggning"),
    ("kartläggningen", "kartläggningen"),
    ("enkäten", "enkäten"),
    ("undersökningen", "undersökningen"),
    ("mätningen", "mätningen"),
)


def _survey_names(lowered: str) -> Iterator[re.Match[str]]:
    """Yield what `_SURVEY.finditer(lowered)` yields, trying the pattern only where it can start.

    A scan of the whole document for the pattern is slow.
    """
    starts: set[int] = set()
    for part, later in _SURVEY_STARTS:
        if later not in lowered:
            continue
        at = lowered.find(part)
        while at != -1:
            starts.add(at)
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
    lower = lowered(heading)
    if lower.lstrip().startswith("publicerad"):
        return None
    for mention in find_periods(heading) if mentions is None else mentions:
        if mention.kind in ("year", "range", "month", "half", "quarter", "survey"):
            month = (
                _MONTH_BEFORE.search(lower, 0, mention.start) if mention.kind == "year" else None
            )
            if month is not None:
                if len(lower[: month.start()].split()) <= _SIGNATURE_WORDS:
                    continue  # "Stockholm i mars 2024": a signature's date, not a scope
                # "Ekonomiskt bistånd i Jönköpings län – maj 2021": a month's statistics
                return f"{mention.period}-{_MONTHS[month[1].rstrip('.')]:02d}"
            if _COMPARED_BEFORE.search(lower, max(0, mention.start - 24), mention.start):
                continue  # "Lika många placerade som 2021": the time compared with
            return mention.period
    return None


_MONTH_BEFORE = re.compile(rf"\b({_MONTH})\.?\s+$")
_SIGNATURE_WORDS = 2  # "Stockholm i": a place and the month it was signed in
_COMPARED_BEFORE = re.compile(
    r"\b(?:som|än|jämfört\s+(?:med|mot)|mot|sedan)\s+(?:under\s+|år\s+|i\s+)?$"
)


# "under första halvåret 2009 och 2008", "2009 respektive 2008": two times, in the
# order of the values they go with.
_LISTED = re.compile(
    rf"\b(?:(?P<part>första|andra|tredje|fjärde)\s+(?P<kind>halvåret|kvartalet)\s+)?(?:åren\s+|år\s+)?"
    rf"(?P<first>{_YEAR})\s+(?:och|respektive)\s+(?:år\s+)?(?P<second>{_YEAR})\b(?!\s*[–-])"
)


def listed_times(sentence: str) -> list[str] | None:
    """Return two times a sentence lists for a pair of values, a part shared by both.

    "21 respektive 23 procent under första halvåret 2009 och 2008": 2009-H1, 2008-H1.
    """
    found = _LISTED.search(sentence.lower())
    if found is None or found["first"] == found["second"]:
        return None
    tail = ""
    if found["part"]:
        which = _ORDINALS.index(found["part"]) + 1
        tail = f"-Q{which}" if found["kind"] == "kvartalet" else f"-H{which}"
        if tail.startswith("-H") and which > 2:
            return None
    return [found["first"] + tail, found["second"] + tail]


def steps_back(current: str | None, own: str) -> bool:
    """Tell a sentence's time older than its paragraph's, of the same grain.

    "Under fjärde kvartalet 2009 ... Under fjärde kvartalet 2008 var beloppet ...": the
    second sentence states the time compared with; the paragraph is still about 2009-Q4.
    """
    if current is None or "–" in current or "–" in own:
        return False
    if _grain(current) != _grain(own):
        return False
    return years_in(own)[-1:] < years_in(current)[-1:]


def _grain(period: str) -> str:
    found = _PART.match(period)
    return found[2][:2] if found else "day" if period.count("-") == 2 else "year"


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# "på mätdagen", "samma dag": the day of a count the text stated before.
_SAME_DAY = re.compile(r"\b(?:mätdagen|mättillfället|samma\s+(?:dag|mätdag|datum|mätning))\b", re.I)


# "Räknat över hela året", "någon gång under året": the year, not a day of it.
_WHOLE_YEAR = re.compile(
    r"\b(?:hela|under)\s+året\b|\b(?:vid\s+något\s+tillfälle|någon\s+gång)\b", re.I
)


def of_year(period: str | None, sentence: str) -> str | None:
    """Return the year of a day a sentence speaking of the whole year leans on."""
    if period is not None and is_day(period) and _WHOLE_YEAR.search(sentence):
        return period[:4]
    return period


# "en undersökning från 2016", "Barnbarometern 2017": a time that dates a source.
_SOURCE_BEFORE = re.compile(
    r"(?:undersökning|enkät|kartläggning|studie|granskning|rapport|mätning|barometer)\w*"
    r"\s+(?:från\s+|för\s+|år\s+)?$"
)


def of_source(sentence: str, period: str | None) -> bool:
    """Tell a sentence whose time dates a source named before it ("undersökning från 2016")."""
    if period is None:
        return False
    at = sentence.find(period[:4])
    return at >= 0 and _SOURCE_BEFORE.search(sentence.lower(), max(0, at - 40), at) is not None


def same_day_in(day: str | None, period: str | None) -> str | None:
    """Return a day's date in the year a period names ("2023-12-31" in 2022: "2022-12-31"):
    "Vid årets slut var 47 … Ett år tidigare var motsvarande siffror 43". Else the period."""
    if day is None or period is None or not is_day(day) or not _ONE_YEAR.fullmatch(period):
        return period
    return f"{period}{day[4:]}"


_ONE_YEAR = re.compile(r"\d{4}")


def is_day(period: str) -> bool:
    """Tell a single day ("2017-11-01")."""
    return _DAY.fullmatch(period) is not None


def names_same_day(sentence: str) -> bool:
    """Tell a sentence that speaks of the day stated before ("på mätdagen", "samma dag")."""
    return (
        "dag" in sentence or "mätning" in sentence or "tillfälle" in sentence
    ) and _SAME_DAY.search(sentence) is not None


def day_a_year_before(day: str | None, own: str | None, sentence: str) -> str | None:
    """Return the same day a year before a day stated just before, when a sentence says
    "Ett år tidigare var de 287" after "Den 1 november 2023 vårdades 301 …"; else None."""
    if day is None or own is None or not is_day(day) or not _ONE_YEAR.fullmatch(own):
        return None
    if int(own) != int(day[:4]) - 1 or _WHOLE_YEAR.search(sentence):
        return None
    return same_day_in(day, own) if _ONE_YEAR_BACK.search(sentence) else None


_ONE_YEAR_BACK = re.compile(
    r"\b(?:ett\s+år\s+(?:tidigare|innan|dessförinnan)|året\s+(?:innan|före))\b", re.I
)


def census_day_of(text: str, year: str) -> str | None:
    """Return the day in a year of the census a text names ("mätdagen … den 1 november",
    "den 1 november 2022 och 2023"), or None when it names no census or no day of one."""
    lower = lowered(text)
    if not _YEAR_ONLY.fullmatch(year):
        return None
    found = _DAY_OF_MONTH.search(lower)
    if found is None or ("mätdag" not in lower and year not in _years_after(lower, found.end())):
        return None
    return _date(year, found[2], found[1])


def _years_after(lower: str, at: int) -> list[str]:
    """Return the years a day is named for right after it: "den 1 november 2022 och 2023"."""
    years = []
    while (found := _NEXT_YEAR.match(lower, at)) is not None:
        years.append(found[1])
        at = found.end()
    return years


_NEXT_YEAR = re.compile(r"\s*(?:,|och|samt)?\s*((?:19|20)\d\d)\b")


_DAY_OF_MONTH = re.compile(_DAY_MONTH)  # with or without its years after it


def day_in(day: str, period: str | None) -> bool:
    """Tell whether a day falls in the context's time (any time when there is none)."""
    return period is None or years_in(period)[-1:] == years_in(day)


def part_of(part: str, period: str | None) -> bool:
    """Tell a quarter or half-year of a year ("2009-Q4" of "2009")."""
    found = _PART.match(part)
    return found is not None and period is not None and found[1] == period


@lru_cache(maxsize=1024)
def years_in(period: str | None) -> tuple[int, ...]:
    """Return the years a normal-form period names ("2020–2022" -> (2020, 2022)).

    Remembered: a document asks it of the same few periods for every sentence.
    """
    return tuple(int(y) for y in _YEAR_RE.findall(period or ""))
