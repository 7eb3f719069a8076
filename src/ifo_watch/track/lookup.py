"""Find indicators and places as people write them: label words, prefixes, place names.

The metric catalog and the state together know which indicators exist; a person
names one by its key, an old key, the start of a key ("orosanmalning"), or words of
its Swedish label ("långvarigt bistånd"). Places are normalised the way the
extractor writes them: "Uppsala" and "Region Uppsala" are "Uppsala län", "Gotland"
is "Gotlands län", "Malmö stad" is "Malmö". When nothing matches, the error names
the nearest names there are.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ifo_watch import resources
from ifo_watch.errors import UsageError
from ifo_watch.extract import Catalog
from ifo_watch.models import Observation
from ifo_watch.track import diff
from ifo_watch.track.diff import Key
from ifo_watch.track.store import Store

PlaceType = Literal["län", "kommun"]
# Swedish plural and definite endings: "orosanmalning" names "orosanmalningar".
_ENDINGS = ("", "ar", "er", "or", "r", "n", "en", "na", "arna", "erna", "orna")
_ANYWHERE = 4  # a search word this long matches inside a word too
_SHOWN = 8  # names listed in an error about an ambiguous or unknown name


@dataclass(frozen=True)
class Indicator:
    """One indicator as `ifo-watch metrics` lists it: the catalog's and the state's together.

    `latest` is the newest figure the state holds (found by watch cycles, whether
    reviewed or not): the whole country's when there is one, else of any region or
    group; newest by period, then an exact value before a hedged one, then publication.
    """

    key: str
    label: str
    unit: str | None
    catalogued: bool
    observations: int
    latest: Observation | None = None

    def to_json(self) -> dict[str, object]:
        """Return the JSON object of `metrics --format json`."""
        latest = None
        if self.latest is not None:
            f = self.latest.figure
            latest = {**self.latest.to_json(), "region": f.region, "group": f.group}
        return {
            "metric": self.key,
            "label": self.label,
            "unit": self.unit,
            "catalogued": self.catalogued,
            "observations": self.observations,
            "latest": latest,
        }


def fold(text: str) -> str:
    """Return text lower-cased and without diacritics: 'Orosanmälningar' -> 'orosanmalningar'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def indicators(store: Store, catalog: Catalog, search: str | None = None) -> list[Indicator]:
    """Return the indicators of the catalog and the state, those matching `search` if given.

    A search keeps the indicators whose label or key holds every one of its words
    (case and diacritics aside: "barn" finds "Barnavårdsutredningar" and "placerade
    barn"). Ordered by label.
    """
    known = _known(store, catalog)
    found = list(known.values())
    if search and search.strip():
        words = fold(search).split()
        found = [i for i in found if all(_has(_haystack(i), w) for w in words)]
    return sorted(found, key=lambda i: (fold(i.label), i.key))


def _haystack(indicator: Indicator) -> str:
    return " " + fold(f"{indicator.label} {indicator.key.replace('_', ' ')}")


def _has(haystack: str, word: str) -> bool:
    """Return True when a folded word is in a label: anywhere from 4 letters, else a word start.

    Swedish compounds hide words ("barn" in "skolbarn", "hushåll" in
    "biståndshushåll"); a short word ("om", "per") would match inside too much.
    """
    return word in haystack if len(word) >= _ANYWHERE else f" {word}" in haystack


def _known(store: Store, catalog: Catalog) -> dict[str, Indicator]:
    counts: dict[str, int] = {}
    for metric, n in store.observation_counts().items():
        key = catalog.canonical(metric)
        counts[key] = counts.get(key, 0) + n
    labels: dict[str, tuple[str, str | None]] = {}
    latest: dict[str, Observation] = {}
    for metric, region, group in store.observation_keys():
        key = catalog.canonical(metric)
        for obs in store.observations(metric, region=region, group=group):
            labels.setdefault(key, (obs.figure.label, obs.figure.unit))
            if _newer(obs, (region, group), latest.get(key)):
                latest[key] = obs
    for change in store.changes():
        labels.setdefault(catalog.canonical(change.metric), (change.label, change.unit))
    out: dict[str, Indicator] = {}
    for m in catalog.metrics:
        out[m.key] = Indicator(
            m.key, m.label, m.unit, True, counts.get(m.key, 0), latest.get(m.key)
        )
    for key, (label, unit) in labels.items():
        if key not in out:
            info = catalog.get(key)
            listed = info is not None and info.catalogued
            out[key] = Indicator(key, label, unit, listed, counts.get(key, 0), latest.get(key))
    return out


