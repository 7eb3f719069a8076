"""Turn a fetched response or a local file into a `Document`, whatever its kind.

The dispatch looks at magic bytes first (a PDF served as text/html is still a
PDF), then the content type, then the file extension.
"""

from __future__ import annotations

import codecs
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ifo_watch.collect.feeds import looks_like_feed
from ifo_watch.collect.rules import PageLinks, PageRules
from ifo_watch.collect.sheets import is_xlsx, xlsx_to_document
from ifo_watch.collect.text import (
    decode,
    pdf_to_document,
    read_html,
    text_to_document,
)
from ifo_watch.errors import DocumentError
from ifo_watch.models import Document, Fetched, Source

if TYPE_CHECKING:  # httpx loads only when a URL is fetched
    from ifo_watch.collect.fetch import Fetcher

_HTML_SNIFF = (b"<!doctype html", b"<html", b"<head", b"<body", b"<main", b"<article", b"<p>")
_TEXT_EXTENSIONS = {".txt", ".text", ".md"}
_HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
_SHEET_EXTENSIONS = {".xlsx", ".xlsm"}
_KINDS = {
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".text": "text/plain",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def kind_of(content: bytes, content_type: str, *, name: str = "") -> str:
    """Return "pdf", "xlsx", "html", "text", "feed" or "other" for a body and its type/name.

    The bytes decide: a body that says PDF (type or name) but is not one, and bytes
    that are not text whatever the extension says (an image named .html, random
    bytes), are "other".
    """
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    ctype = content_type.split(";", 1)[0].strip().lower()
    suffix = Path(urlsplit(name).path).suffix.lower()
    if b"%pdf-" in content[:1024].lower():
        return "pdf"
    if content.startswith(b"PK\x03\x04") and is_xlsx(content):
        return "xlsx"
    if ctype == "application/pdf" or suffix == ".pdf" or "spreadsheetml" in ctype:
        return "other"  # says PDF (or workbook) but the bytes are not one
    if suffix in _SHEET_EXTENSIONS:
        return "other"
    if not _textual(content):
        return "other"
    if looks_like_feed(content, content_type):
        return "feed"
    if "html" in ctype or suffix in _HTML_EXTENSIONS or head.startswith(_HTML_SNIFF):
        return "html"
    if ctype.startswith("text/") or suffix in _TEXT_EXTENSIONS or not ctype:
        return "text"
    return "other"


def _textual(content: bytes) -> bool:
    """Return True when the bytes read as text: no NULs and almost no control characters."""
    if not content:
        return True
    sample = content[:65_536]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        sample = sample[2:].decode("utf-16", "replace").encode("utf-8")
    if b"\x00" in sample:
        return False
    text = decode(sample, None)
    controls = len(_CONTROLS.findall(text))
    return controls <= len(text) // 100


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # below 32 but tab, \n, \f and \r


def _not_a_document(fetched: Fetched, kind: str) -> DocumentError:
    shown = fetched.content_type.split(";", 1)[0].strip() or "unknown type"
    ctype = shown.lower()
    suffix = Path(urlsplit(fetched.url).path).suffix.lower()
    head = fetched.content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    actual = "an HTML page" if head.startswith(_HTML_SNIFF) else "not one"
    if ctype == "application/pdf" or suffix == ".pdf":
        return DocumentError(f"not a document: {fetched.url} (said to be a PDF, but {actual})")
    if "spreadsheetml" in ctype or suffix in _SHEET_EXTENSIONS:
        return DocumentError(f"not a document: {fetched.url} (said to be a workbook, but {actual})")
    if kind == "feed":
        return DocumentError(f"not a document: {fetched.url} (a feed)")
    textual_type = not ctype or "html" in ctype or ctype.startswith("text/")
    if textual_type and not _textual(fetched.content):
        return DocumentError(f"not a document: {fetched.url} (binary content, not text)")
    return DocumentError(f"not a document: {fetched.url} ({shown})")


def from_fetched(fetched: Fetched, *, source: Source | None = None) -> Document:
    """Return the Document of a fetched body: HTML page, PDF report, workbook or plain text.

    Raises `DocumentError` for a 304 (nothing to read), a feed, and anything that
    is not a document (an image, an archive, a "PDF" that is an HTML page).
    """
    return read_fetched(fetched, source=source)[0]


def read_fetched(
    fetched: Fetched, *, source: Source | None = None, rules: PageRules | None = None
) -> tuple[Document, PageLinks]:
    """Return the Document of a fetched body and, for an HTML page, its links to reports."""
    if fetched.not_modified:
        raise DocumentError(f"{fetched.url}: not modified, nothing to read")
    publisher = source.publisher if source else None
    kind = kind_of(fetched.content, fetched.content_type, name=fetched.url)
    if kind == "pdf":
        return pdf_to_document(fetched.content, url=fetched.url, publisher=publisher), PageLinks()
    if kind == "xlsx":
        return xlsx_to_document(fetched.content, url=fetched.url, publisher=publisher), PageLinks()
    if kind == "html":
        return read_html(
            fetched.content,
            url=fetched.url,
            content_type=fetched.content_type or "text/html",
            content_selector=source.content_selector if source else None,
            publisher=publisher,
            rules=rules,
        )
    if kind == "text":
        text = decode(fetched.content, fetched.content_type)
        return text_to_document(text, url=fetched.url, publisher=publisher), PageLinks()
    raise _not_a_document(fetched, kind)


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
