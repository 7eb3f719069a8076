"""Table figures: one per numeric cell, read through its row and column headers.

A header's unit ("tkr", "procent", "per 1 000 invånare") applies to every cell under
it; the nearest header that states one wins: the column's, the row's, the caption's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ifo_watch.extract import frames, periods
from ifo_watch.extract.catalog import Catalog, Metric, content_words, lemma, noun_class, says_median
from ifo_watch.extract.groups import RATE_POPULATION, SEXES, find_group
from ifo_watch.extract.numbers import find_numbers, parse_number
from ifo_watch.extract.regions import Place, find_places, normalize_place
from ifo_watch.extract.scan import has_digit
from ifo_watch.models import Figure, Table

__all__ = ["table_figures"]

# A caption that ends in its unit: "…, efter kommungrupp. Procent", "… (procent)"
_CAPTION_UNIT_END = re.compile(
    r"[.,:;(–-]\s*(?:procent|%|antal|kronor|tkr|mnkr|miljoner\s+kronor)\s*\)?\s*\.?\s*$", re.I
)
_PERCENT_HEAD = re.compile(r"%|\bprocent\b|\bandel(?:en)?\b", re.I)
_COUNT_HEAD = re.compile(r"\bantal(?:et)?\b", re.I)
_THOUSANDS_HEAD = re.compile(r"\b(?:i\s+)?tusental\b(?!\s+kronor)", re.I)
_QUARTER_HEAD = re.compile(r"^\s*(?:kvartal|kv\.?|q)\s*([1-4])\s*$", re.I)
_YEAR_ONLY = re.compile(r"(?:19|20)\d\d")
_YEARS_SPAN = re.compile(r"((?:19|20)\d\d)–((?:19|20)\d\d)")
_AGAINST_YEAR = re.compile(r"\b(?:mot|jämfört\s+med|än)\s+(?:\w+\s+){0,3}?((?:19|20)\d\d)\b", re.I)
_COUNTED_DURATION = re.compile(r"\bantal\s+(dagar|månader|år)\b", re.I)
_DURATION_HEAD = re.compile(r"(?:^|,|\(|\.)\s*(dagar|månader|år)\s*\)?\s*$", re.I)
_PER_HEAD = re.compile(
    r"(?:\bper\s+|/\s?)(?:(\d[\d\s\xa0]*\d|\d+)\s+([a-zåäö]+)|(invånare|hushåll|person|månad|dag))\b",
    re.I,
)
_KRONOR_SCALE = (
    (re.compile(r"\b(?:mdkr|miljarder\s+kronor|miljarder\s+kr)\b", re.I), 1e9),
    (re.compile(r"\b(?:mnkr|mkr|miljoner\s+kronor|miljoner\s+kr|mn\s+kr)\b", re.I), 1e6),
    (re.compile(r"\b(?:tkr|tusen\s+kronor|tusental\s+kronor|tusentals\s+kronor)\b", re.I), 1e3),
    (re.compile(r"\b(?:kronor|kr)\b", re.I), 1.0),
)
_MONEY_PER = re.compile(r"\b(?:kronor|kr|tkr)\s+(?:per|/)\s*", re.I)
_CHANGE_HEAD = re.compile(r"\b(?:förändr\w*|ökning\w*|minskning\w*|utveckling)\b|±", re.I)
_SIGN = re.compile(r"^[−–](?=\s*\d)")
_PLUS = re.compile(r"^\+(?=\s*\d)")
_NATIONAL_HEAD = re.compile(r"\b(?:riket|hela\s+landet|sverige|landet)\b", re.I)
_WORD_HEAD = re.compile(r"[^\W\d_]{3,}")
_YEAR_HEAD = re.compile(r"(?:19|20)\d\d")
_EMPTY_CELL = re.compile(r"^\s*(?:[-–—.…x*]+|\.\.|n/a|uppgift saknas)?\s*$", re.I)

# What a header alone gives (its places, its period, its group, what is left of it for
# the indicator) is the same for every cell under or beside it, and headers repeat from
# table to table ("Stockholms län", "2023"): each is read once and kept. Pure functions
# of the header's text, so keeping them changes no figure; emptied when full.
_MEMO_SIZE = 4096
_PLACES: dict[str, list[Place]] = {}
_STRIPPED: dict[str, str] = {}
_PERIODS: dict[str, tuple[str | None]] = {}
_GROUPS: dict[str, tuple[str | None]] = {}


def _places(head: str) -> list[Place]:
    """Return `find_places(head)`, read once per header (the list is never changed)."""
    found = _PLACES.get(head)
    if found is None:
        if len(_PLACES) >= _MEMO_SIZE:
            _PLACES.clear()
        found = find_places(head)
        if not found and (alone := normalize_place(head)) is not None:
            # a header that is one place's name alone: "Berg", "Vara", "Mark" too
            found = [Place(name=alone[0], type=alone[1], start=0, end=len(head))]
        _PLACES[head] = found
    return found


@dataclass(frozen=True)
class _CellUnit:
    unit: str
    per: str | None = None
    scale: float = 1.0


def table_figures(
    table: Table,
    *,
    catalog: Catalog,
    period: str | None,
    offset: int,
    place: Place | None = None,
    topic: str = "",
) -> list[Figure]:
    """Return one figure per numeric cell, read through its row and column headers.

    `period` is the document's where no header names one, `place` the one place the
    document is about, where no header names one or the country; `offset` is where the
    figures stand (after the text: a Document keeps its tables apart); `topic` the
    document's title, which fills what an entry's `topic` groups ask for.
    """
    out: list[Figure] = []
    width = max((len(r) for r in (*table.header, *table.rows)), default=0)
    columns = [
        " ".join(h[c] for h in table.header if c < len(h) and h[c].strip()) for c in range(width)
    ]
    caption = table.caption or ""
    # The rows' own header when it says they are fields of activity ("Verksamhet" over
    # "Ekonomiskt bistånd", "Barn och unga"): each row's amounts are the field's.
    area = columns[0].strip() if columns and _AREA_CORNER.fullmatch(columns[0].strip()) else ""
    # The caption's unit is every column's, unless it names several or a column of levels
    # states its own (a change column's "procent" is the change's, not a rival unit).
    # ("Andel med kortare erfarenhet" under a caption ending "… Procent" states the unit
    # the caption gives every column; "Andel av befolkningen, procent" under "Biståndshushåll
    # och andel av befolkningen" is one column's own)
    kinds = _unit_kinds(caption)
    stated = _CAPTION_UNIT_END.search(caption) is not None
    caption_unit = len(kinds) == 1 and not any(
        _unit_cue(c) is not None
        and not _CHANGE_HEAD.search(c)
        and not (stated and _unit_kinds(c) == kinds)
        for c in columns
    )
    years = sorted({c.strip() for c in columns if _YEAR_HEAD.fullmatch(c.strip())})
    # Columns that are only a time ("Kvartal 4 2008"): what a change column beside them spans.
    times = sorted({p for c in columns if (p := _sole_period(c)) is not None}, key=_period_order)
    # A caption naming one place ("..., Stockholm. Antal") is every cell's place.
    caption_places = {p.name: p for p in _places(caption)}
    if len(caption_places) == 1:
        place = next(iter(caption_places.values()))
    whole_row: dict[int, Figure] = {}
    for row in table.rows:
        if not row:
            continue
        row_head = row[0] if _is_row_head(row[0]) else ""
        row_cells: list[tuple[int, list[Figure]]] = []
        for c, cell in enumerate(row):
            if (c == 0 and row_head) or _EMPTY_CELL.match(cell) or not _numeric_cell(cell):
                continue
            column = columns[c] if c < len(columns) else ""
            row_cells.append(
                (
                    c,
                    _cell_figures(
                        cell,
                        caption=caption,
                        row_head=row_head,
                        column=column,
                        catalog=catalog,
                        period=period,
                        offset=offset,
                        caption_unit=caption_unit,
                        years=years,
                        times=times,
                        place=place,
                        topic=topic,
                        area=area,
                    ),
                )
            )
        if whole_row and _is_group_part(row_head):
            # "därav 0–17 år" under "Summa omhändertagna": the row above, for a group.
            row_cells = [(c, [_part_of(f, whole_row.get(c)) for f in fs]) for c, fs in row_cells]
        else:
            whole_row = {c: fs[0] for c, fs in row_cells if fs}
        cells = [f for _, fs in row_cells for f in fs]
        out.extend(_changes_of_row(cells, catalog))
    return out


# A row-label column's header naming fields of activity
_AREA_CORNER = re.compile(r"(?:verksamhet|verksamhetsområde|ansvarsområde)(?:er)?", re.I)

# The parts of persons a "därav" row names that are no group of their own elsewhere.
_PART_POPULATIONS = frozenset({"barn", "vuxna", "unga vuxna"})
_PART_ROW = re.compile(r"^\s*(?:[–—-]\s*)?(?:därav|varav|av\s+dessa)\b", re.I)
# A row that names a part of the persons a caption counts: "Vuxna", "Barn", "Kvinnor".
_POPULATION_ROW = re.compile(
    r"\s*(?:[–—-]\s*)?(?:(?:därav|varav)\s+)?(?:(?P<kind>[^\W\d]+)\s+)??"
    r"(barn|vuxna|unga\s+vuxna|kvinnor|män|pojkar|flickor)\s*",
    re.I,
)
_PERSONS = re.compile(r"\bpersoner\b", re.I)


def _is_group_part(row_head: str) -> bool:
    """Tell whether a row is the row above's figure for one group ("därav 0–17 år")."""
    group = _table_group(row_head, "") if _PART_ROW.match(row_head) else None
    if group is None:
        return False
    said = set(content_words(group))  # "därav barn": the group's own word
    words = content_words(_strip_table_words(_PART_ROW.sub("", row_head)))
    return not [w for w in words if not _PER_WORDS.search(w) and w not in said]


