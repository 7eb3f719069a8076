"""Collect: the sources file, polite HTTP, feeds and listings, and documents from bytes.

The stage's one door: everything other stages call is named in `__all__`; the modules
behind it are private to the stage.
"""

from ifo_watch.collect.ahead import Ahead, Request
from ifo_watch.collect.documents import from_fetched as document_from_fetched
from ifo_watch.collect.documents import load as load_document
from ifo_watch.collect.documents import read_fetched
from ifo_watch.collect.feeds import (
    Entry,
    looks_like_feed,
    parse_embedded_list,
    parse_feed,
    parse_listing,
)
from ifo_watch.collect.fetch import Fetcher, ValidatorCache
from ifo_watch.collect.netsafe import RefusedURL, check_scheme, host_of, on_hosts
from ifo_watch.collect.sites import Site, default_sites, site_for
from ifo_watch.collect.sources import (
    load_routes,
    load_sources,
    matches_include,
    parse_routes,
    parse_sources,
)
from ifo_watch.collect.text import PageLinks, PageRules

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
