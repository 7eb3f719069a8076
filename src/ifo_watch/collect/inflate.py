"""Undo a response's content encodings step by step, never holding more than the size cap.

httpx inflates each chunk whole before anyone can count it, so a gzip inside a gzip
(3.5 kB on the wire, 2 GiB inflated) could take gigabytes of memory before a cap
saw a byte. Here every layer inflates at most `_STEP` bytes at a time
(`zlib`'s `max_length`), the bytes that come out of the last layer are counted, and
reading stops the moment the count passes the cap: a bomb costs the cap, whatever
stack of encodings it declares. Concatenated gzip members are read like gzip does.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator

from ifo_watch.errors import FetchError

_STEP = 65_536
_MAX_LAYERS = 3
_KNOWN = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate"}


class TooLarge(FetchError):
    """A body whose decoded size passes the cap."""


def encodings(header: str | None) -> list[str]:
    """Return the content encodings of a header in the order they were applied.

    Raises `FetchError` for an encoding ifo-watch did not ask for (it sends
    `Accept-Encoding: gzip, deflate`) and for more than three layers.
    """
    found = [part.strip().lower() for part in (header or "").split(",")]
    layers = [part for part in found if part and part != "identity"]
    unknown = [part for part in layers if part not in _KNOWN]
    if unknown:
        raise FetchError(f"unsupported content encoding {unknown[0]!r}")
    if len(layers) > _MAX_LAYERS:
        raise FetchError(f"{len(layers)} layers of content encoding (at most {_MAX_LAYERS})")
    return [_KNOWN[part] for part in layers]


def read_decoded(
    chunks: Iterable[bytes],
    applied: list[str],
    *,
    limit: int,
    too_large: str,
    check: Callable[[], None] = lambda: None,
) -> bytes:
    """Return the decoded body of raw chunks; raise `TooLarge(too_large)` past `limit` bytes.

    `check` runs after every raw chunk and may raise (the per-request deadline).
    """
    layers = [_Layer(kind) for kind in reversed(applied)]
    out: list[bytes] = []
    size = 0
    try:
        for chunk in chunks:
            for piece in _through(layers, 0, chunk):
                size += len(piece)
                if size > limit:
                    raise TooLarge(too_large)
                out.append(piece)
            check()
        for index, layer in enumerate(layers):
            for piece in _through(layers, index + 1, layer.finish()):
                size += len(piece)
                if size > limit:
                    raise TooLarge(too_large)
                out.append(piece)
    except zlib.error as exc:
        raise FetchError(f"body does not decompress ({exc})") from None
    return b"".join(out)


def _through(layers: list[_Layer], index: int, data: bytes) -> Iterator[bytes]:
    # At most three layers deep (see `encodings`): the recursion is bounded.
    if not data:
        return
    if index == len(layers):
        yield data
        return
    for piece in layers[index].feed(data):
        yield from _through(layers, index + 1, piece)


class _Layer:
    """One gzip or deflate layer, inflated at most `_STEP` bytes per call."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._raw_deflate = False
        self._started = False
        self._done = False
        self._d = self._new()

    def _new(self) -> zlib._Decompress:
        if self.kind == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if self._raw_deflate else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.kind == "deflate" and not self._started:
            self._started = True
            # "deflate" is zlib-wrapped by the standard, raw by some servers.
            self._raw_deflate = (data[0] & 0x0F) != 8 if data else False
            self._d = self._new()
        while data and not self._done:
            piece = self._d.decompress(data, _STEP)
            if piece:
                yield piece
            if self._d.eof:
                rest = self._d.unused_data
                if self.kind == "gzip" and rest.strip(b"\x00"):
                    self._d = self._new()  # another gzip member follows
                    data = rest
                    continue
                self._done = True
                return
            data = self._d.unconsumed_tail
            while not data and len(piece) == _STEP and not self._d.eof:
                piece = self._d.decompress(b"", _STEP)  # output still pending inside zlib
                if piece:
                    yield piece

    def finish(self) -> bytes:
        if self._done:
            return b""
        return self._d.flush(_STEP)
