"""Find Swedish number expressions in one sentence and give their values.

The bottom layer of figure extraction. Its shape follows feedparser's date
parsers: one small parser per form (a compiled regex, a lookup table and a short
function that returns None when the text is not its form), tried in order at
each place where a number may start. Things that only look like numbers (dates,
phone numbers, law references, years, definition thresholds) are masked or
rejected, so a caller can take every match as a figure candidate.

Every regex is linear: no nested unbounded repetition, so adversarial input
(long runs of digits, spaces or punctuation) cannot make it backtrack.

Speed: a sentence with no digit and no number word among its tokens costs one
regex search and one set intersection. Regexes run only where a number starts,
on the lower-cased sentence (case-insensitive alternations are slow in `re`);
what stands before a number is read as its last few words, not searched for.

Public API: NumberMatch, find_numbers, interval, hedge_class, parse_number.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Mapping
from typing import Final

from ifo_watch.extract.scan import has_digit, holds_any, lowered

__all__ = [
    "NumberMatch",
    "find_numbers",
    "hedge_class",
    "interval",
    "parse_number",
]


class NumberMatch:
    """One number expression in a sentence, with its value and how it is hedged.

    A plain class with read-only (Final) attributes, not a frozen dataclass: the
    extractor makes one for every number, and a frozen dataclass's __init__ costs four
    times as much.
    """

    __slots__ = (
        "direction", "end", "high", "low", "measure", "noun", "per", "qualifier", "quote",
        "start", "unit", "value", "worded",
    )  # fmt: skip

    def __init__(
        self,
        *,
        start: int,
        end: int,
        quote: str,
        value: float,
        unit: str,
        per: str | None,
        qualifier: str | None,
        low: float,
        high: float,
        measure: str,
        worded: bool,
        noun: str | None,
        direction: str | None = None,
    ) -> None:
        self.start: Final = start
        self.end: Final = end
        self.quote: Final = quote
        self.value: Final = value
        self.unit: Final = unit
        self.per: Final = per
        self.qualifier: Final = qualifier
        self.low: Final = low
        self.high: Final = high
        self.measure: Final = measure
        self.worded: Final = worded
        self.noun: Final = noun
        # "up" | "down" for a change whose words say which way.
        self.direction: Final = direction

    def __repr__(self) -> str:
        return f"NumberMatch({self.quote!r}, value={self.value}, unit={self.unit!r})"


# --------------------------------------------------------------------------- #
# Qualifiers and intervals
# --------------------------------------------------------------------------- #

# fmt: off
_OVER = ("drygt", "dryg", "lite drygt", "strax över", "över", "mer än", "fler än", "minst",
         "lite över", "långt över")
_UNDER = ("knappt", "knapp", "strax under", "närmare", "nära", "nästan", "högst", "upp till",
          "under", "uppemot", "mindre än", "färre än", "inte fullt", "inemot")
_ABOUT = ("cirka", "ca", "c:a", "omkring", "ungefär", "runt", "kring", "runt om")

# fmt: on

# Signs that hedge a number in tables and short texts: "<5", "> 90 %", "~300".
_SIGNS: dict[str, str] = {
    "<": "under",
    "≤": "under",
    ">": "over",
    "≥": "over",
    "~": "about",
    "≈": "about",
}
_CLASS_OF: dict[str, str] = {
    **{q: "over" for q in _OVER},
    **{q: "under" for q in _UNDER},
    **{q: "about" for q in _ABOUT},
    **_SIGNS,
}

_DEFAULT_FACTORS: dict[str, tuple[float, float]] = {
    "over": (1.0, 1.10),
    "under": (0.90, 1.0),
    "about": (0.95, 1.05),
    "worded": (0.90, 1.10),
}

_SPACE_RE = re.compile(r"\s+")


def _norm_qualifier(qualifier: str) -> str:
    """Return a qualifier lower-cased, single-spaced and without a final dot ("Ca." -> "ca")."""
    return _SPACE_RE.sub(" ", qualifier.strip().lower()).rstrip(".")


def hedge_class(qualifier: str | None, *, worded: bool = False) -> str | None:
    """Return the restatement class of a hedge: over, under, about, worded or None.

    A qualifier decides the class even on a worded value ("drygt två av fem" is
    over); a worded value without one is "worded"; an exact value is None.
    Unknown qualifiers count as no qualifier.
    """
    if qualifier:
        cls = _CLASS_OF.get(qualifier) or _CLASS_OF.get(_norm_qualifier(qualifier))
        if cls is not None:
            return cls
    return "worded" if worded else None


def interval(
    value: float,
    qualifier: str | None,
    *,
    worded: bool = False,
    overrides: Mapping[str, tuple[float, float]] | None = None,
) -> tuple[float, float]:
    """Return the (low, high) interval that a hedged value implies.

    Factors come from CONTRACT.md's restatement table; `overrides` maps a class
    name to (low factor, high factor) for a metric that needs other bounds.
    For negative values the bounds are swapped so low <= high.
    """
    cls = hedge_class(qualifier, worded=worded)
    if cls is None:
        return (value, value)
    factors = (overrides or {}).get(cls) or _DEFAULT_FACTORS[cls]
    a, b = value * factors[0], value * factors[1]
    return (a, b) if a <= b else (b, a)


# --------------------------------------------------------------------------- #
# Lookup tables
# --------------------------------------------------------------------------- #

# fmt: off
_SMALL: dict[str, int] = {
    "noll": 0, "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6,
    "sju": 7, "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "tretton": 13,
    "fjorton": 14, "femton": 15, "sexton": 16, "sjutton": 17, "arton": 18, "aderton": 18,
    "nitton": 19,
}
_TENS: dict[str, int] = {
    "tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50, "sextio": 60, "sjuttio": 70,
    "åttio": 80, "nittio": 90,
}
_HUNDRED = {"hundra": 100}
_BIG: dict[str, float] = {
    "tusen": 1e3, "miljon": 1e6, "miljoner": 1e6, "miljard": 1e9, "miljarder": 1e9,
}
_WORD_TOKENS: dict[str, float] = {**_SMALL, **_TENS, **_HUNDRED, **_BIG}

_ORDINALS: dict[str, int] = {
    "andra": 2, "tredje": 3, "fjärde": 4, "femte": 5, "sjätte": 6, "sjunde": 7,
    "åttonde": 8, "nionde": 9, "tionde": 10, "elfte": 11, "tolfte": 12, "trettonde": 13,
    "fjortonde": 14, "femtonde": 15, "sextonde": 16, "sjuttonde": 17, "artonde": 18,
    "nittonde": 19, "tjugonde": 20, "trettionde": 30, "fyrtionde": 40, "femtionde": 50,
    "hundrade": 100,
}
_FRACTIONS: dict[str, int] = {
    "tredjedel": 3, "fjärdedel": 4, "femtedel": 5, "sjättedel": 6, "sjundedel": 7,
    "åttondel": 8, "niondel": 9, "tiondel": 10, "tjugondel": 20, "hundradel": 100,
}
_TAL: dict[str, int] = {
    "tiotal": 10, "dussintal": 12, "tjugotal": 20, "trettiotal": 30, "fyrtiotal": 40,
    "femtiotal": 50, "sextiotal": 60, "sjuttiotal": 70, "åttiotal": 80, "nittiotal": 90,
    "hundratal": 100, "tusental": 1000,
}

# Multipliers written after digits: "1,2 miljoner", "10,7 miljarder", "350 tusen".
_MULTIPLIERS: dict[str, float] = {
    "tusen": 1e3, "miljon": 1e6, "miljoner": 1e6, "milj": 1e6, "mn": 1e6, "mnd": 1e9,
    "miljard": 1e9, "miljarder": 1e9, "mdr": 1e9, "md": 1e9,
}
# Units after a number: (unit, factor). Money is given in kronor.
_UNITS: dict[str, tuple[str, float]] = {
    "%": ("procent", 1), "procent": ("procent", 1),
    "procentenheter": ("procentenheter", 1), "procentenhet": ("procentenheter", 1),
    "promille": ("promille", 1),
    "kronor": ("kronor", 1), "krona": ("kronor", 1), "kr": ("kronor", 1), "sek": ("kronor", 1),
    "öre": ("kronor", 0.01),
    "tkr": ("kronor", 1e3), "tsek": ("kronor", 1e3),
    "mnkr": ("kronor", 1e6), "mkr": ("kronor", 1e6), "msek": ("kronor", 1e6),
    "mdkr": ("kronor", 1e9), "mdsek": ("kronor", 1e9),
    "år": ("år", 1), "dagar": ("dagar", 1), "dag": ("dagar", 1), "dygn": ("dagar", 1),
    "månader": ("månader", 1), "månad": ("månader", 1), "veckor": ("veckor", 1),
    "vecka": ("veckor", 1), "timmar": ("timmar", 1), "timme": ("timmar", 1),
    "minuter": ("minuter", 1), "minut": ("minuter", 1), "gånger": ("gånger", 1),
}
_PER_PERIOD: dict[str, str] = {
    "dag": "dag", "dagen": "dag", "dygn": "dygn", "dygnet": "dygn", "vecka": "vecka",
    "veckan": "vecka", "månad": "månad", "månaden": "månad", "mån": "månad", "år": "år",
    "året": "år", "timme": "timme", "timmen": "timme",
}
# Units a "samtliga"/"alla" can quantify: the units being measured, not people.
_MEASURED = (
    "kommuner", "län", "regioner", "landsting", "verksamheter", "enheter", "socialnämnder",
    "nämnder", "stadsdelar", "stadsdelsnämnder", "stadsdelsförvaltningar", "förvaltningar",
    "huvudmän", "utförare", "myndigheter", "socialtjänster", "organisationer", "hem",
    "boenden", "institutioner", "jourer", "kvinnojourer", "mottagningar", "familjehemsenheter",
    "socialjourer", "kommunerna", "regionerna", "verksamheterna", "enheterna",
    "handläggare", "socialsekreterare", "enhetschefer", "chefer", "medarbetare", "utredare",
    "familjehem", "jourhem", "hvb-hem", "skyddade boenden",
)
# fmt: on


def _wordset(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of `text` as a set (tables read better so)."""
    return frozenset(text.split())


# Count nouns that let a year-like number be a count ("2021 barn").
_COUNT_NOUNS = _wordset(
    "barn personer kommuner anmälningar orosanmälningar hushåll ungdomar kvinnor män "
    "platser ärenden placeringar vuxna pojkar flickor unga individer invånare familjer "
    "handläggare socialsekreterare anställda insatser beslut utredningar"
)
_STOP = _wordset(
    "och eller men i på av till för med om som att det den de en ett är var varit blev "
    "blir har hade kan ska skulle kommer jämfört respektive per från under över vid mot "
    "efter inom utan än så också även samt där när vilket vilka enligt sedan mellan nu då "
    "redan bara endast totalt sammanlagt tillsammans dvs bl st stycken år fler färre mer "
    "mindre högre lägre vilket vilken varav runt kring cirka ca omkring ungefär drygt knappt "
    "närmare nästan minst högst jämfört ökade minskade ökat minskat gjordes finns fanns "
    "senaste första sista största minsta främsta viktigaste vanligaste nästa kommande "
    "följande närmaste hela ingen inga alla samtliga dessa detta sin sina sitt deras hans "
    "hennes vår våra eftersom medan trots än dock alltså ju ändå inte aldrig alltid "
    # short verbs no ending tells apart: "6 100 fick vård", "2 300 bodde i familjehem"
    "fick får få gick går kom kommer bodde bor låg ligger stod står gav ger tog tar sa säger "
    # a time in the definite form counts nothing: "160 630 året innan"
    "året halvåret kvartalet månaden veckan dygnet"
)
_ADJECTIVES = _wordset(
    "nya olika unika enskilda placerade ensamkommande aktiva aktuella egna små stora öppna "
    "anmälda registrerade beviljade utsatta svenska fler färre äldre yngre "
    "heltidsanställda tillsvidareanställda sådana andra"
)