_PER_WORDS = re.compile(r"^(?:invånare|\d+)$")


def _part_of(part: Figure, whole: Figure | None) -> Figure:
    if whole is None or whole.unit != part.unit or whole.measure != part.measure:
        return part
    return replace(part, metric=whole.metric, label=whole.label, identity=whole.identity)


def _changes_of_row(cells: list[Figure], catalog: Catalog) -> list[Figure]:
    """Give a row's change cells the indicator of the row's levels.

    "Familjehemsvård för barn och unga: 9 720, 10 380, +6,8" under a caption of costs
    in mnkr: the +6,8 is the change of those costs, whatever its own words (a percent)
    would name alone.
    """
    levels = [f for f in cells if f.measure == "level"]
    if not levels or all(f.measure == "level" for f in cells):
        return cells
    out = []
    before: Figure | None = None  # the level to the left: the one a change column follows
    for f in cells:
        if f.measure == "level":
            before = f
        elif f.region == levels[-1].region:
            # "Utbetalt | Förändring, % | Hushåll | Förändring, antal": each change is of
            # the level before it; a change before any level, of the row's last level
            of = before or levels[-1]
            level = catalog.get(of.metric) or Metric(of.metric, of.label, of.unit)
            direction = f.metric.partition("_")[0]
            change = catalog.change_of(level, "", unit=f.unit, direction=direction)
            f = replace(f, metric=change.key, label=change.label)
        out.append(f)
    return out