def _newer(
    obs: Observation, where: tuple[str | None, str | None], than: Observation | None
) -> bool:
    if than is None:
        return True
    national = where == (None, None)
    was_national = (than.figure.region, than.figure.group) == (None, None)
    if national != was_national:
        return national
    return diff.order_key(obs) > diff.order_key(than)


# -- metrics -------------------------------------------------------------------------------


def match_metrics(store: Store, catalog: Catalog, query: str) -> list[str]:
    """Return the keys a name stands for: a key or old key, a key's start, or label words.

    An exact key (or an old one) gives itself; else the keys that are the name with a
    Swedish ending ("orosanmalning" -> "orosanmalningar"); else every key that starts
    with it; else the indicators whose label holds all its words. Raise a UsageError
    naming the nearest keys when nothing matches.
    """
    text = query.strip()
    if not text:
        raise UsageError("name an indicator (ifo-watch metrics lists them)")
    known = _known(store, catalog)
    canonical = catalog.canonical(text)
    if canonical in known:
        return [canonical]
    if catalog.get(text) is not None:  # a derived key: "okning_orosanmalningar"
        return [canonical]
    slug = fold(text).replace(" ", "_").replace("-", "_")
    inflected = [slug + ending for ending in _ENDINGS if slug + ending in known]
    if len(inflected) == 1:
        return inflected
    prefixed = sorted(k for k in known if k.startswith(slug))
    if prefixed:
        return prefixed
    words = fold(text).split()
    labelled = [k for k, i in known.items() if all(_has(_haystack(i), w) for w in words)]
    if labelled:
        return sorted(labelled, key=lambda k: (fold(known[k].label), k))
    raise UsageError(f"no indicator matches '{text}'{_nearest(slug, known)}")


def resolve_metric(store: Store, catalog: Catalog, query: str) -> str:
    """Return the one key a name stands for, preferring indicators the state has figures of."""
    keys = match_metrics(store, catalog, query)
    if len(keys) == 1:
        return keys[0]
    counts = {k: n for k, n in _counts(store, catalog).items() if k in keys and n}
    if len(counts) == 1:
        return next(iter(counts))
    shown = sorted(keys, key=lambda k: (-counts.get(k, 0), k))[:_SHOWN]
    listed = ", ".join(f"{k} ({_figures(counts[k])})" if k in counts else k for k in shown)
    more = f" and {len(keys) - len(shown)} more" if len(keys) > len(shown) else ""
    raise UsageError(
        f"'{query.strip()}' matches {len(keys)} indicators: {listed}{more}; name one "
        f"(ifo-watch metrics {query.strip()} lists them)"
    )


def _figures(count: int) -> str:
    return f"{count} figure" if count == 1 else f"{count} figures"


def with_aliases(keys: Iterable[str], catalog: Catalog) -> frozenset[str]:
    """Return keys with every old key the catalog knows them by (the state may hold those)."""
    out: set[str] = set()
    for key in keys:
        out.add(key)
        info = catalog.get(key)
        if info is not None:
            out.update(info.aliases)
    return frozenset(out)


def _counts(store: Store, catalog: Catalog) -> dict[str, int]:
    counts: dict[str, int] = {}
    for metric, n in store.observation_counts().items():
        key = catalog.canonical(metric)
        counts[key] = counts.get(key, 0) + n
    return counts


def nearest(store: Store, catalog: Catalog, text: str) -> str:
    """Return '; did you mean a, b?' naming the keys nearest a name, for a line that says none."""
    slug = fold(text.strip()).replace(" ", "_").replace("-", "_")
    return _nearest(slug, _known(store, catalog))


def no_figures(
    store: Store, catalog: Catalog, metric: str, *, region: str | None, group: str | None
) -> str:
    """Return the line for a series that is empty: where the indicator does have figures."""
    where = ", ".join(x for x in (region, group) if x)
    line = f"no figures for {metric}" + (f" ({where})" if where else "")
    keys = _keys(store, with_aliases([metric], catalog))
    if not keys:
        return line + "; the state has none of it yet (ifo-watch seed, ifo-watch run)"
    places = sorted({", ".join(x for x in (k[1] or "riket", k[2]) if x) for k in keys})
    shown = ", ".join(places[:_SHOWN]) + (" …" if len(places) > _SHOWN else "")
    return f"{line}; it has figures for {shown}"


