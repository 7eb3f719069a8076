"""Swedish lemmas from simplemma, memoised so that most runs never load its dictionary.

simplemma's Swedish dictionary has about a million entries and takes two seconds to
load, which would dominate `ifo-watch extract` on one page. Every lemma is simplemma's
own answer; only where it comes from differs:

1. a table shipped with the package (data/lemmas-sv.tsv), made by
   `scripts/build_lemma_table.py` from the vocabulary of IFO publications;
2. a per-user cache of the words looked up since (under $XDG_CACHE_HOME/ifo-watch);
3. simplemma itself, loaded on the first word neither knows.

Both tables name the simplemma version that made them and are ignored under another,
so an upgrade never mixes two lemmatisers' answers.
"""

from __future__ import annotations

import atexit
import os
import tempfile
from functools import cache
from importlib.metadata import version
from pathlib import Path

from ifo_watch.resources import data_file

TABLE = "lemmas-sv.tsv"
# simplemma's lemma is another word's: the modal "ska" is no "skola" (school), whatever a
# table or a user's cache says
OVERRIDES = {
    "ska": "ska",
    "skall": "ska",
    "skulle": "ska",
    "färre": "färre",  # fewer, never "få" (get)
    "färst": "färre",
    "mödrarna": "mor",
    "vuxen": "vuxen",  # an adult (a row "Vuxen" of an account), never "växa" (grow)
    "missbruk": "missbruk",  # the noun (substance abuse), never the verb "missbruka"
    "sol": "sol",  # SoL, socialtjänstlagen, never the verb "sola"
}


def simplemma_version() -> str:
    """Return the installed simplemma version, the key of every lemma table."""
    return version("simplemma")


def read_table(path: Path) -> dict[str, str]:
    """Read a lemma table; empty when missing, unreadable or from another simplemma."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError:
        return {}
    if not lines or lines[0] != f"# simplemma {simplemma_version()}":
        return {}
    table: dict[str, str] = {}
    for line in lines[1:]:
        word, _, lemma = line.partition("\t")
        if word and lemma:
            table[word] = lemma
    return table


def write_table(path: Path, table: dict[str, str]) -> None:
    """Write a lemma table atomically (a temp file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"{w}\t{table[w]}\n" for w in sorted(table))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".lemmas-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(f"# simplemma {simplemma_version()}\n{body}")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def lemmatize(word: str) -> str:
    """Return simplemma's lemma of a lower-case Swedish word."""
    import simplemma

    return str(simplemma.lemmatize(word, lang="sv")).lower()


class Lemmas:
    """Lemmas with a shipped table, a user cache and simplemma behind them."""

    def __init__(self, *, shipped: Path | None, cache_file: Path | None) -> None:
        self._known = read_table(shipped) if shipped else {}
        self._cache_file = cache_file
        self._cached = read_table(cache_file) if cache_file else {}
        self._known.update(self._cached)
        self._known.update(OVERRIDES)
        self._new = 0

    def __call__(self, word: str) -> str:
        """Return the lemma of a lower-case word."""
        found = self._known.get(word)
        if found is None:
            found = self._known[word] = self._cached[word] = lemmatize(word)
            self._new += 1
        return found

    def save(self) -> None:
        """Keep the words looked up in this run for the next one; never fails the run."""
        if self._cache_file is None or not self._new:
            return
        try:
            write_table(self._cache_file, self._cached)
            self._new = 0
        except OSError:
            pass  # a read-only home only makes the next run slower


def user_cache_file() -> Path | None:
    """Return the per-user lemma cache, or None when IFO_WATCH_LEMMA_CACHE is 'off'."""
    setting = os.environ.get("IFO_WATCH_LEMMA_CACHE", "")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ifo-watch" / TABLE


@cache
def default() -> Lemmas:
    """Return the process-wide lemmas, saving new words when the process ends."""
    lemmas = Lemmas(shipped=data_file(TABLE), cache_file=user_cache_file())
    atexit.register(lemmas.save)
    return lemmas


def lemma(word: str) -> str:
    """Return the Swedish lemma of a lower-case word."""
    return default()(word)
