"""Swedish counties (län) and municipalities (kommuner): the gazetteer and a place finder.

The data (21 län, 290 kommuner) lives in data/regions.tsv. It is read once, on first use,
into one compiled regex (a character trie of every surface form) and a lookup table, so a
call costs one regex scan of the sentence. Readings follow the contract: a county is
named officially ("Jämtlands län"), "Region Stockholm" is "Stockholms län", a
municipality goes by its name ("Stockholm" for "Stockholms stad").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final, Literal

from ifo_watch import resources

PlaceType = Literal["län", "kommun"]

__all__ = [
    "Place",
    "counties",
    "county_of",
    "demonym_place",
    "find_places",
    "municipalities",
    "normalize_place",
]


class Place:
    """One place mentioned in a sentence, by its official name, with the mention's span.

    A plain class with read-only (Final) attributes, not a frozen dataclass, whose
    __init__ costs four times as much.
    """

    __slots__ = ("end", "name", "start", "type")

    def __init__(self, *, name: str, type: str, start: int, end: int) -> None:
        # "Jämtlands län", "Västra Götalands län", "Malmö", "Östra Göinge"
        self.name: Final = name
        self.type: Final = type  # "län" | "kommun"
        self.start: Final = start
        self.end: Final = end

    def __repr__(self) -> str:
        return f"Place({self.name!r}, {self.type!r}, {self.start}, {self.end})"


@dataclass(frozen=True)
class _Entry:
    """What one surface form can mean: a kommun, a län, or a kommun that names its län."""

    kommun: str | None
    lan: str | None
    word: bool  # also an ordinary word or a personal name: needs place context

    @property
    def default(self) -> tuple[str, PlaceType]:
        if self.kommun is not None:
            return self.kommun, "kommun"
        assert self.lan is not None
        return self.lan, "län"


@dataclass(frozen=True)
class _Gazetteer:
    kommuner: dict[str, str]  # kommun -> its län
    lan: tuple[str, ...]
    surfaces: dict[str, _Entry]  # normalised surface form -> entry
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class _Mention:
    """A matched surface form before context decides whether and how it counts."""

    start: int
    end: int
    entry: _Entry
    forced: PlaceType | None  # set by "län", "kommun", "stad" or a "Region" prefix
    name_end: int  # end of the bare name, before any suffix


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that, capitalised right before a name, do not make it part of a personal name:
# prepositions, conjunctions and focus words that open Swedish sentences (V2 order puts a
# verb, not a noun, after any other first word), plus compass adjectives.
_OPENERS = _wordset(
    """i på från till inom utanför hos vid för mot med enligt bland utom förutom kring runt
    efter före under över genom mellan jämfört liksom som än trots om både även bara endast
    också inte men och eller samt medan när där då att varken kommunen kommunerna länet länen
    region regionen orten staden centrala norra södra östra västra inre yttre hela stora nya
    utöver inklusive exklusive exempelvis särskilt främst framförallt speciellt just såväl
    antingen dock alltså därför sedan"""
)
# A capitalised common-word name is a place right after these (with the capital kept).
_PLACE_CONTEXT = _wordset(
    """i på från till inom utanför hos vid för mot med kring runt bland än mellan av efter före
    kommunen kommunerna länet länen orten orterna staden"""
)
_SPEECH_VERBS = _wordset(
    "säger sa sade berättar skriver förklarar menar tycker konstaterar frågar svarar"
)
# "Uppsala universitet", "Lunds tingsrätt": an institution's name, not the place of a figure.
_INSTITUTIONS = re.compile(
    r"[ \u00a0]+(?:universitet|universitets|universitetssjukhus|högskola|tingsrätt|"
    r"förvaltningsrätt|hovrätt|kammarrätt|stift)(?!\w)"
)
_SEPARATOR = re.compile(
    r"-?\s*(?:,\s*(?:(?:och|eller|samt|respektive)\s+)?|\s(?:och|eller|samt|respektive|"
    r"liksom)\s+)(?:i\s+)?"
)
_REGION_BEFORE = re.compile(r"(?<![\w\-])[Rr]egion[ \u00a0]+$")
_KOMMUNER_AFTER = re.compile(r"[ \u00a0]+kommuner(?:na)?(?!\w)")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \u00a0]+$")
_CAPITAL_AFTER = re.compile(r"[ \u00a0]+[A-ZÅÄÖÉÜ][a-zåäöéü]")
_SPACES = re.compile(r"[\s\-]+")


def counties() -> tuple[str, ...]:
    """Return the official names of the 21 län, in the order of their county codes."""
    return _gazetteer().lan


def municipalities() -> tuple[str, ...]:
    """Return the names of the 290 kommuner, grouped by län."""
    return tuple(_gazetteer().kommuner)


def county_of(kommun: str) -> str | None:
    """Return the län a kommun lies in, or None for a name that is not a kommun."""
    return _gazetteer().kommuner.get(kommun)


def demonym_place(text: str) -> str | None:
    """Return the one kommun a text names by its people ("fler helsingborgare",
    "malmöborna"), or None."""
    lowered = text.lower()
    if _DEMONYM_END.search(lowered) is None:
        return None  # the scan tries every stem length at every word: costly
    kommuner = _gazetteer().kommuner
    found = set()
    for m in _DEMONYM.finditer(lowered):
        stem = m[1]
        for candidate in (stem, stem[:-1] if stem.endswith(("a", "s")) else None):
            name = _title(candidate) if candidate else None
            if name and name in kommuner:
                found.add(name)
                break
    return found.pop() if len(found) == 1 else None


# "helsingborgare", "stockholmarna", "malmöbor", "uppsalaborna"
_DEMONYM = re.compile(r"\b([a-zåäöé]{3,}?)(?:are|arna|arnas|bo|bon|bor|borna|bornas)\b")
# The end of every `_DEMONYM` match: the engine skips to its "a" or "b".
_DEMONYM_END = re.compile(r"(?:are|arnas?|bo[nr]?|borna|bornas)\b")


def normalize_place(text: str) -> tuple[str, str] | None:
    """Return (official name, type) for a text that is exactly one place name, else None.

    Meant for table headers and other text that is known to name a place, so names that
    are also ordinary words ("Vara", "Mark") count here. "Riket" and "Sverige" give None:
    the whole country has no region.
    """
    gazetteer = _gazetteer()
    words = _SPACES.sub(" ", text).strip()
    for form in (words, _title(words)):
        match = gazetteer.pattern.search(form)
        mention = _mention(match, form, gazetteer) if match else None
        if mention is not None and (mention.start, mention.end) == (0, len(form)):
            return _reading(mention)
    return None


# A local paper named after its place: "Jönköpings-Posten", "Borlänge Tidning",
# "Eskilstuna-Kuriren", "Göteborgsbladet", "Västmanlandsnytt", "Örebro Kuriren"
_NEWSPAPER = re.compile(
    r"([A-ZÅÄÖ][a-zåäö]+?)(?:-?(?:[Pp]osten|[Kk]uriren|[Bb]ladet|[Nn]ytt|[Tt]idningen|"
    r"[Aa]llehanda)|\s+(?:Tidning|Tidningen|Tidningar|Dagblad|Dagbladet|Allehanda|Nyheter|"
    r"Kuriren|Posten|Folkblad|Korrespondenten))"
)


# Local papers known by their initials, and the kommun each covers first
_PAPER_INITIALS = {
    "UNT": "Uppsala",
    "GD": "Gävle",
    "ST": "Sundsvall",
    "NA": "Örebro",
    "BT": "Borås",
    "HD": "Helsingborg",
    "NT": "Norrtälje",
    "VLT": "Västerås",
    "ÖP": "Östersund",
    "NSD": "Luleå",
    "VK": "Umeå",
    "TTELA": "Trollhättan",
    "SMP": "Växjö",
    "EK": "Eskilstuna",
}


def newspaper_place(name: str) -> tuple[str, str] | None:
    """Return (official name, type) of the place a local paper is named after, or None."""
    name = _SPACES.sub(" ", name).strip()
    if name in _PAPER_INITIALS:
        return normalize_place(_PAPER_INITIALS[name])
    found = _NEWSPAPER.fullmatch(name)
    if found is None:
        return None
    stem = found[1]
    for form in (stem, stem.removesuffix("s")):
        place = normalize_place(form)
        if place is not None:
            return place
    return None


def find_places(sentence: str) -> list[Place]:
    """Return the places a sentence mentions, in order; never raises.

    A bare landskap-like name is its län ("i Jämtland"); a bare name shared by a kommun
    and its län ("Uppsala", "Örebro", "Stockholm", "Gotland") is the kommun unless "län"
    follows or it is coordinated with a län ("I Örebro och Jönköpings län"). Names that
    are ordinary words count only where prose uses them as places.
    """
    gazetteer = _gazetteer()
    if sentence.isupper() and len(titled := sentence.title()) == len(sentence):
        sentence = titled  # "KOMMUNFÖRBUNDET NORRBOTTEN": a heading in capitals
    mentions = [
        mention
        for match in gazetteer.pattern.finditer(sentence)
        if (mention := _mention(match, sentence, gazetteer)) is not None
    ]
    if not mentions:
        return []
    starts = {mention.start for mention in mentions}
    kept = [m for m in mentions if not _is_other_name(m, sentence, starts)]
    places: list[Place] = []
    for group in _coordinated(kept, sentence):
        places.extend(_resolve(group, sentence))
    return places


def _resolve(group: list[_Mention], sentence: str) -> Iterator[Place]:
    kommuner_after = _KOMMUNER_AFTER.match(sentence, group[-1].end) is not None
    placey = kommuner_after or any(_stands_alone(m, sentence) for m in group)
    if not placey:
        return
    to_lan = any(_reading(m)[1] == "län" for m in group)
    for mention in group:
        name, kind = _reading(mention)
        if to_lan and mention.forced is None and mention.entry.lan is not None:
            name, kind = mention.entry.lan, "län"
        yield Place(name=name, type=kind, start=mention.start, end=mention.end)


def _reading(mention: _Mention) -> tuple[str, PlaceType]:
    entry = mention.entry
    if mention.forced == "län" and entry.lan is not None:
        return entry.lan, "län"
    if mention.forced == "kommun" and entry.kommun is not None:
        return entry.kommun, "kommun"
    return entry.default


def _stands_alone(mention: _Mention, sentence: str) -> bool:
    """Tell whether a mention is a place by itself, without help from a coordinated list."""
    if mention.forced is not None or not mention.entry.word:
        return True
    before = _word_before(sentence, mention.start)
    return before is not None and before.group(1).lower() in _PLACE_CONTEXT


def _is_other_name(mention: _Mention, sentence: str, starts: set[int]) -> bool:
    """Tell a personal or institutional name ("säger Nora Svensson", "Lunds universitet")."""
    if _INSTITUTIONS.match(sentence, mention.name_end):
        return True
    if mention.forced is not None:
        return False
    after = _CAPITAL_AFTER.match(sentence, mention.end)
    if after is not None and after.end() - 2 not in starts:
        return True
    before = _word_before(sentence, mention.start)
    if before is None:
        return False
    word = before.group(1)
    if word.lower() in _SPEECH_VERBS:
        return True
    # A capitalised word that is itself a place (a header list without commas) or an
    # acronym ("SKR") is no first name, nor is a long noun in its definite form naming a
    # service ("Socialjouren Gävleborg", "Familjecentralen Luleå").
    return (
        word[0].isupper()
        and not word.isupper()
        and word.lower() not in _OPENERS
        and before.start(1) not in starts
        and not (len(word) >= _SERVICE_NAME and word.endswith(("en", "et", "arna", "erna")))
    )


_SERVICE_NAME = 8  # letters of a definite noun before a place ("Socialjouren")


def _word_before(sentence: str, start: int) -> re.Match[str] | None:
    return _WORD_BEFORE.search(sentence, max(0, start - 40), start)


def _coordinated(mentions: list[_Mention], sentence: str) -> Iterator[list[_Mention]]:
    group: list[_Mention] = []
    for mention in mentions:
        if group and _SEPARATOR.fullmatch(sentence, group[-1].end, mention.start):
            group.append(mention)
            continue
        if group:
            yield group
        group = [mention]
    if group:
        yield group


def _mention(match: re.Match[str], sentence: str, gazetteer: _Gazetteer) -> _Mention | None:
    start, end = match.start(), match.end()
    if start and (sentence[start - 1].isalnum() or sentence[start - 1] in "_-"):
        return None
    entry = gazetteer.surfaces.get(_SPACES.sub(" ", match["name"]))
    if entry is None:
        return None
    forced: PlaceType | None = None
    prefix = _REGION_BEFORE.search(sentence, max(0, start - 16), start)
    if prefix is not None and entry.lan is not None:
        start, forced = prefix.start(), "län"
    suffix = (match["suffix"] or "").lower()
    if suffix.startswith("län") and entry.lan is not None:
        forced = "län"
    elif suffix and not suffix.startswith("län") and entry.kommun is not None:
        forced = "kommun"
    elif suffix:
        end = match.end("name")
    return _Mention(start, end, entry, forced, match.end("name"))


def _title(words: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in words.split(" "))


@functools.cache
def _gazetteer() -> _Gazetteer:
    rows = _rows(resources.data_file("regions.tsv").read_text("utf-8").splitlines())
    kommuner: dict[str, str] = {}
    lan: list[str] = []
    short: dict[str, str] = {}
    stems: dict[str, str] = {}
    words: set[str] = set()
    for kind, name, county, forms, flags in rows:
        if kind == "län":
            lan.append(name)
            short.update((form, name) for form in forms.split(";") if form)
        else:
            kommuner[name] = county
            stems.update((form, name) for form in forms.split(";") if form)
            if "word" in flags.split(","):
                words.add(name)
    surfaces = _surfaces(kommuner, frozenset(lan), short, frozenset(words), stems)
    return _Gazetteer(kommuner, tuple(lan), surfaces, _compile(surfaces))


def _rows(lines: Iterable[str]) -> Iterator[tuple[str, str, str, str, str]]:
    body = [line for line in lines if line.strip() and not line.startswith("#")]
    for line in body[1:]:  # after the header row
        kind, name, county, forms, flags = (line.split("\t") + [""] * 5)[:5]
        yield kind, name, county, forms, flags


def _surfaces(
    kommuner: dict[str, str],
    lan: frozenset[str],
    short: dict[str, str],
    words: frozenset[str],
    stems: dict[str, str],
) -> dict[str, _Entry]:
    surfaces: dict[str, _Entry] = {}
    entries: dict[str, _Entry] = {}
    for name, county in kommuner.items():
        own = county if county in (f"{name} län", f"{name}s län") else None
        entry = entries[name] = _Entry(kommun=name, lan=own, word=name in words)
        for form in _forms(name):
            key = _SPACES.sub(" ", form)
            assert key not in surfaces, f"{key} names two kommuner"
            surfaces[key] = entry
    for stem, name in stems.items():  # "Falu kommun": a name's own genitive stem
        assert stem not in surfaces, f"{stem} names two places"
        surfaces[stem] = entries[name]
    for form, county in short.items():
        assert county in lan, county
        for variant in _forms(form):
            key = _SPACES.sub(" ", variant)
            assert key not in surfaces, f"{key} is both a kommun and a län short form"
            surfaces[key] = _Entry(kommun=None, lan=county, word=False)
    return surfaces


def _forms(name: str) -> tuple[str, ...]:
    """Return a name and its genitive ("Malmö", "Malmös"; "Borås" has one form)."""
    return (name,) if name[-1] in "sxz" else (name, f"{name}s")


def _compile(surfaces: dict[str, _Entry]) -> re.Pattern[str]:
    names = _trie_regex(sorted(surfaces))
    # The pattern opens with the trie itself, not a lookbehind or the optional "Region",
    # so the regex engine can skip to the first letters of names: about 6 times faster.
    # The left boundary and the "Region" prefix are checked after a match instead.
    return re.compile(
        rf"(?P<name>{names})(?![\w]|-\w)"
        r"(?:[ \u00a0]+(?P<suffix>[Ll]äns?|[Kk]ommuns?|[Ss]tads?)(?![\w]|-\w))?"
    )


def _trie_regex(words: list[str]) -> str:
    """Build one regex that matches any of the words, sharing prefixes, longest first.

    A flat alternation of ~600 names is tried name by name at every position; a trie
    fails after one or two characters, which keeps a scan near the speed of a literal.
    """
    trie = _Trie()
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, _Trie())
        node[""] = _Trie()
    return _node_regex(trie)


class _Trie(dict[str, "_Trie"]):
    """A character trie; the key "" marks the end of a word."""


def _node_regex(node: _Trie) -> str:
    ends = "" in node
    branches = [
        _char_regex(char) + _node_regex(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?"
    return body


def _char_regex(char: str) -> str:
    return r"[\s\-]" if char == " " else re.escape(char)
