"""Turn HTML, PDF and plain text into a clean `Document` (main text and tables).

Pure: no network, no clock. The HTML cleaner is generic (per-site selectors come
through `content_selector`): it keeps the page's main content, drops navigation,
cookie banners, breadcrumbs, comment and feedback forms and side columns, and
writes one block (heading, paragraph, list item) per line with blank lines
between blocks. HTML and PDF tables become `Table`s and stay out of the prose.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import urldefrag, urljoin

from ifo_watch.collect.rules import PageLinks, PageRules
from ifo_watch.collect.soup import (
    BeautifulSoup,
    Comment,
    NavigableString,
    PageElement,
    Tag,
    bad_selector,
)
from ifo_watch.errors import DocumentError
from ifo_watch.models import Document, Table

# --------------------------------------------------------------------------- dates

_MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "february": 2,
    "mars": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "maj": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "augusti": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month>[A-Za-zåäöÅÄÖ]{3,9})\.?"
_ISO_DATE = re.compile(r"(?<![\d-])(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)(?![\d-])")
_DAY_MONTH_YEAR = re.compile(rf"\b(?P<day>[0-3]?\d)\s+{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b")
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(?P<day>[0-3]?\d),\s+(?P<year>(?:19|20)\d\d)\b")
_DATE_FORMS = (_ISO_DATE, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR)

# Publication stamps, strongest first; each must not be mistaken for a figure's period.
_PUBLISHED_FORMS = (
    # "Publicerad 18 apr 2023", "Publicerad: 2023-03-31", "Publicerat den 6 mars 2012"
    re.compile(r"\bPublicera(?:d|t)\b[ \t:]*(?:den[ \t]+)?(?P<rest>[^\n|]{0,40})", re.I),
    # "den 6 mars 2012 kl. 09:00"
    re.compile(r"\b(?P<rest>(?:den\s+)?[0-3]?\d\s+[A-Za-zåäö]{3,9}\.?\s+\d{4})\s+kl\.?\s*\d"),
    # "Feb 23, 2007 08:11 CET"
    re.compile(r"\b(?P<rest>[A-Z][a-z]{2}\s+[0-3]?\d,\s+\d{4})\s+\d\d:\d\d"),
    # "2015-12-16 09:00" in press lists
    re.compile(r"(?:^|\n)[^\n]{0,120}?\b(?P<rest>\d{4}-\d\d-\d\d)\s+\d\d:\d\d\b"),
)


def parse_date(text: str) -> date | None:
    """Return the first date written as ISO, "18 apr 2023", "6 mars 2012" or "Feb 23, 2007"."""
    best: tuple[int, date] | None = None
    for form in _DATE_FORMS:
        for match in form.finditer(text):
            found = _match_date(match)
            if found is not None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), found)
                break
    return best[1] if best else None


def _match_date(match: re.Match[str]) -> date | None:
    parts = match.groupdict()
    month = int(parts["m"]) if parts.get("m") else _MONTHS.get(parts["month"].lower())
    if month is None:
        return None
    try:
        return date(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        return None


def find_published(text: str) -> date | None:
    """Return the publication date a page states ("Publicerad ...", a dateline), or None.

    Only publication stamps count; a date inside the prose ("den 1 november 2018")
    is what a figure is about, not when it was published.
    """
    for form in _PUBLISHED_FORMS:
        for match in form.finditer(text):
            found = parse_date(match.group("rest"))
            if found is not None:
                return found
    return None


# ------------------------------------------------------------------------ decoding

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)", re.I)
# Browsers read these labels as windows-1252, and so do Swedish sites that send them.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii"}


def decode(content: bytes, content_type: str | None = None) -> str:
    """Decode a body: BOM, then valid UTF-8, then the declared charset, then cp1252.

    UTF-8 is tried before the declaration because Swedish pages that declare
    ISO-8859-1 while sending UTF-8 are common, and valid UTF-8 is almost never
    Latin-1 text by accident; decoding it as Latin-1 would give mojibake ("Ã¥").
    """
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(encoding, errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for label in _declared_charsets(content, content_type):
        codec = "cp1252" if label in _AS_CP1252 else label
        try:
            return content.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        return content.decode("latin-1")


def _declared_charsets(content: bytes, content_type: str | None) -> Iterator[str]:
    if content_type and (match := _HEADER_CHARSET.search(content_type)):
        yield match.group(1).lower()
    head = content[:4096]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        if found := pattern.search(head):
            yield found.group(1).decode("ascii", "replace").lower()


# ---------------------------------------------------------------------- plain text


def text_to_document(text: str, *, url: str, publisher: str | None = None) -> Document:
    """Wrap plain text as a Document with its title, publication date and tables.

    Tables laid out in columns of spaces (annual reports, older press releases, text
    taken from PDFs) become `Table`s and leave the prose, as HTML tables do.
    """
    text = without_controls(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    prose, tables = text_tables(text)
    return Document(
        url=url,
        text=prose,
        title=_first_title_line(text),
        published=find_published(text),
        publisher=publisher,
        tables=tables,
        content_type="text/plain",
    )


# Columns of a plain-text table are set apart by two or more spaces or a tab.
_COLUMN_GAP = re.compile(r" {2,}|\t+")
_RULE_LINE = re.compile(r"\s*[-=_–—+|]{5,}\s*")
_VALUE_CELL = re.compile(r"^[-−–+]?\s?\d[\d \u00a0\u202f.,]*\s*%?$|^(?:\.\.|[-–—]|x)$")
_YEAR_CELL = re.compile(r"^(?:19|20)\d\d(?:[-–/](?:19|20)?\d\d)?$")
# Rows of a contact box or a letterhead are not data, however aligned.
_CONTACT_LABEL = re.compile(
    r"^(?:tel(?:efon)?|fax|mobil|växel|e-?post|org(?:anisations)?\.?\s?nr|bankgiro|"
    r"plusgiro|postgiro|besöksadress|postadress|sida)\b",
    re.I,
)
_CAPTION_LINES = 3
_CAPTION_CHARS = 300


def _cells(line: str) -> list[str]:
    return [cell for cell in _COLUMN_GAP.split(line.strip()) if cell]


def _data_row(cells: list[str]) -> bool:
    """A row: a label, then at least one value, and no cell of running prose."""
    if len(cells) < 2 or _CONTACT_LABEL.match(cells[0]):
        return False
    if _VALUE_CELL.match(cells[0]) and not _YEAR_CELL.match(cells[0]):
        return False  # (a year labels its row: "2021   1 437   812")
    if any(len(cell) > 60 for cell in cells):
        return False
    return any(_VALUE_CELL.match(cell) and not _YEAR_CELL.match(cell) for cell in cells[1:])


def _header_row(cells: list[str]) -> bool:
    """A header: two or more short cells of words or years, and no values."""
    return (
        len(cells) >= 2
        and all(len(cell) <= 60 for cell in cells)
        and not any(_VALUE_CELL.match(c) and not _YEAR_CELL.match(c) for c in cells)
        and not _CONTACT_LABEL.match(cells[0])
    )


def text_tables(text: str) -> tuple[str, tuple[Table, ...]]:
    """Return the text without its space-aligned tables, and those tables.

    A table is a run of lines (rule lines allowed) whose cells are set apart by two or
    more spaces: an optional header of words or years, then rows of a label and values.
    It needs a header or three rows. The paragraph just above it (a few short lines) is
    its caption and stays in the text; the table's lines become blank lines.
    """
    lines = text.split("\n")
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        found = _table_at(lines, i)
        if found is None:
            i += 1
            continue
        end, table = found
        tables.append(replace(table, caption=_caption_above_text(lines, i)))
        for k in range(i, end):
            lines[k] = ""
        i = end
    return ("\n".join(lines), tuple(tables)) if tables else (text, ())


def _table_at(lines: list[str], start: int) -> tuple[int, Table] | None:
    first = _cells(lines[start])
    header: tuple[str, ...] | None = None
    i = start
    if _header_row(first) and not _data_row(first):
        header = tuple(first)
        i += 1
        # "Barn som anmälan" / "gällde": a header cell wrapped onto the lines below,
        # each piece under the cell it continues
        while i < len(lines) and i - start <= _HEADER_LINES:
            merged = _header_continued(lines[start], header, lines[i])
            if merged is None:
                break
            header = merged
            i += 1
    rows: list[tuple[str, ...]] = []
    while i < len(lines):
        line = lines[i]
        if _RULE_LINE.fullmatch(line):
            i += 1
            continue
        cells = _cells(line)
        if not _data_row(cells) and rows and len(cells) == 1 and i + 1 < len(lines):
            # "Ekonomiskt bistånd inkl." / "handläggning   72 000   69 310": a label
            # wrapped onto the next line, whose values stand there
            wrapped = _cells(lines[i + 1])
            if _data_row(wrapped) and wrapped[0][:1].islower():
                cells = [f"{cells[0]} {wrapped[0]}", *wrapped[1:]]
                i += 1
        if not _data_row(cells):
            break
        rows.append(tuple(cells))
        i += 1
    while i > start and _RULE_LINE.fullmatch(lines[i - 1]):
        i -= 1
    if len(rows) < (2 if header else 3):
        return None
    width = max(len(row) for row in rows)
    if header is not None and len(header) == width - 1:
        header = ("", *header)  # the label column has no heading
    return i, Table(caption=None, header=(header,) if header else (), rows=tuple(rows))


def _header_continued(first: str, header: tuple[str, ...], line: str) -> tuple[str, ...] | None:
    """Return the header with a continuation line's pieces added under their cells, or
    None when the line is no continuation (blank, a rule, a row, or off the columns)."""
    if not line.strip() or _RULE_LINE.fullmatch(line) or _data_row(_cells(line)):
        return None
    starts = [m.start() for m in _CELL_TEXT.finditer(first)]
    if len(starts) != len(header):
        return None
    cells = list(header)
    for piece in _CELL_TEXT.finditer(line):
        column = max((k for k, at in enumerate(starts) if at <= piece.start() + 2), default=-1)
        if column < 0 or _VALUE_CELL.match(piece.group()):
            return None
        cells[column] = f"{cells[column]} {piece.group()}"
    return tuple(cells)


_CELL_TEXT = re.compile(r"\S+(?: \S+)*")
_HEADER_LINES = 3  # a header wraps onto at most this many more lines


def _caption_above_text(lines: list[str], start: int) -> str | None:
    """The short paragraph just above a table (a blank line between is allowed)."""
    end = start
    while end > 0 and (not lines[end - 1].strip() or _RULE_LINE.fullmatch(lines[end - 1])):
        end -= 1
        if start - end > 2:
            return None
    top = end
    while top > 0 and lines[top - 1].strip() and not _RULE_LINE.fullmatch(lines[top - 1]):
        top -= 1
    block = [line.strip() for line in lines[top:end]]
    caption = " ".join(block)
    if not block or len(block) > _CAPTION_LINES or len(caption) > _CAPTION_CHARS:
        return None
    return _SPACES.sub(" ", caption)


# A first line that is only the publisher's name is a masthead, not the title.
_MASTHEADS = {"socialstyrelsen", "skr", "sveriges kommuner och regioner", "pressmeddelande"}


def _first_title_line(text: str) -> str | None:
    """Return the first line that reads as a headline (the first line with letters when
    none does). A paper's masthead ("ESKILSTUNABLADET", "Dagens Socialtjänst"), a menu or
    breadcrumb ("Nyheter | Eskilstuna | Sport"), a skip link, a lone section word
    ("Eskilstuna", "Nyhet"), a dateline or diarienummer, and a line that goes on from
    one before ("med helårsprognos") are none; a kommun's name in capitals is one."""
    first = None
    for line in text.splitlines():
        line = line.strip()
        if sum(ch.isalpha() for ch in line) < 3 or line.lower() in _MASTHEADS:
            continue
        first = first or line
        words = _LETTER_WORD.findall(line)
        if any(ch.islower() for ch in line):
            # a name in title case ("Dagens Socialtjänst", "Sala Allehanda") is a masthead:
            # Swedish headlines are written in sentence case
            named = 2 <= len(words) <= 4 and all(w[0].isupper() and not w.isupper() for w in words)
            headline = len(line.split()) >= 2 and not line[0].islower() and not named
        else:
            headline = len(words) >= 2  # "VÄSTERVIKS KOMMUN", not "SOCIALSTYRELSEN 1(4)"
        label = " | " in line and len(words) <= _LABEL_WORDS  # "Granskning | Barn och unga"
        if (
            headline
            and not label
            and len(_MENU_SEPARATOR.findall(line)) < 2  # "Nyheter | Eskilstuna | Sport"
            and not _NOT_A_TITLE.match(line)
        ):
            return line
    return first


