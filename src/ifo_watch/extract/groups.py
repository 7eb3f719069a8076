"""Find the part of the population a figure is limited to: sex or an age band.

A group keeps breakdowns apart in the baseline's (metric, region, group) key, so it is
only taken where it limits the figure ("bland pojkarna", "1 200 flickor", "kvinnor
18–24 år"), not where it names the indicator's own population ("behandling för män som
utövar våld", "barn 0–17 år").
"""

from __future__ import annotations

import re

from ifo_watch.extract.scan import lowered

_I = re.IGNORECASE
_SEX = {
    "pojke": "pojkar", "pojkar": "pojkar", "pojkarna": "pojkar", "pojkarnas": "pojkar",
    "flicka": "flickor", "flickor": "flickor", "flickorna": "flickor", "flickornas": "flickor",
    "kvinna": "kvinnor", "kvinnor": "kvinnor", "kvinnorna": "kvinnor", "kvinnornas": "kvinnor",
    "man": "män", "män": "män", "männen": "män", "männens": "män",
}  # fmt: skip
# The groups a sex names, as figures carry them.
SEXES = frozenset(_SEX.values())
# The populations besides the sexes a counted noun's lemma names as a part of a whole.
_POPULATION_PARTS = {"barn": "barn", "vuxen": "vuxna"}


def part_group(noun: str) -> str | None:
    """Return the group a counted noun (its lemma) names as a part of a whole: "26 barn"
    of the victims counted before, "34 kvinnor" of the persons."""
    return _SEX.get(noun) or _POPULATION_PARTS.get(noun)


_SEX_WORD = r"pojkar(?:nas?)?|flickor(?:nas?)?|kvinnor(?:nas?)?|män(?:nens?)?"
_LIMITING = re.compile(
    rf"\b(?:bland|av|hos|för|varav|därav|är|var)\s+(?:de\s+|alla\s+)?({_SEX_WORD})\b(?!\s+som\b)"
    # "Antalet kvinnor som vårdades enligt LVM steg från 97 till 112": what is counted
    rf"|\bantal(?:et)?\s+({_SEX_WORD})\b"
    # "Pojkarna var 37", "Flickorna med kontaktperson var 15": the subject, then its count
    rf"|^\s*({_SEX_WORD})(?=\s+(?:[a-zåäö]+\s+){{0,3}}?(?:var|är|blev|utgjorde)\b)",
    _I,
)
# "26 av dem var pojkar", "217 av dem som fick stöd var män"
_OF_THEM_BEFORE = re.compile(r"\bav\s+(?:dem|dessa)(?:\s+som(?:\s+[^\s\d,.;]+){1,4})?\s+$", _I)
_COUNTED = re.compile(rf"\s*(?:\w+\s+)?({_SEX_WORD})\b(?!\s+som\b)", _I)
_AGE = re.compile(
    r"(?<![\d,.])(\d{1,2})\s*(?:–|-|—|till|\s+och)\s*(\d{1,3})\s*år\b|(?<![\d,.])(\d{1,2})\s*år\s+och\s+(äldre|uppåt)",
    _I,
)
# What every `_AGE` match holds: digits, then "år". The engine skips to the digits.
_AGE_HINT = re.compile(r"\d\s*år", _I)
_WHOLE_CHILDHOOD = re.compile(
    r"\b(?:barn|barnen|unga)\s+(?:i\s+åldern\s+)?0\s*[–-]\s*(?:17|18|20)\s*år", _I
)

# The ages a rate's denominator covers ("per 1 000 invånare i åldern 0–20 år", "per
# 100 000 invånare som är 18 år och äldre"): the rate's population, never a group.
RATE_POPULATION = re.compile(
    r"\bper\s+\d[\d\s\xa0]*\s*[a-zåäö]+\s+(?:som\s+är\s+|i\s+åldern\s+|i\s+åldersgruppen\s+)?"
    r"(\d{1,2}\s*(?:[–-]\s*\d{1,3}\s*år|år\s+och\s+(?:äldre|uppåt)))",
    _I,
)


