"""Clauses within a sentence, and clauses that lean on an earlier one for their indicator."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ifo_watch.extract.catalog import content_words
from ifo_watch.extract.regions import Place
from ifo_watch.extract.scan import holds_any, lowered, scan_lower

__all__ = ["amounts_to", "clause_of", "clauses", "is_referential", "names_group_before"]

# A contrast starts a clause about another place or group; a continuation ("vilket
# motsvarar") keeps them. Written in lower case, read from the lower-cased sentence.
# The rest after a part ("med stöd av SoL, resten enligt LVU") is its own clause too.
# A new subject in the definite form and its verb ("nedgången är", "beläggningsgraden låg")
_NEW_SUBJECT = (
    r"[a-zåäö]{3,}(?:en|et|na|[aoui]n)\s+(?:är|var|har|hade|blev|blir|ligger|låg|kostade|kostar|"
    r"uppgick|uppgår|steg|ökade|minskade|sjönk)\s"
)
_CONTRAST = re.compile(
    r",?\s+(?:medan|men|samtidigt\s+som|jämfört\s+med|"
    # (not "… mer än i riket, 1 164 respektive 1 147 kronor": the values follow the places)
    r"än\s+i(?!\s+(?:hela\s+)?(?:riket|landet)(?:\s+som\s+helhet)?\s*,\s*\d))\s+|;\s+|:\s+"
    # "…, att jämföra med 160 630 året innan", "…, vilket kan jämföras med 2 100"
    r"|,\s+(?:att|vilket\s+kan|som\s+kan)\s+jämföras?\s+med\s+|,?\s+i\s+jämförelse\s+med\s+"
    r"|,\s+(?:resten|övriga|återstoden)\s+"
    # "Men 2018 var det 96 procent, och andelen som hyr in ... har sjunkit": a main
    # clause of its own, about its own measure
    r"|,\s+och\s+(?=(?:andelen|antalet|kostnaden|kostnaderna)\s)"
    # "26 200 barn hade en heldygnsinsats, och nedgången är störst inom HVB": a new
    # subject in the definite form and its verb
    rf"|,\s+och\s+(?={_NEW_SUBJECT})"
)
# A word or sign every contrast holds; most sentences hold none of them.
_CONTRAST_HINTS = (
    "men",
    "än",
    "medan",
    "samtidigt",
    "jämför",
    ";",
    ":",
    "resten",
    "övriga",
    "återstoden",
    ", och",
)


def clauses(text: str) -> list[tuple[int, int]]:
    lower = lowered(text)
    if len(lower) == len(text) and not holds_any(lower, _CONTRAST_HINTS):
        return _own_verbs([(0, len(text))], text)
    spans: list[tuple[int, int]] = []
    begin = 0
    for m in scan_lower(_CONTRAST, text, lower):
        spans.append((begin, m.start()))
        begin = m.start()
    spans.append((begin, len(text)))
    return _own_verbs(spans, text)


def _own_verbs(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Split a clause where a count after "och" has a verb or a subject of its own, after
    a count ("genomförde 214 samarbetssamtal och slutförde 61 utredningar"), not where "och"
    goes on about the one subject ("Arbetslöshet var det vanligaste hindret och gällde
    58 procent")."""
    if " och " not in text:
        return spans
    out: list[tuple[int, int]] = []
    for begin, end in spans:
        for m in _OWN_VERB.finditer(text, begin, end):
            if any(c.isdigit() for c in text[begin : m.start()]):
                out.append((begin, m.start()))
                begin = m.start()
        out.append((begin, end))
    return out


# ... or a new subject of its own ("sjönk till 15 procent och sjukfrånvaron var 7,1 procent")
_OWN_VERB = re.compile(
    rf"\s+och\s+(?=[a-zåäö]{{4,}}(?:ade|de|te)\s+(?:[a-zåäö]+\s+)?\d|{_NEW_SUBJECT})"
)


