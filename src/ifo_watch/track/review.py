"""The review desk: accept, reject and undo with what moved, and the filters of `diff`.

`accept` and `reject` of `baseline` journal each decision with the baseline entry of
its key before and after it (`Store.add_decision`); `undo` takes the latest decision
on a change back: a rejected change is simply pending again, an accepted one puts back
the baseline it replaced, provided nothing moved that baseline since (else the later
decision is named, to be undone first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal, cast

from ifo_watch.errors import UsageError
from ifo_watch.models import Change, ChangeStatus, Observation
from ifo_watch.track import baseline, diff
from ifo_watch.track.diff import CatalogLike
from ifo_watch.track.store import Publication, Store

Action = Literal["accepted", "rejected", "undone"]
STATUSES = ("pending", "accepted", "rejected", "all")


@dataclass(frozen=True)
class Decision:
    """What one review decision did: the change as it now stands and its key's baseline.

    `before` and `after` are the baseline entry of the change's (metric, region, group)
    before and after the decision (None: the baseline had none). `undid` names the
    decision an undo took back.
    """

    action: Action
    change: Change
    before: Observation | None
    after: Observation | None
    undid: str | None = None

    @property
    def moved(self) -> bool:
        """Return True when the decision moved the baseline."""
        return _obs_key(self.before) != _obs_key(self.after)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object of `accept`, `reject` and `undo --format json`."""
        return {
            "id": self.change.id,
            "action": self.action,
            "undid": self.undid,
            "change": self.change.to_json(),
            "baseline": {
                "before": self.before.to_json() if self.before else None,
                "after": self.after.to_json() if self.after else None,
                "moved": self.moved,
            },
        }


def _obs_key(obs: Observation | None) -> tuple[object, ...] | None:
    if obs is None:
        return None
    f = obs.figure
    return (f.value, f.period, f.quote, f.qualifier, obs.source, obs.document_id)


def decide(
    store: Store,
    ids: Sequence[str] | None,
    *,
    action: Literal["accept", "reject"],
    now: datetime,
    catalog: CatalogLike | None = None,
) -> list[Decision]:
    """Accept or reject pending changes (None = all); return what each did to the baseline."""
    with store.transaction():
        if action == "accept":
            done = baseline.accept(store, ids, now=now, catalog=catalog)
            return [_journaled(store, change, "accepted") for change in done]
        done = baseline.reject(store, ids, now=now, catalog=catalog)
        return [_journaled(store, change, "rejected") for change in done]


def _journaled(store: Store, change: Change, action: Action) -> Decision:
    entry = store.last_decision(change.id or "")
    if entry is None:  # pragma: no cover - accept and reject always journal
        return Decision(action, change, None, None)
    return Decision(action, change, entry.before, entry.after)


def undo(
    store: Store,
    ids: Sequence[str],
    *,
    now: datetime,
    catalog: CatalogLike | None = None,
) -> list[Decision]:
    """Take back the latest accept or reject of each change: it is pending again.

    An accepted change puts back the baseline entry it replaced; when a later
    decision has moved that entry since, nothing is undone and the error names the
    change to undo first. Decisions taken before the journal existed cannot be undone.
    """
    cat = catalog or baseline.load_catalog()
    with store.transaction():
        out = [_undo_one(store, change, cat, now=now) for change in find(store, ids)]
    return sorted(out, key=lambda d: diff.sort_key(d.change))