_YEAR_CELL = re.compile(r"\s*(?:19|20)\d\d\s*")


def _is_row_head(cell: str) -> bool:
    """Tell whether a row's first cell names the row ("Kvartal 1", "2023 kv 1", "Uppsala län")."""
    if not _numeric_cell(cell) or _WORD_HEAD.search(cell) is not None:
        return True
    if _head_group(cell) is not None:
        return True  # an age band ("0–12 år", "65 år och äldre")
    return any(m.kind in ("month", "quarter", "half", "date") for m in periods.find_periods(cell))


def _numeric_cell(cell: str) -> bool:
    return len(cell) <= 40 and has_digit(cell) and not _YEAR_CELL.fullmatch(cell)


_WHOLE_SHARE = 100
# The total row ("Samtliga 0–20 år", "Summa", "Riket"): the whole, whatever band it spans.
_TOTAL_ROW = re.compile(
    r"^\s*(?:totalt|total|summa|samtliga|alla|hela(?:\s+landet)?|riket)\b", re.I
)


def _cell_figures(
    cell: str,
    *,
    caption: str,
    row_head: str,
    column: str,
    catalog: Catalog,
    period: str | None,
    offset: int,
    caption_unit: bool,
    years: Sequence[str] = (),
    times: Sequence[str] = (),
    place: Place | None = None,
    topic: str = "",
    area: str = "",
) -> list[Figure]:
    text = cell.strip()
    bare = parse_number(_PLUS.sub("", _SIGN.sub("-", text, count=1), count=1))
    change = _CHANGE_HEAD.search(column) or _CHANGE_HEAD.search(row_head)
    heads = (column, row_head, caption)
    population = _POPULATION_ROW.fullmatch(row_head)
    by_column = _POPULATION_ROW.fullmatch(column) if population is None else None
    if population is not None and _PERSONS.search(f"{caption} {column}"):
        # "Barn" under "Personer i hemlöshet": the persons counted, for that group, as
        # prose says "3 161 personer, varav 597 barn"; "Boende kvinnor", "Avvisade barn"
        # under "Antal personer": what the row's first word says, for that group
        kind = population["kind"]
        heads = (column, f"{kind} personer" if kind else "", caption)
        population_group: str | None = " ".join(population[2].lower().split())
    elif (
        by_column is not None
        and not by_column["kind"]
        and _PERSONS.search(caption)
        and _table_group(row_head, column) is None  # ("Kvinnor" over rows "21–29 år": both)
    ):
        # columns "Vuxna", "Barn" under a caption "… Antal personer": the persons, each
        # column one group (rows are places or times)
        heads = ("personer", row_head, caption)
        population_group = " ".join(by_column[2].lower().split())
    else:
        population_group = None
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None
    if bare is not None:
        # "(belopp i mnkr)": the amounts' unit, not the counts' rows beside them
        own_count = caption_unit and _AMOUNTS_IN.search(caption) and _counts_a_noun(row_head)
        cell_unit = _head_unit(heads if caption_unit and not own_count else heads[:2])
        if not caption_unit and not change and cell_unit.unit == "antal" and not own_count:
            # "miljoner kronor (löpande priser), samt förändring i procent": the caption's
            # money is the unit of the columns that state none, its percent the change's
            money = _money_cue(caption)
            if money is not None and _unit_cue(column) is None and _unit_cue(row_head) is None:
                cell_unit = money
        if bare == _WHOLE_SHARE and cell_unit.unit == "procent" and _TOTAL_ROW.match(row_head):
            return []  # a total row's 100 procent sums the shares above it: no figure
        # A change is its magnitude (the sign is its direction); a level keeps its sign
        # ("-11 600" under "Avvikelse" is a deficit).
        value, quote = (abs(bare) if change else bare) * cell_unit.scale, text
        unit, per, measure = cell_unit.unit, cell_unit.per, "change" if change else "level"
        if change:
            # A signed cell under "Förändring": its sign is the direction.
            heads = (f"{column} {'minskning' if bare < 0 else 'ökning'}", row_head, caption)
    else:
        numbers = find_numbers(text)
        if not numbers:
            return []
        n = numbers[0]
        value, quote, qualifier = float(n.value), n.quote, n.qualifier
        low, high, unit, per = n.low, n.high, n.unit, n.per
        measure = "change" if n.measure == "change" else "level"
    period = (
        _cell_period(row_head, column, years if measure == "change" else ())
        or _table_period(column)
        or _table_period(row_head)
        or _table_period(caption)
        or period
    )
    part = _part_of_year(row_head, column, caption)
    years_span = _YEARS_SPAN.fullmatch(period) if part is not None and period else None
    if years_span is not None:
        period = f"{years_span[1]}-{part}–{years_span[2]}-{part}"  # a change column's span
    elif part is not None and period is not None and _YEAR_ONLY.fullmatch(period):
        # "Kvartal 3" under "per kvartal 2024", "januari–juni" over the years 2023 and
        # 2024: that part of each year
        year = int(period)
        if measure == "change":
            # "Förändring mot samma kvartal 2023": the year named is the base
            against = _AGAINST_YEAR.search(column) or _AGAINST_YEAR.search(row_head)
            year = int(against[1]) + 1 if against else year
            period = f"{year - 1}-{part}–{year}-{part}"
        else:
            period = f"{year}-{part}"
    elif (
        part is None
        and period is not None
        and _YEAR_ONLY.fullmatch(period)
        and periods.bare_month_spans(heads_said := f"{column} {row_head}")
    ):
        # "Utfall jan–aug" in an account for 2023: those months of the year
        period = next(
            (
                m.period
                for m in periods.find_periods(heads_said, ref_year=int(period))
                if m.period and m.kind in ("range", "half", "quarter")
            ),
            period,
        )
    if measure == "level" and period is not None:
        # "Antal personer den 1 november" over the columns 2023 and 2024: that day's count
        # ("Vuxna i heldygnsvård på mätdagen den 1 november 2022 och 2023": the census day)
        heads_text = f"{caption} {row_head} {column}"
        period = (
            periods.bare_day_of(heads_text, period)
            or periods.census_day_of(heads_text, period)
            or period
        )
    if measure == "change" and (period is None or "–" not in period):
        period = _change_span(column, row_head, caption, times=times, fallback=period)
    places = _places(row_head) or _places(column)
    if not places and place is not None and not _NATIONAL_HEAD.search(f"{row_head} {column}"):
        places = [place]
    metric = _table_metric(
        heads, unit=unit, per=per, measure=measure, catalog=catalog, topic=topic, area=area
    )
    if per is not None and unit == "antal" and not metric.catalogued:
        # "Per 100 000 inv." beside the count of a row the catalog knows: that count's rate
        count = _table_metric(
            heads, unit="antal", per=None, measure=measure, catalog=catalog, topic=topic
        )
        if count.catalogued and count.measure == "level":
            metric = catalog.rate_of(count, per)
    if (left := frames.left_out_of(caption) or frames.left_out_of(column)) is not None:
        # "Utbetalt ekonomiskt bistånd exklusive flyktingar": every cell leaves them out
        metric = catalog.excluding(metric, left.slug, left.words)
    metric = catalog.in_period_scope(metric, period)
    if (role := _accounting_role(column) or _accounting_role(row_head)) is not None:
        metric = catalog.accounting(metric, *role)
    if says_median(f"{column} {row_head}"):
        metric = catalog.median_of(metric)  # a column "Medianutredningstid, dagar"
    base = Figure(
        metric=metric.key,
        label=metric.label,
        value=value,
        unit=unit,
        quote=quote,
        sentence=" – ".join(p for p in (caption, row_head, column, text) if p),
        measure="change" if measure == "change" else "level",
        per=per,
        qualifier=qualifier,
        low=float(value if low is None else low),
        high=float(value if high is None else high),
        period=period,
        group=population_group or _table_group(row_head, column) or metric.group,
        offset=offset,
        identity="catalogued" if metric.catalogued else "derived",
    )
    if not places:
        return [base]
    return [replace(base, region=places[0].name, region_type=places[0].type)]


