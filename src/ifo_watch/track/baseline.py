"""The baseline service over store and diff: seed, compare, ingest, review, re-extract.

The CLI and the pipeline call these functions; they hold the transactions, so a
document is recorded whole or not at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

from ifo_watch.errors import UsageError
from ifo_watch.models import Change, ChangeStatus, Document, Fetched, Figure, Observation
from ifo_watch.track import diff, series
from ifo_watch.track.diff import CatalogLike, Key
from ifo_watch.track.manifest import seed_origins
from ifo_watch.track.store import Publication, Store, StoredVersion, text_hash

AlertNew = Literal["catalogued", "all", "none"]
ALERT_NEW = ("catalogued", "all", "none")
SEED_SOURCE = "seed"
DEFAULT_DESTINATIONS = ("slack",)


@dataclass(frozen=True)
class ReextractResult:
    """What a re-extraction did to the stored state."""

    versions: int  # document versions extracted again
    figures: int  # figures the new extractor found in them
    rekeyed: int  # baseline entries and changes moved to another key
    dropped: int  # baseline entries whose figure the new extractor no longer finds
    added: int  # baseline entries new from seed documents


def load_catalog() -> CatalogLike:
    """Return the project's metric catalog (loaded lazily: the CLI may never need it)."""
    from ifo_watch.extract import Catalog

    catalog: CatalogLike = Catalog.load()
    return catalog


def observations(
    doc: Document,
    figures: Iterable[Figure],
    *,
    version_id: int | None = None,
    catalog: CatalogLike | None = None,
) -> list[Observation]:
    """Return a document's figures as observations, under the catalog's canonical keys."""
    out = []
    for fig in figures:
        metric = catalog.canonical(fig.metric) if catalog else fig.metric
        if metric != fig.metric:
            fig = replace(fig, metric=metric)
        out.append(
            Observation(figure=fig, source=doc.url, published=doc.published, document_id=version_id)
        )
    return out


def continued(
    store: Store,
    obs: Sequence[Observation],
    catalog: CatalogLike,
    *,
    found: FoundChanges | None = None,
) -> list[Observation]:
    """Return observations with each uncatalogued key that continues a stored series re-keyed.

    A derived key the state has no series of may be a stored series worded otherwise a
    year later; `series.links` decides, and its figures then go on under the stored key.
    A series is a baseline entry, and with `found` (a watch cycle's) also a key whose
    figures wait in changes not yet reviewed; without it (`diff PATH`) the baseline only.
    """
    by_key: dict[Key, list[Observation]] = {}
    for o in obs:
        by_key.setdefault(diff.key_of(o.figure, catalog), []).append(o)
    fresh = {key: items for key, items in by_key.items() if _derived(key[0], catalog)}
    if fresh:
        known = set(_baseline_for(store, fresh, catalog))
        if found is not None:
            known |= {(c.metric, c.region, c.group) for c in found.of(store, list(fresh))}
        fresh = {key: items for key, items in fresh.items() if key not in known}
    if not fresh:
        return list(obs)
    keys = store.series_keys(
        {p for key in fresh if (p := series.prefix_of(key[0]))},
        {key[1:] for key in fresh},
        with_changes=found is not None,
    )
    wanted = series.candidates(fresh, {key for key in keys if _derived(key[0], catalog)})
    stored = {key: o.figure for key, o in store.baseline_of(wanted).items()}
    if found is not None:
        missing = [key for key in wanted if key not in stored]
        stored |= {key: o.figure for key, o in store.latest_found(missing).items()}
    linked = series.links(
        {key: diff.best(items).figure for key, items in fresh.items()},
        stored,
        present=list(by_key),
    )
    return [
        replace(o, figure=replace(o.figure, metric=linked[key][0]))
        if (key := diff.key_of(o.figure, catalog)) in linked
        else o
        for o in obs
    ]


def _derived(metric: str, catalog: CatalogLike) -> bool:
    """Return True for a key derived from a figure's words (no catalog entry)."""
    info = catalog.get(metric)
    return series.prefix_of(metric) is not None and not (info is not None and info.catalogued)


