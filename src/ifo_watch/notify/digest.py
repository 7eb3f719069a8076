"""Compose one Swedish digest per destination and cycle (pure): Block Kit, text, parts.

A digest opens with a header ("ifo-watch: 5 ändrade uppgifter"), then one part per
publication (its title linked, publisher, date) with its changes: the values, the
quoted sentence, the earlier source as a link, the change id and the command that
accepts it. Corrections (`revised`) and indicators new to the baseline (`new`) have
sections of their own. Slack's limits (50 blocks a message, 3 000 characters a section,
150 a header) are met by splitting into numbered messages, never by cutting text.

Every piece of page text is escaped and every URL made safe (`render.escape`,
`render.slack_link`); each message carries a plain-text fallback, escaped the same way,
and an unescaped twin for the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from ifo_watch.models import Change
from ifo_watch.notify.render import (
    change_line,
    escape,
    is_web_url,
    slack_link,
    values_text,
    where,
)
from ifo_watch.track import Draft, Notice, Publication

SECTIONS = ("changed", "revised", "new", "review")
SECTION_TITLES = {
    "changed": "Ändrade uppgifter",
    "revised": "Rättade uppgifter (nytt värde för samma period)",
    "new": "Nya uppgifter",
    "review": "Att granska (indikatorn är osäker)",
}
CUT_MARK = "\n… (texten är förkortad här; hela meddelandet står i blocken)"


@dataclass(frozen=True)
class Entry:
    """One change of a digest with where its new and its earlier figure were published."""

    item_id: int
    change: Change
    new: Publication
    old: Publication | None = None


@dataclass(frozen=True)
class Limits:
    """Slack's limits for one message, and the size a digest part is kept under."""

    blocks: int = 50
    section_chars: int = 3000
    header_chars: int = 150
    message_chars: int = 24_000  # text per message: its fallback stays well under 40 000
    text_chars: int = 39_000  # the fallback text (Slack refuses more than 40 000)


def section_of(change: Change) -> str:
    """Return the digest section of a change: changed, revised (same period), new, review.

    A change resting on a weak identity (a key derived from the words around the
    figure) is posted apart, to be checked before anyone quotes it, never dropped.
    """
    if change.uncertain:
        return "review"
    kind: str = change.kind
    if kind == "revised":
        return "revised"
    if change.old is None:
        return "new"
    old, new = change.old.figure, change.new.figure
    same_period = old.period is not None and old.period == new.period
    if same_period and old.qualifier is None and new.qualifier is None:
        return "revised"
    return "changed"


def heading(count: int, part: int = 1, parts: int = 1) -> str:
    """Return 'ifo-watch: 5 ändrade uppgifter', numbered '(1/3)' when split."""
    noun = "ändrad uppgift" if count == 1 else "ändrade uppgifter"
    text = f"ifo-watch: {count} {noun}"
    return f"{text} ({part}/{parts})" if parts > 1 else text


# -- pieces: blocks and their text twins ---------------------------------------------------


@dataclass
class _Piece:
    blocks: list[Block] = field(default_factory=list)
    plain: list[str] = field(default_factory=list)  # lines, unescaped
    text: list[str] = field(default_factory=list)  # lines, escaped for Slack
    item_ids: list[int] = field(default_factory=list)
    notice_ids: list[int] = field(default_factory=list)

    @property
    def chars(self) -> int:
        return sum(len(line) for line in self.text)


def _sections(mrkdwn: str, limit: int) -> list[Block]:
    return [
        SectionBlock(text=MarkdownTextObject(text=chunk, verbatim=True))
        for chunk in _chunks(mrkdwn, limit)
    ]


_TOKEN = re.compile(r"<[^<>]*>|\S+|\s+")


def _chunks(text: str, limit: int) -> Iterator[str]:
    """Split mrkdwn into pieces of at most `limit` characters, lines and words kept whole."""
    chunk = ""
    for line in text.split("\n"):
        candidate = f"{chunk}\n{line}" if chunk else line
        if len(candidate) <= limit:
            chunk = candidate
            continue
        if chunk.strip():
            yield chunk
        chunk = ""
        for token in _TOKEN.findall(line):
            for piece in _split_long(token, limit):
                if chunk and len(chunk) + len(piece) > limit:
                    if chunk.strip():
                        yield chunk
                    chunk = piece.lstrip()
                else:
                    chunk += piece
    if chunk.strip():
        yield chunk