def clause_of(spans: list[tuple[int, int]], start: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= start < e:
            return s, e
    return spans[-1]


# --- Reference across sentences -----------------------------------------------------

_ANAPHORA = re.compile(
    # (not the predicate "Arbetslöshet var det vanligaste hindret", "Alkohol var det
    # huvudsakliga problemet")
    r"\b(?:samma|detsamma|motsvarande|gör\s+det|"
    r"(?:är|var)\s+det(?!\s+(?:\w+st[ae]|enda|[a-zåäö]+a\s+[a-zåäö]+(?:et|en|na))\b)|"
    r"gäll(?:er|de)\s+det|"
    r"det\s+(?:\w+\s+)?gäll(?:er|de)|sådan|sådana|sådant|"
    r"rekommendation\w*|så\s+är\s+fallet|denna\s+andel|den\s+andelen|siffran|siffrorna|"
    r"talet|nivån|"
    # "… om de har en socialjour bemannad dygnet runt …. I landet uppfyllde 68 procent av
    # kommunerna kraven", "svarade 76 procent ja på frågan": the criteria just stated
    r"kraven|kriteri(?:et|erna)|villkoren|(?:ja|nej)\s+på\s+frågan|"
    # "… ska en utredning vara klar inom fyra månader. Av de avslutade utredningarna blev
    # 71 procent klara i tid": the time limit just stated
    r"i\s+tid|inom\s+(?:den\s+)?(?:tiden|tidsgränsen|utsatt\s+tid))\b",
    re.I,
)
_GENERIC = frozenset(
    """kommun kommunerna landet land län region stöd ökning minskning nivå siffra resultat
    ungefär bara endast fortfarande nu idag jämföra innan före siffra andel antal
    rikssnitt rikssnittet riksgenomsnitt genomsnitt snitt hamna ligga lägst högst låg hög
    helhet därefter följa följd följt tvåa trea landa hamna hel rike""".split()  # noqa: SIM905
)  # fmt: skip


# "Det är 6 procent fler", not the cleft "Det är kommunerna som ..." (its "som" comes
# before any comma).
_IT_IS = re.compile(
    r"^\W*det\s+(?:är|var|blir|blev)\b(?![^,]*\bsom\b)|"
    # "… ska en förhandsbedömning göras inom 14 dagar. Det klarade vi i 88 procent av
    # fallen": the rule just stated, met
    r"^\W*det\s+(?:klarade|klarar|lyckades|lyckas|nådde|når|uppfyllde|uppfyller)\s+"
    r"(?:vi|kommunen|nämnden|förvaltningen|socialtjänsten|man)\b",
    re.I,
)
# "Andelen har ökat med 5 procentenheter", "Antalet minskade", "Den har ökat": a measure
# named by its kind alone or a pronoun, straight before its verb, is the one just spoken of.
_BARE_MEASURE = re.compile(
    # (a contrast's "medan kostnaden i Skellefteå steg till 4 210 kronor" too)
    r"^\W*(?:(?:medan|men|och)\s+)?(?:andelen|antalet|kostnaden|kostnaderna|nivån|den|dessa)"
    r"(?:\s+(?:i|för)\s+\S+(?:\s+(?:län|kommun|stad))?)?\s+(?:har|hade|är|var|ökade|ökar|"
    r"minskade|minskar|steg|stiger|sjönk|sjunker|ligger|låg)\b",
    re.I,
)
# "Enligt SiS siffror för första halvåret har den sedan stigit till 99 procent": the
# pronoun after its verb (the verb second), the measure just spoken of
_INVERTED_MEASURE = re.compile(
    r"\b(?:har|hade)\s+(?:den|det|de|andelen|antalet|nivån|siffran)\s+(?:\w+\s+)?"
    r"(?:stigit|ökat|minskat|sjunkit|gått\s+(?:upp|ned|ner)|fallit)\b|"
    # "…, uppgick den till 7 012 miljoner kronor", "landade den på 19 procent"
    r"\b(?:uppgick|landade|hamnade|stannade)\s+(?:den|de)\s+(?:\w+\s+)?(?:till|på)\b|"
    # "Mätt i personer handlar det om omkring 58 000 unga": the figure before, restated
    r"\bhandlar\s+det\s+om\b|"
    # "Räknat per 1 000 invånare i åldern 0–20 år blir det 13,6": the count just given,
    # as a rate
    r"\b(?:blir|blev|motsvarar|motsvarade)\s+det\s+(?=[\d,.\s]*\d|(?:drygt|knappt|cirka|"
    r"omkring|runt|nästan|över|under|ungefär)\s)",
    re.I,
)
# "Enligt Kronofogden genomfördes 61 vräkningar … Tio barn berördes": the children the
# event just named touched
_TOUCHED = re.compile(
    r"\W*(?:\S+\s+){1,2}barn\s+(?:berördes|berörs|drabbades|drabbas)\b(?!\s+av\b)", re.I
)
# "Ett år tidigare låg andelen på 7,0 procent": the measure just spoken of, after a time
_VERB_FIRST_MEASURE = re.compile(
    r"\b(?:låg|var|blev|landade|hamnade|stannade)\s+"
    r"(?:andelen|antalet|nivån|siffran|kostnaden|kostnaderna)\s+"
    r"(?:på\s|till\s|\d)",
    re.I,
)
_TIME_WORDS = frozenset({"år", "tidigare", "innan", "före", "fjol", "dessförinnan", "sedan"})
_NAMED_MEASURE = re.compile(
    r"^\W*(?:andelen|antalet)\s+(?!(?:har|hade|är|var|blev|ökade|ökar|minskade|minskar|steg|"
    r"stiger|sjönk|sjunker|ligger|låg|som|i|på|av|bland)\b)[a-zåäö]{3,}",
    re.I,
)
# ", och nedgången är störst inom HVB": a clause of its own subject (see _CONTRAST)
_AND_SUBJECT = re.compile(rf",\s+och\s+{_NEW_SUBJECT}", re.I)
_AMOUNTS_TO = re.compile(
    r"^\W*(?:det|detta|vilket)\s+(?:motsvarar|motsvarade|innebär|innebar|betyder|"
    r"(?:är|var)(?=\s+[^,.;]*\b(?:procent|andel)\b[^,.;]*\bav\b))",
    re.I,
)
_AMOUNTS_TO_WORDS = 3


def amounts_to(clause: str) -> bool:
    """Tell whether a clause restates the figure before in other terms ("Det motsvarar ...")."""
    return _AMOUNTS_TO.search(clause) is not None


def is_referential(clause: str, *, offset: int, places: Sequence[Place]) -> bool:
    """Tell whether a clause leans on an earlier one for its indicator.

    It does when it says so ("samma stöd", "gör det", "rekommendationen") or when, with
    its places taken out, at most one content word is left ("är samtliga kommuner
    licensierade"). "Det motsvarar ..." leans back only when little else is said: "Det
    innebär att socialtjänsten varje dag gör 1 000 riskbedömningar" names its own.
    """
    if (
        _ANAPHORA.search(clause)
        or _IT_IS.search(clause)
        or _BARE_MEASURE.search(clause)
        or _INVERTED_MEASURE.search(clause)
        or _TOUCHED.match(clause)
    ):
        return True
    verb_first = _VERB_FIRST_MEASURE.search(clause)
    if verb_first is not None and set(content_words(clause[: verb_first.start()])) <= (
        _TIME_WORDS | _GENERIC
    ):
        # "Ett år tidigare låg andelen på 7,0 procent", "I riket som helhet låg kostnaden
        # på drygt 5 400 kronor"; not "Bland män var andelen 9 procent"
        return True
    text = clause
    for place in sorted(places, key=lambda p: -p.start):
        s, e = place.start - offset, place.end - offset
        if 0 <= s <= e <= len(text):
            text = text[:s] + " " + text[e:]
    words = [w for w in content_words(text) if w not in _GENERIC and len(w) > 2]
    if _NAMED_MEASURE.match(clause):
        return False  # "Andelen kommuner med socialjour var 64 procent" names its own
    if words and _AND_SUBJECT.match(clause):
        return False  # ", och beläggningsgraden låg på 84 procent": its subject names it
    if _AMOUNTS_TO.search(clause):
        return len(set(words)) <= _AMOUNTS_TO_WORDS
    return len(words) <= 1


# "Drygt 54 000 hushåll hörde till den gruppen": the group the sentence before defined
_GROUP_BEFORE = re.compile(
    r"\b(?:den|denna|den\s+här)\s+gruppen\b|"
    # "Bistånd räknas som långvarigt när … Så var fallet för 56 310 hushåll"
    r"\bså\s+var\s+fallet\s+för\b|\bså\s+är\s+fallet\s+för\b",
    re.I,
)


def names_group_before(clause: str) -> bool:
    """Tell whether a clause counts the members of a group the text defined before it."""
    return ("grupp" in clause or "fallet" in clause) and _GROUP_BEFORE.search(clause) is not None