def _alt(words: object) -> str:
    """Return a regex alternation of literal words, longest first (no prefix shadowing)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_WORD_ALT = _alt(_WORD_TOKENS)
_ORD_ALT = _alt(_ORDINALS)
_FRAC_ALT = _alt(_FRACTIONS)
_TAL_ALT = _alt(_TAL)
_MEASURED_ALT = _alt(_MEASURED)
_MULT_ALT = _alt(_MULTIPLIERS)
# The full stop of an abbreviated multiplier ("1,2 milj."), never a sentence's after a word.
_ABBREVIATED = frozenset({"milj", "mnd", "mdr", "mn", "md"})
_MULT_DOT = r"(?:(?:(?<=milj)|(?<=mnd)|(?<=mdr)|(?<=mn)|(?<=md))\.)?"
_UNIT_ALT = _alt(_UNITS)

_SEP = "[ \u00a0\u202f]"
_DIGITS = (
    rf"(?:\d{{1,3}}(?:{_SEP}\d{{3}}(?!\d))+|\d{{1,3}}(?:\.\d{{3}}(?!\d))+|\d+)"
    rf"(?:,\d+|\.\d{{1,2}}(?!\d))?"
)
_WORDNUM = rf"(?:(?:{_WORD_ALT})+(?:\s+(?:hundra|tusen|miljoner|miljon|miljarder|miljard))*)"
_LETTER = r"[^\W\d_]"

# --------------------------------------------------------------------------- #
# Words before a position
# --------------------------------------------------------------------------- #
# What stands before a number (a qualifier, a change verb, a keyword) is read as the
# last few whitespace-separated words: cheaper than searching backwards with regexes.

_OPENERS = "([\"”“'«"


def _prev_words(s: str, pos: int, n: int, *, span: int = 48) -> list[tuple[str, int]]:
    """Return up to `n` (word, start) pairs right before `pos`, in text order.

    Only whitespace may separate them from `pos`; an opening bracket or quote
    before the earliest word ends the list there. Callers pass lower-cased text.
    """
    if pos == 0 or not s[pos - 1].isspace():
        return []
    lo = pos - span if pos > span else 0
    window = s[lo:pos]
    parts = window.rsplit(None, n)
    if len(parts) > n or (lo > 0 and parts and not window[0].isspace()):
        del parts[0]  # text before the last n words, or a word the window cuts
    out: list[tuple[str, int]] = []
    end = len(window)
    for part in reversed(parts):
        k = window.rfind(part, 0, end)
        if part[0] in _OPENERS:
            bare = part.lstrip(_OPENERS)
            if bare:
                out.append((bare, lo + k + len(part) - len(bare)))
            break
        out.append((part, lo + k))
        end = k
    out.reverse()
    return out


# --------------------------------------------------------------------------- #
# Masks: things made of digits that are never figures
# --------------------------------------------------------------------------- #
# They are checked only where a number starts (scanning whole sentences with one
# big alternation costs more than the rest of the module together): patterns that
# start at the digits, and keywords just before them with the tail they govern.

_MONTHS = (
    r"(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|okt|nov|dec)"
)
# "Publicerad 21 februari 2024 06.00", "… 2024, kl. 14.30": the time of day of a stamp
_TIME_AFTER_DATE = r"(?:,?\s+(?:kl\.?\s*)?\d{1,2}[.:]\d{2}(?!\d))?"
_MASK_AT_RE = re.compile(
    "|".join(
        [
            # "18 apr 2023", "6 mars", "21 februari 2024 10.14" (with the time of day)
            rf"\d{{1,2}}\s+(?i:{_MONTHS})\.?(?!\w)(?:\s+\d{{4}}{_TIME_AFTER_DATE})?",
            # the first day of a span: "mellan den 2 och 20 december", "3–17 mars"
            rf"\d{{1,2}}(?:\s+och\s+|\s*[–-]\s*)(?=\d{{1,2}}\s+(?i:{_MONTHS})\.?(?!\w))",
            r"\d{4}-\d{1,2}-\d{1,5}(?!\d)",  # ISO dates and artikelnummer "2023-3-8462"
            r"\d{1,2}/\d{1,2}(?:/\d{2,4})?(?!\d)",  # "6/3", "6/3/2012"
            r"\d{1,2}:\d{2}(?!\d)",  # "08:11"
            r"0\d{1,3}\s?[-–/]\s?\d{2,4}(?:[ \u00a0]\d{2,3}){0,3}(?!\d)",  # "075-247 43 07"
            r"0\d{1,3}[ \u00a0]\d{3}(?:[ \u00a0]\d{2,3}){1,3}(?!\d)",  # "08 555 531 71"
            r"\d{3}[ \u00a0]\d{2}(?=[ \u00a0]+[A-ZÅÄÖ][a-zåäö])",  # postcode "106 30 Stockholm"
            r"\d+\s*kap\.?(?:\s*\d+\s*[a-z]?\s*§+)?",  # "11 kap. 1 §"
            r"\d+\s*[a-z]?\s*§+",  # "5 §", "3 a §"
            r"\d{4}/\d{2,4}(?::\d+)?(?!\d)",  # "2017/18:1", "2016/679"
            r"\d{4}:\d+",  # "2001:453", "2020:47"
            r"\d+:[ae](?!\w)",  # "1:a", "3:e"
            r"\d+(?:[,.]\d+)?\s*(?:kB|KB|kb|MB|Mb|mb|GB|gb|bytes|byte)(?!\w)",  # file sizes
            r"\d{3,4}-tal(?:et|ets)(?!\w)",  # decades "2000-talet"
            r"\d{1,3}\.\d{1,3}-\d+(?:/\d+)?",  # diarienummer body "3.1-12345/2023"
            r"\d{1,2}(?:\.\d{1,2}){2,}(?![\d,])",  # section and version numbers "2.1.1"
        ]
    )
)
_DIGIT_RUN_AT_RE = re.compile(r"\d+")


def _may_start_mask(low: str, pos: int) -> bool:
    """Tell cheaply whether the digits at `pos` may begin a date, code, phone or reference.

    What follows the first run of digits decides: a joining sign ("-", "/", ":", "."),
    a leading zero, a word that may be a month, "kap", "§" or a file size unit, or a
    postcode's two digits. "331 000 anmälningar" and "43 procent" need no regex.
    """
    run = _DIGIT_RUN_AT_RE.match(low, pos)
    if run is None or low[pos] == "0":
        return True
    end = run.end()
    nxt = low[end : end + 1]
    if nxt in "-–/:.,§kmg" or not nxt.isspace():
        return True  # also the end of the text ("" is in every string)
    after = low[end + 1 : end + 4]
    if after[:1].isdigit():
        # a postcode "106 30 Stockholm": three digits, then exactly two
        return end - pos == 3 and after[1:2].isdigit() and not after[2:3].isdigit()
    return after[:1] in "jfmasondkgb§" or after[1:2] in (" ", "§", "")


# Keyword just before a number -> the tail (from the digits) that it makes a non-figure.
_CODE_TAIL = r"[\w./:\-–]{1,40}"
_MASK_BEFORE: dict[str, str] = {
    # "sidan 12", "avsnitt 4.2", "fråga 4 och 7", "tabell 2, 3 och 5": each a reference
    # (not "bilaga 2 och 14 kommuner": a later item followed by a noun is a count)
    "page": r"\d+(?:[.:]\d+){0,3}[a-z]?(?:(?:,\s*|\s+(?:och|samt|eller)\s+)"
    r"\d+(?:[.:]\d+){0,3}[a-z]?(?=(?:,\s*|\s+(?:och|samt|eller)\s+)\d|\s*[.,;:)]|\s*$|"
    r"\s+(?:och|samt|eller|i|på|av|för|med|som|där|visar|anger|uppger|uppgav|redovisar|"
    r"framgår|beskriver|svarade)\b))*(?!\w)",
    "time": r"\d{1,2}(?:[.:]\d{2})?(?!\d)",
    "code": _CODE_TAIL,
    "ref": r"\d{4}(?:/\d{2,4})?:\d+",
    "isbn": r"[\dXx][\dXx\- ]{8,20}",
    "para": r"\d+",
    "plus": r"\d{1,4}(?:[ \u00a0-]\d{1,4}){1,6}",
    "month": r"\d{1,2}(?:,\s*\d{4})?(?!\d)|\d{4}(?!\d)",
    "street": r"\d{1,4}(?:\s?[a-z])?(?!\w)",
    "phone": r"\d[\d \u00a0\-–]{3,20}\d(?!\d)",
}
_MASK_KEYWORDS: dict[str, str] = {
    **dict.fromkeys(
        _wordset(
            "sidan sida sid. s. bilaga bilagan kapitel tabell tabellen figur figuren diagram "
            "diagrammet avsnitt punkt fråga nr nr. nummer version vecka v. rad kolumn bild "
            "faktaruta artikel paragraf kvartal del steg fas mål rekommendation indikator "
            "ruta bilagorna"
        ),
        "page",
    ),
    **dict.fromkeys(_wordset("kl kl. klockan lästid"), "time"),  # "Lästid 3 min"
    **dict.fromkeys(
        _wordset(
            "tel tel. telefon tfn tfn. fax mobil växel telefonnummer bankgiro plusgiro bg pg "
            "org.nr orgnr org.nr. organisationsnummer"
        ),
        "phone",
    ),
    **dict.fromkeys(_wordset("kommentarer kommentar"), "page"),
    **dict.fromkeys(
        _wordset("dnr dnr. diarienummer diarienr ärendenummer artikelnummer art.nr art.nr."), "code"
    ),
    **dict.fromkeys(_wordset("sfs sou ds prop. prop dir. dir bet. rskr."), "ref"),
    "isbn": "isbn",
    **dict.fromkeys(
        _wordset(
            "januari februari mars april maj juni juli augusti september oktober november "
            "december jan feb mar apr jun jul aug sept sep okt nov dec"
        ),
        "month",
    ),
}
_MASK_BEFORE_TAILS = {name: re.compile(tail) for name, tail in _MASK_BEFORE.items()}
_TOKEN_END_RE = re.compile(r"\S*")


def _mask_keyword(s: str, pos: int) -> str | None:
    """Return the kind of keyword ("page", "time", ...) that governs the digits at `pos`."""
    before = s[pos - 2 : pos] if pos >= 2 else s[:pos]
    if before.endswith("+"):
        return "plus"
    if "§" in before:
        return "para"
    if s[max(0, pos - 6) : pos].rstrip().endswith(("..", "…")):
        return "page"  # a contents line: "Inledning ... 7"
    if pos >= 2 and s[pos - 1] == "(":
        pos -= 1  # "Kommentarer (4)"
    if pos < 2 or not s[pos - 1].isspace():
        return None
    last = s[max(0, pos - 24) : pos - 1].rsplit(None, 1)[-1:]
    if not last:
        return None
    word = last[0].rstrip(":").lstrip("(")  # "(vecka 14)"
    if word.endswith(_STREET_ENDINGS):
        return "street"
    return _MASK_KEYWORDS.get(word) or _MASK_KEYWORDS.get(word.rstrip("."))


# Street names end so: "Rålambsvägen 3", "Hornsgatan 20".
_STREET_ENDINGS = ("vägen", "gatan", "gränd", "torget", "allén", "backen", "stigen", "plan")


def _mask_end(s: str, low: str, pos: int, *, web: bool) -> int | None:
    """Return where the non-figure that starts at the digits at `pos` ends, None if none."""
    if _may_start_mask(low, pos):
        m = _MASK_AT_RE.match(s, pos)
        if m is not None:
            return m.end()
    kind = _mask_keyword(low, pos)
    if kind is not None:
        tail = _MASK_BEFORE_TAILS[kind].match(low, pos)
        if tail is not None:
            return tail.end()
    if not web:
        return None
    token_start = max(s.rfind(" ", 0, pos), s.rfind("\n", 0, pos)) + 1
    token = _TOKEN_END_RE.match(s, token_start)
    if token is not None and any(mark in token.group() for mark in ("@", "://", "www.")):
        return token.end()
    return None


# --------------------------------------------------------------------------- #
# Candidates and the parser chain
# --------------------------------------------------------------------------- #


class _Cand:
    """A number expression while it is being built (mutable, never leaves the module).

    A plain class, not a dataclass: one is made for every number tried, and a
    dataclass's generated __init__ runs interpreted where this one is compiled.
    """

    __slots__ = (
        "consumed", "direction", "end", "high", "is_year", "kind", "low", "measure", "mult",
        "needs_support", "noun", "per", "qual_start", "qualifier", "reject", "start",
        "threshold", "unit", "value", "worded",
    )  # fmt: skip

    def __init__(
        self,
        start: int,
        end: int,
        consumed: int,
        value: float,
        *,
        unit: str = "antal",
        worded: bool = False,
        reject: bool = False,
        kind: str = "digits",
    ) -> None:
        self.start = start  # quote start, before any qualifier
        self.end = end  # quote end
        self.consumed = consumed  # where scanning goes on (past nouns, denominators, per)
        self.value = value
        self.unit = unit
        self.worded = worded
        self.mult = 1.0  # multiplier word or unit factor already applied
        self.noun: str | None = None
        self.per: str | None = None
        self.qualifier: str | None = None
        self.qual_start: int | None = None
        self.measure = "level"
        self.direction: str | None = None
        self.reject = reject
        self.threshold = False  # a definition threshold: its coordinated neighbours are too
        self.needs_support = False  # a bare number word: a figure only with a noun or unit
        self.is_year = False
        self.kind = kind
        self.low: float | None = None  # bounds written out, as in "10–15 procent"
        self.high: float | None = None


_Parser = Callable[[re.Match[str], str], "_Cand | None"]

_RANGE_RE = re.compile(
    rf"(?P<a>[-−]?{_DIGITS})\s?[-–]\s?(?P<b>{_DIGITS})"
    rf"(?:\s*(?P<mult>{_MULT_ALT}){_MULT_DOT}(?!\w))?(?:\s*(?P<unit>%|{_UNIT_ALT})(?![\w%]))?"
)
_DIGIT_SHARE_RE = re.compile(rf"(?P<num>\d{{1,2}})\s+av\s+(?P<den>{_WORDNUM}|\d{{1,3}})(?!\w)")
_DIGIT_TAL_RE = re.compile(r"(?P<digits>\d+)-tal(?!\w)")
_SHARE_RE = re.compile(
    rf"(?:(?P<num>en|ett|{_WORDNUM}|\d{{1,2}})\s+av\s+(?P<den>{_WORDNUM}|\d{{1,3}}))(?!\w)"
)
_FRACTION_RE = re.compile(
    rf"(?:(?:(?P<num>en|ett|{_WORDNUM}|\d)\s+(?:(?P<q>dryg|knapp)\s+)?)"
    rf"(?P<frac>{_FRAC_ALT})(?:arna|ar|en)?|(?P<half>hälften))(?!\w)"
)
_VAR_RE = re.compile(rf"(?:(?:vart?)\s+(?P<ord>{_ORD_ALT})|(?P<half>varannan|vartannat))(?!\w)")
_ALL_RE = re.compile(rf"(?:(?P<w>samtliga|alla)\s+(?P<noun>{_MEASURED_ALT}))(?!\w)")
_TAL_RE = re.compile(rf"(?:(?:ett\s+)?(?:(?P<digits>\d+)-tal|(?P<word>{_TAL_ALT})))(?!\w)")
_DIGIT_RE = re.compile(
    rf"(?P<neg>[-−])?(?P<num>{_DIGITS})"
    rf"(?:\s*(?P<mult>(?:{_MULT_ALT})){_MULT_DOT}(?!\w))?"
    rf"(?:\s*(?P<unit>%|(?:{_UNIT_ALT}))(?![\w%]))?"
)
_WORD_RE = re.compile(rf"(?:(?P<num>{_WORDNUM}))(?!\w)(?:\s+(?P<unit>(?:{_UNIT_ALT}))(?![\w%]))?")


_DOT_THOUSANDS_RE = re.compile(r"\d{1,3}(?:\.\d{3})+")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def _digits_value(text: str) -> float | None:
    """Return the value of a digit string with Swedish separators, None if it is not one."""
    raw = text.replace("\u00a0", " ").replace("\u202f", " ")
    if "," in raw:
        whole, _, dec = raw.partition(",")
        whole = whole.replace(" ", "").replace(".", "")
        digits = f"{whole}.{dec}"
    elif _DOT_THOUSANDS_RE.fullmatch(raw):
        digits = raw.replace(".", "")
    else:
        digits = raw.replace(" ", "")
    intpart = digits.split(".")[0]
    if not intpart.isdigit() or len(intpart) > 15:
        return None
    try:
        return float(digits)
    except ValueError:
        return None


def _split_compound(word: str) -> list[str] | None:
    """Split a number word like "tvåhundratusen" into its tokens, longest match first."""
    out: list[str] = []
    i = 0
    while i < len(word):
        for size in range(min(9, len(word) - i), 0, -1):
            piece = word[i : i + size]
            if piece in _WORD_TOKENS:
                out.append(piece)
                i += size
                break
        else:
            return None
    return out


def _words_value(text: str) -> float | None:
    """Return the value of Swedish number words ("tjugofem", "två tusen"), None if not one."""
    tokens: list[str] = []
    for word in text.lower().split():
        parts = _split_compound(word)
        if parts is None:
            return None
        tokens.extend(parts)
    if not tokens:
        return None
    total, current, last = 0.0, 0.0, ""
    for tok in tokens:
        if tok in _SMALL:
            if last in _SMALL:
                return None
            current += _SMALL[tok]
        elif tok in _TENS:
            if last in _SMALL or last in _TENS:
                return None
            current += _TENS[tok]
        elif tok == "hundra":
            current = (current or 1.0) * 100
        else:
            total += (current or 1.0) * _BIG[tok]
            current = 0.0
        last = tok
    return total + current


def _ratio(num: float, den: float) -> float:
    """Return num/den in percent: shares are given in percent."""
    return num / den * 100.0


_RANGE_UNITS = frozenset({"procent", "procentenheter", "kronor"})


def _parse_range(m: re.Match[str], s: str) -> _Cand | None:
    """Read "10–15 procent" as one value with its bounds; reject other digit ranges.

    Ages and years ("0–17 år", "18-24 år", "2020–2022") are bands and spans, not
    values. A kept range has its midpoint as value and its ends as low and high.
    """
    unit_t = m.group("unit")
    unit, factor = _UNITS[unit_t] if unit_t else ("antal", 1.0)
    a, b = _digits_value(m.group("a").lstrip("-−")), _digits_value(m.group("b"))
    if unit not in _RANGE_UNITS or a is None or b is None:
        return _Cand(m.start(), m.end(), m.end(), 0.0, reject=True, kind="range")
    if m.group("a")[0] in "-−":
        a = -a
    factor *= _MULTIPLIERS[m.group("mult")] if m.group("mult") else 1.0
    lo, hi = sorted((a * factor, b * factor))
    cand = _Cand(m.start(), m.end(), m.end(), (lo + hi) / 2, unit=unit, kind="range")
    cand.low, cand.high, cand.mult = lo, hi, factor
    return cand


def _parse_share(m: re.Match[str], s: str) -> _Cand | None:
    """Read "två av fem", "en av fem", "sex av tio", "8 av 10" as shares in percent."""
    num_t, den_t = m.group("num"), m.group("den")
    num = _digits_value(num_t) if num_t[0].isdigit() else _words_value(num_t)
    den = _digits_value(den_t) if den_t[0].isdigit() else _words_value(den_t)
    if num is None or den is None or not 0 < num <= den:
        return None
    if den_t[0].isdigit() and den not in (2, 3, 4, 5, 10, 20, 100):
        return None
    return _Cand(
        m.start(), m.end(), m.end(), _ratio(num, den), unit="procent", worded=True, kind="share"
    )


def _parse_fraction(m: re.Match[str], s: str) -> _Cand | None:
    """Read "en fjärdedel", "två tredjedelar", "en dryg tredjedel", "hälften"."""
    if m.group("half"):
        return _Cand(
            m.start(), m.end(), m.end(), 50.0, unit="procent", worded=True, kind="fraction"
        )
    num_t = m.group("num")
    num = _digits_value(num_t) if num_t[0].isdigit() else _words_value(num_t)
    den = _FRACTIONS[m.group("frac").lower()]
    if num is None or not 0 < num <= den:
        return None
    cand = _Cand(
        m.start(), m.end(), m.end(), _ratio(num, den), unit="procent", worded=True, kind="fraction"
    )
    if m.group("q"):
        cand.qualifier = m.group("q").lower()
    return cand


def _parse_var(m: re.Match[str], s: str) -> _Cand | None:
    """Read "var fjärde", "vart tjugonde", "varannan" as shares in percent.

    Not "var tredje månad", "varannan vecka": those are how often, not how many.
    """
    if _TIME_NOUN_RE.match(s, m.end()):
        return None
    den = 2 if m.group("half") else _ORDINALS[m.group("ord").lower()]
    return _Cand(
        m.start(), m.end(), m.end(), _ratio(1, den), unit="procent", worded=True, kind="var"
    )


_TIME_NOUN_RE = re.compile(
    r"\s+(?:dag|dygn|vecka|månad|år|timme|minut|kvartal|halvår|sekund)(?:en|et)?(?!\w)"
)
_DELIMITING_WORDS = frozenset({"av", "bland", "för", "från", "till", "mellan", "om"})


def _parse_all(m: re.Match[str], s: str) -> _Cand | None:
    """Read "samtliga kommuner"/"alla kommuner" as 100 percent, unless it delimits a group."""
    before = _prev_words(s, m.start(), 1)
    if before and before[0][0] in _DELIMITING_WORDS:
        return None
    rest = s[m.end() : m.end() + 3].strip()
    if before and before[0][0].endswith(",") and (not rest or rest[0] in "(–-"):
        return None  # a title such as "Ekonomiskt bistånd, samtliga kommuner (xlsx)"
    cand = _Cand(m.start(), m.end("w"), m.end("w"), 100.0, unit="procent", kind="all")
    cand.noun = m.group("noun").lower()
    cand.consumed = m.end()
    return cand


def _parse_tal(m: re.Match[str], s: str) -> _Cand | None:
    """Read "ett 50-tal", "ett tiotal", "ett tusental" as rounded counts."""
    if m.group("digits") is not None:
        value = _digits_value(m.group("digits"))
        if value is None:
            return None
    else:
        value = float(_TAL[m.group("word")])
    return _Cand(m.start(), m.end(), m.end(), value, worded=True, kind="tal")


def _parse_digits(m: re.Match[str], s: str) -> _Cand | None:
    """Read digits with Swedish separators, an optional multiplier word and unit."""
    num_t = m.group("num")
    if len(num_t) > 1 and num_t[0] == "0" and num_t[1].isdigit():
        return None  # "08", "075": codes, not amounts
    value = _digits_value(num_t)
    if value is None:
        return None
    end_num = m.end("num")
    after = s[m.end() : m.end() + 1]
    glued = after.isalnum() or (after in "-–/" and s[m.end() + 1 : m.end() + 2] != " ")
    if after and glued and not m.group("unit"):
        return None  # glued to letters or joined by a hyphen: a code or a name
    cand = _Cand(m.start(), m.end(), m.end(), value, kind="digits")
    if m.group("neg"):
        cand.value = -value
    if m.group("mult"):
        cand.mult = _MULTIPLIERS[m.group("mult").lower()]
    unit_t = m.group("unit")
    if unit_t and unit_t.lower() == "år" and _YEAR_AHEAD_RE.match(s, m.end()):
        unit_t = None  # "27 900 år 2022": the year names the period, not a unit
    if unit_t:
        unit, factor = _UNITS[unit_t.lower()]
        cand.unit = unit
        cand.mult *= factor
    else:
        cand.end = cand.consumed = m.end("mult") if m.group("mult") else end_num
        mult = m.group("mult")
        if mult and mult.lower() in _ABBREVIATED and s[cand.end : cand.end + 1] == ".":
            cand.end = cand.consumed = cand.end + 1  # "1,2 milj.", not "3,1 miljarder."
    cand.value *= cand.mult
    raw = num_t.replace("\u00a0", " ")
    cand.is_year = (
        _YEAR_RE.fullmatch(raw) is not None
        and not m.group("neg")
        and not m.group("mult")
        and cand.unit in ("antal", "år")
    )
    return cand


def _parse_words(m: re.Match[str], s: str) -> _Cand | None:
    """Read number words ("tre", "tjugo", "tusen", "två miljoner kronor")."""
    value = _words_value(m.group("num"))
    if value is None:
        return None
    cand = _Cand(m.start(), m.end(), m.end(), value, worded=True, kind="words")
    if m.group("unit"):
        unit, factor = _UNITS[m.group("unit").lower()]
        cand.unit = unit
        cand.value *= factor
    else:
        cand.end = cand.consumed = m.end("num")
        cand.needs_support = value < 100 or value not in (100, 1000, 1e6, 1e9)
    return cand


_DIGIT_PARSERS: tuple[tuple[re.Pattern[str], _Parser], ...] = (
    (_RANGE_RE, _parse_range),
    (_DIGIT_SHARE_RE, _parse_share),
    (_DIGIT_TAL_RE, _parse_tal),
    (_DIGIT_RE, _parse_digits),
)


def _digit_candidate(s: str, pos: int) -> _Cand | None:
    """Read the number whose digits start at `pos`.

    Ranges and "-tal" need a dash after the numeral, shares need " av "; most
    numbers need neither, so the plain parser's match decides which others to try.
    """
    m = _DIGIT_RE.match(s, pos)
    if m is None:
        return None
    end = m.end("num")
    after = s[end : end + 3]
    if after[:1] in "-–" or after[1:2] in ("-", "–"):
        others: tuple[tuple[re.Pattern[str], _Parser], ...] = (_DIGIT_PARSERS[0], _DIGIT_PARSERS[2])
    elif after == " av":
        others = (_DIGIT_PARSERS[1],)
    else:
        others = ()
    for pattern, parse in others:
        other = pattern.match(s, pos)
        if other is not None:
            cand = parse(other, s)
            if cand is not None:
                return cand
    return _parse_digits(m, s)


_HALF_RE = re.compile(
    r"(?:en|ett)\s+halv\s+(?P<big>miljon|miljard)(?!\w)(?:\s+(?P<unit>kronor|kr)(?!\w))?"
)


def _parse_half(m: re.Match[str], s: str) -> _Cand | None:
    """Read "en halv miljon (kronor)" as 500 000."""
    cand = _Cand(m.start(), m.end(), m.end(), 0.5 * _BIG[m.group("big")], worded=True, kind="words")
    if m.group("unit"):
        cand.unit = "kronor"
    return cand


# Changes told by a verb: "har halverats" is -50 %, "har fördubblats" +100 %.
_VERB_CHANGES: dict[str, tuple[float, str]] = {
    **dict.fromkeys(_wordset("halverats halverades halverat halveras"), (50.0, "down")),
    **dict.fromkeys(_wordset("fördubblats fördubblades fördubblat fördubblas"), (100.0, "up")),
    **dict.fromkeys(_wordset("tredubblats tredubblades tredubblat"), (200.0, "up")),
}
_VERB_CHANGE_RE = re.compile(rf"(?:{_alt(_VERB_CHANGES)})(?!\w)")


def _parse_verb_change(m: re.Match[str], s: str) -> _Cand | None:
    """Read "har halverats", "har fördubblats" as a change in percent."""
    value, direction = _VERB_CHANGES[m.group()]
    cand = _Cand(m.start(), m.end(), m.end(), value, unit="procent", worded=True, kind="verb")
    cand.measure, cand.direction = "change", direction
    return cand


_WORD_PARSERS: tuple[tuple[re.Pattern[str], _Parser], ...] = (
    (_VERB_CHANGE_RE, _parse_verb_change),
    (_HALF_RE, _parse_half),
    (_VAR_RE, _parse_var),
    (_ALL_RE, _parse_all),
    (_FRACTION_RE, _parse_fraction),
    (_SHARE_RE, _parse_share),
    (_TAL_RE, _parse_tal),
    (_WORD_RE, _parse_words),
)


# Where numbers start. A sentence is first checked cheaply for digits and for number
# words among its lower-cased tokens (set lookups); only then are the anchors found,
# with a small regex made of the number words the sentence holds.


def _below_thousand() -> list[str]:
    """Return every Swedish number word from 1 to 999 written as one word."""
    ones = [w for w, v in _SMALL.items() if 1 <= v <= 9]
    below100 = [w for w, v in _SMALL.items() if v >= 1]
    below100 += [t + u for t in _TENS for u in ["", *ones]]
    out = list(below100)
    for w, v in _SMALL.items():
        if 1 <= v <= 9:
            out += [w + "hundra" + rest for rest in ["", *below100]]
    out += ["hundra" + rest for rest in ["", *below100]]
    return out


def _trigger_words() -> frozenset[str]:
    """Return the lower-cased tokens that can start a worded number, with punctuation glued on.

    The set lets a sentence be checked for number words with one set intersection.
    """
    below = _below_thousand()
    words = set(below) | {w + "tusen" for w in below} | {"tusen", "hälften"}
    words |= {"samtliga", "alla", "varannan", "vartannat", *_MULTIPLIERS, *_TAL}
    words |= {f + end for f in _FRACTIONS for end in ("", "ar", "en", "arna")}
    words |= set(_ORDINALS) - {"andra"}
    words |= set(_VERB_CHANGES)
    words |= {"procent", "procentenhet"}  # "en procent", "en procentenhet"
    words -= {"en", "ett", "milj", "mn", "mnd", "md", "mdr"}
    with_punctuation = {w + p for w in words for p in ",.;:)!?”"} | {"(" + w for w in words}
    return frozenset(words | with_punctuation)


_TRIGGERS = _trigger_words()
_ALL_TRIGGERS = frozenset(w for w in _TRIGGERS if w.strip("(),.;:!?”") in ("alla", "samtliga"))
_MEASURED_TOKENS = frozenset(
    w.split()[0] + p for w in _MEASURED for p in ("", ",", ".", ";", ":", ")", "!", "?")
)
_STRIP = '(),.;:!?”"'


# (\d\d*, not \d+: the engine skips ahead to a pattern's opening class, but tries one
# that opens with a repeat at every position)
_DIGIT_RUN_RE = re.compile(r"\d\d*")
_LEADING_WORDS = frozenset({"en", "ett", "var", "vart"})


@functools.lru_cache(maxsize=4096)
def _is_number_word(word: str) -> bool:
    """Tell whether a lower-cased word can begin a number ("en", "var", "tjugofem", "12")."""
    if word in _LEADING_WORDS or (word.isdigit() and len(word) <= 3):
        return True
    return _split_compound(word) is not None


def _backup_start(s: str, pos: int, floor: int) -> int | None:
    """Return where "en", "var", "två av" or "en dryg" before a number word starts."""
    words = _prev_words(s, pos, 3, span=min(40, pos - floor))
    i = len(words)
    if i and words[i - 1][0] == "av":
        i -= 1
    if i and words[i - 1][0] in ("dryg", "knapp", "halv"):
        i -= 1
    if i and _is_number_word(words[i - 1][0]):
        return words[i - 1][1]
    return None


@functools.lru_cache(maxsize=2048)
def _word_anchor_re(words: tuple[str, ...], exact: bool = False) -> re.Pattern[str]:
    """Return a regex finding the given number words; a sentence holds few, so it is small.

    `exact`: for lower-case words in lower-cased text, where case needs no folding. Each
    word then checks after itself that no word character stands before it: a pattern
    that opens with the words' letters, not a boundary, lets the engine skip to them.
    """
    if not exact:
        return re.compile(rf"(?<!\w)(?:{_alt(words)})(?!\w)", re.IGNORECASE)
    alts = "|".join(
        f"{re.escape(w)}(?<!\\w{re.escape(w)})" for w in sorted(words, key=len, reverse=True)
    )
    return re.compile(rf"(?:{alts})(?!\w)")


def _digit_anchor(s: str, pos: int) -> int | None:
    """Return where a number whose digits start at `pos` starts, None if they are no number."""
    if pos == 0:
        return 0
    before = s[pos - 1]
    if before in "-−":
        if pos == 1 or s[pos - 2] in " \t\n([":
            return pos - 1
        return None
    if before.isalnum() or before in ".,:/–_":
        return None
    return pos


def _anchors(
    s: str, words: frozenset[str], digits: bool, folded: bool = False
) -> list[tuple[int, int]]:
    """Return (position, kind) pairs where a number may start; kind 0 digits, 1 words.

    `folded`: s is lower-cased text.
    """
    found: list[tuple[int, int]] = []
    if digits:
        for m in _DIGIT_RUN_RE.finditer(s):
            start = _digit_anchor(s, m.start())
            if start is not None:
                found.append((start, 0))
    if words:
        bases = tuple(sorted({w.strip(_STRIP) for w in words}))
        # (the words are lower case: read exactly in lower-cased text, but for the letters
        # a case-insensitive pattern also takes for "i" and "s")
        exact = folded and "ı" not in s and "ſ" not in s
        found += [(m.start(), 1) for m in _word_anchor_re(bases, exact).finditer(s)]
        found.sort()
    return found


# --------------------------------------------------------------------------- #
# Context around a candidate: qualifier, change words, noun, per, thresholds
# --------------------------------------------------------------------------- #

_QUALIFIERS = frozenset([*_OVER, *_UNDER, *_ABOUT, "ca."])
_CHANGE_UP = _wordset(
    "ökade ökat ökar öka ökas ökning ökningen steg stigit stiger stiga höjdes höjts höja höjas "
    "höjt växte vuxit växa växer uppgång uppgången"
)
_CHANGE_DOWN = _wordset(
    "minskade minskat minskar minska minskas minskning minskningen sjönk sjunkit sjunker "
    "sjunka sänktes sänkts sänka sänkas sänkt föll fallit tappade tappat nedgång nedgången "
    "krympt krympte krymper krympa"
)
# Compounds end in a change noun: "kostnadsökning", "befolkningsminskningen".
_CHANGE_UP_ENDINGS = ("ökning", "ökningen", "uppgång", "uppgången")
_CHANGE_DOWN_ENDINGS = ("minskning", "minskningen", "nedgång", "nedgången")
_CHANGE_ANY = frozenset({"förändrades", "förändring", "förändringen"})
# "under|sökningen", "an|sökningen": a search or an application, no "ökningen"
_SEARCH_ENDINGS = ("undersökning", "undersökningen", "ansökning", "ansökningen")
_CHANGE_NOUN_ENDINGS = ("ökningen", "minskningen", "uppgången", "nedgången", "förändringen")
_UP_DOWN = {"upp": "up", "ned": "down", "ner": "down"}
_GO = frozenset({"gått", "gick", "går", "gå", "gåt"})
_CHANGE_LINKS = frozenset({"med", "på"})
_CHANGE_COPULAS = frozenset({"var", "blev", "är", "blir", "uppgick", "uppgår", "landade"})
_CHANGE_ADVERBS = frozenset({"sammanlagt", "totalt", "ytterligare", "hela"})
_CHANGE_LINKS_2 = frozenset({"uppgick till", "uppgår till"})
# "300 fler", "21 personer färre", "11 procent dyrare"
_AFTER_CHANGE_RE = re.compile(
    r"\s+(?:(?!(?:än|av|som|i|på|om|per|till|och|eller|respektive|har|hade|är|var|blir|blev|får|fick|ska|kan)\b)"
    r"(?P<noun>[a-zåäö]{3,})\s+)?"
    r"(?:(?P<up>fler|mer|högre|dyrare|längre)|(?P<down>färre|mindre|lägre|billigare|kortare))(?!\w)"
    r"(?!\s+än\s+(?:budget|budgeterat|planerat|beräknat))"  # a deficit, no change over time
    # "31 procent mindre än två års erfarenhet": a bound of a group, no change
    r"(?!\s+än\s+(?:\d{1,2}|ett|en|två|tre|fyra|fem|sex)\s+(?:års?|månaders?|månader|veckors?|dagars?)\b"
    r"(?!\s+(?:tidigare|sedan|innan|före|dessförinnan)))"
)
_NOUN_RE = re.compile(rf"\s+(?P<w1>{_LETTER}[\w-]*)(?:\s+(?P<w2>{_LETTER}[\w-]*))?")
# A definite noun's genitive before the noun it owns: "socialtjänstens", "kommunernas".
_GENITIVES = ("ens", "ets", "nas")
_AV_NOUN_RE = re.compile(
    rf"\s+av\s+(?:(?:landets|de|dessa|alla|samtliga|sveriges|rikets|våra|hela)\s+)?"
    rf"(?P<w>{_LETTER}[\w-]*)(?:\s+(?P<w2>{_LETTER}[\w-]*))?"
)
# "42 av 10 000 invånare": a rate, when the whole is a round 1 000, 10 000 or 100 000 of
# a population (never "259 av 290 kommuner").
_RATE_BASES = "invånare|barn|personer|vuxna|kvinnor|män|unga|hushåll|pojkar|flickor"
# "1,9 anmälningar per anmält barn": the participle is part of the denominator
_PARTICIPLES = (
    r"(?:anmält|anmäld|anmälda|placerat|placerad|placerade|inskrivet|inskriven|inskrivna|"
    r"avslutat|avslutad|avslutade|aktuellt|aktuell|aktuella|pågående|beviljat|beviljad|"
    r"påbörjat|påbörjad|utrett|utredd)"
)
_PER_RE = re.compile(
    rf"""\s*(?:
      (?:(?:per|varje)\s+|/\s?)(?P<p1>(?:dag|dygn|vecka|månad|mån|år|timme))(?!\w)
    | (?:om|i)\s+(?P<p2>(?:dagen|dygnet|veckan|månaden|året|timmen))(?!\w)
    | (?:per)\s+(?P<pn>(?:\d{{1,3}}(?:{_SEP}\d{{3}})+|\d+)\s+)?
      (?P<pw>(?:{_PARTICIPLES}\s+)?{_LETTER}+)
    | av\s+(?P<an>(?:1|10|100){_SEP}000)\s+(?P<aw>{_RATE_BASES})(?!\w)
    )""",
    re.VERBOSE,
)
_AGE_AFTER_RE = re.compile(r"\s+(?:och|eller)\s+(?:äldre|yngre)(?!\w)|\s+(?:gamla|gammal|fyllda)")
_AGE_WORDS = frozenset({"åldern", "åldrarna", "ålder", "fyllt", "fyllda", "fyller", "fylla"})
_COMPARATIVES = frozenset(
    {"färre än", "fler än", "mer än", "mindre än", "över", "under", "minst", "högst"}
    | {"<", ">", "≤", "≥"}
)
_AGE_HEDGES = frozenset({"under", "över", "<", ">", "≤", "≥"})
_PERSON_NOUNS = _wordset(
    "barn unga ungdomar personer kvinnor män vuxna flickor pojkar individer elever invånare"
)
_IN_A_ROW_RE = re.compile(r"\s+i\s+rad\b")
_OR_MORE_RE = re.compile(
    r"\s+(?:eller|och)\s+(?:mer|mindre|fler|färre|högre|lägre|över|under|uppåt|däröver)(?!\w)"
)
_THRESHOLD_AFTER_RE = re.compile(r"\s*(?:års|månaders|veckors|dagars|dygns|timmars)-?(?!\w)")
_UNIVERSE = frozenset({"landets", "årets", "rikets", "sveriges", "länets", "kommunens"})
# What a universe is made of, counted after its genitive ("länets tio kommuner")
_PARTS_OF_UNIVERSE = re.compile(
    r"\s+(?:\w+\s+)?(?:kommuner|län|regioner|stadsdel\w*|månader|veckor|dagar|kvartal|"
    r"distrikt|områden)\b",
    re.I,
)
_ORDINAL_NOUNS = frozenset(
    {"årskurs", "klass", "kategori", "kategorin", "steg", "nivå", "fas", "punkt", "nr", "nummer"}
    | {"situation", "område", "typ", "alternativ", "tabell", "figur", "bilaga", "diagram"}
)
# The whole a count is taken from, after a preposition ("till samtliga 290 kommuner";
# "Samtliga 290 kommuner har svarat" counts who answered).
# "2023 års nivå 26 personer per 10 000 invånare": a level, no ordinal "nivå 2"
_MEASURED_AFTER = re.compile(r"\s+(?:procent\b|[a-zåäö]+\s+per\s|per\s)", re.I)
_ALL_OF = frozenset({"samtliga", "alla"})
_TO_WHOM = frozenset({"till", "av", "i", "bland", "för", "från", "över", "på"})
_RULE_LENGTH_RE = re.compile(r"\s+kalender(?:år|månader|dagar)\b")
_AGO_RE = re.compile(r"\s+(?:sedan|tidigare|senare|innan|dessförinnan)(?!\w)")
_ONLY = frozenset({"bara", "endast", "knappt", "drygt", "cirka"})
# What "på" after it gives a level of: a verb of standing ("låg", "landade på", see
# _STANDING_VERBS) or a measure of time ("utredningstiden", "en median", "i snitt").
_MEASURES_OF_TIME = ("tid", "tiden", "median", "medianen", "snitt", "snittet")


def _level_at(word: str) -> bool:
    """Tell a word after which "på" gives a duration's level, not a change's span."""
    return word in _STANDING_VERBS or word.endswith(_MEASURES_OF_TIME)


_STAYED = frozenset({"bott", "bor", "bodde", "varit", "vistats", "levt", "haft"})
_SHORTER = re.compile(r"(?:kortare|längre|äldre|yngre)$")
# "minst 10 av årets 12 månader", "minst tio månader under året": a definition's span
_OF_THE_YEAR_RE = re.compile(r"\s+(?:av\s+årets\s|(?:(?:månader|veckor)\s+)?(?:under|av)\s+året\b)")
_ADULT_AGE = 15
_IS = frozenset({"är", "var", "som", "blir"})
_DETERMINERS = frozenset({"de", "dessa", "våra", "båda", "alla", "sina", "deras"})
_CARRY_RE = re.compile(
    r"[\s,]*(?:(?:eller|respektive)\s+(?:med\s+)?|och\s+med\s+(?:hela\s+)?|"
    # "den förra ökade med 8,4 procent och den senare med 5,1 procent", "... och
    # familjehemsvården med hela 31 procent"
    r"och\s+(?:(?:den|det|de)\s+(?:senare|andra|sistnämnda)|(?:[^\W\d]+\s+){0,3}[^\W\d]+)"
    r"\s+med\s+(?:hela\s+)?|"
    # "HVB blev 11 procent dyrare än 2022, familjehemmen 6 procent"
    r"(?:\s*än\s+[^,.;]{1,30})?,\s*[^\W\d]{3,}\s+(?=\d[\d\s,]*\s*procent\s*[.;]))"
)


def _carry_change(cands: list[_Cand], s: str) -> None:
    """Let "ökade med 55 procent ... och med 22 procent", "med 6 procent, eller 2 950
    hushåll" make the second figure a change as well."""
    changed: _Cand | None = None
    for c in cands:
        if c.reject:
            continue
        if c.measure == "change":
            changed = c
            continue
        if changed is None:
            continue
        start = c.qual_start if c.qual_start is not None else c.start
        before = _prev_words(s, start, 2, span=24)
        linked = len(before) == 2 and before[0][0] in ("och", "eller") and before[1][0] == "med"
        # "ökade med 4,4 procent [i löpande priser] och 1,2 procent [i fasta priser]": the
        # same change on another basis, a share of nothing of its own
        paired = (
            c.unit == changed.unit != "antal"
            and c.noun is None
            and _AND_GAP_RE.fullmatch(s, changed.consumed, start) is not None
        )
        # "Ökningen var 5 procent i löpande priser men stannade vid 1,7 procent": the
        # change noun the clause opens with is the subject of both
        went_on = (
            _WENT_ON_RE.fullmatch(s, changed.consumed, start) is not None
            and (
                _change_subject(
                    [w for w, _ in _prev_words(s, changed.start, _SUBJECT_REACH, span=80)]
                )[0]
            )
        )
        if linked or paired or went_on or _CARRY_RE.fullmatch(s, changed.consumed, start):
            c.measure, c.direction = "change", changed.direction


