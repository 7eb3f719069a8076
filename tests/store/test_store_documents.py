"""Document versions, figures and validators for conditional GET."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ifo_watch.models import Document, Fetched, Figure, Table
from ifo_watch.track.store import Store

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
URL = "https://www.socialstyrelsen.se/statistik-och-data/statistik/ekonomiskt-bistand/"


def _fetched(body: bytes, etag: str) -> Fetched:
    return Fetched(
        url=URL,
        content=body,
        content_type="text/html",
        fetched_at=NOW,
        etag=etag,
        last_modified="Fri, 20 Nov 2026 08:00:00 GMT",
    )


def _doc(text: str) -> Document:
    table = Table(caption="Hushåll", header=(("År", "Antal"),), rows=(("2023", "146 000"),))
    return Document(
        url=URL, text=text, title="Ekonomiskt bistånd", published=date(2026, 5, 8), tables=(table,)
    )


def test_last_version_gives_validators(tmp_path: Path) -> None:
    """last_version returns the ETag, Last-Modified and hash of the latest version."""
    store = Store.open(tmp_path)
    assert store.last_version(URL) is None
    first = _fetched(b"<p>v1</p>", '"a1"')
    store.add_version(_doc("v1"), source="ss-stat", fetched=first, now=NOW)
    second = _fetched(b"<p>v2</p>", '"b2"')
    store.add_version(_doc("v2"), source="ss-stat", fetched=second, now=NOW + timedelta(days=1))
    last = store.last_version(URL)
    assert last is not None
    assert (last.etag, last.content_hash) == ('"b2"', second.content_hash)
    assert tuple(last) == ('"b2"', "Fri, 20 Nov 2026 08:00:00 GMT", second.content_hash)


def test_same_content_is_one_version(tmp_path: Path) -> None:
    """The same content at the same URL is not stored twice; changed content is."""
    store = Store.open(tmp_path)
    fetched = _fetched(b"<p>v1</p>", '"a1"')
    v1, new1 = store.add_version(_doc("v1"), source="s", fetched=fetched, now=NOW)
    v1b, new1b = store.add_version(_doc("v1"), source="s", fetched=fetched, now=NOW)
    v2, new2 = store.add_version(
        _doc("v2"), source="s", fetched=_fetched(b"<p>v2</p>", '"b"'), now=NOW
    )
    assert (new1, new1b, new2) == (True, False, True)
    assert v1 == v1b != v2
    assert store.counts()["document_versions"] == 2
    assert store.counts()["documents"] == 1


def test_versions_round_trip(tmp_path: Path) -> None:
    """A stored version comes back as the same Document, tables included."""
    store = Store.open(tmp_path)
    doc = _doc("Antalet hushåll var 146 000 år 2023.")
    store.add_version(doc, source="s", fetched=None, now=NOW)
    (stored,) = store.versions()
    assert stored.document == doc
    assert stored.source == "s"


def test_figures_keep_extractor_version(tmp_path: Path) -> None:
    """Figures are stored with their version and extractor version; re-recording replaces."""
    store = Store.open(tmp_path)
    vid, _ = store.add_version(_doc("t"), source="s", fetched=None, now=NOW)
    fig = Figure(
        metric="hushall_ekonomiskt_bistand",
        label="Hushåll med ekonomiskt bistånd",
        value=146000,
        unit="antal",
        quote="146 000",
        sentence="Antalet hushåll var 146 000 år 2023.",
        period="2023",
        group="hushåll med barn",
        offset=21,
    )
    store.add_figures(vid, [fig], extractor_version="1")
    store.add_figures(vid, [fig], extractor_version="1")
    store.add_figures(vid, [fig, fig], extractor_version="2")
    assert store.figures(vid, extractor_version="1") == [fig]
    assert len(store.figures(vid)) == 3
