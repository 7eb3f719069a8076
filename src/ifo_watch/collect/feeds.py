"""Feed and listing-page bytes -> entries (article URLs with title, date, summary).

feedparser reads bytes only (never a URL: fetching is `fetch.py`'s job) and never
raises on a malformed feed: it flags it (`bozo`) and we keep what it could read.
Listing pages (Socialstyrelsen's and SKR's news lists) are read with BeautifulSoup.
"""

from __future__ import annotations

import html
import json
import re
import time
from datetime import date
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from ifo_watch.collect.rules import Entry
from ifo_watch.collect.soup import BeautifulSoup, Tag, bad_selector
from ifo_watch.collect.text import decode, parse_date
from ifo_watch.errors import DocumentError

_SPACES = re.compile(r"\s+")
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:rdf)[\s>]", re.I)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
_DECLARES_ENTITIES = re.compile(rb"<!ENTITY", re.I)
_NOT_ARTICLES = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|ico|css|js|zip|xml|rss)(?:$|\?)", re.I)
_MAX_ITEM_TEXT = 1500  # an item box longer than this is a page part, not one item
_MIN_TITLE = 12  # shorter link texts are menu items ("Press", "Kontakt", "RSS")


def looks_like_feed(content: bytes, content_type: str) -> bool:
    """Return True when the body is an RSS, Atom or RDF feed rather than a page."""
    ctype = content_type.split(";", 1)[0].strip().lower()
    if ctype in _FEED_TYPES:
        return True
    if "html" in ctype and b"<rss" not in content[:2048].lower():
        return False
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    match = _FEED_ROOT.search(head)
    return match is not None and b"<html" not in head[: match.start()].lower()


def parse_feed(content: bytes, *, base_url: str) -> list[Entry]:
    """Return the entries of an RSS/Atom feed in feed order, links made absolute.

    A broken feed yields the entries that could be read. `DocumentError` when the
    bytes are no feed at all: feedparser reports no error for an HTML page or an
    empty body, so its `version` is checked; and for a feed that declares XML
    entities (expansion refused before any parser sees it). Links with another
    scheme than http(s) are kept as written, for the caller to refuse aloud.
    """
    import feedparser  # imported here: `extract` of one page never needs it

    if _DECLARES_ENTITIES.search(content[:65_536]):
        raise DocumentError(f"{base_url}: a feed that declares XML entities (refused)")
    parsed = feedparser.parse(
        content, response_headers={"content-location": base_url}, sanitize_html=False
    )
    if not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        detail = f" ({_first_line(reason)})" if reason else ""
        what = "an HTML page" if b"<html" in content[:4096].lower() else "no feed"
        if not content.strip():
            what = "an empty body"
        raise DocumentError(f"{base_url}: not a feed: {what}{detail}")
    if not parsed.entries and parsed.get("bozo"):
        reason = _first_line(parsed.get("bozo_exception"))
        raise DocumentError(f"{base_url}: a broken feed without entries ({reason})")
    entries: list[Entry] = []
    seen: set[str] = set()
    for item in parsed.entries:
        href = item.get("link") or _alternate_link(item)
        url = _absolute(href, base_url) or _foreign(href)
        if url is None or url in seen:
            continue
        seen.add(url)
        entries.append(
            Entry(
                url=url,
                title=_text(item.get("title")),
                published=_entry_date(item),
                summary=_text(item.get("summary")),
            )
        )
    return entries


def _foreign(href: str | None) -> str | None:
    """Return a link with a scheme ifo-watch never fetches (file:, ftp:), to be refused."""
    if not href:
        return None
    href = href.strip()
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    if scheme and scheme not in ("http", "https") and not href.lower().startswith(_SKIP_SCHEMES):
        return href[:300]
    return None


def parse_embedded_list(
    content: bytes, *, base_url: str, marker: str, subjects: tuple[int, ...] = ()
) -> list[Entry]:
    """Return the items of a list a page embeds as JSON after `marker`, in list order.

    Socialstyrelsen's publication lists embed their items as JSON
    (`SOS.Components.PublicationCategoryList` with `name`, `url`, `articleNumber`,
    `publishOnWebFrom` and `subjectsId`); with `subjects`, only items of those
    subject ids are kept. `DocumentError` when the marker or its JSON is missing.
    """
    text = decode(content, None)
    found = text.find(marker)
    if found < 0:
        raise DocumentError(f"{base_url}: no {marker} list in the page")
    data = _json_after(text, found + len(marker))
    if data is None:
        raise DocumentError(f"{base_url}: the {marker} list is not readable JSON")
    entries: list[Entry] = []
    seen: set[str] = set()
    for item in _json_items(data):
        url = _absolute(str(item.get("url") or ""), base_url)
        if url is None or url in seen:
            continue
        if subjects and not set(_ints(item.get("subjectsId"))) & set(subjects):
            continue
        seen.add(url)
        number = item.get("articleNumber")
        published = item.get("publishOnWebFrom")
        entries.append(
            Entry(
                url=url,
                title=_text(str(item.get("name") or "")),
                published=parse_date(published) if isinstance(published, str) else None,
                summary=None,
                article_number=str(number).strip() if number else None,
            )
        )
    return entries


def _json_after(text: str, start: int) -> Any:
    """Return the first JSON object or array after `start` (raw or HTML-escaped)."""
    decoder = json.JSONDecoder()
    for candidate in (text, html.unescape(text[start : start + 2_000_000])):
        offset = start if candidate is text else 0
        for opener in ("{", "["):
            index = candidate.find(opener, offset)
            if index < 0 or index - offset > 200:
                continue
            try:
                return decoder.raw_decode(candidate, index)[0]
            except ValueError:
                continue
    return None


