"""Properties of find_numbers on any text, and a guard against regex backtracking."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ifo_watch.extract.numbers import find_numbers, parse_number

# Pieces of Swedish number prose, so generated text often comes close to real forms.
PIECES = [
    "drygt", "knappt", "cirka", "ca.", "närmare", "strax över", "mer än", "upp till", "över",
    "under", "var", "vart", "fjärde", "tjugonde", "en", "ett", "två", "tre", "av", "fem",
    "tio", "tusen", "hundra", "hälften", "tredjedel", "fjärdedelar", "samtliga", "alla",
    "kommuner", "barn", "procent", "%", "procentenheter", "kronor", "kr", "tkr", "mnkr",
    "miljoner", "miljarder", "år", "års", "dagar", "om dagen", "per", "i veckan", "ökade med",
    "minskade med", "fler", "färre", "respektive", "och", "från", "till", "mellan", "-tal",
    "50-tal", "2021", "2000-talet", "50 000", "50\u00a0000", "4,2", "−3", "-", "–", "§",
    "kap.", "sidan", "kl.", "08:11", "075-247 43 07", "2023-03-31", "18 apr 2023", ",", ".",
    "(", ")", " ", "  ", "\n", "0", "1", "9", "000",
]  # fmt: skip

prose = st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join)
any_text = st.one_of(st.text(max_size=300), prose)


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_never_raises_and_quotes_are_spans(text: str) -> None:
    """Every match quotes the sentence exactly at its span, in order, without overlaps."""
    matches = find_numbers(text)
    last_end = 0
    for m in matches:
        assert text[m.start : m.end] == m.quote
        assert m.start >= last_end and m.end > m.start
        assert m.low <= m.value <= m.high or abs(m.value) < 1e-9
        assert m.measure in ("level", "change")
        last_end = m.end


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_parse_number_never_raises(text: str) -> None:
    """parse_number gives a float or None for any text."""
    assert parse_number(text) is None or isinstance(parse_number(text), float)


N = 100_000
ADVERSARIAL = {
    "digits": "1" * N,
    "digits_spaces": "1 " * (N // 2),
    "digit_groups": "123 " * (N // 4),
    "dots": "." * N,
    "commas": "," * N,
    "dots_digits": "1." * (N // 2),
    "commas_digits": "1," * (N // 2),
    "ones": " ".join(["1"] * (N // 2)),
    "dashes": "- " * (N // 2),
    "minus_digits": "-1" * (N // 2),
    "en_dashes": "1–" * (N // 2),
    "spaces": " " * N,
    "nbsp_groups": "1\u00a0000\u00a0" * (N // 8),
    "qualifiers": "drygt " * (N // 6) + "50",
    "qualified_numbers": "drygt 1 000 " * (N // 12),
    "words": "tre " * (N // 4),
    "compound": "tjugo" * (N // 5),
    "shares": "två av fem " * (N // 11),
    "var": "var " * (N // 4) + "fjärde",
    "per": "per " * (N // 4) + "1 000 barn",
    "dates": "18 apr " * (N // 7),
    "phones": "08-555 " * (N // 7),
    "colons": "1:" * (N // 2),
    "mixed": "ca 1,2 miljoner −3 % över 50.000 - - 2020–2022 " * (N // 48),
    "one_word": "a" * (N // 2) + "1" * (N // 2),
    "tal": "1" * N + "-tal",
    "brackets": "(" * N + "5",
    "var_chain": "var " * (N // 4) + "tredje kommun",
    "en_av_chain": "en av " * (N // 6) + "fem",
    "samtliga": "samtliga " * (N // 9) + "kommuner",
    "per_chain": "per 1 000 " * (N // 10),
    "ranges": "1–2 " * (N // 4),
    "years": "2021 " * (N // 5),
    "months_digits": "mars 12 " * (N // 8),
    "slashes": "1/" * (N // 2),
    "sections": "§ " * (N // 2) + "5",
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_input_is_fast(name: str) -> None:
    """100 000 characters of digit, space or punctuation runs never backtrack for long.

    They take well under a second; the guard is generous so that a loaded CI machine
    passes, while runaway backtracking (minutes) still fails.
    """
    text = ADVERSARIAL[name]
    started = time.perf_counter()
    find_numbers(text)
    assert time.perf_counter() - started < 10.0


def _swedish(n: int, sep: str) -> str:
    """Write an integer the Swedish way: groups of three digits from the right."""
    digits = str(n)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sep.join(groups)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**12),
    st.sampled_from([" ", "\u00a0", "\u202f", "."]),
    st.sampled_from(["barn", "kommuner", "anmälningar"]),
)
def test_counts_written_with_separators_read_back(n: int, sep: str, noun: str) -> None:
    """A count written with any Swedish thousands separator is read back exactly."""
    text = f"Antalet var {_swedish(n, sep)} {noun} under året."
    (m,) = find_numbers(text)
    assert m.value == n and m.unit == "antal" and m.noun == noun


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=0, max_value=9),
    st.sampled_from(["procent", "%", "procentenheter"]),
)
def test_decimal_shares_read_back(whole: int, tenth: int, unit: str) -> None:
    """A share with a decimal comma is read back with its unit."""
    text = f"Andelen var {whole},{tenth} {unit} i fjol."
    (m,) = find_numbers(text)
    assert abs(m.value - (whole + tenth / 10)) < 1e-9
    assert m.unit == ("procentenheter" if unit == "procentenheter" else "procent")


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_the_parsers_themselves_never_raise(text: str) -> None:
    """find_numbers guards against exceptions; the guard must never be what saves it."""
    from ifo_watch.extract import numbers

    numbers._find(text)
