"""Turn a document's Swedish text and tables into figures with every field of the contract.

The stages, each a small pure function: lines -> blocks (headings, paragraphs) ->
sentences (sentences.py) -> clauses (clauses.py) -> number expressions (numbers.py) ->
for each, the clause it stands in, its period (periods.py), places (regions.py), group
(groups.py) and metric (catalog.py). A
figure whose clause names no indicator but refers back ("I Jämtland finns samma stöd bara
i var fjärde kommun") keeps the indicator of the figure before it. Tables give one figure
per numeric cell, read through their row and column headers (tables.py).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from ifo_watch.extract import frames, periods, scan
from ifo_watch.extract.catalog import (
    LIGHT_VERBS,
    Catalog,
    Metric,
    content_words,
    is_spread_end,
    lemma,
    noun_class,
    says_median,
)
from ifo_watch.extract.clauses import (
    amounts_to,
    clause_of,
    clauses,
    is_referential,
    names_group_before,
)
from ifo_watch.extract.groups import (
    KOMMUNGRUPPER,
    RATE_POPULATION,
    SEXES,
    find_group,
    kommungrupp_spans,
    kommungrupper_between,
    part_group,
)
from ifo_watch.extract.numbers import NumberMatch, find_numbers
from ifo_watch.extract.regions import (
    Place,
    county_of,
    demonym_place,
    find_places,
    newspaper_place,
    normalize_place,
)
from ifo_watch.extract.scan import holds_any, may_hold_words
from ifo_watch.extract.sentences import HAS_LETTER, Sentence, may_hold_number, sentences
from ifo_watch.extract.tables import table_figures
from ifo_watch.models import Document, Figure, Identity

EXTRACTOR_VERSION = "figures-3"

__all__ = ["EXTRACTOR_VERSION", "Sentence", "extract", "sentences"]


# --- Extraction -----------------------------------------------------------------------------


class _State:
    """What one pass over a document remembers: its anchors and the figures so far.

    A plain class, not a dataclass: its __init__ is compiled, where a dataclass's
    generated one runs interpreted (one is made for every document).
    """

    def __init__(
        self,
        doc: Document,
        catalog: Catalog,
        survey: int | None,
        end_year: int | None,
        *,
        topic: str,
        title: str,
    ) -> None:
        self.doc: Document = doc
        self.catalog: Catalog = catalog
        self.survey: int | None = survey
        self.end_year: int | None = end_year
        self.heading_period: str | None = None
        self.section_period: str | None = None  # the time figures under a heading stated
        self.block_figures = 0  # figures of the paragraph so far
        self.section_place: Place | None = None
        self.doc_place: Place | None = None
        self.site_place: Place | None = None
        self.notice_block: int | None = None  # "Rättelse ...": a notice above the text
        self.correction_block: int | None = None  # the notice says what was corrected
        self.last_kommun: Place | None = None  # the last kommun the text named
        # a kommun a paragraph without figures turned to ("Nyköpings kommun är ett exempel
        # på …"), and that paragraph
        self.introduced: tuple[Place, int] | None = None
        self.prev_places: tuple[Place, ...] = ()  # the one place the sentence before spoke of
        self.prev_national: bool = False  # the sentence before spoke of the whole country
        self.national_block: int | None = None  # a paragraph a sentence turned national
        self.prev_made: tuple[Figure, ...] = ()  # the figures of the last sentence that had any
        self.comments: bool = False  # past the heading of readers' comments
        # the numbers of this sentence that are no figures
        self.unsaid: tuple[tuple[int, int], ...] = ()
        # where this sentence's numbers counted in fixed prices start ("i fasta priser")
        self.fixed_prices: frozenset[int] = frozenset()
        # the sentence before, for one that starts "Där ..." or "Av dem ..."
        self.prev_text: str = ""
        self.intro_period: str | None = None  # the time of a line opening a list (":")
        self.paragraph_text: str = ""  # the paragraph's sentences before this one
        self.words_text: str = ""  # the sentence's words that may name an indicator (see _figure)
        self.section_block: int = -1
        self.lead_block: int | None = None
        self.figure_block: int | None = None  # the first paragraph that gave a figure
        self.first_figures: int | None = None  # that paragraph's block, even after the lead's
        # the lead holds no number: the first figures' paragraph leads
        self.lead_quiet: bool = False
        self.lead_period: str | None = None
        self.block: int = -1
        self.block_period: str | None = None
        self.block_span: str | None = None  # the span a change of this paragraph stated
        self.block_levels: list[str] = []  # the periods its levels stated
        self.block_per: str | None = None  # the denominator of the paragraph's last rate
        self.prev_own: str | None = None  # the time the sentence before stated itself
        self.news_year: str | None = None  # the year of the new results a news text reports
        self.block_figured: bool = False  # the paragraph's time is one its figures were stated for
        self.day: str | None = None  # the last day the text stated ("Den 1 november 2017 ...")
        self.census: dict[str, str | None] = {}  # its census day, by year asked
        # the time of an earlier survey ("den förra kartläggningen 2017")
        self.earlier: str | None = None
        self.figures: list[Figure] = []
        # derived keys of the document so far: metric, focus words, sentence, counted noun
        self.derived: list[tuple[Metric, frozenset[str], int, str]] = []
        self.sentence_no: int = 0  # which sentence is being read (derived keys remember theirs)
        # what the document is about: its title, headline and section heading
        self.topic: str = topic
        self.title: str = title
        self.headline: str = ""  # the first heading that is not the title (a masthead's article)
        self.section: str = ""  # the heading over the paragraphs being read
        # Whether the text names Öppna jämförelser: the response rate the catalog knows is
        # that survey's; another survey's is an indicator of its own. None until a figure
        # asks (_names_oj): reading the whole text for it is rarely needed.
        self.names_oj: bool | None = None
        # The data year the text declares for its figures ("Uppgifterna avser 2023").
        self.declared: int | None = None


def extract(doc: Document, *, catalog: Catalog | None = None) -> list[Figure]:
    """Return the figures of a document in document order; pure, never raises on odd text.

    Text figures come first in text order, then table figures table by table (a
    Document keeps its tables apart from its text).
    """
    catalog = catalog or _default_catalog()
    if doc.published is None and doc.text:
        doc = replace(doc, published=periods.dateline(doc.text))
    survey = periods.survey_year(doc.text) if doc.text else None
    # The document lower-cased (survey_year made it): its lead's, when letters kept their places.
    lower = scan.lowered(doc.text)
    lead_lower = lower[:_DECLARED_CHARS] if len(lower) == len(doc.text) else None
    declared = periods.declared_year(doc.text[:_DECLARED_CHARS], lead_lower) if doc.text else None
    if declared:
        survey = declared  # "Uppgifterna avser 2023 om inget annat sägs"
    published_year = doc.published.year if doc.published else None
    if survey and published_year and survey < published_year - 1 and _OWN_SURVEY.search(doc.text):
        # "Vid årets kartläggning ..." in 2019 beside "den nationella kartläggningen i
        # april 2017": the text reports a survey of its own year, the 2017 one is another
        survey = None
    topic = doc.title or doc.text.lstrip().split("\n", 1)[0][:200]
    state = _State(doc, catalog, survey, survey or published_year, topic=topic, title=topic)
    state.declared = declared
    if published_year and _may_report_new(doc.text[:_NEWS_LEAD_CHARS]):
        # "Det visar förbundets nya medlemsundersökning": news of results just out, about
        # the year the text is published, where nothing names another
        state.news_year = str(published_year)
    state.doc_place = _document_place(topic, headline=True)
    # A kommun's or region's own site ("Hultsfreds kommun") speaks of its place.
    state.site_place = (
        _document_place(doc.publisher or "")
        or _newspaper_place(doc.publisher)
        or _kicker_place(doc.text, topic)
    )
    for sentence in sentences(doc.text):
        _take_sentence(sentence, state)
    if state.doc_place is not None and _place_referred(topic) == state.doc_place.type:
        # "Var tredje barnutredare i länet …" over a lead naming Örebro län: the title's
        # own figures are about the place the lead names too
        place = state.doc_place
        state.figures = [
            replace(f, region=place.name, region_type=place.type)
            if f.region is None and f.sentence.strip() == topic.strip()
            else f
            for f in state.figures
        ]
    tables_period = state.heading_period or (str(survey) if survey else None)
    for table in doc.tables:
        state.figures.extend(
            table_figures(
                table,
                catalog=catalog,
                period=tables_period,
                offset=len(doc.text),
                place=state.doc_place or state.site_place,
                topic=state.title,
            )
        )
    # "2023–2024-01-01–2024-08-31": a change's span whose end is itself a span of months
    # is the span of their years
    return [
        f
        if f.period is None or f.period.count("–") < 2
        else replace(f, period=periods.span_of_years(f.period))
        for f in state.figures
    ]


@lru_cache(maxsize=1)
def _default_catalog() -> Catalog:
    return Catalog.load()


_PROSE_WORDS = 6


def _take_sentence(sentence: Sentence, state: _State) -> None:
    state.sentence_no += 1
    if sentence.block != state.block:
        state.paragraph_text = ""
        state.block, state.block_period, state.block_span = sentence.block, None, None
        if state.intro_period is not None:
            # "Så många anmälningar kom in under 2018:", then a list "Köping: 690": the
            # line that opens the list gives the list its time
            state.block_period, state.intro_period = state.intro_period, None
        state.block_levels = []
        state.block_per = None
        state.block_figured = False
        state.block_figures = 0
    heading_mentions = None
    if sentence.heading:
        heading_mentions = _take_heading(sentence, state)
        if state.doc_place is None and state.lead_block is None and state.figures == []:
            # a plain-text report's title under its letterhead ("KOMMUNFÖRBUNDET
            # NORRBOTTEN", then "Kostnader … i Norrbottens kommuner 2023"): the headings
            # before the first paragraph are the title's
            state.doc_place = _document_place(sentence.text, headline=True)
    elif state.lead_block is None and _NOTICE.match(sentence.text):
        state.notice_block = sentence.block  # a correction notice: no lead, no place
        if _CORRECTION.match(sentence.text):
            state.correction_block = sentence.block
    elif _CORRECTION_LABEL.match(sentence.text):
        state.correction_block = sentence.block  # "Rättelse 22 mars 2024: …" further down
    elif (
        state.lead_block is None
        and sentence.block != state.notice_block
        and _is_prose(sentence.text)
    ):
        state.lead_block = sentence.block
        state.lead_quiet = sentence.quiet
        if state.doc_place is None:  # a title without a place: the lead may name it
            state.doc_place = _document_place(sentence.text)
        if _LEAD_FIELD.search(sentence.text.lower()) and not _LEAD_FIELD.search(
            state.topic.lower()
        ):
            # "Ingen kommun lägger så mycket på individ- och familjeomsorgen som
            # Filipstad" under a title naming no field: the lead says what the article is
            # about
            state.topic = f"{state.topic} individ- och familjeomsorg"
    elif (
        state.doc_place is None
        and sentence.block == state.lead_block
        and (kind := _place_referred(state.title)) is not None
    ):
        # "Var tredje barnutredare i länet är ny i yrket": the län the title refers to is
        # the one the lead names, in whichever of its sentences
        found = _document_place(sentence.text)
        state.doc_place = found if found is not None and found.type == kind else None
    if (
        sentence.quiet
        and sentence.block == state.lead_block
        and state.lead_period is None
        and periods.has_year_hint(sentence.text)
    ):
        # "Här sammanfattar SKR resultaten från höstens enkät": a lead about the page
        # gives no figures, but the time it names is the document's
        state.lead_period = _own_period(
            periods.find_periods(sentence.text, published=state.doc.published),
            sentence.text,
            published=state.doc.published,
        )
    if sentence.quiet and not sentence.heading and not state.comments:
        # a paragraph without figures may still name the place the next ones are about
        # ("Nyköpings kommun är ett exempel på …", then "Kommunen anställde 2025 nio …")
        _remember_places(sentence.text, state, block=sentence.block, quiet=True)
    if sentence.quiet or state.comments or sentence.block == state.correction_block:
        return  # a correction notice tells what changed; the text states the figures
    if heading_mentions is not None and not periods.has_relative_hint(sentence.text):
        mentions = heading_mentions  # nothing for the publication date to resolve
    elif periods.has_year_hint(sentence.text):
        # Most sentences name no period: only these work out what "året innan" counts from.
        mentions = periods.find_periods(
            sentence.text, published=state.doc.published, ref_year=_ref_year(sentence, state)
        )
    else:
        mentions = []
    if mentions and sentence.block == state.notice_block:
        # "Rättelse 2024-04-18: …": when the notice was written, no time of a figure
        label = _NOTICE_LABEL.match(sentence.text)
        if label is not None:
            mentions = [m for m in mentions if m.start >= label.end()]
    if (
        state.prev_own
        and may_hold_words(sentence.text, ("sedan",))
        and (since_then := scan.search_at_starts(_SINCE_THEN, _SINCE_STARTS, sentence.text))
        is not None
    ):
        # "När Socialstyrelsen senast kartlade området, för 2021, var antalet 422 000.
        # Sedan dess har de blivit 38 000 fler": since the time the sentence before stated
        years = periods.years_in(state.prev_own)
        if years:
            year = years[-1]
            at = since_then.span()
            since = periods.PeriodMention(at[0], at[1], "since", str(year), year)
            mentions = sorted([*mentions, since], key=lambda m: m.start)
    own = _own_period(mentions, sentence.text, published=state.doc.published)
    state.intro_period = own if own and sentence.text.rstrip().endswith(":") else None
    state.earlier = periods.earlier_survey(mentions, sentence.text) or state.earlier
    if own is None and state.day and periods.names_same_day(sentence.text):
        # "Insatsen gavs på mätdagen till drygt 6 100 personer. Av dem hade 45 procent
        # ...": the sentence states the day for its paragraph.
        own = state.day if periods.day_in(state.day, _fallback_period(state)) else None
    before = len(state.figures)
    opens = state.block_figures == 0  # the paragraph's first figures come now, if any
    if may_hold_number(sentence.text) and HAS_LETTER.search(sentence.text):
        then = own is None and state.prev_own is not None and _THEN_BACK.match(sentence.text)
        saved = state.block_period
        if then and state.prev_own is not None:
            # "När kartläggningen gjordes, om 2018, ... Då handlade det om 331 000
            # anmälningar": the time the sentence before stated, for this one only; after
            # a comparison ("Jämfört med 2018 var de en fjärdedel fler. Då låg nivån på
            # 331 000"), the time compared with
            years = periods.years_in(state.prev_own)
            span = "–" in state.prev_own and len(years) == 2
            state.block_period = str(years[0]) if span else state.prev_own
        _sentence_figures(sentence, state, mentions=mentions)
        _total_of_forms(state, before, sentence)
        if then:
            state.block_period = saved
        if state.figure_block is None and len(state.figures) > before and not sentence.heading:
            state.figure_block = state.first_figures = sentence.block
            if state.lead_block is not None and state.lead_block != sentence.block:
                # A lead that names no time leaves it to the first figures' paragraph,
                # unless that time is only a source's ("I en undersökning från 2016").
                leads = state.lead_quiet or (
                    state.lead_period is None and not periods.of_source(sentence.text, own)
                )
                state.figure_block = sentence.block if leads else -1
    if opens and sentence.block == state.lead_block and before == 0 and state.doc_place:
        _lead_place(state.figures[before:], state)
    state.block_figures += len(state.figures) - before
    if len(state.figures) == before and not sentence.heading:
        _remember_places(sentence.text, state, block=sentence.block)
    state.block_levels += [
        f.period for f in state.figures[before:] if f.measure == "level" and f.period
    ]
    if len(state.figures) > before:
        state.block_per = state.figures[-1].per
    # "Antagen av kommunfullmäktige 2024-04-22, § 58": a date written as a record's (ISO),
    # in a sentence without figures, is when a paper was dealt with, no time of figures
    recorded = own is not None and len(state.figures) == before and own in sentence.text
    if own is not None and not sentence.heading and not (recorded and periods.is_day(own)):
        if periods.is_day(own):
            state.day = own  # "på mätdagen", "samma dag" later are this day
        looks_back = (
            (
                scan.search_at_starts(_LOOKS_BACK, _LOOKS_BACK_STARTS, sentence.text) is not None
                and periods.steps_back(state.block_period or _fallback_period(state), own)
            )
            or _only_from_year(sentence.text, own)
            # "Senast andelen var lika låg var i juli 2017": when it was last so, no time
            # of the text's figures
            or ("enast" in sentence.text and _LAST_TIME_SO.search(sentence.text) is not None)
            # "Sedan den 1 januari 2018 ska socialtjänsten ...": when a rule began, no
            # time of the figures after it
            or (
                len(state.figures) == before
                and periods.is_day(own)
                and any(
                    m.period == own and _RULE_SINCE.search(sentence.text, 0, m.start)
                    for m in mentions
                )
            )
        )
        figureless_aside = (
            # "Även i år skiljer det mycket mellan länen" after "Under 2024 fick 3,0
            # procent ...": a relative time in a sentence without figures moves nothing
            state.block_figured
            and len(state.figures) == before
            and all(m.kind == "relative" for m in mentions if m.period)
        )
        if (
            not looks_back
            and not figureless_aside
            and not (state.block_figured and periods.steps_back(state.block_period, own))
        ):
            # A time stated with figures holds against an older one a sentence after it
            # states (the time compared with); a time that framed no figure does not.
            state.block_period = own
            state.block_figured = len(state.figures) > before
            lead_years = periods.years_in(state.lead_period)
            if (
                opens
                and state.block_figured
                and state.heading_period is None
                and not periods.of_source(sentence.text, own)  # ("I en enkät från 2019")
                # (a day other than a census day speaks for its own sentence)
                and (
                    _YEARS_ONLY.fullmatch(own) is not None
                    or periods.census_day_of(sentence.text, own[:4]) == own
                )
                and not (lead_years and periods.years_in(own)[-1:] < lead_years[-1:])
            ):
                state.section_period = own  # for the section's paragraphs after it
        if (
            state.lead_period is None
            and not looks_back
            and sentence.block in (state.lead_block, state.figure_block)
        ):
            # The time the lead states, or the first paragraph with figures when the
            # lead names none, is the document's until a heading says otherwise: a
            # local paper's "Under 2023 fick 4 870 hushåll ..." holds for the
            # paragraphs after it, whose sentences name no year.
            state.lead_period = own
        elif sentence.block == state.first_figures and periods.part_of(own, state.lead_period):
            # "steg kraftigt i slutet av 2009" in the lead, "Under fjärde kvartalet 2009
            # ..." where the figures start: the document is about that quarter.
            state.lead_period = own
    if not sentence.heading:
        if own is None and state.block_period is not None:
            # "Den 1 november 2023 var 352 ... Under hela året vårdades 1 060 ...": the
            # paragraph goes on about the year, no longer about its day
            state.block_period = periods.of_year(state.block_period, sentence.text)
        said = {f.period for f in state.figures[before:]}
        state.prev_own = own or (said.pop() if len(said) == 1 else None)
        # what a definition explains ("…, alltså en placering i familjehem, på HVB …")
        # never speaks for the sentences after it
        said_text = (
            _DEFINITION.sub(" ", sentence.text) if _may_define(sentence.text) else sentence.text
        )
        state.prev_text = said_text[-_PREV_CHARS:]
        state.paragraph_text = f"{state.paragraph_text} {said_text}"[-_PARAGRAPH_CHARS:]


_YOUNG_ADULTS = re.compile(r"\s+unga\s+vuxna\b", re.I)


def _former_or_latter(
    number: NumberMatch, text: str, clause: tuple[int, int], state: _State
) -> Figure | None:
    """Return the figure "den förra" or "den senare" before a change names, or None."""
    said = _FORMER_LATTER.search(text, max(0, number.start - _FORMER_REACH), number.start)
    if said is None:
        return None
    levels = [f for f in state.figures if f.sentence == text and f.measure == "level"]
    named = list({f.metric: f for f in levels}.values())
    if len(named) < 2:
        return None
    return named[-2] if said[1].lower() in ("förra", "förstnämnda") else named[-1]


_FORMER_LATTER = re.compile(
    r"\b(?:den|det|de)\s+(förra|förstnämnda|senare|sistnämnda)\b(?:[^\d.;]{0,40})$", re.I
)
_FORMER_REACH = 60
_YEARS_OF = re.compile(r"\s+(?:med|av|sedan|efter|i)\s", re.I)
_RULE_SINCE = re.compile(r"\b(?:sedan|från\s+och\s+med|fr\.o\.m\.?)\s+(?:den\s+)?$", re.I)
_CONTRAST_OPEN = re.compile(r"[\s,]*(?:medan|men|samtidigt\s+som)\s", re.I)
_NEGATED = re.compile(r"\b(?:ingen|inget|inga|inte|saknar|saknade|utan)\b", re.I)
_SINCE_THEN = re.compile(r"\bsedan\s+(?:dess|dåvarande\s+mätning(?:en)?)\b", re.I)
_SINCE_STARTS = re.compile(r"sedan\s")
_TIME_PERS = frozenset({"månad", "dag", "vecka"})
_IN_THOSE_HOUSEHOLDS = re.compile(r"\bi\s+(?:dessa|de|deras)\s+hushåll\w*|\bi\s+hushållen\b", re.I)


def _total_of_forms(state: _State, before: int, sentence: Sentence) -> None:
    """Key a total by the whole its parts are forms of.

    "Totalt gällde det 346 barn, av vilka 221 var i familjehem och 78 på hem för vård":
    the parts are forms of placement, so the total counts the children placed, whatever
    the sentence before lent it.
    """
    made = state.figures[before:]
    if len(made) < _FORM_PARTS + 1 or not _varav(sentence.text):
        return
    for i, total in enumerate(made[:-_FORM_PARTS]):
        start = total.offset - sentence.start + len(total.quote)
        marker = _varav(sentence.text, start)
        if marker is None or total.measure != "level" or total.unit != "antal":
            continue
        parts = [f for f in made[i + 1 :] if f.offset - sentence.start >= marker.end()]
        wholes = {(state.catalog.get(f.metric) or _NO_METRIC).part_of for f in parts}
        forms = {f.metric for f in parts}
        if len(forms) < _FORM_PARTS or len(wholes) != 1 or None in wholes:
            continue  # (parts by sex of one form, "varav 9 500 pojkar", are no forms)
        whole = state.catalog.get(wholes.pop() or "")
        if whole is None or total.metric == whole.key or total.identity == "catalogued":
            continue
        at = before + i
        state.figures[at] = replace(total, metric=whole.key, label=whole.label, identity="context")
        return


_FORM_PARTS = 2  # parts that must name forms of one whole
_NO_METRIC = Metric(key="", label="")


def _only_from_year(text: str, own: str) -> bool:
    """Tell a sentence whose own year is only the start of a "från ... till" pair ("från
    38,6 per 10 000 invånare 2017 till 26 vid den senaste mätningen"): no time of its
    paragraph."""
    pair = _FROM_TO_PAIR.search(text)
    return pair is not None and own in pair[1] and own not in text[pair.end() :]


_FROM_TO_PAIR = re.compile(r"\bfrån\b([^.;]*?)\btill\b", re.I)
# "Då handlade det om 331 000": "then", the time of the sentence before.
_THEN_BACK = re.compile(r"\W*(?:då|vid\s+den\s+tiden|på\s+den\s+tiden)\s+(?!\w+\s+som\b)\w+", re.I)
# "År 2017 var de omkring 5 900": an older value of what was just counted, an aside that
# sets no time for the sentences after it.
_LOOKS_BACK = re.compile(
    r"\b(?:var|låg|hade)\s+(?:de|det|den|siffran|antalet|andelen|talet|nivån|motsvarande)\b|"
    r"\b(?:siffran|antalet|andelen|talet|nivån)\s+(?:var|låg)\b",  # "Andelen var 37 procent 2010"
    re.I,
)
_LAST_TIME_SO = re.compile(
    r"\bsenast\b[^.;]{0,60}?\b(?:lika|så)\s+(?:lågt?|högt?|många|få)\b|"
    r"\b(?:lika|så)\s+(?:lågt?|högt?|många|få)\b[^.;]{0,40}?\bsenast\b",
    re.I,
)
_LOOKS_BACK_STARTS = re.compile(r"(?:var|låg|hade|siffran|antalet|andelen|talet|nivån)\s")


def _is_prose(text: str) -> bool:
    return text.count(" ") >= _PROSE_WORDS - 1 and text.endswith((".", "!", "?"))


_PLACE_HEADING_WORDS = 8
_ENDS_ON_PLACE = re.compile(r"\b(?:i|från|på|inom)\s+$", re.I)
# A heading about the country ("Platsbrist i hela landet"), not one comparing with it
# ("Nästan dubbelt så mycket som riket", "Fler placerade per invånare än i riket").
_NATIONAL_HEADING = re.compile(
    r"(?<!som )(?<!än )(?<!mot )\b(?:i\s+hela\s+landet|över\s+hela\s+landet|i\s+riket|"
    r"hela\s+riket|nationellt|i\s+hela\s+sverige|i\s+sverige|"
    # "Den nationella bilden", "Landet som helhet", "Riket"
    r"(?:den\s+)?nationella\s+(?:bilden|nivån|siffrorna|utvecklingen)|landet\s+som\s+helhet|"
    r"^\W*(?:riket|hela\s+landet)\W*$)",
    re.I,
)
# A part of each of its names free of "i" and "s" (whose case-insensitive matches include
# letters str.lower() keeps): "landet", "riket", "nationell", "sverige".
_NATIONAL_HEADING_PARTS = ("landet", "ket", "onell", "ver")
# (Each of its forms holds "kommentarer", in the lower-cased heading.)
_COMMENTS = re.compile(
    r"(?:\d+\s+)?(?:läsar)?kommentarer(?:\s*\(\d+\))?|visa\s+\d+\s+kommentarer", re.I
)


def _names_report_year(period: str, state: _State) -> bool:
    """Tell a heading's year that only names the report ("Lägesbild 2024") in a text that
    declares its data another year's ("Uppgifterna avser 2023")."""
    published = state.doc.published
    return (
        state.declared is not None
        and published is not None
        and period == str(published.year)
        and state.declared != published.year
    )


def _take_heading(sentence: Sentence, state: _State) -> list[periods.PeriodMention]:
    """Take the period and place a heading opens a section with; return its periods."""
    lowered = scan.lowered(sentence.text)
    if "kommentarer" in lowered and _COMMENTS.fullmatch(sentence.text.strip()):
        state.comments = True  # readers' comments close a blog post: not its figures
    mentions = periods.find_periods(sentence.text)
    period = periods.heading_period(sentence.text, mentions)
    state.section_period = None
    # A new section: "De" under it never leans on the country the sentence before named
    state.prev_national = False
    if _CORRECTION_HEADING.fullmatch(sentence.text):
        state.correction_block = sentence.block + 1  # "Rättelse" over the notice
    if not mentions and periods.has_bare_day(sentence.text):
        # "Placerade den 1 november": the census day of the year the text is about, for
        # the section under it ("Vid mätdagen bodde ...")
        years = periods.years_in(_fallback_period(state))
        ref = years[-1] if years else state.survey
        day = periods.bare_day_of(sentence.text, str(ref)) if ref else None
        if day is not None:
            period = state.day = day
    if period is not None and not _names_report_year(period, state):
        state.heading_period = period
    _take_topic(sentence.text, state)
    words = len(sentence.text.split())
    # A heading that is only a place ("Stockholms stad") opens a section about it.
    places = find_places(sentence.text) if words <= _PLACE_HEADING_WORDS else []
    # ... and so does one naming one kommun as its subject ("Borlänge satsade på
    # introduktion" in a national article): its first paragraph is about that kommun.
    only = len(places) == 1 and words <= len(places[0].name.split()) + 1
    subject = len(places) == 1 and places[0].type == "kommun" and places[0].start == 0
    # ... and one that ends on its place ("Ett exempel från Jönköping", "Läget i Skåne")
    ending = (
        len(places) == 1
        and not sentence.text[places[0].end :].strip(" .:!?")
        and _ENDS_ON_PLACE.search(sentence.text, 0, places[0].start) is not None
    )
    if only or subject or ending:
        state.section_place = places[0]
        state.section_block = sentence.block + 1
    elif (
        not places
        and words <= _PLACE_HEADING_WORDS
        and holds_any(lowered, _NATIONAL_HEADING_PARTS)
        and _NATIONAL_HEADING.search(sentence.text)
    ):
        # "Platsbrist i hela landet" in a local paper's article: its section speaks of
        # the country, not of the article's place
        state.section_place = Place(name="", type="", start=0, end=0)
        state.section_block = sentence.block + 1
    elif state.section_place is not None:
        state.section_place = None
    return mentions


_NEW_RESULTS = re.compile(
    r"\b(?:visar|enligt|framgår\s+av)\s+(?:\S+\s+){0,3}?(?:nya|färska|senaste|årliga)\s+"
    r"(?:\w+)?(?:undersökning|enkät|rapport|kartläggning|statistik|siffror|granskning)\w*",
    re.I,
)
_NEW_RESULTS_STARTS = re.compile(r"(?:visar|enligt|framgår)\s")
_NEWS_LEAD_CHARS = 1500


def _may_report_new(lead: str) -> bool:
    """Tell whether a text's lead says its results are new: `_NEW_RESULTS`, scanned only
    when the lead holds one of its verbs and one of its adjectives."""
    return (
        may_hold_words(lead, ("visar", "enligt", "framgår"))
        and may_hold_words(lead, ("nya", "färska", "senaste", "årliga"))
        and scan.search_at_starts(_NEW_RESULTS, _NEW_RESULTS_STARTS, lead) is not None
    )


_OWN_SURVEY = re.compile(
    # ("Socialtjänstens egen räkning", "sin egen kartläggning den 15 oktober": the kommun's own)
    r"\b(?:årets|i\s+år\s+genomförda|eg(?:en|et|na))\s+(?:lokala\s+)?"
    r"(?:kartläggning|mätning|enkät|undersökning|räkning|inventering)",
    re.I,
)


def _take_topic(heading: str, state: _State) -> None:
    """Let a heading say what its section is about, beside the title.

    A plain-text article's headline under its paper's name ("ESKILSTUNABLADET") says
    what the whole article is about; a later heading ("Ekonomiskt bistånd" in a report
    on all of IFO) what its section's clauses leave unsaid (`_topic_for`).
    """
    text = " ".join(heading.split())
    if state.comments or text == state.title:
        return
    if not state.headline and state.lead_block is None:  # (after the lead: a section's)
        state.headline = text
        state.topic = f"{state.title} {text}"
    else:
        state.section = text


# Words naming a field of IFO: a clause that names one says what it is about itself, and
# no section heading over it speaks for it ("Inom missbruksvården ökade kostnaderna" under
# "Ekonomiskt bistånd minskar"). Read in the lower-cased clause: a case-insensitive scan
# of this alternation is several times slower.
_FIELD_WORDS = re.compile(
    r"missbruk|beroende|hvb|familjehem|stödboende|placer|våld|hemlös|"
    r"orosanmäl|anmälning|socialsekreterare|handläggare|personal|lvm|lvu|bistånd|"
    r"försörjningsstöd|skyddat?\s+boende|socialjour|familjerätt|vräkning"
)


# The field an article's lead may name where its title names none
_LEAD_FIELD = re.compile(r"familjeomsorg|\bifo\b")


def _topic_for(clause: str, state: _State) -> str:
    """Return what a clause is about beyond its own words: the title, and the section's
    heading unless the clause names a field of its own."""
    if not state.section or _FIELD_WORDS.search(clause.lower()):
        return state.topic
    return f"{state.topic} {state.section}"


# Not after a count: "de sju kommunerna", "12 kommunerna" (lookbehinds of fixed width)
_COUNT_WORDS = ("två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv")
_NOT_A_COUNT_BEFORE = "".join(rf"(?<!\b{w}\s)" for w in (*_COUNT_WORDS, r"\d"))
_NATIONAL = re.compile(
    r"\b(?:hela\s+landet|i\s+riket|(?:riket|landet)\s+som\s+helhet|i\s+landet|nationellt|"
    r"rikssnitt\w*|riksgenomsnitt\w*|i\s+(?:hela\s+)?sverige|landets|för\s+riket|sverige\s+som|"
    r"rikets|riket|"
    # all the kommuner together: "Totalt betalade kommunerna ut", "kommunerna sammanlagt"
    # (not some of them: "De övriga sju kommunerna rapporterade tillsammans 219")
    r"(?:totalt|sammanlagt|tillsammans)\b[^,.;]{0,30}\b(?<!övriga\s)(?<!andra\s)kommunerna(?!\s+i\b)|"
    rf"(?<!övriga\s)(?<!andra\s){_NOT_A_COUNT_BEFORE}\bkommunerna(?!\s+i\b)[^,.;]{{0,20}}"
    r"\b(?:totalt|sammanlagt|tillsammans))\b",
    re.I,
)


def _sentence_figures(
    sentence: Sentence, state: _State, *, mentions: list[periods.PeriodMention]
) -> None:
    """Append the figures of one sentence to the state, one per place sharing a figure."""
    text = sentence.text
    if _may_be_download(text) and _DOWNLOAD.search(text):
        return
    if frames.is_retracted(text):
        return  # what an earlier version wrongly said is no figure
    prices = list(_PRICE_BASIS.finditer(text)) if "pris" in text else []
    # ("4,4 procent i löpande priser och 1,2 procent i fasta priser": the basis is said of
    # each number; read without it, the second is the change the first is)
    found = find_numbers(_blanked(text, [m.span() for m in prices]) if prices else text)
    numbers = [n for n in found if _keep_number(n, sentence)]
    if not numbers:
        return
    state.fixed_prices = _fixed_prices(prices, numbers) if prices else frozenset()
    if len(numbers) < len(found):
        # What is no figure ("sju år tidigare") is no word of an indicator either.
        kept = {id(n) for n in numbers}
        state.unsaid = tuple((n.start, n.end) for n in found if id(n) not in kept)
    else:
        state.unsaid = ()
    places = find_places(text)
    definitions = [m.span() for m in _DEFINITION.finditer(text)] if _may_define(text) else []
    # Numbers that are no figures, the names of places and the definitions a sentence
    # explains itself with are no words of an indicator (read once for its figures).
    state.words_text = _blanked(
        text,
        [
            # (not a time limit an indicator names: "klara inom lagens fyra månader")
            *(u for u in state.unsaid if not _WITHIN.search(text, 0, u[0])),
            *((p.start, p.end) for p in places),
            *(m.span() for m in prices),
            *definitions,
            *kommungrupp_spans(text),
        ],
    )
    # A definition's own "men" or ";" splits no clause of the sentence.
    spans = clauses(_blanked(text, definitions) if definitions else text)
    scoped = _scoped_places(text, state, places)
    if scoped and places:
        # "Malmö stod för 2 010 av länets hemlösa, drygt fyra av tio", "395 brott i
        # Sundsvall, vilket motsvarar 35 procent av länets anmälningar": the whole the
        # named place's share is of, not a place of its own
        scoped = [p for p in scoped if not _OF_THE_WHOLE.search(text, 0, p.start)]
    if (scoped or places) and _may_be_national(text) and _may_name_country(text):
        # "I länet var andelen 4,6 procent och i hela landet 2,7 procent", "För
        # Västmanlands län var siffran 205 och för hela landet 187": the country takes
        # its turn among the places of the clause.
        scoped += [
            Place(name="", type="", start=m.start(), end=m.end()) for m in _NATIONAL.finditer(text)
        ]
    assigned = _assign_places(
        numbers,
        sorted([*places, *scoped], key=lambda p: p.start) if scoped else places,
        spans,
        text,
    )
    # ("Året innan var kostnaden 10 198 kronor": the place of the figure it restates)
    leaning = not places and (
        _CONTINUES.match(text) is not None or _ANOTHER_TIME_OF_IT.match(text) is not None
    )
    # "Förra året fattade jouren 57 beslut": a local service, so a place, never the country
    owned = not places and not leaning and _THE_PLACES_OWN.search(text) is not None
    made: list[Figure] = []
    said_places: list[Place] = []
    said_national = False
    national_in: dict[tuple[int, int], bool] = {}
    times = _paired_times(
        numbers,
        text,
        [_period(n, text, mentions, state) for n in numbers],
        carried=state.block_span,
    )
    paired: dict[int, str] = {}
    like: dict[int, Figure] = {}  # the figure of the split before that a value restates
    run_of: dict[int, range] = {}
    for joined in frames.respective_runs(numbers, text):
        sexes = frames.sexes_by_position(joined, numbers, text) or _kinds_by_position(
            joined, numbers, text
        )
        paired.update(zip(joined, sexes, strict=False))
        run_of.update(dict.fromkeys(joined, joined))
    for joined, sexes in _gapped_sexes(numbers, text):
        if not any(i in run_of for i in joined):
            paired.update(zip(joined, sexes, strict=True))
            run_of.update(dict.fromkeys(joined, joined))
    counterpart: dict[int, Figure] = {}
    mirrored = _mirrored(numbers, text)
    for i, number in enumerate(numbers):
        clause = clause_of(spans, number.start)
        anchor = _anchor(i, numbers, text, clause)
        run = run_of.get(i)
        if run is not None and i == run[0] and i not in paired:
            # "Året innan var motsvarande andelar 63 respektive 37 procent", "..., jämfört
            # med 53 respektive 47 procent": the sexes of the split just before, in order.
            for j, before in zip(run, _split_before(state.figures, len(run)), strict=False):
                paired[j], like[j] = str(before.group), before
            if i not in paired:
                counterpart.update(_counterparts(run, numbers, text, state.prev_made))
        period = times[i]
        if anchor is not None:
            base = _restated(number, made[anchor], sentence, clause, period)
        else:
            level = _level_before(made, number, clause, sentence)
            base = _figure(
                number, sentence, clause, period, state, numbers=numbers, places=places, level=level
            )
        if number.unit == "kronor" and (gap := _against_budget(number, text)) is not None:
            # "en nettokostnad på 271,4 mnkr, vilket innebär ett underskott mot budget på
            # 14,1 mnkr", "24,3 mnkr mot en budget på 21,0 mnkr": the budget of the outcome
            # before, or how far that outcome fell from it, keyed apart
            # ("… kostade netto 1 046 miljoner kronor. Nämnden gick därmed 38,4 miljoner
            # kronor över sin budget": the outcome the sentence before stated)
            outcome = next(
                (
                    f
                    for f in itertools.chain(reversed(made), reversed(state.prev_made))
                    if f.unit == "kronor"
                    and f.measure == "level"
                    and "_budget" not in f.metric
                    and not f.per
                ),
                base,
            )
            of = state.catalog.get(outcome.metric) or Metric(
                outcome.metric, outcome.label, "kronor"
            )
            if outcome is base and base.identity == "derived":
                # "Budgeten för individ- och familjeomsorgen är 430 miljoner kronor": no
                # outcome stated, a budget is what the area may cost
                spent = state.catalog.identify(
                    f"{text[clause[0] : clause[1]]} kostnad",
                    unit="kronor",
                    measure="level",
                    per=None,
                    topic=state.topic,
                )
                of = spent if spent.catalogued else of
            gapped = state.catalog.accounting(of, *gap)
            base = replace(base, metric=gapped.key, label=gapped.label)
        compared = _compared_with(number, text, clause, made) or _compared_back(number, text, state)
        if compared is not None and compared.per is not None and base.per is None:
            # "Det är mer än i Södermanlands län, där snittet var 1 592 kronor": the rate
            # the sentence before gave, for another place
            base = replace(base, per=compared.per)
        if compared is not None and (base.metric, base.group) != (compared.metric, compared.group):
            # "Cirka 237 000 hushåll …, jämfört med knappt 215 000 under 2008", "53 procent
            # av dem var pojkar, att jämföra med 56 procent året innan": the value compared
            # with is the same indicator's and group's, whatever the heading around says
            base = _keyed_as(base, compared, identity=compared.identity, group=compared.group)
        whole = frames.whole_of_part(number, made, text, sentence.start)
        said_again = frames.whole_said_again(number, text, [*state.figures, *made])
        if said_again is not None:
            # "Av de 2 439 sov 163 utomhus": the total named again, not the parts' indicator
            base = _keyed_as(base, said_again, identity=said_again.identity, group=said_again.group)
        elif whole is not None:
            base = _keyed_as(base, whole, identity=whole.identity)
        elif base.identity != "catalogued" and (
            (named := frames.whole_named_before(number, text, state.figures, made))
            or (named := frames.repeated_count(number, text, state.figures))
            or (
                (named := frames.part_named_by_group(number, text, state.figures, made))
                # (a part shares its whole's time: "Pojkarna var 14 900 … under året" is
                # no part of a count on 1 november)
                and named.period == base.period
            )
        ):
            # "Av de 46 personerna var 34 kvinnor och 12 män", "De 60 ärendena": the
            # indicator of the count named back; a part keeps its population as group.
            part = part_group(lemma(number.noun.lower())) if number.noun else None
            base = _keyed_as(
                base, named, group=base.group or (part if named.value != number.value else None)
            )
            if (subject := frames.group_subject(number, text)) is not None:
                base = replace(base, group=subject)  # "och barnen lika många …, 111"
        if i in paired and (
            base.group is None or base.group in SEXES or base.group in KOMMUNGRUPPER
        ):
            base = replace(base, group=paired[i])
            head = like.get(i) or (made[run_of[i][0]] if i != run_of[i][0] else None)
            if (
                head is not None
                and head.identity != "derived"
                and (i in like or base.identity == "derived" or head.metric.endswith("_andel_kon"))
            ):
                # "51 respektive 49 procent": the values of one split share its indicator.
                base = _keyed_as(base, head)
            elif number.unit == "procent" and i == run_of[i][0] and i not in like:
                # "Något fler anmälningar gällde pojkar än flickor: 54 procent respektive
                # 46 procent": the split by sex of what the sentence counts.
                base = _as_split_by_sex(base, text[: number.start], state)
        if i in counterpart:
            # "… 47 barn i familjehem och nio på HVB. Ett år tidigare var motsvarande
            # siffror 43 respektive 14": the figures before, in order, at this time
            cp = counterpart[i]
            base = _keyed_as(
                base, cp, group=cp.group, period=periods.same_day_in(cp.period, base.period)
            )
        if i in mirrored and mirrored[i] < len(made):
            # "56 barnfamiljer med 138 barn, att jämföra med 103 familjer och 217 barn ett
            # år tidigare": each value compared with is the one before it in order
            base = _keyed_as(base, made[mirrored[i]], group=made[mirrored[i]].group)
        made.append(base)
        number_places = assigned[i] or (assigned[anchor] if anchor is not None else [])
        if len(number_places) > 1:  # "Stockholms län … i länet": one place named twice
            number_places = list({p.name: p for p in number_places}.values())
        national = national_in.get(clause)
        if national is None:
            national = national_in[clause] = _is_national(text[clause[0] : clause[1]])
        if national and _ABOVE_THE_NATION.search(text, number.end, clause[1]):
            # "Per 1 000 invånare blev det 10,9, något över riket, där motsvarande tal var
            # 10,4": the country the figure is measured against is not its place
            national = _is_national(text[clause[0] : number.start])
        if any(not p.name for p in number_places):
            number_places, national = [p for p in number_places if p.name], True
        if not number_places and leaning and not national:
            # "Där motsvarade det 27,3 ...", "De gällde 3 100 barn": the place before.
            number_places = list(state.prev_places)
            national = state.prev_national
        elif not number_places and owned and not national:
            number_places = list(state.prev_places)
        in_section = state.section_place is not None and sentence.block == state.section_block
        if not number_places and in_section and not national and state.section_place:
            if state.section_place.name:
                number_places = [state.section_place]
            else:
                national = True  # a section headed "… i hela landet"
        doc_place = state.doc_place or state.site_place
        if (
            not number_places
            and not national
            and state.prev_national
            and state.national_block == sentence.block
        ):
            # "Där fick 26 500 barn en heldygnsinsats. På HVB var runt 6 100 placerade":
            # the paragraph goes on about the country, not the document's place
            national = True
        if not number_places and not national and doc_place is not None:
            number_places = [doc_place]
        if not number_places:
            state.figures.append(base)
        for place in number_places:
            state.figures.append(replace(base, region=place.name, region_type=place.type))
        said_places.extend(p for p in number_places if p.name not in {q.name for q in said_places})
        said_national = said_national or (national and not number_places)
    state.prev_places = tuple(said_places) if len(said_places) == 1 else ()
    state.prev_national = said_national and not said_places
    if state.prev_national and state.block_figures == 0:
        # "I landet som helhet fortsatte antalet … att minska, till drygt 214 000.
        # Kostnaderna ökade ändå något", "… visar att 7,2 procent av landets unga vuxna
        # fick bistånd. Ett år tidigare låg andelen på 7,0 procent": a paragraph whose
        # first figures are the country's is about the country (not "I riket var
        # genomsnittet 12 dagar" among a kommun's figures)
        state.national_block = sentence.block
    elif not state.prev_national or state.national_block != sentence.block:
        state.national_block = None  # (a national aside among local figures sets none)
    state.prev_made = tuple(made)
    for place in places:
        if place.type == "kommun":
            state.last_kommun = place


def _lead_place(made: Sequence[Figure], state: _State) -> None:
    """Let the place of a lead's first figures, when the lead names one kommun the title
    does not, be the document's: under "Sociala jouren växer – Torsås ansluter i mars",
    "Förra året tog sociala jouren i Kalmar hand om 3 912 ärenden" is about Kalmar, and
    so is the text after it that names no place."""
    place = state.doc_place
    named = {(f.region, f.region_type) for f in made}
    if place is None or place.type != "kommun" or len(named) != 1:
        return
    region, kind = next(iter(named))
    if region and kind == "kommun" and region != place.name:
        state.doc_place = Place(name=region, type=kind, start=0, end=0)


def _keyed_as(
    base: Figure, other: Figure, *, identity: Identity = "context", **changes: Any
) -> Figure:
    """Return a figure under another figure's indicator (its key and label), with the
    other fields `changes` gives (a group, a period)."""
    return replace(base, metric=other.metric, label=other.label, identity=identity, **changes)


def _remember_places(text: str, state: _State, *, block: int, quiet: bool = False) -> None:
    """Keep the place a sentence without figures names for the sentences after it.

    "Borlänge är en av de kommuner där kostnaden har ökat mest. Där steg
    utbetalningarna med 18 procent": "där" is Borlänge; "Jag har följt mottagningen i
    Jönköpings kommun. Under 2023 tog kommunen emot 6 940 anmälningar": "kommunen" too.
    """
    places = [p for p in find_places(text) if p.name] if _MAY_NAME_PLACE.search(text) else []
    if not places:
        if _may_be_national(text) and _is_national(text):
            # "I riket gick utvecklingen åt motsatt håll. Där fick 26 500 …": the country,
            # for the rest of the paragraph
            state.prev_places, state.prev_national = (), True
            state.national_block = block
        return
    if len({p.name for p in places}) == 1:
        state.prev_places, state.prev_national = (places[0],), False
        if quiet and places[0].type == "kommun":
            state.introduced = (places[0], block)
    for place in places:
        if place.type == "kommun":
            state.last_kommun = place


_MAY_NAME_PLACE = re.compile(r"[A-ZÅÄÖ]\w")  # place names are capitalised


# "…, jämfört med knappt 215 000 under 2008", "…, jämfört med 35 900 året innan"
_COMPARED_WITH = re.compile(
    r"(?:^\W*|,\s*)"
    r"(?:jämfört\s+(?:med|mot)|(?:att|kan)\s+jämföras?\s+med|i\s+jämförelse\s+med|mot)\s+$",
    re.I,
)


def _compared_with(
    number: NumberMatch, text: str, clause: tuple[int, int], made: Sequence[Figure]
) -> Figure | None:
    """Return the level of this sentence a value "jämfört med" is compared with: the last
    one before it of the same unit and denominator, when the value names no noun."""
    if number.noun or number.measure == "change" or not made:
        return None
    if not _COMPARED_WITH.search(text[clause[0] : number.start]):
        return None
    for fig in reversed(made):
        if fig.measure == "level" and fig.unit == number.unit and fig.per == number.per:
            return fig
    return None


def _compared_back(number: NumberMatch, text: str, state: _State) -> Figure | None:
    """Return the figure the sentence before ended on, when this one opens by comparing
    it with other places ("Det är mer än i länet, där snittet var 1 592 kronor, och
    betydligt mer än i riket (1 129 kronor)") and the value names no noun of its own."""
    if number.noun or number.per or number.measure == "change" or not state.prev_made:
        return None
    if _COMPARES_BACK.match(text) is None:
        return None
    last = state.prev_made[-1]
    return last if last.measure == "level" and last.unit == number.unit else None


# "Det är mer än …", "Det var lägre än …", "Det är något högre än …": the figure before,
# compared with the values this sentence gives
_COMPARES_BACK = re.compile(
    r"\s*(?:det|detta|den|siffran|nivån)\s+(?:är|var|ligger|låg)\s+(?:\w+\s+){0,2}?"
    r"(?:mer|mindre|högre|lägre|fler|färre|över|under)\s+(?:än|snittet|genomsnittet)\b",
    re.I,
)


def _mirrored(numbers: Sequence[NumberMatch], text: str) -> dict[int, int]:
    """Return, for the values a sentence compares with ("…, att jämföra med 103 familjer
    och 217 barn ett år tidigare"), the index of the value before the comparison each
    restates in order: as many levels, each of the same unit and noun (none, or the one
    whose compound it ends: "familjer" of "barnfamiljer"). Lists of two or more only."""
    if len(numbers) < 4:
        return {}
    marker = _comparison(text)
    if marker is None:
        return {}
    before = [i for i, n in enumerate(numbers) if n.end <= marker.start()]
    after = [i for i, n in enumerate(numbers) if n.start >= marker.end()]
    if len(before) != len(after) or len(before) < 2:
        return {}
    for a, b in zip(after, before, strict=True):
        na, nb = numbers[a], numbers[b]
        if na.unit != nb.unit or na.measure != "level" or nb.measure != "level":
            return {}
        if na.noun and not (nb.noun and lemma(nb.noun.lower()).endswith(lemma(na.noun.lower()))):
            return {}
    return dict(zip(after, before, strict=True))


def _counterparts(
    run: range, numbers: Sequence[NumberMatch], text: str, before: Sequence[Figure]
) -> dict[int, Figure]:
    """Return the figures of the sentence before that "motsvarande siffror X respektive
    Y" restate in order: as many levels of the same units, each its own indicator or group."""
    if len(before) > len(run) and before and _varav(before[0].sentence):
        # "41 … i familjehem, varav 12 i konsulentstödda familjehem, och 9 på HVB. Ett år
        # tidigare var motsvarande antal 37 respektive 11": the items, not their parts
        before = _without_parts(before)
    if len(before) != len(run) or not frames.names_corresponding(text):
        return {}
    distinct = {(f.metric, f.group) for f in before}
    if len(distinct) != len(before) or any(f.measure != "level" for f in before):
        return {}
    if any(numbers[j].unit != f.unit for j, f in zip(run, before, strict=True)):
        return {}
    return dict(zip(run, before, strict=True))


def _without_parts(figures: Sequence[Figure]) -> list[Figure]:
    """Return the figures of one sentence but the parts a "varav" opens, up to the ", och"
    that takes the list of items up again."""
    text = figures[0].sentence
    spans = []
    for marker in _VARAV.finditer(text):
        resumes = _ITEMS_RESUME.search(text, marker.end())
        spans.append((marker.end(), resumes.start() if resumes else len(text)))
    kept, at = [], 0
    for fig in figures:  # each figure's quote, found in order
        at = text.find(fig.quote, at)
        if at < 0:
            return list(figures)
        if not any(lo <= at < hi for lo, hi in spans):
            kept.append(fig)
        at += len(fig.quote)
    return kept


# ", och 9 på HVB" after the parts: the list of items goes on
_ITEMS_RESUME = re.compile(r",\s+(?:och|samt)\s|[;.]\s", re.I)


_ADULT_SEXES = frozenset({"kvinnor", "män"})


def _other_sex_share(
    number: NumberMatch, text: str, numbers: Sequence[NumberMatch], sex: str
) -> bool:
    """Tell whether the sentence gives the other sex's share too ("27 procent kvinnor och
    73 procent män"): then the two are the parts of one split by sex."""
    return any(
        other is not number
        and other.unit == "procent"
        and frames.composition_sex(other, text, numbers) not in (None, sex)
        for other in numbers
    )


def _kinds_by_position(run: range, numbers: Sequence[NumberMatch], text: str) -> list[str]:
    """Return the kommungrupp each value of a run is about, by the order they are named
    before it ("pendlingskommunerna nära storstad och landsbygdskommunerna hade 860
    respektive 640 kronor"); none unless as many as the values are named."""
    lo = numbers[run[0] - 1].end if run[0] > 0 else 0
    kinds = kommungrupper_between(text, lo, numbers[run[0]].start)
    return kinds if len(kinds) == len(run) and len(set(kinds)) == len(kinds) else []


def _as_split_by_sex(base: Figure, words: str, state: _State) -> Figure:
    """Return a share as the split by sex of the count its words name, when they name one."""
    if base.metric.endswith("_andel_kon"):
        return base
    population = _composed_population(words, state)
    if population is None:
        return base
    split = state.catalog.composition(population)
    return replace(base, metric=split.key, label=split.label, identity="context")


def _split_before(figures: Sequence[Figure], count: int) -> list[Figure]:
    """Return the last `count` figures when they are one indicator split by sex."""
    last = list(figures[-count:]) if len(figures) >= count else []
    groups = {f.group for f in last}
    if groups <= SEXES and len(groups) == count and len({f.metric for f in last}) == 1:
        return last
    return []


# A sentence that goes on from the one before, about the same place.
_CONTINUES = re.compile(
    r"\W*(?:där|dit|de|dessa|av\s+dem|bland\s+dem|"
    r"det\s+(?:motsvarar|motsvarade|betyder|innebär|innebar)|"
    # "Kostnaden där låg på 2 294 kronor": the subject, then "där"
    r"[a-zåäö]+(?:en|et|na)\s+där)\b",
    re.I,
)
# A service the sentence before placed, named again by its definite form: "Jouren i
# Stockholm har 64 anställda. Förra året fattade jouren 57 beslut", "…, säger jourens
# enhetschef", "Nämnden redovisar ett underskott på 21 miljoner kronor".
# People of that place speaking of it: "– I dag är vi fyra socialsekreterare på ett
# nattpass", after "I Göteborg, där socialjouren …".
_THE_PLACES_OWN = re.compile(
    r"\b(?:(?:social)?(?:jour|nämnd|förvaltning|mottagning)(?:en|ens)"
    r"(?!\s+(?:i|på|inom)\s+[A-ZÅÄÖ])"  # "jouren i Malmö" names its own place
    r"|vi|oss|vår|vårt|våra)\b",
    re.I,
)
# Words that name the place in scope: "i länet", "länets", "kommunen", "i staden" (not
# "länets kommuner": the figures of that clause are the kommuners', each named on its own).
# "av länets hemlösa", "den kommun i länet som har flest": the whole or the ranking's scope
_OF_THE_WHOLE = re.compile(r"\b(?:av|kommun(?:en|erna)?\s+i)\s+$", re.I)
_SCOPE_WORDS = re.compile(
    # "Högst i länet ligger Hofors": the ranking's scope, not the figure's place
    r"(?<!högst i )(?<!lägst i )(?<!Högst i )(?<!Lägst i )"
    # "Örnsköldsvik var den enda kommunen där …": a kind of kommun, not one in scope
    r"(?<!enda )(?<!första )(?<!sista )"
    r"\b(?:(länet|länets(?!\s+(?:kommuner|största|minsta|\w+aste)\b))|"
    r"(kommunen|kommunens|staden|stadens))\b",
    re.I,
)


_RANKED_IN = re.compile(
    r"\b(?:flest|mest|störst|högst|lägst|minst|färst|högsta|lägsta|största|minsta)\s+"
    r"(?:[a-zåäö]+\s+){0,2}i\s+$",
    re.I,
)


_KOMMUN_REACH_BLOCKS = 2  # paragraphs a kommun named in passing stays "kommunen" for


def _scoped_places(text: str, state: _State, named: Sequence[Place] = ()) -> list[Place]:
    """Return the places "länet", "kommunen" and "staden" stand for, where they stand.

    They name the place the sentence itself named before them ("Västmanlands län gick åt
    andra hållet; länet hade 209"), else the place in scope: the one the sentence before
    named alone ("I Härnösand ökade … Kommunen får flest anmälningar", "… i Södermanlands
    län. Kommunerna i länet betalade …"), else the section's or the document's ("länet"
    in a text about a kommun is that kommun's län, "kommunen" in a text about a län the
    last kommun it named). `named` are the places the sentence names.
    """
    lowered = scan.lowered(text)
    if "läne" not in lowered and "kommunen" not in lowered and "staden" not in lowered:
        return []
    # (a section headed "… i hela landet" names no place "länet" could stand for)
    section = state.section_place if state.section_place and state.section_place.name else None
    scope = section or state.doc_place or state.site_place
    named_before = state.prev_places[0] if len(state.prev_places) == 1 else None
    if named_before is not None and named_before.type in ("kommun", "län"):
        scope = named_before
    out: list[Place] = []
    for m in _SCOPE_WORDS.finditer(text):
        if any(p.end <= m.start() for p in named) and _RANKED_IN.search(
            text, max(0, m.start() - 40), m.start()
        ):
            continue  # "Norrköping har flest hemlösa i länet": the ranking's scope
        kind = "län" if m[1] else "kommun"
        said = [p for p in named if p.end <= m.start() and p.type == kind]
        if said:
            out.append(Place(name=said[-1].name, type=kind, start=m.start(), end=m.end()))
        elif scope is None:
            if (
                not m[1]
                and state.introduced is not None
                and state.block - state.introduced[1] <= _KOMMUN_REACH_BLOCKS
            ):
                # "Nyköpings kommun är ett exempel på …" in a paragraph of its own, then
                # "Kommunen anställde under 2025 nio socialsekreterare": the kommun the text
                # turned to
                name = state.introduced[0].name
                out.append(Place(name=name, type="kommun", start=m.start(), end=m.end()))
            continue  # a text about no one place: "där kommunen hyr ut" is any kommun
        elif m[1]:
            county = scope.name if scope.type == "län" else county_of(scope.name)
            if county:
                out.append(Place(name=county, type="län", start=m.start(), end=m.end()))
        else:
            kommun = scope if scope.type == "kommun" else state.last_kommun
            if kommun is not None:
                out.append(Place(name=kommun.name, type="kommun", start=m.start(), end=m.end()))
    return out


# Parts of the national words free of "i" and "s" (their case-insensitive matches
# include letters str.lower() keeps): a clause without any of them is not national.
_NATIONAL_PARTS = ("landet", "ket", "onellt", "riks", "sverige", "landets", "kommunerna")


# A notice above the text ("Rättelse 16 april 2024: ...", "Uppdaterad: ...") is no lead.
_NOTICE = re.compile(r"\W*(?:rättelse|uppdatering|uppdaterad|observera|obs\b|notera)", re.I)


_CORRECTION = re.compile(r"\W*(?:rättelse|korrigering|uppdatering|uppdaterad)", re.I)
_NOTICE_LABEL = re.compile(r"[^:.]{0,60}:")
_CORRECTION_HEADING = re.compile(r"\W*(?:rättelse|korrigering|rättad\s+uppgift)\W*", re.I)
_CORRECTION_LABEL = re.compile(r"\W*(?:rättelse|korrigering)\b[^:.]{0,40}:", re.I)


def _place_referred(title: str) -> str | None:
    """Return the type of place a title refers to without naming it ("… i länet",
    "kommunen satsar"), or None."""
    found = _REFERS_TO_PLACE.search(title)
    return _REFERRED_TYPE[found[0].lower()] if found else None


_REFERS_TO_PLACE = re.compile(r"\b(?:länet|kommunen|staden)\b", re.I)
_REFERRED_TYPE = {"länet": "län", "kommunen": "kommun", "staden": "kommun"}


def _document_place(title: str, *, headline: bool = False) -> Place | None:
    """Return the one place a title or lead is about ("Fler orosanmälningar i Hudiksvall").

    A local paper's article about one kommun or län speaks of it throughout: "37 av dem
    placerades" there is not a national figure. A title naming several places, or none,
    gives no such scope.
    """
    if title.isupper():  # "MJÖLBY KOMMUN" atop a plain-text report
        title = _CAPS_TAIL.sub(lambda m: m[0].lower(), title.title())
    elif "KOMMUN" in title or "LÄN" in title:  # "BOLLNÄS KOMMUN      Socialnämnden"
        title = _CAPS_PLACE.sub(lambda m: f"{m[1].title()} {m[2].lower()}", title)
    places = {p.name: p for p in find_places(title)}
    if len(places) > 1 and (site := _SITE_SUFFIX.search(title)) is not None:
        # "Rekordår för Socialjouren Gävleborg - Gävle kommun": the page's own title names
        # what it is about, the site's name after the dash who publishes it
        own = {p.name: p for p in find_places(title[: site.start()])}
        if len(own) == 1:
            places = own
    if (
        not places
        and ("Länsstyrelsen" in title or "Region" in title)
        and (board := _COUNTY_BOARD.search(title)) is not None
    ):
        # "Länsstyrelsen Gävleborg", "Region Stockholm": the board's län
        for form in (f"{board[1]}s län", f"{board[1]} län"):
            found = [p for p in find_places(form) if p.type == "län"]
            if found:
                return found[0]
    if not places and (kommun := demonym_place(title)) is not None:
        return Place(name=kommun, type="kommun", start=0, end=0)  # "fler helsingborgare"
    if len(places) != 1:
        return None
    place = next(iter(places.values()))
    if headline and place.type == "kommun" and _place_referred(title) == "län":
        # "Färre barn placeras i länet – men Umeå ökar": the län, one kommun its contrast
        # (a lead's "Linköping har flest hemlösa i länet: 690" is Linköping's)
        county = county_of(place.name)
        return Place(name=county, type="län", start=0, end=0) if county else place
    return place


# A site's name after a page's title: " - Gävle kommun", " | Region Gävleborg"
_SITE_SUFFIX = re.compile(r"\s[-–|]\s+(?:[^-–|]*\s)?(?:kommun|stad|Region\s+\w+)\s*$")


def _kicker_place(text: str, title: str) -> Place | None:
    """Return the place a local paper's kicker names above its headline ("Uppsala",
    then "Placeringarna av barn drar över …"): the place the article is about."""
    first = text.lstrip().split("\n", 1)[0].strip()
    if not first or first == title or len(first) > _KICKER_CHARS:
        return None
    found = normalize_place(first)
    return Place(name=found[0], type=found[1], start=0, end=0) if found else None


_KICKER_CHARS = 40


def _newspaper_place(publisher: str | None) -> Place | None:
    """Return the place a local paper is named after ("Jönköpings-Posten": Jönköping)."""
    found = newspaper_place(publisher) if publisher else None
    return Place(name=found[0], type=found[1], start=0, end=0) if found else None


_CAPS_TAIL = re.compile(r"\b(?:Kommun|Län|Stad|Region)\b")
_COUNTY_BOARD = re.compile(
    r"\b(?:Länsstyrelsen|Region)\s+(?:i\s+)?([A-ZÅÄÖ][a-zåäö]+(?:\s+[A-ZÅÄÖ][a-zåäö]+)?)"
)
_CAPS_PLACE = re.compile(r"\b([A-ZÅÄÖ][A-ZÅÄÖ-]+(?: [A-ZÅÄÖ][A-ZÅÄÖ-]+)*) (KOMMUN|LÄNS?)\b")


def _may_be_national(text: str) -> bool:
    lowered = scan.lowered(text)
    return any(part in lowered for part in _NATIONAL_PARTS)


_ABOVE_THE_NATION = re.compile(
    r"\b(?:över|under|än|jämfört\s+med|i\s+förhållande\s+till|mot)\s+(?:rikssnittet|riksgenomsnittet|"
    r"riket|rikets|landets|snittet\s+för\s+riket|snittet\s+i\s+landet)\b",
    re.I,
)


def _is_national(clause: str) -> bool:
    lowered = scan.lowered(clause)
    if ("sta" in lowered or "sis" in lowered) and _NATIONAL_ACTOR.search(clause):
        return True
    if not any(part in lowered for part in _NATIONAL_PARTS) or not _may_name_country(clause):
        return False
    return _NATIONAL.search(clause) is not None


# A national body doing what the clause tells, in a local article too: "SiS hade under
# 2023 sammanlagt 628 vårdplatser", "SiS driver 21 särskilda ungdomshem", "subventionerade
# staten avgifterna med 28 procent" (never "SiS-placeringar", which are a kommun's).
_STATE_VERBS = (
    r"(?:har|hade|driver|drev|ger|gav|betalar|betalade|subventionerar|subventionerade|"
    r"finansierar|finansierade|tog\s+emot|tar\s+emot)"
)
_NATIONAL_ACTOR = re.compile(
    rf"\b(?:SiS|Statens\s+institutionsstyrelse|staten|[Rr]egeringen)\s+{_STATE_VERBS}\b|"
    rf"\b{_STATE_VERBS}\s+(?:SiS|Statens\s+institutionsstyrelse|staten|regeringen)\b"
)


def _may_name_country(text: str) -> bool:
    """Tell whether `_NATIONAL` can match: it names the country by one of _COUNTRY_WORDS,
    or all the kommuner by "kommunerna" with "totalt", "sammanlagt" or "tillsammans"
    (where "kommunerna" alone is in many clauses)."""
    return may_hold_words(text, _COUNTRY_WORDS) or (
        may_hold_words(text, ("kommunerna",)) and may_hold_words(text, _TOGETHER_WORDS)
    )


_COUNTRY_WORDS = ("landet", "riket", "nationellt", "riks", "sverige")
_TOGETHER_WORDS = ("totalt", "sammanlagt", "tillsammans")


_PAREN_OPEN = re.compile(r"^\s*\(\s*(?:[a-zåäö]+\s+)?$", re.I)
_VARAV = re.compile(r"\b(?:varav|därav|varibland|av\s+vilka)\b", re.I)
_VARAV_STARTS = re.compile(r"varav|därav|varibland|av\s")


def _varav(text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
    """Return `_VARAV.search(text, pos, endpos)`, tried where its words start."""
    return scan.search_at_starts(_VARAV, _VARAV_STARTS, text, pos, endpos)


_POPULATION = re.compile(r"\s*(kvinnor|män|barn|pojkar|flickor|vuxna|unga|ungdomar|äldre)\b", re.I)


_NAMES_ITEM = re.compile(r"\)[\s,;]*(?:och\s+|samt\s+|respektive\s+)?[^\W\d_]{3,}")


def _anchor(
    i: int, numbers: Sequence[NumberMatch], text: str, clause: tuple[int, int]
) -> int | None:
    """Return the number this one restates or breaks down, or None.

    "96 procent (95 procent 2019)" restates the 96 for another year, "från 34 procent
    2018 till 40 procent" gives two years of one indicator, and "nära 374 000, varav
    omkring 115 000 kvinnor, 129 000 män" breaks the first down by group.
    """
    if i == 0:
        return None
    number, prev = numbers[i], numbers[i - 1]
    if periods.paren_scope(text, number.start, number.end) is not None:
        opened = text.rfind("(", 0, number.start)
        if _PAREN_OPEN.match(text[opened : number.start]):
            for j in range(i - 1, -1, -1):
                if numbers[j].end <= opened and _same_kind(numbers[j], number):
                    # "med ungdomsmottagningar (23 procent), primärvården (19 procent)":
                    # a value after a new item's name in parentheses is that item's.
                    return None if _NAMES_ITEM.search(text, numbers[j].end, opened) else j
    if _is_from_to(prev, number, text):
        return i - 1
    if (
        _MORE_EXACTLY.search(text, max(0, number.start - 24), number.start)
        and prev.unit == number.unit
        and prev.measure == number.measure
    ):
        return i - 1  # "Drygt 130 barn följde med …, närmare bestämt 131": the same count
    if (
        prev.unit == number.unit == "procent"
        and text[prev.end : number.start] in (", ", " – ", " (")
        and text[number.end : number.end + 1] in (",", ")")
        and number.measure == prev.measure
    ):
        return i - 1  # "Nästan nio av tio, 88 procent, var klara": the share in other words
    for j in range(i - 1, -1, -1):
        if numbers[j].start < clause[0]:
            break
        if (
            _varav(text[numbers[j].end : number.start])
            and _POPULATION.match(text, number.end)
            and _same_kind(numbers[j], number)
        ):
            return j
    return None


# The kommuner's indicators of a lack already ("brist på socialsekreterare", "svårt att
# rekrytera", vacancies): "saknar erfarna socialsekreterare" restates them
_SHORTAGE_KEYS = ("sakna", "brist", "svart", "vakan", "rekryt", "utan")
# A clause's words that the kommuner counted lack the indicator's thing ("saknar", "har inte")
_LACK_WORDS = ("sakna", "inte", "ej")
_LACKS = re.compile(
    r"\b(?:sakna[rdt]\w*|saknas|(?:har|hade)\s+(?:ännu\s+)?(?:inte|ej)|(?:inte|ej)\s+(?:har|hade))\b"
    # (not "hade inte kvar samma tjänst": those who left, what personalomsättning counts)
    r"(?!\s+(?:\w+\s+)?kvar\b)",
    re.I,
)
# What restates the number before more exactly: ", närmare bestämt 131", "(exakt 131)"
_MORE_EXACTLY = re.compile(
    r"[,(]\s*(?:närmare\s+bestämt|mer\s+exakt|exakt|precis|det\s+vill\s+säga|dvs\.?)\s+$",
    re.I,
)


def _level_before(
    made: Sequence[Figure], number: NumberMatch, clause: tuple[int, int], sentence: Sentence
) -> Figure | None:
    """Return the level figure a change of the same clause follows, or None."""
    if number.measure != "change" or not made:
        return None
    last = made[-1]
    end = last.offset - sentence.start + len(last.quote)
    inside = clause[0] <= last.offset - sentence.start < number.start
    if inside and _NEW_SAYING.search(sentence.text, end, number.start):
        return None  # "..., och det utbetalda beloppet minskade med 7 procent": its own
    if not inside and 0 <= end <= number.start:
        # "… 10,8 miljarder kronor i ekonomiskt bistånd, en ökning med 1,8 procent": the
        # change in apposition to the level just before
        inside = _APPOSED_CHANGE.fullmatch(sentence.text, end, number.start) is not None
    return last if inside and last.measure == "level" else None


_APPOSED_CHANGE = re.compile(
    r"[^,.;:\d]{0,60},\s*(?:vilket\s+(?:är|var|innebär|innebar|motsvarar)\s+)?"
    r"(?:en|ett)\s+(?:ökning|minskning|uppgång|nedgång|höjning|sänkning|tapp)\s+(?:med|på)"
    r"\s+(?:[a-zåäö]+\s+){0,2}",
    re.I,
)


def _spread_end(number: NumberMatch, numbers: Sequence[NumberMatch], text: str) -> str | None:
    """Return which end of a spread a value of "från X (i A) till Y (i B)" is, in a
    sentence about a spread ("spridningen är stor: från under 2 500 kronor i vissa
    kommuner till över 9 000 kronor i andra"), or None."""
    if not may_hold_words(text, _SPREAD_WORDS) or _SPREAD.search(text) is None:
        return None
    i = numbers.index(number)
    for low, high in ((i, i + 1), (i - 1, i)):
        if low >= 0 and high < len(numbers) and _spread_pair(numbers[low], numbers[high], text):
            small = numbers[low].value <= numbers[high].value
            return ("lägst" if small else "högst") if low == i else ("högst" if small else "lägst")
    return None


def _rank_end(
    number: NumberMatch, numbers: Sequence[NumberMatch], text: str, places: Sequence[Place]
) -> str | None:
    """Return which end of a ranking of places a value is, read from its own stretch of
    the sentence, or None.

    "kom flest anmälningar in i Gävleborgs län, 268, och minst i Hallands län, 164",
    "vanligast i Gävleborgs län, med 27,4 vårdade, och ovanligast i Hallands län",
    "Stockholms län låg lägst med 8": the stretch runs from the number before (or the
    sentence's start) to the next number, cut at the "och"/"medan" that opens the next
    item; it must name a place and one rank word ("minst" before a number is a hedge).
    """
    if number.measure == "change" or not places or not may_hold_words(text, _RANKING_WORDS):
        return None  # ("Störst var ökningen i Gävleborgs län": a change ranked is a change)
    i = numbers.index(number)
    start = numbers[i - 1].end if i > 0 else 0
    stop = numbers[i + 1].start if i + 1 < len(numbers) else len(text)
    before, after = text[start : number.start], text[number.end : stop]
    opens = list(_RANKED_NEXT.finditer(before))
    if opens:
        before = before[opens[-1].end() :]
        start = number.start - len(before)
    cut = _RANKED_NEXT.search(after)
    if cut is not None:
        after = after[: cut.start()]
    words = {(m[1] or m[2]).lower() for m in _RANKING.finditer(f"{before} # {after}")}
    ends = {_RANKING_END[w] for w in words}
    if len(ends) != 1:
        return None
    if (
        not words & _LEVEL_ENDS
        and len({_RANKING_END[m.group().lower()] for m in _RANKING.finditer(text)}) < 2
    ):
        # "Linköping har flest hemlösa i länet: 690 personer": the place's own count;
        # "flest … i Gävleborgs län, 268, och minst i Hallands län, 164": a ranking's ends
        return None
    lo, hi = start, number.end + len(after)
    return ends.pop() if any(lo <= p.start < hi for p in places) else None


def _places_level(places: Sequence[Place]) -> str | None:
    """Return "län" or "kommun" when every place a ranking names is of that kind."""
    kinds = {p.type for p in places}
    return kinds.pop() if len(kinds) == 1 else None


_RANKING_WORDS = ("högst", "lägst", "flest", "färst", "minst", "vanligast", "ovanligast", "störst")
_LEVEL_ENDS = frozenset({"högst", "högsta", "lägst", "lägsta"})
_RANKING_END = {
    "högst": "högst", "högsta": "högst", "flest": "högst", "vanligast": "högst",
    "störst": "högst", "största": "högst", "mest": "högst",
    "lägst": "lägst", "lägsta": "lägst", "färst": "lägst", "ovanligast": "lägst",
    "minst": "lägst", "minsta": "lägst",
}  # fmt: skip
_RANKING = re.compile(
    # (not "den näst högsta", "en av de högsta nivåerna bland länen")
    r"(?<!näst\s)(?<!av\sde\s)(?<!bland\sde\s)"
    r"\b(?:(högsta?|lägsta?|flest|färst|vanligast|ovanligast|största?|minsta)|"
    # "minst", "mest" rank only before a place or a pause ("och minst i Hallands län"),
    # else they hedge ("minst tio av årets tolv månader")
    r"(minst|mest)(?=\s+i\b|\s*[,.;:]|\s*$))\b"
    # not a time's superlative ("den högsta sedan 2010") nor a place's ("länets största
    # kommun")
    r"(?!\s+(?:sedan|på|någonsin|under|kommun\w*|stad\w*|län\w*|ort\w*)\b)(?!\s*#)",
    re.I,
)
# "…, och minst i …", "…, medan Stockholms län …": the next item of a ranking
_RANKED_NEXT = re.compile(r"(?:,\s*|(?<!-)\s)(?:och|medan|men|samt)\s|;\s", re.I)


def _spread_pair(first: NumberMatch, second: NumberMatch, text: str) -> bool:
    return (
        _same_kind(first, second)
        and _SPREAD_GAP.match(text[first.end : second.start]) is not None
        and _FROM_BEFORE.search(text[max(0, first.start - 12) : first.start]) is not None
    )


_SPREAD_WORDS = ("sprid", "varier", "skillnad")
_SPREAD = re.compile(r"\b(?:spridning\w*|varierar|varierade|skillnaderna|skillnaden)\b", re.I)
# " i Danderyd till ", " i vissa kommuner till ": each end with where it is
_SPREAD_GAP = re.compile(r"^\s*(?:(?:i|på|hos|bland)\s+[^,.;\d]{1,40}?\s+)?till\s+$", re.I)


def _is_from_to(prev: NumberMatch, number: NumberMatch, text: str) -> bool:
    """Tell "från 171 000 till 158 000": two values of one indicator at two times."""
    return (
        _FROM_TO.match(text[prev.end : number.start]) is not None
        and _same_kind(prev, number)
        and _FROM_BEFORE.search(text[max(0, prev.start - 12) : prev.start]) is not None
    )


def _paired_times(
    numbers: Sequence[NumberMatch],
    text: str,
    times: list[str | None],
    *,
    carried: str | None = None,
) -> list[str | None]:
    """Give each value of a pair its own end of the span they share.

    "minskade från 171 000 till 158 000 mellan 2021 och 2022", "48 respektive 39
    procent år 2020 och 2021": the first value is the first time, the second the other.
    """
    out = list(times)
    listed = periods.listed_times(text) if "respektive" in text else None
    for i in range(1, len(numbers)):
        prev, number = numbers[i - 1], numbers[i]
        span = times[i]
        if (
            listed
            and {span, times[i - 1]} - {None} <= set(listed)
            and {span, times[i - 1]} != {None}
            and frames.joined_respectively(text, prev.end, number.start)
        ):
            # "21 respektive 23 procent under första halvåret 2009 och 2008"
            out[i - 1], out[i] = listed
            continue
        if span is None or span != times[i - 1] or number.measure == "change":
            continue
        if "–" not in span and _is_from_to(prev, number, text) and not periods.has_year(text):
            # "sjönk från 8 300 till 6 000 på ett år" in a text about 2021: the first
            # value is the time compared with, the span the paragraph stated or the
            # years back the sentence counts (one when it names none).
            span = carried if carried and carried.endswith(span) else periods.back_span(span, text)
        ends = span.split("–")
        if len(ends) != 2:
            continue
        if _is_from_to(prev, number, text) or frames.joined_respectively(
            text, prev.end, number.start
        ):
            out[i - 1], out[i] = ends
    return out


def _same_kind(a: NumberMatch, b: NumberMatch) -> bool:
    return a.measure == b.measure and a.unit == b.unit


_FROM_TO = re.compile(r"^\s*(?:år\s+)?(?:(?:19|20)\d\d\s+)?till\s+$", re.I)
_FROM_BEFORE = re.compile(r"\bfrån\s+\S*\s*$", re.I)


def _restated(
    number: NumberMatch,
    anchor: Figure,
    sentence: Sentence,
    clause: tuple[int, int],
    period: str | None,
) -> Figure:
    text = sentence.text
    group = find_group(
        text[clause[0] : clause[1]], number.start - clause[0], number.end - clause[0]
    )
    population = _POPULATION.match(text, number.end)
    if (
        group is None
        and population is not None
        and _varav(text[anchor.offset - sentence.start : number.start])
    ):
        group = population[1].lower()
    return Figure(
        metric=anchor.metric,
        label=anchor.label,
        value=float(number.value),
        unit=number.unit,
        quote=number.quote,
        sentence=text,
        measure=anchor.measure,
        per=number.per or anchor.per,
        qualifier=number.qualifier,
        low=_float(number.low, number.value),
        high=_float(number.high, number.value),
        period=period,
        group=group if group is not None else anchor.group,
        offset=sentence.start + number.start,
        identity=anchor.identity,
    )


def _period(
    number: NumberMatch, text: str, mentions: list[periods.PeriodMention], state: _State
) -> str | None:
    scoped = [
        m
        for m in periods.in_scope(mentions, text, number.start, number.end)
        if not _bound_elsewhere(m, text, number)
    ]
    if number.measure != "change":
        scoped = _compared_scope(scoped, text, number)
        scoped = [
            m
            for m in scoped
            if (m.start < number.end or not _in_later_saying(m, text, number))
            # "…, så ökningen sedan 2023 gäller pojkarna": a change's span, no level's time
            and not (m.kind == "since" and _CHANGE_NOUN_BEFORE.search(text, 0, m.start))
        ]
        scoped = _past_cohort(scoped, text)
        kept = _past_later_change(scoped, text, number)
        compared_later, scoped = len(kept) < len(scoped), kept
    else:
        compared_later = False
    changing = number.measure == "change"
    if not changing:
        then = _then_clause(scoped, text, number)
        if then is not None:
            return then
    context = _fallback_period(state) or (str(state.end_year) if state.end_year else None)
    # "sedan 2017" runs to the year the text is about, else to the publication's.
    context_years = periods.years_in(context)
    end_year = None if changing else (context_years[-1] if context_years else state.end_year)
    period = periods.governing(scoped, number.start, number.end, end_year=end_year)
    if period is None and compared_later and context is not None:
        period = context  # the newer end of the change that follows it
    if (
        not changing
        and state.prev_made
        and (day := periods.day_a_year_before(state.prev_made[-1].period, period, text))
    ):
        period = day  # "Den 1 november 2023 vårdades 301. Ett år tidigare var de 287"
    if (
        not changing
        and periods.named_at_earlier_survey(text, number.end)
        and (earlier := state.earlier or _older_level_time(state, period)) is not None
    ):
        period = earlier  # "… 26 personer per 10 000 invånare, mot 33 vid förra mätningen"
    if period is not None and not changing and periods.names_same_day(text):
        # "Drygt 370 personer tvångsvårdades på mätdagen i fjol" where the text names
        # the census day ("den 1 november") elsewhere: that day of the year (not in "Sett
        # över hela året var det fler … än vad mätdagen visar")
        period = periods.of_year(_census_day(state, period), text) or period
    if period is None and ("nu " in text or "Nu " in text) and _NOW.search(text):
        # "Två av tre kommuner erbjuder nu ...": the present of the survey the text
        # reports, never another time of its context.
        period = str(state.survey) if state.survey else None
    elif period is None and not (
        may_hold_words(text, ("dag", "nuläget", "numera"))
        and scan.search_at_starts(_TODAY, _TODAY_STARTS, text)
    ):
        period = periods.of_year(_fallback_period(state), text)
        if state.earlier and not changing and periods.at_earlier_survey(text, number.start):
            period = state.earlier  # "Vid den förra kartläggningen var andelen 8,3 procent"
        if state.day and periods.names_same_day(text) and periods.day_in(state.day, period):
            period = state.day  # "På mätdagen vårdades 1 812": the day stated before
    if changing:
        inside = periods.in_scope(mentions, text, number.start, number.end)
        span = periods.change_span(
            period,
            inside,
            text,
            at=(number.start, number.end),
            context=context,
            carried=state.block_span or _compared_levels(number, text, mentions, state),
        )
        end = periods.years_in(span)
        vs_earlier = _VS_EARLIER_SURVEY.search(text, number.end, number.end + _VS_REACH)
        if (
            end
            and vs_earlier
            # (the phrase is this figure's, or its "respektive" run's: not "14 procent fler
            # än vid den förra kartläggningen, … och 45 procent fler än 2018")
            and (
                "respektive" in (between := text[number.end : vs_earlier.start()])
                or not any(c.isdigit() for c in between)
            )
        ):
            # "minskade med 21 procent jämfört med förra kartläggningen" after "År 2017 var
            # motsvarande antal …": since the earlier survey the text named
            older = state.earlier or _older_level_time(state, str(end[-1]))
            if older is not None and int(older[:4]) < end[-1]:
                span = f"{older[:4]}–{end[-1]}"
        if span is not None and "–" in span:
            state.block_span = span
        return span
    return period


_VS_EARLIER_SURVEY = re.compile(
    rf"\b(?:jämfört\s+med|sedan|än\s+vid|mot)\s+{periods.EARLIER_SURVEY}", re.I
)
_VS_REACH = 80
_CHANGE_NOUN_BEFORE = re.compile(
    r"\b(?:ökningen|minskningen|förändringen|uppgången|nedgången)\s+$", re.I
)


def _bare_decimal(number: NumberMatch) -> bool:
    """Tell a value with decimals and nothing else ("7,3") from a count or an amount."""
    return (
        number.unit == "antal"
        and number.noun is None
        and number.measure != "change"
        and number.value != int(number.value)
        and not number.worded
    )


def _compared_levels(
    number: NumberMatch, text: str, mentions: list[periods.PeriodMention], state: _State
) -> str | None:
    """Return the span of the two levels a change sums up, when it names no time itself.

    "Hösten 2018 var motsvarande siffra 870, så antalet vakanser har halverats" after
    "Den 1 oktober 2023 fanns 430": the change runs from the older level to the newer,
    not from the year before.
    """
    if not _SUMS_UP.search(text):
        return None
    before = [m.period for m in mentions if m.period and m.end <= number.start]
    stated = [*state.block_levels, *before]
    years = sorted({y for period in stated[-_LEVELS_SUMMED:] for y in periods.years_in(period)})
    if len(years) < 2 or any(m.start() < number.start for m in _OWN_BASE.finditer(text)):
        return None
    return f"{years[0]}–{years[-1]}"


# A change that sums up the levels just stated: a multiple, or a word that concludes.
_SUMS_UP = re.compile(
    r"\b(?:halver|fördubbl|tredubbl|fyrdubbl)\w*|\b(?:alltså|därmed|därför)\b|"
    r"\bdet\s+(?:innebär|innebar|betyder)\s+(?:att|en)\b|"
    r"\bså\s+(?:har|\w+\s+har)\b",
    re.I,
)
_OWN_BASE = re.compile(r"\b(?:sedan|jämfört|än|från)\b", re.I)
_LEVELS_SUMMED = 2


def _past_cohort(mentions: list[periods.PeriodMention], text: str) -> list[periods.PeriodMention]:
    """Drop the time that says who a figure follows, when a later one says when.

    "32 procent av dem som arbetade som socialsekreterare i november 2016 hade inte kvar
    samma tjänst i november 2017": 2016 picks the cohort, 2017 is the figure's time.
    """
    if len(mentions) < 2 or "som" not in text:
        return mentions
    cohort = _COHORT.search(text)
    if cohort is None:
        return mentions
    inside = [m for m in mentions if m.start > cohort.end()]
    if len(inside) < 2 or inside[0].year is None or inside[-1].year is None:
        return mentions
    if inside[-1].year <= inside[0].year:
        return mentions
    return [m for m in mentions if m is not inside[0]]


_COHORT = re.compile(r"\bav\s+(?:dem|de|alla)(?:\s+[a-zåäö]+)?\s+som\b", re.I)


def _past_later_change(
    mentions: list[periods.PeriodMention], text: str, number: NumberMatch
) -> list[periods.PeriodMention]:
    """Drop the times a change after a level figure compares with.

    "Andelen är 85 procent, en ökning med 6 procentenheter sedan förra årets mätning":
    last year is the change's base, never the time of the 85.
    """
    if not any(m.start >= number.end for m in mentions):
        return mentions
    change = _CHANGE_WORDS.search(text, number.end)
    if change is None:
        return mentions
    bases = {id(m) for m, _ in periods.compared_bases(mentions, text)}
    return [m for m in mentions if id(m) not in bases or m.start < change.start()]


def _in_later_saying(mention: periods.PeriodMention, text: str, number: NumberMatch) -> bool:
    """Tell a time in a saying after the figure's that holds a figure of its own.

    "Rikssnittet var 192 per 1 000 barn, och när myndigheten gjorde sin första
    kartläggning 2018 låg snittet på 154": 2018 is the 154's, never the 192's.
    """
    brk = _CLAUSE_BREAK.search(text, number.end, mention.start)
    if brk is None:
        return False
    rest = text[brk.end() : mention.start] + text[mention.end :]
    return any(c.isdigit() for c in rest)


_THEN = re.compile(r",\s*då\s", re.I)


def _then_clause(
    mentions: list[periods.PeriodMention], text: str, number: NumberMatch
) -> str | None:
    """Return the time a "då" clause right after it gives a level figure inside that clause.

    "Sedan 2017, då drygt 215 000 hushåll fick bistånd, har antalet minskat": the
    215 000 is 2017's, the span is the change's.
    """
    for mention in mentions:
        if mention.kind not in ("since", "year", "comparison") or mention.year is None:
            continue
        then = _THEN.match(text, mention.end)
        if then is None or number.start < then.end():
            continue
        close = text.find(", ", then.end())  # not the comma of "31,2"
        if close == -1 or number.end <= close:
            return str(mention.year)
    return None


# "jämfört med", or "än" before a time ("än 2018", "än året innan", "än vid mättillfället
# 2017", "än under fjärde kvartalet 2007", "än ett år tidigare"); not "mindre än ett års".
_COMPARED = re.compile(
    r"\b(?:jämfört\s+(?:med|mot)|att\s+jämföra\s+med|än\s+(?=(?:under\s+|år\s+)?(?:19|20)\d\d|"
    r"året|i\s+fjol|förra|föregående|samma|motsvarande|vid\s|under\s|\w+\s+år\s+tidigare)|"
    r"som\s+(?=föregående\s+år|förra\s+året|året\s+innan)|"
    # "ungefär lika många som 2023", "samma nivå som året innan": a likeness with a time
    r"(?:lika\s+\w+(?:\s+\w+)?|samma\s+nivå)\s+som\s+(?=(?:under\s+|år\s+)?(?:19|20)\d\d|året|i\s+fjol|"
    r"förra|föregående)|"
    # "5 920 kronor, mot 5 590 kronor ett år tidigare", "ned till 21 procent, från 25
    # procent två år tidigare"; "19 dagar mot 34 dagar året innan"
    r"(?:(?<=,\s)(?:mot|från(?![^.;]*?\btill\b))|(?<=\w\s)mot)\s+"
    r"(?=(?:drygt\s+|knappt\s+|cirka\s+)?\d)(?!(?:19|20)\d\d\b))",
    re.I,
)


@lru_cache(maxsize=4)
def _comparison(text: str) -> re.Match[str] | None:
    """Return where a sentence starts comparing with another time, or None.

    Asked of one sentence for its own time, its year and each of its numbers: the last
    few answers are remembered.
    """
    if (
        " än " not in text
        and "jämför" not in text
        and "som " not in text
        and " mot " not in text
        and ", från " not in text
    ):
        return None  # most sentences compare with nothing: no regex scan
    # (tried only where a comparison's first word stands: see scan.search_at_starts)
    return scan.search_at_starts(_COMPARED, _COMPARED_STARTS, text)


_COMPARED_STARTS = re.compile(r"jämför|att\s|än\s|som\s|lika\s|samma\s|mot\s|från\s")


def _compared_scope(
    mentions: list[periods.PeriodMention], text: str, number: NumberMatch
) -> list[periods.PeriodMention]:
    """Keep the times a level figure may take, on its side of a comparison.

    "51 procent ..., jämfört med 53 procent året innan": the year before is the 53's,
    never the 51's. "7 800 färre än 2018, då antalet var 38 900": the year compared with
    is the 38 900's.
    """
    marker = _comparison(text)
    if marker is None:
        return mentions
    if number.start < marker.start():
        return [m for m in mentions if m.start < marker.start()]
    if marker[0][:4].lower() in ("lika", "samm") and not _THEN.search(
        text, marker.end(), number.start
    ):  # (not "samma nivå som året innan, då 26 200 hade …": the time likened to's value)
        # "Lika många vuxna som året innan, 97, placerades …": the value holds for both
        # times; the one it is likened to is not its own
        return [m for m in mentions if not marker.start() <= m.start < number.start]
    if _CLAUSE_BREAK.search(text, marker.end(), number.start):
        # "27 procent fler än 2018, och motsvarar drygt 1 150 om dagen": past the
        # comparison's own clause the figure is the sentence's again.
        return [m for m in mentions if m.start < marker.start()]
    # "Den 1 november 2023 … jämfört med 325 personer ett år tidigare": the same day
    day = next(
        (
            m.period
            for m in mentions
            if m.period and m.start < marker.start() and periods.is_day(m.period)
        ),
        None,
    )
    compared = [
        periods.PeriodMention(
            m.start,
            m.end,
            "year",
            periods.same_day_in(day, str(m.year)) if day else str(m.year),
            m.year,
        )
        for m in mentions
        if m.kind == "comparison" and m.year is not None and m.end <= number.start
    ]
    own = [m for m in mentions if m.start >= marker.end()]
    if own and not compared:
        # "198 000 hushåll under 2020, jämfört med 202 199 hushåll under 2019": the
        # compared figure's own time, never the sentence's first.
        if day:
            own = [
                periods.PeriodMention(
                    m.start, m.end, m.kind, periods.same_day_in(day, m.period), m.year
                )
                for m in own
            ]
        return own
    return [*mentions, *compared]


_CLAUSE_BREAK = re.compile(r",\s+(?:och|medan|men|vilket|samtidigt)\b|\s(?:medan|men)\s", re.I)


def _assign_places(
    numbers: Sequence[NumberMatch],
    places: Sequence[Place],
    spans: list[tuple[int, int]],
    text: str = "",
) -> list[list[Place]]:
    """Give each number the places it is about, clause by clause.

    One number in a clause takes all its places ("i Blekinge, Jämtland och Kronoberg").
    Several numbers and places alternate: when the clause opens with a place ("I Malmö
    ... 2 400 kronor och i Danderyd 380 kronor") each number takes the places before it,
    otherwise ("vart fjärde barn i Malmö, vart femte i Landskrona") the places after it.
    """
    out: list[list[Place]] = [[] for _ in numbers]
    said: list[Place] = []  # the places of a clause with no number, before a colon
    previous: list[Place] = []  # the places of the clause before
    for clause in spans:
        idx = [i for i, n in enumerate(numbers) if clause[0] <= n.start < clause[1]]
        inside = [p for p in places if clause[0] <= p.start < clause[1]]
        if not inside and said and text[clause[0] : clause[0] + 1] == ":":
            # "Härnösand är en av kommunerna där ...: 1 480 anmälningar"; not the place
            # compared with ("I Malmö har utvecklingen varit tydligare än i landet: där
            # sjönk antalet till 1 430")
            inside = [p for p in said if not _COMPARED_PLACE.search(text, 0, p.start)] or said
        elif (
            not inside
            and len(previous) == 1
            and _COMPARED_THEN.match(text, clause[0])
            and not _NATIONAL.search(text, clause[0], clause[1])
        ):
            inside = previous  # "I Sundsvall kom 5 240 in, jämfört med 3 960 år 2019": there
        elif not inside and previous and _WHERE_THEN.match(text, clause[0]):
            # "låg kommunen under Västerbottens län, där motsvarande siffra var 9,4": the
            # place named last
            inside = previous[-1:]
        said = [*said, *inside] if not idx else []
        previous = inside
        if not idx or not inside:
            continue
        if len(idx) > 1 and len(inside) == 1:
            # "24 procent i fjol, att jämföra med 17 procent i länet": a place after a
            # comparison is only the compared figures'
            marker = _COMPARED_THEN.search(text, numbers[idx[0]].end, inside[0].start)
            if marker is not None:
                idx = [i for i in idx if numbers[i].start > marker.start()]
        if len(idx) == 1 and len(inside) > 1:
            # "Trollhättan ligger över riket, där motsvarande andel var 4,1 procent": the
            # place "där" follows is the value's
            named = [p for p in inside if p.end <= numbers[idx[0]].start]
            if named and _WHERE_THEN.match(text, named[-1].end):
                # (all of a list it ends: "Filipstad, Vingåker och Hällefors, där omkring
                # 8 procent")
                inside = _listed_before(named, text)
            # "20 procent i riket, alltså lägre än i Örebro län": the place compared with
            # is not the value's
            inside = [p for p in inside if not _COMPARED_PLACE.search(text, 0, p.start)] or inside
            # "I Skåne har Malmö kvar 14 boenden": the kommun, the län only its scope
            kommuner = {county_of(p.name) for p in inside if p.type == "kommun"}
            inside = [p for p in inside if not (p.type == "län" and p.name in kommuner)] or inside
        if len(idx) == 1 or len(inside) == 1:
            for i in idx:
                if not (len(idx) > 1 and _whole_before_parts(i, idx, inside, numbers, text)):
                    out[i] = list(inside)
            continue
        first, last = numbers[idx[0]], numbers[idx[-1]]
        # ("… betalades mer ut än i riket, 1 164 respektive 1 147 kronor": the country
        # compared with is none of the run's places)
        named = [p for p in inside if p.name] if len(inside) > len(idx) else inside
        if (
            len(named) == len(idx)
            and named[-1].end <= first.start
            and all(
                frames.joined_respectively(text, numbers[a].end, numbers[b].start)
                for a, b in itertools.pairwise(idx)
            )
            and last.end <= clause[1]
        ):
            # "Örebro län och Värmlands län ligger högt, med 241 respektive 236": in order.
            for place, i in zip(named, idx, strict=True):
                out[i] = [place]
            continue
        if _there_named(out, idx, inside, numbers, text):
            continue
        where = {
            i: _listed_before([q for q in inside if q.end <= p.end], text)
            for i in idx
            for p in inside
            if p.end <= numbers[i].start and _WHERE_BEFORE.fullmatch(text, p.end, numbers[i].start)
        }
        # "2 470 kronor, mot 1 720 kronor i länet och 1 033 kronor i riket": a place (or a
        # list of places) right after a number's unit is that number's
        where |= {
            i: _listed_after([q for q in inside if q.start >= p.start], text)
            for i in idx[1:]
            for p in inside
            if numbers[i].end <= p.start
            and _PLACE_RIGHT_AFTER.fullmatch(text, numbers[i].end, p.start)
        }
        before = inside[0].start < numbers[idx[0]].start
        for k, i in enumerate(idx):
            if before:
                lo = numbers[idx[k - 1]].end if k else clause[0]
                hi = numbers[i].start
            else:
                lo = numbers[i].end
                hi = numbers[idx[k + 1]].start if k + 1 < len(idx) else clause[1]
            out[i] = [p for p in inside if lo <= p.start < hi]
        wholes = {i for i in idx if _whole_before_parts(i, idx, inside, numbers, text)}
        _fill_gaps(out, idx, before=before, skip=wholes)
        for i, named_places in where.items():
            # "… som i Region Stockholm, där 2,2 procent fick stöd": the place "där" follows
            out[i] = named_places
    return out


def _listed_before(places: Sequence[Place], text: str) -> list[Place]:
    """Return the last place and the places listed with it ("Filipstad, Vingåker och
    Hällefors")."""
    run = [places[-1]]
    for p in reversed(places[:-1]):
        if not _LIST_GAP.fullmatch(text, p.end, run[0].start):
            break
        run.insert(0, p)
    return run


def _listed_after(places: Sequence[Place], text: str) -> list[Place]:
    """Return the first place and the places listed after it ("Västmanlands län och
    Kronobergs län")."""
    run = [places[0]]
    for p in places[1:]:
        if not _LIST_GAP.fullmatch(text, run[-1].end, p.start):
            break
        run.append(p)
    return run


_LIST_GAP = re.compile(r"\s*(?:,|och|samt)\s*")
_PLACE_RIGHT_AFTER = re.compile(
    r"\s*(?:(?!(?:och|samt|men|medan|eller|respektive)\b)[^\W\d]+\s+)?(?:(?:i|för|inom)\s+)?",
    re.I,
)
# Between a place and a number of the clause "där" opens: ", där 2,2 procent"
_WHERE_BEFORE = re.compile(r"[,\s]*där\s+(?:[^\W\d]+\s+){0,3}", re.I)


# A clause comparing with another time of the place before ("jämfört med 3 960 år 2019").
_COMPARED_THEN = re.compile(r",?\s*(?:jämfört\s+med|att\s+jämföra\s+med)\s", re.I)
# A clause about the place just named ("…, där motsvarande siffra var 9,4").
_WHERE_THEN = re.compile(r"[,\s]*där\s", re.I)
_COMPARED_PLACE = re.compile(r"\b(?:än|jämfört\s+med|jämfört\s+mot)\s+(?:i\s+|för\s+)?$", re.I)


def _there_named(
    out: list[list[Place]],
    idx: list[int],
    inside: list[Place],
    numbers: Sequence[NumberMatch],
    text: str,
) -> bool:
    """Give "Med 7,8 … låg kommunen under Västerbottens län, där motsvarande siffra var
    9,4" its places: the number after ", där" is the place just before it, the number
    before is the clause's other place. False when the clause has no such "där"."""
    if len(idx) != 2 or len(inside) != 2:
        return False
    first, second = numbers[idx[0]], numbers[idx[1]]
    there = _THERE_AFTER.search(text, first.end, second.start)
    if there is None:
        return False
    named = [p for p in inside if first.end <= p.start and p.end <= there.start()]
    if not named or text[named[-1].end : there.start()].strip(" ,"):
        return False
    other = [p for p in inside if p is not named[-1]]
    out[idx[0]], out[idx[1]] = other, [named[-1]]
    return True


_THERE_AFTER = re.compile(r",\s*där\s", re.I)


def _fill_gaps(
    out: list[list[Place]], idx: list[int], *, before: bool, skip: Collection[int] = ()
) -> None:
    order = idx if before else list(reversed(idx))
    last: list[Place] = []
    for i in order:
        if out[i]:
            last = out[i]
        elif i not in skip:
            out[i] = list(last)


def _whole_before_parts(
    i: int, idx: Sequence[int], inside: Sequence[Place], numbers: Sequence[NumberMatch], text: str
) -> bool:
    """Tell a total whose places are only its "varav" parts' ("kontakt med 1 184
    ungdomar, varav 612 i Stockholm, 341 i Göteborg": the whole is none of them)."""
    k = idx.index(i)
    if k + 1 == len(idx) or any(p.start < numbers[i].start for p in inside):
        return False
    return _PARTS_FOLLOW.fullmatch(text, numbers[i].end, numbers[idx[k + 1]].start) is not None


# Between a whole and its first part: " ungdomar, varav "
_PARTS_FOLLOW = re.compile(r"[^.;:\d]*\b(?:varav|därav)\s+", re.I)


_BOUND_BEFORE = re.compile(
    r"(?:\d|procent|procentenheter|kronor|%)\s*(?:år\s+)?$|\d\s+[a-zåäö]+\s+(?:år\s+)?$", re.I
)


def _bound(mention: periods.PeriodMention, text: str) -> bool:
    """Tell whether a year is tied to the number right before it ("38 procent 2018")."""
    return (
        mention.kind == "year"
        and _BOUND_BEFORE.search(text[max(0, mention.start - 24) : mention.start]) is not None
    )


def _bound_elsewhere(mention: periods.PeriodMention, text: str, number: NumberMatch) -> bool:
    """Tell a year tied to another number than this one ("38 procent 2018, 40 procent")."""
    if not _bound(mention, text):
        return False
    if mention.start < number.end:
        return True
    # "38,6 per 10 000 invånare år 2017": the rate's denominator is no other number
    gap = _DENOMINATOR_GAP.sub(" ", text[number.end : mention.start])
    return not (len(gap) <= _BOUND_GAP and not any(c.isdigit() for c in gap))


_BOUND_GAP = 24
_DENOMINATOR_GAP = re.compile(r"\bper\s+\d{1,3}(?:[\s\u00a0]\d{3})*\s+[a-zåäö]+", re.I)


def _own_period(
    mentions: list[periods.PeriodMention], text: str, *, published: date | None = None
) -> str | None:
    """Return the period a sentence states for itself, which later sentences may lean on.

    None in parentheses, none tied to a number, none on the far side of a comparison
    ("jämfört med 37 procent året innan"), no year counted back from another
    ("året innan"), no "sedan 2017" and no year after the publication's ("målet till
    2027"): those name the time compared with or aimed at, not the time the text goes
    on about. A range a change runs over ("minskade från 181 000 till 161 000 mellan
    2021 och 2022") leaves its newer end.
    """
    if not mentions:
        return None  # most sentences name no time: no comparison to look for
    marker = _comparison(text)
    for mention in mentions:
        if mention.kind not in periods.GOVERNING or not mention.period:
            continue
        if mention.kind == "since":
            continue
        if periods.paren_scope(text, mention.start, mention.end) or _bound(mention, text):
            continue
        if marker is not None and mention.start >= marker.start():
            continue
        if periods.of_earlier_survey(text, mention):
            continue
        if mention.kind == "relative" and (
            _YEAR_BACK.search(text, mention.start, mention.end)
            or _NAMED_AFTER.match(text, mention.end)
        ):
            continue
        years = periods.years_in(mention.period)
        if published is not None and years and years[0] > published.year:
            continue
        if mention.kind == "range" and _CHANGE_WORDS.search(text):
            return str(years[-1])
        return mention.period
    bound = {
        m.period
        for m in mentions
        if m.kind == "year"
        and m.period
        and _bound(m, text)
        and not paren_or_compared(m, text, marker)
    }
    if len(bound) == 1 or (bound and _CHANGE_WORDS.search(text)):
        # "uppgick till 57,5 miljarder kronor 2023": the one year is the sentence's;
        # "från 6,9 månader 2019 till 7,1 månader 2020": the newer is.
        return max(bound, key=lambda p: periods.years_in(p)[-1])
    return None


def paren_or_compared(
    mention: periods.PeriodMention, text: str, marker: re.Match[str] | None
) -> bool:
    """Tell a year in parentheses or on the far side of a comparison."""
    if periods.paren_scope(text, mention.start, mention.end):
        return True
    return marker is not None and mention.start >= marker.start()


_CHANGE_WORDS = re.compile(
    r"\b(?:ök|minsk|sjönk|sjunk|steg|stig|halver|fördubbl|från\s+\S+\s+till)\w*", re.I
)


# A year back from another year of the text (not from the publication date, as "i fjol").
_YEAR_BACK = re.compile(
    r"året\s+innan|året\s+före|dessförinnan|\w+\s+år\s+(?:tidigare|sedan)", re.I
)
# "Tre år senare, 2021, var antalet ...": the year after the counted words names the time.
_NAMED_AFTER = re.compile(r",\s*(?:19|20)\d\d\b")


# "I dag är en fjärdedel ...": the present names no year, and takes none from its context.
_NOW = re.compile(r"\bnu\b(?!\s+(?:senast|i\s+(?:år|höstas|våras)))", re.I)
_TODAY = re.compile(r"\b(?:i\s*dag|i\s+nuläget|numera)\b", re.I)
_TODAY_STARTS = re.compile(r"i\s*dag|i\s+nul|numera")


def _census_day(state: _State, year: str) -> str | None:
    """Return the census day in a year: the day the text stated, else its census's."""
    if state.day and state.day.startswith(f"{year}-"):
        return state.day
    if year not in state.census:  # (read once a year: the text may be a long report)
        state.census[year] = periods.census_day_of(state.doc.text, year)
    return state.census[year]


_YEARS_ONLY = re.compile(r"\d{4}(?:–\d{4})?")


def _older_level_time(state: _State, period: str | None) -> str | None:
    """Return the single year before a period of the latest level figure the text gave
    for one ("År 2017 var motsvarande antal 33 250" before "… vid förra mätningen")."""
    now = periods.years_in(period)
    if not now:
        return None
    for fig in reversed(state.figures):
        years = periods.years_in(fig.period)
        if fig.measure == "level" and len(years) == 1 and years[0] < now[0]:
            return str(years[0])
    return None


_SAME_AGE = re.compile(r"\b(?:i\s+)?(?:den|samma)\s+ålder(?:n|sgrupp(?:en)?)\b", re.I)
_AGE_BAND = re.compile(r"\d{1,2}–\d{1,3} år|\d{1,2} år och äldre")


# Staff indicators, and the areas of the individ- och familjeomsorg other than barn och
# unga that narrow them
_STAFF_KEYS = ("personalomsattning", "vakan", "handlaggare", "andel_handlaggare", "sjukfranvaro")
_STAFF_AREA = re.compile(
    r"\b(?:inom|för|på|i)\s+(?:hela\s+)?(individ-\s+och\s+familjeomsorgen|ekonomiskt\s+bistånd|"
    r"försörjningsstöd\w*|vuxen\w*|missbruk\w*)",
    re.I,
)


def _count_before(state: _State, number: NumberMatch) -> Figure | None:
    """Return the last count of the sentence before that a part of this size fits in."""
    last = state.prev_made[-1] if state.prev_made else None
    if (
        last is None
        or last.unit != number.unit
        or last.measure != "level"
        or last.value <= number.value
        or last.group is not None
    ):
        return None
    return last


def _band_before(text: str) -> str | None:
    """Return the last age band a sentence names before a figure ("18–24 år"), or None."""
    bands = _AGE_BAND.findall(text)
    return bands[-1] if bands else None


def _last_age_band(state: _State) -> str | None:
    """Return the age band of the latest figures that have one (their last few)."""
    for fig in reversed(state.figures[-6:]):
        band = _AGE_BAND.search(fig.group) if fig.group else None
        if band is not None:
            return band[0]
    return None


_YOUNG_ADULT_BAND = re.compile(r"(?:1[6-9]|2\d)–\d+ år")
_SINCE_BEFORE = re.compile(r"\bsedan\s+$", re.I)
_VALUE_BEFORE = re.compile(r"\bfrån\s+\d[\d\s\xa0,]*(?:procent|kronor)?\s+$", re.I)


def _fallback_period(state: _State) -> str | None:
    periods_in_scope = (
        state.block_period,
        state.heading_period,
        state.section_period,
        state.lead_period,
    )
    for period in periods_in_scope:
        if period is not None:
            return period
    if state.survey is not None:
        return str(state.survey)
    return state.news_year


def _ref_year(sentence: Sentence, state: _State) -> int | None:
    """Return the year "året innan" counts from: the sentence's own, else the context's."""
    lowered = scan.lowered(sentence.text)
    if "år" not in lowered and "kvartal" not in lowered and not periods.has_bare_day(lowered):
        return None
    marker = _comparison(sentence.text)
    own = next(
        (
            m
            for m in periods.PLAIN_YEAR.finditer(
                sentence.text, 0, marker.start() if marker else len(sentence.text)
            )
            # ("Ett år tidigare låg andelen på 7,0, så nedgången sedan 2011 har stannat
            # av": a span's start is no time of the sentence; nor is "från 24 procent 2020
            # till 35 procent i årets mätning" a value's own year)
            if not _SINCE_BEFORE.search(sentence.text, max(0, m.start() - 8), m.start())
            and not _VALUE_BEFORE.search(sentence.text, max(0, m.start() - 20), m.start())
        ),
        None,
    )
    if own is not None:  # the sentence's own time, not the one it compares with
        return int(own[1])
    if marker is not None and state.doc.published is not None:
        # "Under förra året ..., jämfört med 236 miljoner kronor året innan": a time
        # the sentence names relative to the publication, before what it compares with.
        for mention in periods.find_periods(
            sentence.text[: marker.start()], published=state.doc.published
        ):
            if mention.kind == "date":
                continue  # ("På mätdagen den 1 november": a day of the year in context)
            years = periods.years_in(mention.period)
            if years:
                return years[-1]
    for period in (state.block_period, state.heading_period, state.lead_period):
        years = periods.years_in(period)
        if years:
            return years[-1]
    return state.survey


# A clause that gives the figure before at another time, naming it by a pronoun or
# a generic noun: "Året innan var kostnaden", "År 2010 låg den på", "I fjol var siffran"
_ANOTHER_TIME_OF_IT = re.compile(
    r"\W*(?:(?:året|ett\s+år|två\s+år)\s+(?:innan|före|tidigare)|år\s+\d{4}|\d{4}|i\s+fjol|"
    r"förra\s+året)\s*,?\s+(?:var|låg|uppgick|landade|hamnade)\s+"
    r"(?:den|det|kostnaden|beloppet|nivån|siffran|andelen|talet)\b",
    re.I,
)


def _figure(
    number: NumberMatch,
    sentence: Sentence,
    clause: tuple[int, int],
    period: str | None,
    state: _State,
    *,
    numbers: Sequence[NumberMatch],
    places: Sequence[Place],
    level: Figure | None = None,
) -> Figure:
    text = sentence.text
    left_out = frames.left_out(number, text, numbers)
    if left_out is not None:  # the part left out is no word of the indicator
        lo, hi = left_out.span
        text = text[:lo] + " " * (hi - lo) + text[hi:]
    clause_text = text[clause[0] : clause[1]]
    spread_end = _spread_end(number, numbers, text)  # "från 0,6 procent i A till 10,3 i B"
    rel_start, rel_end = number.start - clause[0], number.end - clause[0]
    words_text = state.words_text
    if left_out is not None:
        words_text = words_text[:lo] + " " * (hi - lo) + words_text[hi:]
    own = frames.own_part(number, text, clause, numbers)
    parts = _varav(text, number.end, own[1])
    if parts is not None:
        own = (own[0], parts.start())  # "3 221 personer, varav ... 697 barn": the parts' words
    elif (gapped := _gapped_next(number, text, numbers)) is not None and gapped < own[1]:
        # "Skolan låg bakom 31 procent av anmälningarna och polisen bakom 27 procent": the
        # next item's words are neither this figure's nor its topic
        own = (own[0], gapped)
        clause = (clause[0], gapped)
        clause_text = text[clause[0] : gapped]
    context = _masked(words_text, own, numbers)
    clause_places = [p for p in places if clause[0] <= p.start < clause[1]]
    per = number.per or _floating_per(number, text, clause, numbers)
    if per and per.replace(" ", "").isdigit():
        per = _complete_per(per, state)
    if (
        per is None
        and number.noun is None
        and state.figures
        and frames.names_corresponding(clause_text)
    ):
        # "motsvarande siffra 30,6": the rate named before (not "…, och kommunerna tog
        # emot cirka 15 800 anmälningar" in the clause after it)
        per = state.figures[-1].per
    elif (
        per is None
        and number.unit == "antal"
        and state.figures
        and state.figures[-1].per in _TIME_PERS
        and _IN_THOSE_HOUSEHOLDS.search(clause_text)
    ):
        # "86 300 hushåll fick bistånd varje månad. Omkring 171 000 personer ingick i
        # dessa hushåll": the persons of the month's households, per month too
        per = state.figures[-1].per
    elif (
        per is None
        and number.noun is None
        and number.unit == "antal"
        and number.measure != "change"
        and clause[0] > 0
        and _CONTRAST_OPEN.match(text, clause[0])
        and state.figures
        and state.figures[-1].sentence == text
        and state.figures[-1].per
    ):
        # "I storstäderna kom det in 230 anmälningar per 1 000 barn, medan
        # landsbygdskommunerna låg på 170": the rate the contrast compares with
        per = state.figures[-1].per
    elif (
        per is None
        and number.noun is None
        and state.figures
        and state.figures[-1].sentence == text
        and state.figures[-1].unit == number.unit
        and state.figures[-1].per
        and spread_end is not None
    ):
        # "4 700 kronor per invånare, men spridningen är stor: från under 2 500 kronor i
        # vissa kommuner till över 9 000 kronor": the ends of the rate's spread
        per = state.figures[-1].per
    elif (
        per is None
        and number.noun is None
        and state.figures
        and state.figures[-1].sentence == text
        and state.figures[-1].unit == number.unit
        and state.figures[-1].per
        and _bare_decimal(number)
        and (marker := _comparison(text)) is not None
        and marker.start() < number.start
        and state.figures[-1].offset < sentence.start + marker.start()
    ):
        # "26 personer per 10 000 invånare …, jämfört med 38,6 vid kartläggningen 2017":
        # the value compared with is the rate's
        per = state.figures[-1].per
    elif (
        per is None
        and number.noun is None
        and state.figures
        and state.figures[-1].unit == number.unit
        and state.figures[-1].per
        and _ANOTHER_TIME_OF_IT.match(clause_text)
    ):
        # "… 9 910 kronor per invånare. Året innan var kostnaden 10 198 kronor", "År 2010
        # låg den på 4 320 kronor": the rate before, at another time
        per = state.figures[-1].per
    elif per is None and state.block_per is not None and _bare_decimal(number):
        # "13,2 barn per 1 000 invånare ... Lägst ligger Ovanåker med 7,3": a bare
        # decimal after a rate in its paragraph is a value of that rate.
        per = state.block_per
    focus_text, focus_clause = words_text, clause
    if parts is not None:
        # A total's nearest words are not its "varav" parts': "96 miljoner kronor, varav
        # 41 … till konsulentstödda familjehem"; its predicate may resume after them
        # ("Runt 171 000 personer, varav 82 000 barn, lever med någon som har spelproblem").
        close = text.find(",", parts.end(), clause[1])
        rest = text[close + 1 : clause[1]] if close > 0 else ""
        if rest.strip(" .;") and not any(c.isdigit() for c in rest):
            focus_text = _blanked(words_text, [(parts.start(), close + 1)])
        else:
            focus_clause = (clause[0], own[1])
    focus = _focus(number, focus_text, focus_clause, numbers, places)
    item = (
        _respective_item(number, words_text, numbers)
        or _list_context(number, words_text, clause, numbers)
        or _list_before(number, words_text, numbers)
        or _gapped(number, words_text, numbers)
    )
    if item is None and (base := _base_of_part(number, words_text, numbers)) is not None:
        context = focus = base  # "sex av kommunens 52 socialsekreterartjänster … är vakanta"
    if item is not None:
        context = focus = item[0]
    metric, identity = _metric(
        number,
        context,
        clause_text,
        state,
        per=per,
        places=clause_places,
        offset=clause[0],
        focus=focus,
        phrase=_first_words(item[1]) if item else None,
        opening=text[: clause[0]],
        rules=_figure_words(number, words_text, own, numbers),
    )
    after_words = text[number.end : clause[1]]
    if "pris" in after_words:
        after_words = _PRICE_BASIS.sub(" ", after_words)  # "i fasta priser" names no indicator
    if level is not None and not state.catalog.named_in(after_words):
        # "2,9 miljarder kronor ..., 3 procent mer än samma kvartal året innan": the change
        # of the level just stated, when the words after it name no indicator of their own.
        known = _indicator_of(level, state.catalog)
        metric = state.catalog.change_of(
            known,
            context,
            unit=number.unit,
            direction=_DIRECTION_KEYS.get(number.direction or ""),
        )
        identity = "context" if level.identity != "derived" else "derived"
    if state.prev_text and (
        _REFERS_BACK.match(text)
        or (
            not text[: number.start].strip(" –-")
            and _OF_THEM_AFTER.match(text, number.end) is not None
        )
    ):
        # "Familjehem var den vanligaste formen. Där bodde 19 200 barn": the setting the
        # sentence leaves out is the one before, when the catalog knows the whole.
        # ("Av dem … 10 300 fick personligt stöd" after "37 100 barn och unga hade en
        # öppenvårdsinsats": of them, who they are, when the part's words name the rest)
        who = (
            " ".join(_WHO_BEFORE.findall(state.prev_text))
            if not metric.catalogued and _OF_THEM_OPEN.match(text)
            else ""
        )
        for before in filter(None, (who, state.prev_text)):
            leaning, _ = _metric(
                number,
                f"{before} {context}",
                clause_text,
                state,
                per=per,
                places=clause_places,
                offset=clause[0],
                focus=f"{focus} {before}",
            )
            if leaning.catalogued:
                break
        own_kind = item is not None and metric.catalogued and metric.key != leaning.key
        # ("Av dem hade 16 200 en kontaktperson eller kontaktfamilj": those of them given
        # an insats the clause's own words name in full)
        own_part = (
            identity == "catalogued"
            and leaning.catalogued
            and metric.key != leaning.key
            and _OF_THEM_OPEN.match(text) is not None
            # (not "Av dem var 230 pojkar": who they are is a group of the count before)
            and any(w not in _WHO_WORDS for w in content_words(context))
        )
        if (
            leaning.catalogued
            and not own_part
            and not (
                # "..., av vilka 221 var i familjehem och 78 på hem för vård": an item's own
                # words name its indicator, as specific as the one before
                own_kind
                and state.catalog.specificity(metric.key) >= state.catalog.specificity(leaning.key)
            )
        ):
            metric, identity = leaning, "context"
        if (
            clause_places
            and _OF_THEM_OPEN.match(text)
            and (counted := _count_before(state, number)) is not None
            and not own_part
        ):
            # "… registrerade 1 130 anmälningar om misshandel … Av dem gällde 395 brott i
            # Sundsvall": the count before, in one of its places
            metric = _indicator_of(counted, state.catalog, catalogued=False)
            identity = "context"
    if metric.key == _OJ_RESPONSE_RATE and not _names_oj(state):
        # "Enkäten besvarades av 84 procent av kommunerna" in an SKR survey, "Enkäten gick
        # till 4 600 medlemmar. Svarsfrekvensen blev 39 procent": another survey's response
        # rate, named or leaned on, is never that of Öppna jämförelser
        metric = state.catalog.identify(
            context,
            unit=number.unit,
            measure="change" if number.measure == "change" else "level",
            per=per,
            besides=_OJ_RESPONSE_RATE,
        )
        identity = "catalogued" if metric.catalogued else "derived"
    if number.measure == "change" and (named := _former_or_latter(number, text, clause, state)):
        # "HVB-vården kostade 10,9 miljarder och familjehemsvården 12,4 miljarder; den
        # förra ökade med 8,4 procent och den senare med 5,1 procent"
        known = _indicator_of(named, state.catalog)
        metric = state.catalog.change_of(
            known, context, unit=number.unit, direction=_DIRECTION_KEYS.get(number.direction or "")
        )
        identity = "context"
    if holds_any(scan.lowered(clause_text), _FORECAST_PARTS) and _FORECAST.search(clause_text):
        # "Vi bedömer att utbetalningarna 2025 hamnar runt 11,2 miljarder kronor", "en
        # prognos för helåret på 39,3 mnkr": what is expected, never the outcome
        metric = state.catalog.accounting(metric, "_prognos", "prognos")
    if number.start in state.fixed_prices:
        # "räknat i fasta priser blev ökningen 1,7 procent": the price basis is part of
        # the indicator, never compared with the same money in current prices
        metric = state.catalog.accounting(metric, "_fasta_priser", "fasta priser")
    if "median" in scan.lowered(clause_text) and says_median(clause_text):
        # "Mediantiden var 114 dagar" beside "i genomsnitt 127 dagar"
        metric = state.catalog.median_of(metric)
    if left_out is not None:
        metric = state.catalog.excluding(metric, left_out.slug, left_out.words)
    if (
        "kommun" in metric.key
        and may_hold_words(clause_text, _LACK_WORDS)
        and (lack := _LACKS.search(clause_text)) is not None
        and not any(word in metric.key for word in _SHORTAGE_KEYS)
        and not (metric.catalogued and state.catalog.speaks_of(metric.key, lack[0]))
    ):
        # "Ändå saknar nästan hälften av kommunerna en sådan överenskommelse": the
        # kommuner without it, the complement of the indicator, never a change of it
        metric = state.catalog.accounting(metric, "_saknar", "saknar")
    sex = frames.composition_sex(number, text, numbers) if number.unit == "procent" else None
    lone_sex = None
    if sex is not None:
        population = _composed_population(context, state)
        if population is not None:
            metric, identity = state.catalog.composition(population), "context"
            if sex in _ADULT_SEXES and not _other_sex_share(number, text, numbers, sex):
                # "Av de tvångsvårdade var 34 procent kvinnor": the women's share, an
                # indicator of its own, not a part of the population
                metric, lone_sex = state.catalog.share_of_sex(population, sex), sex
    served = frames.served_sex(number, text, numbers, clause)
    if served is not None:
        metric = state.catalog.for_recipients(metric, served)
    if (
        metric.catalogued
        and number.unit == "antal"
        and len([n for n in numbers if clause[0] <= n.start < clause[1]]) == 1
        and (whole := state.catalog.whole_of_forms(metric.key, clause_text)) is not None
    ):
        # "1 140 barn fick bo i familjehem, på HVB eller i stödboende": the children
        # placed, whatever the form
        metric = whole
    if number.noun and metric.catalogued and number.unit == "antal":
        metric = state.catalog.narrowed_by_noun(metric, number.noun)  # "två spädbarn"
    if metric.catalogued and metric.key.startswith(_STAFF_KEYS):
        area = _STAFF_AREA.search(clause_text) or _STAFF_AREA.search(text, 0, clause[0])
        if area is not None:
            # "Inom ekonomiskt bistånd var personalomsättningen 12 procent", "Räknat på hela
            # individ- och familjeomsorgen var den 19 procent": the staff of one area, not
            # those of barn och unga the staff figures speak of unless they say otherwise
            metric = state.catalog.breakdown(metric, area[1])
    if metric.catalogued and number.unit == "antal" and text[:3].lower() == "av ":
        # "…, medan 375 gällde lokaler": the kind after the verb
        kind = number.noun or _kind_after(text, number.end)
        metric = _kind_of_whole(metric, kind, text, state) if kind else metric
    metric = state.catalog.in_period_scope(
        metric, period, number.noun, months_said=periods.names_month(text)
    )
    # "från 38 procent i Norrbottens län som lägst till 92 procent i Jönköpings län som
    # högst": the end named after the value first, else the one before it
    spread = (
        _EXTREME_AFTER.match(text, number.end)
        or _EXTREME.search(text, max(0, number.start - _EXTREME_REACH), number.start)
        if may_hold_words(text, ("lägst", "högst", "kortast", "längst"))
        else None
    ) or (
        # "Södermanlands län hade den högsta andelen, 5,8 procent", "drygt 6 procent av
        # invånarna, den högsta andelen i landet": the superlative ranks places only
        # where the sentence names one (not "den högsta sedan 2010")
        _SUPERLATIVE_AFTER.match(text, number.end)
        or _SUPERLATIVE.search(text, max(0, number.start - _EXTREME_REACH), number.start)
        if places and may_hold_words(text, ("lägsta", "högsta"))
        else None
    )
    if spread is not None:
        end = next(e for e in spread.groups() if e).lower()[:5]  # "lägsta": "lägst"
        end = _TIME_ENDS.get(end, end)  # "Kortast var utredningstiden i …, 87 dagar"
    else:
        end = spread_end or _rank_end(number, numbers, text, places)
    if end is not None:
        metric = state.catalog.extreme(metric, end, _places_level(places))
    # The words after the next number are that number's ("..., varav 25 procent var kvinnor").
    until = _next_start(number, numbers, clause) - clause[0]
    group = find_group(clause_text, rel_start, rel_end, until) or sex or None
    if (
        group is None
        and number.noun
        and lemma(number.noun.lower()) == "ung"
        and state.figures
        and _YOUNG_ADULT_BAND.fullmatch(state.figures[-1].group or "")
    ):
        # "… 7,2 procent av landets unga vuxna … handlar det om omkring 58 000 unga": the
        # young adults just spoken of
        group = state.figures[-1].group
    elif (
        group is None
        and "ålder" in clause_text
        and _SAME_AGE.search(clause_text)
        and (band := _band_before(text[: number.start]) or _last_age_band(state)) is not None
    ):
        # "… till hushåll med en sökande i den åldern", "Bland unga vuxna, 18–24 år, …: 780
        # personer i den åldern": the band just named
        group = band
    elif (
        group is None
        and number.noun
        and state.catalog.counts(count_key := _counted_key(metric, state.catalog)) == "person"
        and noun_class(lemma(number.noun.lower())) == "barn"
        and not _YOUNG_ADULTS.match(text, number.end)
    ):
        group = "barn"  # "I hushållen levde 143 000 barn": the children among the persons
    elif (
        group is None
        and number.noun
        and lemma(number.noun.lower()) == "vuxen"
        and state.catalog.counts(count_key := _counted_key(metric, state.catalog)) == "person"
        and state.catalog.has_group(count_key, "vuxna")
    ):
        # "cirka 6 500 vuxna bodde på skyddat boende", "14 färre vuxna än 2018": the adults
        # among them
        group = "vuxna"
    group = group or metric.group  # "132 000 barn i biståndshushåll": the entry's part
    if lone_sex is not None and group == lone_sex:
        group = None
    if group and per and (rate_of := RATE_POPULATION.search(clause_text)) is not None:
        # "Räknat per 100 000 invånare som är 18 år och äldre": the rate's population.
        band = " ".join(rate_of[1].split()).replace("-", "–")
        group = " ".join(group.replace(band, "").split()) or None
    return Figure(
        metric=metric.key,
        label=metric.label,
        value=float(number.value),
        unit=number.unit,
        quote=number.quote,
        sentence=sentence.text,
        measure="change" if number.measure == "change" else "level",
        per=per,
        qualifier=number.qualifier,
        low=_float(number.low, number.value),
        high=_float(number.high, number.value),
        period=period,
        group=group,
        offset=sentence.start + number.start,
        identity=identity,
    )


def _counted_key(metric: Metric, catalog: Catalog) -> str:
    """Return the key of the count a figure's indicator counts: a change's level's."""
    level = catalog.level_of(metric) if metric.measure == "change" else None
    return level.key if level is not None else metric.key


def _composed_population(context: str, state: _State) -> Metric | None:
    """Return the count a sex split divides: named in the clause, else the count just before.

    "Av alla som hade en heldygnsinsats 2020 var 58 procent pojkar" splits the children
    with a heldygnsinsats; "Drygt 53 procent av dem var pojkar" those the sentence before
    counted.
    """
    words = frames.strip_sex_words(context)
    count = state.catalog.identify(
        words, unit="antal", measure="level", per=None, topic=_topic_for(words, state)
    )
    if count.catalogued:
        return count
    for fig in reversed(state.figures[-4:]):
        if fig.unit == "antal" and fig.measure == "level" and fig.per is None:
            known = state.catalog.get(fig.metric)
            if known is None and _OWN_POPULATION.search(words):
                # "94 procent av de våldsutsatta i ärendena är kvinnor" after a count the
                # catalog does not know either: the population the clause names
                return count
            return _indicator_of(fig, state.catalog)
    return count if _OWN_POPULATION.search(words) else None


_OWN_POPULATION = re.compile(r"\b(?:av|bland)\s+(?:de|alla|samtliga)\s+[a-zåäö]{4,}", re.I)
# Words that say who is counted, never what: a part naming only these is a group
_WHO_WORDS = frozenset(
    {"pojke", "flicka", "kvinna", "man", "barn", "ung", "ungdom", "vuxen", "person", "år"}
    | {"äldre", "yngre", "ålder", "åldern", "mellan"}
)
# Who a sentence counts: "barn och unga", "vuxna", "kvinnor"
_WHO_BEFORE = re.compile(
    r"\b(?:barn\s+och\s+unga|barn|unga\s+vuxna|ungdomar|vuxna|kvinnor|män|personer)\b", re.I
)
_OF_THEM_OPEN = re.compile(r"\W*(?:av|bland)\s+(?:dem|dessa)\b", re.I)
_REFERS_BACK = re.compile(r"\W*(?:där|dit|därav|(?:av|bland|i)\s+(?:dem|dessa)(?!\s+som))\b", re.I)
# "22 procent av dem fick ekonomiskt bistånd": a sentence opening with its share of them
_OF_THEM_AFTER = re.compile(r"\s+(?:av|bland)\s+(?:dem|dessa)\b(?!\s+som)", re.I)
_PREV_CHARS = 240
# "274 000 personer ..., varav 83 000 kvinnor, 91 000 män och 100 000 barn. Det motsvarar
# 2,6 procent av befolkningen": a sentence's parts say nothing of what the next leans on.
_PARTS_TAIL = re.compile(r"\b(?:varav|därav|av\s+vilka)\b[^.;]*", re.I)
_PARTS_WORDS = ("varav", "därav", "vilka")  # one of them is in every `_PARTS_TAIL`
_NAMES_A_FIGURE = re.compile(
    r"\b(?:talet|talen|siffran|siffrorna|nivån|andelen|motsvarande|kostnaden|beloppet)\b", re.I
)
_PARAGRAPH_CHARS = 480


_NEXT_SAYING = re.compile(r",\s+(?:och|men|medan)\s+|;", re.I)


def _figure_words(
    number: NumberMatch, text: str, own: tuple[int, int], numbers: Sequence[NumberMatch]
) -> str | None:
    """Return the words that speak of this figure alone, or None when others share them.

    "Stödboende var den tredje vanligaste placeringsformen med 2 100 placerade": the
    clause up to where it goes on to say something else (", och polisen och skolan var
    de vanligaste anmälarna").
    """
    if sum(1 for n in numbers if own[0] <= n.start < own[1] and n.unit == number.unit) != 1:
        return None  # a share beside a count names a part of it, not a rival indicator
    stop = _NEXT_SAYING.search(text, number.end, own[1])
    return _masked(text, (own[0], stop.start() if stop else own[1]), numbers)


# "I akut hemlöshet – det vill säga på härbärgen, jourboenden, skyddade boenden eller
# utomhus – fanns 4 867 personer", "Andelen nya biståndshushåll, alltså hushåll som fick
# bistånd 2002 men inte 2001, var 2 procent": what a term means is not what is counted.
_DEFINITION = re.compile(
    r"[–—-]\s*(?:det\s+vill\s+säga|dvs\.?|alltså)\s[^–—]*[–—]"
    r"|\(\s*(?:det\s+vill\s+säga|dvs\.?|alltså)\s[^)]*\)"
    r"|,\s*(?:det\s+vill\s+säga|dvs\.?|alltså)\s[^.;\d]*(?=[.;]|$)"
    r"|,\s*(?:det\s+vill\s+säga|dvs\.?|alltså)\s[^,.;]*,"
    r"|,\s*(?:till\s+exempel|t\.\s?ex\.|som\s+exempelvis|exempelvis)\s[^.;:]*"
    # "Övriga insatser till vuxna, där bland annat skyddat boende redovisas, kostade"
    r"|,\s*(?:där|som)\s+(?:bland\s+annat|till\s+exempel|exempelvis)\s[^,.;:]*,"
    # who said it: ", säger Maria Lindqvist, socialchef i Eskilstuna kommun"
    r"|,\s*(?:säger|sade|sa|skriver|berättar|menar|konstaterar|förklarar)\s[^.;]*",
    re.I,
)


_DEFINITION_HINTS = (
    "bland annat",
    "säga",
    "dvs",
    "alltså",
    "exempel",
    "t.ex",
    "säger",
    "sade",
    " sa ",
    "skriver",
    "berättar",
    "menar",
    "konstaterar",
    "förklarar",
)


# Every `_DEFINITION` opens with one of these marks: a sentence without them needs no
# look for its words (single characters, found faster than words).
_DEFINITION_MARKS = ("–", "—", "-", "(", ",")


def _may_define(text: str) -> bool:
    """Tell cheaply whether `_DEFINITION` can match (most sentences hold none of its words)."""
    if not scan.holds_any(text, _DEFINITION_MARKS):
        return False
    lowered = scan.lowered(text)
    return any(hint in lowered for hint in _DEFINITION_HINTS)


# a time limit or a threshold an indicator names: "inom lagens fyra månader", "arbetat
# kortare tid än två år", "minst tio av årets tolv månader"
_WITHIN = re.compile(
    r"\b(?:inom|än|minst|högst|översk\w+|överst\w+)\s+(?:[a-zåäö]+\s+)?$", re.I
)  # "klara inom", "längre än de fyra månader", "överskred lagens fyra månader"


# What money is counted in: "i fasta priser", "räknat i löpande priser", "i 2024 års
# priser", "rensat för pris- och löneökningar". Only "löpande" is the plain indicator.
_PRICE_BASIS = re.compile(
    r"\b(?:(?:räknat|mätt|omräknat)\s+)?i\s+(?:fasta|löpande|(?:19|20)\d\d\s+års)\s+priser\b|"
    r"\brensat\s+för\s+pris-?\s+och\s+löneökningar(?:na)?\b|"
    r"\b(?:när|med)\s+hänsyn\s+(?:tas\s+)?till\s+prisutvecklingen\b",
    re.I,
)


def _fixed_prices(
    prices: Sequence[re.Match[str]], numbers: Sequence[NumberMatch]
) -> frozenset[int]:
    """Return where the numbers a fixed price basis is said of start: the number right
    before it ("1,2 procent i fasta priser"), else the first after it ("I fasta priser
    blev ökningen 1,7 procent")."""
    bound: set[int] = set()
    for m in prices:
        if "löpande" in m.group(0).lower():
            continue
        before = [n for n in numbers if 0 <= m.start() - n.end <= 2]
        after = [n for n in numbers if n.start >= m.end()]
        chosen = before[-1] if before else (after[0] if after else None)
        if chosen is not None:
            bound.add(chosen.start)
    return frozenset(bound)


def _blanked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Return the text with the spans blanked out (same length)."""
    for s, e in spans:
        text = text[:s] + " " * (e - s) + text[e:]
    return text


def _masked(text: str, clause: tuple[int, int], numbers: Sequence[NumberMatch]) -> str:
    """Return the clause with every number expression blanked out."""
    out = text[clause[0] : clause[1]]
    for n in numbers:
        s, e = n.start - clause[0], n.end - clause[0]
        if 0 <= s < e <= len(out):
            out = out[:s] + " " * (e - s) + out[e:]
    return out


_FLOATING_PER = re.compile(
    r"\bper\s+(?:(\d{1,3}(?:[\s\xa0]\d{3})+|\d+)(?:\s+(?!(?:och|eller|men|än|som|i|på|av|"
    r"för|med|till)\b)([a-zåäö]+))?|(invånare|hushåll|dag|dygn|månad|person|pass))\b",
    re.I,
)
# "En utredare hade i snitt 21 pågående ärenden": a count each one of a kind has is a
# rate per that kind.
_EACH_HAS = re.compile(
    r"\b(?:en|varje)\s+([a-zåäö]{4,})\s+(?:hade|har|fick|får|handlade|handlägger)\s+"
    r"(?:i\s+(?:snitt|genomsnitt|medeltal)\s+)?$|"
    # "I genomsnitt ansvarar en socialsekreterare inom barn och unga för 21 ärenden",
    # "I Borås har varje handläggare i snitt 27 pågående ärenden": the verb first
    r"\b(?:har|hade|ansvarar|ansvarade|handlägger|handlade)\s+(?:en|varje)\s+([a-zåäö]{4,})"
    r"(?:\s+(?:inom|i|på)\s+[^,.;\d]{1,30}?)?\s+(?:i\s+(?:snitt|genomsnitt|medeltal)\s+)?"
    r"(?:för\s+)?$",
    re.I,
)


# "drygt 1 200 anmälningar kom in ... varje dag": a time rate anywhere in the clause.
_TIME_RATE = re.compile(
    r"\b(?:(?:varje|per)\s+(dag|dygn|vecka|månad)|(?:om|i)\s+(dagen|dygnet|veckan|månaden)|"
    r"dagligen)\b",
    re.I,
)
_TIME_RATE_WORDS = ("dag", "dygn", "veck", "månad")  # one in each of its forms
_TIME_RATE_UNIT = {"dagen": "dag", "dygnet": "dygn", "veckan": "vecka", "månaden": "månad"}
# "Ett dygn på HVB kostade ...", "ett vårddygn i familjehem låg kring ...": the price of one day
_A_DAY_COSTS = re.compile(
    # (no other amount between: "…, och vården som helhet kostade 2,7 miljarder")
    r"\b(?:ett|varje)\s+(?:vård)?dygn\b(?:[^.;:\d]|(?:19|20)\d\d){0,60}?"
    r"\b(?:kosta\w*|låg|landade|blev)\b(?:[^.;:\d]|(?:19|20)\d\d)*$",
    re.I,
)


def _floating_per(
    number: NumberMatch, text: str, clause: tuple[int, int], numbers: Sequence[NumberMatch]
) -> str | None:
    """Return a denominator the clause states apart from its numbers, or None.

    "Räknat per 1 000 barn steg antalet från 154 till 192" and "Flest anmälningar per
    1 000 barn hade Gävleborgs län, 251": the rate's numbers carry no unit noun of their
    own, so the clause's "per 1 000 barn" is theirs.
    """
    if number.unit not in ("antal", "kronor"):
        return None
    if number.noun and (each := _EACH_HAS.search(text, clause[0], number.start)) is not None:
        return lemma((each[1] or each[2]).lower())  # "en handläggare hade i snitt 16 ärenden"
    if number.unit == "kronor" and _A_DAY_COSTS.search(text, clause[0], number.start):
        return "dygn"  # "Ett dygn på HVB kostade i genomsnitt runt 4 300 kronor"
    if number.measure != "change":
        daily_words = may_hold_words(text, _TIME_RATE_WORDS)
        for daily in _TIME_RATE.finditer(text, clause[0], clause[1]) if daily_words else ():
            lo, hi = sorted((daily.start(), number.start))
            if not any(lo < n.start < hi for n in numbers if n is not number):
                word = (daily[1] or daily[2] or "dag").lower()
                return _TIME_RATE_UNIT.get(word, word)
    found: list[re.Match[str]] = []
    for m in _FLOATING_PER.finditer(text, clause[0], clause[1]):
        if m.start() <= number.start < m.end():
            continue
        if m.start() > number.end and _NEW_SAYING.search(text, number.end, m.start()):
            continue  # "12,1 miljarder kronor, och det genomsnittliga beloppet per hushåll"
        if m.start() > number.end and _RESTATES.search(text, number.end, m.start()):
            continue  # "10,4 miljarder kronor, vilket motsvarar 986 kronor per invånare"
        if number.noun:
            # "9 barn och unga per 1 000 invånare": the counted words, then the rate,
            # with no other number between.
            between = text[number.end : m.start()]
            if m.start() < number.end or len(between.split()) > _NOUN_RATE_WORDS:
                continue
            if any(number.end <= n.start < m.start() for n in numbers):
                continue
        found.append(m)
    # "Räknat per invånare har kommunen 8,9 ... per 1 000 invånare": a rate's own
    # denominator, with its number, wins over a bare framing one
    if not found:
        return None
    chosen = next((f for f in found if f[1]), found[0])
    if chosen[3]:
        return chosen[3].lower()
    if not chosen[2]:
        return " ".join(chosen[1].split())  # "per 1 000": its noun comes from the document
    return f"{' '.join(chosen[1].split())} {chosen[2].lower()}"


def _complete_per(per: str, state: _State) -> str:
    """Return "1 000 invånare" for a bare "per 1 000" after the document named its noun."""
    for fig in reversed(state.figures):
        if fig.per and fig.per.startswith(f"{per} "):
            return fig.per
    return per


_NOUN_RATE_WORDS = 6  # "12,1 barn och unga med heldygnsinsats per 1 000 invånare"


def _float(value: float | None, default: float) -> float:
    return float(default if value is None else value)


def _names_oj(state: _State) -> bool:
    """Tell whether the document names Öppna jämförelser (read once, when first asked)."""
    if state.names_oj is None:
        state.names_oj = "öppna jämförelse" in state.doc.text.lower()
    return state.names_oj


def _metric(
    number: NumberMatch,
    context: str,
    clause_text: str,
    state: _State,
    *,
    per: str | None,
    places: Sequence[Place],
    offset: int,
    focus: str,
    phrase: str | None = None,
    opening: str = "",
    rules: str | None = None,
) -> tuple[Metric, Identity]:
    """Return a figure's indicator and how sure it is (see models.Identity).

    `opening` is what the sentence says before the figure's clause ("Ensamstående
    kvinnor med barn är den hushållstyp där biståndet är vanligast: 12 procent av dem").
    """
    measure = "change" if number.measure == "change" else "level"
    direction = _DIRECTION_KEYS.get(number.direction or "")
    if number.noun and (compound := _compound_ending_in(number.noun, state.title)):
        # "Kommunen inledde 1 450 utredningar" under "Barnutredningarna tar allt längre
        # tid": the title's compound says which utredningar
        context = f"{context} {compound}"
        focus = f"{focus} {compound}"
    elif (
        number.noun
        and state.prev_text
        and _SUCH.search(clause_text)
        and (compound := _compound_ending_in(number.noun, state.prev_text))
    ):
        # "Medgivandeutredningarna blir färre. Under 2023 gjordes 198 sådana utredningar":
        # the kind the sentence before named
        context = f"{context} {compound}"
        focus = f"{focus} {compound}"
    # The denominator a figure before must have to lend its indicator: this one's; none
    # for a count of a noun ("14 av 21 län"); any for a bare value ("Sörmland: 7,7").
    rate_of = per if per is not None else (_NO_PER if number.noun else None)

    def leaning_on(before: str, *, noun: str | None, turn: str | None) -> Metric:
        """The indicator the words before name together with this figure's clause."""
        before = _DEFINITION.sub(" ", before) if _may_define(before) else before
        if may_hold_words(before, _PARTS_WORDS):
            before = _PARTS_TAIL.sub(" ", before)
        if measure == "change" and number.unit == "procent" and _THE_COUNT.search(context):
            # "har antalet ökat med 27 procent" after "… tog emot 422 000 anmälningar": the
            # change of a count, never of a share its words could also name
            counted = state.catalog.identify(
                f"{before} {context}",
                unit="antal",
                measure="level",
                per=per,
                focus=context,
                topic=_topic_for(context, state),
                noun=noun,
            )
            if counted.catalogued:
                return state.catalog.change_of(counted, context, unit="procent", direction=turn)
        return state.catalog.identify(
            f"{before} {context}",
            unit=number.unit,
            measure=measure,
            per=per,
            # (of two entries as specific, the one the clause's own words name: "… med
            # biståndsbeslut. Utan biståndsbeslut erbjuds sådana samtal i 64 procent")
            focus=context,
            topic=_topic_for(context, state),
            noun=noun,
            direction=turn,
        )

    def as_this(earlier: Metric) -> Metric:
        """The indicator of a figure before, as this figure measures it (its change)."""
        if measure == "change":
            return state.catalog.change_of(earlier, context, unit=number.unit, direction=direction)
        return earlier

    def as_rate_of_earlier() -> Metric | None:
        """The amount or count before, as this figure's rate, if the catalog knows it."""
        rate = _earlier_metric(state, unit=number.unit, measure=measure, per=_ANY_PER)
        if rate is None:
            return None
        as_rate = leaning_on(rate.label, noun=None, turn=None)
        if as_rate.catalogued:
            return as_rate
        if per:
            # "Räknat per 100 000 invånare blir det 91,4" after a count the catalog knows
            # and no rate of it: that count's rate
            count = _earlier_metric(state, unit="antal", measure="level", per=_NO_PER)
            if count is not None and count.catalogued:
                return state.catalog.rate_of(count, per)
        return None

    after_colon = clause_text.lstrip().startswith(":") or opening.rstrip().endswith(":")
    labelled = after_colon and bool(opening.strip()) and not _NOTICE.match(opening)
    # "Ungdomar som påbörjade en behandlingskontakt: 680 (53 procent av alla …)": the
    # label of a value straight after its colon, on a line of a fact box (no sentence:
    # "Därefter har kurvan pekat nedåt: 6,8 procent 2020, …"), is the value's own words
    own_label = (
        labelled
        and clause_text[: max(0, number.start - offset)].strip(" :") == ""
        and not state.words_text.rstrip().endswith((".", "!", "?"))
    )
    if own_label:
        # (its places are the figure's region, not its words: "Maria Ungdom i Stockholm: 640")
        label = _blanked(opening, [(p.start, p.end) for p in find_places(opening)])
        if not content_words(label) and state.prev_text.rstrip().endswith(":"):
            # "Så många orosanmälningar kom in under 2018:", then "Köping: 690": a list of
            # places says what it counts in the line that opens it
            label = state.prev_text
        focus, context = f"{label} {focus}", f"{label} {context}"
    metric = state.catalog.identify(
        context,
        unit=number.unit,
        measure=measure,
        per=per,
        focus=focus,
        # "Situation 3, långsiktiga boendelösningar ...: 13 163 personer": the label
        # before the colon, not the title, says what the count counts.
        topic="" if labelled else _topic_for(f"{opening} {clause_text}", state),
        noun=frames.partitive(number, clause_text, offset)
        or frames.share_population(number, clause_text, offset)
        or _counted(number.noun)
        or _whole_noun_before(number, state.words_text, 0)
        or number.noun
        or _counted_subject(clause_text[: max(0, number.start - offset)])
        or _more_or_fewer_of(number, clause_text, offset)
        or _named_subject(number, clause_text, offset, state.words_text),
        direction=direction,
        phrase=phrase or _phrase(number, clause_text, offset),
        clause_rules=rules,
    )
    if metric.catalogued:
        if state.prev_text and names_group_before(clause_text):
            # "Som långvarigt räknas bistånd under minst tio av årets tolv månader. Drygt
            # 54 000 hushåll hörde till den gruppen": the group defined before, when the
            # words together name a more specific indicator
            joined = leaning_on(state.prev_text, noun=number.noun, turn=direction)
            if joined.catalogued and state.catalog.specificity(
                joined.key
            ) > state.catalog.specificity(metric.key):
                return joined, "context"
        if amounts_to(clause_text) and state.figures:
            # "46 800 barn levde i familjer med långvarigt bistånd. Det motsvarar 38
            # procent av alla barn i hushåll som fick bistånd": the share of the count
            # before, when the words together name a more specific indicator.
            joined = leaning_on(state.figures[-1].sentence, noun=None, turn=direction)
            if joined.catalogued and state.catalog.specificity(
                joined.key
            ) > state.catalog.specificity(metric.key):
                return joined, "context"
        return metric, "catalogued"
    if measure == "level" and state.figures and _REACHED.match(clause_text):
        # "Antalet personer gick upp med 60 och landade på 3 221": the level the change
        # just before in the sentence reached
        previous = state.figures[-1]
        changed = state.catalog.get(previous.metric) if previous.measure == "change" else None
        reached = state.catalog.level_of(changed) if changed is not None else None
        if reached is not None and clause_text.strip() in previous.sentence:
            return reached, "context"
    if (
        per is not None
        and _RESTATES_AS_RATE.search(clause_text)
        and (own := _count_of_sentence(state, clause_text)) is not None
    ):
        # "131 personer …, 105 män och 26 kvinnor, vilket motsvarar 17,8 per 100 000
        # invånare": the rate of the count its own sentence gives, when the catalog
        # knows no rate of it
        own_rate = leaning_on(own.label, noun=None, turn=None)
        return (own_rate if own_rate.catalogued else state.catalog.rate_of(own, per)), "context"
    if (
        measure == "change"
        and state.prev_made
        and _IT_IS_MORE.match(clause_text)
        and state.figures[-1] is state.prev_made[-1]
        and state.prev_made[-1].measure == "level"
        and state.prev_made[-1].unit in ("antal", "kronor")
        and (before_fig := state.catalog.get(state.prev_made[-1].metric)) is not None
        and before_fig.catalogued
    ):
        # "… landade kostnaden på 958 miljoner kronor. Det är 46 procent mer än 2016": the
        # change of the figure just before, whatever else its words could name
        return as_this(before_fig), "context"
    if not own_label and is_referential(clause_text, offset=offset, places=places):
        # "Det motsvarar 2,4 procent av alla barn": the indicator named before, in this
        # figure's own unit (a share of what was counted) — by the sentence just before
        # ("... hur stor del av befolkningen som får bistånd. Bland länets kommuner var
        # andelen som lägst 2,6 procent"), else by the last figure's.
        last = state.figures[-1].sentence if state.figures else ""
        if last and clause_text in last:  # a figure of this sentence named it
            befores = [last]
        else:
            # ... the paragraph before it ("Med heldygnsinsats menas ... med en sådan
            # insats ... År 2019 var de 31 100") before the last figure's sentence.
            # A figure named as a figure ("talet", "siffran", "nivån") is the last one's.
            paragraph = "" if _NAMES_A_FIGURE.search(clause_text) else state.paragraph_text
            befores = [b for b in (opening.strip(), state.prev_text, paragraph.strip(), last) if b]
        for before in befores:
            metric_before = leaning_on(before, noun=number.noun, turn=direction)
            if metric_before.catalogued:
                named = _named_instead(metric_before, context, state, unit=number.unit)
                return named or metric_before, "context"
        earlier = _earlier_metric(
            state, unit=number.unit, measure=measure, per=rate_of, noun=number.noun
        )
        if earlier is not None and not state.catalog.ruled_out(earlier.key, context):
            return as_this(earlier), "context" if earlier.catalogued else "derived"
        if per is not None and (as_rate := as_rate_of_earlier()) is not None:
            return as_rate, "context"  # "Per invånare blir det 4 030 kronor"
    bare = metric.key.endswith("_okant") or _only_generic(context, per)
    if (
        opening.strip()
        and not bare
        and number.noun is None
        and _CONTRAST_OPEN.match(clause_text)
        and not _NEGATED.search(clause_text)
    ):
        # "Var tredje handläggare har mer än fem års erfarenhet, medan 31 procent har
        # arbetat kortare tid än två år": the contrast leaves out whom it counts
        said = leaning_on(opening, noun=number.noun, turn=None)
        keyed = {f.metric for f in state.figures[-6:] if clause_text in f.sentence}
        if said.catalogued and said.key not in keyed:  # (never the first clause's own)
            return said, "context"
    if opening.strip() and (bare or after_colon):
        # Not one word of its own ("ökade med 4 procentenheter"), or the words after a
        # colon ("Norrköping har flest hemlösa i länet: 716 personer"): what the sentence
        # said before it.
        said = leaning_on(opening, noun=number.noun, turn=None)
        if said.catalogued:
            return said, "context"
    if bare:
        # Else the figure before's.
        earlier = _earlier_metric(
            state, unit=number.unit, measure=measure, per=rate_of, noun=number.noun
        )
        if earlier is not None:
            return as_this(earlier), "context"
        if per is not None and (as_rate := as_rate_of_earlier()) is not None:
            return as_rate, "context"  # "..., eller elva per 1 000 invånare i åldern 0–20 år"
    if (
        state.figures
        and clause_text in state.figures[-1].sentence
        and state.figures[-1].identity != "derived"
        and is_spread_end(state.figures[-1].metric)
        and (
            not content_words(rest := _EXTREME_WORDS.sub(" ", context)) or _only_generic(rest, per)
        )
    ):
        # "Kortast var utredningstiden i Norrbottens län, 87 dagar, och längst i Jämtlands
        # län, där medianen var 126 dagar": the other end of the spread, of its indicator
        return state.catalog.spread_whole(_indicator_of(state.figures[-1], state.catalog)), (
            "context"
        )
    if state.prev_text and (
        # (an item, when a sibling before it is already of a known indicator: "37 procent
        # av dem bodde på HVB och 32 procent i familjehem" of the ensamkommande leans on
        # no sentence about all placed children)
        (
            phrase is not None
            and any(
                f.identity != "derived" for f in state.figures[-6:] if clause_text in f.sentence
            )
        )
        or (
            number.unit == "procent"
            and number.noun is None  # ("tre av tio socialsekreterare" names its whole)
            and not _SHARE_OF_WHOLE.search(context)
        )
    ):
        # "Polisen stod för 31 procent av anmälningarna. Skolan stod för 22 procent och
        # hälso- och sjukvården för 15 procent": an item whose own words the sentence
        # before completes (never into a sibling's indicator); "Nästan nio av tio, 88
        # procent, var klara inom de 14 dagar som lagen ger" after a sentence on
        # förhandsbedömningar: a share that names no whole, of the one before
        said = leaning_on(state.prev_text, noun=number.noun, turn=None)
        siblings = {f.metric for f in state.figures[-6:] if clause_text in f.sentence}
        if (
            said.catalogued
            and said.key not in siblings
            and state.catalog.speaks_of(said.key, context)
        ):
            return said, "context"
    # An item of a list is told from its siblings by its own words: never their key.
    # the noun it counts, a time word aside ("mot 22 året dessförinnan")
    counted = next(iter(content_words(number.noun)), "") if number.noun else ""
    counted = "" if counted in _GENERIC_WORDS else counted
    return _reuse_derived(metric, focus, state, item=phrase is not None, noun=counted), "derived"


# A share's whole named in its clause: "av kommunerna", "bland de placerade barnen"
_SHARE_OF_WHOLE = re.compile(r"\b(?:av|bland)\s+(?:de\s+|alla\s+|samtliga\s+)?[a-zåäö]{3,}", re.I)
# A clause that says where a change ended: "och landade på", "till", "och uppgick till".
_REACHED = re.compile(
    r"\W*(?:och\s+)?(?:landade|hamnade|stannade|uppgick|slutade)\s+(?:nu\s+)?(?:på|till|vid)\b|"
    r"\W*(?:och\s+)?(?:är|var|blev)\s+nu\b",
    re.I,
)


# Words that name a figure as a quantity or a time, never what it measures ("Under
# fjärde kvartalet 2008 var beloppet 2 457 miljoner kronor": the amount named before).
_GENERIC_WORDS = frozenset(
    {"belopp", "siffra", "nivå", "summa", "värde", "motsvarande", "innan", "fjol"}
    | {"kvartal", "halvår", "helår", "månad", "vecka", "period", "fjärde", "femte"}
    | {"ökning", "minskning", "förändring", "skillnad", "utveckling", "jämförelse"}
    | {"snitt", "rikssnitt", "riksgenomsnitt", "genomsnitt", "medeltal", "medelvärde"}
    | {"snittet", "rikssnittet", "riksgenomsnittet", "genomsnittet"}
    | {"kartläggning", "mätning", "undersökning", "myndighet"}  # when it was measured
    | {"grupp", "kommungrupp"}  # "I gruppen större städer … var nivån 980 kronor"
    | {"sen", "tidig", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio"}
    # whom a rate or share is taken of, not what it counts ("elva per 1 000 invånare i
    # åldern 0–20 år", "drygt en procent av alla i åldersgruppen")
    | {"invånare", "ålder", "åldersgrupp", "befolkning", "alla", "samtliga"}
)


def _only_generic(context: str, per: str | None = None) -> bool:
    """Tell whether a clause names its figure only as a quantity or a time (its rate's
    denominator aside: "Rikssnittet var 192 per 1 000 barn")."""
    said = set(content_words(per)) if per else set()
    # (for a rate, how it came about is no name of it: "När Socialstyrelsen kartlade
    # landet låg riket på 192 per 1 000 barn")
    words = [w for w in content_words(context) if w not in said and not (per and w in LIGHT_VERBS)]
    if not words:  # "Storstäderna låg högst med 1 420 kronor per invånare": the rate alone
        return bool(said) and bool(set(content_words(context)))
    return all(w in _GENERIC_WORDS for w in words)


# "som lägst 3,9 procent i Uppsala och som högst 8,7 i Gävleborg": a spread's ends.
# "som lägst 3,9", "Som lägst var nivån 6,8", "Högst i länet ligger Hofors med 19,8";
# "högst 12 procent" straight before its value is a hedge.
_EXTREME = re.compile(
    r"(?:\bsom\s+(lägst|högst|kortast|längst)\s+(?:[^\s,.;\d]+\s+){0,6}|"
    # "Lägst andel hade Stockholms län med 2,2 procent", "Lägst var andelen i Stockholms
    # län, 2,1 procent", "Högst var den i Södermanlands län, där 6 procent …"
    r"(?:^|[.;:,]\s+|\boch\s+)(lägst|högst|kortast|längst)\s+(?:[^\s,.;\d]+\s+){0,5}[^\s,.;\d]+"
    r"(?:\s+|,\s+(?:där\s+(?:[^\s,.;\d]+\s+){0,3})?)|"
    # "var högst i Södermanlands län, 6,2 procent, och lägst i Hallands län, 2,1 procent"
    r"\b(lägst|högst|kortast|längst)\s+i\s+[^,.;\d]{2,40},\s*)$",
    re.I,
)
_EXTREME_REACH = 64
_TIME_ENDS = {"korta": "lägst", "längs": "högst"}  # a time's ends, as a level's
_EXTREME_WORDS = re.compile(r"\b(?:lägst|högst|kortast|längst|medianen|median)\b", re.I)
# "hade den högsta andelen invånare med bistånd, 6,1 procent", "och Stockholms län den
# lägsta, 2,2 procent"
_SUPERLATIVE = re.compile(r"\bden\s+(lägsta|högsta)(?:\s+[^\s,.;\d]+){0,6},\s+$", re.I)
# "drygt 6 procent av invånarna bistånd, den högsta andelen i landet"
_SUPERLATIVE_AFTER = re.compile(
    r"(?:\s+[^\s,.;:\d]+){0,4}?,\s+(?:den|det)\s+(lägsta|högsta)\b", re.I
)
# "38 procent i Norrbottens län som lägst": the end named after the value and its place
_EXTREME_AFTER = re.compile(
    r"(?:\s+(?!(?:och|till|medan|men|respektive|mot)\b)[^\s,.;:\d]+){0,4}?\s+som\s+"
    r"(lägst|högst|kortast|längst)\b",
    re.I,
)
_SUBJECT = re.compile(r"\bantal(?:et)?\s+([a-zåäö]+)(?:\s+([a-zåäö]+))?", re.I)


def _counted_subject(clause: str) -> str | None:
    """Return what "Antalet personer i biståndshushållen ökade från 384 700" counts."""
    if "ntal" not in clause:
        return None
    found = _SUBJECT.search(clause)
    if found is None:
        return None
    for word in (found[1], found[2]):
        if word and noun_class(lemma(word.lower())) is not None:
            return word
    return None


def _counted(noun: str | None) -> str | None:
    """Return a number's noun when it names what is counted (not "oanmälda" of "varav
    412 oanmälda", whose whole says what)."""
    return noun if noun and noun_class(lemma(noun.lower())) is not None else None


def _whole_noun_before(number: NumberMatch, clause: str, offset: int) -> str | None:
    """Return the noun of the total a part follows ("I Stockholm kartlades 2 685
    personer, varav 785 i akut hemlöshet": personer), which a part naming none counts."""
    if "varav" not in clause and "därav" not in clause:
        return None
    found = _WHOLE_BEFORE.search(clause, 0, max(0, number.start - offset))
    return found[1] if found is not None else None


# "2 685 personer, varav " straight before a part
_WHOLE_BEFORE = re.compile(
    # (its complement aside: "1 184 inspektioner av HVB för barn och unga, varav 412")
    r"\d\s+([a-zåäö]{4,})(?:\s+(?:av|för|i|på|med|om|till)\s+[^,.;\d]{1,40})?,?\s+(?:varav|därav)\s+$",
    re.I,
)


def _compound_ending_in(noun: str, text: str) -> str | None:
    """Return a text's compound that ends in the noun a count counts ("barnutredningarna"
    in a title for "utredningar"), or None."""
    base = lemma(noun.lower())
    if len(base) < 5 or base not in text.lower():
        return None
    for word in _LONG_WORDS.findall(text):
        whole = lemma(word.lower())
        if len(whole) > len(base) + 2 and whole.endswith(base):
            return str(word)
    return None


_LONG_WORDS = re.compile(r"[^\W\d_]{7,}")
_SUCH = re.compile(r"\b(?:sådana|dessa)\s+[a-zåäö]{5,}", re.I)


def _more_or_fewer_of(number: NumberMatch, clause: str, offset: int) -> str | None:
    """Return the subject a change in "fler"/"färre" counts ("var anmälningarna drygt en
    fjärdedel fler": anmälningar), a noun of a known class just before the number."""
    if number.measure != "change" or number.unit == "procentenheter":
        return None
    start, end = number.start - offset, number.end - offset
    if _MORE_OR_FEWER.match(clause, end) is None:
        return None
    subject = _SUBJECT_BEFORE.search(clause, 0, max(start, 0))
    if subject is None or noun_class(lemma(subject[1].lower())) is None:
        return None
    return subject[1]


def _kind_of_whole(metric: Metric, noun: str, text: str, state: _State) -> Metric:
    """Return the part of a whole a sentence opens with that a count's own noun names.

    "Av vräkningarna gällde 2 412 bostäder och 356 lokaler": each a kind of the
    evictions, with a key of its own, not the whole again. Only a noun that counts
    nothing the catalog knows (a kind, not a population or another unit) narrows.
    """
    whole = _OF_WHOLE_OPENING.match(text)
    if whole is None:
        return metric
    counted = state.catalog.counts(metric.key)
    if counted is None or all(noun_class(lemma(w.lower())) != counted for w in whole[1].split()):
        return metric
    base = lemma(noun.lower())
    if noun_class(base) is not None or base in _NOT_KINDS:
        return metric
    return state.catalog.breakdown(metric, noun)


def _kind_after(text: str, end: int) -> str | None:
    found = _KIND_AFTER.match(text, end)
    return found[1] if found else None


_KIND_AFTER = re.compile(r"\s+(?:gällde|gäller|avsåg|avser)\s+([a-zåäö]{4,})\b")
# "Av vräkningarna ", "Av förra årets vräkningar ": the whole a sentence takes parts of
_OF_WHOLE_OPENING = re.compile(r"\W*av\s+((?:[a-zåäö]+\s+){0,2}[a-zåäö]{4,})\s", re.I)
_NOT_KINDS = frozenset({"kvinna", "man", "pojke", "flicka", "vuxen", "ung", "unga", "gång"})


def _named_subject(number: NumberMatch, clause: str, offset: int, sentence: str) -> str | None:
    """Return what a count or change without a noun of its own counts, when its clause
    opens with it ("Ansökningarna om vräkning ökade med 4,6 procent, till 7 240") or its
    sentence opens with the whole it takes parts of ("Av förra årets vräkningar …, medan
    375 gällde lokaler"): a noun of a known class, so the title's population fills none."""
    if number.noun or number.unit not in ("antal", "procent"):
        return None
    if number.unit == "procent" and number.measure != "change":
        return None
    for text, end in ((clause, number.start - offset), (sentence, None)):
        found = (_SUBJECT_OPENING if end is not None else _OF_WHOLE_OPENING).match(text)
        if found is None:
            continue
        if end is not None and (
            found.end(1) > end or not _AMOUNTED.search(text, found.end(1), end)
        ):
            continue  # ("Kommunerna tog emot …": who acts, not what is counted)
        for word in found[1].split():
            if noun_class(lemma(word.lower())) is not None:
                return word
    return None


_AMOUNTED = re.compile(r"\b(?:ökade|minskade|steg|sjönk|uppgick|landade|hamnade)\b")


# "Ansökningarna om vräkning ökade", "De flesta anmälningarna": a clause's definite subject
_SUBJECT_OPENING = re.compile(r"\W*((?:de\s+|alla\s+|samtliga\s+)?[a-zåäö]{4,}(?:na|rna))\b", re.I)
_MORE_OR_FEWER = re.compile(r"\s*(?:fler|färre)\b", re.I)
# "var anmälningarna (drygt) ", "blev placeringarna ": the subject right before the value
_SUBJECT_BEFORE = re.compile(r"\b([a-zåäö]{4,}(?:na|erna|arna|orna))\s+(?:[a-zåäö]+\s+){0,2}$")


_PHRASE_WORDS = 8


def _first_words(text: str) -> str:
    stop = _PHRASE_END.search(text)
    return " ".join((text[: stop.start()] if stop else text).split()[:_PHRASE_WORDS])


_PHRASE_END = re.compile(r"[,;:.()]|\s[–-]\s|\d")


def _phrase(number: NumberMatch, clause: str, offset: int) -> str:
    """Return the words the text puts after a figure, up to a comma or the next number.

    "44 procent av kommunerna samarbetar med skolan, 36 procent med BUP" gives "av
    kommunerna samarbetar med skolan": what a derived indicator is labelled with.
    """
    rest = clause[max(0, number.end - offset) :]
    stop = _PHRASE_END.search(rest)
    words = (rest[: stop.start()] if stop else rest).split()[:_PHRASE_WORDS]
    return " ".join(words) if len(words) >= 2 else ""


_SAME_WORDS = 0.5
# The direction a change states itself ("1 300 färre", "ökade med"), as a key prefix.
_DIRECTION_KEYS = {"up": "okning", "down": "minskning"}


def _reuse_derived(
    metric: Metric, focus: str, state: _State, *, item: bool = False, noun: str = ""
) -> Metric:
    """Give a derived metric the key of an earlier one in the document with mostly the same words.

    Derived keys are built from the words near a number, and one text names one
    indicator in several ways ("87 procent av kommunerna kan erbjuda ett första besök
    inom 14 dagar", "i samtliga kommuner ... kunde den sökande få ett första besök").
    An `item` of a list never takes the key of a sibling in its sentence, and a count
    of one noun never that of another ("De 60 ärendena omfattar 69 brottsoffer").
    """
    words = frozenset(content_words(focus))
    if not words:
        return metric
    for earlier, earlier_words, sentence_no, earlier_noun in state.derived:
        if earlier.unit != metric.unit or earlier.measure != metric.measure:
            continue
        if _rate_tail(earlier.key) != _rate_tail(metric.key):
            continue  # a rate ("32 per 10 000 barn") and a count of the same words are two
        if item and sentence_no == state.sentence_no:
            continue
        if noun and earlier_noun and noun != earlier_noun:
            continue
        if len(words & earlier_words) / len(words | earlier_words) >= _SAME_WORDS:
            return earlier
    state.derived.append((metric, words, state.sentence_no, noun))
    return metric


def _rate_tail(key: str) -> str:
    """Return the denominator part of a derived key ("_per_10000barn"), or ""."""
    return key[key.rfind("_per_") :] if "_per_" in key else ""


def _named_instead(before: Metric, context: str, state: _State, *, unit: str) -> Metric | None:
    """Return an earlier indicator the referring clause names a word of, when the last is not.

    "I Västmanland har alla kommuner en sådan socialjour" follows a sentence on BBIC
    licences, but leans on the figure on socialjour before it.
    """
    if before.measure != "level":
        return None
    named = state.catalog.named_in(context)
    if not named or before.key in named or state.catalog.speaks_of(before.key, context):
        return None
    return _earlier_metric(state, unit=unit, measure="level", among=named)


_OJ_RESPONSE_RATE = "svarsfrekvens"
_DECLARED_CHARS = 3000  # where a text declares its data year: its lead
# The words of a forecast: "prognosen", "helårsprognos", "bedömer att", "beräknas", "väntas".
_FORECAST = re.compile(
    r"\b(?:\w*prognos\w*|bedömer\s+att|bedöms|beräknas|väntas|förväntas|räknar\s+med\s+att|"
    r"spås)\b",
    re.I,
)
# A part of each of its words that holds no "i" or "s", or the "s" both ways (the long
# "ſ" matches it case-insensitively, and str.lower() keeps it): a clause without any
# names no forecast, and the scan, costly at every word, need not run.
_FORECAST_PARTS = ("progno", "bedöm", "beräkna", "vänta", "räknar", "spå", "ſpå")
_ANY_PER = "*"  # `_earlier_metric`: a figure of any denominator
_NO_PER = "-"  # `_earlier_metric`: a figure of no denominator


_THE_COUNT = re.compile(r"\bantalet\b", re.I)
_IT_IS_MORE = re.compile(r"\W*det\s+(?:är|var|blir|blev)\s+(?:\w+\s+){0,2}?\d", re.I)
_RESTATES_AS_RATE = re.compile(r"\b(?:motsvara\w*|vilket\s+(?:ger|blir|är)|blir\s+det|eller)\b")


def _count_of_sentence(state: _State, clause_text: str) -> Metric | None:
    """Return the catalogued count (a level of no denominator) the sentence of a clause
    gave before it, or None."""
    for fig in reversed(state.figures[-6:]):
        if clause_text.strip() not in fig.sentence:
            return None
        if fig.measure == "level" and fig.unit == "antal" and fig.per is None:
            known = state.catalog.get(fig.metric)
            return known if known is not None and known.catalogued else None
    return None


def _indicator_of(fig: Figure, catalog: Catalog, *, catalogued: bool = True) -> Metric:
    """Return the indicator a figure before was given: its catalog entry, else one made of
    its key, label and unit (`catalogued` saying how sure a reading resting on it is)."""
    return catalog.get(fig.metric) or Metric(fig.metric, fig.label, fig.unit, catalogued=catalogued)


def _earlier_metric(
    state: _State,
    *,
    unit: str,
    measure: str,
    among: frozenset[str] | None = None,
    per: str | None = None,
    noun: str | None = None,
) -> Metric | None:
    """Return the indicator of the nearest figure before, of the unit (and of a rate's
    denominator: a rate never takes a count's key), among the given keys; a count of a
    noun of its own ("i 15 av 21 län") never takes one of another class of noun."""
    counts = noun_class(lemma(noun.lower())) if noun else None
    for fig in reversed(state.figures[-12:]):
        if fig.measure != "level" or (among is not None and fig.metric not in among):
            continue
        if counts is not None and state.catalog.counts(fig.metric) not in (None, counts):
            continue
        if measure == "level" and fig.unit != unit:
            continue
        if measure == "level" and per not in (None, _ANY_PER, fig.per or _NO_PER):
            continue
        # "som lägst 7,3 ... I riket var siffran 10,4": the spread's indicator, not its end
        return state.catalog.spread_whole(_indicator_of(fig, state.catalog))
    return None


_FOCUS_AFTER = 8
_FOCUS_AFTER_MAX = 16
_FOCUS_BEFORE = 6
_PHRASE_BREAK = re.compile(r"[,;:.]$")


def _words_after(rest: str) -> list[str]:
    """Return the words after a figure that speak of it: eight, or to the end of the phrase.

    "6 100 barn och unga var placerade i hem för vård eller boende (HVB)" names its
    place of care after the eighth word: a window never stops inside a phrase it can
    finish within a few more words (up to a comma or a full stop).
    """
    words = rest.split()
    if len(words) <= _FOCUS_AFTER or _PHRASE_BREAK.search(words[_FOCUS_AFTER - 1]):
        return words[:_FOCUS_AFTER]
    for i in range(_FOCUS_AFTER, min(len(words), _FOCUS_AFTER_MAX)):
        if _PHRASE_BREAK.search(words[i]):
            return words[: i + 1]
    return words[:_FOCUS_AFTER]


# A value restated in other terms: its rate is not the value's before it.
# (", eller ungefär 5 600 kronor per invånare": the same sum in other terms)
_RESTATES = re.compile(
    r"\b(?:vilket|motsvarar|motsvarade|motsvarande|alltså|innebär)\b|,\s+eller\s", re.I
)
_NEW_SAYING = re.compile(
    r",\s+(?:och|men|medan)\s+(?=(?:det|den|de|dessa|detta|antalet|andelen|kostnaden|"
    r"kostnaderna|beloppet|summan|nivån|siffran|när|då|om)\b"
    # ", och personalomsättningen inom barn och unga var 22 procent": a subject of its own
    r"|[a-zåäö]{6,}(?:en|et|na)\b)",
    re.I,
)


def _focus(
    number: NumberMatch,
    text: str,
    clause: tuple[int, int],
    numbers: Sequence[NumberMatch],
    places: Sequence[Place],
) -> str:
    """Return the words a derived key is built from: after the number first, then before.

    The window stops at the neighbouring numbers, so two figures of one clause ("96
    procent ..., och för handläggare som utreder barn ..., 94 procent") keep their words;
    places are no part of an indicator. When the window holds fewer than two content
    words ("vart fjärde barn i Malmö, vart femte barn i Landskrona ... levde i ett
    hushåll med ekonomiskt bistånd") the whole clause speaks for all its numbers.
    """
    masked = text
    for place in places:
        masked = masked[: place.start] + " " * (place.end - place.start) + masked[place.end :]
    lo, hi = clause
    for n in numbers:
        if n.end <= number.start:
            lo = max(lo, n.end)
        elif n.start >= number.end:
            hi = min(hi, n.start)
    rest = masked[number.end : hi]
    if hi < clause[1] and _NEXT_ITEM_OPENS.search(rest):
        # "skolan med 17 procent och hälso- och sjukvården med 12 procent": the words
        # after the first "och" open the next item, not this one's.
        rest = _ITEM_BREAK.split(rest, maxsplit=1)[0]
    # ", och det genomsnittliga beloppet per hushåll steg ...": another subject, another
    # saying; its words are not this figure's.
    rest = _NEW_SAYING.split(rest, maxsplit=1)[0]
    after = _words_after(rest)
    before = masked[lo : number.start].split()[-_FOCUS_BEFORE:]
    # Nearest words first (a derived key takes the first few), then the words before in
    # their own order, so that a phrase before the figure ("På hem för vård eller boende
    # var 6 000") still reads as one; a derived key never sees them twice.
    focus = " ".join([*after, *reversed(before), "|", *before])
    if len(set(content_words(focus))) >= 2:
        return focus
    whole = _masked(masked, clause, numbers)
    return " ".join(
        whole[number.end - clause[0] :].split() + whole[: number.start - clause[0]].split()
    )


# The words before a number that name its item: "... och hälso- och sjukvården med",
# "..., eller med vuxenpsykiatrin, 16 procent".
_NEXT_ITEM_OPENS = re.compile(r"\s(?:med|på|hos|för)(?:\s+[\w-]+){0,2}\s*[,:]?\s*$", re.I)
_ITEM_BREAK = re.compile(r",|\s(?:och|samt|eller)\s(?!\S+\s+och\s)", re.I)
_OBJECT_PREPOSITIONS = r"(?:med|i|för|till|på|hos|inom|mot|från|enligt)"
# A later item's opening, its preposition the group: "… och [på] familjehemsvård"
_ITEM_PREPOSITION = re.compile(
    rf"\s*(?:(?:var|är|fanns|bodde)\s+)?({_OBJECT_PREPOSITIONS})\s", re.I
)
# A later item of a list with a verb of its own ("…, 10 900 deltog i …", "och 9 800 fick")
_LIST_PREDICATE = re.compile(
    r"\s+(?:fick|hade|har|var|är|deltog|bodde|gick|fanns|tog|gjorde|[a-zåäö]{3,}(?:ade|dde|de|te))\s",
    re.I,
)
# What ends an item before the next one: ", ", " och ", ", och "
_LIST_JOIN = re.compile(r"(?:\s*,\s*(?:och\s+)?|\s+och\s+)$", re.I)
_LIST_OBJECT = re.compile(rf"^{_ITEM_PREPOSITION.pattern}\s*\S", re.I)
# The last object of the first item: what the later items replace ("stödsamtal med
# biståndsbeslut [till våldsutövande kvinnor]", the predicate keeping "med biståndsbeslut").
_LAST_OBJECT = re.compile(
    rf"\s{_OBJECT_PREPOSITIONS}\s+(?:(?!\s{_OBJECT_PREPOSITIONS}\s)[^,;])*$",
    re.I,
)


def _respective_item(
    number: NumberMatch, text: str, numbers: Sequence[NumberMatch]
) -> tuple[str, str] | None:
    """Return the words of a value of a "respektive" run whose items are named before it,
    one word each ("Avtal med primärvården och vuxenpsykiatrin är ovanligare, 19
    respektive 18 procent"): the sentence with the other items left out, and its item."""
    if "respektive" not in text:
        return None
    index = numbers.index(number)
    for run in frames.respective_runs(numbers, text):
        if index not in run:
            continue
        lo = numbers[run[0] - 1].end if run[0] > 0 else 0
        lists = list(_ITEM_LIST.finditer(text, lo, numbers[run[0]].start))
        if not lists:
            return _item_after(run, index, text, numbers)
        named = lists[-1]  # the list nearest the values
        items = [named[1], *_NEXT_ITEM.findall(named[2]), named[3]]
        if len(items) != len(run) or len(set(items)) != len(items):
            return None
        if frames.sexes_by_position(run, numbers, text) or _kinds_by_position(run, numbers, text):
            return None  # "Pojkarna och flickorna …": groups of one indicator, not items
        own = items[index - run[0]]
        return f"{text[: named.start()]} {own} {text[named.end() :]}", own
    return None


def _item_after(
    run: range, index: int, text: str, numbers: Sequence[NumberMatch]
) -> tuple[str, str] | None:
    """Return the words of a value of a "respektive" run whose items follow it, each
    with its own preposition ("32 respektive 26 procent i LVM-vården och i den frivilliga
    institutionsvården"): the sentence with the other items left out, and its item."""
    last = numbers[run[-1]]
    after = _ITEMS_AFTER.match(text, last.end)
    if after is None:
        return None
    items = [m.group(0) for m in _AFTER_ITEM.finditer(after[1])]
    if len(items) != len(run) or len(set(items)) != len(items):
        return None
    if frames.sexes_by_position(run, numbers, text) or _kinds_by_position(run, numbers, text):
        return None
    own = items[index - run[0]]
    return f"{text[: after.start(1)]}{own}{text[after.end(1) :]}", own


# "primärvården och vuxenpsykiatrin", "Ungdomsmottagningar, primärvården och
# vuxenpsykiatrin": one word an item
_ITEM_LIST = re.compile(r"\b([^\W\d]{4,})((?:,\s+[^\W\d]{4,})*)\s+och\s+([^\W\d]{4,})\b")
_NEXT_ITEM = re.compile(r",\s+([^\W\d]{4,})")
# "… procent i LVM-vården och i den frivilliga institutionsvården": items after a run,
# each opened by the same kind of preposition, up to the clause's end.
_AFTER_PREP = r"(?:i|på|inom|bland|för|till|av|vid|hos|med)\s"
_ITEMS_AFTER = re.compile(
    rf"\s*(?:procent\s+|kronor\s+|dagar\s+)?({_AFTER_PREP}[^\W\d][^,;.()\d]*?"
    rf"(?:,\s+{_AFTER_PREP}[^,;.()\d]*?)*\s+och\s+{_AFTER_PREP}[^,;.()\d]*?)(?=[,;.]|$)"
)
_AFTER_ITEM = re.compile(rf"{_AFTER_PREP}.*?(?=,\s+{_AFTER_PREP}|\s+och\s+{_AFTER_PREP}|$)")


def _list_context(
    number: NumberMatch, text: str, clause: tuple[int, int], numbers: Sequence[NumberMatch]
) -> tuple[str, str] | None:
    """Return the words of one item of a list of figures, or None outside a list.

    "19 000 placerade i familjehem, 6 600 i HVB och 1 900 i stödboende": each item's
    words follow its number up to the next one, and belong to it alone; the later
    items share the first one's predicate ("[placerade] i HVB"). "44 procent av
    kommunerna samarbetar med skolan, 36 procent med BUP" likewise. Returns the words
    to identify the item by (the clause's opening included) and those to label it with.
    """
    same = [n for n in numbers if clause[0] <= n.start < clause[1] and n.unit == number.unit]
    if len(same) < 2:
        return None
    items = {n.start: text[n.end : _next_start(n, numbers, clause)] for n in same}
    if all(_LIST_PREDICATE.match(items[n.start]) for n in same[1:]) and all(
        _LIST_JOIN.search(items[n.start]) for n in same[:-1]
    ):
        # "Av dem hade 16 200 en kontaktperson, 10 900 deltog i ett strukturerat
        # öppenvårdsprogram och 9 800 fick personligt stöd": each its own predicate
        own = _LIST_JOIN.sub("", items[number.start])
        if number is same[0]:
            return f"{text[clause[0] : same[0].start]} {own}", own
        return own, own
    if not all(_LIST_OBJECT.match(items[n.start]) for n in same[1:]):
        return None  # not a list of objects of one predicate
    before = text[clause[0] : same[0].start]
    if number is same[0]:
        own = items[number.start]
        return f"{before} {own}", own
    # ("41 barn placerade i familjehem, varav 12 i konsulentstödda familjehem, och 9 på
    # HVB": the first item's words end before its parts)
    head = _PARTS_OPEN_END.sub("", items[same[0].start]).rstrip(" ,;")
    own = items[number.start]
    # "11,8 miljarder på HVB-vård för barn och unga och 8,9 miljarder på familjehemsvård":
    # the later item replaces the first one's object from its own preposition on
    opens = _ITEM_PREPOSITION.match(own)
    cut = head.lower().rfind(f" {opens[1].lower()} ") if opens else -1
    words = f"{head[:cut] if cut >= 0 else _LAST_OBJECT.sub('', head)} {own}"
    return f"{before} {words}", words


_PARTS_OPEN_END = re.compile(r"[\s,]*\b(?:varav|därav)\s*$", re.I)
# What joins the items of a list whose words stand before their numbers.
_LIST_GLUE = re.compile(r"^[\s,;:()–-]*(?:(?:och|samt|respektive|procent)\b[\s,;:()–-]*)*", re.I)
_LIST_END = re.compile(r"^[\s,;:().]*(?:procent)?[\s,;:().]*$", re.I)
_LIST_PREPOSITION = re.compile(
    r"\b(med|för|från|till|hos|inom|mot)\s+(?!.*\b(?:med|för|från|till|hos|inom|mot)\s)", re.I
)
_LIST_ITEM_WORDS = 6
_ITEM_THEN_VALUE = re.compile(r"[,(:]\s*$")
_WORD = re.compile(r"[^\W\d_]{3,}")
_CLAUSE_WORD = re.compile(r"\b(?:medan|men|samtidigt|vilket|som|där|när|eftersom|då)\b", re.I)


def _against_budget(number: NumberMatch, text: str) -> tuple[str, str] | None:
    """Return the key tail and words of a budget, or of a deficit or surplus against it,
    or None ("mot en budget på 21,0 miljoner kronor", "3,6 miljoner kronor lägre än
    budgeterat")."""
    before = text[max(0, number.start - 64) : number.start]
    after = text[number.end : number.end + 30]
    if _DEFICIT_BEFORE.search(before) or _OVER_BUDGET_AFTER.match(after):
        return "_underskott", "underskott mot budget"
    if _SURPLUS_BEFORE.search(before) or _UNDER_BUDGET_AFTER.match(after):
        return "_overskott", "överskott mot budget"
    if _BUDGET_BEFORE.search(before):
        return "_budget", "budget"
    return None


_BUDGET_BEFORE = re.compile(
    # "mot en budget på", "Budgeten för ekonomiskt bistånd 2020 var", "budgeterade"
    r"\bbudget(?:en)?(?:\s+för\s+[^,.;\d]{1,40}?(?:\s+(?:19|20)\d\d)?)?"
    r"\s+(?:på|om|var|är|uppgick\s+till|låg\s+på)\s+$|\bbudgeterade\s+$",
    re.I,
)
_DEFICIT_BEFORE = re.compile(r"\bunderskott(?:et)?\s+(?:mot\s+budget\s+)?(?:på|om)\s+$", re.I)
_SURPLUS_BEFORE = re.compile(r"\böverskott(?:et)?\s+(?:mot\s+budget\s+)?(?:på|om)\s+$", re.I)
_OVER_BUDGET_AFTER = re.compile(
    r"\s*(?:över\s+(?:sin\s+)?budget(?:en)?|(?:mer|högre)\s+än\s+(?:budgeterat|budget(?:en)?))\b",
    re.I,
)
_UNDER_BUDGET_AFTER = re.compile(
    r"\s*(?:under\s+(?:sin\s+)?budget(?:en)?|(?:mindre|lägre)\s+än\s+(?:budgeterat|budget(?:en)?))\b",
    re.I,
)


def _base_of_part(number: NumberMatch, text: str, numbers: Sequence[NumberMatch]) -> str | None:
    """Return the words of the whole a part is counted out of, without the part's predicate.

    "I dag är sex av kommunens 52 socialsekreterartjänster inom barn och unga vakanta": 52
    counts the posts, and only the six are vacant. The whole is its noun and the phrase
    that qualifies it.
    """
    if not number.noun or number.unit != "antal":
        return None
    i = numbers.index(number)
    if i < 1 or not _PART_OUT_OF.fullmatch(text, numbers[i - 1].end, number.start):
        return None
    phrase = _NOUN_PHRASE.match(text, number.end)
    return phrase[0] if phrase is not None else None


# Between a part and the whole it is counted out of: " av kommunens ", " av de "
_PART_OUT_OF = re.compile(r"\s+av\s+(?:de\s+|dessa\s+|alla\s+|[a-zåäö]+s\s+)?", re.I)
# A count's noun and the phrase qualifying it: " socialsekreterartjänster inom barn och unga"
_NOUN_PHRASE = re.compile(
    r"\s+[\w-]+(?:\s+(?:inom|för|i|på|med|om)\s+(?:[\w-]+\s+){0,3}?[\w-]+(?=\s+(?:var|är|hade|har|"
    r"blev|kunde|saknade|fick|\w+(?:ade|de|te|ta|da|na))\b|[,.;]|$))?"
)


def _gapped(
    number: NumberMatch, text: str, numbers: Sequence[NumberMatch]
) -> tuple[str, str] | None:
    """Return the words of a second item whose verb the sentence leaves out.

    "HVB-vården kostade 9,8 miljarder kronor och familjehemsvården 7,1 miljarder kronor",
    "HVB-placeringarna kostade 214 miljoner kronor, familjehemmen 148 miljoner", "Skolan
    låg bakom 31 procent av anmälningarna och polisen bakom 27 procent": the second value
    is its own item's, with the first one's verb and what the first value was of.
    """
    i = numbers.index(number)
    if i < 1:
        return None
    gap = _gap_between(numbers[i - 1], number, text)
    if gap is None:
        return None
    verb, item = gap
    own = item["item"]
    shared = text[numbers[i - 1].end : item.start("join")]
    return f"{own} {verb} {shared} {text[number.end :]}", own


def _gapped_sexes(numbers: Sequence[NumberMatch], text: str) -> list[tuple[range, list[str]]]:
    """Return the pairs of values a sentence gives each sex, the second leaving out the
    verb ("Pojkar var föremål för 54 procent av anmälningarna och flickor för 46
    procent"): a split by sex, like "54 respektive 46 procent"."""
    found = []
    for i in range(len(numbers) - 1):
        gap = _gap_between(numbers[i], numbers[i + 1], text)
        if gap is None:
            continue
        lo = numbers[i - 1].end if i > 0 else 0
        sexes = frames.sexes_of_items(text[lo : numbers[i].start], gap[1]["item"])
        if sexes is not None:
            found.append((range(i, i + 2), sexes))
    return found


def _gapped_next(number: NumberMatch, text: str, numbers: Sequence[NumberMatch]) -> int | None:
    """Return where the next value's gapped item begins ("och polisen bakom 27 procent"),
    when one follows: the words from there on are that item's, not this figure's."""
    i = numbers.index(number)
    if i + 1 >= len(numbers):
        return None
    nxt = numbers[i + 1]
    gap = _gap_between(number, nxt, text)
    if gap is not None:
        return gap[1].start("join")
    joined = _AND_BEFORE.search(text, number.end, nxt.start)
    if (
        joined is not None
        and joined.start() > number.end
        and nxt.unit == number.unit
        and _OWN_PREDICATE.match(text, nxt.end)
    ):
        # "5 900 personer hade bistånd i form av boende och 1 750 vårdades frivilligt på
        # institution": the second value's clause, its own verb after it, is not the first's
        return joined.start()
    return None


_AND_BEFORE = re.compile(r"\s+och\s+(?:(?:drygt|knappt|cirka|omkring|nära|närmare)\s+)?$", re.I)
# A verb right after a value (a subject of its own): "1 750 vårdades", "1 200 fick"
_OWN_PREDICATE = re.compile(
    r"\s+(?:[a-zåäö]+(?:ades|ats|des|tes)|var|hade|fick|bodde|fanns|gick)\b", re.I
)


def _gap_between(
    first: NumberMatch, number: NumberMatch, text: str
) -> tuple[str, re.Match[str]] | None:
    """Return the verb of a first value and the item of a second one that leaves it out."""
    if first.unit != number.unit or first.measure == "change" or number.measure == "change":
        return None
    verb = _VERB_BEFORE.search(text, max(0, first.start - 40), first.start)
    gap = _GAP_ITEM.fullmatch(text, first.end, number.start)
    if verb is None or gap is None:
        return None
    return verb[0], gap


# The verb a value follows: "kostade 9,8", "uppgick till 4,1", "låg på 12", "låg bakom 31".
_VERB_BEFORE = re.compile(
    r"\b(?:kostade|kostar|uppgick\s+till|uppgår\s+till|låg|ligger|var|är|fick|"
    r"hade|har|stod|står)\s+(?:\w+\s+){0,2}$",
    re.I,
)
# ", familjehemmen ", " och familjehemsvården ", " och polisen bakom ": a new item and
# nothing else before its value
_GAP_ITEM = re.compile(
    r"(?:\s+(?!och\b)[^\s,]+){0,2}(?P<join>\s*(?:,\s*|\s+och\s+))"
    r"(?P<item>(?!(?:och|eller|men|medan|samt|som|vilket|vilka|varav|därav|det|den|de|där|"
    r"då|än|mot|att|av|en|ett)\b)[^\W\d]+(?:(?:-?\s+och\s+|[\s-])[^\W\d]+){0,2})\s+",
    re.I,
)


def _list_before(
    number: NumberMatch, text: str, numbers: Sequence[NumberMatch]
) -> tuple[str, str] | None:
    """Return the words of one item of a list whose words stand before each number.

    "Vanligast är överenskommelser med kvinnojourer, 37 procent, och med polisen, 28
    procent", "med ungdomsmottagningar (23 procent), primärvården (19 procent)": each
    number's words are those between it and the number before; the later items share
    the first one's predicate and preposition. Only a sentence of one such list of
    levels in one unit qualifies, ending at its last number.
    """
    if len(numbers) < 2 or any(n.unit != numbers[0].unit or n.measure == "change" for n in numbers):
        return None
    if not _LIST_END.match(text[numbers[-1].end :]):
        return None
    opening = text[: numbers[0].start]
    head = _LIST_PREPOSITION.search(opening)
    if head is None:
        return None
    owns = [opening[head.start() :]]
    if not _WORD.search(opening, head.end()):
        return None  # "... ökade till 44": no item named before the number
    # The items name themselves right before their numbers ("med kvinnojourer, 37
    # procent"), or each later one opens with the first one's preposition ("För den
    # sociala barn- och ungdomsvården är andelen 68 procent och för socialpsykiatrin 61").
    named_before = bool(_ITEM_THEN_VALUE.search(owns[0])) and len(owns[0].split()) <= 5
    parallel = True
    for prev, n in itertools.pairwise(numbers):
        gap = text[prev.end : n.start]
        own = gap[_LIST_GLUE.match(gap).end() :].strip(" ,;:()–-")  # type: ignore[union-attr]
        if not own or len(own.split()) > _LIST_ITEM_WORDS or _CLAUSE_WORD.search(own):
            return None  # "..., medan HVB-placeringarna minskade till 12": a clause, no item
        if find_places(own):
            return None  # "högst i Uppsala län, 64 procent, och lägst i Norrbottens län": places
        parallel = parallel and own.lower().startswith(f"{head[1].lower()} ")
        owns.append(own if _LIST_OBJECT.match(own) else f"{head[1]} {own}")
    if not (named_before or parallel):
        return None
    own = owns[numbers.index(number)].strip(" ,;:()–-")
    return f"{opening[: head.start()]} {own}", own


def _next_start(
    number: NumberMatch, numbers: Sequence[NumberMatch], clause: tuple[int, int]
) -> int:
    return min([n.start for n in numbers if n.start > number.end] or [clause[1]], default=clause[1])


# --- Filters ------------------------------------------------------------------------------------

_NOT_A_FIGURE_AFTER = re.compile(
    r"\s*(?:(?:eller|och|,|–|-)\s*\d+\s*)*(?:§|kap\b|kap\.|st\.|sidor?\b|s\.\s)", re.I
)
_PAGE_OF = re.compile(r"(?<![\w,.])\d{1,3}\s?\(\d{1,3}\)(?!\w)")
# A count before a superlative picks out members, it counts nothing: "i landets 34
# största kommuner", "de tio folkrikaste länen", "de tre första åren".
_RANK_AFTER = re.compile(
    r"\s+(?:största|minsta|högsta|lägsta|bästa|sämsta|äldsta|yngsta|första|sista|"
    r"senaste|närmaste|[a-zåäö]{3,}aste)\b",
    re.I,
)
_DENOMINATOR_BEFORE = re.compile(r"\bper\s*$", re.I)
_BEFORE_WORD = 8  # longer than "per" and every word of _PAGE_BEFORE
_PAGE_BEFORE = re.compile(
    r"\b(?:sida|sidan|s\.|sid\.|tabell|figur|diagram|bilaga|kapitel)\s*$|"
    r"\b(?:antal\s+)?sidor\s*:\s*$",  # a publication's length: "Antal sidor: 68"
    re.I,
)
# A download link or file listing: "(Excel, 312 kB)", "(xlsx, 1,8 MB)", "Pdf, 248 kB".
_DOWNLOAD = re.compile(
    r"\((?:[^()]*\b)?(?:xlsx?|pdf|excel|docx?|csv|pptx?|zip)\b[^()]*\)|\b\d+(?:,\d+)?\s*(?:kB|KB|MB|kb)\b",
    re.I,
)


def _may_be_download(text: str) -> bool:
    """Tell cheaply whether `_DOWNLOAD` can match: it needs "(" or a "kB"/"MB" unit."""
    if "(" in text:
        return True
    lowered = scan.lowered(text)
    return "kb" in lowered or "mb" in lowered


def _keep_number(number: NumberMatch, sentence: Sentence) -> bool:
    """Drop what only context shows is no figure.

    A denominator with no value before it ("antalet anmälningar per 1 000 barn var
    högst i ..."), a law reference ("4 kap."), a page or table number ("Sida 3",
    "Tabell 2") and the page number a contents line ends with ("Sammanfattning 3").
    """
    text = sentence.text
    before = text[: number.start]
    # Both patterns end in a word of at most 7 letters and spaces up to the number: search
    # only the tail, not the whole text before it.
    tail = max(0, len(before.rstrip()) - _BEFORE_WORD)
    if _NOT_A_FIGURE_AFTER.match(text, number.end) or _DENOMINATOR_BEFORE.search(before, tail):
        return False
    # The last words before the number, lower-cased: the patterns over them below run
    # only when these hold their words (see _NEAR_CHARS); cut from the sentence lower-cased.
    lower = scan.lowered(text)
    near = (
        lower[max(0, number.start - _NEAR_CHARS) : number.start]
        if len(lower) == len(text)
        else before[-_NEAR_CHARS:].lower()
    )
    if _PAGE_BEFORE.search(before, tail) or (
        near.rstrip().endswith(_LABEL_ENDS) and _LABEL_BEFORE.search(before[-24:])
    ):
        return False
    if _CONSTANT_COUNT.match(text, number.start) and _ALL_OF_BEFORE.search(before[-24:]):
        return False  # "Samtliga 290 kommuner ingår": how many there are, not a figure
    if "katta" in near and _MISSTATED.search(before[-80:]):
        return False  # "underskattade antalet anmälningar med 3 400": a correction's gap
    if "som" in lower[number.end :] and _FIRST_REPORTED.match(text, number.end):
        return False  # "109 dagar i stället för de 128 dagar som först redovisades": an error
    if holds_any(near, _SURVEY_PARTS) and _SURVEY_SENT_TO.search(before[-60:]):
        return False  # "Webbenkät till 4 600 medlemmar": whom a survey asked, its method
    if "jag" in lower and _FIRST_PERSON.search(before[_clause_start(before) :]):
        return False  # "– När jag började hade jag 14 ärenden": one person's own
    if number.unit == "antal" and _RANK_AFTER.match(text, number.end):
        return False
    if "(" in text and any(
        m.start() <= number.start and number.end <= m.end() for m in _PAGE_OF.finditer(text)
    ):
        return False  # a page marker: "1(4)"
    if not _plain_figure(number, text, before, near):
        return False
    bare = number.quote.strip().isdigit()
    if bare and number.quote.strip() == "112" and _EMERGENCY.search(text):
        return False  # "via SOS Alarm på 112": the emergency number
    if bare and _NAME_BEFORE.search(before[-60:]) and _ROLE_AFTER.match(text, number.end):
        return False  # "säger Maria Lindqvist, 52, socialchef": a person's age
    if sentence.heading and number.unit == "år" and _YEARS_OF.match(text, number.end):
        return False  # "Två år med spelansvar", "Tio år av Öppna jämförelser": a headline's span
    # A heading ending in a bare number ("Kapitel 3") names, unless the number is its
    # label's value ("Maria Malmö: 270", a fact box's line)
    return not (
        sentence.heading
        and bare
        and not text[number.end :].strip()
        and not before.rstrip().endswith(":")
    )


# A value a correction replaces: "… och inte 4 880 kronor, som först redovisades", "i
# stället för de 128 dagar som först redovisades", "är 3 215 och inte 3 512 som det stod
# tidigare"
_FIRST_REPORTED = re.compile(
    r"(?:\s+[a-zåäö]+){0,2},?\s+som\s+(?:det\s+)?(?:först|tidigare|felaktigt|ursprungligen)"
    r"\s+(?:har\s+)?(?:redovisa|angetts|angavs|angivits|uppgavs|uppgetts|stod|publicera|rapportera)"
    r"\w*\b"
    r"|(?:\s+[a-zåäö]+){0,2},?\s+som\s+det\s+stod\s+(?:tidigare|först)\b",
    re.I,
)
# Numbers that name, not measure: a postal box, a floor, a number to call, an indicator's
# number, an index base ("Index 2014=100", "n=1 200").
_LABEL_BEFORE = re.compile(
    r"(?:\bbox|\bvåning|\bplan|\bring(?:a|er|de)?|\bindikator(?:n|nummer)?|\bnr\.?|"
    r"\bläsningstid|\blästid|=)\s*$",
    re.I,
)
_EMERGENCY = re.compile(r"\bsos\s*alarm|\blarmnummer|\bnödnummer|\bring\w*\s+112\b", re.I)
# The number of kommuner or län there are, after "samtliga", "alla", "landets".
_CONSTANT_COUNT = re.compile(r"(?:290\s+kommuner|21\s+(?:län|regioner))\b", re.I)
_ALL_OF_BEFORE = re.compile(
    r"\b(?:samtliga|alla|landets|sveriges|de|(?:landet|sverige|riket)\s+har)\s+$", re.I
)
_MISSTATED = re.compile(r"\b(?:under|över)skatta\w*\b[^.;]*\bmed\s*$", re.I)
_SURVEY_SENT_TO = re.compile(
    r"\b(?:\w*enkät(?:en)?|undersökning(?:en)?|frågor(?:na)?)\s+(?:\w+\s+){0,2}?"
    r"(?:till|ut\s+till)\s+(?:(?:totalt|drygt|knappt|cirka|ca|omkring|närmare)\s+)?$",
    re.I,
)
# One speaker's own case in a quote: "hade jag 14 ärenden", "Nu ligger jag på 32".
_FIRST_PERSON = re.compile(r"\bjag\b", re.I)
# A person's age between commas after the name: "Maria Lindqvist, 52, socialchef".
_NAME_BEFORE = re.compile(r"\b[A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?\s+[A-ZÅÄÖ][a-zåäöé]+,\s*$")
_ROLE_AFTER = re.compile(r"\s*(?:år\s*)?,\s*[a-zåäö]")
# Durations: in a rule ("ska ... i tre år, enligt 6 kap. 8 §"), after "inom" (a
# deadline) or an ordinal ("årets första sex månader") they measure nothing.
_DURATION_UNITS = frozenset({"år", "dagar", "månader", "veckor", "timmar"})
_NORM = re.compile(
    r"\b(?:ska|skall|får|bör|måste)\b|\benligt\s+(?:\d+\s+kap\.|lagen|\S*(?:lagen|balken))|§",
    re.I,
)
_SPAN_BEFORE = re.compile(
    r"\b(?:inom|första|sista|senaste|kommande|närmaste|upp\s+till(?:\s+och\s+med)?|till\s+och\s+med|"
    r"avsåg|avser|omfattade|omfattar|"
    # an age bound or a legal limit: "barn under sex år", "åldersgränsen 18 år", "lagen
    # tillåter som längst sex månader", "Ungdomar från 13 år", "väntas om sex år"
    r"(?:barn|unga|ungdomar|personer|vuxna)\s+(?:under|över|från)|åldersgränsen|gränsen|"
    r"(?:som\s+)?längst|(?:som\s+)?mest|väntas\s+om|sker\s+om|"
    r"(?:ungdomar|barn|unga)\s+från|"
    # how long a survey ran: "genomfördes under sex veckor"
    r"(?:genomfördes|pågick|gjordes)\s+under)\s+$",
    re.I,
)
# A duration in the clause of a share it sorts ("36 procent hade arbetat mer än fem år",
# "18 procent uppger att väntetiden är 3 dagar"): the share's bound or answer.
_SHARE_IN_CLAUSE = re.compile(
    r"\d\s*(?:procent\b|%)|\bvar(?:t)?\s+(?:andra|tredje|fjärde|femte|sjätte|sjunde|åttonde|"
    r"nionde|tionde)\b|\bhälften\b|\b(?:en|två|tre)\s+(?:tredje|fjärde|femte|sjätte|tionde)?del(?:ar)?\b|"
    r"\b(?:en|ett|två|tre|fyra|fem|sex|sju|åtta|nio)\s+av\s+(?:tre|fyra|fem|sex|tio)\b",
    re.I,
)
# A count that splits a whole into its kinds: "består av nio grupper", "delas in i fyra".
_PARTITION_BEFORE = re.compile(
    r"\b(?:består|bestod)\s+av\s+$|\b(?:delas|delades|är\s+indelad[e]?|är\s+uppdelad[e]?)"
    r"\s+(?:in\s+)?i\s+$|\bsamlas\s+i\s+$",
    re.I,
)
# "Samtliga kommuner utom fyra": not all of them; "uppgifter som samtliga kommuner
# lämnar": who reports, in a sentence on what the statistics are built from.
_ALL_BUT = re.compile(r"\s+\w+\s+(?:utom|förutom)\b", re.I)
_BUILT_FROM = re.compile(r"\b(?:bygger|byggde|baseras|grundar\s+sig)\s+på\b", re.I)
_ALL_WORDS = frozenset({"samtliga", "alla"})
_ASKED_BEFORE = re.compile(
    r"\b(?:frågade|tillfrågade|tillfrågades|tillfrågats|skickades\s+till|gick\s+(?:ut\s+)?till)\s+$",
    re.I,
)
# A goal or a norm is no result: "har som mål att ingen ska ha fler än 15 ärenden".
_GOAL_BEFORE = re.compile(
    r"\b(?:kräver|krävde|kräva|krav\s+(?:på|om)|tak\s+(?:på|om)|riktlinje\w*\s+(?:om|på)|"
    r"med\s+målet|målet\s+(?:om|på)|"
    r"som\s+mål\s+att|målet\s+(?:\w+\s+){0,3}?är\s+att|mål\s+om\s+att|"
    r"(?:riktmärke|riktvärde)(?:t|n)?\s+(?:\w+\s+){0,4}?(?:är|var|ligger\s+på)|"
    r"målsättning(?:en)?\s+(?:\w+\s+){0,3}?är)"
    r"\b[^.;]*$",
    re.I,
)
# Page chrome of a paper's site: "Prenumerera – första månaden för 1 kr".
_CHROME = re.compile(r"\W*(?:prenumerera|bli\s+prenumerant|logga\s+in|köp\s+)", re.I)
# A count that introduces the kinds it lists ("SKR föreslår tre åtgärder:", "tre
# huvudområden") counts categories of the text, not people or cases.
_CATEGORY_NOUN = re.compile(
    r"\s+(?:[a-zåäö]+\s+)?(?:\w*område|åtgärd|förslag|kategori|steg|punkt|princip|"
    r"perspektiv|faktor|frågeställning|delar\b|typer\b|saker\b|\w*situation|krav\b|"
    r"frågor\b|organisationer\b|skäl\b|orsaker\b|rörelser\b|grupper\b|spår\b|vägar\b|"
    r"förändringar\b)\w*\s*:?|"
    r"\s+[a-zåäö]+\s*:",
    re.I,
)
_CATEGORY_MAX = 12
_SURVEY_SIZE = re.compile(r"\s+(?:frågor|enkätfrågor|frågeområden|indikatorer)\b", re.I)
_TIME_AFTER = re.compile(r"\s+(?:tidigare|senare|sedan|innan|efter|dessförinnan)\b", re.I)
# "kommuner med mellan 30 000 och 200 000 invånare": a size class of kommuner.
_SIZE_CLASS = re.compile(
    r"\bkommuner(?:na)?\s+med\s+(?:mellan\s+|fler\s+än\s+|färre\s+än\s+|över\s+|under\s+|"
    r"mer\s+än\s+|minst\s+|från\s+)?[\d\s]*(?:och|till|–|-)?\s*$",
    re.I,
)
# "Nästan alla kommuner": a hedge on "all" names no number.
_VAGUE_ALL = re.compile(
    r"^(?:nästan|i\s+stort\s+sett|praktiskt\s+taget)\s+(?:alla|samtliga)$|"
    r"^(?:tusental|tusentals|hundratal|miljontal)$",  # "redovisas i tusental kronor": a unit
    re.I,
)
# A threshold that sorts units, after a share or count of them in the clause:
# "drygt var tredje kommun hade en ökning på mer än 10 procent".
_THRESHOLD_QUALIFIERS = frozenset(
    {"mer än", "över", "minst", "fler än", "mindre än", "under", "högst", "lägst"}
    | {"större än", "högre än", "lägre än"}
)
_SHARE_OF_UNITS = re.compile(
    # "var tredje socialsekreterare har fler än 30 ärenden", "45 procent av de svarande
    # har fler än 30", "vart femte barn har flyttat minst tre gånger"
    r"\b(?:var|vart)\s+(?:annan|andra|tredje|fjärde|femte|sjätte|sjunde|åttonde|nionde|"
    r"tionde)\b|\bvarannan\b|\d\s*(?:procent\b|%)|\bhälften\b|"
    r"\b(?:en|två|tre|fyra|fem|sex|sju|åtta|nio)\s+av\s+(?:tio|fem|fyra|tre)\b|"
    r"\b(?:var|vart|varannan)\s+\w+\s+kommun\b|\bav\s+(?:landets\s+)?\d[\d\s]*kommuner\b|"
    r"\bprocent\s+av\s+(?:landets\s+)?kommunerna\b|"
    r"\bi\s+(?:\d[\d\s]*|\w*(?:två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|ton|tjugo|"
    r"trettio|fyrtio|femtio|sextio|sjuttio|åttio|nittio|hundra))\s+(?:kommuner|län)\b",
    re.I,
)
_UNITS_BEFORE = re.compile(r"\b(?:hade|med|har|på|var|är)\b[^,;.]*$", re.I)
# The whole of an "N av M" ("14 av 21 län"), and ranks ("plats 14", "på plats 3").
_OUT_OF = re.compile(r"\d\s+av\s+(?:landets\s+|de\s+|alla\s+)?$", re.I)
_RANK_BEFORE = re.compile(r"\b(?:plats|placering|rankas\s+som\s+nummer|nummer)\s+$", re.I)
# How the words these end in end, lower-cased ("landets" and "plats" by their "s" or the
# long "ſ", "placering" by what follows its "i"): see _LABEL_ENDS.
_OUT_OF_ENDS = ("av", "de", "alla", "s", "ſ")
_RANK_ENDS = ("ts", "tſ", "ng", "nummer")
# A set the text names by its size: "de tre storstäderna", "de två kommunerna".
_THE = re.compile(r"\b(?:de|dessa|båda)\s+$", re.I)
_NAMED_SET = re.compile(r"\s+(?:[a-zåäö]+\s+)?[a-zåäö]+(?:na|arna|erna|orna)\b", re.I)
# What a place is made of: "som har fem kommuner", "med sina tolv stadsdelar".
_HAS_UNITS = re.compile(r"\b(?:som\s+har|består\s+av|med\s+sina|omfattar)\s+$", re.I)
_UNIT_NOUN = re.compile(r"\s+(?:kommuner|stadsdelar|län|kapitel|avsnitt|delar|bilagor)\b", re.I)
# A worked example or reading guide, not a result: "därför blir summan mer än 100
# procent", "motsvarar varje kommun 20 procentenheter", "räcker det med fyra barn för att".
_WORKED_EXAMPLE = re.compile(
    r"\bblir\s+summan\b|\bsumman\s+blir\b|\bvarje\s+(?:enskild\s+)?\w+\s+motsvarar\b|"
    r"\bmotsvarar\s+varje\s+\w+\b|\bräcker\s+det\s+(?:med|att)\b",
    re.I,
)


# Cheap tests before the patterns over the words before a number, read in the last
# _NEAR_CHARS characters lower-cased (each pattern reads 80 or fewer): parts of the
# patterns' words that hold no "i" or "s", whose case-insensitive matches include
# letters str.lower() keeps ("ı", "ſ"). _LABEL_BEFORE ends the text but for white space:
# its word is one of these ends ("ring" and "indikator" by the part after their "i").
_NEAR_CHARS = 80
_LABEL_ENDS = ("box", "tid", "ng", "nga", "nger", "ngde", "plan", "kator", "katorn", "nummer", "nr",
               "nr.", "=")  # fmt: skip
_SURVEY_PARTS = ("enkät", "ökn", "frågor")  # "enkät", "undersökning", "frågor"
# "kräver", "krav", "tak", "riktlinje", "mål", "målet", "målsättning", "riktmärke"
_GOAL_PARTS = ("kräv", "krav", "tak", "ktl", "mål", "ktmärke", "ktvärde")
# "… anger 25 ärenden som en rimlig övre gräns": a limit someone sets, named after it
_LIMIT_AFTER = re.compile(
    r"[^.;:]{0,40}?\bsom\s+(?:en\s+|ett\s+)?(?:\w+\s+){0,2}?"
    r"(?:gräns|maxgräns|tak|riktvärde|riktmärke|norm|målnivå)\b",
    re.I,
)
# "Med långvarigt bistånd menas att hushållet fått stöd tio till tolv månader", "Som
# långvarigt räknas …": a sentence that says what a word means measures nothing.
_DEFINING_SENTENCE = re.compile(
    r"\W*(?:med|som)\s+[^.;:\d]{1,80}?\s+(?:menas|avses|räknas|definieras)\b", re.I
)
_WORKED_EXAMPLE_WORDS = ("summan", "motsvarar", "räcker")  # one in each of its forms
_COMPARED_BEFORE = re.compile(r"\b(?:större|högre|lägre|mindre)\s+än\s+$", re.I)
_CLAUSE_END = re.compile(r";|,\s+(?:och|men|medan)\s|\s(?:och|men|medan)\s", re.I)


def _clause_start(before: str) -> int:
    """Return where the clause that runs up to the end of `before` starts."""
    start = 0
    for m in _CLAUSE_END.finditer(before):
        start = m.end()
    return start


def _plain_figure(number: NumberMatch, text: str, before: str, near: str) -> bool:
    """Tell whether a number measures something, read from the words around it.

    Rules and definitions, spans of time, counts of the kinds a text lists, size
    classes and thresholds that sort units give no figure. `near` is the end of `before`
    lower-cased (`_keep_number`).
    """
    quote = number.quote.strip()
    if _VAGUE_ALL.match(quote) or _CHROME.match(text) or _DEFINING_SENTENCE.match(text):
        return False
    if quote.lower() in _ALL_WORDS and (
        _ALL_BUT.match(text, number.end)
        or _BUILT_FROM.search(text)
        or _ASKED_BEFORE.search(before[-40:])
    ):
        return False  # (and "Socialstyrelsen frågade samtliga kommuner om …": whom a survey asked)
    if holds_any(near, _GOAL_PARTS) and _GOAL_BEFORE.search(before[-80:]):
        return False
    if " som " in text and _LIMIT_AFTER.match(text, number.end):
        return False
    if number.unit in _DURATION_UNITS and number.measure != "change":
        if _SPAN_BEFORE.search(before[-32:]) or _NORM.search(text):
            return False
        if _TIME_AFTER.match(text, number.end):
            return False  # "sju år tidigare": a time, not a length
        if _SHARE_IN_CLAUSE.search(before[_clause_start(before) :]):
            return False
    if (
        number.unit == "antal"
        and number.value <= _CATEGORY_MAX
        and _PARTITION_BEFORE.search(before[-32:])
    ):
        return False
    if (
        number.unit == "antal"
        and number.value <= _CATEGORY_MAX
        and not number.per
        and _CATEGORY_NOUN.match(text, number.end)
    ):
        return False
    if (
        number.unit == "antal"
        and "invånare" in text[number.end : number.end + 40].lower()
        and _SIZE_CLASS.search(before[-60:])
    ):
        return False
    # The patterns over the last words before the number end there but for white space:
    # a cheap test of how `near` ends comes first (see _NEAR_CHARS).
    near_end = near.rstrip()
    if (number.qualifier or "") in _THRESHOLD_QUALIFIERS or (
        near_end.endswith("än") and _COMPARED_BEFORE.search(before[-16:])
    ):
        clause = before[max(before.rfind(","), before.rfind(";"), 0) :]
        if _SHARE_OF_UNITS.search(clause) and _UNITS_BEFORE.search(clause):
            return False
    if number.unit == "antal" and _SURVEY_SIZE.match(text, number.end):
        return False  # "en enkät med 24 frågor": the survey's size, not a result
    if (near_end.endswith(_OUT_OF_ENDS) and _OUT_OF.search(before[-24:])) or (
        near_end.endswith(_RANK_ENDS) and _RANK_BEFORE.search(before[-16:])
    ):
        return False  # "i 14 av 21 län": the 21 is how many there are; "plats 14": a rank
    if (
        number.unit == "antal"
        and number.value <= _CATEGORY_MAX
        and _NAMED_SET.match(text, number.end)
        and _THE.search(before[-8:])
    ):
        return False  # "i de tre storstäderna": a set the text names, not a count
    if (
        number.unit == "antal"
        and _HAS_UNITS.search(before[-24:])
        and _UNIT_NOUN.match(text, number.end)
    ):
        return False  # "Blekinge län, som har fem kommuner": what a place is made of
    # Only what the worked example goes on to say: "Av heldygnsinsatserna beslutades 73
    # procent enligt SoL och 33 procent enligt LVU, och därför blir summan mer än 100
    # procent" keeps its two figures.
    return not (
        may_hold_words(text, _WORKED_EXAMPLE_WORDS)
        and _WORKED_EXAMPLE.search(text, 0, number.start)
    )
