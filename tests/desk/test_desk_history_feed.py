"""history: a chart at 80 columns, csv and json; feed: an Atom feed with stable entry ids."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import feedparser
from deskkit import NOW, OROS, Desk, fig

from ifo_watch.extract import Catalog
from ifo_watch.models import Document
from ifo_watch.notify import entry_id
from ifo_watch.track import baseline

HISTORY = Path(__file__).parent / "history_orosanmalningar.txt"


def test_history_draws_a_chart_at_80_columns_without_wrapping_keys(desk: Desk) -> None:
    """The label, the key whole on its own line, a plotext chart and the series' table."""
    code, out, err = desk.run("history", "orosanmalningar")
    assert (code, err) == (0, "")
    lines = [line.rstrip() for line in out.splitlines()]
    assert "\n".join(lines) + "\n" == HISTORY.read_text("utf-8")
    assert max(len(line) for line in out.splitlines()) <= 80
    assert lines[1].split(" · ")[0] == "orosanmalningar"


def test_history_without_two_periods_draws_no_chart(desk: Desk) -> None:
    """One figure is a table, not a chart."""
    assert desk.run("history", "hemlosa_personer")[1].replace(" ", "").splitlines() == [
        "Personerihemlöshet",
        "hemlosa_personer·antal·1uppgift",
        "",
        "PeriodVärdeCitatKällaPublicerad",
        "─" * 59,
        "20173300033000Lägesrapport20232023-03-31",
    ]


def test_history_csv(desk: Desk) -> None:
    """--format csv: a header row, then one row per figure, oldest period first."""
    code, out, _ = desk.run("history", "orosanmalningar", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "metric",
        "label",
        "unit",
        "region",
        "group",
        "period",
        "value",
        "qualifier",
        "quote",
        "source",
        "published",
    ]
    assert [(r["period"], r["value"], r["published"]) for r in rows] == [
        ("2018", "331000", "2023-03-31"),
        ("2021", "422000", "2024-05-14"),
        ("2023", "402000", "2024-05-14"),
    ]


def test_history_json(desk: Desk) -> None:
    """--format json: one array; each figure with its indicator, place and source."""
    code, out, _ = desk.run("history", "långvarigt", "--format", "json")
    assert code == 0
    assert json.loads(out)[-1] == {
        "metric": "barn_langvarigt_ekonomiskt_bistand",
        "label": "Barn i familjer med långvarigt ekonomiskt bistånd",
        "unit": "antal",
        "region": None,
        "group": None,
        "period": "2023",
        "value": 56000,
        "qualifier": "närmare",
        "quote": "närmare 56 000",
        "source": "https://skr.se/nyheter/socialjour-i-lanen/",
        "published": "2024-06-02",
    }


def test_feed_is_atom_that_feedparser_reads_and_its_ids_are_stable(
    desk: Desk, tmp_path: Path
) -> None:
    """-o FILE: an Atom feed without bozo; a second run gives the same entry ids and times."""
    target = tmp_path / "www" / "ifo-watch.xml"
    assert desk.run("feed", "-o", str(target)) == (
        0,
        f"feed: 4 entries written to {target}\n",
        "",
    )
    written = target.read_bytes()
    first = feedparser.parse(written)
    assert not first.bozo, first.get("bozo_exception")
    assert first.feed.title == "ifo-watch: ändrade uppgifter"
    desk.run("feed", "-o", str(target))
    assert target.read_bytes() == written  # nothing happened: the same feed, byte for byte
    ids = desk.ids()
    desk.run("accept", ids["orosanmalningar"])
    desk.run("feed", "-o", str(target))
    second = feedparser.parse(target.read_bytes())
    assert not second.bozo
    assert sorted(e.id for e in second.entries) == sorted(e.id for e in first.entries)
    assert second.entries[0].id == entry_id(ids["orosanmalningar"])  # updated: now first
    assert {e.id for e in first.entries} == {entry_id(i) for i in ids.values()}
    changed = {e.id: e.updated for e in second.entries}
    for entry in first.entries:  # only the accepted change's update time moved
        moved = entry.id == entry_id(ids["orosanmalningar"])
        assert (changed[entry.id] != entry.updated) == moved


def test_feed_first_entry(desk: Desk) -> None:
    """The newest change first: its title, times, link, and the Swedish text of the digest."""
    code, out, _ = desk.run("feed")
    assert code == 0
    entry = feedparser.parse(out.encode("utf-8")).entries[0]
    change_id = desk.ids()["barn_langvarigt_ekonomiskt_bistand"]
    assert entry.id == entry_id(change_id)
    assert entry.title == (
        "Barn i familjer med långvarigt ekonomiskt bistånd: "
        "drygt 50 000 (2021) → närmare 56 000 (2023), +6 000 (+12,0 %)"
    )
    assert (entry.published, entry.updated) == ("2024-06-03T06:00:00Z", "2024-06-03T06:00:00Z")
    assert entry.link == "https://skr.se/nyheter/socialjour-i-lanen/"
    assert entry.tags[0].term == "barn_langvarigt_ekonomiskt_bistand"
    assert entry.content[0].value.replace("\xa0", " ") == (
        "Barn i familjer med långvarigt ekonomiskt bistånd: drygt 50 000 (2021) → "
        "närmare 56 000 (2023), +6 000 (+12,0 %)\n"
        "Citat: ”Det var närmare 56 000 år 2023.”\n"
        "Källa: Socialjouren i länen (SKR, 2024-06-02) https://skr.se/nyheter/socialjour-i-lanen/\n"
        "Tidigare: Lägesrapport 2023 (Socialstyrelsen, 2023-03-31) "
        "https://www.socialstyrelsen.se/publikationer/lagesrapport-2023/\n"
        f"Status: väntar på granskning · id {change_id}\n"
        f"Godkänn: ifo-watch accept {change_id}"
    )


def test_feed_of_one_indicator(desk: Desk) -> None:
    """--metric: that indicator's changes only, in a feed of its own id."""
    code, out, _ = desk.run("feed", "--metric", "orosanmalningar")
    parsed = feedparser.parse(out.encode("utf-8"))
    assert code == 0 and not parsed.bozo
    assert [e.tags[0].term for e in parsed.entries] == ["orosanmalningar"]
    assert parsed.feed.title == "ifo-watch: ändrade uppgifter – orosanmalningar"
    everything = feedparser.parse(desk.run("feed")[1].encode("utf-8"))
    assert parsed.feed.id != everything.feed.id


def test_feed_strips_what_xml_cannot_carry(desk: Desk, desk_catalog: Catalog) -> None:
    """Control characters in page text never break the feed."""
    doc = Document(
        url="https://example.se/trasig",
        text="x",
        title="Rubrik\x00 med \x1b[31mkontrolltecken\x0c",
    )
    baseline.ingest(
        desk.store(),
        doc,
        [fig("orosanmalningar", OROS, 500000, "2025", sentence="Det var\x07 500 000.\x1b[2J")],
        now=NOW,
        extractor_version="t",
        catalog=desk_catalog,
    )
    parsed = feedparser.parse(desk.run("feed")[1].encode("utf-8"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    content = parsed.entries[0].content[0].value
    assert "Citat: ”Det var 500 000.”" in content
    assert "Källa: Rubrik med kontrolltecken (2025-" not in content  # no date: none published
    assert "Källa: Rubrik med kontrolltecken https://example.se/trasig" in content