# -- seed --------------------------------------------------------------------------------


def seed(
    store: Store,
    docs_and_figures: Iterable[tuple[Document, list[Figure]]],
    *,
    now: datetime,
    extractor_version: str,
    catalog: CatalogLike | None = None,
    origins: Mapping[str, Publication] | None = None,
) -> int:
    """Build or extend the baseline from documents; return how many keys it set or moved.

    A seed document already applied (same URL, same text) is skipped, so running
    seed twice changes nothing and returns 0 the second time. Among the seeds, the
    baseline order decides which figure of a key is current; nothing is alerted.
    Each seed is recorded with where it was first published (`origins`, by URL;
    default: the manifest of the bundled seeds).
    """
    cat = catalog or load_catalog()
    known = seed_origins() if origins is None else origins
    written: set[Key] = set()
    with store.transaction():
        for doc, figures in docs_and_figures:
            content_hash = text_hash(doc.text)
            if store.seed_applied(doc.url, content_hash):
                continue
            version_id, _ = store.add_version(doc, source=SEED_SOURCE, fetched=None, now=now)
            store.add_figures(version_id, figures, extractor_version=extractor_version)
            obs = continued(
                store, observations(doc, figures, version_id=version_id, catalog=cat), cat
            )
            store.add_observations(obs, role="seed", now=now)
            written |= _promote(store, obs, catalog=cat, now=now)
            store.mark_seed(
                doc.url,
                content_hash,
                now=now,
                extractor_version=extractor_version,
                version_id=version_id,
                origin=known.get(doc.url),
            )
    return len(written)


def _promote(
    store: Store,
    obs: Sequence[Observation],
    *,
    catalog: CatalogLike,
    now: datetime,
    only_missing: bool = False,
) -> set[Key]:
    """Make each key's best observation current where it beats the baseline's; return its keys."""
    groups: dict[Key, list[Observation]] = {}
    for o in obs:
        groups.setdefault(diff.key_of(o.figure, catalog), []).append(o)
    current = _baseline_for(store, groups, catalog)
    written: set[Key] = set()
    for key, items in groups.items():
        top = diff.best(items)
        old = current.get(key)
        if old is None or (not only_missing and diff.order_key(top) > diff.order_key(old)):
            _set_baseline(store, key, top, catalog=catalog, now=now)
            written.add(key)
    return written


def _names(metric: str, catalog: CatalogLike) -> set[str]:
    """Return a metric's canonical key and every alias it is stored under."""
    canonical = catalog.canonical(metric)
    info = catalog.get(canonical)
    return {metric, canonical, *(info.aliases if info else ())}


def _stored_keys(keys: Iterable[Key], catalog: CatalogLike) -> list[Key]:
    """Return every key the state may hold an entry of these (canonical) keys under.

    That is each name of their metrics (the key, its aliases) whose canonical key,
    with the same region and group, is one of them: what reading every row of those
    metrics and keeping the rows of these keys would keep.
    """
    places: dict[str, list[tuple[str | None, str | None]]] = {}
    for metric, region, group in keys:
        places.setdefault(metric, []).append((region, group))
    names: set[str] = set()
    for metric in places:
        names |= _names(metric, catalog)
    return [
        (name, region, group)
        for name in sorted(names)
        for region, group in places.get(catalog.canonical(name), ())
    ]


def _baseline_for(
    store: Store, keys: Iterable[Key], catalog: CatalogLike
) -> dict[Key, Observation]:
    """Return the baseline entries of some keys, found under any alias, canonically keyed."""
    found = store.baseline_of(_stored_keys(keys, catalog))
    return {(catalog.canonical(k[0]), k[1], k[2]): o for k, o in found.items()}


def _set_baseline(
    store: Store,
    key: Key,
    obs: Observation,
    *,
    catalog: CatalogLike,
    now: datetime,
    change_id: str | None = None,
) -> None:
    """Set a key's baseline, removing an entry left under an old (alias) name."""
    for name in _names(key[0], catalog) - {key[0]}:
        store.delete_baseline((name, key[1], key[2]))
    store.set_baseline(key, obs, now=now, change_id=change_id)


