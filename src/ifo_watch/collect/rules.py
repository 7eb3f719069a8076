"""Plain data of the stage: a site's reading rules, a page's links, a feed's entry.

Kept apart from `text` and `feeds` so that reading the sources file and the site
adapters, and a cycle in which every page answers 304, do not load BeautifulSoup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PageRules:
    """A site's reading rules (from `data/sites.toml`); empty ones fall back to the cleaner."""

    title: tuple[str, ...] = ()  # CSS selectors of the title, first match wins
    content: tuple[str, ...] = ()  # CSS selectors of the main text
    published: tuple[str, ...] = ()  # CSS selectors of the element holding the date
    published_pattern: str | None = None  # regex with a (?P<date>...) group
    report_links: tuple[str, ...] = ()  # CSS selectors of links to the report documents
    table_links: tuple[str, ...] = ()  # CSS selectors of links to spreadsheet tables


@dataclass(frozen=True)
class PageLinks:
    """The links of a page that lead to more documents, absolute and without fragments."""

    reports: tuple[str, ...] = ()  # matched by `report_links`
    tables: tuple[str, ...] = ()  # matched by `table_links`
    anchors: tuple[str, ...] = ()  # every http(s) link of the page, in page order


@dataclass(frozen=True)
class Entry:
    """One item of a feed or listing page."""

    url: str
    title: str | None
    published: date | None
    summary: str | None
    article_number: str | None = None  # a publication's number, when the list names it