def _json_items(data: Any) -> list[dict[str, Any]]:
    """Return every object with a "url" in a JSON tree, in document order, without recursion."""
    found: list[dict[str, Any]] = []
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("url"), str) and ("name" in node or "articleNumber" in node):
                found.append(node)
                continue
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


def _ints(value: object) -> list[int]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, str):
        return [int(part) for part in re.findall(r"\d+", value)]
    if isinstance(value, list):
        return [n for item in value for n in _ints(item)]
    return []


def _alternate_link(item: Any) -> str | None:
    for link in item.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return None


def _entry_date(item: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = item.get(key)
        if isinstance(value, time.struct_time):
            return date(value.tm_year, value.tm_mon, value.tm_mday)
    for key in ("published", "updated", "dc_date"):
        if isinstance(item.get(key), str) and (found := parse_date(item[key])):
            return found
    return None


def _text(value: object) -> str | None:
    """Return markup-free, single-spaced text, or None when empty."""
    if not isinstance(value, str) or not value.strip():
        return None
    if "<" in value:
        value = BeautifulSoup(value, "lxml").get_text(" ")
    return _SPACES.sub(" ", value).strip() or None


def _first_line(value: object) -> str:
    lines = str(value).strip().splitlines()
    return lines[0][:120] if lines else type(value).__name__


def _absolute(href: str | None, base_url: str) -> str | None:
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith("#") or href.lower().startswith(_SKIP_SCHEMES):
        return None
    url, _fragment = urldefrag(urljoin(base_url, href))
    return url if url.startswith(("http://", "https://")) else None


# ---------------------------------------------------------------------- listings

_LISTING_ROOTS = ("main", "[role=main]", "#main-content", "#content", "body")
_LISTING_NOISE = ("nav", "header", "footer", "aside", "form", "script", "style", "noscript")
_ITEM_TAGS = ("li", "article")
_TITLE_TAGS = ("h1", "h2", "h3", "h4", "h5")


def parse_listing(
    content: bytes,
    *,
    base_url: str,
    link_selector: str | None = None,
    content_type: str | None = None,
) -> list[Entry]:
    """Return the article links of an HTML news list: absolute, deduplicated, in page order.

    With `link_selector`, the selected elements (links, or elements holding one)
    are the articles. Without, links in the page's main part that point to the
    same site and carry a title-like text are taken; menus, headers, footers and
    side columns are left out.
    """
    soup = BeautifulSoup(decode(content, content_type), "lxml")
    anchors = _selected_anchors(soup, link_selector) if link_selector else _guess_anchors(soup)
    host = _site(base_url)
    page = urldefrag(base_url)[0]
    entries: list[Entry] = []
    seen: set[str] = set()
    for anchor in anchors:
        url = _absolute(_href(anchor), base_url)
        if url is None or url in seen or url == page or _NOT_ARTICLES.search(url):
            continue
        if not link_selector and (_site(url) != host or not _title_like(anchor)):
            continue
        seen.add(url)
        entries.append(_listing_entry(anchor, url))
    return entries


def _site(url: str) -> str:
    host = urlsplit(url).netloc.lower()
    return host.removeprefix("www.")


def _href(anchor: Tag) -> str | None:
    value = anchor.get("href")
    return value if isinstance(value, str) else None


def _selected_anchors(soup: BeautifulSoup, selector: str) -> list[Tag]:
    try:
        selected = soup.select(selector)
    except bad_selector() as exc:
        raise DocumentError(f"invalid link_selector {selector!r}: {exc}") from None
    anchors: list[Tag] = []
    for node in selected:
        if node.name == "a" and node.has_attr("href"):
            anchors.append(node)
        elif isinstance(found := node.find("a", href=True), Tag):
            anchors.append(found)
    return anchors


def _guess_anchors(soup: BeautifulSoup) -> list[Tag]:
    """Return the likely article links of a listing's main part.

    News lists put each title in a heading; when at least two links sit in (or
    hold) a heading, only those count, so tag and filter links ("Barn och unga")
    are not mistaken for articles.
    """
    root: Tag = soup
    for selector in _LISTING_ROOTS:
        if isinstance(found := soup.select_one(selector), Tag):
            root = found
            break
    for node in root.find_all(_LISTING_NOISE):
        node.decompose()
    anchors = [a for a in root.find_all("a", href=True) if isinstance(a, Tag)]
    titled = [a for a in anchors if a.find_parent(_TITLE_TAGS) or a.find(_TITLE_TAGS)]
    return titled if len(titled) >= 2 else anchors


def _title_like(anchor: Tag) -> bool:
    return len(_SPACES.sub(" ", anchor.get_text(" ")).strip()) >= _MIN_TITLE


def _listing_entry(anchor: Tag, url: str) -> Entry:
    item = anchor.find_parent(_ITEM_TAGS) or anchor.parent
    if isinstance(item, Tag) and len(item.get_text(" ")) > _MAX_ITEM_TEXT:
        item = None  # the link's parent is the page itself: no date or summary of its own
    title = _text(anchor.get_text(" "))
    published: date | None = None
    summary: str | None = None
    if isinstance(item, Tag):
        stamp = item.find("time")
        if isinstance(stamp, Tag):
            published = parse_date(str(stamp.get("datetime") or "") or stamp.get_text(" "))
        if published is None:
            published = parse_date(item.get_text(" "))
        paragraph = item.find("p")
        if isinstance(paragraph, Tag) and paragraph is not anchor.find_parent("p"):
            summary = _text(paragraph.get_text(" "))
    return Entry(url=url, title=title, published=published, summary=summary)
