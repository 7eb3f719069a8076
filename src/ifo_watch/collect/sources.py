"""Load and validate the sources file (TOML `[[sources]]` tables).

Every problem is reported as one `SourcesError` naming the file and the entry, so
`ifo-watch run --sources FILE` can print a single clear line and exit 2.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from ifo_watch import resources
from ifo_watch.collect.sites import site_for
from ifo_watch.errors import SourcesError
from ifo_watch.models import Route, Source

KINDS = ("auto", "feed", "listing", "page", "pdf")
_REQUIRED = ("name", "publisher", "url")
_OPTIONAL = (
    "kind",
    "include",
    "link_selector",
    "content_selector",
    "max_items",
    "hosts",
    "site",
    "fallback",
    "subjects",
    "follow_reports",
    "delay",
    "concurrency",
)


def default_sources_path() -> Path:
    """Return the path of the sources list that ships with the package."""
    return resources.data_file("sources.toml")


def load_sources(path: Path | None = None) -> list[Source]:
    """Read a sources file and return its sources in file order.

    With no path, read the default list shipped with the package. Raises
    `SourcesError` on unreadable or invalid TOML, missing or mistyped keys,
    unknown keys, and duplicate names.
    """
    path = path or default_sources_path()
    return parse_sources(_read_toml(path), origin=str(path))


# The last file parsed, by its bytes: `run` reads the same file for its sources and its
# routes, and a file of a thousand sources takes a tenth of a second to parse.
_last: tuple[bytes, dict[str, Any]] | None = None


def _read_toml(path: Path) -> dict[str, Any]:
    """Read and parse a sources file; the same bytes twice in a row are parsed once."""
    global _last
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourcesError(f"cannot read sources file {path}: {exc.strerror or exc}") from exc
    if _last is not None and _last[0] == raw:
        return _last[1]
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from exc
    _last = (raw, data)
    return data


def parse_sources(data: dict[str, Any], *, origin: str = "sources") -> list[Source]:
    """Turn the parsed TOML of a sources file into `Source` objects."""
    entries = data.get("sources")
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{origin}: no [[sources]] entries")
    sources: list[Source] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise SourcesError(f"{origin}: source #{index} is not a table")
        source = _parse_entry(entry, where=f"{origin}: source #{index}")
        if source.name in seen:
            raise SourcesError(f"{origin}: duplicate source name {source.name!r}")
        seen.add(source.name)
        sources.append(source)
    return sources


def _parse_entry(entry: dict[str, Any], *, where: str) -> Source:
    name = entry.get("name")
    if isinstance(name, str) and name.strip():
        where = f"{where} ({name})"
    missing = [key for key in _REQUIRED if not _nonempty_str(entry.get(key))]
    if missing:
        raise SourcesError(f"{where}: missing or empty key(s): {', '.join(missing)}")
    unknown = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise SourcesError(f"{where}: unknown key(s): {', '.join(unknown)}")
    url = str(entry["url"]).strip()
    if not url.startswith(("http://", "https://")):
        raise SourcesError(f"{where}: url must start with http:// or https://: {url}")
    kind = entry.get("kind", "auto")
    if kind not in KINDS:
        raise SourcesError(f"{where}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    site = _optional_str(entry, "site", where=where)
    if site is not None:
        try:
            site_for(url, name=site)
        except SourcesError as exc:
            raise SourcesError(f"{where}: {exc}") from None
    return Source(
        name=str(entry["name"]).strip(),
        publisher=str(entry["publisher"]).strip(),
        url=url,
        kind=kind,
        include=_include(entry.get("include", []), where=where),
        link_selector=_optional_str(entry, "link_selector", where=where),
        content_selector=_optional_str(entry, "content_selector", where=where),
        max_items=_max_items(entry.get("max_items", 30), where=where),
        hosts=_hosts(entry.get("hosts", []), where=where),
        site=site,
        fallback=_fallback(entry, where=where),
        subjects=_subjects(entry.get("subjects", []), where=where),
        follow_reports=_bool(entry.get("follow_reports", True), "follow_reports", where=where),
        delay=_number(entry.get("delay"), "delay", where=where),
        concurrency=_concurrency(entry.get("concurrency"), where=where),
    )


def _nonempty_str(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _include(value: object, *, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(_nonempty_str(word) for word in value):
        raise SourcesError(f"{where}: include must be a list of words")
    return tuple(str(word).strip().lower() for word in value)


def _optional_str(entry: dict[str, Any], key: str, *, where: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if not _nonempty_str(value):
        raise SourcesError(f"{where}: {key} must be a non-empty string")
    return str(value).strip()


def _hosts(value: object, *, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(_nonempty_str(host) for host in value):
        raise SourcesError(f"{where}: hosts must be a list of host names")
    hosts = tuple(str(host).strip().lower() for host in value)
    bad = [host for host in hosts if "/" in host or ":" in host or " " in host]
    if bad:
        raise SourcesError(f"{where}: hosts holds {bad[0]!r}, not a bare host name")
    return hosts


def _fallback(entry: dict[str, Any], *, where: str) -> str | None:
    url = _optional_str(entry, "fallback", where=where)
    if url is not None and not url.startswith(("http://", "https://")):
        raise SourcesError(f"{where}: fallback must start with http:// or https://: {url}")
    return url


def _subjects(value: object, *, where: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(
        isinstance(item, int) and not isinstance(item, bool) for item in value
    ):
        raise SourcesError(f"{where}: subjects must be a list of integers")
    return tuple(value)


def _bool(value: object, key: str, *, where: str) -> bool:
    if not isinstance(value, bool):
        raise SourcesError(f"{where}: {key} must be true or false")
    return value


def _number(value: object, key: str, *, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise SourcesError(f"{where}: {key} must be a number of seconds, 0 or more")
    return float(value)


def _concurrency(value: object, *, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 8:
        raise SourcesError(f"{where}: concurrency must be an integer from 1 to 8")
    return value


def _max_items(value: object, *, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SourcesError(f"{where}: max_items must be a positive integer")
    return value


def matches_include(source: Source, *texts: str | None) -> bool:
    """Return True when the source keeps an item with these title/url/summary texts.

    The keywords are stems ("placer" keeps "placerade"), matched case-insensitively
    anywhere in the texts; a source with no keywords keeps everything.
    """
    if not source.include:
        return True
    haystack = " ".join(text for text in texts if text).lower()
    return any(word in haystack for word in source.include)


# -- routes ----------------------------------------------------------------------------------
#
# [[routes]] send some changes to one more channel as well: a kommun's IFO manager wants
# her kommun, a journalist one subject.
#
#   [[routes]]
#   name = "malmo"              # letters, digits, - and _
#   region = "Malmö"            # and/or metric = "orosanmalningar" (a key or "prefix*"),
#   env = "SLACK_ROUTE_MALMO"   #   publisher = "SKR"; env holds a channel id or webhook URL

_ROUTE_KEYS = ("name", "env", "metric", "region", "publisher")
_ROUTE_NAME = re.compile(r"[A-Za-z0-9_-]+")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def load_routes(path: Path | None = None) -> list[Route]:
    """Read the `[[routes]]` of a sources file (none in the default list)."""
    path = path or default_sources_path()
    return parse_routes(_read_toml(path), origin=str(path))


def parse_routes(data: dict[str, Any], *, origin: str = "sources") -> list[Route]:
    """Turn the `[[routes]]` tables of a parsed sources file into `Route` objects."""
    entries = data.get("routes", [])
    if not isinstance(entries, list):
        raise SourcesError(f"{origin}: routes must be [[routes]] tables")
    routes: list[Route] = []
    for index, entry in enumerate(entries, start=1):
        where = f"{origin}: route #{index}"
        if not isinstance(entry, dict):
            raise SourcesError(f"{where} is not a table")
        unknown = sorted(set(entry) - set(_ROUTE_KEYS))
        if unknown:
            raise SourcesError(f"{where}: unknown key(s): {', '.join(unknown)}")
        name, env = entry.get("name"), entry.get("env")
        if not isinstance(name, str) or not _ROUTE_NAME.fullmatch(name):
            raise SourcesError(f"{where}: name must be letters, digits, - or _")
        if not isinstance(env, str) or not _ENV_NAME.fullmatch(env):
            raise SourcesError(f"{where} ({name}): env must name an environment variable")
        conditions = {key: _optional_str(entry, key, where=where) for key in _ROUTE_KEYS[2:]}
        if not any(conditions.values()):
            raise SourcesError(f"{where} ({name}): give a metric, a region or a publisher")
        if any(r.name == name for r in routes):
            raise SourcesError(f"{origin}: duplicate route name {name!r}")
        routes.append(Route(name=name, env=env, **conditions))
    return routes