def _cell_period(row_head: str, column: str, years: Sequence[str]) -> str | None:
    """Return a period that a row and a column name together, or a change's span.

    "Kvartal 1" in a row under "2018" is 2018-Q1; a change column beside the years
    2018 and 2019 spans them ("2018-Q1–2019-Q1" in that row, else "2018–2019").
    """
    if len(years) >= 2:
        first, last = _cell_period(row_head, years[0], ()), _cell_period(row_head, years[-1], ())
        if first and last:
            return f"{first}–{last}"
        return f"{years[0]}–{years[-1]}"
    if not row_head or not column:
        return None
    for mention in periods.find_periods(f"{row_head} {column}"):
        if mention.kind in ("month", "quarter", "half", "date"):
            return mention.period
    return None


def _unit_kinds(head: str) -> set[str]:
    """Return the kinds of unit a header names: a caption naming several is no one's."""
    kinds = set()
    if _PER_HEAD.search(head):
        kinds.add("per")
    if any(pattern.search(head) for pattern, _ in _KRONOR_SCALE) and not _MONEY_PER.search(head):
        kinds.add("kronor")  # (not "kronor per invånare": one unit, money per head)
    if _PERCENT_HEAD.search(head):
        kinds.add("procent")
    if _COUNT_HEAD.search(head):
        kinds.add("antal")
    return kinds


def _counts_a_noun(row_head: str) -> bool:
    """Tell a row that counts people or cases ("Biståndshushåll", "därav barn") from one
    of amounts: a caption's "belopp i mnkr" is the amounts' unit, never the counts'."""
    words = [lemma(w) for w in re.findall(r"[a-zåäöéü]+", row_head.lower())]
    if any(w in _MONEY_HEAD_WORDS or w.startswith(("kostnad", "utbetal")) for w in words):
        return False
    return any(noun_class(w) is not None for w in words[:3])


_AMOUNTS_IN = re.compile(r"\b(?:belopp|beloppen|kostnader|kostnaderna)\s+(?:anges\s+)?i\b", re.I)
_MONEY_HEAD_WORDS = frozenset(
    {"belopp", "kostnad", "kronor", "mnkr", "tkr", "budget", "utfall", "intäkt", "utgift"}
)