def _split_long(token: str, limit: int) -> Iterator[str]:
    """Cut a word longer than a section, never inside an entity such as '&amp;'."""
    while len(token) > limit:
        cut = limit
        amp = token.rfind("&", max(0, cut - 4), cut)
        if amp > 0 and ";" not in token[amp:cut]:
            cut = amp
        yield token[:cut]
        token = token[cut:]
    yield token


def _quote(change: Change) -> str:
    figure = change.new.figure
    return " ".join((figure.sentence or figure.quote).split())


def _meta(pub: Publication, *, prefix: str = "publicerad ") -> list[str]:
    parts = [pub.publisher] if pub.publisher else []
    if pub.published:
        parts.append(f"{prefix}{pub.published.isoformat()}")
    return parts


def _title(pub: Publication) -> str:
    return " ".join((pub.title or pub.url).split())


def _publication_piece(pub: Publication, limits: Limits, *, cont: bool) -> _Piece:
    title = _title(pub) + (" (forts.)" if cont else "")
    meta = " · ".join(_meta(pub))
    mrkdwn = f"*{slack_link(pub.url, title)}*" + (f"\n{escape(meta)}" if meta else "")
    where_line = " · ".join(p for p in (meta, pub.url if is_web_url(pub.url) else "") if p)
    plain = ["", title] + ([where_line] if where_line else [])
    return _Piece(
        blocks=[DividerBlock(), *_sections(mrkdwn, limits.section_chars)],
        plain=plain,
        text=[escape(line) for line in plain],
    )


def _section_piece(section: str, limits: Limits, *, cont: bool) -> _Piece:
    title = SECTION_TITLES[section] + (" (forts.)" if cont else "")
    return _Piece(
        blocks=_sections(f"*{escape(title)}*", limits.section_chars),
        plain=["", f"== {title} =="],
        text=["", f"== {escape(title)} =="],
    )


def _earlier(pub: Publication) -> tuple[str, str]:
    """Return the earlier source as (mrkdwn with a link, plain text)."""
    meta = ", ".join(_meta(pub, prefix=""))
    title = _title(pub)
    mrkdwn = slack_link(pub.url, title) + (f" ({escape(meta)})" if meta else "")
    plain = title + (f" ({meta})" if meta else "")
    if is_web_url(pub.url) and pub.url != title:
        plain += f" {pub.url}"
    return mrkdwn, plain


def _change_piece(entry: Entry, limits: Limits) -> _Piece:
    change = entry.change
    cid = change.id or ""
    quote = _quote(change)
    lines = [f"*{escape(where(change))}*: {escape(values_text(change))}", f"> {escape(quote)}"]
    plain = [f"• {change_line(change)}", f"  Citat: ”{quote}”"]
    if entry.old is not None:
        earlier, earlier_plain = _earlier(entry.old)
        lines.append(f"Tidigare: {earlier}")
        plain.append(f"  Tidigare: {earlier_plain}")
    if cid:
        lines.append(f"Id `{escape(cid)}` · godkänn: `ifo-watch accept {escape(cid)}`")
        plain.append(f"  Id {cid} · godkänn: ifo-watch accept {cid}")
    return _Piece(
        blocks=_sections("\n".join(lines), limits.section_chars),
        plain=["", *plain],
        text=["", *(escape(line) for line in plain)],
        item_ids=[entry.item_id],
    )


# -- packing pieces into messages ----------------------------------------------------------


@dataclass
class _Part:
    pieces: list[_Piece] = field(default_factory=list)
    section: str | None = None
    pub: str | None = None

    def blocks(self) -> int:
        return sum(len(p.blocks) for p in self.pieces)

    def chars(self) -> int:
        return sum(p.chars for p in self.pieces)

    def fits(self, more: Sequence[_Piece], limits: Limits) -> bool:
        blocks = 1 + self.blocks() + sum(len(p.blocks) for p in more)
        chars = limits.header_chars + self.chars() + sum(p.chars for p in more)
        return blocks <= limits.blocks and chars <= limits.message_chars