_AND_GAP_RE = re.compile(r"\s+och\s+")
_WENT_ON_RE = re.compile(
    r"[^.;:\d]{0,60}?\b(?:men|och)\s+(?:stannade|landade|hamnade|blev)\s+(?:vid|på)\s+", re.I
)
_OF_TOTAL_RE = re.compile(
    r"\s+av\s+(?:(?:de|dessa|landets|sveriges|länets|kommunens|totalt|sammanlagt)\s+)?"
)
_COORD_RE = re.compile(r"\s*(?:respektive|och|till|eller|–|-)\s*")
_COMMA_GAP_RE = re.compile(r"\s*,\s+")
_RESPECTIVELY_AHEAD_RE = re.compile(r"[^.;:]{0,30}?\brespektive\b")
# Passive and past-tense verb endings: "fördelades", "betalas", "placerades", "gjordes".
_VERB_ENDINGS = ("ades", "des", "tes", "as", "ade", "de", "te")
_DURATIONS = frozenset({"år", "dagar", "dygn", "månader", "veckor", "timmar", "minuter"})
_YEAR_AHEAD_RE = re.compile(r"\s*(?:19|20)\d\d(?!\d)")
_BARE_NUMBER_RE = re.compile(r"[\d\s.,\u00a0\u202f]+")
# What the text right after a number must start with before a costlier regex is tried.
# (" längre", " kortare": "ungefär tre veckor längre än 2008")
_CHANGE_AFTER: tuple[str, ...] = (" fler", " mer", " högre", " färre", " mindre", " lägre")
_CHANGE_AFTER += (" dyrare", " billigare", " längre", " kortare")
_AFTER_REACH = 24
_PER_STARTS = (" per ", " om ", " i ", " varje ", "/", " /", " av ")
_THRESHOLD_STARTS = (
    "års",
    " års",
    " månaders",
    " veckors",
    " dagars",
    " dygns",
    " timmars",
    " eller ",
    " och ",
)
_AGE_STARTS = (" och ", " eller ", " gamla", " gammal", " fyllda")
_ODD_SPACE = frozenset("\u00a0\u202f\t\n\r\u2009")