def find_group(clause: str, start: int, end: int, until: int | None = None) -> str | None:
    """Return the group limiting the figure at [start, end) of a clause, or None.

    Looks at the words the number counts ("1 200 pojkar"), a limiting phrase
    ("bland flickorna", "av männen") and an age band ("18–24 år", "65 år och äldre").
    `until` is where the next number's words begin: "Drygt 2 000 vuxna fick vård,
    varav 25 procent var kvinnor" limits the 25 procent, never the total.
    """
    counted = _COUNTED.match(clause, end)
    if counted:
        return _SEX[counted[1].lower()]
    part = clause if until is None else clause[:until]
    if (next_item := _NEXT_ITEM.search(part, end)) is not None:
        # "0–3 år, var antalet 595, och i gruppen 10–12 år …": the next item's own words
        part = part[: next_item.start()]
    lowered = part.lower()
    sex = _nearest_sex(part, start, end) if _may_name_sex(lowered) else None
    age = _nearest_age(part, start, end) if "år" in lowered else None
    if sex and age:
        return f"{sex} {age}"
    if sex or age:
        return sex or age
    if not _may_name_kommungrupp(lowered):
        return None
    # the nearest after the figure ("17 procent i storstäderna"), else the last before it
    kind = _KOMMUNGRUPP.search(part, end, end + _GROUP_AFTER) or next(
        reversed(list(_KOMMUNGRUPP.finditer(part, max(0, start - _GROUP_BEFORE), start))), None
    )
    return _kommungrupp_name(kind) if kind else None


# Where a list's next item opens after a figure: ", och i gruppen", "; medan"
_NEXT_ITEM = re.compile(r"[,;]\s*(?:och|medan|men|samt)\s")
_GROUP_AFTER, _GROUP_BEFORE = 24, 60  # characters: the kind of kommun next to its figure


# SKR's kommungrupper named in prose ("I storstäderna kom det in 230 anmälningar per 1 000
# barn, medan landsbygdskommunerna låg på 170"): the kind of kommun a figure is about, by
# its official name (both the 2017 and the 2023 division), longest first.
KOMMUNGRUPPER = (
    "storstäder och storstadsnära kommuner",
    "större städer och kommuner nära större stad",
    "mindre städer/tätorter och landsbygdskommuner",
    "lågpendlingskommuner nära större stad",
    "pendlingskommuner nära mindre stad/tätort",
    "pendlingskommuner nära storstad",
    "pendlingskommuner nära större stad",
    "landsbygdskommuner med besöksnäring",
    "mindre städer/tätorter",
    "större städer",
    "storstadskommuner",
    "storstäder",
    "landsbygdskommuner",
    "glesbygdskommuner",
    "pendlingskommuner",
)


def _name_pattern(name: str) -> str:
    """Return a regex for a name in any of its forms ("storstäderna", "stad/tätort")."""
    words = []
    for word in name.split():
        part = r"\s*/\s*".join(re.escape(w) for w in word.split("/"))
        words.append(f"{part}(?:na)?" if word.endswith("er") else part)
    return r"\s+".join(words)


# ("de tre storstäderna" are three named cities, never a kind of kommun)
_KOMMUNGRUPP = re.compile(
    r"\b(?<!\btre\s)(?:de\s+)?("
    + "|".join(f"(?P<g{i}>{_name_pattern(n)})" for i, n in enumerate(KOMMUNGRUPPER))
    + r")\b",
    re.I,
)


def _kommungrupp_name(found: re.Match[str]) -> str:
    index = int(next(k for k, v in found.groupdict().items() if v is not None)[1:])
    name = KOMMUNGRUPPER[index]
    return "storstäder" if name == "storstadskommuner" else name