# -- compare and ingest ------------------------------------------------------------------


def compare(
    store: Store, doc: Document, figures: Sequence[Figure], *, catalog: CatalogLike | None = None
) -> list[Change]:
    """Compare a document's figures with the baseline, recording nothing (status None).

    Only the baseline (and the figures recorded before, for figures without a period)
    counts here, not the changes watch cycles found: `diff PATH` answers "what does
    this document say against the baseline".
    """
    cat = catalog or load_catalog()
    obs = continued(store, observations(doc, figures, catalog=cat), cat)
    keys = {diff.key_of(o.figure, cat) for o in obs}
    result = diff.detect(
        obs,
        baseline=_baseline_for(store, keys, cat),
        observed=_observed_for(store, diff.undated_keys(obs, cat), cat),
        catalog=cat,
    )
    return list(result.changes)


def ingest(
    store: Store,
    doc: Document,
    figures: Sequence[Figure],
    *,
    fetched: Fetched | None = None,
    source: str | None = None,
    now: datetime,
    extractor_version: str,
    auto_accept: bool = False,
    alert_new: str = "catalogued",
    destinations: Sequence[str] | Callable[[Change], Sequence[str]] = DEFAULT_DESTINATIONS,
    catalog: CatalogLike | None = None,
    found: FoundChanges | None = None,
) -> list[Change]:
    """Record a document version and what its figures change; return the new changes.

    One transaction: the version, its figures, the history, the changes and the outbox
    rows land together or not at all (`destinations` may be a function of the change, for
    routes). A page back at the same URL is compared figure
    by figure through the baseline and the changes already found, so a redesign or a
    new date gives nothing and one corrected figure gives one change. A cycle passes
    its `found`, so that each key's changes are read once a cycle, not once a document.
    """
    if alert_new not in ALERT_NEW:
        raise UsageError(f"alert_new must be one of {', '.join(ALERT_NEW)}: {alert_new}")
    cat = catalog or load_catalog()
    known = found if found is not None else FoundChanges()
    try:
        with store.transaction():
            version_id, _ = store.add_version(doc, source=source, fetched=fetched, now=now)
            store.add_figures(version_id, figures, extractor_version=extractor_version)
            obs = observations(doc, figures, version_id=version_id, catalog=cat)
            obs = continued(store, obs, cat, found=known)
            result = _detect_with_found(store, obs, cat, known)
            store.add_observations(result.history, role="history", now=now)
            store.add_observations([c.new for c in result.changes], role="change", now=now)
            recorded = _record_all(store, result.changes, cat, now=now, auto_accept=auto_accept)
            store.enqueue_all(
                [
                    (done.id or "", destination)
                    for done in recorded
                    if should_alert(done, cat, alert_new=alert_new)
                    for destination in (
                        destinations(done) if callable(destinations) else destinations
                    )
                ],
                now=now,
            )
            known.add(recorded)  # inside: another thread's document sees them with the rows
    except BaseException:
        known.forget()  # the rows may not have landed
        raise
    return recorded


class FoundChanges:
    """The changes recorded so far of the keys a cycle's documents name, read once a cycle.

    Each document is compared with every change found before of its keys; read again
    for each document, they would cost more with every document the state holds. This
    keeps each key's changes as first read, adds those the cycle records, and forgets
    everything when another connection has written to the state since (SQLite's
    `data_version`: a review decision taken while the cycle runs), or when a document's
    transaction fails. Safe to share between the threads of one cycle.
    """

    def __init__(self) -> None:
        self._by_key: dict[Key, list[Change]] = {}
        self._version: int | None = None
        self._lock = threading.Lock()

    def of(self, store: Store, keys: Sequence[Key]) -> list[Change]:
        """Return the recorded changes of exactly these keys (as `Store.changes_of`)."""
        with self._lock:
            version = store.data_version()
            if version != self._version:
                self._by_key.clear()
                self._version = version
            missing = [key for key in dict.fromkeys(keys) if key not in self._by_key]
            if missing:
                for key in missing:
                    self._by_key[key] = []
                for change in store.changes_of(missing):
                    self._by_key[(change.metric, change.region, change.group)].append(change)
            return [change for key in dict.fromkeys(keys) for change in self._by_key[key]]

    def add(self, changes: Iterable[Change]) -> None:
        """Add changes just recorded to the keys kept (a key not read yet is read whole later)."""
        with self._lock:
            for change in changes:
                kept = self._by_key.get((change.metric, change.region, change.group))
                if kept is not None:
                    kept.append(change)

    def forget(self) -> None:
        """Drop everything kept: the next document reads its keys again."""
        with self._lock:
            self._by_key.clear()
            self._version = None


