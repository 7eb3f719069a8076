"""Lemmas: the shipped table and the user cache only ever give simplemma's answer."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ifo_watch.extract import lemmas
from ifo_watch.extract.lemmas import Lemmas, lemmatize, read_table, write_table
from ifo_watch.resources import data_file


def test_shipped_table_agrees_with_simplemma() -> None:
    """A sample of the shipped table equals simplemma's own lemmas but for the overrides
    (rebuild it if not)."""
    table = read_table(data_file(lemmas.TABLE))
    assert len(table) > 2000, "scripts/build_lemma_table.py has not been run for this simplemma"
    sample = random.Random(7).sample(sorted(table), 150)
    assert {w: table[w] for w in sample} == {
        w: lemmas.OVERRIDES.get(w) or lemmatize(w) for w in sample
    }


def test_overrides_win_over_simplemma_table_and_cache(tmp_path: Path) -> None:
    """ "ska" is the modal even where simplemma, a shipped table or a user's cache says
    "skola" (school): a rule's "ska" never names a school."""
    assert lemmatize("ska") == "skola"  # what the overrides are for
    stale = tmp_path / "stale.tsv"
    write_table(stale, {"ska": "skola", "färre": "få"})
    found = Lemmas(shipped=stale, cache_file=stale)
    assert (found("ska"), found("skulle"), found("färre")) == ("ska", "ska", "färre")


def test_new_words_are_cached_for_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A word looked up once is read from the cache next time, without simplemma."""
    cache = tmp_path / "cache" / "lemmas.tsv"
    first = Lemmas(shipped=None, cache_file=cache)
    assert first("placeringarna") == lemmatize("placeringarna")
    first.save()

    def no_simplemma(word: str) -> str:
        raise AssertionError(f"simplemma was asked for {word}")

    monkeypatch.setattr(lemmas, "lemmatize", no_simplemma)
    second = Lemmas(shipped=None, cache_file=cache)
    assert second("placeringarna") == first("placeringarna")


def test_table_of_another_simplemma_is_ignored(tmp_path: Path) -> None:
    """A table written under another simplemma version is not trusted."""
    path = tmp_path / "old.tsv"
    write_table(path, {"barnen": "barn"})
    assert read_table(path) == {"barnen": "barn"}
    path.write_text(path.read_text("utf-8").replace("# simplemma ", "# simplemma 0.0.1-"), "utf-8")
    assert read_table(path) == {}


def test_unwritable_cache_never_fails(tmp_path: Path) -> None:
    """A cache that cannot be written only costs speed."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cached = Lemmas(shipped=None, cache_file=blocker / "sub" / "lemmas.tsv")
    cached("kommunerna")
    cached.save()