def _undo_one(store: Store, change: Change, catalog: CatalogLike, *, now: datetime) -> Decision:
    cid = change.id or ""
    if change.status == "pending":
        raise UsageError(f"change {cid} is pending: there is no decision to undo")
    entry = store.last_decision(cid)
    if entry is None:
        raise UsageError(
            f"change {cid} was {change.status} before decisions were journaled; it cannot be undone"
        )
    current = store.baseline_entry(entry.key)
    now_obs = current[0] if current else None
    if entry.action == "accepted" and _obs_key(entry.before) != _obs_key(entry.after):
        if _obs_key(now_obs) != _obs_key(entry.after):
            by = current[1] if current else None
            later = f" by {by}; undo {by} first" if by and by != cid else ""
            raise UsageError(
                f"change {cid}: the baseline of {change.label} has moved since it was "
                f"accepted{later}"
            )
        if entry.before is None:
            store.delete_baseline(entry.key)
        else:
            store.set_baseline(entry.key, entry.before, now=now)
    store.reopen_change(cid)
    store.undo_decision(entry.id, now=now)
    restored = store.baseline_entry(entry.key)
    status: ChangeStatus = "pending"
    return Decision(
        "undone",
        replace(change, status=status),
        now_obs,
        restored[0] if restored else None,
        undid=entry.action,
    )


def find(store: Store, ids: Sequence[str]) -> list[Change]:
    """Return the recorded changes named by ids or unique id prefixes, whatever their status."""
    wanted: list[str] = []
    for given in ids:
        matches = store.find_change_ids(given.strip().lower())
        if not matches:
            raise UsageError(f"no change with id {given}")
        if len(matches) > 1:
            raise UsageError(f"id {given} is ambiguous: {', '.join(matches)}")
        wanted.append(matches[0])
    found = {c.id: c for c in store.changes(ids=wanted)}
    return [found[i] for i in dict.fromkeys(wanted)]


# -- filters of `diff` ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeFilter:
    """Which changes `diff` shows: by status, metric keys, source and date.

    `source` is matched, without regard to case, against the sources-file name a
    document was read for, its publisher, title and URL. `since` keeps changes found
    on or after a day (for documents given to `diff`: published on or after it).
    """

    status: str = "pending"  # pending | accepted | rejected | all
    metrics: frozenset[str] | None = None
    source: str | None = None
    since: date | None = None


def recorded(store: Store, flt: ChangeFilter) -> list[Change]:
    """Return the recorded changes a filter keeps, ordered by label, region and group."""
    if flt.status not in STATUSES:
        raise UsageError(f"status must be one of {', '.join(STATUSES)}: {flt.status}")
    status = None if flt.status == "all" else cast(ChangeStatus, flt.status)
    changes = store.changes(status=status, metrics=flt.metrics)
    return sorted(keep(changes, flt, store.publications(_versions(changes))), key=diff.sort_key)


def keep(
    changes: Iterable[Change], flt: ChangeFilter, publications: Mapping[int, Publication]
) -> list[Change]:
    """Return the changes that pass a filter's metric, source and date (status aside)."""
    out = []
    for change in changes:
        if flt.metrics is not None and change.metric not in flt.metrics:
            continue
        if flt.since is not None and (_day(change) or date.min) < flt.since:
            continue
        if flt.source and not _from_source(change, flt.source, publications):
            continue
        out.append(change)
    return out


def _versions(changes: Iterable[Change]) -> list[int | None]:
    return [c.new.document_id for c in changes]


def _day(change: Change) -> date | None:
    if change.found_at is not None:
        return change.found_at.date()
    return change.new.published


def _from_source(change: Change, wanted: str, publications: Mapping[int, Publication]) -> bool:
    needle = wanted.casefold()
    pub = publications.get(change.new.document_id or -1)
    fields = [change.new.source]
    if pub is not None:
        fields += [pub.source or "", pub.publisher or "", pub.title or "", pub.url]
    return any(needle in text.casefold() for text in fields)


_RELATIVE = re.compile(r"(\d+)\s*([dw])")


def parse_since(text: str, *, today: date) -> date:
    """Return the day a `--since` names: YYYY-MM-DD, or a count of days or weeks back ("7d")."""
    value = text.strip().lower()
    if m := _RELATIVE.fullmatch(value):
        days = int(m[1]) * (7 if m[2] == "w" else 1)
        return today - timedelta(days=days)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--since takes a date (2024-05-01) or days back (7d): {text}") from None