def _followed_by(s: str, pos: int, starts: tuple[str, ...]) -> bool:
    """Tell cheaply whether the text at `pos` may start with one of `starts`.

    Unusual whitespace (no-break, narrow, newline) always answers yes, so the regex
    that follows decides.
    """
    return s.startswith(starts, pos) or (pos < len(s) and s[pos] in _ODD_SPACE)


def _attach_qualifier(c: _Cand, s: str, before: list[tuple[str, int]]) -> int:
    """Set the hedge written just before the number; return how many words it takes."""
    sign = s[c.start - 1 : c.start] if c.start else ""
    if sign == " " and c.start >= 2:
        sign = s[c.start - 2 : c.start - 1]
    if sign in _SIGNS:
        c.qualifier = sign
        c.qual_start = s.rindex(sign, 0, c.start)
        return 0
    if len(before) >= 2 and f"{before[-2][0]} {before[-1][0]}" in _QUALIFIERS:
        c.qualifier = _norm_qualifier(f"{before[-2][0]} {before[-1][0]}")
        c.qual_start = before[-2][1]
        return 2
    if before and before[-1][0] in _QUALIFIERS:
        if before[-1][0] in ("högst", "lägst") and len(before) >= 2 and before[-2][0] == "som":
            return 0  # "som högst 6,5 procent i Bräcke": the top of a spread, exact
        c.qualifier = _norm_qualifier(before[-1][0])
        c.qual_start = before[-1][1]
        return 1
    return 0


