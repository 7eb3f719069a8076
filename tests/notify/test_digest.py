"""The digest: one Swedish Block Kit message per cycle, split within Slack's limits."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

from alertkit import change, change_ids, unescaped_markup
from fakeslack import limits_problem
from ifo_watch import resources
from ifo_watch.notify.digest import Entry, compose_digest, compose_notices, section_of
from ifo_watch.notify.manifest import publication_of, seed_publications
from ifo_watch.track import Draft, Notice, Publication

PUB_TIME = datetime(2026, 1, 1)
PUB = Publication(
    url="https://www.socialstyrelsen.se/nyheter/1/",
    title="Antalet orosanmälningar ökar",
    publisher="Socialstyrelsen",
    published=date(2024, 5, 14),
)


def _entry(n: int, pub: Publication = PUB, **kwargs: object) -> Entry:
    c = change(n, **kwargs)  # type: ignore[arg-type]
    old = publication_of(c.old, {}) if c.old else None
    return Entry(n + 1, c, pub, old)


def _as_sent(draft: Draft) -> dict[str, object]:
    return {"text": draft.text, "blocks": list(draft.blocks)}


def test_one_digest_reads_as_a_slack_user_sees_it() -> None:
    """Header, the publication linked with publisher and date, the change, quote, ids."""
    [draft] = compose_digest([_entry(0), _entry(1)])
    blocks = draft.blocks
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "ifo-watch: 2 ändrade uppgifter"},
    }
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert texts[0] == (
        "*<https://www.socialstyrelsen.se/nyheter/1/|Antalet orosanmälningar ökar>*\n"
        "Socialstyrelsen · publicerad 2024-05-14"
    )
    first = change(0)
    assert texts[1].replace("\u00a0", " ") == (
        "*Orosanmälningar om barn*: 331 000 (2018) → 400000 (2023), +69 000 (+20,8 %)\n"
        "> Under 2023 kom 400000 orosanmälningar in (nummer 0).\n"
        "Tidigare: <https://skr.se/skr/tjanster/bloggarfranskr/socialtjanstbloggen/artiklar/"
        "vikanforbattraforbarnsomfarailla.50128.html|Vi kan förbättra för barn som fara illa>"
        " (SKR)\n"
        f"Id `{first.id}` · godkänn: `ifo-watch accept {first.id}`"
    )
    assert all(b["text"].get("verbatim") for b in blocks if b["type"] == "section")
    assert draft.item_ids == (1, 2)
    assert draft.text.startswith("ifo-watch: 2 ändrade uppgifter\n\nAntalet orosanmälningar ökar")
    assert change_ids(draft.text) == [change(0).id, change(1).id]
    assert limits_problem(_as_sent(draft)) is None


def test_revised_and_new_have_sections_of_their_own() -> None:
    """Corrections of a period and new indicators come after the changes, under titles."""
    revised = change(1)
    assert revised.old is not None
    old_same_period = replace(revised.old, figure=replace(revised.old.figure, period="2023"))
    revised = replace(revised, old=old_same_period)
    assert section_of(revised) == "revised"
    entries = [
        Entry(1, change(2, old=None), PUB, None),
        Entry(2, revised, PUB, publication_of(old_same_period, {})),
        Entry(3, change(0), PUB, None),
    ]
    [draft] = compose_digest(entries)
    titles = [
        b["text"]["text"]
        for b in draft.blocks
        if b["type"] == "section"
        and b["text"]["text"].startswith("*")
        and "\n" not in b["text"]["text"]
    ]
    assert titles == [
        "*Ändrade uppgifter*",
        "*Rättade uppgifter (nytt värde för samma period)*",
        "*Nya uppgifter*",
    ]
    assert change_ids(draft.text) == [change(0).id, revised.id, change(2, old=None).id]
    assert "ny uppgift 400002 (2023)" in draft.plain


def test_page_text_can_never_ping_or_link() -> None:
    """Mentions, links and markup in page text arrive escaped, in blocks and fallback alike."""
    hostile = Publication(
        url="https://evil.example/a|<!channel> b",
        title="<!channel> <@U123> & <https://example.org|klicka här>",
        publisher="<!here>",
    )
    entry = _entry(
        0,
        hostile,
        label="Barn <!everyone>",
        region="<@U999>",
        sentence="Se <https://example.org|klicka här> & <!subteam^S1>.",
    )
    [draft] = compose_digest([entry])
    sent = _as_sent(draft)
    assert unescaped_markup(sent) == []
    body = json.dumps(sent, ensure_ascii=False)
    for raw in ("<!channel>", "<@U123>", "<!here>", "<!everyone>", "<@U999>", "<!subteam"):
        assert raw not in body
    assert "&lt;!channel&gt;" in draft.text and "&amp;" in draft.text
    assert "<https://evil.example/a%7C%3C!channel%3E%20b|" in body
    assert "<!channel>" in draft.plain  # the terminal shows the page's own words


def test_sixty_changes_arrive_as_at_most_three_well_formed_messages() -> None:
    """A 60-change cycle is split into numbered messages within every Slack limit."""
    pubs = [
        Publication(
            url=f"https://skr.se/nyhet/{p}", title=f"Nyhet {p} " + "ord " * 30, publisher="SKR"
        )
        for p in range(12)
    ]
    long = "Enligt rapporten " + "ökade antalet anmälningar i kommunerna kraftigt " * 6
    entries = [_entry(n, pubs[n % 12], sentence=long + f"({n}).") for n in range(60)]
    drafts = compose_digest(entries)
    assert 2 <= len(drafts) <= 3
    for number, draft in enumerate(drafts, start=1):
        assert (
            draft.blocks[0]["text"]["text"]
            == f"ifo-watch: 60 ändrade uppgifter ({number}/{len(drafts)})"
        )
        assert len(draft.blocks) <= 50
        assert limits_problem(_as_sent(draft)) is None
    ids = [i for d in drafts for i in change_ids(d.text)]
    assert sorted(ids) == sorted(e.change.id for e in entries) and len(set(ids)) == 60
    assert sorted(i for d in drafts for i in d.item_ids) == list(range(1, 61))


def test_a_very_long_quote_is_split_never_cut() -> None:
    """A sentence longer than a section goes into several sections, every word kept."""
    words = [f"ord{i}&" for i in range(900)]
    [draft] = compose_digest([_entry(0, sentence=" ".join(words))])
    sections = [b["text"]["text"] for b in draft.blocks if b["type"] == "section"]
    assert len(sections) >= 3 and all(len(t) <= 3000 for t in sections)
    joined = " ".join(sections)
    assert all(f"ord{i}&amp;" in joined for i in range(900))


def test_notices_of_a_cycle_are_one_message() -> None:
    """One notice is sent as worded; several share a message with a header."""
    notices = [
        Notice(
            1, "errors", "started", "a", "ifo-watch: källan a kunde inte läsas: HTTP 503", PUB_TIME
        ),
        Notice(2, "errors", "recovered", "b", "ifo-watch: källan b fungerar igen", PUB_TIME),
    ]
    [one] = compose_notices(notices[:1])
    assert one.text == "ifo-watch: källan a kunde inte läsas: HTTP 503" and one.notice_ids == (1,)
    [both] = compose_notices(notices)
    assert both.text.splitlines() == [
        "ifo-watch: 2 meddelanden om källor och leveranser",
        "• ifo-watch: källan a kunde inte läsas: HTTP 503",
        "• ifo-watch: källan b fungerar igen",
    ]
    assert both.notice_ids == (1, 2) and limits_problem(_as_sent(both)) is None


def test_every_seed_has_its_original_publication() -> None:
    """The manifest names each bundled seed's publisher and title; URLs are web links."""
    seeds = sorted(p.name for p in resources.seeds_dir().iterdir() if p.suffix == ".txt")
    manifest = seed_publications()
    assert sorted(k.removeprefix("seeds/") for k in manifest) == seeds
    for pub in manifest.values():
        assert pub.title and pub.publisher in ("Socialstyrelsen", "SKR", "JP Infonet")
        assert pub.url.startswith(("https://", "http://", "seeds/"))
    assert manifest["seeds/003_7572ba5ba7aebb5f.txt"].publisher == "SKR"
    assert manifest["seeds/002_71fa8ae7af36d67c.txt"].published == date(2007, 2, 23)
