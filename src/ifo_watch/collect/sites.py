"""Per-site adapters as data (`data/sites.toml`): how to read each publisher's pages.

An adapter names a site's hosts and mirror hosts, the CSS selectors of a page's
title, publication date and main text, the links to its report documents and
spreadsheet tables, the shape of its publication pages' URLs and of an article
number. Everything an adapter does not say is left to the generic cleaner, so a
redesign degrades to the generic reading instead of breaking. Changing a selector
is a data change: no code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ifo_watch import resources
from ifo_watch.collect.netsafe import host_of, same_site
from ifo_watch.collect.rules import PageRules
from ifo_watch.errors import SourcesError

_KEYS = {
    "name",
    "hosts",
    "mirrors",
    "title",
    "content",
    "published",
    "published_pattern",
    "report_links",
    "table_links",
    "report_pages",
    "article_number",
    "embedded_list",
}


@dataclass(frozen=True)
class Site:
    """How to read one publisher's site."""

    name: str
    hosts: tuple[str, ...]  # the first is canonical
    mirrors: tuple[str, ...] = ()  # hosts serving the same paths: one document, canonical URL
    rules: PageRules = field(default_factory=PageRules)
    report_pages: tuple[re.Pattern[str], ...] = ()  # URL paths of publication pages
    article_number: re.Pattern[str] | None = None  # a report's number in a URL or text
    embedded_list: str | None = None  # the marker of a list embedded as JSON in a page

    def owns(self, url: str) -> bool:
        """Return True when a URL is on one of the site's hosts or mirrors."""
        site = same_site(host_of(url))
        return any(site == same_site(host) for host in self.hosts + self.mirrors)

    def canonical(self, url: str) -> str:
        """Return a mirror host's URL on the canonical host (same path); others unchanged."""
        host = same_site(host_of(url))
        if not self.hosts or not any(host == same_site(m) for m in self.mirrors):
            return url
        parts = urlsplit(url)
        netloc = self.hosts[0] + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))

    def is_report_page(self, url: str) -> bool:
        """Return True for the URL of a publication page (links followed from news)."""
        path = urlsplit(url).path
        return self.owns(url) and any(pattern.search(path) for pattern in self.report_pages)

    def report_number(self, url: str) -> str | None:
        """Return the article number a URL names ("2024-3-8920"), or None."""
        if self.article_number is None:
            return None
        match = self.article_number.search(urlsplit(url).path)
        if match is None:
            return None
        return match.groupdict().get("nr") or match.group(0)


def default_sites_path() -> Path:
    """Return the path of the site adapters that ship with the package."""
    return resources.data_file("sites.toml")


@cache
def default_sites() -> tuple[Site, ...]:
    """Return the shipped site adapters (read once per process)."""
    return load_sites(default_sites_path())


def load_sites(path: Path) -> tuple[Site, ...]:
    """Read a sites file; every problem is one `SourcesError` naming the file and site."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SourcesError(f"{path}: not a readable sites file: {exc}") from None
    entries = data.get("sites")
    if not isinstance(entries, list):
        raise SourcesError(f"{path}: no [[sites]] entries")
    return tuple(_site(entry, where=f"{path}: site #{i}") for i, entry in enumerate(entries, 1))


def site_for(url: str, *, name: str | None = None, sites: tuple[Site, ...] = ()) -> Site | None:
    """Return the adapter named `name`, else the one whose hosts hold the URL, else None."""
    sites = sites or default_sites()
    if name is not None:
        for site in sites:
            if site.name == name:
                return site
        raise SourcesError(f"unknown site {name!r} (known: {', '.join(s.name for s in sites)})")
    for site in sites:
        if site.owns(url):
            return site
    return None


def _site(entry: Any, *, where: str) -> Site:
    if not isinstance(entry, dict):
        raise SourcesError(f"{where}: not a table")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise SourcesError(f"{where}: unknown key(s): {', '.join(unknown)}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SourcesError(f"{where}: missing name")
    where = f"{where} ({name})"
    hosts = _strings(entry, "hosts", where=where)
    if not hosts:
        raise SourcesError(f"{where}: hosts must name at least one host")
    rules = PageRules(
        title=_strings(entry, "title", where=where),
        content=_strings(entry, "content", where=where),
        published=_strings(entry, "published", where=where),
        published_pattern=_pattern_text(entry, "published_pattern", where=where),
        report_links=_strings(entry, "report_links", where=where),
        table_links=_strings(entry, "table_links", where=where),
    )
    number = _pattern_text(entry, "article_number", where=where)
    marker = entry.get("embedded_list")
    if marker is not None and (not isinstance(marker, str) or not marker.strip()):
        raise SourcesError(f"{where}: embedded_list must be a non-empty string")
    return Site(
        name=name.strip(),
        hosts=tuple(host.lower() for host in hosts),
        mirrors=tuple(host.lower() for host in _strings(entry, "mirrors", where=where)),
        rules=rules,
        report_pages=tuple(
            re.compile(text) for text in _patterns(entry, "report_pages", where=where)
        ),
        article_number=re.compile(number) if number else None,
        embedded_list=marker,
    )


def _strings(entry: dict[str, Any], key: str, *, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SourcesError(f"{where}: {key} must be a list of strings")
    return tuple(v.strip() for v in value)


def _patterns(entry: dict[str, Any], key: str, *, where: str) -> tuple[str, ...]:
    texts = _strings(entry, key, where=where)
    for text in texts:
        try:
            re.compile(text)
        except re.error as exc:
            raise SourcesError(f"{where}: {key} {text!r} is not a valid pattern: {exc}") from None
    return texts


def _pattern_text(entry: dict[str, Any], key: str, *, where: str) -> str | None:
    if entry.get(key) is None:
        return None
    texts = _patterns({key: entry[key]}, key, where=where)
    return texts[0] if texts else None
