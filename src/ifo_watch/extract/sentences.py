"""Split a document's text into blocks (headings, paragraphs) and sentences.

A line that runs on is joined to the next; abbreviations do not end a sentence; a
paragraph without any number is passed on whole, marked quiet, and never split.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from ifo_watch.extract.scan import has_digit

__all__ = ["HAS_LETTER", "Sentence", "may_hold_number", "sentences"]


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TERMINAL = (".", "!", "?", ":", ";", "…")
_ABBREVIATIONS = _wordset(
    """t.ex ex bl.a s.k ca kl m.m m.fl dvs d.v.s osv o.s.v resp jfr inkl exkl t.o.m fr.o.m
    nr kap st p.g.a pga f.d fd s sid tel tfn milj mdr mkr tkr mnkr prop bet dir jan feb mar
    apr jun jul aug sep sept okt nov dec resp ung obs forts e.d o.d dr prof doc"""
)  # fmt: skip
_UNIT_ABBREVIATIONS = _wordset("milj mdr mkr tkr mnkr")
_BOUNDARY = re.compile(r"[.!?…]+[\"”’)]*\s+(?=[\"”„'«(–—-]?\s*[A-ZÅÄÖÉÜ0-9])")
_LAST_TOKEN = re.compile(r"(\S+?)\.?[\"”’)]*$")
# Number words, matched on the lower-cased sentence (IGNORECASE makes this scan slow).
# Only whether one is there matters, so the alternation is factored by first letter (the
# engine tries a dozen branches per word instead of fifty) and a word starting with a
# listed one needs no branch of its own: "tre" covers "tretton", "trettio", "tredjedel";
# "fem" covers "femton", "femtio", "femtedel"; "tio" covers "tiondel".
_NUMBER_WORDS = (
    r"n(?:oll|io|itt(?:on|io))|t(?:vå|re|io|olv|jugo|usen)|"
    r"f(?:yr(?:a|tio|dubbl)|em|jorton|järdedel|ördubbl)|s(?:ex|ju|amtliga)|ått(?:a|io)|"
    r"e(?:lva|n\s+av|tt\s+av)|a(?:rton|lla)|h(?:undra|älften|alva|alver)|milj(?:on|ard)|"
    r"var(?:annan|tannat|\s+\w+e\b|t\s+\w+e\b)|dubb(?:elt|la)|ingen\s+av"
)
# A word starts at the beginning of the text or after a character that is not one of a
# word's: the same as a leading "\b", but the engine scans for that character in a tight
# loop instead of testing a boundary at every position. The text is read with a space
# before it, for a word at its beginning: one scan, not a match and a scan.
_NUMBER_WORD_AFTER = re.compile(f"\\W(?:{_NUMBER_WORDS})")
# The same after any character but a few letters, digits and "_" that are word characters:
# a superset of \W the engine tests from a bitmap, where \W asks the Unicode tables for
# every character. Each place it finds is tried with `_NUMBER_WORD_AFTER`.
_NUMBER_WORD_NEAR = re.compile(f"[^a-zåäöé0-9_](?:{_NUMBER_WORDS})")


def may_hold_number(text: str) -> bool:
    """Tell cheaply whether a sentence can hold a number expression at all."""
    if has_digit(text):
        return True
    # (lower-cased afresh: a whole paragraph is asked, and asked once)
    lowered = " " + text.lower()
    # Where `_NUMBER_WORD_NEAR` finds a number word, `_NUMBER_WORD_AFTER` may: tried there.
    near = _NUMBER_WORD_NEAR.search(lowered)
    while near is not None:
        if _NUMBER_WORD_AFTER.match(lowered, near.start()) is not None:
            return True
        near = _NUMBER_WORD_NEAR.search(lowered, near.start() + 1)
    return False


HAS_LETTER = re.compile(r"[A-Za-zÅÄÖåäöÉé]")


class Sentence:
    """One sentence of the document with where it stands.

    A plain class with read-only (Final) attributes, not a frozen dataclass:
    one is made for every sentence, and a frozen dataclass's __init__ costs four times as much.
    """

    __slots__ = ("block", "heading", "quiet", "start", "text")

    def __init__(
        self, text: str, start: int, heading: bool, block: int, quiet: bool = False
    ) -> None:
        self.text: Final = text
        self.start: Final = start
        self.heading: Final = heading
        self.block: Final = block
        # A whole paragraph without any number: not split, not parsed.
        self.quiet: Final = quiet

    def __repr__(self) -> str:
        return f"Sentence({self.text!r}, start={self.start}, block={self.block})"


def sentences(text: str) -> Iterator[Sentence]:
    """Yield the document's sentences in order, headings as sentences of their own.

    A line that runs on (no end punctuation, the next line starting in lower case) is
    joined to the next; abbreviations ("t.ex.", "bl.a.", "ca", "kl.") do not end a
    sentence.
    """
    for index, (start, block) in enumerate(_blocks(text)):
        heading = _is_heading(block)
        if heading:
            yield Sentence(block, start, True, index)
            continue
        if not may_hold_number(block):
            yield Sentence(block, start, False, index, quiet=True)
            continue
        for s, e in _sentence_spans(block):
            piece = block[s:e].strip()
            if piece:
                lead = len(block[s:e]) - len(block[s:e].lstrip())
                yield Sentence(piece, start + s + lead, False, index)


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    start: int | None = None
    parts: list[str] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if not stripped:
            if parts and start is not None:
                yield start, " ".join(parts)
            parts, start = [], None
        elif parts and not parts[-1].endswith(_TERMINAL) and _runs_on(parts[-1], stripped):
            parts.append(stripped)
        else:
            if parts and start is not None:
                yield start, " ".join(parts)
            start = offset + (len(line) - len(line.lstrip()))
            parts = [stripped]
        offset += len(line)
    if parts and start is not None:
        yield start, " ".join(parts)


# A line that ends in a comma or a word that never ends a sentence or a heading
# ("jämfört med 338 under" / "2022, en minskning ...") runs on even into a line that
# starts with a digit or a capital.
_RUNS_ON = re.compile(
    r"(?:,|\s(?:under|med|till|av|på|i|från|för|mot|än|och|som|om|vid|efter|per|eller|"
    r"mellan|samt|att|den|det|de|en|ett|år|åren))$",
    re.I,
)


def _runs_on(line: str, following: str) -> bool:
    """Tell whether `following` goes on with the sentence `line` leaves open.

    A long line of running text wrapped by hand goes on into a line starting with a
    number too ("… har individ- och familjeomsorgen förbrukat" / "34,9 procent av
    årsbudgeten."), unless either is a table's row (columns set apart by runs of spaces).
    """
    if following[0].islower() or _RUNS_ON.search(line[-8:]) is not None:
        return True
    return (
        following[0].isdigit()
        and len(line) >= _WRAPPED_LINE
        and line[-1].isalpha()
        and "   " not in line
        and "   " not in following
        and _NUMBERED.match(following) is None
    )


_WRAPPED_LINE = 50  # characters: a line this long without an end mark was wrapped
_NUMBERED = re.compile(r"\d{1,2}(?:\.\d{1,2})*\.?\s+[A-ZÅÄÖ]")  # "1. SAMMANFATTNING", "4.2 Vuxna"


def _is_heading(block: str) -> bool:
    if block.endswith("?"):
        # "Vad säger 2023 års kartläggning?": a short question heads what answers it
        return len(block) <= 60 and block.count(" ") < 8
    return not block.endswith(_TERMINAL) and len(block) <= 120 and block.count(" ") < 16


def _sentence_spans(block: str) -> Iterator[tuple[int, int]]:
    begin = end = 0
    for at in _end_marks(block):
        m = _BOUNDARY.match(block, at) if at >= end else None
        if m is None:
            continue
        end = m.end()
        word = _last_token(block[max(begin, m.start() - 12) : m.start() + 1]).lower()
        # (a unit's stop before a capital ends one: "39,3 mnkr. Kommunerna ...")
        unit_end = word in _UNIT_ABBREVIATIONS and block[m.end() : m.end() + 1].isupper()
        if (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())) and not unit_end:
            continue
        yield begin, m.end()
        begin = m.end()
    yield begin, len(block)


def _last_token(window: str) -> str:
    """Return what `_LAST_TOKEN.search(window)` takes as its group: the last run of
    non-space characters, less its closing quotes and then one full stop (never less
    than its first character). The window ends in the mark of a boundary, no space.
    """
    run = window.rsplit(None, 1)[-1]
    word = run.rstrip(_CLOSING)
    return run[: max(1, len(word) - 1 if word.endswith(".") else len(word))]


_CLOSING = '"”’)'


def _end_marks(block: str) -> list[int]:
    """Return where the block has a mark that can end a sentence, in order.

    A boundary starts at one of them: trying `_BOUNDARY` there alone finds what a scan of
    the whole block would, and the marks are found by substring search, not by a
    character class tested at every position.
    """
    found: list[int] = []
    for mark in ".!?…":
        at = block.find(mark)
        while at != -1:
            found.append(at)
            at = block.find(mark, at + 1)
    found.sort()
    return found
