"""The extractor's fast scans find exactly what the plain regex scans they replace find.

Each fast path rests on a fact about the text (a boundary starts at an end mark, a word
never spans white space, a number word starts after a character that is not a word's):
these properties check the facts on hostile text against the straightforward version.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from ifo_watch.extract import catalog as catalog_module
from ifo_watch.extract import sentences
from ifo_watch.extract.catalog import Catalog

PIECES = st.sampled_from(
    [
        "t.ex.", "bl.a.", "Ca.", "ca", "kl.", "Nästa", "mening", "slut", "Tre", "tre", "tjugo",
        "en av", "var fjärde", "vart tionde", "ingen av", "alla", "samtliga", "barn", "procent",
        "ekonomiskt", "bistånd", "biståndshushåll", "långvarigt", "orosanmälningar", "hem-",
        "1 000", "50.000", "4,2", "2023", "(", ")", "”", "’", "\"", "–", "-", "/", ".", "!", "?",
        "…", ",", ";", ":", "\n", "\xa0", "A.", "Å", "Ökade", "İ", "ſ", "trend", "tio", "(tre",
        "i", "som", "med", "för", "familjer", "hushåll", "barn,", "(barn", "bistånd.", "våld”",
        "utsatta", "Lex", "Sarah:", "(barn som får", "utsatta för våld”", "i landet,", "LEX MARIA",
    ]
)  # fmt: skip
TEXT = st.lists(PIECES, max_size=40).map(" ".join) | st.text(
    alphabet=st.sampled_from(list('abtreonåäöÅÄÖT .!?…”’")(–-/,0123456789\xa0İ')), max_size=200
)


def _reference_spans(block: str) -> Iterator[tuple[int, int]]:
    begin = 0
    for m in sentences._BOUNDARY.finditer(block):
        token = sentences._LAST_TOKEN.search(block, max(begin, m.start() - 12), m.start() + 1)
        word = token.group(1).lower() if token else ""
        if word in sentences._ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        yield begin, m.end()
        begin = m.end()
    yield begin, len(block)


@settings(max_examples=300, deadline=None)
@given(block=TEXT)
def test_sentence_spans_as_a_whole_block_scan(block: str) -> None:
    """Trying the boundary only at end marks splits a block as scanning all of it does."""
    assert list(sentences._sentence_spans(block)) == list(_reference_spans(block))


_REFERENCE_NUMBER_WORD = re.compile(rf"\b(?:{sentences._NUMBER_WORDS})")


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_number_word_check_as_a_boundary_scan(text: str) -> None:
    """A number word after a non-word character is one after a word boundary."""
    expected = (
        re.search(r"[0-9]", text) is not None
        or _REFERENCE_NUMBER_WORD.search(text.lower()) is not None
    )
    assert sentences.may_hold_number(text) == expected


def _reference_present(index: catalog_module._TermIndex, text: str) -> frozenset[str]:
    lowered = text.lower()
    found: set[str] = set()
    for token in set(catalog_module._WORD.findall(lowered)):
        found |= index._of_token(token)
    for key, group in index._phrase_groups:
        if key in lowered:
            folded = catalog_module._fold_space(text)
            found.update(p for p in group if p in folded)
    return frozenset(found)


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_terms_read_piece_by_piece_as_from_the_whole_text(catalog: Catalog, text: str) -> None:
    """Reading a text between its spaces finds the terms and phrases the whole text holds."""
    index = catalog._terms
    assert index.present(text) == _reference_present(index, text)


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_content_words_read_piece_by_piece(text: str) -> None:
    """Content words come in text order, as from the words of the whole text."""
    words = catalog_module._WORD.findall(re.sub(r"\d[\d\s\xa0.,]*", " ", text.lower()))
    expected = tuple(w for w in map(catalog_module._content_lemma, words) if w)
    assert catalog_module.content_words(text) == expected


WORDS = (
    st.text(alphabet=st.sampled_from(list("abdeiklnorstuåäö-")), max_size=24)
    | st.sampled_from(
        ["biståndshushåll", "socialjouren", "orosanmälningar", "bbic-licens", "placerade"]
    )
    | st.tuples(
        st.sampled_from(["", "social", "hem", "x"]),
        st.sampled_from(
            ["barn", "våld", "jour", "dygn", "akut", "unga", "man", "män", "sol", "lvu", "bbic"]
        ),
    ).map("".join)
)


@settings(max_examples=500, deadline=None)
@given(word=WORDS)
def test_parts_of_a_word_found_by_their_first_letters(catalog: Catalog, word: str) -> None:
    """Filing parts under their first two letters finds every part a word holds."""
    index = catalog._terms
    expected = {t for t in index.parts if t == word or (len(t) >= 4 and t in word)}
    if word in index.exact:
        expected.add("=" + word)
    assert index._of_word(word) == expected