def _detect_with_found(
    store: Store, obs: Sequence[Observation], catalog: CatalogLike, found: FoundChanges
) -> diff.DiffResult:
    """Compare observations with the baseline, the changes found and the history of their keys.

    Only the rows of the document's own keys are read, and the history only of the
    keys whose figure has no period (the only ones `detect` looks it up for).
    """
    keys = {diff.key_of(o.figure, catalog) for o in obs}
    return diff.detect(
        obs,
        baseline=_baseline_for(store, keys, catalog),
        found=found.of(store, _stored_keys(keys, catalog)),
        observed=_observed_for(store, diff.undated_keys(obs, catalog), catalog),
        catalog=catalog,
    )


def _observed_for(
    store: Store, keys: Iterable[Key], catalog: CatalogLike
) -> dict[Key, list[Figure]]:
    """Return the figures recorded so far for some keys, found under any alias."""
    wanted = {key: sorted(_names(key[0], catalog)) for key in keys}
    found = store.observations_of(
        (name, region, group) for (_, region, group), names in wanted.items() for name in names
    )
    out: dict[Key, list[Figure]] = {}
    for (metric, region, group), names in wanted.items():
        figures = [o.figure for name in names for o in found.get((name, region, group), ())]
        if figures:
            out[(metric, region, group)] = figures
    return out


def _record_all(
    store: Store,
    changes: Sequence[Change],
    catalog: CatalogLike,
    *,
    now: datetime,
    auto_accept: bool,
) -> list[Change]:
    """Record found changes as pending (or accepted at once); return those not known before."""
    if auto_accept:  # each moves the baseline before the next is recorded, as one by one
        found = (_record(store, c, catalog, now=now, auto_accept=True) for c in changes)
        return [done for done in found if done is not None]
    return store.add_changes([replace(c, status="pending", found_at=now) for c in changes])


def _record(
    store: Store, change: Change, catalog: CatalogLike, *, now: datetime, auto_accept: bool
) -> Change | None:
    """Record one found change (accepted at once when asked); None when known already."""
    pending = replace(change, status="pending", found_at=now)
    if not store.add_change(pending):
        return None
    if not auto_accept:
        return pending
    return _accept_one(store, pending, catalog, now=now)


def should_alert(change: Change, catalog: CatalogLike, *, alert_new: str = "catalogued") -> bool:
    """Return True when a change goes to the outbox: `changed`, `revised`; `new` by setting."""
    if change.kind in ("changed", "revised") or alert_new == "all":
        return True
    if alert_new == "none":
        return False
    info = catalog.get(change.metric)
    return info is not None and info.catalogued


# -- review ------------------------------------------------------------------------------


def pending(store: Store) -> list[Change]:
    """Return the changes that wait for review, ordered by label, region and group."""
    return sorted(store.changes(status="pending"), key=diff.sort_key)


def accept(
    store: Store,
    ids: Sequence[str] | None,
    *,
    now: datetime,
    catalog: CatalogLike | None = None,
) -> list[Change]:
    """Accept pending changes (None = all): the baseline moves to each new figure.

    Several changes of one key are applied in the baseline order, so the best one
    ends up current; a change about an older period than the baseline's is accepted
    without moving it back.
    """
    cat = catalog or load_catalog()
    with store.transaction():
        chosen = sorted(_resolve(store, ids), key=lambda c: diff.order_key(c.new))
        return sorted((_accept_one(store, c, cat, now=now) for c in chosen), key=diff.sort_key)