_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
_LABEL_WORDS = 6
# A menu or breadcrumb ("Nyheter | Sport", "Start / Om oss / Pressrum", "Start > Nyheter")
_MENU_SEPARATOR = re.compile(r"\s[|/>›»]\s|\S\s{3,}(?=\S)")
# A skip link, a dateline ("Pressmeddelande 2019-11-27"), a diarienummer
_NOT_A_TITLE = re.compile(
    r"(?:(?:hoppa|gå)\s+till\s+(?:huvudinnehåll|innehåll|sidans)|publicerad|uppdaterad|"
    r"senast\s+uppdaterad|datum|dnr|diarienummer|dokumentdatum|\S+\s+\d{4}-\d\d-\d\d)\b",
    re.I,
)


# ---------------------------------------------------------------------------- HTML

_DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed",
    "canvas", "form", "nav", "aside", "footer", "button", "select", "input",
    "textarea", "dialog", "link", "meta",
)  # fmt: skip
# class / id / aria-label fragments of page furniture on Swedish public-sector sites.
_NOISE = re.compile(
    r"cookie|consent|kakor|gdpr|breadcrumb|brodsmula|skip-?link|skip-?to|share|dela-|"
    r"social-?media|sidebar|side-?col|sidokolumn|related|relaterat|upptack|discover|"
    r"comment|kommentar|feedback|page-?rating|hjalpte|newsletter|nyhetsbrev|"
    r"print|utskrift|toolbar|listen|lyssna|readspeaker|language|sprak|search|sok-|"
    r"pagination|tags|etiketter|site-?header|site-?footer|global-?header|global-?footer",
    re.I,
)
_NOISE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog"}
# Headings of side columns and widgets; the section they open is dropped.
_NOISE_HEADINGS = re.compile(
    r"^(upptäck mer|relaterat|relaterade (sidor|artiklar|nyheter)|läs också|läs mer|"
    r"dela( sidan| artikeln)?|dela på sociala medier|hjälpte informationen på sidan dig\??|"
    r"var sidan till hjälp\??|lämna en kommentar|kommentarer|kommentera|"
    r"prenumerera.*|senaste nytt|mer om ämnet|hitta på sidan|innehåll på sidan)$",
    re.I,
)
_COOKIE_TEXT = re.compile(r"\b(kakor|cookies?)\b", re.I)
_BLOCK_TAGS = {
    "address", "article", "blockquote", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul", "caption",
}  # fmt: skip
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SPACES = re.compile(r"[ \t\r\n\f\v\u200b]+")
# Where the main text may be when no site rule says, in order: what the CSS selectors
# main, [role=main], article, #main-content, #maincontent, #content and .main-content
# match, as bs4 filters, so that a page without site rules needs no CSS engine.
_MAIN_CANDIDATES: tuple[dict[str, Any], ...] = (
    {"name": "main"},
    {"attrs": {"role": "main"}},
    {"name": "article"},
    {"id": "main-content"},
    {"id": "maincontent"},
    {"id": "content"},
    {"class_": "main-content"},
)