def _head_unit(heads: Sequence[str]) -> _CellUnit:
    """Return the unit the nearest header states: the column's, the row's, the caption's.

    A rate a row or column states ("Personer i hemlöshet per 10 000 invånare") wins over
    a plain count header ("Antal") beside it.
    """
    for head in heads[:2]:
        change = _CHANGE_HEAD.search(head)
        if change and _PERCENT_HEAD.search(head, change.start()):
            return _CellUnit("procent")  # "Kronor per invånare – Förändring, procent"
        if _PER_HEAD.search(head):
            rate = _unit_cue(head)
            if rate is not None:
                return rate
    for head in heads:
        unit = _unit_cue(head)
        if unit is not None:
            return unit
    return _CellUnit("antal")


def _part_of_year(row_head: str, column: str, caption: str) -> str | None:
    """Return the quarter, half-year or month ("Q3", "H1", "07") a row, column or caption
    names without a year of its own ("Kvartal 3", "januari–juni", "Juli")."""
    for head in (row_head, column):
        quarter = _QUARTER_HEAD.search(head)
        if quarter is not None:
            return f"Q{quarter[1]}"
        month = periods.lone_month(head)
        if month is not None:
            return f"{month:02d}"  # a month-by-month table: that month of the year
    for head in (row_head, column, caption):
        half = _HALF_HEAD.search(head)
        if half is not None:
            return "H1" if half[1] else "H2"
    return None


_HALF_HEAD = re.compile(
    r"\b(?:(januari\s*[–-]\s*juni|första\s+halvåret)|juli\s*[–-]\s*december|andra\s+halvåret)"
    r"(?!\s+(?:19|20)\d\d)",
    re.I,
)


def _money_cue(head: str) -> _CellUnit | None:
    """Return the amount in kronor a header names ("miljoner kronor"), not a rate's."""
    if _PER_HEAD.search(head):
        return None
    scale = next((f for pattern, f in _KRONOR_SCALE if pattern.search(head)), None)
    return _CellUnit("kronor", scale=scale) if scale is not None else None


def _unit_cue(head: str) -> _CellUnit | None:
    per = _PER_HEAD.search(head)
    if per:
        word = per[2].lower() if per[2] else ""
        word = "invånare" if word == "inv" else word  # "Per 100 000 inv."
        denominator = per[3].lower() if per[3] else f"{' '.join(per[1].split())} {word}"
        scale = next((f for pattern, f in _KRONOR_SCALE if pattern.search(head)), None)
        if scale is not None:  # "Kronor per invånare": money per head
            return _CellUnit("kronor", per=denominator, scale=scale)
        return _CellUnit("antal", per=denominator)
    for pattern, scale in _KRONOR_SCALE:
        if pattern.search(head):
            return _CellUnit("kronor", scale=scale)
    if _PERCENT_HEAD.search(head):
        return _CellUnit("procent")
    if _THOUSANDS_HEAD.search(head):
        return _CellUnit("antal", scale=1000.0)  # "Biståndsmottagare, tusental"
    if duration := _COUNTED_DURATION.search(head):  # "medelvärde, antal dagar, 2024"
        return _CellUnit(duration[1].lower())
    if _COUNT_HEAD.search(head):
        return _CellUnit("antal")
    if duration := _DURATION_HEAD.search(head):  # "Genomsnittlig vårdtid, dagar"
        return _CellUnit(duration[1].lower())
    return None


