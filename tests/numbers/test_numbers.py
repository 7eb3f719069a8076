"""Swedish number expressions: the data table in cases.tsv, intervals and parse_number."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pytest

from ifo_watch.extract.numbers import NumberMatch, find_numbers, hedge_class, interval, parse_number

CASES = Path(__file__).with_name("cases.tsv")
COLUMNS = ("text", "quote", "value", "unit", "per", "qualifier", "low", "high", "measure", "noun")


@dataclass(frozen=True)
class Expected:
    """One expected match, read from a row of cases.tsv."""

    quote: str
    value: float
    unit: str
    per: str | None
    qualifier: str | None
    low: float
    high: float
    measure: str
    noun: str | None
    check_noun: bool


def _unescape(cell: str) -> str:
    return cell.replace("\\u00a0", "\u00a0").replace("\\u202f", "\u202f")


def _row(cells: list[str]) -> Expected:
    cells = cells + [""] * (len(COLUMNS) - len(cells))
    row = dict(zip(COLUMNS, cells, strict=True))
    value = float(row["value"])
    return Expected(
        quote=_unescape(row["quote"]),
        value=value,
        unit=row["unit"],
        per=row["per"] or None,
        qualifier=row["qualifier"] or None,
        low=float(row["low"]) if row["low"] else value,
        high=float(row["high"]) if row["high"] else value,
        measure=row["measure"] or "level",
        noun=row["noun"] or None,
        check_noun=row["noun"] != "*",
    )


def load_cases() -> dict[str, list[Expected]]:
    """Group the rows of cases.tsv by text, keeping file order."""
    cases: dict[str, list[Expected]] = {}
    lines = CASES.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    for line in lines:
        if not line.strip() or line.startswith("#") or line.startswith("text\t"):
            continue
        cells = line.split("\t")
        text = _unescape(cells[0])
        expected = cases.setdefault(text, [])
        if cells[1] != "-":
            expected.append(_row(cells))
    return cases


CASE_TABLE = load_cases()


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-6)


def _describe(m: NumberMatch) -> str:
    return (
        f"{m.quote!r} value={m.value} unit={m.unit} per={m.per} qualifier={m.qualifier} "
        f"[{m.low}, {m.high}] {m.measure} noun={m.noun}"
    )


def test_table_is_large_enough() -> None:
    """The table holds at least 180 texts, figures and non-figures both."""
    rows = sum(max(1, len(v)) for v in CASE_TABLE.values())
    assert rows >= 180
    assert sum(1 for v in CASE_TABLE.values() if not v) >= 60


@pytest.mark.parametrize("text", list(CASE_TABLE))
def test_find_numbers(text: str) -> None:
    """find_numbers gives exactly the table's matches for each text, in order."""
    expected = CASE_TABLE[text]
    got = find_numbers(text)
    assert [m.quote for m in got] == [e.quote for e in expected], [_describe(m) for m in got]
    for m, e in zip(got, expected, strict=True):
        assert text[m.start : m.end] == m.quote
        assert _close(m.value, e.value), _describe(m)
        assert (m.unit, m.per, m.qualifier, m.measure) == (e.unit, e.per, e.qualifier, e.measure)
        assert _close(m.low, e.low) and _close(m.high, e.high), _describe(m)
        if e.check_noun:
            assert m.noun == e.noun, _describe(m)


# The contract's restatement table: (value, qualifier, worded) -> (low, high).
INTERVALS = [
    (50000, "drygt", False, 50000, 55000),
    (60, "lite drygt", False, 60, 66),
    (30, "strax över", False, 30, 33),
    (50000, "över", False, 50000, 55000),
    (200, "mer än", False, 200, 220),
    (500, "fler än", False, 500, 550),
    (150, "minst", False, 150, 165),
    (40, "knappt", False, 36, 40),
    (30, "strax under", False, 27, 30),
    (56000, "närmare", False, 50400, 56000),
    (200, "nära", False, 180, 200),
    (60, "nästan", False, 54, 60),
    (25, "högst", False, 22.5, 25),
    (400, "upp till", False, 360, 400),
    (10, "under", False, 9, 10),
    (330000, "cirka", False, 313500, 346500),
    (300, "ca", False, 285, 315),
    (300, "ca.", False, 285, 315),
    (330000, "omkring", False, 313500, 346500),
    (5000, "ungefär", False, 4750, 5250),
    (70, "runt", False, 66.5, 73.5),
    (15, "kring", False, 14.25, 15.75),
    (40, None, True, 36, 44),
    (1000, None, True, 900, 1100),
    (40, "drygt", True, 40, 44),
    (25, "knappt", True, 22.5, 25),
    (43, None, False, 43, 43),
    (-10, "drygt", False, -11, -10),
    (-10, None, True, -11, -9),
    (0, "cirka", False, 0, 0),
]


@pytest.mark.parametrize(("value", "qualifier", "worded", "low", "high"), INTERVALS)
def test_interval(value: float, qualifier: str | None, worded: bool, low: float, high: float):
    """interval() gives the contract's default bounds, low <= high also for negatives."""
    got = interval(value, qualifier, worded=worded)
    assert _close(got[0], low) and _close(got[1], high), got


def test_interval_overrides_replace_one_class() -> None:
    """An override changes the factors of its class and leaves the others alone."""
    overrides = {"over": (1.0, 1.2)}
    assert interval(100, "drygt", overrides=overrides) == pytest.approx((100, 120))
    assert interval(100, "knappt", overrides=overrides) == pytest.approx((90, 100))