_TIME_OPENERS = frozenset({"sedan", "jämfört", "mellan", "från"})
_TIME_PHRASE_WORDS = 6


def _change_before(s: str, before: list[tuple[str, int]]) -> tuple[bool, str | None]:
    """Tell whether a change verb or noun governs the number after `before`, and which way.

    "ökade med 17 procent", "en ökning med 17 procent", "minskade antalet hushåll i
    länet med 6 procent", "ökar med ytterligare 700 miljoner", "ökningen var 6 procent".
    """
    words = [w for w, _ in before]
    while words and words[-1] in _CHANGE_ADVERBS:
        words.pop()
    if len(words) >= 2 and words[-2] == "i" and words[-1] in ("genomsnitt", "storleksordningen"):
        del words[-2:]
    if not words:
        return False, None
    if len(words) >= 2 and f"{words[-2]} {words[-1]}" in _CHANGE_LINKS_2:
        del words[-1]
    if words[-1] in _CHANGE_COPULAS:
        # "ökningen var 6 procent": the change noun must stand right before the verb,
        # or before the time it runs over ("ökningen sedan den första kartläggningen
        # 2018 är 27 procent")
        if len(words) >= 2 and words[-2][:1].isdigit() and before:
            far = [w for w, _ in _prev_words(s, before[0][1], _TIME_PHRASE_WORDS, span=64)]
            longer = far + words
            for k in range(3, min(len(longer), _TIME_PHRASE_WORDS + 2) + 1):
                if longer[-k + 1] in _TIME_OPENERS:
                    return _change_word(longer[-k : -k + 1])
        for k in range(3, min(len(words), _TIME_PHRASE_WORDS) + 1):
            if words[-k + 1] in _TIME_OPENERS:
                # "ökningen mellan kvartalen blir 17 procent": the time it runs over
                return _change_word(words[-k : -k + 1])
            if words[-k + 1].endswith((",", ";", ":")):
                break
        return _change_word(words[-2:-1])
    if (
        words[-1].endswith(_CHANGE_NOUN_ENDINGS)
        and len(words) >= 2
        and words[-2] in _CHANGE_COPULAS
    ):
        return _change_word(words[-1:])  # "där är minskningen drygt 70 procent"
    if words[-1].endswith((",", ":")) and (
        words[-1][:-1].endswith(_CHANGE_NOUN_ENDINGS) or words[-1][:-1] in _CHANGE_NOUNS
    ):
        # "Jämtlands län hade den största minskningen, 6,4 procent", "i fasta priser
        # syns en ökning: 1,6 procent": the change named
        return _change_word([words[-1][:-1]])
    if words[-1] in _CHANGE_LINKS:
        words.pop()
        if words and words[-1] in _LEVEL_VERBS and not _change_subject(words[:-1])[0]:
            # "steg trots det och landade på 12,2 miljarder": the level reached (not
            # "ökningen landade på 4 procent")
            return False, None
    else:
        if len(words) < _SUBJECT_REACH:
            further = _prev_words(s, before[0][1], _SUBJECT_REACH - len(words), span=80)
            words = [w for w, _ in further] + words
        return _change_subject(words)
    if len(words) < 9:
        # the change verb may stand far before "med": "ökade antalet hushåll i länet med"
        further = _prev_words(s, before[0][1], 9 - len(words), span=80)
        words = [w for w, _ in further] + words
    reach: list[str] = []
    for i, word in enumerate(reversed(words[-8:])):
        if i == 0 and word.endswith((",", ":")):
            # "ökade mest i Stockholms län, med 6,0 procent", "ökade för andra året i
            # följd: med 5,0 procent"
            word = word[:-1]
        elif word.endswith((",", ";", ":")) or any(ch.isdigit() for ch in word):
            break  # another clause or another number
        reach.append(word)
    found = _change_word(reach)
    return found if found[0] else _change_subject(words)


