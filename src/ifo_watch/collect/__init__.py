"""Collect: the sources file, polite HTTP, feeds and listings, and documents from bytes.

The stage's one door: everything other stages call is named in `__all__`; the modules
behind it are private to the stage.
"""

from ifo_watch.collect.documents import from_fetched as document_from_fetched
from ifo_watch.collect.documents import load as load_document
from ifo_watch.collect.feeds import Entry, looks_like_feed, parse_feed, parse_listing
from ifo_watch.collect.fetch import Fetcher
from ifo_watch.collect.sources import (
    load_routes,
    load_sources,
    matches_include,
    parse_routes,
    parse_sources,
)

__all__ = [
    "Entry",
    "Fetcher",
    "document_from_fetched",
    "load_document",
    "load_routes",
    "load_sources",
    "looks_like_feed",
    "matches_include",
    "parse_feed",
    "parse_listing",
    "parse_routes",
    "parse_sources",
]
