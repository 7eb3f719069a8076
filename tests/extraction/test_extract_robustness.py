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


# --- Every date and period parser is total: any string gives a valid date, or none.

DATES = st.from_regex(
    r"(?:Publicerad:|Artikelnummer:|den)?\s?(?:19|20)\d\d-[0-3]\d-[0-3]\d|"
    r"(?:den\s)?[0-3]?\d (?:januari|februari|april|juni|september|november) (?:19|20)\d\d",
    fullmatch=True,
)


@settings(max_examples=300, deadline=None)
@given(text=DATES | SWEDISH | st.text(max_size=200))
def test_date_and_period_parsers_are_total(text: str) -> None:
    """An impossible date ("2019-11-32", "31 juni 2019") is no date; nothing raises."""
    from datetime import date

    from ifo_watch.collect.text import find_published, parse_date
    from ifo_watch.extract import periods

    for found in (parse_date(text), find_published(text), periods.dateline(text)):
        assert found is None or isinstance(found, date)
    for mention in periods.find_periods(text):
        if mention.kind == "date" and mention.period:
            date.fromisoformat(mention.period)
    assert periods.survey_year(text) is None or 1900 < periods.survey_year(text) < 2100
    # With a year to count from ("tre år tidigare", "tredje kvartalet") and a change's span.
    found = periods.find_periods(text, published=date(2024, 3, 1), ref_year=2023)
    for mention in found:
        assert mention.period is None or periods.years_in(mention.period) or mention.kind == "name"
    span = periods.change_span("2023", found, text, at=(0, len(text)), context="2023")
    assert span is None or periods.years_in(span)


def test_an_article_number_shaped_like_an_impossible_date_is_no_date(catalog: Catalog) -> None:
    """The dateline parser once raised on "Artikelnummer: 2019-11-32" (a real first line)."""
    text = "Socialstyrelsen\nArtikelnummer: 2019-11-32\n\nUnder 2018 fick 4 000 barn stöd."
    figures = extract(Document(url="x", text=text), catalog=catalog)
    assert [(f.quote, f.period) for f in figures] == [("4 000", "2018")]


@settings(max_examples=40, deadline=None)
@given(
    content=st.binary(max_size=2000)
    | (WORDS | DATES | SWEDISH).map(lambda text: text.encode("utf-8")),
    suffix=st.sampled_from([".txt", ".html", ".pdf"]),
)
def test_extract_command_gives_figures_or_one_line(content: bytes, suffix: str) -> None:
    """`ifo-watch extract` on random bytes or Swedish-like text: JSON, or one line and exit 2."""
    import json
    import tempfile
    from pathlib import Path

    from click.testing import CliRunner

    from ifo_watch.cli import main

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"doc{suffix}"
        path.write_bytes(content)
        result = CliRunner().invoke(main, ["extract", str(path), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    if result.exit_code == 0:
        assert isinstance(json.loads(result.stdout), list)
    else:
        assert result.exit_code == 2
        assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1