def _change_subject(words: list[str]) -> tuple[bool, str | None]:
    """Tell a number a change noun earlier in its clause speaks of: "blev ökningen under
    tredje kvartalet 0,5 procent", "ökningen för 13–17-åringar stannade på 4 procent",
    "Störst ökning ... hade Västmanlands län, 11,8 procent" (not "Trots ökningen var
    andelen 45 procent", whose level has a noun of its own)."""
    reach = words[-_SUBJECT_REACH:]
    for i in range(len(reach) - 1, -1, -1):
        word = reach[i]
        if word.endswith((";", ":")):
            return False, None  # another clause
        if any(ch.isdigit() for ch in word) and not any(ch.isalpha() for ch in word):
            if i > 0 and reach[i - 1] in ("på", "med", "om"):
                continue  # "Ökningen på 750 anmälningar motsvarar …": the subject's own
            return False, None  # another number
        if word in _LEVEL_NOUNS:
            return False, None
        definite = word.endswith(_CHANGE_SUBJECT_ENDINGS)
        ranked = i > 0 and reach[i - 1] in _SUPERLATIVES and word in _CHANGE_NOUNS
        if definite or ranked:
            return _change_word([word])
    return False, None


# What a value reached, not how far it moved: "… och landade på", "hamnade på", "stannade på"
_LEVEL_VERBS = frozenset({"landade", "hamnade", "landar", "hamnar", "stannade", "stannar"})
# ... and the verbs of standing a duration's level follows ("låg på 120 dagar")
_STANDING_VERBS = _LEVEL_VERBS | {"ligga", "ligger", "låg", "legat", "landa", "hamna", "stanna"}
_SUBJECT_REACH = 12
_CHANGE_SUBJECT_ENDINGS = ("ökningen", "minskningen", "uppgången", "nedgången")
_CHANGE_NOUNS = frozenset({"ökning", "minskning", "uppgång", "nedgång"})
_SUPERLATIVES = frozenset({"störst", "största", "kraftigast", "kraftigaste", "högst", "minst"})
_LEVEL_NOUNS = frozenset(
    {"andelen", "antalet", "kostnaden", "kostnaderna", "nivån", "siffran", "beloppet"}
)


def _change_word(words: list[str]) -> tuple[bool, str | None]:
    """Return (True, direction) for the first change word in `words`, else (False, None).

    `words` run backwards from the number: "ned" then "gått" is "har gått ned med".
    """
    for i, word in enumerate(words):
        if word in _UP_DOWN and not _GO.isdisjoint(words[i + 1 : i + 5]):
            # "har gått ned med", "gick utbetalningarna i stället ned med"
            return True, _UP_DOWN[word]
        if word in _CHANGE_UP or (
            word.endswith(_CHANGE_UP_ENDINGS) and not word.endswith(_SEARCH_ENDINGS)
        ):
            return True, "up"
        if word in _CHANGE_DOWN or word.endswith(_CHANGE_DOWN_ENDINGS):
            return True, "down"
        if word in _CHANGE_ANY:
            return True, None
    return False, None


def _attach_change(c: _Cand, s: str, before: list[tuple[str, int]], original: str) -> None:
    """Mark a change: a change verb before ("ökade med"), or "fler"/"färre" after."""
    changed, direction = _change_before(s, before)
    if changed:
        c.measure = "change"
        c.direction = direction
        return
    if c.unit == "procentenheter":
        c.measure = "change"  # a difference of two shares, whatever verb goes with it
    if c.kind in ("all", "var") or not holds_any(s[c.end : c.end + _AFTER_REACH], _CHANGE_AFTER):
        return
    a = _AFTER_CHANGE_RE.match(s, c.end)
    if a is not None and a[0].endswith(("längre", "kortare")) and c.unit not in _DURATIONS:
        a = None  # "29 procent kortare erfarenhet än två år" names a group, a time no change
    if a is not None and original[a.end() - len(a[0].split()[-1])].isupper():
        a = None  # "5.1 Färre boenden men fler platser": a heading's number, then its words
    if a is not None:
        c.measure = "change"
        c.direction = "up" if a.group("up") else "down"
        c.consumed = max(c.consumed, a.end())
        if a.group("noun") and c.unit == "antal":
            c.noun = a.group("noun")  # "21 personer färre": what the change counts
        elif c.unit == "antal" and a[0].endswith(("fler", "färre")):
            c.end = a.end()  # "230 fler", "sju färre": the change as written is its quote


def _attach_noun(c: _Cand, s: str, original: str) -> None:
    """Set the counted noun: "331 000 anmälningar", "62 procent av kommunerna".

    One adjective may stand between ("1 200 placerade barn"); verbs, function
    words, units and capitalised names are no nouns.
    """
    if c.noun is not None:
        return
    pos = c.consumed
    if c.unit in ("procent", "procentenheter") or c.kind in ("share", "fraction", "var"):
        m = _AV_NOUN_RE.match(s, pos) if _followed_by(s, pos, (" av ",)) else None
        if m is not None:
            word, second = m.group("w"), m.group("w2")
            if (
                second
                and second not in _STOP
                and (word in _ADJECTIVES or (len(word) > 5 and word.endswith(_GENITIVES)))
            ):
                # "av de placerade barnen", "av socialtjänstens barnavårdsutredningar"
                word = second
            c.noun = word
            return
        if c.kind not in ("share", "fraction", "var") and c.measure != "change":
            return
    if c.unit != "antal" and c.kind not in ("share", "fraction", "var") and c.measure != "change":
        return
    m2 = _NOUN_RE.match(s, pos)
    if m2 is None:
        return
    w1, w2 = m2.group("w1"), m2.group("w2")
    word, end = w1, m2.end("w1")
    adjective = w1 in _ADJECTIVES or w1.endswith(("iga", "liga", "nde", "ade"))
    noun_like = w2 is not None and not w2.endswith(("llt", "igt", "ligt", "skt"))
    if not adjective and noun_like and w2 and len(w1) > 4 and w1.endswith(("ra", "ta", "da")):
        # a plural adjective before the noun ("23 omedelbara omhändertaganden", "41 akuta
        # placeringar"), not a noun before its verb ("12 personer placerades")
        adjective = not (len(w2) > 4 and w2.endswith(_VERB_ENDINGS))
    if noun_like and adjective and w2 not in _STOP and original[m2.start("w2")].islower():
        word, end = w2, m2.end("w2")
    if _is_number_word(word):
        return
    as_written = original[end - len(word) : end]
    low = word
    if low in _STOP or low in _UNITS or (as_written[0].isupper() and not as_written.isupper()):
        return
    if len(low) > 4 and low.endswith(_VERB_ENDINGS):
        return
    c.noun = low
    c.consumed = max(c.consumed, end)


