"""Which URLs ifo-watch may fetch: http(s) only, configured hosts only, public addresses only.

A feed entry, a link on a page or a redirect is attacker-controlled text: pointed at
`file://`, at the cloud metadata address 169.254.169.254, at `localhost` or at a
private network it must be refused with one line, never fetched, stored or quoted.
The address check runs twice: before a request (for a clear message) and again in
the connect step (`fetch.py`), on the very address the socket connects to, so a name
that resolves to a public address first and a private one next (DNS rebinding) gains
nothing.

Loopback and private addresses are allowed only through an explicit setting
(`allow_private`, or `IFO_WATCH_ALLOW_PRIVATE=1`), which the tests and `ifo-watch demo`
turn on because their sites are served on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from ifo_watch.errors import FetchError

ALLOW_PRIVATE_ENV = "IFO_WATCH_ALLOW_PRIVATE"
Resolver = Callable[[str, int], list[str]]


class RefusedURL(FetchError):
    """A URL that ifo-watch will not fetch (scheme, host or address)."""


def allow_private_from_env() -> bool:
    """Return True when `IFO_WATCH_ALLOW_PRIVATE` turns the address check off."""
    return os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def system_resolver(host: str, port: int) -> list[str]:
    """Return the addresses a host name resolves to, in the system's order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host} ({exc})") from None
    found: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in found:
            found.append(address)
    return found


def host_of(url: str) -> str:
    """Return a URL's host, lower case, without port or brackets ("" when there is none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def same_site(host: str) -> str:
    """Return a host without a leading "www.": www.skr.se and skr.se are one site."""
    return host.lower().removeprefix("www.")


def on_hosts(url: str, hosts: Iterable[str]) -> bool:
    """Return True when the URL's host is one of `hosts` (www. or not)."""
    site = same_site(host_of(url))
    return bool(site) and any(site == same_site(host) for host in hosts)


def check_scheme(url: str) -> None:
    """Refuse anything but http(s) URLs with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise RefusedURL(f"refused {url[:200]}: not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise RefusedURL(f"refused {url[:200]}: only http and https are fetched")
    if not parts.hostname:
        raise RefusedURL(f"refused {url[:200]}: no host")


def public_address(address: str) -> bool:
    """Return True for an address on the public internet (not private, loopback, link-local)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def checked_addresses(
    host: str, port: int, *, resolver: Resolver, allow_private: bool
) -> list[str]:
    """Resolve a host and return its addresses; refuse when any of them is not public.

    One private address among public ones is enough to refuse: a resolver that
    mixes them is the usual shape of a rebinding attack.
    """
    addresses = [host] if _is_literal(host) else resolver(host, port)
    if not addresses:
        raise FetchError(f"cannot resolve {host} (no address)")
    if allow_private:
        return addresses
    for address in addresses:
        if not public_address(address):
            shown = host if host == address else f"{host} ({address})"
            raise RefusedURL(f"refused {shown}: not a public address")
    return addresses


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True