def _may_name_kommungrupp(lowered: str) -> bool:
    """Every kommungrupp's name holds "kommun" or "städer": a cheap test before the scan.

    "kommun" alone is in most sentences ("kommunerna"): a name with "kommun" and without
    "städer" holds "skommun" ("pendlingskommuner", its "s" maybe the long "ſ", which
    IGNORECASE lets in and str.lower() keeps), else "täder" ("större städer och kommuner").
    """
    return "städer" in lowered or (
        "kommun" in lowered and ("skommun" in lowered or "ſkommun" in lowered or "täder" in lowered)
    )


def kommungrupp_spans(text: str) -> list[tuple[int, int]]:
    """Return where a text names kommungrupper: no words of an indicator, like places."""
    if not _may_name_kommungrupp(lowered(text)):
        return []
    return [m.span(1) for m in _KOMMUNGRUPP.finditer(text)]


def kommungrupper_between(text: str, lo: int, hi: int) -> list[str]:
    """Return the kommungrupper named in text[lo:hi], in order ("pendlingskommunerna nära
    storstad och landsbygdskommunerna hade 860 respektive 640 kronor")."""
    if not _may_name_kommungrupp(lowered(text)):
        return []
    return [_kommungrupp_name(m) for m in _KOMMUNGRUPP.finditer(text, lo, hi)]


# Parts of the sex words free of "i" and "s", whose case-insensitive matches include
# letters ("ı", "ſ") that str.lower() leaves alone: a cheap test before the scans.
_SEX_PARTS = ("pojkar", "ckor", "nnor", "män")


def _may_name_sex(lowered: str) -> bool:
    return any(part in lowered for part in _SEX_PARTS)


def _nearest_sex(clause: str, start: int, end: int) -> str | None:
    best: tuple[int, str] | None = None
    for m in _LIMITING.finditer(clause):
        if m.start() < end and m.end() > start:
            continue
        if m.start() >= end and m[0][:5].lower() in ("varav", "därav"):
            continue  # "..., varav 300 kvinnor": the parts after a total are not it
        if (
            m.start() >= end
            and m[0][:3].lower() == "var"
            and not _OF_THEM_BEFORE.search(clause, max(0, m.start() - 48), m.start())
        ):
            continue  # ("… 64 barn var placerade, var femte …"); "26 av dem var pojkar" is
        distance = start - m.end() if m.end() <= start else m.start() - end
        if best is None or distance < best[0]:
            best = (distance, _SEX[(m[1] or m[2] or m[3]).lower()])
    return best[1] if best else None


def _nearest_age(clause: str, start: int, end: int) -> str | None:
    if _AGE_HINT.search(clause) is None:
        return None  # no age band: the scans from every position below would find none
    whole = [m.span() for m in _WHOLE_CHILDHOOD.finditer(clause)]
    best: tuple[int, str] | None = None
    for m in _AGE.finditer(clause):
        if start <= m.start() < end or any(s <= m.start() < e for s, e in whole):
            continue
        if m[1]:
            if int(m[1]) >= int(m[2]):
                continue
            band = f"{int(m[1])}–{int(m[2])} år"
        else:
            band = f"{int(m[3])} år och äldre"
        distance = start - m.end() if m.end() <= start else m.start() - end
        if (
            m.end() <= start
            and _ATTACHED_AGE.match(clause, end)
            and _ATTACHED_AGE.search(clause, max(0, m.start() - _ATTACHED_REACH), m.end())
            and any(c.isdigit() for c in clause[max(0, m.start() - _ATTACHED_REACH) : m.start()])
        ):
            continue  # "9,6 i åldern 0–12 år, 24,8 i åldern 13–17 år": each its own band
        if best is None or distance < best[0]:
            best = (distance, band)
    return best[1] if best else None


_ATTACHED_REACH = 32
# A band named straight after its figure ("24,8 i åldern 13–17 år", "28,3 bland unga
# vuxna 18–20 år")
_ATTACHED_AGE = re.compile(
    r"\s*(?:[a-zåäö]+\s+){0,2}?(?:i\s+åldern|i\s+åldersgruppen|bland|för)\s+"
    r"(?:[a-zåäö]+\s+){0,2}\d{1,2}\s*(?:–|-|—|till)\s*\d{1,3}\s*år\b",
    _I,
)
