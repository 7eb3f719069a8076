"""The metric catalog: stable keys and Swedish labels for the indicators ifo-watch knows.

Known IFO indicators live in data/catalog.toml with word patterns over lemmas, so one
indicator keeps one key across documents and wordings ("barn i familjer med långvarigt
bistånd" = "barn som lever i hushåll med långvarigt ekonomiskt bistånd") while its
neighbours (a share, a rate, a change, adults) get their own. Figures the catalog does not
know get a key derived from the lemmatised content words around the number, sorted, so
the same words give the same key in every document.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Final

from ifo_watch.errors import IfoWatchError
from ifo_watch.extract import lemmas, scan
from ifo_watch.resources import data_file

# Words of lower-cased text. Case-sensitive (IGNORECASE makes the scan slow) with the
# two lower-case letters IGNORECASE would also let in: dotless "ı" and long "ſ".
_WORD = re.compile(r"[a-zåäöéüıſ]+(?:-[a-zåäöéüıſ]+)*")
_DIGITS = re.compile(r"\d[\d\s\xa0.,]*")
_RISE = frozenset(
    {"öka", "ökning", "många", "fler", "mer", "högre", "uppgång", "växa", "stiga", "ökad"}
)
_FALL = frozenset({"minska", "minskning", "få", "färre", "lägre", "nedgång", "sjunka", "minskad"})
_UNIT_PREFIX = {"procent": "andel", "procentenheter": "andel", "kronor": "belopp", "antal": "antal"}
_UNIT_LABEL = {"procent": "Andel", "procentenheter": "Andel", "kronor": "Belopp", "antal": "Antal"}
_MAX_DERIVED_WORDS = 6
_MIN_CLASS_SUFFIX = 4
_DIRECTIONS = ("okning", "minskning", "forandring")
# Words that name who is counted; a clause may leave them to the document's title.
_POPULATION = frozenset(
    {"barn", "unga", "ung", "ungdom", "ungdomar", "vuxen", "vuxna", "person", "personer"}
    | {"kvinna", "kvinnor", "man", "män", "pojke", "pojkar", "flicka", "flickor"}
)
# A change in these units is absolute and keyed apart from a relative one (in procent).
_CHANGE_UNIT = {"antal": "_antal", "kronor": "_kronor", "procentenheter": "_procentenheter"}
_CHANGE_UNIT_LABEL = {"antal": "antal", "kronor": "kronor", "procentenheter": "procentenheter"}


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Who counted or decided, never what is counted: "Migrationsverket avgjorde 870
# asylärenden" is the count of "Under året avgjordes 910 asylärenden" (derived keys only).
_AGENCIES = _wordset(
    "migrationsverket migrationsverk ivo inspektionen kronofogden kronofogd länsstyrelsen "
    "länsstyrelse scb kolada myndigheten myndighet"
)

# Verbs that tell how a figure came about, never what it counts: "14 620 ärenden kom in
# till jouren" and "Jouren tog emot 15 480 ärenden" count one thing (derived keys only).
LIGHT_VERBS = _wordset(
    "ta emot in ut fram handla röra beröra berörd avse omfatta hantera nå landa stanna "
    "stiga stega växa leva arbeta lämna bygga bestå peka backa räcka falla hinna befinna "
    "se ge inleda inkomma registrera rapportera samla uppnå kartlägga"
)

# The size of a set named by its definite noun, no part of what is counted: "de tre
# mottagningarna hade kontakt med 1 184 ungdomar" (a number word in "inom tre månader" is
# part of the indicator and stays).
_SET_SIZE = re.compile(
    r"(?<=\b[Dd]e\s)(?:två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv)(?=\s+[a-zåäö-]+(?:na|en)\b)"
)

# Function words and words that name the number rather than the indicator.
STOPWORDS = _wordset(
    """
    och eller men att som det den de dem denna detta dessa där här en ett i på av för med till
    från om under över efter före mellan vid hos mot utan sedan än så har hade ha är var vara
    blir blev bli bliva kan kunna ska skola skall vill vilja måste få får fick sig sin sitt sina
    han hon hen vi ni jag du man mig oss er deras dess hans hennes vår vårt våra också även
    bara endast nu idag dag år året åren årets procent andel andelen antal antalet totalt
    drygt knappt cirka ca omkring ungefär runt kring närmare nära nästan strax lite mer mest
    minst högst upp fler färre många flera någon några något ingen inga inget alla samtliga
    var vart varje hela hel samma andra annan annat egen egna olika vilket vilken vilka
    enligt visa visar säga säger uppge uppger uppgå uppgår ligga låg ligger finnas finns
    göra gör gjorde gjordes genom bland cirka tal tusen miljon miljard miljoner miljarder
    kronor kr tkr mnkr rapport rapporten socialstyrelsen skr jämförelse jämföra jämfört
    inte ej dock då när medan samt både varav därav respektive per dels ändå likväl
    bo gång vanlig vanligast nästa näst motsvara fortsätta enskild använda hålla sammanlagt
    sammantaget ned gå ske sker skedde tidigare senast senaste föregående stor större störst
    liten mindre tredje första sista dryg knapp ungefärlig sammanlagd
    inom land landet landets tillsammans räkna gälla förra stå utfalla tydlig kraftig kraftigt
    variera därmed främst viss socialstyrelse statistik resultat redovisa ange samtidigt
    fortfarande alltså mycket hamna utgöra innebära betyda komma svara period kosta
    januari februari mars april maj juni juli augusti september oktober november december innan
    därpå dessförinnan rike riket rikets
    """
)


def _change_parts(key: str) -> tuple[str, str, str] | None:
    """Return the direction, the level's key and the unit of a change key
    ("okning_hemlosa_antal" -> ("okning", "hemlosa", "antal")), or None for a level."""
    direction, _, rest = key.partition("_")
    if direction not in _DIRECTIONS:
        return None
    unit = next((u for u, tail in _CHANGE_UNIT.items() if rest.endswith(tail)), "procent")
    return direction, rest.removesuffix(_CHANGE_UNIT.get(unit, "")), unit


def says_median(text: str) -> bool:
    """Tell text that names a median ("mediantiden", "Medianutredningstid, dagar", "i
    median") and not the mean beside it ("genomsnitt"): it speaks of the median alone."""
    return _MEDIAN.search(text) is not None and _MEAN.search(text) is None


_MEDIAN = re.compile(r"median", re.I)
_MEAN = re.compile(r"genomsnitt|\bmedel(?:värde|tal|tid)?\b", re.I)


@dataclass(frozen=True)
class Metric:
    """One indicator: a stable key, its Swedish label and how its changes are judged."""

    key: str
    label: str
    unit: str | None = None
    measure: str = "level"
    catalogued: bool = True
    aliases: tuple[str, ...] = ()
    min_abs: float | None = None
    min_rel: float | None = None
    intervals: tuple[tuple[str, float, float], ...] = ()
    # The part of the indicator's population an entry's figures count ("barn" of the
    # persons with ekonomiskt bistånd): "132 000 barn levde i hushåll med bistånd" is the
    # same indicator as "402 000 personer, varav 132 000 barn", for that group.
    group: str | None = None
    # The indicator this one is a form of ("barn_familjehem" of "barn_heldygnsinsats"):
    # a total whose parts are such forms ("346 barn, av vilka 221 i familjehem och 78
    # på HVB") counts the whole.
    part_of: str | None = None


@dataclass(frozen=True)
class _Entry:
    metric: Metric
    require: tuple[tuple[str, ...], ...]
    exclude: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    per: str | None = None
    topic: tuple[tuple[str, ...], ...] = ()
    nouns: tuple[str, ...] = ()
    counts: str | None = None  # the class of noun a count of this indicator counts
    counted: str | None = None  # matches only a count of a noun of this class
    share_of: str | None = None  # the class of noun a share of this indicator is taken of
    topic_exclude: tuple[str, ...] = ()  # a title holding one is about another field

    @property
    def weight(self) -> int:
        """Return how specific the entry is: the number of word groups it needs."""
        return len(self.require) + len(self.topic)


class _Context:
    """The catalog terms a figure's words contain: its clause's, the topic's, its noun's.

    A plain class with read-only (Final) attributes, not a frozen dataclass:
    each figure makes two or three, and a frozen dataclass's __init__ costs four times as much.
    """

    __slots__ = ("counts", "noun", "present", "topic")

    def __init__(
        self,
        present: frozenset[str],
        topic: frozenset[str],
        noun: frozenset[str] | None,
        counts: str | None = None,
    ) -> None:
        self.present: Final = present
        self.topic: Final = topic
        self.noun: Final = noun
        self.counts: Final = counts


_RECENT_TEXTS = 8


class _TermIndex:
    """Every term of the catalog, to find those a text contains in a few set operations.

    A term is a phrase (matched in the folded text), an exact lemma ("=man") or a
    compound part ("bistånd" in "biståndshushåll"). A text is read piece by piece, a
    piece being what lies between white space ("biståndshushåll,"): what each distinct
    piece contains is computed once and remembered, since texts repeat their words.
    """

    def __init__(self, terms: Iterable[str]) -> None:
        unique = set(terms)
        self.phrases = tuple(sorted(t for t in unique if " " in t))
        self.exact = frozenset(t[1:] for t in unique if t.startswith("=") and " " not in t)
        self.parts = tuple(sorted(t for t in unique if " " not in t and not t.startswith("=")))
        # A part of four letters or more counts inside a word ("bistånd" in
        # "biståndshushåll"), a shorter one only as the whole word.
        self._short = frozenset(t for t in self.parts if len(t) < _MIN_PART)
        self._long = _Infixes(t for t in self.parts if len(t) >= _MIN_PART)
        self._phrase_groups = _phrase_groups(self.phrases)
        self._phrases_by_key = dict(self._phrase_groups)
        # Phrases without a word of letters have the empty key: every text may hold them.
        self._keyless = self._phrases_by_key.pop("", ())
        self._keys = _Infixes(self._phrases_by_key)
        self._by_word: dict[str, frozenset[str]] = {}
        self._by_token: dict[str, frozenset[str]] = {}
        self._by_piece: dict[str, tuple[frozenset[str], frozenset[str], bool]] = {}
        self._topics: dict[str, frozenset[str]] = {}
        # The terms of the last few texts asked: a figure's context is often asked again
        # by the next question about it. Too few to carry from one document to the next.
        self._recent: dict[str, frozenset[str]] = {}

    def present(self, text: str) -> frozenset[str]:
        """Return the terms a text contains: its words' and their lemmas', and its phrases."""
        recent = self._recent
        known = recent.get(text)
        if known is not None:
            return known
        if len(recent) >= _RECENT_TEXTS:
            recent.clear()
        terms = recent[text] = self._present(text)
        return terms

    def _present(self, text: str) -> frozenset[str]:
        found: set[str] = set()
        keys: set[str] = set()
        digits = False
        by_piece = self._by_piece
        lowered = scan.lowered(text)
        for piece in lowered.split():
            hit = by_piece.get(piece)
            if hit is None:
                hit = self._of_piece(piece)
            if hit[0]:
                found.update(hit[0])
            if hit[1]:
                keys.update(hit[1])
            if hit[2]:
                digits = True
        # A phrase's key word is a run of letters, which folding leaves as it is: only a
        # text holding a key can hold the phrases under it. The keys a text holds are
        # few, so only their groups are read, not every group of the catalog.
        if keys or self._keyless:
            # Without a digit there is no number to fold: the rest of _fold_space only.
            folded = _fold_space(text) if digits else " ".join(lowered.replace("-", " ").split())
            for phrase in self._keyless:
                if phrase in folded:
                    found.add(phrase)
            for key in keys:
                # (a substring test for each phrase of the group: most groups hold one or
                # two, and the short keys "och", "år" and "på" stand in many places)
                for phrase in self._phrases_by_key[key]:
                    if phrase in folded:
                        found.add(phrase)
        return frozenset(found)

    def _of_piece(self, piece: str) -> tuple[frozenset[str], frozenset[str], bool]:
        """Return the terms of one piece of lower-cased text, the phrase keys it holds and
        whether it holds a digit.

        A key has no white space, so a text holds it only inside one of its pieces.
        """
        terms: frozenset[str] = frozenset()
        for token in _WORD.findall(piece):
            known = self._by_token.get(token)
            terms |= self._of_token(token) if known is None else known
        found = (terms, frozenset(self._keys.within(piece)), _DIGITS.search(piece) is not None)
        if len(self._by_piece) < _MAX_CACHED_WORDS:
            self._by_piece[piece] = found
        return found

    def _of_token(self, token: str) -> frozenset[str]:
        """Return the terms of one word as written: its own, its lemma's, its parts' lemmas'."""
        hit = self._of_word(token) | self._of_word(lemma(token))
        if "-" in token:
            for part in token.split("-"):
                hit |= self._of_word(lemma(part))
        if len(self._by_token) < _MAX_CACHED_WORDS:
            self._by_token[token] = hit
        return hit

    def _of_word(self, word: str) -> frozenset[str]:
        hit = self._by_word.get(word)
        if hit is None:
            terms = {t for t in self._long.within(word) if self._part_of(t, word)}
            if word in self._short:
                terms.add(word)
            if word in self.exact:
                terms.add("=" + word)
            hit = frozenset(terms)
            if len(self._by_word) < _MAX_CACHED_WORDS:
                self._by_word[word] = hit
        return hit

    @staticmethod
    def _part_of(term: str, word: str) -> bool:
        """Whether a term found inside a word is a part of it, not letters across its parts.

        A long term inside a word is a compound's part ("hushåll" in "biståndshushållen").
        A short one standing after the word's first letters may be letters of another
        word: "domar" in "ungdomar", "intern" in "vintern". It counts when the word's
        lemma still holds it or its lemma ("anmälan" in "orosanmälan").
        """
        if len(term) > _SHORT_HEAD or word.startswith(term) or term == word:
            return True
        whole = lemma(word)
        return term in whole or lemma(term) in whole

    def context(self, context: str, *, topic: str = "", noun: str | None = None) -> _Context:
        lowered = scan.lowered(context)
        if "lvu" in lowered or "vård av unga" in lowered:
            context = _BOTH_LAWS.sub(" ", context)
        if "boende" in lowered:
            # "bistånd som avser boende" is an insats (a home) under SoL, no money
            context = _HOUSING_AID.sub(" boendeinsats ", context)
        if "intresseanm" in lowered:
            # "Intresseanmälningar från allmänheten" offer a home: no anmälan about a child
            context = _INTEREST_SHOWN.sub(" intressebesked ", context)
        if "i vissa fall" in lowered:
            # "med stöd av lagen (1988:870) om vård av missbrukare i vissa fall": LVM
            context = _LVM_SPELLED.sub(" LVM ", context)
        present = self.present(context)
        topic_terms = self._topic(topic) if topic else frozenset()
        if not noun:
            return _Context(present, topic_terms, None)
        base = lemma(noun.lower())
        return _Context(present, topic_terms, self._of_word(base), noun_class(base))

    def _topic(self, topic: str) -> frozenset[str]:
        # One document asks with its title for every figure, and with the title and a
        # section's heading: remember the last two.
        known = self._topics.get(topic)
        if known is None:
            if len(self._topics) >= _TOPICS:
                self._topics.clear()
            known = self._topics[topic] = self.present(topic)
        return known


# "enligt SoL och/eller LVU", "SoL eller LVU": both laws name the whole of the care, never
# the part given under LVU.
_LVM_SPELLED = re.compile(
    r"\blag(?:en)?\s+(?:\(\d{4}:\d+\)\s+)?om\s+vård\s+av\s+missbrukare\s+i\s+vissa\s+fall\b",
    re.I,
)
_BOTH_LAWS = re.compile(
    r"\b(?:sol|socialtjänstlagen(?:\s*\(sol\))?)\s*(?:och\s*/\s*eller|och|eller|/)\s*"
    r"(?:lvu|lagen\s+med\s+särskilda\s+bestämmelser\s+om\s+vård\s+av\s+unga(?:\s*\(lvu\))?)",
    re.I,
)
_INTEREST_SHOWN = re.compile(r"\bintresseanmäl\w*", re.I)
_HOUSING_AID = re.compile(
    r"\bbistånd(?:et)?\s+(?:som\s+avser|i\s+form\s+av|till|med)\s+boende\b|\bboendebistånd\w*",
    re.I,
)
_MAX_CACHED_WORDS = 200_000
_TOPICS = 2
_MIN_PART = 4
# A part of up to this many letters, inside a word, is checked against the word's lemma.
_SHORT_HEAD = 6


class _Infixes:
    """Strings to find inside words, filed under their first two letters.

    A word is tested only for the strings that start with a pair of letters it holds,
    not for every string: a few lookups per letter instead of a hundred substring tests.
    """

    def __init__(self, strings: Iterable[str]) -> None:
        self._by_start: dict[str, list[str]] = {}
        self._single: list[str] = []
        for string in strings:
            if len(string) < 2:
                self._single.append(string)
            else:
                self._by_start.setdefault(string[:2], []).append(string)

    def within(self, word: str) -> set[str]:
        """Return the strings that stand somewhere in the word."""
        found = {s for s in self._single if s in word}
        by_start = self._by_start
        for i in range(len(word) - 1):
            for string in by_start.get(word[i : i + 2], ()):
                if word.startswith(string, i):
                    found.add(string)
        return found


_MIN_KEY = 4


def _phrase_groups(phrases: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Group phrases under a key word each contains: a long word that many phrases share.

    A phrase can only be in a text that holds its key, so one substring test per key
    rules out most phrases at once; short words ("i", "av") would rule out too little.
    A phrase without a word of letters gets the empty key, which every text holds.
    """
    phrases = tuple(phrases)
    shared: dict[str, int] = {}
    for phrase in phrases:
        for word in set(phrase.split()):
            if word.isalpha():
                shared[word] = shared.get(word, 0) + 1
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        words = [w for w in phrase.split() if w.isalpha()]
        words = [w for w in words if len(w) >= _MIN_KEY] or words
        key = max(words, key=lambda w: (shared[w], len(w), w)) if words else ""
        groups.setdefault(key, []).append(phrase)
    return tuple((key, tuple(group)) for key, group in sorted(groups.items()))


class CatalogError(IfoWatchError):
    """The catalog file is missing or malformed."""


class Catalog:
    """The known indicators, looked up by key (alias-aware) or by the words around a figure."""

    def __init__(self, entries: Iterable[_Entry]) -> None:
        self._entries = tuple(entries)
        self._by_key: dict[str, Metric] = {}
        self._canonical: dict[str, str] = {}
        for entry in self._entries:
            metric = entry.metric
            if metric.group is None or metric.key not in self._by_key:
                self._by_key[metric.key] = metric  # a key's own metric is its whole's
            self._canonical[metric.key] = metric.key
            for alias in metric.aliases:
                self._canonical.setdefault(alias, metric.key)
        self._derived: dict[str, Metric] = {}
        # The forms of a whole, each by the words that name it (familjehem, HVB, … of the
        # children placed), and the keys whose every entry asks the page's topic.
        self._forms: dict[str, list[tuple[str, frozenset[str]]]] = {}
        by_topic: dict[str, bool] = {}
        for entry in self._entries:
            metric = entry.metric
            if metric.part_of and entry.require:
                self._forms.setdefault(metric.part_of, []).append(
                    (metric.key, frozenset(entry.require[0]))
                )
            by_topic[metric.key] = by_topic.get(metric.key, True) and bool(entry.topic)
        self._topic_keys = frozenset(k for k, every in by_topic.items() if every)
        # The words an indicator's own terms say ("hem för vård eller boende" for barn_hvb).
        self._said: dict[str, set[str]] = {}
        for entry in self._entries:
            words = self._said.setdefault(entry.metric.key, set())
            for term in (*entry.nouns, *(t for g in entry.require for t in g)):
                words.update(content_words(term.removeprefix("=")))
        self._weights: dict[str, int] = {}
        for entry in self._entries:
            key = entry.metric.key
            self._weights[key] = max(self._weights.get(key, 0), entry.weight)
        self._counts: dict[str, str] = {}
        self._groups: set[tuple[str, str]] = set()  # (key, group) an entry counts
        for entry in self._entries:
            if entry.counts is not None:
                self._counts.setdefault(entry.metric.key, entry.counts)
            if entry.metric.group is not None:
                self._groups.add((entry.metric.key, entry.metric.group))
        # An entry can only match when a term of its first group is present.
        self._triggered: dict[str, list[int]] = {}
        for index, entry in enumerate(self._entries):
            for term in entry.require[0] if entry.require else ():
                self._triggered.setdefault(term, []).append(index)
        self._terms = _TermIndex(
            t
            for e in self._entries
            for t in (
                *e.exclude,
                *e.topic_exclude,
                *e.nouns,
                *(t for g in (*e.require, *e.topic) for t in g),
            )
        )

    @classmethod
    def load(cls, path: Path | None = None) -> Catalog:
        """Read the catalog TOML (default: the one shipped in the package)."""
        path = path or data_file("catalog.toml")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise CatalogError(f"cannot read catalog {path}: {exc}") from exc
        return cls(_entry(raw) for raw in data.get("metric", []))

    @property
    def metrics(self) -> tuple[Metric, ...]:
        """Return the catalogued metrics in file order, each key once."""
        keys = dict.fromkeys(entry.metric.key for entry in self._entries)
        return tuple(self._by_key[key] for key in keys)

    def get(self, key: str) -> Metric | None:
        """Return the metric for a key or one of its old names, or None when unknown.

        Keys of change metrics ("okning_<key>") resolve through the level's entry, keys
        of a period scope ("<key>_kvartal") through the metric's.
        """
        canonical = self.canonical(key)
        if canonical not in self._by_key and canonical in self._derived:
            return self._derived[canonical]
        if canonical in self._by_key:
            return self._by_key[canonical]
        parts = _change_parts(canonical)
        level = self._by_key.get(parts[1]) if parts else None
        if parts and level is not None:
            return self._change_metric(level, parts[0], unit=parts[2])
        return self._derived.get(canonical)

    def rate_of(self, count: Metric, per: str) -> Metric:
        """Return the rate of a catalogued count per a population: "Räknat per 100 000
        invånare blir det 91,4" after the count of vuxna with öppenvård, a column "Per
        100 000 inv." beside it. The same key from prose and tables, the count's scope
        (a census day) kept at the end by `in_period_scope`."""
        base = _SCOPE_TAIL.sub("", count.key)
        label = count.label
        return self._remember(
            Metric(
                key=f"{base}_per_{_slug(per.replace(' ', ''))}",
                label=f"{label} per {per}",
                unit="antal",
                catalogued=True,
                group=count.group,
            )
        )

    def level_of(self, change: Metric) -> Metric | None:
        """Return the level a catalogued change metric is the change of ("hemlosa" for
        "okning_hemlosa_antal"), or None for a level or a change the catalog does not know.
        """
        parts = _change_parts(self.canonical(change.key))
        return self._by_key.get(parts[1]) if parts else None

    def canonical(self, key: str) -> str:
        """Return the current key for an old one (an alias), or the key itself."""
        if key in self._canonical:
            return self._canonical[key]
        prefix, _, rest = key.partition("_")
        if prefix in ("okning", "minskning", "forandring") and rest in self._canonical:
            return f"{prefix}_{self._canonical[rest]}"
        return key

    def identify(
        self,
        context: str,
        *,
        unit: str,
        measure: str,
        per: str | None,
        focus: str | None = None,
        topic: str = "",
        noun: str | None = None,
        direction: str | None = None,
        phrase: str | None = None,
        besides: str | None = None,
        clause_rules: str | None = None,
    ) -> Metric:
        """Return the catalogued metric the context names, or one derived from its words.

        `context` is the clause around the figure with the numbers taken out; `focus`
        the words nearest the figure, which win over the clause unless the clause's
        match refines the focus's (more of the same words); `topic` what the document
        is about (its title), which only satisfies an entry's `topic` groups; `noun`
        the word the number counts ("434 000 personer"); `besides` a key not to give;
        `clause_rules`: words that speak of this figure alone, so an entry they rule out
        never wins from the focus ("Stödboende var den tredje vanligaste
        placeringsformen med 2 100 placerade" counts no placements in general).
        A change gets its own metric,
        keyed by direction ("okning_<level key>"); without a catalogued match the key
        is derived from the focus words.
        """
        ctx = self._terms.context(context, topic=topic, noun=noun)
        near_ctx = self._terms.context(focus, topic=topic, noun=noun) if focus else None
        entry = self._match(
            ctx,
            unit=unit,
            measure=measure,
            per=per,
            besides=besides,
            nearer=near_ctx.present if near_ctx else frozenset(),
        )
        if near_ctx is not None:
            near = self._match(near_ctx, unit=unit, measure=measure, per=per, besides=besides)
            if (
                near is not None
                and (entry is None or not _refines(entry, near))
                and (
                    near is entry
                    or not clause_rules
                    or not near.exclude
                    or self._terms.present(clause_rules).isdisjoint(near.exclude)
                )
            ):
                entry = near
        if entry is None and ctx.counts is not None and ctx.topic:
            entry = self._from_topic(ctx, unit=unit, measure=measure, per=per)
        if entry is not None:
            if measure == "change":
                if direction in _DIRECTIONS:
                    return self._change_metric(entry.metric, direction, unit=unit)
                return self._change_of(entry.metric, _lemmas(context), unit=unit)
            return entry.metric
        return self._derive(
            focus if focus is not None else context,
            unit=unit,
            measure=measure,
            per=per,
            direction=direction,
            phrase=phrase,
        )

    def _from_topic(
        self, ctx: _Context, *, unit: str, measure: str, per: str | None
    ) -> _Entry | None:
        """Return the entry the title names for a count its own clause does not place.

        "Kartläggningen omfattar 27 383 personer" on a page about hemlöshet counts persons
        in hemlöshet: the title fills the subject the clause leaves out (called only when
        the clause alone matches nothing), and only an entry counting the same class of
        noun may take it.
        """
        # The title's own population words ("men över 9 400 barn berörs") neither say nor
        # rule out who the clause counts: its noun does.
        said = frozenset(t for t in ctx.topic if not _is_population(t))
        widened = _Context(ctx.present | said, frozenset(), ctx.noun, ctx.counts)
        entry = self._match(widened, unit=unit, measure=measure, per=per)
        if entry is None:
            return None
        # ("Med de vuxna följde 96 barn" on a page about skyddat boende: the entry of the
        # children there, a group named by its own noun)
        named = (
            entry.metric.group is not None
            and ctx.noun is not None
            and not ctx.noun.isdisjoint(entry.nouns)
        )
        return entry if entry.counts == ctx.counts or named else None

    def _match(
        self,
        ctx: _Context,
        *,
        unit: str,
        measure: str,
        per: str | None,
        besides: str | None = None,
        nearer: frozenset[str] = frozenset(),
    ) -> _Entry | None:
        """Return the best entry the context matches; of two as specific, the one whose
        words stand nearer the figure (`nearer`: the terms of its focus)."""
        wanted_per = _norm_per(per)
        hit: set[int] = set()
        for term in ctx.present:
            hit.update(self._triggered.get(term, ()))
        if ctx.noun is None:
            for term in (t for t in ctx.topic if _is_population(t)):
                hit.update(self._triggered.get(term, ()))
        candidates = [
            e
            for e in (self._entries[i] for i in sorted(hit))
            if e.per == wanted_per and e.metric.key != besides
        ]
        if measure == "change":
            preferred = [e for e in candidates if _unit_fits_change(e, unit)]
            return self._best(preferred, ctx, nearer) or self._best(candidates, ctx, nearer)
        return self._best([e for e in candidates if not e.units or unit in e.units], ctx, nearer)

    @staticmethod
    def _best(
        entries: Iterable[_Entry], ctx: _Context, nearer: frozenset[str] = frozenset()
    ) -> _Entry | None:
        best: _Entry | None = None
        best_near = (0, False)
        for entry in entries:
            if not _matches(entry, ctx):
                continue
            # Of two as specific: the one whose words stand nearer, then the one naming
            # the very noun counted ("3 500 vuxna": the adults' entry, not the persons').
            near = (
                sum(1 for group in entry.require if not nearer.isdisjoint(group)),
                ctx.noun is not None and not ctx.noun.isdisjoint(entry.nouns),
            )
            if best is None or (entry.weight, *near) > (best.weight, *best_near):
                best, best_near = entry, near
        return best

    def ruled_out(self, key: str, context: str) -> bool:
        """Tell whether a clause's own words rule out every entry of a key.

        "Kommunen står för ungefär hälften av länets anmälningar" leans on no share of
        all children, whatever figure came before.
        """
        excluded = self._exclusions(key, context)
        return bool(excluded) and all(excluded)

    def excluded_by(self, key: str, context: str) -> bool:
        """Tell whether words rule out an entry of a key ("lex Sarah" the bare "anmälan")."""
        return any(self._exclusions(key, context))

    def _exclusions(self, key: str, context: str) -> list[bool]:
        """Return, for each entry of a key with words that rule it out, whether the
        context holds one of them."""
        entries = [e for e in self._entries if e.metric.key == key and e.exclude]
        if not entries:
            return []
        present = self._terms.present(context)
        return [not present.isdisjoint(e.exclude) for e in entries]

    def whole_of_forms(self, key: str, context: str) -> Metric | None:
        """Return the whole a form's indicator is part of when a text names two or more
        of its forms ("bo i familjehem, på HVB eller i stödboende": children placed),
        else None."""
        info = self._by_key.get(key)
        whole = info.part_of if info is not None else None
        if whole is None:
            return None
        present = self._terms.present(context)
        named = {
            form for form, words in self._forms.get(whole, ()) if not present.isdisjoint(words)
        }
        return self.get(whole) if len(named) >= 2 else None

    def relies_on_topic(self, key: str) -> bool:
        """Tell whether every entry of a key asks the page's topic for part of its words."""
        return key in self._topic_keys

    def specificity(self, key: str) -> int:
        """Return how many word groups the most specific entry of a key asks for (0: none)."""
        return self._weights.get(key, 0)

    def counts(self, key: str) -> str | None:
        """Return the class of noun a catalogued count counts ("person"), or None; a
        count at a time of its own ("barn_hvb_halvar", "vuxna_lvm_1_nov") counts as its
        indicator does."""
        found = self._counts.get(key)
        if found is None and _SCOPE_TAIL.search(key):
            found = self._counts.get(_SCOPE_TAIL.sub("", key))
        return found

    def has_group(self, key: str, group: str) -> bool:
        """Tell whether the catalog counts a group of an indicator ("vuxna" of persons)."""
        return (key, group) in self._groups

    def speaks_of(self, key: str, context: str) -> bool:
        """Tell whether a text holds a word of a key's own (not of whom it counts, nor
        "kommun"): "De utgjorde 39 procent av alla biståndshushåll" speaks of the
        households with långvarigt bistånd the sentence before counted."""
        own = {
            t
            for e in self._entries
            if e.metric.key == key
            for group in e.require
            for t in group
            if not _is_population(t) and t.removeprefix("=") != "kommun"
        }
        return not own.isdisjoint(self._terms.present(context))

    def says_all(self, key: str, text: str) -> bool:
        """Tell whether every content word of a text is one a key's own terms say
        ("Antal hushåll" for the households with ekonomiskt bistånd)."""
        said = self._said.get(key, set())
        words = content_words(text)
        return bool(words) and all(w in said or any(s.endswith(w) for s in said) for w in words)

    def named_in(self, context: str) -> frozenset[str]:
        """Return the keys of the indicators a text names a leading word of ("socialjour").

        Such a word is no match on its own, but tells which earlier indicator a
        referring clause ("en sådan socialjour") leans on.
        """
        keys: set[str] = set()
        for term in self._terms.present(context):
            for index in self._triggered.get(term, ()):
                keys.add(self._entries[index].metric.key)
        return frozenset(keys)

    def change_of(
        self,
        level: Metric,
        context: str,
        *,
        unit: str = "procent",
        direction: str | None = None,
    ) -> Metric:
        """Return the change metric of a level metric, its direction read from the context."""
        if level.measure == "change":
            return level
        if direction in _DIRECTIONS:
            return self._change_metric(level, direction, unit=unit)
        return self._change_of(level, _lemmas(context), unit=unit)

    def _change_of(self, level: Metric, words: frozenset[str], *, unit: str) -> Metric:
        return self._change_metric(level, _direction(words), unit=unit)

    def _change_metric(self, level: Metric, direction: str, *, unit: str) -> Metric:
        """Return the change metric of a level: its direction, and its unit when not procent.

        "ökade med 12 procent" and "1 300 fler" are two indicators: a relative change and
        an absolute one (in antal, kronor or procentenheter) never compare with each other.
        """
        tail = _CHANGE_UNIT.get(unit, "")
        key = f"{direction}_{level.key}{tail}"
        noun = {"okning": "Ökning", "minskning": "Minskning"}.get(direction, "Förändring")
        label = f"{noun} av {level.label[0].lower()}{level.label[1:]}"
        if tail:
            label += f" ({_CHANGE_UNIT_LABEL[unit]})"
        return self._remember(
            Metric(
                key=key,
                label=label,
                unit=None,
                measure="change",
                catalogued=True,
                aliases=tuple(f"{direction}_{alias}{tail}" for alias in level.aliases),
                group=level.group,
            )
        )

    def in_period_scope(
        self,
        metric: Metric,
        period: str | None,
        noun: str | None = None,
        *,
        months_said: bool = True,
    ) -> Metric:
        """Return the metric of a figure about a quarter, a half-year or a day of the year.

        A quarter's payments are not a year's, and the children placed "den 1 november"
        are not those placed "under året": such figures get a key of their own
        ("<key>_kvartal", "<key>_1_nov"), the same every year, so they compare with
        each other and never with the yearly figure. A day only sets apart those in care
        on it (`noun`, the counted noun, tells): a survey's share of kommuner or its
        vacant posts "den 1 oktober" are the survey's figure whatever day it names.
        """
        scope = _period_scope(period)
        if scope is None or metric.key.endswith(scope[0]) or metric.key.endswith(_PER_TIME):
            return metric  # an average per month or day compares whatever span it covers
        if scope[0] in _MONTH_TAILS and not months_said:
            # an interim report's "januari–augusti" over all its figures: the sentence
            # must name the months for its figure to be a month's or the year so far's
            return metric
        tail, words = scope
        share = metric.unit == "procent" and metric.measure != "change"
        if share and tail in _PARTS_OF_YEAR:
            return metric  # a share of the adults is a share, over a quarter or a year
        if tail not in _PARTS_OF_YEAR and (
            metric.unit == "kronor" or (noun is not None and _counts_stock(noun))
        ):
            return metric  # (a sum of money is a year's flow whatever day it is told on)
        return self._narrowed(metric, tail, f"{metric.label} ({words})")

    def extreme(self, metric: Metric, end: str, level: str | None = None) -> Metric:
        """Return the metric of the lowest or highest value of a spread ("som lägst 3,9").

        The extremes over places have keys of their own ("<key>_lagst", "<key>_hogst"),
        with the kind of place ranked when the text says ("<key>_hogst_lan"): next year's
        highest county is compared with this year's, never with a county's ordinary
        figure nor with the highest kommun.
        """
        tail, word = ("_lagst", "lägsta") if end == "lägst" else ("_hogst", "högsta")
        where = _RANKED_LEVELS.get(level or "")
        if where is not None:
            tail, word = f"{tail}_{where[0]}", f"{word} {where[1]}"
        metric = self.spread_whole(metric)  # the other end, leaned on: its indicator's
        return self._narrowed(metric, tail, f"{metric.label}, {word} värdet")

    @staticmethod
    def spread_whole(metric: Metric) -> Metric:
        """Return the indicator a spread's end is an end of ("<key>_lagst_lan" -> "<key>")."""
        if not is_spread_end(metric.key):
            return metric
        label = _SPREAD_END_LABEL.sub("", metric.label)
        return replace(metric, key=spread_whole_key(metric.key), label=label)

    def accounting(self, metric: Metric, tail: str, words: str) -> Metric:
        """Return the metric of a budget or of a deviation from budget.

        A kommun's accounts set "Budget" and "Avvikelse" beside the outcome ("Utfall"):
        each has a key of its own ("<key>_budget"), never compared with the outcome.
        """
        if metric.key.endswith(tail):
            return metric
        return self._narrowed(metric, tail, f"{metric.label} ({words})")

    def median_of(self, metric: Metric) -> Metric:
        """Return the metric of an indicator's median ("Mediantiden var 114 dagar").

        The middle value is a statistic of its own, never compared with the mean ("i
        genomsnitt 127 dagar") that the indicator's plain key carries.
        """
        if "median" in metric.key:
            return metric  # "medianalder_lvm": the entry is a median already
        return self.accounting(metric, "_median", "median")

    def excluding(self, metric: Metric, part: str, words: str) -> Metric:
        """Return the metric of a total with a part left out ("exklusive flyktinghushåll").

        A total without a part is an indicator of its own, the same every year: it
        never compares with the whole total. `part` is the key tail's slug, `words`
        what the label says.
        """
        tail = f"_exkl_{_slug(part)}"
        if tail in metric.key:
            return metric
        return self._narrowed(metric, tail, f"{metric.label} (exklusive {words})")

    def composition(self, count: Metric) -> Metric:
        """Return the metric of the split by sex of what a count counts.

        "51 procent pojkar och 49 procent flickor" of the children in familjehem: one
        indicator, its parts told apart by their group, never the share of all placed
        children who live in familjehem.
        """
        base = _SCOPE_TAIL.sub("", count.key.removesuffix("_andel_kon"))
        return self._remember(
            Metric(
                key=f"{base}_andel_kon",
                label=f"Könsfördelning: {count.label[0].lower()}{count.label[1:]}",
                unit="procent",
                catalogued=count.catalogued,
            )
        )

    def share_of_sex(self, count: Metric, sex: str) -> Metric:
        """Return the metric of one sex's share of what a count counts, said alone.

        "Av de tvångsvårdade var 34 procent kvinnor", "kvinnornas andel var 31 procent":
        the women's share is the indicator, followed year by year; no group.
        """
        base = _SCOPE_TAIL.sub("", count.key.removesuffix("_andel_kon"))
        return self._remember(
            Metric(
                key=f"{base}_andel_{_slug(sex)}",
                label=f"Andel {sex}: {count.label[0].lower()}{count.label[1:]}",
                unit="procent",
                catalogued=count.catalogued,
            )
        )

    def for_recipients(self, metric: Metric, who: str) -> Metric:
        """Return the metric of a share of kommuner that serve one sex ("till våldsutövande män").

        The kommuner are counted, not the women or men: the sex the service is for is a
        part of the indicator, not a group of the figure.
        """
        tail = f"_{_slug(who)}"
        if metric.key.endswith(tail):
            return metric
        for other in _SERVED_TAILS:
            if metric.key.endswith(other) and other != tail:
                # "85 procent … till kvinnor och 86 procent till män": the second item's
                # indicator is the first's whole, for the other sex
                whole = self.get(metric.key.removesuffix(other))
                if whole is not None:
                    metric = whole
                break
        return self._narrowed(metric, tail, f"{metric.label} – {who}")

    def breakdown(
        self, metric: Metric, words: str, whole: str = "", *, modifiers_only: bool = False
    ) -> Metric:
        """Return the metric of one part of an indicator a table breaks down by row.

        "Vård för vuxna med missbruksproblem" under "Kommunernas kostnader för individ-
        och familjeomsorg efter verksamhetsområde" is the cost of one area, not of the
        whole: its key is the whole's with the row's words, the same in every year's
        table. Returns `metric` when the words hold no content word that `whole` (the
        caption) does not already say. With `modifiers_only`, only a word standing right
        before one the metric says narrows it ("konsulentstödda familjehem").
        """
        said_whole = (*content_words(f"{whole} {metric.label}"), *self._said.get(metric.key, ()))

        def said(word: str) -> bool:
            return word in _WHOLE_WORDS or any(_same_stem(word, c) for c in said_whole)

        if modifiers_only:
            written = [w for w in _words(words.lower()) if _content_lemma(w)]
            own = [
                _content_lemma(w)
                for w, nxt in pairwise(written)
                if _MODIFIER.search(w) and not said(_content_lemma(w)) and said(_content_lemma(nxt))
            ]
        else:
            own = [w for w in dict.fromkeys(content_words(words)) if not said(w)]
        parts = [_slug(w) for w in own][:_MAX_DERIVED_WORDS]
        if not parts:
            return metric  # "Totala kostnader", "Summa": the whole itself
        shown = _PART_OF.sub("", " ".join(words.split())).strip(" ,.;:–-")
        return self._narrowed(metric, "_" + "_".join(parts), f"{metric.label}: {shown}")

    def narrowed_by_noun(self, metric: Metric, noun: str) -> Metric:
        """Return the metric of a count whose noun narrows what the indicator counts.

        "två spädbarn har omhändertagits enligt LVU" counts infants, a part of the
        children of barn_lvu with an indicator of its own: a compound ending in the
        class word the indicator counts ("späd|barn") whose first part none of the
        indicator's words say ("bistånds|hushåll" is the households' own) narrows it.
        """
        counted = self._counts.get(metric.key)
        word = lemma(noun.lower())
        if counted is None or noun_class(word) != counted or "-" in word:
            return metric
        head = next((w for w in _CLASS_SUFFIXES if word.endswith(w) and word != w), None)
        if head is None or _CLASS_OF[head] != counted:
            return metric
        first = word[: -len(head)].removesuffix("s")
        said = (*content_words(metric.label), *self._said.get(metric.key, ()))
        if first in _NOT_NARROWING:
            return metric  # "628 vårdplatser" are the places of care the indicator counts
        if len(first) < _MIN_STEM - 1 or any(w.startswith(first) for w in said):
            return metric
        return self._narrowed(metric, f"_{_slug(word)}", f"{metric.label} – {noun.lower()}")

    def _narrowed(self, metric: Metric, tail: str, label: str) -> Metric:
        """Return a metric narrowed from another: its key and aliases with a tail added."""
        return self._remember(
            replace(
                metric,
                key=f"{metric.key}{tail}",
                label=label,
                aliases=tuple(f"{alias}{tail}" for alias in metric.aliases),
            )
        )

    def _derive(
        self,
        context: str,
        *,
        unit: str,
        measure: str,
        per: str | None,
        direction: str | None = None,
        phrase: str | None = None,
    ) -> Metric:
        """Return a metric keyed by the content words near a figure, labelled in Swedish.

        The label quotes the words the text itself puts after the figure (`phrase`,
        "av kommunerna samarbetar med skolan"), which a reader understands, rather
        than the lemmas the key is built from.
        """
        if "de " in context or "De " in context:
            context = _SET_SIZE.sub(" ", context)
        words = list(content_words(context))
        if measure != "change":
            direction = ""
        elif direction not in _DIRECTIONS:
            direction = _direction(frozenset(words))
        words = [
            _duration_stem(w) if unit in _DURATION_UNITS else w
            for w in words
            if w not in _RISE
            and w not in _FALL
            and w not in _AGENCIES
            and w not in LIGHT_VERBS
            # "kostade 2,6 miljarder kronor", "Kostnader, miljoner kronor": an amount's
            # own words say nothing its unit does not
            and not (unit == "kronor" and w in _AMOUNT_WORDS)
            # the mean is what a figure states unless it says otherwise ("den genomsnittliga
            # vistelsetiden 38 dygn", "i genomsnitt 41 dygn per vistelse")
            and w not in _MEAN_WORDS
        ][:_MAX_DERIVED_WORDS]
        if "barn" in words and "ung" in words:
            # "barn och unga" is the children the statistics count, as "barn" is
            words = [w for w in words if w != "ung"]
        body = sorted(set(words)) or ["okant"]
        prefix = _UNIT_PREFIX.get(unit, _slug(unit))
        parts = [direction, prefix, *[_slug(w) for w in body]]
        per_norm = _norm_per(per)
        if per_norm:
            parts += ["per", _slug(per_norm)]
        key = "_".join(p for p in parts if p)
        said = " ".join((phrase or "").split()).strip(" ,.;:–-")
        label = f"{_UNIT_LABEL.get(unit, unit.capitalize())}: {said or ', '.join(body)}"
        if per:
            label += f" per {per}"
        if measure == "change":
            label = f"Förändring – {label[0].lower()}{label[1:]}"
        return self._remember(
            Metric(key=key, label=label, unit=unit, measure=measure, catalogued=False)
        )

    def _remember(self, metric: Metric) -> Metric:
        self._derived.setdefault(metric.key, metric)
        return metric


# The kinds of place a ranking ranks: key word and label words of its extremes.
_RANKED_LEVELS = {"län": ("lan", "bland länen"), "kommun": ("kommun", "bland kommunerna")}
_SPREAD_END = re.compile(r"_(?:lagst|hogst)(?:_(?:lan|kommun))?$")


def is_spread_end(key: str) -> bool:
    """Tell whether a key is a spread's lowest or highest value ("<key>_hogst_lan")."""
    return _SPREAD_END.search(key) is not None


def spread_whole_key(key: str) -> str:
    """Return the key of the indicator a spread's end is an end of ("<key>_lagst_lan" ->
    "<key>"), or the key itself."""
    end = _SPREAD_END.search(key)
    return key[: end.start()] if end is not None else key


_SPREAD_END_LABEL = re.compile(r", (?:lägsta|högsta)(?: bland \w+)? värdet$")

_AMOUNT_WORDS = frozenset({"kostnad", "kosta", "utgift", "belopp", "bruttokostnad"})
_MEAN_WORDS = frozenset(
    {"genomsnitt", "genomsnittlig", "genomsnittligt", "snitt", "snitta", "medel", "medeltal"}
)
_DURATION_UNITS = frozenset({"dagar", "månader", "år", "veckor", "timmar"})


def _duration_stem(word: str) -> str:
    """Return a duration's word without the "tid" its unit says: "vistelsetiden" and
    "vistelse" name one length of stay."""
    for tail in ("tiden", "tid"):
        if word.endswith(tail) and len(word) > len(tail) + 4:
            return word[: -len(tail)]
    return word


# Words that name a whole or how it is measured, not a part of it ("Totalt", "Hushåll
# per månad, medeltal"); "därav" opens a part's name.
_WHOLE_WORDS = frozenset(
    {"total", "totalt", "summa", "samtlig", "sammanlagd", "kostnad", "alla", "medeltal"}
    | {"genomsnitt", "genomsnittlig", "snitt", "medelvärde"}
)
_PART_OF = re.compile(r"^\s*(?:därav|varav|av\s+dessa)\s+", re.I)


# An attributive adjective or participle as written ("konsulentstödda", "ensamkommande"),
# not a noun ("placering", "omhändertagande" aside).
_MODIFIER = re.compile(r"(?:[^n]a|[dt]e|ade|ande|ende)$")


# The tails `for_recipients` gives ("_kvinnor", "_man", …)
_SERVED_TAILS = ("_kvinnor", "_man", "_flickor", "_pojkar")
# First parts of a compound that say no more than its head in this field ("vårdplats").
_NOT_NARROWING = frozenset({"vård", "boende"})


def _same_stem(a: str, b: str) -> bool:
    """Tell whether two lemmas are one word inflected or compounded on the same head
    ("heldygnsinsats", "heldygnsinsatser"; "familjehem", "familjehemsvård")."""
    short, long = sorted((a, b), key=len)
    if short == long or (len(short) >= _MIN_STEM and long.startswith(short)):
        return True
    # a hyphenated compound ends in the other ("sarah-anmälning", "anmälning")
    return "-" in long and long.rsplit("-", 1)[1] == short


_MIN_STEM = 5


def _entry(raw: dict[str, Any]) -> _Entry:
    try:
        key = str(raw["key"])
        metric = Metric(
            key=key,
            label=str(raw["label"]),
            unit=raw.get("unit"),
            measure=str(raw.get("measure", "level")),
            aliases=tuple(raw.get("aliases", ())),
            min_abs=raw.get("min_abs"),
            min_rel=raw.get("min_rel"),
            group=raw.get("group"),
            part_of=raw.get("part_of"),
            intervals=tuple(
                (str(name), float(low), float(high))
                for name, (low, high) in raw.get("intervals", {}).items()
            ),
        )
        require = tuple(tuple(_fold(str(t)) for t in group) for group in raw["all"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"bad catalog entry {raw.get('key')!r}: {exc}") from exc
    units = raw.get("units", [metric.unit] if metric.unit else [])
    return _Entry(
        metric=metric,
        require=require,
        exclude=tuple(_fold(str(t)) for t in raw.get("none", ())),
        units=tuple(units),
        per=_norm_per(raw.get("per")),
        topic=tuple(tuple(_fold(str(t)) for t in group) for group in raw.get("topic", ())),
        nouns=tuple(_fold(str(t)) for t in raw.get("nouns", ())),
        counts=_label_counts(metric.label) if "antal" in units else None,
        share_of=_label_share_of(metric.label) if units == ["procent"] else None,
        counted=raw.get("counted"),
        topic_exclude=tuple(_fold(str(t)) for t in raw.get("not_topic", ())),
    )


def _matches(entry: _Entry, ctx: _Context) -> bool:
    if entry.counted is not None and ctx.counts != entry.counted:
        return False
    present = ctx.present
    if not present.isdisjoint(entry.exclude):
        return False
    if entry.topic_exclude and not ctx.topic.isdisjoint(entry.topic_exclude):
        return False
    for group in entry.require:
        if present.isdisjoint(group) and not _population_from_topic(group, ctx):
            return False
    for group in entry.topic:
        if present.isdisjoint(group) and ctx.topic.isdisjoint(group):
            return False
    if ctx.noun is not None and entry.nouns and not ctx.noun.isdisjoint(entry.nouns):
        return True
    if entry.metric.group is not None and entry.nouns:
        return False  # a group's entry ("3 500 vuxna") only by its own nouns, never the class's
    # "De rörde 243 000 barn" counts no anmälningar; "71 procent av kommunerna ... svårt
    # att rekrytera socialsekreterare med erfarenhet" is a share of the kommuner, never one
    # of the handläggare.
    of_class = entry.counts if entry.counts is not None else entry.share_of
    if ctx.counts is not None and of_class is not None:
        # children are a part of persons
        return of_class in (ctx.counts, _PART_CLASS.get(ctx.counts))
    return ctx.noun is None or not entry.nouns


_QUARTER = re.compile(r"\d{4}-Q[1-4](?:–\d{4}-Q[1-4])?")
_HALF = re.compile(r"\d{4}-H[12](?:–\d{4}-H[12])?")
_DAY = re.compile(r"\d{4}-(\d\d)-(\d\d)")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])(?:–\d{4}-(0[1-9]|1[0-2]))?")
# Months of one year: "2025-01-01–2025-09-30" (januari–september)
_MONTHS_SPAN = re.compile(r"(\d{4})-(\d\d)-01–(\d{4})-(\d\d)-(\d\d)")
_MONTH_NAMES: tuple[str, ...] = ("januari", "februari", "mars", "april", "maj", "juni")
_MONTH_NAMES += ("juli", "augusti", "september", "oktober", "november", "december")


_PER_TIME = ("_per_manad", "_per_dag", "_per_vecka", "_per_dygn")
# The tails _period_scope gives: a split of a day's count takes the day's tail once, after.
_SCOPE_TAIL = re.compile(r"_(?:kvartal|halvar|\d{1,2}_[a-z]{3}|vid_tidpunkt)$")


# Tails of the periods a flow is told over that are parts of a year, not days of it
_MONTH_TAILS = frozenset({"_manad", "_ackumulerat", "_manader"})
_PARTS_OF_YEAR = frozenset({"_kvartal", "_halvar"}) | _MONTH_TAILS


def _period_scope(period: str | None) -> tuple[str, str] | None:
    """Return the key tail and label words of a period shorter than a year, or None."""
    if not period or "-" not in period:
        return None  # a year or a span of years ("2021–2023"): no pattern below fits
    if _QUARTER.fullmatch(period):
        return "_kvartal", "kvartal"
    if _HALF.fullmatch(period):
        return "_halvar", "halvår"
    if _MONTH.fullmatch(period):
        return "_manad", "en månad"
    span = _MONTHS_SPAN.fullmatch(period)
    if span and span[1] == span[3] and span[2] < span[4] < "12":
        # "januari–september": the year so far, never the whole year; other months of
        # one year, a part of it
        return ("_ackumulerat", "året hittills") if span[2] == "01" else ("_manader", "månader")
    day = _DAY.fullmatch(period)
    if day and 1 <= int(day[1]) <= 12:
        month = _MONTH_NAMES[int(day[1]) - 1]
        if (int(day[1]), int(day[2])) == _CENSUS_DAY:
            return f"_{int(day[2])}_{month[:3]}", f"den {int(day[2])} {month}"
        # a kommun's count "den 31 augusti" in its interim report and "den 31 december" in
        # its annual report: one stock, whatever day a report is made up on
        return _AT_A_TIME, "vid en tidpunkt"
    return None


# The national statistics' census day (1 november): its counts are a series of their own.
_CENSUS_DAY = (11, 1)
_AT_A_TIME = "_vid_tidpunkt"


# Nouns a count counts, by class: an indicator of one class never takes a count of
# another ("512 000 anmälningar ... de rörde 243 000 barn").
_NOUN_CLASSES = {
    "barn": "barn ung unga ungdom pojke flicka spädbarn tonåring",
    "person": "person vuxen kvinna man människa individ mottagare klient missbrukare",
    "hushåll": "hushåll familj",
    "anmälan": "anmälan anmälning orosanmälan orosanmälning",
    "ansökan": "ansökan ansökning",
    "utredning": "utredning utredningar",
    "plats": "plats",
    "kommun": "kommun stadsdel",
    "handläggare": "handläggare socialsekreterare medarbetare anställd",
    "vårddygn": "vårddygn dygn",
    "vräkning": "vräkning avhysning",
    "ärende": "ärende",
    "bedömning": "förhandsbedömning bedömning",
    # homes and units counted as such ("1 220 HVB", "19 stödboenden", "31 nya familjehem")
    "verksamhet": "verksamhet hvb stödboende boende institution jourhem familjehem",
    "inspektion": "inspektion tillsyn",
    # decisions to take into care at once, never the children or adults they concern
    "omhändertagande": "omhändertagande",
    "tjänst": "tjänst befattning vakans årsarbetare",
    "län": "län",
}


def _counts_stock(noun: str) -> bool:
    """Tell whether a count or share of a noun on a given day counts what a survey counts
    whatever day it names (kommuner, places, staff, posts), not a day's stock of those in
    care apart from the year's flow (children, persons, households, insatser)."""
    word = lemma(noun.lower())
    return noun_class(word) in _STOCK_CLASSES or word.endswith(_STOCK_NOUNS)


_STOCK_CLASSES = frozenset(
    {"plats", "kommun", "handläggare", "län", "verksamhet", "inspektion", "tjänst", "ärende"}
)
_STOCK_NOUNS = ("obesatt", "vakant")  # "520 obesatta (tjänster)"
_LABEL_PREPOSITIONS = _wordset("om i med på per för som enligt av till från inom")
_CLASS_OF = {word: name for name, words in _NOUN_CLASSES.items() for word in words.split()}
_CLASS_SUFFIXES = sorted((w for w in _CLASS_OF if len(w) >= _MIN_CLASS_SUFFIX), key=len)[::-1]


@lru_cache(maxsize=4096)
def noun_class(word: str) -> str | None:
    """Return the class of a counted noun's lemma, a compound by its last part, or None."""
    found = _CLASS_OF.get(word)
    if found is not None:
        return found
    # a compound the lemma table lacks, inflected ("barnärenden"): its head, bare too
    bare = [word, *(word[: -len(end)] for end in _INFLECTIONS if word.endswith(end))]
    for suffix in _CLASS_SUFFIXES:
        if any(form.endswith(suffix) for form in bare):
            return _CLASS_OF[suffix]
    return None


_INFLECTIONS = ("na", "en", "n", "ar", "er")


def _label_counts(label: str) -> str | None:
    """Return the class of noun an indicator's label counts, read before its first preposition.

    "Inledda barnavårdsutredningar" counts utredningar, "Riskbedömningar om barn per dag"
    riskbedömningar (no class: any count may be one), never the barn they are about.
    """
    for word in _words(label.lower()):
        if word in _LABEL_PREPOSITIONS:
            return None
        found = noun_class(lemma(word))
        if found is not None:
            return found
    return None


def _label_share_of(label: str) -> str | None:
    """Return the class of noun a share's label takes it of: "Andel barn som …" and
    "Andel av hushållen som …" (the "av" after "Andel" opens the population)."""
    lowered = label.lower()
    for opening in ("andel av ", "andelen av "):
        if lowered.startswith(opening):
            return _label_counts(lowered[len(opening) :])
    return _label_counts(label)


def _is_population(term: str) -> bool:
    """Tell whether a catalog term ("barn", "=barn") names who is counted."""
    return term.removeprefix("=") in _POPULATION


# A class of counted noun that is a part of another: the children among the persons.
_PART_CLASS = {"barn": "person"}


def _population_from_topic(group: tuple[str, ...], ctx: _Context) -> bool:
    """Tell whether the document's topic supplies the population a clause leaves out.

    "Näst vanligast var HVB, med 8 300 placerade" on a page about barn och unga counts
    children: a group of population words only ("barn", "vuxen") is met by the title,
    unless the number counts a noun of its own ("8 300 hushåll").
    """
    return (
        ctx.noun is None
        and not ctx.topic.isdisjoint(group)
        and all(_is_population(term) for term in group)
    )


def _refines(broad: _Entry, narrow: _Entry) -> bool:
    """Tell whether `broad` asks for every word group `narrow` asks for, and more."""
    return broad.weight > narrow.weight and all(g in broad.require for g in narrow.require)


def _unit_fits_change(entry: _Entry, unit: str) -> bool:
    if not entry.units:
        return True
    if unit == "procentenheter":
        return "procent" in entry.units
    if unit == "procent":
        return True
    return unit in entry.units


def _direction(words: frozenset[str]) -> str:
    if words & _RISE:
        return "okning"
    if words & _FALL:
        return "minskning"
    return "forandring"


_PER_SPACE = re.compile(r"[\s\xa0\u202f]+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _norm_per(per: str | None) -> str | None:
    """Return a denominator as matched and keyed: "1 000 barn" is "1000barn"; a dygn, a
    vårddygn and a placeringsdygn are a dag."""
    if not per:
        return None
    folded = _PER_SPACE.sub("", _PER_AGES.sub("invånare", per.lower()))
    return _SAME_PER.get(folded, folded)


# "100 000 vuxna invånare", "100 000 invånare 18 år och äldre": the same denominator, the
# rate of an indicator that counts adults only
_PER_AGES = re.compile(
    r"(?:vuxna|äldre)\s+invånare|invånare\s+(?:\d+\s+år\s+och\s+äldre|över\s+\d+\s+år)|"
    r"(?<=\d\s)vuxna$"  # ("27,3 vårdade per 100 000 vuxna invånare": the per read so far)
)
_SAME_PER = dict.fromkeys(("dygn", "dygnet", "dagen", "vårddygn", "placeringsdygn"), "dag")
# the staff who carry cases, by any of their titles
_SAME_PER |= dict.fromkeys(
    ("socialsekreterare", "utredare", "barnutredare", "socionom"), "handläggare"
)


def _fold_space(text: str) -> str:
    return " ".join(_DIGITS.sub(" # ", scan.lowered(text).replace("-", " ")).split())


def _fold(term: str) -> str:
    return " ".join(term.lower().split())


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """Return the Swedish lemma of a lower-case word (memoised: texts repeat their words)."""
    return lemmas.lemma(word)


def _words(lowered: str) -> list[str]:
    """Return the words of lower-cased text in order: runs of letters, numbers left out.

    A word is letters only, so digits and the separators of a number end it as a space
    would: no need to blank the numbers out first.
    """
    return _WORD.findall(lowered)


def _lemmas(context: str) -> frozenset[str]:
    words = _words(context.lower())
    found = set(words)
    found.update(map(lemma, words))
    if "-" in context:
        for word in words:
            if "-" in word:
                found.update(map(lemma, word.split("-")))
    return frozenset(found)


@lru_cache(maxsize=8)
def content_words(context: str) -> tuple[str, ...]:
    """Return the content lemmas of a text in order, numbers and function words taken out.

    A tiny cache serves the few calls one figure makes on the same words; it is too
    small to carry results from one document to the next.
    """
    found: list[str] = []
    for piece in scan.lowered(context).split():
        found.extend(_piece_content(piece))
    return tuple(found)


@lru_cache(maxsize=65536)
def _piece_content(piece: str) -> tuple[str, ...]:
    """Return the content lemmas of what lies between two spaces (memoised per piece)."""
    return tuple(filter(None, map(_content_lemma, _WORD.findall(piece))))


@lru_cache(maxsize=65536)
def _content_lemma(word: str) -> str:
    """Return a word's lemma when it is a content word, else "" (memoised per word)."""
    base = lemma(word)
    if len(base) > 1 and base not in STOPWORDS and word not in STOPWORDS:
        return base
    return ""


@lru_cache(maxsize=16384)
def _slug(text: str) -> str:
    """Return a word as a key part (memoised: keys are built from the same few words)."""
    folded = unicodedata.normalize("NFKD", text.lower())
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c))
    return _NOT_SLUG.sub("_", ascii_text).strip("_")


@dataclass(frozen=True)
class DerivedKeyGrammar:
    """What the keys `Catalog._derive` builds are made of ("[okning_]antal_<words>[_per_…]",
    "…_1_okt" from `in_period_scope`), for those that read such keys back (track.series)."""

    prefixes: frozenset[str]  # a unit's: "antal", "andel", "belopp", "dagar" …
    directions: frozenset[str]  # a change's: "okning", "minskning", "forandring"
    population: frozenset[str]  # who is counted, as key parts: "barn", "man", "vuxna" …
    day_months: frozenset[str]  # a census day's month: "okt" of "_1_okt"


DERIVED_KEYS = DerivedKeyGrammar(
    prefixes=frozenset(_UNIT_PREFIX.values()) | frozenset(_slug(u) for u in _DURATION_UNITS),
    directions=frozenset(_DIRECTIONS),
    population=frozenset(_slug(w) for w in _POPULATION),
    day_months=frozenset(name[:3] for name in _MONTH_NAMES),
)