def _table_metric(
    heads: Sequence[str],
    *,
    unit: str,
    per: str | None,
    measure: str,
    catalog: Catalog,
    topic: str = "",
    area: str = "",
    by_area: bool = False,
) -> Metric:
    """Identify a cell's indicator from its own headers, read against the caption.

    A row or column that names a sub-indicator ("Stödboende" under "Barn med
    heldygnsinsats, efter placeringsform") must not take the caption's metric unless
    the catalog knows it: then the key is derived from both, so rows never collide.
    `area` is the rows' header when it names fields of activity: read with the caption,
    it may call up a catalog entry; it never enters a derived key. `by_area`: the rows
    name areas (a row "Vuxna" of an account is the adults' area, no group who counts).
    """
    if area:
        column, row_head, caption = heads
        framed = _table_metric(
            (column, row_head, f"{caption} {area}"),
            unit=unit,
            per=per,
            measure=measure,
            catalog=catalog,
            topic=topic,
            by_area=True,
        )
        if framed.catalogued:
            return framed
        by_area = True
    column, row_head, caption = [_strip_table_words(h) for h in heads]
    near = f"{column} {row_head}"
    if (laws := set(_LAW.findall(near.lower()))) and _LAW.search(caption):
        # "Vård enligt LVU" under "… vård enligt SoL eller insats enligt LVU": the law the
        # column names, never the caption's other one (nor the "eller" joining them)
        caption = _OTHER_LAW.sub(
            lambda m: f" {m['law']} " if m["law"].lower() in laws else " ", caption
        )
    # (a row that names nothing, or a group the caption's count is split by: the caption's)
    noun = (
        # a row's plural noun, else its column's ("Verkställda avhysningar" over rows of län)
        (
            _counted_noun(row_head)
            # (over rows of places the column says what its cells count before the
            # caption does: "Platser för vuxna" under "Skyddade boenden 2019")
            or (_counted_noun(column) if _places(heads[1]) else None)
            or (_counted_noun(caption) if not row_head.strip() else None)
        )
        if unit == "antal"
        else None
    )
    spent = ""
    if unit == "kronor" and measure == "level" and not _MONEY_WORDS.search(f"{near} {caption}"):
        # "Vård för vuxna med missbruksproblem" under "miljoner kronor": what it cost
        spent = " kostnad"
        near = f"{near}{spent}"
    own = _own_items(caption, near)
    whole = f"{caption} {near}"
    metric = catalog.identify(near, unit=unit, measure=measure, per=per, topic=topic, noun=noun)
    if metric.catalogued:
        # The caption may narrow what the headers name: "Andel av barnen i
        # biståndshushåll" under "Barn i familjer med långvarigt ekonomiskt bistånd".
        # The caption rules out what it excludes ("Institutionsvistelse eller stödboende"
        # under "Personer i hemlöshet" is no count of children in stödboende).
        # ("Verkställda vräkningar" under "Vräkningar och berörda barn": the caption's
        # other item says nothing of the row the catalog knows)
        read = catalog.identify(
            f"{own} {near}",
            unit=unit,
            measure=measure,
            per=per,
            focus=near,
            clause_rules=caption,
            topic=topic,
            noun=noun,
        )
        # ("Platser för vuxna" under "Skyddade boenden …": the caption's count of other
        # things is no narrowing of the column's)
        other_noun = (
            (counted := catalog.counts(metric.key)) is not None
            and (read_counts := catalog.counts(read.key)) is not None
            and counted != read_counts
        )
        if read.key == metric.key or not (other_noun or catalog.excluded_by(metric.key, caption)):
            if _names_area(row_head) and (by_area or catalog.relies_on_topic(read.key)):
                # "Ekonomiskt bistånd" under "Andel nöjda per verksamhetsområde": an entry
                # the page's topic completed, read for one area of the rows; "Öppenvård
                # missbruk" in an account by verksamhet: the part of the entry it names
                return catalog.breakdown(read, row_head, caption)
            return read
        # ("Antal anmälningar" in a row "Äldreomsorg" under "Lex Sarah-anmälningar":
        # the caption ruled out what the headers named; the row is a part of the caption's)
    near_words = set(content_words(near))
    combined = catalog.identify(
        whole,
        unit=unit,
        measure=measure,
        per=per,
        focus=f"{near} {own}",
        topic=topic,
        noun=noun,
    )
    if not near_words or not combined.catalogued:
        return combined
    if (
        near_words <= set(content_words(caption))
        or catalog.says_all(combined.key, near)
        or (not by_area and all(noun_class(lemma(w)) in _WHO_CLASSES for w in near_words))
    ):
        # ("Antal hushåll" under "Biståndshushåll och andel av …", a column "Personer"
        # under "Vuxna med öppen insats …": the count's own noun narrows nothing)
        return combined
    alone = catalog.identify(
        f"{caption}{spent}", unit=unit, measure=measure, per=per, topic=topic, noun=noun
    )
    if alone.key != combined.key:
        # The row named the entry; the row's words the entry does not say narrow it
        # further ("därav konsulentstödda familjehem" under "Kostnader för placeringar").
        return catalog.breakdown(combined, row_head, caption, modifiers_only=True)
    # The caption names the whole, the row or column one part of it: the catalog's
    # entry for the part when the row's own words call it up ("familjehemsvård" under
    # "kostnader"), else the part's own key, narrowed from the whole's.
    part = catalog.identify(
        whole, unit=unit, measure=measure, per=per, besides=alone.key, topic=topic, noun=noun
    )
    if part.catalogued and part.key in catalog.named_in(near):
        # "därav konsulentstödda familjehem": the part's words the entry does not say
        # narrow it further.
        return catalog.breakdown(part, near, caption, modifiers_only=True)
    return catalog.breakdown(alone, near, caption)


# The classes of noun that say who is counted ("Personer", "Barn"), never where or what
_WHO_CLASSES = frozenset({"person", "barn", "hushåll"})


def _counted_noun(row_head: str) -> str | None:
    """Return the plural noun a row's name rests on, which its counts count ("Verkställda
    vräkningar", "Orosanmälningar om barn och unga"), or None ("Familjehem" names where,
    not what is counted); a noun of either number that a relative clause tells of
    ("Barn som bott minst en natt") is one counted too."""
    head = _ROW_NOUN.match(row_head)
    if head is None:
        return None
    word = head[1].lower()
    base = lemma(word)
    told_of = row_head.startswith(" som", head.end())
    kind = noun_class(base)
    # ("Barn i skyddat boende": children, whose plural is their singular, are counted)
    return word if (base != word or told_of or kind == "barn") and kind is not None else None


# The row's last word before a preposition or the end: "Orosanmälningar om barn"
_ROW_NOUN = re.compile(
    r"\W*(?:[^\W\d_]+\s+){0,2}?([^\W\d_]{3,})(?=\s*$|\s+(?:om|i|på|för|med|av|till|efter|under|inom|som)\b)"
)


def _names_area(row_head: str) -> bool:
    """Tell a row that names a field of its own, not a place, a group, a time or the total."""
    head = _PART_ROW.sub("", row_head)
    return bool(
        content_words(head)
        and not _TOTAL_ROW.match(head)
        and not _places(head)
        and _head_group(head) is None
        and not any(c.isdigit() for c in head)
    )


_LAW = re.compile(r"\b(?:sol|lvu|lvm|lss)\b", re.I)
# A law a caption names with what joins it to another: "eller insats enligt LVU", "SoL och "
_OTHER_LAW = re.compile(
    r"(?:\s+(?:eller|och)\s+(?:[^\W\d]+\s+){0,3}?)?\b(?P<law>sol|lvu|lvm|lss)\b"
    r"(?:\s+(?:eller|och)\b)?",
    re.I,
)


