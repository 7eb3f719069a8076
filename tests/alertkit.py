"""Builders and readers shared by the notification tests and drills."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ifo_watch.models import Change, Figure, Observation
from ifo_watch.track import diff
from ifo_watch.track.store import Store

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
_ID = re.compile(r"Id `?([0-9a-f]{6,})`? · godkänn")
_OUR_LINK = re.compile(r"<https?://[^<>|\s]+\|[^<>]*>")


def change(
    n: int,
    *,
    label: str = "Orosanmälningar om barn",
    region: str | None = None,
    source: str = "https://www.socialstyrelsen.se/nyheter/{n}/",
    sentence: str | None = None,
    old: float | None = 331000,
    old_source: str = "seeds/003_7572ba5ba7aebb5f.txt",
) -> Change:
    """Return a change of one made-up indicator, found in one made-up document."""
    new_fig = Figure(
        metric=f"orosanmalningar_{n}",
        label=label,
        value=400000 + n,
        unit="antal",
        quote=f"{400000 + n}",
        sentence=sentence or f"Under 2023 kom {400000 + n} orosanmälningar in (nummer {n}).",
        period="2023",
        region=region,
    )
    new = Observation(new_fig, source=source.format(n=n))
    before = None
    if old is not None:
        old_fig = replace(new_fig, value=old, quote="331 000", period="2018", sentence="")
        before = Observation(old_fig, source=old_source)
    return diff.make_change((new_fig.metric, region, None), new, before)


def queue(store: Store, changes: list[Change], *, destination: str = "slack") -> list[str]:
    """Record changes as pending and queue them for a destination; return their ids."""
    ids = []
    for c in changes:
        store.add_change(replace(c, status="pending", found_at=NOW))
        store.enqueue(c.id or "", destination, now=NOW)
        ids.append(c.id or "")
    return ids


def new_store(path: Path, count: int = 0, **kwargs: Any) -> tuple[Store, list[str]]:
    """Open a store in a folder with `count` changes queued for the main channel."""
    store = Store.open(path)
    return store, queue(store, [change(n, **kwargs) for n in range(count)])


def change_ids(text: str) -> list[str]:
    """Return the change ids a digest text names, in order."""
    return _ID.findall(text)


def slack_texts(message: dict[str, Any]) -> list[str]:
    """Return every text of a message Slack would parse: the fallback and each block's."""
    texts = [message.get("text") or ""]
    for block in message.get("blocks") or []:
        inner = block.get("text") or {}
        texts.append(inner.get("text", ""))
        for element in block.get("elements") or []:
            texts.append(element.get("text", ""))
    return texts


def unescaped_markup(message: dict[str, Any]) -> list[str]:
    """Return the < and > that are not part of one of ifo-watch's own links (should be none)."""
    found = []
    for text in slack_texts(message):
        text = re.sub(r"(?m)^> ", "", text)  # a block quote of ifo-watch's own
        found += re.findall(r"[<>]", _OUR_LINK.sub("", text))
    return found