def _accept_one(store: Store, change: Change, catalog: CatalogLike, *, now: datetime) -> Change:
    key: Key = (catalog.canonical(change.metric), change.region, change.group)
    current = _baseline_for(store, [key], catalog).get(key)
    after = current
    if current is None or not _older(change.new, current):
        _set_baseline(store, key, change.new, catalog=catalog, now=now, change_id=change.id)
        after = change.new
    store.set_status(change.id or "", "accepted", now=now)
    store.add_decision(change.id or "", "accepted", key=key, before=current, after=after, now=now)
    return replace(change, status="accepted")


def _older(obs: Observation, than: Observation) -> bool:
    mine, theirs = diff.period_end(obs.figure.period), diff.period_end(than.figure.period)
    return mine is not None and theirs is not None and mine < theirs


def reject(
    store: Store,
    ids: Sequence[str] | None,
    *,
    now: datetime,
    catalog: CatalogLike | None = None,
) -> list[Change]:
    """Reject pending changes (None = all): the baseline stays and they are silenced."""
    cat = catalog or load_catalog()
    with store.transaction():
        chosen = _resolve(store, ids)
        for change in chosen:
            store.set_status(change.id or "", "rejected", now=now)
            key: Key = (cat.canonical(change.metric), change.region, change.group)
            current = _baseline_for(store, [key], cat).get(key)
            store.add_decision(
                change.id or "", "rejected", key=key, before=current, after=current, now=now
            )
    return sorted((replace(c, status="rejected") for c in chosen), key=diff.sort_key)


def _resolve(store: Store, ids: Sequence[str] | None) -> list[Change]:
    """Return the pending changes named by ids or unique id prefixes (None = all)."""
    if ids is None:
        return store.changes(status="pending")
    wanted: list[str] = []
    for given in ids:
        matches = store.find_change_ids(given.strip().lower())
        if not matches:
            raise UsageError(f"no change with id {given}")
        if len(matches) > 1:
            raise UsageError(f"id {given} is ambiguous: {', '.join(matches)}")
        wanted.append(matches[0])
    changes = {c.id: c for c in store.changes(ids=wanted)}
    for change_id in wanted:
        status: ChangeStatus | None = changes[change_id].status
        if status != "pending":
            raise UsageError(f"change {change_id} is already {status}")
    return [changes[i] for i in dict.fromkeys(wanted)]


def history(
    store: Store,
    metric: str,
    *,
    region: str | None = None,
    group: str | None = None,
    catalog: CatalogLike | None = None,
) -> list[Observation]:
    """Return the series of one (metric, region, group), oldest period first.

    An old (alias) key finds the series of its canonical key. Figures without a
    period come first, then by period, then by publication.
    """
    cat = catalog or load_catalog()
    seen: dict[tuple[object, ...], Observation] = {}
    for name in sorted(_names(metric, cat)):
        for obs in store.observations(name, region=region, group=group):
            seen.setdefault(_identity(obs), obs)
    return sorted(seen.values(), key=_series_key)


def _identity(obs: Observation) -> tuple[object, ...]:
    f = obs.figure
    return (f.period, f.value, f.qualifier, f.quote, obs.source)


def _series_key(obs: Observation) -> tuple[date, date, int]:
    end = diff.period_end(obs.figure.period)
    return (end or date.min, obs.published or date.min, obs.document_id or 0)


# -- re-extraction -----------------------------------------------------------------------