log = logging.getLogger("ifo_watch")
MAX_DEPTH = 256  # deeper elements are flattened to their text (generated pages, attacks)


def html_to_document(
    content: bytes,
    *,
    url: str,
    content_type: str = "text/html",
    content_selector: str | None = None,
    publisher: str | None = None,
) -> Document:
    """Return the main text and tables of an HTML page as a Document."""
    return read_html(
        content,
        url=url,
        content_type=content_type,
        content_selector=content_selector,
        publisher=publisher,
    )[0]


def read_html(
    content: bytes,
    *,
    url: str,
    content_type: str = "text/html",
    content_selector: str | None = None,
    publisher: str | None = None,
    rules: PageRules | None = None,
) -> tuple[Document, PageLinks]:
    """Return the main text and tables of an HTML page, and the links to its reports.

    A site's rules pick the title, date and main text when they match; the generic
    cleaner reads everything they do not. Work grows linearly with the page:
    nothing recurses, and elements nested deeper than `MAX_DEPTH` are flattened to
    their text (with one warning line).
    """
    rules = rules or PageRules()
    soup = BeautifulSoup(decode(content, content_type), "lxml")
    if _flatten_deep(soup, MAX_DEPTH):
        log.warning("warning: %s: nesting deeper than %d levels flattened", url, MAX_DEPTH)
    links = _page_links(soup, url, rules)
    title = _rule_text(soup, rules.title) or _html_title(soup)
    published = _rule_date(soup, rules) or _meta_published(soup)
    selectors = tuple(rules.content) + ((content_selector,) if content_selector else ())
    root = _content_root(soup, selectors)
    _strip_noise(root)
    # After the side columns are gone, so a related article's <time> is not taken.
    published = published or _time_published(root)
    tables = _take_tables(root) + _take_pre_tables(root)
    blocks = list(_blocks(root))
    text = without_controls("\n\n".join(blocks))
    if published is None:
        published = find_published(text)
    if title is None and blocks:
        title = blocks[0]
    title = without_controls(title) if title else title
    doc = Document(
        url=url,
        text=text,
        title=title,
        published=published,
        publisher=publisher or _site_name(soup),
        tables=tables,
        content_type="text/html",
    )
    return doc, links