def _nearest(slug: str, known: dict[str, Indicator]) -> str:
    keys = difflib.get_close_matches(slug, list(known), n=3, cutoff=0.6)
    by_label = {fold(i.label): k for k, i in known.items()}
    for label in difflib.get_close_matches(slug.replace("_", " "), list(by_label), n=3):
        if by_label[label] not in keys:
            keys.append(by_label[label])
    if not keys:
        return " (ifo-watch metrics lists them)"
    return f"; did you mean {', '.join(keys[:3])}? (ifo-watch metrics lists them)"


# -- places --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    name: str
    type: PlaceType
    forms: frozenset[str]  # folded names it goes by


@functools.cache
def _gazetteer() -> tuple[_Place, ...]:
    """Return the 21 län and 290 kommuner of the shipped data with the names they go by."""
    places: list[_Place] = []
    lines = resources.data_file("regions.tsv").read_text("utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    for row in rows[1:]:
        kind, name, _county, forms = [*row, "", "", "", ""][:4]
        if kind == "län":
            base = name.removesuffix(" län")
            names = {name, base, base.removesuffix("s"), *(f for f in forms.split(";") if f)}
            places.append(_Place(name, "län", frozenset(fold(n) for n in names)))
        else:
            places.append(_Place(name, "kommun", frozenset({fold(name)})))
    return tuple(places)


def _spoken(text: str) -> tuple[str, PlaceType | None]:
    """Return a place name without the words that say its type, and the type they say."""
    words = fold(" ".join(text.split()))
    if words.startswith("region "):
        return words.removeprefix("region "), "län"
    for suffix, kind in ((" lan", "län"), (" kommun", "kommun"), (" stad", "kommun")):
        if words.endswith(suffix):
            return words.removesuffix(suffix), kind  # type: ignore[return-value]
    return words, None


def resolve_region(text: str, *, present: Sequence[str | None] = ()) -> str | None:
    """Return the region a person means, as the state stores it; None for the whole country.

    `present` holds the regions the state has figures of (for the indicator at hand):
    a name they hold exactly wins; "Uppsala" is the kommun or the län, whichever the
    state has figures of, the län when both or neither; "län", "kommun", "stad" or
    "Region" say which. A name that is no place raises a UsageError with the nearest.
    """
    if fold(text.strip()) in ("riket", "sverige", "hela landet"):
        return None
    stored = {fold(r): r for r in present if r}
    if fold(text.strip()) in stored:
        return stored[fold(text.strip())]
    name, kind = _spoken(text)
    places = [p for p in _gazetteer() if name in p.forms and kind in (None, p.type)]
    if not places and kind is not None:
        places = [p for p in _gazetteer() if name in p.forms]
    if places:
        with_data = [p for p in places if p.name in present]
        pick = with_data if len(with_data) == 1 else places
        return sorted(pick, key=lambda p: p.type != "län")[0].name
    names = sorted({p.name for p in _gazetteer()} | {r for r in present if r})
    near = difflib.get_close_matches(text.strip(), names, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    raise UsageError(f"no place named '{text.strip()}'{hint}")


def regions_of(store: Store, catalog: Catalog, metric: str) -> list[str | None]:
    """Return the regions the state has figures of for one indicator (None: the country)."""
    names = with_aliases([metric], catalog)
    return sorted({k[1] for k in _keys(store, names)}, key=lambda r: (r is not None, r or ""))


def groups_of(store: Store, catalog: Catalog, metric: str, region: str | None) -> list[str | None]:
    """Return the groups the state has figures of for one indicator and region."""
    names = with_aliases([metric], catalog)
    found = {k[2] for k in _keys(store, names) if k[1] == region}
    return sorted(found, key=lambda g: (g is not None, g or ""))


def resolve_group(text: str, *, present: Sequence[str | None]) -> str | None:
    """Return the group as the state writes it ("Flickor" -> "flickor"), else the text."""
    stored = {fold(g): g for g in present if g}
    return stored.get(fold(text.strip()), text.strip())


def _keys(store: Store, names: frozenset[str]) -> list[Key]:
    return [k for k in store.observation_keys() if k[0] in names]