def _own_items(caption: str, near: str) -> str:
    """Return a caption that lists several indicators ("Vräkningar och berörda barn
    2023–2024, antal") with only the items a row's words share; the caption as it is
    when it lists none, or the row shares words with none or all of them."""
    if " och " not in caption:
        return caption
    head = _CAPTION_HEAD.match(caption)
    if head is None:
        return caption
    items = _ITEM_SPLIT.split(head[0])
    if len(items) < 2:
        return caption
    parallel = _parallel_items(items)
    if parallel is not None:
        # "Andel kommuner med rutin för skolgång … och med aktuell handlingsplan mot våld":
        # two properties of one population, each an indicator of its own
        items = parallel
    else:
        # items of different kinds ("Vräkningar", "berörda barn"), not one population
        # ("Barn och unga") or a compound's parts ("individ- och familjeomsorg")
        kinds = [
            noun_class(lemma(item.split()[-1].lower())) if item.split() else None for item in items
        ]
        if None in kinds or len(set(kinds)) < len(kinds):
            return caption
    row = set(content_words(near))
    shared = [item for item in items if row & set(content_words(item))]
    if not shared or len(shared) == len(items):
        return caption
    return " ".join(shared) + caption[head.end() :]


def _parallel_items(items: Sequence[str]) -> list[str] | None:
    """Return "X med A" and "X med B" for "X med A och med B", else None."""
    if len(items) != 2:
        return None
    second = _PROPERTY_START.match(items[1])
    if second is None:
        return None
    word = second[1].lower()
    at = items[0].lower().find(f" {word} ")
    if at < 0:
        return None
    return [items[0], items[0][: at + 1] + items[1]]


_PROPERTY_START = re.compile(r"\s*(med|utan|som)\s", re.I)
# A caption's words up to its time, unit or first comma: "Vräkningar och berörda barn"
_CAPTION_HEAD = re.compile(r"[^\d,(–]+")
_ITEM_SPLIT = re.compile(r"(?<!-)\s+och\s+")


# SKR's kommungrupper ("Storstäder och storstadsnära kommuner", "Landsbygdskommuner"):
# a group of kommuner a row is about, like a place, never a part of the indicator.
_KOMMUNGRUPP_NAMES = (
    r"storstäder|storstadsnära|större\s+städer|mindre\s+städer|pendlingskommun|"
    r"landsbygdskommun|lågpendlingskommun|besöksnäringskommun|kommuner\s+nära\s+större\s+stad|"
    # kommuner by size: "Kommuner med 15 000–49 999 invånare"
    r"kommuner\s+med\s+[^,;]{0,30}\binvånare"
)
_KOMMUNGRUPP = re.compile(rf"\b(?:{_KOMMUNGRUPP_NAMES})", re.I)
_GROUP_COUNT = re.compile(r"\s*\(\s*(?:n\s*=\s*)?\d+(?:\s+kommuner)?\s*\)\s*$", re.I)
_GROUP_ENUMERATION = re.compile(r"^\s*(?:[a-j1-9]\d?|[ivx]+)[.)]\s+", re.I)
# A kommungrupp's name with its preposition and inflection: "i storstäderna"
_KOMMUNGRUPP_WORDS = re.compile(rf"(?:\b(?:i|bland|för)\s+)?\b(?:{_KOMMUNGRUPP_NAMES})\w*", re.I)


def _strip_table_words(text: str) -> str:
    """Take places, periods and groups out of a header: they are not the indicator."""
    found = _STRIPPED.get(text)
    if found is None:
        if len(_STRIPPED) >= _MEMO_SIZE:
            _STRIPPED.clear()
        found = _STRIPPED[text] = _stripped(text)
    return found


def _stripped(text: str) -> str:
    if periods.lone_month(text) is not None:
        return ""  # a month-by-month table's row names when, not what
    if _KOMMUNGRUPP.search(text):
        if _KOMMUNGRUPP.match(text.strip()):
            return ""  # a kommungrupp row names who, not what
        # ("Personer i hemlöshet i storstäderna": the rest of a caption still says what)
        text = _KOMMUNGRUPP_WORDS.sub(" ", text)
    for place in sorted(_places(text), key=lambda p: -p.start):
        text = text[: place.start] + " " + text[place.end :]
    spans = [(m.start, m.end) for m in periods.find_periods(text)]
    # ("Utfall jan–aug": the months an account's column covers, without a year)
    spans += [
        (s, e) for s, e in periods.bare_month_spans(text) if all(e <= a or b <= s for a, b in spans)
    ]
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return _TABLE_NOISE.sub(" ", text)


# A header's words on how money is counted, not what: "Löpande priser, miljoner kronor".
_MONEY_WORDS = re.compile(
    r"\b(?:kostnad\w*|kosta\w*|utbetal\w*|budget\w*|utfall|intäkt\w*|utgift\w*|belopp\w*|"
    r"avvikelse\w*|underskott\w*|överskott\w*|bistånd\w*)",
    re.I,
)
_TABLE_NOISE = re.compile(
    r"\b(?:löpande|fasta)\s+priser\b|\b\d{4}\s+års\s+priser\b|"
    # an account's columns and frame ("Budget helår", "Prognos", "Avvikelse", "Utfall
    # jan–aug", "Driftredovisning per verksamhet"): how the money is reckoned, not what
    # for (`_accounting_role` reads the column for that)
    r"\b(?:budget\w*|prognos\w*|helårsprognos\w*|avvikelse\w*|budgetavvikelse\w*|"
    r"utfall\w*|driftredovisning\w*|helår\w*|(?:per|efter)\s+verksamhet\w*)\b|"
    r"\b(?:tabell|figur|diagram)\s*\d*\.?|\b(?:län|länet|kommun|kommunen|riket|totalt|summa|år|kön|ålder|"
    r"pojkar|flickor|kvinnor|män|efter|per|i\s+\w+\s+län)\b|\d+\s*[–-]\s*\d+\s*år",
    re.I,
)


