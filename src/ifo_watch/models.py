"""Frozen dataclasses that cross module borders."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, Literal

Measure = Literal["level", "change"]
ChangeKind = Literal["changed", "revised", "new"]
# How sure a figure's indicator is: named by the catalog in its own clause, by the
# catalog leaning on the sentence before, the title or the figure it follows, or a key
# derived from the words around it (weak: its changes are marked for review).
Identity = Literal["catalogued", "context", "derived"]
ChangeStatus = Literal["pending", "accepted", "rejected"]


@dataclass(frozen=True)
class Source:
    """One entry of the sources file."""

    name: str
    publisher: str
    url: str
    kind: str = "auto"  # auto | feed | listing | page | pdf
    include: tuple[str, ...] = ()  # keyword filter on titles/urls; empty keeps all
    link_selector: str | None = None  # CSS selector for article links on a listing page
    content_selector: str | None = None  # CSS selector for the main text of article pages
    max_items: int = 30
    hosts: tuple[str, ...] = ()  # further hosts its links and redirects may lead to
    site: str | None = None  # the site adapter (data/sites.toml); None: by the URL's host
    fallback: str | None = None  # a listing read when the feed cannot be read
    subjects: tuple[int, ...] = ()  # Socialstyrelsen subject ids kept from an embedded list
    follow_reports: bool = True  # fetch the reports (PDF, xlsx) a page links to
    delay: float | None = None  # seconds between two requests to its host
    concurrency: int | None = None  # requests at a time to its host


@dataclass(frozen=True)
class Table:
    """A table from an HTML page or PDF: header rows and body rows of cell text."""

    caption: str | None
    header: tuple[tuple[str, ...], ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Route:
    """One `[[routes]]` entry of the sources file: changes that also go to another channel.

    A change matches when every condition given holds: `metric` (a key, which takes its
    longer keys too, or a prefix ending in "*"), `region`, `publisher`. `env` names the
    environment variable that holds the channel id or the webhook URL.
    """

    name: str
    env: str
    metric: str | None = None
    region: str | None = None
    publisher: str | None = None


@dataclass(frozen=True)
class Document:
    """The clean text of one document version, ready for extraction."""

    url: str  # a URL, or a path for local files
    text: str
    title: str | None = None
    published: date | None = None
    publisher: str | None = None
    tables: tuple[Table, ...] = ()
    content_type: str = "text/plain"


# The contract's order of the keys of a figure in JSON.
FIGURE_KEYS = (
    "metric",
    "label",
    "measure",
    "value",
    "unit",
    "per",
    "qualifier",
    "low",
    "high",
    "period",
    "region",
    "region_type",
    "group",
    "quote",
    "sentence",
    "identity",
)


@dataclass(frozen=True)
class Figure:
    """One figure extracted from Swedish text, in the contract's JSON shape."""

    metric: str
    label: str
    value: float
    unit: str
    quote: str
    sentence: str
    measure: Measure = "level"
    per: str | None = None
    qualifier: str | None = None
    low: float | None = None
    high: float | None = None
    period: str | None = None
    region: str | None = None
    region_type: str | None = None
    group: str | None = None
    offset: int = 0  # character offset of the quote in the document text
    identity: Identity = "catalogued"

    def to_json(self) -> dict[str, Any]:
        """Return the contract's JSON object (integers where the value is whole)."""
        raw = asdict(self)
        for key in ("value", "low", "high"):
            raw[key] = _num(raw[key])
        return {key: raw[key] for key in FIGURE_KEYS}


@dataclass(frozen=True)
class Observation:
    """A figure together with where and when it was published."""

    figure: Figure
    source: str
    published: date | None = None
    document_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the `old`/`new` object of a change in the contract's shape."""
        return {
            "value": _num(self.figure.value),
            "period": self.figure.period,
            "quote": self.figure.quote,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
        }


@dataclass(frozen=True)
class Change:
    """A detected change of one indicator for one (metric, region, group)."""

    kind: ChangeKind
    metric: str
    label: str
    unit: str
    new: Observation
    old: Observation | None = None
    region: str | None = None
    group: str | None = None
    delta: float | None = None
    delta_pct: float | None = None
    id: str | None = None
    status: ChangeStatus | None = None
    found_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the contract's JSON object for `diff --format json`."""
        return {
            "id": self.id,
            "status": self.status,
            "kind": self.kind,
            "metric": self.metric,
            "label": self.label,
            "region": self.region,
            "group": self.group,
            "unit": self.unit,
            "old": self.old.to_json() if self.old else None,
            "new": self.new.to_json(),
            "delta": _num(self.delta),
            "delta_pct": None if self.delta_pct is None else round(self.delta_pct, 1),
            "uncertain": self.uncertain,
        }

    @property
    def uncertain(self) -> bool:
        """Tell a change that rests on a weak identity (a derived key): review it first."""
        return self.new.figure.identity == "derived"


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    rounded = round(float(value), 6)  # 50000 * 1.1 is 55000.000000000007
    return int(rounded) if rounded.is_integer() else rounded


@dataclass(frozen=True)
class Fetched:
    """The raw answer to one HTTP request (or a read local file)."""

    url: str
    content: bytes
    content_type: str
    fetched_at: datetime
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """Return True for a 304 answer to a conditional GET."""
        return self.status == 304

    @property
    def content_hash(self) -> str:
        """Return the SHA-256 of the body, to tell changed content from a new fetch."""
        return hashlib.sha256(self.content).hexdigest()