def _flatten_deep(soup: BeautifulSoup, limit: int) -> bool:
    """Replace what lies deeper than `limit` elements with its text; True when anything did."""
    flattened = False
    stack: list[tuple[Tag, int]] = [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        for child in node.children:
            if not isinstance(child, Tag):
                continue
            if depth + 1 >= limit and child.find(True) is not None:
                text = child.get_text(" ")
                child.clear()
                child.append(text)
                flattened = True
            else:
                stack.append((child, depth + 1))
    return flattened


def _select(soup: BeautifulSoup | Tag, selector: str) -> list[Tag]:
    try:
        return [node for node in soup.select(selector) if isinstance(node, Tag)]
    except bad_selector():
        return []  # a sites file with a bad selector falls back to the generic reading


def _rule_text(soup: BeautifulSoup, selectors: Iterable[str]) -> str | None:
    for selector in selectors:
        for node in _select(soup, selector):
            if text := _clean(node.get_text(" ")):
                return text
    return None


def _rule_date(soup: BeautifulSoup, rules: PageRules) -> date | None:
    pattern = re.compile(rules.published_pattern) if rules.published_pattern else None
    for selector in rules.published:
        for node in _select(soup, selector):
            text = _attr(node, "datetime") or _clean(node.get_text(" "))
            if pattern is not None:
                match = pattern.search(text)
                if match is None:
                    continue
                text = match.groupdict().get("date") or match.group(0)
            if found := parse_date(text):
                return found
    return None


def _page_links(soup: BeautifulSoup, url: str, rules: PageRules) -> PageLinks:
    def absolute(node: Tag) -> str | None:
        href = _attr(node, "href").strip()
        if not href or href.startswith("#"):
            return None
        target = urldefrag(urljoin(url, href))[0]
        return target if target.lower().startswith(("http://", "https://")) else None

    def matched(selectors: Iterable[str]) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for selector in selectors:
            for node in _select(soup, selector):
                anchor = node if node.name == "a" else node.find("a", href=True)
                if isinstance(anchor, Tag) and (target := absolute(anchor)):
                    found[target] = None
        return tuple(found)

    anchors: dict[str, None] = {}
    for node in soup.find_all("a", href=True):
        if isinstance(node, Tag) and (target := absolute(node)):
            anchors[target] = None
    return PageLinks(
        reports=matched(rules.report_links),
        tables=matched(rules.table_links),
        anchors=tuple(anchors),
    )


def _attr(node: Tag, name: str) -> str:
    value = node.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return value or ""


def without_controls(text: str) -> str:
    """Return the text without terminal escape sequences and control characters.

    A page may carry "\x1b]0;hacked\x07" or "\x1b[2J": no reader's text, and the "0" of
    an escape sequence is no figure.
    """
    if not _MAY_CONTROL.search(text):
        return text
    return _CONTROL_CHARS.sub(" ", _ESCAPES.sub(" ", text))


_MAY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# CSI ("\x1b[2J"), OSC ("\x1b]0;title\x07"), and any other escape's next character
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _html_title(soup: BeautifulSoup) -> str | None:
    for node in soup.find_all("meta"):
        if _attr(node, "property").lower() == "og:title" and _clean(_attr(node, "content")):
            return _clean(_attr(node, "content"))
    heading = soup.find("h1")
    if isinstance(heading, Tag) and _clean(heading.get_text(" ")):
        return _clean(heading.get_text(" "))
    if soup.title and soup.title.string:
        return _clean(str(soup.title.string)) or None
    return None


_SITE_SEPARATOR = re.compile(r"\s+[-|–—]\s+")
_SITE_CHARS = 60


def _site_name(soup: BeautifulSoup) -> str | None:
    """Return the site a page's <title> names after its own title ("... - Hultsfreds kommun").

    The publisher of a page read without a source: a kommun's or a region's own site
    speaks of that place.
    """
    if not soup.title or not soup.title.string:
        return None
    parts = _SITE_SEPARATOR.split(_clean(str(soup.title.string)))
    if len(parts) < 2 or not 0 < len(parts[-1]) <= _SITE_CHARS:
        return None
    return parts[-1]


_DATE_METAS = {"article:published_time", "date", "dc.date", "dcterms.created"}


def _meta_published(soup: BeautifulSoup) -> date | None:
    for node in soup.find_all("meta"):
        key = (_attr(node, "property") or _attr(node, "name")).lower()
        if key in _DATE_METAS and (found := parse_date(_attr(node, "content"))):
            return found
    return None


def _time_published(root: Tag) -> date | None:
    for node in root.find_all("time"):
        if found := parse_date(_attr(node, "datetime") or node.get_text(" ")):
            return found
    return None


def _take_pre_tables(root: Tag) -> tuple[Table, ...]:
    """Take the tables laid out in spaces inside <pre> (older press releases), as in
    plain text; what else a <pre> holds (its caption) stays as prose."""
    tables: list[Table] = []
    for node in root.find_all("pre"):
        prose, found = text_tables(node.get_text())
        if found:
            tables.extend(found)
            node.clear()
            node.append(prose)
    return tuple(tables)


def _take_tables(root: Tag) -> tuple[Table, ...]:
    """Remove the data tables from the tree and return them; layout tables stay as prose."""
    tables: list[Table] = []
    for node in root.find_all("table"):
        if node.parent is None:
            continue  # gone with an enclosing data table
        parts = _TableParts(node)
        if _is_layout_table(node, parts):
            continue  # a page-layout grid
        table = _html_table(node, parts)
        if table.caption is None and (title := _title_above(node)) is not None:
            table = replace(table, caption=title)
        elif table.caption is not None and _is_unit_line(table.caption):
            # A caption that only gives the unit ("Miljoner kronor, löpande priser")
            # takes the heading right above as its title.
            heading = _title_above(node, headings_only=True)
            if heading is not None:
                table = replace(table, caption=f"{heading}. {table.caption}")
        node.decompose()
        if table.rows or table.header:
            tables.append(table)
    return tuple(tables)


def _title_above(node: Tag, *, headings_only: bool = False) -> str | None:
    """Return the heading or "Tabell 1. ..." line right above a table without a caption:
    its title, with the unit and year its cells leave out."""
    above = node.find_previous_sibling(True)
    if above is None:
        return None
    text = _clean(above.get_text(" "))
    if not text or len(text) > _TITLE_CHARS:
        return None
    if above.name in _HEADINGS:
        return text
    if headings_only:
        return None
    if _TABLE_TITLE.match(text) or _is_unit_line(text):
        # "Löpande priser, miljoner kronor": the unit of every cell below
        return text
    return None


def _is_unit_line(text: str) -> bool:
    """Tell a short line that only gives a unit ("Miljoner kronor, löpande priser")."""
    return (
        len(text) <= _UNIT_LINE_CHARS
        and not text.endswith(".")
        and not any(c.isdigit() for c in _YEARS.sub("", text))
        and _UNIT_LINE.search(text) is not None
    )


_TITLE_CHARS = 200
_TABLE_TITLE = re.compile(r"(?:tabell|tab\.)\s*\d+\b", re.I)
_UNIT_LINE_CHARS = 80
_YEARS = re.compile(r"\b(?:19|20)\d\d\b")
_UNIT_LINE = re.compile(
    r"\b(?:miljoner|miljarder|tusental|tusen)\s+kronor\b|\b(?:tkr|mnkr|mdkr)\b|"
    r"\bkronor\s+per\s+invånare\b|\b(?:antal|procent)\s*$",
    re.I,
)


class _TableParts:
    """What the reading of one table asks of its elements, found in one walk.

    (Several `find` and `find_all` calls walked the whole table each, and every cell's
    text was joined twice.)
    """

    def __init__(self, node: Tag) -> None:
        self.caption: Tag | None = None
        self.rows: list[Tag] = []
        self.cells: list[Tag] = []
        self.nested = self.headings = False
        for element in node.descendants:
            if not isinstance(element, Tag):
                continue
            name = element.name
            if name == "tr":
                self.rows.append(element)
            elif name in ("td", "th"):
                self.cells.append(element)
            elif name == "table":
                self.nested = True
            elif name in ("h1", "h2", "h3"):
                self.headings = True
            elif name == "caption" and self.caption is None:
                self.caption = element
        self._texts: dict[int, str] = {}

    def text(self, cell: Tag) -> str:
        """Return `_clean(cell.get_text(" "))`, joined once per cell."""
        key = id(cell)
        if key not in self._texts:
            self._texts[key] = _clean(cell.get_text(" "))
        return self._texts[key]


def _is_layout_table(node: Tag, parts: _TableParts) -> bool:
    """Return True for a table used to lay out a page rather than to hold data."""
    if _attr(node, "role") in {"presentation", "none"} or parts.nested:
        return True
    if parts.headings:
        return True
    return any(len(parts.text(cell)) > 500 for cell in parts.cells)


def _content_root(soup: BeautifulSoup, preferred: tuple[str, ...]) -> Tag:
    for selector in preferred:
        try:
            found = soup.select_one(selector)
        except bad_selector():
            continue  # an invalid CSS selector in a sources file: fall back
        if found is not None and _has_text(found):
            return found
    for where in _MAIN_CANDIDATES:
        candidate = soup.find(**where)
        if isinstance(candidate, Tag) and _has_text(candidate):
            return candidate
    return soup.body or soup


def _has_text(node: Tag) -> bool:
    """Return True when `_clean(node.get_text(" "))` would not be empty (without joining it)."""
    return any(_clean(text) for text in node.strings)


def _strip_noise(root: Tag) -> None:
    """Remove comments, non-content tags and page furniture in one pass, then widget sections.

    One explicit-stack walk that never descends into a removed node: bs4's
    `find_all` + `decomposed` checks are quadratic-ish on large pages.
    """
    stack: list[Tag] = [root]
    while stack:
        node = stack.pop()
        for child in list(node.children):
            if isinstance(child, Comment):
                child.extract()
            elif isinstance(child, Tag):
                if (child.name in _DROP_TAGS and not _is_fact_box(child)) or _is_noise(child):
                    child.decompose()
                else:
                    stack.append(child)
    for heading in list(root.find_all(_HEADINGS)):
        if heading.parent is not None and _NOISE_HEADINGS.match(_clean(heading.get_text(" "))):
            _drop_section(heading, root)


def _is_fact_box(node: Tag) -> bool:
    """Tell an <aside> that holds the article's facts ("Fakta", "Korta fakta") from a side
    column: its figures are the page's own."""
    return node.name == "aside" and _FACT_BOX.search(_attr(node, "class")) is not None


_FACT_BOX = re.compile(r"fakta|fact", re.I)


def _is_noise(node: Tag) -> bool:
    if node.name in {"html", "body", "main", "article"}:
        return False
    if node.has_attr("hidden") or _attr(node, "aria-hidden") == "true":
        return True
    if "display:none" in _attr(node, "style").replace(" ", ""):
        return True
    if _attr(node, "role") in _NOISE_ROLES:
        return True
    if node.name == "header" and node.find("h1") is None:
        return True
    marks = " ".join((_attr(node, "class"), _attr(node, "id"), _attr(node, "aria-label")))
    if marks.strip() and _NOISE.search(marks):
        # A wrapper named "page--with-sidebar" that holds the page's h1 is the content.
        return node.find("h1") is None
    return _is_cookie_banner(node)


def _is_cookie_banner(node: Tag) -> bool:
    """Return True for a small box about cookies with an accept button ("Godkänn")."""
    if node.name not in {"div", "section"} or len(node.find_all(True, limit=31)) > 30:
        return False
    text = _clean(node.get_text(" "))
    return len(text) < 600 and bool(_COOKIE_TEXT.search(text)) and "godkänn" in text.lower()


def _drop_section(heading: Tag, root: Tag) -> None:
    """Drop a widget heading with its box, or with what follows it up to the next heading."""
    parent = heading.parent
    if (
        isinstance(parent, Tag)
        and parent is not root
        and parent.name in {"div", "section", "aside"}
        and parent.find(True) is heading  # the box opens with this heading
    ):
        parent.decompose()
        return
    level = int(heading.name[1])
    for sibling in list(heading.find_next_siblings()):
        if sibling.name in _HEADINGS and int(sibling.name[1]) <= level:
            break
        sibling.decompose()
    heading.decompose()


def _blocks(root: Tag) -> Iterator[str]:
    """Yield one clean text per block (heading, paragraph, list item, cell), in page order.

    An explicit stack instead of recursion: generated pages nest thousands of levels
    deep, and a chain of nested generators would also cost time per level for every
    line of text.
    """
    buffer: list[str] = []
    stack: list[Iterator[PageElement] | None] = [iter(root.children)]
    while stack:
        top = stack[-1]
        if top is None:  # the end of a block element: its text is one line
            stack.pop()
            if text := _clean("".join(buffer)):
                yield text
            buffer.clear()
            continue
        child = next(top, None)
        if child is None:
            stack.pop()
        elif isinstance(child, NavigableString):
            if not isinstance(child, Comment):
                buffer.append(str(child))
        elif isinstance(child, Tag):
            if child.name == "br" or child.name in _BLOCK_TAGS:
                if text := _clean("".join(buffer)):
                    yield text
                buffer.clear()
                if child.name != "br":
                    stack.append(None)
                    stack.append(iter(child.children))
            else:
                stack.append(iter(child.children))
    if text := _clean("".join(buffer)):
        yield text


def _html_table(node: Tag, parts: _TableParts) -> Table:
    """Return a table's caption, header rows and body rows, spans expanded to a grid.

    A cell spanning columns or rows is repeated in each slot it covers, so every
    row has its values under the right column headers.
    """
    caption_node = parts.caption
    caption = _clean(caption_node.get_text(" ")) if caption_node else None
    header: list[tuple[str, ...]] = []
    rows: list[tuple[str, ...]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    in_outer_head = node.find_parent("thead") is not None
    for row in parts.rows:
        if parts.nested and row.find_parent("table") is not node:
            continue  # a nested table's rows belong to that table
        cells = row.find_all(["th", "td"], recursive=False)
        values = _grid_row(cells, pending, parts)
        if not any(values):
            continue
        in_head = in_outer_head or _under(row, "thead", node)
        all_th = all(cell.name == "th" for cell in cells)
        if in_head or (all_th and not rows):
            header.append(values)
        else:
            rows.append(values)
    return Table(caption=caption or None, header=tuple(header), rows=tuple(rows))


def _span(cell: Tag, name: str) -> int:
    value = _attr(cell, name).strip()
    return min(int(value), 100) if value.isdigit() and int(value) > 0 else 1


def _under(element: Tag, name: str, top: Tag) -> bool:
    """Return True when an element named `name` lies between `element` and `top`."""
    parent = element.parent
    while parent is not None and parent is not top:
        if parent.name == name:
            return True
        parent = parent.parent
    return False


def _grid_row(
    cells: list[Tag], pending: dict[int, tuple[str, int]], parts: _TableParts
) -> tuple[str, ...]:
    out: list[str] = []
    column = 0

    def fill_pending() -> None:
        nonlocal column
        while column in pending:
            text, left = pending[column]
            out.append(text)
            if left <= 1:
                del pending[column]
            else:
                pending[column] = (text, left - 1)
            column += 1

    for cell in cells:
        fill_pending()
        text = parts.text(cell)
        down = _span(cell, "rowspan")
        for _ in range(_span(cell, "colspan")):
            out.append(text)
            if down > 1:
                pending[column] = (text, down - 1)
            column += 1
    fill_pending()
    return tuple(out)


# ----------------------------------------------------------------------------- PDF

_PAGE_NUMBER = re.compile(
    r"^(?:(?:sida|page|s\.)\s*)?\d{1,4}(?:\s*(?:\(\d{1,4}\)|av\s+\d{1,4}|/\s*\d{1,4}))?$",
    re.I,
)
_MARGIN = 0.08  # share of the page height where running heads and feet sit
_CONJUNCTIONS = {"och", "eller", "samt", "respektive", "till", "som"}


def pdf_to_document(content: bytes, *, url: str, publisher: str | None = None) -> Document:
    """Return the text (without running headers, footers, page numbers) and tables of a PDF."""
    import pdfplumber  # deferred: pdfminer is slow to import and most runs read no PDF

    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            metadata = dict(pdf.metadata or {})
            pages = [_pdf_page(page) for page in pdf.pages]
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        raise DocumentError(f"{url}: not a readable PDF ({type(exc).__name__})") from None
    if not pages:
        raise DocumentError(f"{url}: a PDF without pages")
    running = _running_lines([lines for lines, _ in pages])
    blocks: list[str] = []
    for lines, _ in pages:
        kept = [line for line in lines if id(line) not in running]
        kept = [line for line in kept if not _PAGE_NUMBER.match(line.text.strip())]
        blocks.extend(_pdf_paragraphs(kept))
    text = "\n\n".join(blocks)
    title = _clean(str(metadata.get("Title") or "")) or (blocks[0] if blocks else None)
    return Document(
        url=url,
        text=text,
        title=title,
        published=find_published(text),
        publisher=publisher,
        tables=tuple(table for _, tables in pages for table in tables),
        content_type="application/pdf",
    )


class _Line:
    """One line of PDF text with its position and font size."""

    __slots__ = ("bottom", "in_margin", "size", "text", "top")

    def __init__(self, text: str, top: float, bottom: float, size: float, height: float) -> None:
        self.text = text
        self.top = top
        self.bottom = bottom
        self.size = size
        self.in_margin = top < height * _MARGIN or bottom > height * (1 - _MARGIN)


def _pdf_page(page: Any) -> tuple[list[_Line], list[Table]]:
    found = page.find_tables()
    boxes = [table.bbox for table in found]

    def outside(obj: dict[str, Any]) -> bool:
        mid_x = (obj["x0"] + obj["x1"]) / 2
        mid_y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= mid_x <= x1 and y0 <= mid_y <= y1 for x0, y0, x1, y1 in boxes)

    prose = page.filter(outside) if boxes else page
    lines = [
        _Line(
            _clean(raw["text"]),
            raw["top"],
            raw["bottom"],
            round(max((ch.get("size", 0.0) for ch in raw.get("chars", [])), default=0.0), 1),
            float(page.height),
        )
        for raw in prose.extract_text_lines(return_chars=True)
        if _clean(raw["text"])
    ]
    tables: list[Table] = []
    for table in found:
        caption = _caption_above(lines, table.bbox[1])
        if caption is not None:
            lines.remove(caption)
        tables.append(_pdf_table(table.extract(), caption.text if caption else None))
    return lines, [table for table in tables if table.rows or table.header]


def _caption_above(lines: list[_Line], top: float) -> _Line | None:
    above = [line for line in lines if line.bottom <= top + 1 and top - line.bottom < 30]
    if not above:
        return None
    nearest = max(above, key=lambda line: line.bottom)
    return nearest if re.match(r"(tabell|table)\b", nearest.text, re.I) else None


def _pdf_table(raw: list[list[str | None]], caption: str | None) -> Table:
    rows = [tuple(_clean(cell) for cell in row) for split in raw for row in _split_row(split)]
    rows = [row for row in rows if any(row)]
    if not rows:
        return Table(caption=caption, header=(), rows=())
    return Table(caption=caption, header=(rows[0],), rows=tuple(rows[1:]))


_NUMERIC_CELL = re.compile(r"^\s*[-−–]?\d[\d \u00a0\u202f.,]*\s*%?\s*$")


def _split_row(row: list[str | None]) -> list[list[str]]:
    """Split a row whose cells all hold the same number of lines into that many rows.

    Tables ruled only between columns come out of pdfplumber as one tall row with
    the values of several rows stacked in each cell.
    """
    cells = [cell or "" for cell in row]
    counts = {len(cell.splitlines()) for cell in cells if cell.strip()}
    if len(counts) != 1 or (lines := counts.pop()) < 2:
        return [cells]
    columns = [cell.splitlines() if cell.strip() else [""] * lines for cell in cells]
    if not any(all(_NUMERIC_CELL.match(value) for value in column) for column in columns):
        return [cells]  # wrapped header text, not stacked values
    return [[column[index] for column in columns] for index in range(lines)]


def _norm_line(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _running_lines(pages: list[list[_Line]]) -> set[int]:
    """Return the ids of running heads and feet.

    They are lines in the top or bottom margin band that repeat (digits aside) on
    at least half the pages, or are set smaller than the body text (which also
    catches them on a one-page PDF).
    """
    sizes = sorted(line.size for lines in pages for line in lines)
    if not sizes:
        return set()
    body_size = sizes[len(sizes) // 2]
    # Headings set larger than the body are never running heads, even near the top.
    margin = [
        line for lines in pages for line in lines if line.in_margin and line.size <= body_size + 0.5
    ]
    counts = Counter(_norm_line(line.text) for line in margin)
    threshold = max(2, (len(pages) + 1) // 2)
    return {
        id(line)
        for line in margin
        if counts[_norm_line(line.text)] >= threshold or line.size < body_size - 0.5
    }


def _pdf_paragraphs(lines: Iterable[_Line]) -> Iterator[str]:
    """Join wrapped lines into paragraphs; a wider gap or another font size starts a new one."""
    current: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if previous is not None and _breaks(previous, line):
            if current:
                yield _join_wrapped(current)
            current = []
        current.append(line.text)
        previous = line
    if current:
        yield _join_wrapped(current)


def _breaks(previous: _Line, line: _Line) -> bool:
    height = max(previous.bottom - previous.top, 1.0)
    gap = line.top - previous.bottom
    return gap > 0.6 * height or gap < -height or abs(line.size - previous.size) > 0.5


def _join_wrapped(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        first_word = line.split(" ", 1)[0].lower()
        if text.endswith("-") and line[:1].islower() and first_word not in _CONJUNCTIONS:
            text = text[:-1] + line
        else:
            text = f"{text} {line}"
    return text
