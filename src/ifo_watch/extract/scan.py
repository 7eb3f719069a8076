"""Cheap tests and scans over text, shared by the extractor's parsers.

A regex over a whole sentence is the costly step of extraction: these decide, with
substring tests that run in C, whether one needs to run at all, and let a pattern
written in lower case read the lower-cased text (a case-insensitive scan takes up to
twice as long).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

_DIGITS = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")


def holds_any(text: str, parts: tuple[str, ...]) -> bool:
    """Tell whether text holds one of the parts as a substring.

    A loop of substring tests: a generator over the parts costs twice as much.
    """
    for part in parts:  # noqa: SIM110 - any() over a generator costs twice as much
        if part in text:
            return True
    return False


@functools.lru_cache(maxsize=16)
def lowered(text: str) -> str:
    """Return `text.lower()`, remembered for the last few texts.

    A sentence is lower-cased by a dozen tests (of its numbers, periods, places and
    each figure's words); lower-casing Swedish text runs letter by letter through the
    Unicode tables. Too few are kept to carry anything from one document to the next.
    """
    return text.lower()


def search_at_starts(
    pattern: re.Pattern[str],
    starts: re.Pattern[str],
    text: str,
    pos: int = 0,
    endpos: int | None = None,
) -> re.Match[str] | None:
    """Return `pattern.search(text, pos, endpos)`, the pattern tried only where `starts`
    finds the beginning of a match in the lower-cased text.

    For an IGNORECASE pattern that opens with "\\b", which the engine tests at every
    position: `starts`, a case-sensitive pattern in lower case that opens with letters,
    lets it skip to them. Every match of `pattern` must begin with a match of `starts`
    in the lower-cased text (see `may_hold_words` for the letters that read the same).
    """
    end = len(text) if endpos is None else endpos
    lower = lowered(text)
    if len(lower) != len(text) or "ı" in lower or "ſ" in lower:
        return pattern.search(text, pos, end)
    start = starts.search(lower, pos, end)
    while start is not None:
        found = pattern.match(text, start.start(), end)
        if found is not None:
            return found
        start = starts.search(lower, start.start() + 1, end)
    return None


def scan_lower_at_starts(
    pattern: re.Pattern[str], starts: re.Pattern[str], text: str, lower: str
) -> Iterator[re.Match[str]]:
    """Find what `scan_lower(pattern, text, lower)` finds, the pattern tried only where
    `starts` finds the beginning of a match in the lower-cased text.

    For a pattern that opens with "\\b" or an optional part, which the engine tries at
    every position: `starts`, a pattern the engine can skip ahead to, must match where
    every match of `pattern` begins.
    """
    if len(lower) != len(text):
        return scan_lower(pattern, text, lower)
    return _finditer_at_starts(pattern, starts, lower)


def _finditer_at_starts(
    pattern: re.Pattern[str], starts: re.Pattern[str], lower: str
) -> Iterator[re.Match[str]]:
    """Yield `pattern.finditer(lower)`'s matches (none of them empty), tried at `starts`."""
    end = 0
    start = starts.search(lower)
    while start is not None:
        at = start.start()
        if at >= end:
            found = pattern.match(lower, at)
            if found is not None:
                yield found
                end = found.end()
        start = starts.search(lower, max(at + 1, end))


def may_hold_words(text: str, words: tuple[str, ...]) -> bool:
    """Tell whether text may hold one of some words of letters, case-insensitively as a
    pattern compiled with IGNORECASE reads them: a cheap test before such a scan.

    Read in the lower-cased text, where every letter a case-insensitive pattern takes
    for one of "a"-"z", "å", "ä", "ö", "é" is that letter, but for three: the dotless
    "ı" and the long "ſ" (kept by str.lower()) and the dotted "İ" (which it makes two
    characters). A text holding any of them may hold the words.
    """
    lower = lowered(text)
    if len(lower) != len(text) or "ı" in lower or "ſ" in lower:
        return True
    return holds_any(lower, words)


def has_digit(text: str) -> bool:
    """Tell whether text holds a digit 0-9: the pre-check before any number is looked for.

    Numbers are read in ASCII digits only; the Swedish texts write no other. Ten
    substring tests are several times faster than a regex search for a Unicode digit.
    """
    return holds_any(text, _DIGITS)


@functools.lru_cache(maxsize=32)
def _ignore_case(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """Return the case-insensitive twin of a pattern written in lower case."""
    return re.compile(pattern.pattern, re.IGNORECASE)


def scan_lower(pattern: re.Pattern[str], text: str, lower: str) -> Iterator[re.Match[str]]:
    """Find a pattern written in lower case in the text, at the text's own offsets.

    `lower` is `text.lower()`. When lower-casing changed the length (rare letters such
    as "İ"), its offsets are not the text's: the text as written is read instead,
    case-insensitively.
    """
    if len(lower) == len(text):
        return pattern.finditer(lower)
    return _ignore_case(pattern).finditer(text)
