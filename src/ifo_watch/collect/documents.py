"""Turn a fetched response or a local file into a `Document`, whatever its kind.

The dispatch looks at magic bytes first (a PDF served as text/html is still a
PDF), then the content type, then the file extension.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ifo_watch.collect.feeds import looks_like_feed
from ifo_watch.collect.text import decode, html_to_document, pdf_to_document, text_to_document
from ifo_watch.errors import DocumentError
from ifo_watch.models import Document, Fetched, Source

if TYPE_CHECKING:  # httpx loads only when a URL is fetched
    from ifo_watch.collect.fetch import Fetcher

_HTML_SNIFF = (b"<!doctype html", b"<html", b"<head", b"<body", b"<main", b"<article", b"<p>")
_TEXT_EXTENSIONS = {".txt", ".text", ".md"}
_HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
_KINDS = {".pdf": "application/pdf", ".txt": "text/plain", ".text": "text/plain"}


def kind_of(content: bytes, content_type: str, *, name: str = "") -> str:
    """Return "pdf", "html", "text", "feed" or "other" for a body and its type/name."""
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    ctype = content_type.split(";", 1)[0].strip().lower()
    suffix = Path(urlsplit(name).path).suffix.lower()
    if head.startswith(b"%pdf"):
        return "pdf"
    if looks_like_feed(content, content_type):
        return "feed"
    if "html" in ctype or suffix in _HTML_EXTENSIONS or head.startswith(_HTML_SNIFF):
        return "html"
    if ctype == "application/pdf" or suffix == ".pdf":
        return "other"  # says PDF but the bytes are not one
    if ctype.startswith("text/") or suffix in _TEXT_EXTENSIONS or (not ctype and _textual(content)):
        return "text"
    return "other"


def _textual(content: bytes) -> bool:
    sample = content[:8192]
    if b"\x00" in sample:
        return False
    text = decode(sample, None)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls <= len(text) // 100


def from_fetched(fetched: Fetched, *, source: Source | None = None) -> Document:
    """Return the Document of a fetched body: HTML page, PDF report or plain text.

    Raises `DocumentError` for a 304 (nothing to read), a feed, and anything that
    is not a document (an image, an archive).
    """
    if fetched.not_modified:
        raise DocumentError(f"{fetched.url}: not modified, nothing to read")
    publisher = source.publisher if source else None
    kind = kind_of(fetched.content, fetched.content_type, name=fetched.url)
    if kind == "pdf":
        return pdf_to_document(fetched.content, url=fetched.url, publisher=publisher)
    if kind == "html":
        return html_to_document(
            fetched.content,
            url=fetched.url,
            content_type=fetched.content_type or "text/html",
            content_selector=source.content_selector if source else None,
            publisher=publisher,
        )
    if kind == "text":
        text = decode(fetched.content, fetched.content_type)
        return text_to_document(text, url=fetched.url, publisher=publisher)
    if kind == "feed":
        raise DocumentError(f"not a document: {fetched.url} (a feed)")
    shown = fetched.content_type.split(";", 1)[0].strip() or "unknown type"
    raise DocumentError(f"not a document: {fetched.url} ({shown})")


def load(path_or_url: str, *, fetcher: Fetcher | None = None) -> Document:
    """Return the Document of a .txt/.html/.htm/.pdf path or an http(s) URL.

    Raises `DocumentError` ("no such file: x", "not a document: x.png") for
    unreadable input and `FetchError` for URLs that cannot be fetched.
    """
    if path_or_url.lower().startswith(("http://", "https://")):
        if fetcher is not None:
            return from_fetched(fetcher.get(path_or_url))
        from ifo_watch.collect.fetch import Fetcher

        with Fetcher() as own:
            return from_fetched(own.get(path_or_url))
    return from_fetched(read_file(path_or_url))


def read_file(path_or_name: str | Path) -> Fetched:
    """Read a local file as a `Fetched` (status 200, type from its extension)."""
    path = Path(path_or_name)
    shown = str(path_or_name)
    if path.is_dir():
        raise DocumentError(f"not a document: {shown} (a folder)")
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"no such file: {shown}") from None
    except OSError as exc:
        raise DocumentError(f"cannot read {shown}: {exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    content_type = _KINDS.get(suffix, "text/html" if suffix in _HTML_EXTENSIONS else "")
    return Fetched(
        url=shown,
        content=content,
        content_type=content_type,
        fetched_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
    )