def _sole_period(column: str) -> str | None:
    """Return the time a column header is and nothing more ("Kvartal 4 2008", "2023")."""
    if _CHANGE_HEAD.search(column) or len(column.split()) > _TIME_HEAD_WORDS:
        return None
    found = [m for m in periods.find_periods(column) if m.period]
    if len(found) == 1 and found[0].kind in ("year", "month", "quarter", "half", "date"):
        return found[0].period
    return None


_TIME_HEAD_WORDS = 4


def _period_order(period: str) -> tuple[int, str]:
    years = periods.years_in(period)
    return (years[-1] if years else 0, period)


def _change_span(
    column: str, row_head: str, caption: str, *, times: Sequence[str], fallback: str | None
) -> str | None:
    """Return the span a change cell covers, read from its headers.

    The row's or caption's time is the newer one and the time the change column names
    ("Förändring mot kvartal 1 2023", "... mot samma kvartal föregående år") the older;
    a change column beside columns that are times ("Kvartal 4 2007", "Kvartal 4 2008")
    spans them.
    """
    newer = _table_period(row_head) or _table_period(caption) or fallback
    year = periods.years_in(newer)
    for mention in periods.find_periods(column, ref_year=year[-1] if year else None):
        if mention.period and mention.kind in (
            "year",
            "month",
            "quarter",
            "half",
            "date",
            "relative",
        ):
            if newer is None:
                return mention.period
            return _joined(mention.period, newer)
    if len(times) >= 2:
        return f"{times[0]}–{times[-1]}"
    return fallback


def _joined(older: str, newer: str) -> str:
    """Return "older–newer", a plain year given the other end's part."""
    a, b = periods.aligned(older, newer)
    return f"{a}–{b}" if periods.years_in(a)[-1:] < periods.years_in(b)[-1:] else b


def _table_period(text: str) -> str | None:
    found = _PERIODS.get(text)
    if found is None:
        if len(_PERIODS) >= _MEMO_SIZE:
            _PERIODS.clear()
        found = _PERIODS[text] = (_first_period(text),)
    return found[0]


def _first_period(text: str) -> str | None:
    for mention in periods.find_periods(text):
        if mention.kind in ("year", "range", "month", "half", "quarter", "date", "survey"):
            return mention.period
    return None


# A kommun's accounts set a budget and its deviation beside the outcome ("Utfall"):
# each is an indicator of its own, never compared with the outcome.
_ACCOUNTING_HEADS = (
    (re.compile(r"\b(?:budget)?avvikelse|\bdifferens\b|\bavvikelse\s+mot\s+budget", re.I),
     "_budgetavvikelse", "avvikelse mot budget"),
    (re.compile(r"\bbudget", re.I), "_budget", "budget"),
    (re.compile(r"prognos", re.I), "_prognos", "prognos"),
)  # fmt: skip
# (A forecast, "Prognos 2024", is what is expected, never the year's outcome.)


def _accounting_role(head: str) -> tuple[str, str] | None:
    for pattern, tail, words in _ACCOUNTING_HEADS:
        if pattern.search(head):
            return tail, words
    return None


def _table_group(row_head: str, column: str) -> str | None:
    part = _PART_ROW.match(row_head) is not None
    row_head = _PART_ROW.sub("", row_head)  # "därav pojkar"
    if part and " ".join(row_head.lower().split()) in _PART_POPULATIONS:
        return " ".join(row_head.lower().split())  # "därav barn" under persons
    if _KOMMUNGRUPP.search(row_head):
        # a group of kommuner: the row's own name, without its letter or number in the
        # list ("A. Storstäder …", "1.") or its count of kommuner ("Storstäder (3)")
        name = _GROUP_ENUMERATION.sub("", _GROUP_COUNT.sub("", row_head))
        return " ".join(name.lower().split())
    if _TOTAL_ROW.match(row_head):
        row_head = ""
    column = RATE_POPULATION.sub(" ", column)  # "Per 1 000 invånare 0–20 år"
    found = [g for g in (_head_group(row_head), _head_group(column)) if g]
    if not found:
        return None
    # the sex first, as prose says it: "flickor 0–5 år" for a row "0–5 år" under "Flickor"
    found.sort(key=lambda g: g.split()[0] not in SEXES)
    return " ".join(dict.fromkeys(found))


def _head_group(head: str) -> str | None:
    found = _GROUPS.get(head)
    if found is None:
        if len(_GROUPS) >= _MEMO_SIZE:
            _GROUPS.clear()
        found = _GROUPS[head] = (_group_of(head),)
    return found[0]


def _group_of(head: str) -> str | None:
    text = head.strip()
    if not text:
        return None
    found = find_group(f"bland {text}", 0, 0) or find_group(f"i åldern {text}", 0, 0)
    words = text.split()
    if found is None and len(words) > 1 and words[-1].istitle() and words[-1].lower() in SEXES:
        return words[-1].lower()  # "Missbruk Män": a header row of sexes under one of fields
    return found