def _grouped(entries: Sequence[Entry]) -> list[tuple[str, str, list[Entry]]]:
    """Order entries by section, then publication (first seen first), then queue order."""
    groups: dict[tuple[str, str], list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: e.item_id):
        groups.setdefault((section_of(entry.change), entry.new.url), []).append(entry)
    keys = sorted(groups, key=lambda k: SECTIONS.index(k[0]))  # stable: publications keep order
    return [(section, url, groups[(section, url)]) for section, url in keys]


def compose_digest(entries: Sequence[Entry], *, limits: Limits = Limits()) -> list[Draft]:
    """Compose the digest of some changes as one or more numbered messages."""
    if not entries:
        return []
    groups = _grouped(entries)
    titled = {section for section, _, _ in groups} != {"changed"}
    parts: list[_Part] = [_Part()]
    for section, url, group in groups:
        for index, entry in enumerate(group):
            part = parts[-1]
            piece = _change_piece(entry, limits)
            lead = _leads(part, section, entry.new, limits, titled=titled)
            if part.pieces and not part.fits([*lead, piece], limits):
                previous, part = part, _Part()
                parts.append(part)
                lead = _leads(
                    part,
                    section,
                    entry.new,
                    limits,
                    titled=titled,
                    section_cont=previous.section == section,
                    pub_cont=index > 0,
                )
            part.pieces.extend([*lead, piece])
            part.section, part.pub = section, url
    return [
        _draft(heading(len(entries), n, len(parts)), part.pieces, limits)
        for n, part in enumerate(parts, start=1)
    ]


def _leads(
    part: _Part,
    section: str,
    pub: Publication,
    limits: Limits,
    *,
    titled: bool,
    section_cont: bool = False,
    pub_cont: bool = False,
) -> list[_Piece]:
    """Return the section title and publication heading an entry needs before it."""
    if part.section != section:
        lead = [_section_piece(section, limits, cont=section_cont)] if titled else []
        return [*lead, _publication_piece(pub, limits, cont=pub_cont)]
    if part.pub != pub.url:
        return [_publication_piece(pub, limits, cont=False)]
    return []


def _draft(title: str, pieces: Sequence[_Piece], limits: Limits, *, header: bool = True) -> Draft:
    blocks: list[Block] = [HeaderBlock(text=PlainTextObject(text=title))] if header else []
    blocks += [block for piece in pieces for block in piece.blocks]
    plain_lines = [title] if header else []
    text_lines = [title] if header else []
    for piece in pieces:
        plain_lines += piece.plain
        text_lines += piece.text
    text = "\n".join(text_lines).strip("\n")
    if len(text) > limits.text_chars:
        text = text[: limits.text_chars - len(CUT_MARK)] + CUT_MARK
    return Draft(
        text=text,
        plain="\n".join(plain_lines).strip("\n"),
        blocks=tuple(_as_dict(block) for block in blocks),
        item_ids=tuple(i for piece in pieces for i in piece.item_ids),
        notice_ids=tuple(i for piece in pieces for i in piece.notice_ids),
    )


def _as_dict(block: Block) -> dict[str, Any]:
    data: dict[str, Any] = block.to_dict()  # validates Slack's limits, or raises
    return data


# -- notices -------------------------------------------------------------------------------


def notices_heading(count: int, part: int = 1, parts: int = 1) -> str:
    """Return 'ifo-watch: 3 meddelanden om källor och leveranser', numbered when split."""
    text = f"ifo-watch: {count} meddelanden om källor och leveranser"
    return f"{text} ({part}/{parts})" if parts > 1 else text


def compose_notices(notices: Sequence[Notice], *, limits: Limits = Limits()) -> list[Draft]:
    """Compose the notices of one cycle (sources failing or back, stuck messages) as one digest.

    A single notice is sent as it is worded; several get a header and one line each.
    """
    if not notices:
        return []
    single = len(notices) == 1
    pieces = [
        _Piece(
            blocks=_sections(escape(n.text), limits.section_chars),
            plain=[n.text if single else f"• {n.text}"],
            text=[escape(n.text) if single else f"• {escape(n.text)}"],
            notice_ids=[n.id],
        )
        for n in notices
    ]
    parts: list[_Part] = [_Part()]
    for piece in pieces:
        if parts[-1].pieces and not parts[-1].fits([piece], limits):
            parts.append(_Part())
        parts[-1].pieces.append(piece)
    return [
        _draft(notices_heading(len(notices), n, len(parts)), part.pieces, limits, header=not single)
        for n, part in enumerate(parts, start=1)
    ]
