"""Which stored series a figure continues when its indicator has no catalog entry.

A figure whose indicator the catalog does not know gets a key derived from the words
around it ("antal_chatta_mejl_samtal_telefonsamtal"). A year later the same indicator
is worded otherwise ("besvarade 67 912 samtal, mejl och chattar") and its derived key
differs, so the series would never be compared. `links` pairs such a key with the one
stored series it most plausibly continues, and only when the evidence is plain:

- the same kind of key (unit prefix, direction of a change, "per" denominator), the same
  unit, measure and "per", the same region and group;
- the new key has no baseline entry of its own, and the document does not also state
  the stored series under its own key;
- the two word sets (words of three letters or more; a census day such as "_1_okt" is
  part of the kind) share at least two words that are not population words (barn,
  kvinnor, personer, kommun ...: shared by many indicators, they are no evidence), and
  all shared words are at least 0.6 of the smaller set; a compound counts as its head
  ("telefonsamtal" ~ "samtal"), a lemma's inflection as the lemma ("familjeomsorgen" ~
  "familjeomsorg");
- the values are of one order (the larger at most 1.4 times the smaller: a year's
  change of one indicator rarely exceeds that, and wider lets unrelated figures of one
  topic link), the stored period not after the new one;
- one best candidate: a tie links nothing, and each stored series continues at most
  one new key per document.

Pure: the caller reads the candidates from the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ifo_watch.extract import DERIVED_KEYS
from ifo_watch.models import Figure
from ifo_watch.track.diff import Key, period_end

# Words that name who or what is counted: shared by many indicators, never enough alone.
_POPULATION = DERIVED_KEYS.population | {"kommun", "hushall"}
# What a lemma left of a noun's inflection: the definite and plural endings
_ENDINGS = frozenset({"n", "t", "en", "et", "er", "ar", "or", "na", "erna", "arna", "orna"})
_MIN_SHARED = 2
_MIN_OVERLAP = 0.6
_MAX_RATIO = 1.4
_MIN_WORD = 3
_MIN_HEAD = 4  # the shortest compound head that stands for its compound


def kind_and_words(key: str) -> tuple[str, frozenset[str]] | None:
    """Return a derived key's kind (direction, prefix, per) and its words; None if not derived."""
    parts = key.split("_")
    direction = ""
    if parts and parts[0] in DERIVED_KEYS.directions:
        direction, parts = parts[0], parts[1:]
    if len(parts) < 2 or parts[0] not in DERIVED_KEYS.prefixes:
        return None
    prefix, words = parts[0], parts[1:]
    per = ""
    if "per" in words:
        at = words.index("per")
        per, words = "_".join(words[at:]), words[:at]
    # "..._1_okt", "..._1_nov": a census day is part of the kind, not a word
    day = ""
    if len(words) >= 2 and (
        (words[-2].isdigit() and words[-1] in DERIVED_KEYS.day_months)
        or words[-2:] == ["vid", "tidpunkt"]  # a stock on a day of a report's own
    ):
        day, words = "_".join(words[-2:]), words[:-2]
    # "e_tjanst" (e-tjänst): a letter of a hyphened compound is no word of its own
    words = [w for w in words if len(w) >= _MIN_WORD]
    if not words:
        return None
    return f"{direction}/{prefix}/{per}/{day}", frozenset(words)


def prefix_of(key: str) -> str | None:
    """Return the start every key of a derived key's kind shares ("okning_antal_"), or None."""
    parts = key.split("_")
    head = parts[:2] if parts and parts[0] in DERIVED_KEYS.directions else parts[:1]
    if kind_and_words(key) is None:
        return None
    return "_".join(head) + "_"


def _same_word(a: str, b: str) -> bool:
    """Return True for one word, a compound and its head, or two forms of one noun."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) < _MIN_HEAD:
        return False
    # "telefonsamtal" ~ "samtal"; "familjeomsorgen" ~ "familjeomsorg", never "hemloshet" ~ "hemlos"
    return long.endswith(short) or (long.startswith(short) and long[len(short) :] in _ENDINGS)


def shared_words(a: frozenset[str], b: frozenset[str]) -> list[str]:
    """Return the words of `a` that `b` has too, a compound matching its head."""
    return [w for w in sorted(a) if any(_same_word(w, v) for v in b)]


def _words_fit(new_words: frozenset[str], old_words: frozenset[str]) -> tuple[int, float] | None:
    """Return how many words two keys share and their share of the smaller set, if enough."""
    shared = shared_words(new_words, old_words)
    if len([w for w in shared if w not in _POPULATION]) < _MIN_SHARED:
        return None
    overlap = len(shared) / min(len(new_words), len(old_words))
    if overlap < _MIN_OVERLAP:
        return None
    return len(shared), overlap


def candidates(new: Iterable[Key], stored: Iterable[Key]) -> set[Key]:
    """Return the stored keys whose kind, place and words could continue one of the new keys."""
    olds = [(key, kw) for key in stored if (kw := kind_and_words(key[0])) is not None]
    out: set[Key] = set()
    for key in new:
        kw = kind_and_words(key[0])
        if kw is None:
            continue
        out.update(
            old_key
            for old_key, (kind, words) in olds
            if kind == kw[0] and old_key[1:] == key[1:] and _words_fit(kw[1], words)
        )
    return out


def _score(
    new: tuple[frozenset[str], Figure], old: tuple[frozenset[str], Figure]
) -> tuple[int, float, float] | None:
    (new_words, fig), (old_words, was) = new, old
    if (fig.unit, fig.measure, fig.per) != (was.unit, was.measure, was.per):
        return None
    fit = _words_fit(new_words, old_words)
    if fit is None:
        return None
    lo, hi = sorted((abs(fig.value), abs(was.value)))
    if lo <= 0 or hi / lo > _MAX_RATIO or (fig.value < 0) != (was.value < 0):
        return None
    new_end, old_end = period_end(fig.period), period_end(was.period)
    if new_end is not None and old_end is not None and old_end > new_end:
        return None
    return fit[0], fit[1], -hi / lo


def links(
    new: Mapping[Key, Figure],
    stored: Mapping[Key, Figure],
    present: Sequence[Key] = (),
) -> dict[Key, Key]:
    """Return, for new derived keys without a baseline entry, the stored key each continues.

    `new`: each such key with its figure; `stored`: the candidate baseline entries (any
    keys: those not derived are skipped) with their current figure; `present`: every key
    the document states, whose stored series are not free to continue another key.
    """
    taken = set(present)
    pairs: list[tuple[tuple[int, float, float], Key, Key]] = []
    olds = [
        (key, kw, fig)
        for key, fig in stored.items()
        if key not in taken and (kw := kind_and_words(key[0])) is not None
    ]
    for key, fig in new.items():
        kw = kind_and_words(key[0])
        if kw is None:
            continue
        scored = [
            (score, old_key)
            for old_key, (kind, words), was in olds
            if kind == kw[0]
            and old_key[1:] == key[1:]
            and (score := _score((kw[1], fig), (words, was))) is not None
        ]
        if not scored:
            continue
        scored.sort(reverse=True)
        if len(scored) > 1 and scored[0][0] == scored[1][0]:
            continue  # two stored series fit as well: no evidence which
        pairs.append((scored[0][0], key, scored[0][1]))
    out: dict[Key, Key] = {}
    used: set[Key] = set()
    for _, key, old_key in sorted(pairs, reverse=True):
        if old_key not in used:
            out[key] = old_key
            used.add(old_key)
    return out