def reextract(
    store: Store,
    extract: Callable[[Document], list[Figure]],
    *,
    now: datetime,
    extractor_version: str,
    catalog: CatalogLike | None = None,
) -> ReextractResult:
    """Re-run extraction over every stored document version and re-key the state silently.

    Each baseline entry and found change follows its figure (same document version,
    same quote and value) to the key the new extractor gives it; a catalog rename
    moves old keys to their canonical name. The history is rebuilt from the new
    figures. Nothing is alerted and no change is found.
    """
    cat = catalog or load_catalog()
    with store.transaction():
        versions = store.versions()
        fresh: dict[int, list[Observation]] = {}
        for version in versions:
            figures = extract(version.document)
            store.add_figures(version.id, figures, extractor_version=extractor_version)
            fresh[version.id] = observations(
                version.document, figures, version_id=version.id, catalog=cat
            )
        moved, dropped = _rekey_baseline(store, fresh, cat, now=now)
        moved += _rekey_changes(store, fresh, cat)
        store.clear_observations(fresh)  # pruned versions keep theirs: they cannot be re-read
        for obs in fresh.values():
            store.add_observations(obs, role="history", now=now)
        added = _promote_seeds(store, versions, fresh, cat, now=now)
    return ReextractResult(
        versions=len(versions),
        figures=sum(len(o) for o in fresh.values()),
        rekeyed=moved,
        dropped=dropped,
        added=added,
    )


def _match(
    obs: Observation, fresh: dict[int, list[Observation]], catalog: CatalogLike
) -> Observation | None:
    """Return the re-extracted observation of the same figure in the same version.

    Same value and unit are required; then the same quote, the nearest offset, and
    as tie-breakers the same key and period (one quote may carry several places:
    "Samtliga kommuner i Västmanland och Halland").
    """
    if obs.document_id is None or obs.document_id not in fresh:
        return obs
    old = obs.figure
    old_key = diff.key_of(old, catalog)
    candidates = [
        o
        for o in fresh[obs.document_id]
        if o.figure.value == old.value and o.figure.unit == old.unit
    ]
    if not candidates:
        return None

    def score(o: Observation) -> tuple[bool, int, bool, bool, bool, bool]:
        f = o.figure
        return (
            f.quote != old.quote,
            abs(f.offset - old.offset),
            catalog.canonical(f.metric) != old_key[0],
            f.region != old.region,
            f.group != old.group,
            f.period != old.period,
        )

    return min(candidates, key=score)


def _rekey_baseline(
    store: Store, fresh: dict[int, list[Observation]], catalog: CatalogLike, *, now: datetime
) -> tuple[int, int]:
    """Move each baseline entry to its figure's new key; rows that stay the same are kept."""
    moved = dropped = 0
    entries = store.baseline()
    placed: dict[Key, Observation] = {}
    for key, obs in entries.items():
        match = _match(obs, fresh, catalog)
        if match is None:
            dropped += 1
            continue
        new_key = diff.key_of(match.figure, catalog)
        moved += new_key != key
        if new_key not in placed or diff.order_key(match) > diff.order_key(placed[new_key]):
            placed[new_key] = match
    for key in entries.keys() - placed.keys():
        store.delete_baseline(key)
    for key, obs in placed.items():
        if entries.get(key) != obs:
            store.set_baseline(key, obs, now=now)
    return moved, dropped


def _rekey_changes(store: Store, fresh: dict[int, list[Observation]], catalog: CatalogLike) -> int:
    moved = 0
    for change in store.changes():
        match = _match(change.new, fresh, catalog)
        if match is None:
            continue
        key = diff.key_of(match.figure, catalog)
        if key == (change.metric, change.region, change.group) and match == change.new:
            continue
        old = change.old
        if old is not None:
            old = replace(old, figure=replace(old.figure, metric=key[0]))
        store.update_change(
            replace(change, metric=key[0], region=key[1], group=key[2], new=match, old=old)
        )
        moved += key != (change.metric, change.region, change.group)
    return moved


def _promote_seeds(
    store: Store,
    versions: Sequence[StoredVersion],
    fresh: dict[int, list[Observation]],
    catalog: CatalogLike,
    *,
    now: datetime,
) -> int:
    """Let seed documents fill keys the new extractor finds and the baseline lacks."""
    seeded = [o for v in versions if v.source == SEED_SOURCE for o in fresh[v.id]]
    return len(_promote(store, seeded, catalog=catalog, now=now, only_missing=True))
