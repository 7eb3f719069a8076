"""Detected changes as an Atom feed (RFC 4287), for feed readers and other bots (pure).

Each entry is one recorded change. Its id is derived from the change id alone
(`urn:uuid:` of a name-based UUID), so it is the same however often the feed is
written; `published` is when the change was found and `updated` when it was last
decided on (accepted or rejected), else when it was found. The text is Swedish, as in
the digest, and holds the values, the quoted sentence, both sources and the command
that accepts the change. Page text is stripped of characters XML 1.0 cannot carry.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from ifo_watch.models import Change
from ifo_watch.notify.manifest import publication_of
from ifo_watch.notify.render import is_web_url, values_text, where
from ifo_watch.notify.terminal import clean
from ifo_watch.track import Publication

ATOM = "http://www.w3.org/2005/Atom"
_NAMESPACE = uuid.UUID("6f0f5d2c-7a52-4d1e-9c53-1f0e3c7b9a10")  # ifo-watch's own
_STATUS = {"pending": "väntar på granskning", "accepted": "godkänd", "rejected": "avvisad"}
_XML_UNSAFE = re.compile(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def entry_id(change_id: str) -> str:
    """Return the Atom id of a change's entry: the same for the same change, always."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'change:' + change_id)}"


def feed_id(metric: str | None) -> str:
    """Return the Atom id of the feed of all changes, or of one indicator's."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'feed:' + (metric or '*'))}"


def atom_feed(
    changes: Sequence[Change],
    *,
    decided: Mapping[str, datetime],
    publications: Mapping[int, Publication],
    now: datetime,
    metric: str | None = None,
    title: str | None = None,
    link: str | None = None,
) -> str:
    """Return an Atom feed of changes, newest first; `now` dates a feed that has no entry.

    `decided` holds when decided changes were accepted or rejected, `publications`
    where their figures were published (by stored document version).
    """
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "sv"})
    _text(root, "id", feed_id(metric))
    _text(
        root,
        "title",
        title or ("ifo-watch: ändrade uppgifter" + (f" – {metric}" if metric else "")),
    )
    _text(
        root,
        "subtitle",
        "Ändrade uppgifter om individ- och familjeomsorg i Socialstyrelsens och SKR:s texter",
    )
    times = [_updated(c, decided) for c in changes]
    _text(root, "updated", _stamp(max(times, default=now)))
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", "ifo-watch")
    ET.SubElement(root, f"{{{ATOM}}}generator").text = "ifo-watch"
    if link:
        ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "href": _xml(link)})
    ordered = sorted(
        zip(changes, times, strict=True), key=lambda ct: (ct[1], ct[0].id or ""), reverse=True
    )
    for change, updated in ordered:
        _entry(root, change, updated, publications)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _entry(
    root: ET.Element, change: Change, updated: datetime, publications: Mapping[int, Publication]
) -> None:
    entry = ET.SubElement(root, f"{{{ATOM}}}entry")
    _text(entry, "id", entry_id(change.id or ""))
    _text(entry, "title", f"{where(change)}: {values_text(change)}")
    _text(entry, "published", _stamp(change.found_at or updated))
    _text(entry, "updated", _stamp(updated))
    new = publication_of(change.new, publications)
    if is_web_url(new.url):
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": _xml(new.url)})
    ET.SubElement(
        entry, f"{{{ATOM}}}category", {"term": _xml(change.metric), "label": _xml(change.label)}
    )
    _text(entry, "content", "\n".join(_body(change, publications)), type="text")


def _body(change: Change, publications: Mapping[int, Publication]) -> list[str]:
    new = publication_of(change.new, publications)
    lines = [f"{where(change)}: {values_text(change)}"]
    if change.new.figure.sentence:
        lines.append(f"Citat: ”{' '.join(change.new.figure.sentence.split())}”")
    lines.append(f"Källa: {_cite(new)}")
    if change.old is not None:
        lines.append(f"Tidigare: {_cite(publication_of(change.old, publications))}")
    status = _STATUS.get(change.status or "", change.status or "")
    lines.append(f"Status: {status} · id {change.id}")
    if change.status == "pending":
        lines.append(f"Godkänn: ifo-watch accept {change.id}")
    return lines


def _cite(pub: Publication) -> str:
    parts = [pub.title or pub.url]
    meta = ", ".join(x for x in (pub.publisher, pub.published and pub.published.isoformat()) if x)
    text = f"{parts[0]} ({meta})" if meta else parts[0]
    return f"{text} {pub.url}" if is_web_url(pub.url) and pub.title else text


def _updated(change: Change, decided: Mapping[str, datetime]) -> datetime:
    found = change.found_at or datetime(1970, 1, 1, tzinfo=UTC)
    return max(found, decided.get(change.id or "", found))


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _xml(text: str) -> str:
    return _XML_UNSAFE.sub("", clean(text))


def _text(parent: ET.Element, name: str, text: str, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{name}", attrs)
    node.text = _XML_UNSAFE.sub("", clean(text, lines=True))
    return node
