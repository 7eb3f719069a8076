"""extract() never raises and stays fast on hostile text (long digit and punctuation runs)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ifo_watch.extract.catalog import Catalog
from ifo_watch.extract.figures import extract, sentences
from ifo_watch.models import Document, Table

SWEDISH = st.text(
    alphabet=st.sampled_from(list("0123456789 ,.–-:;()%§\n\xa0abcdefgåäöÅÄÖ")), max_size=400
)
WORDS = st.lists(
    st.sampled_from(
        [
            "drygt",
            "50 000",
            "procent",
            "var",
            "fjärde",
            "kommun",
            "i",
            "Malmö",
            "2021",
            "under",
            "samtliga",
            "(",
            ")",
            "medan",
            "per",
            "1 000",
            "barn",
            ".",
            "\n\n",
            "Jämtland",
            "år",
        ]
    ),
    max_size=80,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(text=SWEDISH | WORDS)
def test_extract_never_raises(text: str, catalog: Catalog) -> None:
    """Any text gives a list of figures whose quotes stand in their sentences."""
    figures = extract(Document(url="x", text=text), catalog=catalog)
    for fig in figures:
        assert fig.quote in fig.sentence


@settings(max_examples=50, deadline=None)
@given(cells=st.lists(st.lists(SWEDISH, min_size=1, max_size=4), max_size=5))
def test_tables_never_raise(cells: list[list[str]], catalog: Catalog) -> None:
    """Any table gives figures, or none, without raising."""
    table = Table(caption="Tabell", header=(("Län", "2020"),), rows=tuple(tuple(r) for r in cells))
    extract(Document(url="x", text="", tables=(table,)), catalog=catalog)


def test_adversarial_runs_finish(catalog: Catalog) -> None:
    """Long runs of digits, spaces and punctuation do not backtrack for ever (timeout guard)."""
    for chunk in ("1 " * 5000, "9" * 20000, ". " * 10000, "1,2 " * 4000, "(" * 5000 + "5%"):
        extract(Document(url="x", text=chunk), catalog=catalog)


def test_abbreviations_do_not_split_sentences() -> None:
    """'t.ex.', 'bl.a.', 'ca', 'kl.' and 's.k.' stay inside their sentence."""
    text = "Det gäller t.ex. socialjouren, bl.a. i s.k. glesbygd kl. 9. Nästa mening börjar här."
    assert [s.text for s in sentences(text)] == [
        "Det gäller t.ex. socialjouren, bl.a. i s.k. glesbygd kl. 9.",
        "Nästa mening börjar här.",
    ]