def _denominator(number: str | None, word: str) -> str:
    """Return a rate's denominator as "1 000 barn" (plain spaces) or "invånare"."""
    if not number:
        return word
    return f"{_SPACE_RE.sub(' ', number).strip()} {word}"  # \s also matches (narrow) nbsp


def _attach_per(c: _Cand, s: str) -> None:
    """Set the rate's denominator: "om dagen" -> "dag", "per 1 000 barn" -> "1 000 barn"."""
    if not _followed_by(s, c.consumed, _PER_STARTS):
        return
    m = _PER_RE.match(s, c.consumed)
    if m is None:
        return
    period = m.group("p1") or m.group("p2")
    if period:
        c.per = _PER_PERIOD[period.lower()]
    elif m.group("an"):
        c.per = _denominator(m.group("an"), m.group("aw").lower())
    else:
        word = m.group("pw").lower()
        if word == "år" and m.group("pn") and _YEAR_AHEAD_RE.match(s, m.end()):
            # "13,0 per 1 000 år 2019": "år" opens the year; the rate's noun is the text's
            c.per = _denominator(m.group("pn"), "").strip()
            c.consumed = max(c.consumed, m.start("pw"))
            return
        if word in _STOP:
            return
        if c.unit in _DURATIONS and not m.group("pn"):
            # "6,9 månader per hushåll", "171 dagar per vårdtillfälle": an average
            # duration, not a rate (a duration per a time stays one: "timmar per vecka")
            return
        c.per = _denominator(m.group("pn"), word)
    c.consumed = max(c.consumed, m.end())


# A limit the cases of a rule near: "varje utredning som närmar sig tre månader"
_NEARING = frozenset({("närmar", "sig"), ("närmade", "sig")})


def _is_threshold(c: _Cand, s: str, before: list[tuple[str, int]]) -> bool:
    """Tell a definition threshold from a value.

    Thresholds describe who or what is counted: "minst tre års erfarenhet", "barn
    under 18 år", "kommuner med färre än 15 000 invånare", "bistånd i minst 10
    månader", "ett första besök inom 14 dagar", "11 procent eller mer".
    """
    if _followed_by(s, c.end, _THRESHOLD_STARTS) and (
        _THRESHOLD_AFTER_RE.match(s, c.end) or _OR_MORE_RE.match(s, c.end)
    ):
        return True
    last = before[-1][0] if before else ""
    whole = c.value == int(c.value)
    ordinal = last in _ORDINAL_NOUNS and not (last == "nivå" and _MEASURED_AFTER.match(s, c.end))
    if last in _AGE_WORDS or (
        whole
        and (
            (
                last in _UNIVERSE
                and (
                    c.kind != "digits"  # "länets tre mottagningar": the set it owns
                    or c.unit in _DURATIONS
                    or _PARTS_OF_UNIVERSE.match(s, c.end)
                )
            )
            or ordinal
        )
    ):
        # "landets 290 kommuner", "årets 12 månader", "länets tre mottagningar", "årskurs
        # 9", "kategori 2"; not "rikets 8,9", "rikets 154", "länets 8 870 anmälningar"
        return True
    if last == "närmaste" or (
        last in _ALL_OF and c.kind == "digits" and len(before) >= 2 and before[-2][0] in _TO_WHOM
    ):
        return True  # "avrundade till närmaste femtiotal", "skickades till samtliga 290 kommuner"
    if (
        last in ("och", "eller")
        and len(before) >= 3
        and before[-2][0].isdigit()
        and before[-3][0] in _ORDINAL_NOUNS
    ):
        return True  # "Tabell 4 och 5", "kategori 2 eller 3"
    if _RULE_LENGTH_RE.match(s, c.end):
        return True  # a definition's length: "och ytterligare tre kalenderår"
    if last == "inom" and _WORKING_DAYS_RE.match(s, c.end):
        return True  # a time limit: "ska erbjudas inom 7 arbetsdagar"
    if c.unit in _DURATIONS and _AGO_RE.match(s, c.end):
        return True  # a time back, not a measure: "för fem år sedan"
    if (
        c.unit in _DURATIONS
        and len(before) >= 3
        and (before[-2][0], last) in _NEARING
        and before[-3][0] == "som"
    ):
        return True  # "varje utredning som närmar sig tre månader": a limit watched, no value
    if len(before) >= 2 and last == "än" and _SHORTER.match(before[-2][0]):
        return True  # "kortare erfarenhet än två år" names a group
    if len(before) >= 3 and last == "än" and _SHORTER.match(before[-3][0]):
        return True
    if last == "mellan" and len(before) >= 2 and before[-2][0] == "med":
        return True  # "kommuner med mellan 30 000 och 200 000 invånare"
    if last == "och" and len(before) >= 4 and [w for w, _ in before[-4:-2]] == ["med", "mellan"]:
        return True
    comparative = c.qualifier in _COMPARATIVES
    if comparative and _OF_THE_YEAR_RE.match(s, c.end):
        return True  # "bistånd i minst 10 av årets 12 månader" defines långvarigt bistånd
    if comparative and c.measure != "change" and _defines_group(before):
        return True
    if c.unit == "antal" and c.qualifier in _AGE_HEDGES and last in _PERSON_NOUNS:
        return c.value <= 120 and c.noun is None  # "barn under 18", "personer över 65"
    if c.unit in _DURATIONS and last in ("på", "efter", "senaste"):
        # the span of a change or a follow-up: "på tio år", "efter ett år"; not a level
        # a verb or a measure puts there: "låg på 120 dagar", "en mediantid på 114 dagar"
        return not (last == "på" and len(before) >= 2 and _level_at(before[-2][0]))
    if c.unit in _DURATIONS and len(before) >= 2 and before[-2][0] == "på" and last in _ONLY:
        return True  # "på bara tre år"
    if c.unit in _DURATIONS and last == "i" and len(before) >= 2 and before[-2][0] in _STAYED:
        return True  # a rule's duration: "har bott i samma familjehem i tre år"
    if c.unit in _DURATIONS and _IN_A_ROW_RE.match(s, c.end):
        return True  # a streak, not a measure: "har ökat två år i rad"
    if c.unit in _DURATIONS and c.unit != "år":
        return last == "inom" or (comparative and last in ("i", "under"))
    if c.unit != "år":
        return False
    if comparative and last == "i":
        return True  # "hemlösa i mer än tio år" names a group
    if c.value >= _ADULT_AGE and (last in ("till", "från") or (comparative and last in _IS)):
        return True  # an age: "höjdes till 66 år", "personer som är minst 21 år"
    if c.qualifier in _AGE_HEDGES or last == "inom":
        return True
    if c.qualifier == "upp till" and last in _PERSON_NOUNS:
        return True
    if len(before) >= 2 and f"{before[-2][0]} {last}" in ("äldre än", "yngre än"):
        return True
    if len(before) >= 3 and before[-3][0] == "mellan" and last == "och":
        return True
    return _followed_by(s, c.end, _AGE_STARTS) and _AGE_AFTER_RE.match(s, c.end) is not None


def _defines_group(before: list[tuple[str, int]]) -> bool:
    """Tell "kommuner med färre än", "kommuner med en omsättning på över" (a group) apart."""
    words = [w for w, _ in before[-4:]]
    if "med" not in words:
        return False
    i = len(words) - 1 - words[::-1].index("med")
    if i > 0 and words[i - 1] in ("jämfört", "jämföra", "jämförelse", "jämförelser", "tillsammans"):
        return False
    # "med", "med omsättning", "med en omsättning", "med en omsättning på"
    between = words[i + 1 :]
    if between and between[-1] == "på":
        between = between[:-1]
    if between and between[0] in ("en", "ett"):
        between = between[1:]
    return len(between) <= 1 and all(w not in _STOP for w in between)


_NEAR = 5  # words read before a number; change verbs are looked for further back


def _complete(c: _Cand, s: str, original: str) -> None:
    """Read the context of a parsed number: qualifier, change, noun, per, and rejections."""
    before = _prev_words(s, c.start, _NEAR, span=56)
    taken = _attach_qualifier(c, s, before)
    if (
        c.qualifier == "under"
        and c.unit in _DURATIONS
        and (c.kind == "words" or c.value != int(c.value))
    ):
        # "under tre år", "i genomsnitt under 6,8 månader": for how long, not a hedge.
        c.qualifier, c.qual_start = None, None
        taken = 0
    if taken:
        before = before[:-taken]
    _attach_change(c, s, before, original)
    _attach_noun(c, s, original)
    _attach_per(c, s)
    if _is_threshold(c, s, before):
        c.reject = c.threshold = True
    if before and before[-1][0] == "per":
        c.reject = True  # a denominator with no value of its own: "räknat per 1 000 barn"
    if c.noun in _SPAN_NOUNS or c.noun in _WEB_COUNTERS or _is_delimiting(c, s, before):
        c.reject = True
    if c.kind == "words" and (c.noun or c.per or c.unit != "antal"):
        c.needs_support = False
    if (
        c.kind == "words"
        and c.measure == "change"
        and original[c.start : c.end].endswith(("fler", "färre"))
    ):
        c.needs_support = False  # "fyra fler än förra året": a change, said in words
    if c.is_year and not (c.noun in _COUNT_NOUNS or c.per):
        c.reject = True
    if c.kind == "digits" and c.unit == "antal" and _is_section_number(c, original):
        c.reject = True
    if c.reject and c.kind != "range":
        c.consumed = c.end  # what follows a non-figure may still hold one


_VAGUE = frozenset({"några", "flera", "par", "många", "tiotals", "hundratals"})
# Counters of a web page, not of the world: "12 kommentarer", "900 tecken kvar".
_WEB_COUNTERS = _wordset("kommentarer kommentar tecken gillningar delningar visningar svar")
_TITLE_WORD_RE = re.compile(r"\.?\s+[A-ZÅÄÖ][A-ZÅÄÖa-zåäö]")
_SECTION_START_RE = re.compile(r"\s*\d{1,2}(?:\.\d{1,2})*\s+[A-ZÅÄÖ][a-zåäö]")


def _is_section_number(c: _Cand, original: str) -> bool:
    """Tell a heading's number ("3 Ekonomiskt bistånd", "5. EKONOMISKT BISTÅND") from a count."""
    return not original[: c.start].strip() and _TITLE_WORD_RE.match(original, c.end) is not None


_SPAN_NOUNS = _wordset("åren månaderna veckorna dagarna timmarna decennierna åldrarna")
_SUPERLATIVE_RE = re.compile(rf"\s+{_LETTER}+(?:aste|sta)(?!\w)")


def _is_delimiting(c: _Cand, s: str, before: list[tuple[str, int]]) -> bool:
    """Tell "de två senaste", "de 34 största kommunerna" (a group, not a count) apart."""
    words = [w for w, _ in before[-2:]]
    if c.kind == "words" and any(w in _DETERMINERS or w in _VAGUE for w in words):
        return True  # "de två senaste", "några hundra", "ett par tusen"
    return bool(words) and words[-1] in _DETERMINERS and _SUPERLATIVE_RE.match(s, c.end) is not None


