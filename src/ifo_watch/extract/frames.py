"""What a clause says about its figures' whole and parts: pure readings of one sentence.

Each function reads the text of one sentence (and its numbers) and tells something the
indicator of a figure depends on: a part a total leaves out ("exklusive flyktinghushåll"),
a share that splits a population by sex, the sex a share of kommuner serves, the whole a
part counts ("Av mottagarna var ... kvinnor"), the total a part by sex follows, the part
of a clause that speaks of a figure, a correction notice's wrong figures.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ifo_watch.extract.catalog import content_words, lemma, noun_class
from ifo_watch.extract.numbers import NumberMatch
from ifo_watch.extract.scan import may_hold_words
from ifo_watch.models import Figure

__all__ = [
    "Part",
    "composition_sex",
    "is_retracted",
    "left_out",
    "names_corresponding",
    "own_part",
    "partitive",
    "served_sex",
    "strip_sex_words",
    "whole_of_part",
]


def is_retracted(text: str) -> bool:
    """Tell whether a sentence quotes what an earlier version wrongly said."""
    cues = ("elaktig", "idigare version", "elet ", "dubbelt", "idigare stod", "tod tidigare")
    return any(cue in text for cue in cues) and _RETRACTED.search(text) is not None


def names_corresponding(clause: str) -> bool:
    """Tell whether a clause speaks of "motsvarande siffra": the rate named before."""
    if not may_hold_words(clause, _CORRESPONDING_WORDS):
        return False
    return _CORRESPONDING.search(clause) is not None


def strip_sex_words(text: str) -> str:
    """Return the text without its sex words ("pojkar", "fördelningen"): what a split splits."""
    return _SEX_WORDS.sub(" ", text)


def served_sex(
    number: NumberMatch, text: str, numbers: Sequence[NumberMatch], clause: tuple[int, int]
) -> str | None:
    """Return the sex a share of kommuner serves in the figure's own words, or None.

    "85 procent av kommunerna ... till våldsutövande kvinnor och ... 85 procent, till
    våldsutövande män": the kommuner are counted, the sex served is the indicator's.
    """
    if (
        number.unit != "procent"
        or not may_hold_words(text, ("kommuner",))
        or _OF_KOMMUNER.search(text, clause[0], clause[1]) is None
    ):
        return None
    lo = max([n.end for n in numbers if n.end <= number.start] + [clause[0]])
    hi = min([n.start for n in numbers if n.start > number.end] + [clause[1]])
    who = _SERVED.search(text, number.end, hi) or _SERVED.search(text, lo, number.start)
    return who[1].lower() if who is not None else None


# A correction notice quoting the wrong figures: "I en tidigare version av nyheten stod
# det att 2 300 barn ...", "angavs felaktigt till 12 procent".
_RETRACTED = re.compile(
    r"\b(?:i\s+en\s+tidigare\s+version|felaktigt\s+(?:angavs|uppgavs|angivits|stod)|"
    r"(?:angavs|uppgavs|stod\s+det|angivits)\s+felaktigt|"
    # "Tidigare stod det att 13 482 hushåll fick bistånd": what the page said before
    r"tidigare\s+(?:stod|angavs|uppgavs)\s+det|det\s+stod\s+tidigare|"
    # the error itself: "Felet gällde 78 hushåll som hade registrerats dubbelt"
    r"felet\s+(?:gällde|avsåg|berörde|omfattade)|(?:registrerats|rapporterats)\s+dubbelt)\b",
    re.I,
)


_SEX_NOUNS = frozenset({"pojke", "pojkar", "flicka", "flickor", "kvinna", "kvinnor", "man", "män"})


# What may stand between a total and its parts: "6 800 placerade, 4 600 pojkar respektive
# 2 200 flickor", "372 personer, varav 98 kvinnor och 274 män".
_BETWEEN_PARTS = re.compile(
    r"^[\s,:;–-]*(?:[a-zåäö]+\s+(?:gällde|avsåg|rörde)\s+)?"  # "Av de 452 000 anmälningarna gällde"
    r"(?:(?:varav|därav|av\s+dem|av\s+dessa|och|respektive|samt)\s+|[\d\s,]+|"
    r"(?:pojkar|flickor|kvinnor|män)\s*|[a-zåäö]+\s*(?=,))*$",
    re.I,
)


def _whole_count(fig: Figure) -> bool:
    """Tell a figure that may be the whole of parts: a level count, no rate, no group."""
    return fig.unit == "antal" and fig.measure == "level" and not fig.per and not fig.group


def whole_of_part(
    number: NumberMatch, made: Sequence[Figure], text: str, origin: int
) -> Figure | None:
    """Return the total whose part by sex a count is, when it follows the total directly.

    "I HVB var 6 800 placerade, 4 600 pojkar respektive 2 200 flickor": the parts are
    children in HVB, whatever "pojkar" alone would call up. `origin` is where the
    sentence starts in the document (figures' offsets count from the document).
    """
    if not made or not number.noun or number.noun.lower() not in _SEX_NOUNS:
        return None
    for fig in reversed(made):
        if not _whole_count(fig):
            continue
        end = fig.offset - origin + len(fig.quote)
        if not 0 <= end <= number.start or fig.value <= number.value:
            return None
        return fig if _BETWEEN_PARTS.match(text[end : number.start]) else None
    return None


# "Av de 46 personerna var 34 kvinnor", "Bland de vuxna offren fanns 36 kvinnor", "Av
# brottsoffren var 26 barn": a whole named back, by its value or by its noun in the
# definite form, of which the clause's counts are parts.
_WHOLE_NAMED = re.compile(
    r"\b(?:av|bland)\s+(?:(?:de|dessa|alla)\s+)?(?:(\d{1,3}(?:[ \u00a0]\d{3})*)\s+)?"
    r"(?:[a-zåäö]+a\s+)?([a-zåäö]{4,}(?:na|en))\b",
    re.I,
)
_WHOLES_BACK = 20  # how many figures before a whole may stand
# ("Av dem som påbörjade behandling: 470 pojkar och 210 flickor": those the count before
# counted, named again by what they did)
_OF_THEM = re.compile(
    r"\b(?:av|bland)\s+(?:dem|dessa)(?:\s+som(?:\s+[^\s\d,.;:]+){1,5}\s*[:,]?)?"
    r"\s+(?:var|är|hade|har|fanns)?\s*"
    # (the parts before this one: "… 470 pojkar och 210 flickor")
    r"(?:\d[\d\u00a0 ]*\s+[a-zåäö]+(?:\s*,|\s+och)\s+)*$",
    re.I,
)
_OF_THEM_REACH = 64
_PARTS_BACK = 4  # the count before may stand behind the parts of this sentence
# "Fördelningen var dock en annan: 89 kvinnor och 8 män": the split of the count before
_DISTRIBUTION = re.compile(r"\W*(?:köns)?fördelningen\b", re.I)


def whole_named_before(
    number: NumberMatch, text: str, figures: Sequence[Figure], made: Sequence[Figure]
) -> Figure | None:
    """Return the earlier count a population part belongs to, when the clause names it back.

    "69 brottsoffer ... Av brottsoffren var 26 barn": the children are a group of the
    victims counted before, so they share its indicator. The whole is found by the value
    the text repeats ("Av de 46 personerna") or else by its counted noun, the last count
    of the same noun (or one compounded on it: "offren", "brottsoffer"), in the sentence
    so far (`made`) or before it.
    """
    if number.unit != "antal" or number.per or not number.noun:
        return None
    part = lemma(number.noun.lower())
    if part not in _PART_NOUNS:
        return None
    found = None
    for m in _WHOLE_NAMED.finditer(text, 0, number.start):
        found = m
    if found is None:
        if _OF_THEM.search(text, max(0, number.start - _OF_THEM_REACH), number.start) or (
            _DISTRIBUTION.match(text)
        ):
            # "165 000 personer …, och av dem var 68 000 barn": the count just before
            return _count_just_before(number, figures, made)
        return None
    whole = lemma(found[2].lower())
    if whole == part or (whole in _PART_NOUNS and part not in _SEX_LEMMAS):
        return None  # "av barnen var 300 barn"; "av de vuxna var 40 barn"
    value = float(found[1].replace(" ", "").replace("\u00a0", "")) if found[1] else None
    for fig in itertools.chain(reversed(made), reversed(figures[-_WHOLES_BACK:])):
        if not _whole_count(fig):
            continue
        if value is not None:
            if fig.value == value:
                return fig
        elif _counts_noun(fig, whole):
            return fig
    return None


def part_named_by_group(
    number: NumberMatch, text: str, figures: Sequence[Figure], made: Sequence[Figure]
) -> Figure | None:
    """Return the count a part belongs to when the part names only who it is.

    "… gav stöd till 1 262 personer. Kvinnorna var 934 och barnen …, 111, medan 217 av
    dem som fick stöd var män": the women, the children and the men are groups of the
    persons counted just before, the first by the definite plural it opens with, the last
    by "av dem … var män".
    """
    if number.unit != "antal" or number.per or number.measure == "change" or number.noun:
        return None
    before = text[max(0, number.start - _GROUP_SUBJECT_REACH) : number.start]
    if not (_GROUP_SUBJECT.search(before) or _OF_THEM_GROUP.match(text, number.end) is not None):
        return None
    return _count_just_before(number, figures, made)


def _count_just_before(
    number: NumberMatch, figures: Sequence[Figure], made: Sequence[Figure]
) -> Figure | None:
    """Return the count just before (in the sentence so far, else among the last few
    figures) that a part of this size can belong to."""
    return next(
        (
            f
            for f in itertools.chain(reversed(made), reversed(figures[-_PARTS_BACK:]))
            if _whole_count(f) and f.value > number.value
        ),
        None,
    )


def group_subject(number: NumberMatch, text: str) -> str | None:
    """Return the group a part names in the definite plural before it ("och barnen …,
    111": barn), or None."""
    before = text[max(0, number.start - _GROUP_SUBJECT_REACH) : number.start]
    subjects = _GROUP_SUBJECT.findall(before)
    return _DEFINITE_GROUP[subjects[-1].lower()] if subjects else None


_DEFINITE_GROUP = {
    "kvinnorna": "kvinnor",
    "männen": "män",
    "barnen": "barn",
    "pojkarna": "pojkar",
    "flickorna": "flickor",
}
# "Kvinnorna var ", "och barnen lika många som året innan, ": a group named in the
# definite plural as the subject of a part
_GROUP_SUBJECT = re.compile(
    r"(?:^|[,;]\s+|\b(?:och|medan)\s+)(kvinnorna|männen|barnen|pojkarna|flickorna)\b"
    r"[^.;\d]{0,40}$",
    re.I,
)
_GROUP_SUBJECT_REACH = 64
# " av dem som fick stöd var män": a part whose group follows it
_OF_THEM_GROUP = re.compile(
    r"\s+av\s+(?:dem|dessa)(?:\s+som(?:\s+[^\s\d,.;]+){1,4})?\s+(?:var|är)\s+"
    r"(?:kvinnor|män|barn|pojkar|flickor)\b",
    re.I,
)


# "De 60 ärendena", "av de 412 anmälningarna": a count the text names back by its value.
_THE_BEFORE = re.compile(r"\b(?:de|dessa)\s+$", re.I)
_DEFINITE_AFTER = re.compile(r"\s+(?:[a-zåäö]+a\s+)?[a-zåäö]{3,}(?:na|en)\b", re.I)


def whole_said_again(number: NumberMatch, text: str, figures: Sequence[Figure]) -> Figure | None:
    """Return the count "Av de 2 439 sov 163 utomhus" names again: the whole its parts
    are of, whatever the clause's predicate says ("sov utomhus" is the parts')."""
    if number.unit != "antal" or number.per or number.measure == "change":
        return None
    if not _OF_THE_BEFORE.search(text, max(0, number.start - 16), number.start):
        return None
    return next(
        (
            fig
            for fig in reversed(figures[-_WHOLES_BACK:])
            if fig.unit == "antal"
            and fig.measure == "level"
            and not fig.per
            and fig.value == number.value
        ),
        None,
    )


_OF_THE_BEFORE = re.compile(r"(?:^|[,;:–]\s*)(?:av|bland)\s+(?:de|dessa|samtliga)\s+$", re.I)


def repeated_count(number: NumberMatch, text: str, figures: Sequence[Figure]) -> Figure | None:
    """Return the earlier count that "De 60 ärendena" repeats, when one has its value."""
    if number.unit != "antal" or number.per or number.measure == "change":
        return None
    if not _THE_BEFORE.search(text, max(0, number.start - 7), number.start):
        return None
    if not _DEFINITE_AFTER.match(text, number.end):
        return None
    for fig in reversed(figures[-_WHOLES_BACK:]):
        if (
            fig.unit == "antal"
            and fig.measure == "level"
            and not fig.per
            and fig.value == number.value
        ):
            return fig
    return None


_SEX_LEMMAS = frozenset({"kvinna", "man", "pojke", "flicka"})
_NEXT_WORD = re.compile(r"\s+([a-zåäö-]+)", re.I)


def _counts_noun(fig: Figure, whole: str) -> bool:
    """Tell whether a figure counts the noun `whole` (or a compound ending in it)."""
    at = fig.sentence.find(fig.quote)
    if at < 0:
        return False
    word = _NEXT_WORD.match(fig.sentence, at + len(fig.quote))
    if word is None:
        return False
    counted = lemma(word[1].lower())
    short, long = sorted((counted, whole), key=len)
    return len(short) >= _MIN_HEAD and long.endswith(short)


_MIN_HEAD = 4


# "Exklusive flyktinghushållen uppgick utbetalningarna till ...", "om man räknar bort
# biståndet till flyktinghushåll", "8,9 miljarder kronor exkl. flyktingar" (not "utom":
# "vård utom det egna hemmet" leaves nothing out).
# What every `_LEAVING_OUT` of a header holds: a cheap test before the scan
_LEAVING_CUES = ("xkl", "bort", "ånräkn")
_LEAVING_CUES_PROSE = (*_LEAVING_CUES, "som inte")  # prose also "som inte var flyktingar"
_LEAVING_OUT = re.compile(
    r"\b(?:exklusive|exkl\.|bortsett\s+från|"
    # "Till mottagare som inte var flyktingar betalade kommunerna ut 2 534 miljoner"
    r"som\s+inte\s+(?:var|är|räknas\s+som)|"
    r"(?:om\s+man\s+)?(?:räknar|räknat)\s+bort|räknar\s+man\s+bort|frånräknat)"
    r"\s+((?:[a-zåäö-]+\s+){0,5}[a-zåäö-]+)",
    re.I,
)


@dataclass(frozen=True)
class Part:
    """A part a total leaves out ("exklusive flyktinghushåll"): its key slug, the words
    a label shows, and where they stand."""

    slug: str
    words: str
    span: tuple[int, int]


def left_out_of(header: str) -> Part | None:
    """Return the part a table's header leaves out of every cell under it ("Utbetalt
    ekonomiskt bistånd exklusive flyktingar, andra kvartalet 2011"), or None."""
    if not any(cue in header for cue in _LEAVING_CUES):
        return None
    found = _LEAVING_OUT.search(header)
    return _part(found) if found is not None else None


def left_out(number: NumberMatch, text: str, numbers: Sequence[NumberMatch]) -> Part | None:
    """Return the part a total leaves out, when the sentence names one.

    The phrase narrows the numbers after it in its sentence, and the number just before
    it when no other number stands between them ("8,9 miljarder kronor exklusive
    flyktinghushåll"). The part is named by its first noun; a refugee household is one
    part however it is worded ("flyktingar", "flyktinghushållen", "biståndet till
    flyktinghushåll").
    """
    if not any(cue in text for cue in _LEAVING_CUES_PROSE):
        return None
    for found in _LEAVING_OUT.finditer(text):
        if found.start() >= number.end:  # after the number: only right after it
            between = text[number.end : found.start()]
            if "," in between or any(number.end <= n.start < found.start() for n in numbers):
                continue
        elif found.end() > number.start:
            continue
        part = _part(found)
        if part is not None:
            return part
    return None


def _part(found: re.Match[str]) -> Part | None:
    """Return the part a leaving-out phrase names by its first noun, or None."""
    said = found[1].split()
    heads = [content_words(w) for w in said]
    at = next((i for i, h in enumerate(heads) if any("flykting" in w for w in h)), None)
    if at is None:
        at = next((i for i, h in enumerate(heads) if h), None)
        if at is None:
            return None
        part = heads[at][0]
    else:
        part = "flyktingar"
    end = found.start(1) + len(" ".join(said[: at + 1]))
    return Part(part, " ".join(said[: at + 1]), (found.start(), end))


# A share that splits a population by sex: "56 procent pojkar", "53 procent av dem var
# pojkar" (not "23 procent av de ensamstående kvinnorna": women are what it is a share
# of), "Pojkarna utgjorde 59 procent", "Andelen pojkar i stödboende var 61 procent",
# "fördelningen var 63 respektive 37 procent".
_SEXES = r"(?:(?:pojkar|flickor|kvinnor|män)(?:na|nen)?|pojke|flicka|kvinna)"


_SEX_AFTER = re.compile(
    rf"\s*(?:av\s+(?:dem|dessa|de|alla)(?:\s+[\w-]+){{0,3}}?\s+(?:var|är)\s+|var\s+|är\s+|"
    rf",\s*(?:var\s+|är\s+)?)?"
    rf"{_SEXES}\b|\s*av\s+(?:dem|dessa|de|alla)(?:\s+[\w-]+){{0,3}}?\s+{_SEXES}(?=\s*[.,;]|\s+och\b)"
    # "54 procent av anmälningarna pojkar": a share of what is counted, then its sex;
    # "54 procent av anmälningarna gällde pojkar": with the verb saying whom it concerned
    rf"|\s*av\s+[a-zåäö]+(?:na|en)\s+(?:(?:gällde|gäller|rörde|rör|avsåg|avser)\s+)?"
    rf"{_SEXES}(?=\s*[.,;]|\s+och\b)",
    re.I,
)


# In order: the one sex the share is of, said before it; else a pair it splits.
_SEX_BEFORE = tuple(
    re.compile(pattern, re.I)
    for pattern in (
        r"\b(?:pojkarna|flickorna|kvinnorna|männen)\b[^,.;:]{0,60}"
        # (and "Pojkarna var i majoritet, 57 procent")
        r"\b(?:utgjorde|utgör|var|är)\b(?:\s+[a-zåäö]+){0,3},?\s*$",
        # ("bland dem var pojkarna i tydlig majoritet med 64 procent")
        r"\b(?:utgjorde|utgör|var|är)\s+(?:pojkarna|flickorna|kvinnorna|männen)\b"
        r"(?:\s+[a-zåäö]+){0,4},?\s*$",
        rf"\bandelen\s+{_SEXES}|\b(?:utgjorde|utgör)\s+{_SEXES}|"
        r"\b(?:kvinnornas|männens|pojkarnas|flickornas)\s+andel\b",
        rf"\b{_SEXES}\b[^.;:]{{0,40}}?\b(?:och|respektive|än)\s+{_SEXES}",
        r"\b(?:könsfördelning\w*|fördelningen)",
    )
)


_SEX_WORDS = re.compile(rf"\b{_SEXES}\b|\b(?:köns)?fördelning\w*", re.I)


def composition_sex(number: NumberMatch, text: str, numbers: Sequence[NumberMatch]) -> str | None:
    """Return the sex a share in percent is the part of a population of ("" if not said).

    None when the share splits no population by sex. Words before the share count back
    to the number before it ("Fler anmälningar gällde pojkar än flickor: 54 procent
    respektive 46 procent").
    """
    if not may_hold_words(text, _SEX_PARTS):
        return None  # every pattern below names a sex, or a distribution ("fördelningen")
    lo = max((n.end for n in numbers if n.end <= number.start), default=0)
    after = number.end
    restated = next((n for n in numbers if n.start > number.end), None)
    if restated is not None and _APPOSITION.fullmatch(text, number.end, restated.start):
        after = restated.end  # "nästan tre av fyra, 73 procent, var pojkar": one share
    found = _SEX_AFTER.match(text, after) or next(
        (m for m in (p.search(text, lo, number.start) for p in _SEX_BEFORE) if m), None
    )
    if found is None:
        return None
    sexes = {_SEX_GROUP[w.lower()] for w in _SEX_WORD.findall(found[0])}
    return sexes.pop() if len(sexes) == 1 else ""  # a pair: by position, not said here


_SEX_WORD = re.compile(r"\b(pojk|flick|kvinn|män)", re.I)
_SEX_PARTS = ("pojk", "flick", "kvinn", "män", "fördeln")
_APPOSITION = re.compile(r",\s*|\s*\(\s*")


_SEX_GROUP = {"pojk": "pojkar", "flick": "flickor", "kvinn": "kvinnor", "män": "män"}


# A share of kommuner, and the sex the kommuner serve in the figure's own words.
_OF_KOMMUNER = re.compile(r"\b(?:av|i|bland)\s+(?:(?:landets|alla|de)\s+)?kommuner(?:na)?\b", re.I)


_SERVED = re.compile(r"\btill\s+(?:\w+\s+){0,2}?(kvinnor|män|flickor|pojkar)\b", re.I)


_CORRESPONDING = re.compile(
    r"\b(?:(?:motsvarande|samma)\s+(?:siffra|siffror|tal|andel|andelar|antal|värde|värden|"
    r"nivå|nivåer|mått|mätetal|belopp)"
    # "För länet var siffran 205": the definite form names the figure before too
    r"|siffran|siffrorna)\b",
    re.I,
)
_CORRESPONDING_WORDS = ("motsvarande", "samma", "siffran", "siffrorna")


_AND_THEN = re.compile(r",\s+(?:och|men)\s+")


def own_part(
    number: NumberMatch, text: str, clause: tuple[int, int], numbers: Sequence[NumberMatch]
) -> tuple[int, int]:
    """Return the part of a clause that speaks of a figure when ", och" joins another figure's.

    "Fyra av tio vuxna hade haft bistånd i minst tio av årets tolv månader, och för
    hälften av de vuxna var arbetslöshet skälet": the words after ", och" are the next
    figure's, and name no indicator of the first.
    """
    lo, hi = clause
    for join in _AND_THEN.finditer(text, clause[0], clause[1]):
        if join.start() >= number.end:
            if any(join.end() <= n.start < clause[1] for n in numbers):
                return lo, join.start()  # a figure of its own follows
        elif join.end() <= number.start and any(
            clause[0] <= n.start < join.start() for n in numbers
        ):
            lo = join.end()  # a figure of its own went before
    return lo, hi


# "Av mottagarna var 126 313 kvinnor, 143 004 män och 140 315 barn": parts of a whole
# the clause names first.
_PARTITIVE = re.compile(r"\b(?:av|bland)\s+(?:alla\s+|de\s+)?([a-zåäö]{4,}(?:na|en))\b", re.I)


_PART_NOUNS = frozenset({"kvinna", "man", "barn", "pojke", "flicka", "vuxen", "ung", "unga"})


def partitive(number: NumberMatch, clause: str, offset: int) -> str | None:
    """Return the whole a part counts ("mottagarna" for "140 315 barn" after "Av mottagarna").

    Women, men and children are groups of the whole a clause names with "av" or "bland"
    before them; the whole decides the indicator, the part is its group.
    """
    if not number.noun or lemma(number.noun.lower()) not in _PART_NOUNS:
        return None
    found = None
    for m in _PARTITIVE.finditer(clause, 0, max(0, number.start - offset)):
        found = m
    if found is None or lemma(found[1].lower()) in _PART_NOUNS:
        return None
    return found[1] if noun_class(lemma(found[1].lower())) is not None else None


# "Av alla barn i landet bodde 7 procent ...", "Bland kommunerna har 43 procent ...":
# the population a share is taken of, named before it at the clause's start.
_WORDS = re.compile(r"[A-Za-zÅÄÖåäö]{3,}")
_SHARE_OF = re.compile(r"\W*(?:av|bland)\s+(?:alla\s+|de\s+|samtliga\s+)?([a-zåäö]{4,})\b", re.I)


def share_population(number: NumberMatch, clause: str, offset: int) -> str | None:
    """Return the noun of the population a share is of, when the clause opens with it;
    for a count of "personer", the children the clause names before it ("Av alla barn och
    unga med en heldygnsinsats bodde 72 procent i familjehem, sammanlagt 19 200 personer").
    """
    if number.measure == "change":
        return None
    if number.unit == "antal" and number.noun and lemma(number.noun.lower()) == "person":
        before = clause[: max(0, number.start - offset)]
        return next(
            (w for w in _WORDS.findall(before) if noun_class(lemma(w.lower())) == "barn"), None
        )
    if number.unit != "procent" or number.noun:
        return None
    found = _SHARE_OF.match(clause)
    if found is None or found.end() > number.start - offset:
        return None
    return found[1] if noun_class(lemma(found[1].lower())) is not None else None


_RESPECTIVELY_GAP = re.compile(r"\s*(?:procent\s+|%\s*)?(?:,\s*)?respektive\s+$", re.I)
_LISTED_GAP = re.compile(r"\s*(?:procent|%)?\s*,\s*", re.I)
_SEX_NAME = re.compile(r"\b(?:pojk|flick|kvinn)\w*|\bmän(?:nen)?\b", re.I)


def sexes_of_items(first: str, second: str) -> list[str] | None:
    """Return the sexes two items name, one each and different ("Pojkar var föremål för",
    "flickor för"), or None."""
    groups = []
    for words in (_SEX_NAME.findall(first), _SEX_NAME.findall(second)):
        if len(words) != 1:
            return None
        groups.append(_SEX_GROUP[_SEX_WORD.match(words[0])[1].lower()])  # type: ignore[index]
    return groups if groups[0] != groups[1] else None


def joined_respectively(text: str, start: int, end: int) -> bool:
    """Tell whether text[start:end] joins two values by "respektive" ("51 respektive 49")."""
    return _RESPECTIVELY_GAP.match(text, start, end) is not None


def respective_runs(numbers: Sequence[NumberMatch], text: str) -> list[range]:
    """Return the runs of values joined by "respektive" ("51 respektive 49 procent")."""
    runs: list[range] = []
    i = 0
    while i < len(numbers) - 1:
        j = i
        while j + 1 < len(numbers) and (
            joined_respectively(text, numbers[j].end, numbers[j + 1].start)
            # "23, 19 respektive 18 procent": a list the last "respektive" closes
            or (
                j + 2 < len(numbers)
                and _LISTED_GAP.fullmatch(text, numbers[j].end, numbers[j + 1].start) is not None
                and joined_respectively(text, numbers[j + 1].end, numbers[j + 2].start)
            )
        ):
            j += 1
        if j > i:
            runs.append(range(i, j + 1))
        i = j + 1
    return runs


def sexes_by_position(run: range, numbers: Sequence[NumberMatch], text: str) -> list[str] | None:
    """Return the sex each value of a run is about, by the order the sexes are named.

    "Pojkarna var något fler än flickorna, 51 respektive 49 procent": pojkar, then
    flickor; the words may also follow the run ("51 respektive 49 procent var pojkar
    respektive flickor"). None unless as many different sexes as values are named.
    """
    first, last = numbers[run[0]], numbers[run[-1]]
    lo = numbers[run[0] - 1].end if run[0] > 0 else 0
    hi = numbers[run[-1] + 1].start if run[-1] + 1 < len(numbers) else len(text)
    for words in (
        _SEX_NAME.findall(text, lo, first.start),
        _SEX_NAME.findall(text, last.end, hi),
    ):
        groups = [_SEX_GROUP[_SEX_WORD.match(w)[1].lower()] for w in words]  # type: ignore[index]
        if len(groups) == len(run) and len(set(groups)) == len(groups):
            return groups
    return None