@pytest.mark.parametrize(
    ("qualifier", "worded", "cls"),
    [
        ("drygt", False, "over"),
        ("Lite drygt", False, "over"),
        ("strax över", False, "over"),
        ("över", True, "over"),
        ("mer än", False, "over"),
        ("fler än", False, "over"),
        ("minst", False, "over"),
        ("knappt", False, "under"),
        ("strax under", False, "under"),
        ("närmare", False, "under"),
        ("nära", False, "under"),
        ("nästan", True, "under"),
        ("högst", False, "under"),
        ("upp till", False, "under"),
        ("under", False, "under"),
        ("cirka", False, "about"),
        ("ca", False, "about"),
        ("omkring", True, "about"),
        ("ungefär", False, "about"),
        ("runt", False, "about"),
        ("kring", False, "about"),
        ("<", False, "under"),
        ("≥", False, "over"),
        ("~", True, "about"),
        (None, True, "worded"),
        (None, False, None),
        ("bara", False, None),
    ],
)
def test_hedge_class(qualifier: str | None, worded: bool, cls: str | None) -> None:
    """Each contract qualifier falls in its class; a qualifier beats 'worded'."""
    assert hedge_class(qualifier, worded=worded) == cls


def test_restatements_from_the_contract() -> None:
    """The contract's restatement pairs overlap through the intervals find_numbers gives."""

    def one(text: str) -> NumberMatch:
        (m,) = find_numbers(text)
        return m

    def restate(a: NumberMatch, b: NumberMatch) -> bool:
        hedged = [(x, y) for x, y in ((a, b), (b, a)) if x.low != x.high]
        return bool(hedged) and all(x.low <= y.value <= x.high for x, y in hedged)

    assert restate(one("över 50 000 barn"), one("drygt 50 000 barn"))
    assert restate(one("43 procent av barnen"), one("drygt två av fem barn"))
    assert restate(one("331 000 anmälningar"), one("omkring 330 000 anmälningar"))
    assert restate(one("närmare 1 000 om dagen"), one("tusen om dagen"))
    assert restate(one("62 procent av kommunerna"), one("sex av tio kommuner"))
    assert not restate(one("drygt 50 000 barn"), one("närmare 56 000 barn"))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("50 000", 50000),
        ("50\u00a0000", 50000),
        ("50\u202f000", 50000),
        ("50.000", 50000),
        ("1.234.567", 1234567),
        ("225106", 225106),
        ("4,2", 4.2),
        ("1 234,5", 1234.5),
        ("−3,5", -3.5),
        ("-12", -12),
        ("0", 0),
        ("tre", 3),
        ("Tre", 3),
        ("tjugo", 20),
        ("tjugofem", 25),
        ("tusen", 1000),
        ("hundra", 100),
        ("tvåhundra", 200),
        ("två tusen", 2000),
        ("tretton", 13),
        ("sexton", 16),
        ("åttio", 80),
        ("en miljon", 1e6),
        ("1,2 miljoner", 1.2e6),
        ("10,7 miljarder", 1.07e10),
        ("350 tusen", 350000),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    """parse_number reads bare Swedish numbers in digits and in words."""
    got = parse_number(text)
    assert got is not None and _close(got, value)


@pytest.mark.parametrize(
    "text", ["", "abc", "50 procent", "drygt 50", "2023-03-31", "tre kommuner", "en tre", "1,2,3"]
)
def test_parse_number_rejects(text: str) -> None:
    """parse_number gives None for anything that is not one bare number."""
    assert parse_number(text) is None


def test_number_match_is_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """NumberMatch's fields are Final: mypy rejects an assignment to one."""
    from mypy import api

    monkeypatch.setenv("MYPYPATH", str(Path(__file__).parents[2] / "src"))
    snippet = (
        "from ifo_watch.extract.numbers import find_numbers\n"
        "m = find_numbers('Antalet ökade med 17 procent.')[0]\n"
        "print(m.start, m.end, m.quote, m.value, m.unit, m.per, m.qualifier, m.low, m.high,\n"
        "      m.measure, m.worded, m.noun, m.direction)\n"
        "m.value = 1.0\n"
    )
    out, _, status = api.run(
        ["--strict", f"--cache-dir={tmp_path}", "--config-file=", "-c", snippet]
    )
    assert status == 1
    assert out.count("error:") == 1 and 'Cannot assign to final attribute "value"' in out


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("Antalet ökade med 17 procent.", "up"),
        ("Antalet steg med 1 200 under året.", "up"),
        ("Sedan 2010 har 33 procent fler kommuner fått licens.", "up"),
        ("Andelen minskade med 2 procentenheter.", "down"),
        ("Det var 3 000 färre än året innan.", "down"),
        ("En minskning med 8 procent.", "down"),
        ("Förändringen var −2 procentenheter.", None),
        ("Andelen var 43 procent.", None),
    ],
)
def test_change_direction(text: str, direction: str | None) -> None:
    """A change says which way its words go; a level has no direction."""
    (m,) = find_numbers(text)
    assert m.direction == direction


def test_never_raises_on_odd_input() -> None:
    """Empty, whitespace-only and control-character text give no match and no error."""
    for text in ["", " ", "\n\n", "\x00\x01", "−", "-", "%", "procent", "av", "var"]:
        assert find_numbers(text) == []