def _coordinate(cands: list[_Cand], s: str) -> None:
    """Let "tre respektive fem års", "från 1,2 till 1,5 miljarder kronor" share unit and fate.

    "Fem av Sveriges 21 regioner", "45 av 290 kommuner": the first counts the noun of
    the second.
    """
    for a, b in zip(reversed(cands[:-1]), reversed(cands[1:]), strict=True):
        gap_start = b.qual_start if b.qual_start is not None else b.start
        if (
            a.consumed <= gap_start
            and a.unit == "antal"
            and a.noun is None
            and b.noun is not None
            and _OF_TOTAL_RE.fullmatch(s, a.end, gap_start)
        ):
            a.noun, a.needs_support = b.noun, False
            continue
        if a.consumed > gap_start or not (
            _COORD_RE.fullmatch(s, a.end, gap_start)
            # "23, 19 respektive 18 procent": a list the "respektive" after it closes
            or (
                _COMMA_GAP_RE.fullmatch(s, a.end, gap_start)
                and _RESPECTIVELY_AHEAD_RE.match(s, b.end)
            )
        ):
            continue
        if b.threshold:
            a.reject = a.threshold = True
            continue
        bare = a.unit == "antal" and a.noun is None and a.per is None and a.kind == b.kind
        if bare and (b.unit != "antal" or b.noun or b.per):
            a.unit, a.per, a.noun = b.unit, b.per, b.noun
            if a.mult == 1.0 and b.mult != 1.0:
                a.value *= b.mult
                a.mult = b.mult
            a.needs_support = False
            a.is_year = False
    for a, b in itertools.pairwise(cands):
        # "34 per 10 000 invånare, att jämföra med mer än 42": the value compared with is
        # of the same kind as the first.
        gap_start = b.qual_start if b.qual_start is not None else b.start
        if a.consumed > gap_start or not _COMPARED_GAP_RE.fullmatch(s, a.consumed, gap_start):
            continue
        bare = b.unit == "antal" and b.noun is None and b.per is None and a.kind == b.kind
        if bare and a.per is not None and a.unit == "antal" and not b.reject:
            b.per, b.needs_support = a.per, False

    for i, c in enumerate(cands):
        # "47 barn och unga placerade i familjehem och nio på HVB": the later item of a
        # list counts the noun of the count before it, left out before its own place
        if not c.needs_support or c.reject or i == 0:
            continue
        if not (
            _ITEM_OPENS_RE.search(s, max(0, c.start - 6), c.start)
            and _PLACE_AFTER_RE.match(s, c.end)
        ):
            continue
        head = next((a for a in reversed(cands[:i]) if not a.reject and not a.needs_support), None)
        if head is not None and head.unit == "antal" and head.noun is not None and not head.per:
            c.noun, c.needs_support = head.noun, False


_ITEM_OPENS_RE = re.compile(r"(?:\boch|\bsamt|,)\s+$")
_PLACE_AFTER_RE = re.compile(r"\s+(?:på|i|inom|hos)\s+\w")
_WORKING_DAYS_RE = re.compile(r"\s+(?:arbetsdagar|vardagar|arbetsveckor|kalenderdagar)\b")
_TIMES_COUNTED = 100  # "fyra gånger så många" is a ratio; "450 000 gånger" a count


def _money_by_context(cands: list[_Cand], s: str) -> None:
    """Read "3,1 miljarder" as kronor where the sentence speaks of money.

    A count in millions names what it counts ("1,2 miljoner invånare"); a bare amount in
    millions beside "kostade", "budget" or another amount in kronor ("Av det gick 8,9
    miljarder till HVB och 9,6 miljarder kronor till familjehem") is an amount of money.
    No count of the field runs to billions: a bare amount in billions is money whatever
    the sentence says ("Av det gick 12,1 miljarder till familjehemsvård").
    """
    bare = [
        c for c in cands if c.mult >= 1e6 and c.unit == "antal" and c.noun is None and c.per is None
    ]
    if not bare:
        return
    money = any(c.unit == "kronor" for c in cands) or _MONEY_WORDS.search(s) is not None
    for c in bare:
        if money or c.mult >= _BILLION:
            c.unit = "kronor"
            c.needs_support = False


_BILLION = 1e9
_MONEY_WORDS = re.compile(
    r"\b(?:kosta\w*|\w*kostnad\w*|budget\w*|\w*utbetal\w*|betala\w*|underskott\w*|notan|summan|"
    r"beloppet|prislapp\w*|"
    r"överskott\w*|intäkt\w*|utgift\w*|anslag\w*|omsättning|"
    # no count of the field runs to millions: "Bistånd för 10,9 miljarder i fjol"
    r"\w*bistånd\w*|försörjningsstöd\w*)\b"
)


# Between a value and the one it is compared with.
_COMPARED_GAP_RE = re.compile(r",?\s*(?:att\s+)?jämför(?:t|a|as)?\s+med\s*|,?\s*mot\s*")


def _candidate_at(s: str, pos: int) -> _Cand | None:
    """Try the parsers for the number starting at `pos`, in order; the first that reads wins."""
    first = s[pos]
    if first.isdigit() or first in "-−":
        return _digit_candidate(s, pos)
    for pattern, parse in _WORD_PARSERS:
        m = pattern.match(s, pos)
        if m is not None and m.end() > pos:
            cand = parse(m, s)
            if cand is not None:
                return cand
    return None


def _to_match(c: _Cand, s: str) -> NumberMatch:
    """Build the public match of a finished candidate, its quote taken from the text."""
    start = c.qual_start if c.qual_start is not None else c.start
    if c.low is not None and c.high is not None:
        low, high = c.low, c.high
    else:
        low, high = interval(c.value, c.qualifier, worded=c.worded)
    return NumberMatch(
        start=start,
        end=c.end,
        quote=s[start : c.end],
        value=c.value,
        unit=c.unit,
        per=c.per,
        qualifier=c.qualifier,
        low=low,
        high=high,
        measure=c.measure,
        worded=c.worded,
        noun=c.noun,
        direction=c.direction,
    )


def find_numbers(sentence: str) -> list[NumberMatch]:
    """Return the number expressions of one Swedish sentence, in order of appearance.

    Never raises: text that is not a number expression gives no match. Years,
    dates, phone numbers, references and definition thresholds give none either.
    """
    try:
        return _find(sentence)
    except Exception:  # pragma: no cover - a guard, the parsers are meant not to raise
        return []


def _find(s: str) -> list[NumberMatch]:
    """Do the work of find_numbers: pre-check, anchors, parsers, context, coordination."""
    digits = has_digit(s)
    low = lowered(s)
    tokens = low.split()
    words = _TRIGGERS.intersection(tokens)
    if words and words <= _ALL_TRIGGERS and _MEASURED_TOKENS.isdisjoint(tokens):
        words = frozenset()  # "alla barn", "samtliga" without a measured unit after it
    if not digits and not words:
        return []
    if digits and _BARE_NUMBER_RE.fullmatch(s.strip()):
        return []  # a line holding only a number: a counter or a page number
    folded = len(low) == len(s)
    if not folded:
        low = s  # lower-casing moved offsets (rare letters): match the text as written
    # The parsers read the lower-cased text (no case-insensitive alternations, which are
    # slow); quotes and the case of nouns come from the text as written.
    web = "@" in s or "://" in s or "www." in s
    cands: list[_Cand] = []
    consumed = 0
    for pos, kind in _anchors(low, words, digits, folded):
        if pos < consumed:
            continue
        if kind == 0 and _BARE_YEAR_RE.match(low, pos):
            continue  # a year standing alone: the most common number in these texts
        if kind == 0:
            masked_to = _mask_end(s, low, pos, web=web)
            if masked_to is not None:
                consumed = masked_to
                continue
        cand = _candidate_from(low, pos, floor=consumed, words=kind == 1)
        if cand is None:
            continue
        _complete(cand, low, s)
        cands.append(cand)
        consumed = max(cand.consumed, pos + 1)
    _coordinate(cands, low)
    _money_by_context(cands, low)
    for c in cands:
        if c.unit == "gånger" and c.value >= _TIMES_COUNTED:
            c.unit = "antal"  # "450 000 gånger kontaktades socialtjänsten": how often, a count
    _carry_change(cands, low)
    if cands and _SECTION_START_RE.match(s):
        last = cands[-1]  # "2.1 Om statistiken 17": the page a contents line points to
        if last.kind == "digits" and last.noun is None and not s[last.end :].strip():
            last.reject = True
    if " per " in low or low.startswith("per "):
        _apply_rate_phrase(cands, low)
    return [_to_match(c, s) for c in cands if not c.reject and not c.needs_support]


_RATE_PHRASE_RE = re.compile(
    rf"(?<!\w)per\s+(?P<n>(?:\d{{1,3}}(?:{_SEP}\d{{3}})+|\d+)\s+)?(?P<w>{_LETTER}+)"
)


def _apply_rate_phrase(cands: list[_Cand], low: str) -> None:
    """Give the numbers after a free "per" phrase its denominator.

    "Räknat per 10 000 invånare ... från 30,6 till 27,3", "Antalet anmälningar per
    1 000 barn var 192", "Kostnaden per vårddygn var 3 800 kronor". A "per" that
    already belongs to a number ("192 per 1 000 barn") is no free phrase.
    """
    phrases = list(_RATE_PHRASE_RE.finditer(low))
    for m in phrases:
        if m.group("w") in _STOP or any(c.start < m.start() < c.consumed for c in cands):
            continue
        if not m.group("n") and any(o.group("n") and o.start() > m.end() for o in phrases):
            continue  # "Räknat per invånare har kommunen 8,9 ... per 1 000 invånare"
        per = _denominator(m.group("n"), m.group("w"))
        for c in cands:
            if c.start < m.end() or c.reject:
                continue
            if c.per is not None or c.unit not in ("antal", "kronor"):
                break
            c.per = per
        return


# A year with nothing after it that could make it a count, an amount or a rate.
_BARE_YEAR_RE = re.compile(
    rf"(?:19|20)\d\d(?!\d|[,.:/\-–]\d|[ \u00a0\u202f]\d)"
    rf"(?!\s*(?:%|{_alt(set(_UNITS) - {'år'})}|{_MULT_ALT})(?![\w%]))"
    rf"(?!\s+(?:{_alt(_COUNT_NOUNS)}|per)(?!\w))"
)


def _candidate_from(low: str, pos: int, *, floor: int, words: bool) -> _Cand | None:
    """Try the parsers where the number may start: first from a leading "en", "var", "två av"."""
    # Digits only start earlier in "ett 50-tal"; number words in "en av fem", "var fjärde".
    back = (
        _backup_start(low, pos, floor)
        if words or (pos >= 4 and low.startswith("ett ", pos - 4))
        else None
    )
    if back is not None:
        cand = _candidate_at(low, back)
        if cand is not None and cand.end > pos:
            return cand
    return _candidate_at(low, pos)


_PARSE_DIGITS_RE = re.compile(
    rf"(?P<neg>[-−])?(?P<num>{_DIGITS})(?:\s*(?P<mult>(?:{_MULT_ALT})){_MULT_DOT})?"
)
_PARSE_WORDS_RE = re.compile(rf"(?:{_WORDNUM})")


def parse_number(text: str) -> float | None:
    """Return the value of a bare Swedish number ("50 000", "4,2", "tre", "1,2 miljoner").

    None when the whole text is not one number: no units, no qualifiers.
    """
    t = text.strip()
    m = _PARSE_DIGITS_RE.fullmatch(t.lower())
    if m is not None:
        value = _digits_value(m.group("num"))
        if value is None:
            return None
        if m.group("mult"):
            value *= _MULTIPLIERS[m.group("mult").lower()]
        return -value if m.group("neg") else value
    if _PARSE_WORDS_RE.fullmatch(t.lower()):
        return _words_value(t)
    return None
