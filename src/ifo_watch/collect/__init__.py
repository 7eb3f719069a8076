"""Collect: the sources file, polite HTTP, feeds and listings, and documents from bytes.

The stage's one door: everything other stages call is named in `__all__`; the modules
behind it are private to the stage.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ifo_watch.collect.ahead import Ahead, Request
    from ifo_watch.collect.documents import from_fetched as document_from_fetched
    from ifo_watch.collect.documents import load as load_document
    from ifo_watch.collect.documents import read_fetched
    from ifo_watch.collect.feeds import (
        looks_like_feed,
        parse_embedded_list,
        parse_feed,
        parse_listing,
    )
    from ifo_watch.collect.fetch import Fetcher, ValidatorCache
    from ifo_watch.collect.netsafe import RefusedURL, check_scheme, host_of, on_hosts
    from ifo_watch.collect.rules import Entry, PageLinks, PageRules
    from ifo_watch.collect.sites import Site, default_sites, site_for
    from ifo_watch.collect.sources import (
        load_routes,
        load_sources,
        matches_include,
        parse_routes,
        parse_sources,
    )

# Each name's module loads when the name is first used: reading a local file needs
# neither httpx nor the sources file's parser (`ifo-watch extract`, `diff PATH`).
_WHERE: dict[str, tuple[str, str]] = {
    "Ahead": ("ahead", "Ahead"),
    "Entry": ("rules", "Entry"),
    "Fetcher": ("fetch", "Fetcher"),
    "PageLinks": ("rules", "PageLinks"),
    "PageRules": ("rules", "PageRules"),
    "RefusedURL": ("netsafe", "RefusedURL"),
    "Request": ("ahead", "Request"),
    "Site": ("sites", "Site"),
    "ValidatorCache": ("fetch", "ValidatorCache"),
    "check_scheme": ("netsafe", "check_scheme"),
    "default_sites": ("sites", "default_sites"),
    "document_from_fetched": ("documents", "from_fetched"),
    "host_of": ("netsafe", "host_of"),
    "load_document": ("documents", "load"),
    "load_routes": ("sources", "load_routes"),
    "load_sources": ("sources", "load_sources"),
    "looks_like_feed": ("feeds", "looks_like_feed"),
    "matches_include": ("sources", "matches_include"),
    "on_hosts": ("netsafe", "on_hosts"),
    "parse_embedded_list": ("feeds", "parse_embedded_list"),
    "parse_feed": ("feeds", "parse_feed"),
    "parse_listing": ("feeds", "parse_listing"),
    "parse_routes": ("sources", "parse_routes"),
    "parse_sources": ("sources", "parse_sources"),
    "read_fetched": ("documents", "read_fetched"),
    "site_for": ("sites", "site_for"),
}

__all__ = [
    "Ahead",
    "Entry",
    "Fetcher",
    "PageLinks",
    "PageRules",
    "RefusedURL",
    "Request",
    "Site",
    "ValidatorCache",
    "check_scheme",
    "default_sites",
    "document_from_fetched",
    "host_of",
    "load_document",
    "load_routes",
    "load_sources",
    "looks_like_feed",
    "matches_include",
    "on_hosts",
    "parse_embedded_list",
    "parse_feed",
    "parse_listing",
    "parse_routes",
    "parse_sources",
    "read_fetched",
    "site_for",
]


def __getattr__(name: str) -> Any:
    """Load the module behind a name of the door on its first use."""
    try:
        module, attr = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
