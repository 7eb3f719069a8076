"""The review journal (m006): decisions point at observation rows, NULL for no place."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils

from ifo_watch.models import Change, Figure, Observation
from ifo_watch.track.store import Store, _obs_dump, migrations

NOW = datetime(2024, 6, 10, 8, 0, tzinfo=UTC)


def _obs(value: float, period: str, region: str | None = None) -> Observation:
    figure = Figure(
        metric="orosanmalningar",
        label="Orosanmälningar om barn",
        value=value,
        unit="antal",
        quote=f"{value:.0f}",
        sentence=f"{value:.0f} anmälningar {period}.",
        period=period,
        region=region,
    )
    return Observation(figure, source=f"https://example.org/{period}")


def _change(old: Observation, new: Observation, region: str | None = None) -> Change:
    return Change(
        kind="changed",
        metric="orosanmalningar",
        label="Orosanmälningar om barn",
        unit="antal",
        new=new,
        old=old,
        region=region,
        id="ab12cd34",
        status="accepted",
        found_at=NOW,
    )


def test_a_decision_points_at_the_baseline_rows_before_and_after() -> None:
    store = Store.memory()
    old, new = _obs(331000, "2018"), _obs(401000, "2023")
    key = ("orosanmalningar", None, None)
    store.set_baseline(key, old, now=NOW)
    store.add_change(_change(old, new))
    store.set_baseline(key, new, now=NOW, change_id="ab12cd34")
    store.add_decision("ab12cd34", "accepted", key=key, before=old, after=new, now=NOW)
    row = next(iter(store.db.query("select * from decisions")))
    assert (row["region"], row["group"]) == (None, None)
    assert None is not row["before_id"] != row["after_id"] is not None
    entry = store.last_decision("ab12cd34")
    assert entry is not None
    assert (entry.before, entry.after, entry.key) == (old, new, key)
    assert store.baseline_entry(key) == (new, "ab12cd34")
    store.clear_observations()  # the journal's rows stay: undo needs them
    assert store.last_decision("ab12cd34") == entry
    assert store.db.execute("pragma foreign_key_check").fetchall() == []


def test_decisions_journaled_as_json_are_carried_over() -> None:
    """A state of the journal's first form (JSON observations, "" for no place) keeps them."""
    db = sqlite_utils.Database(memory=True)
    migrations.apply(db, stop_before="m006_review_journal")
    store = Store(db)
    old, new = _obs(25, "2022", "Gotlands län"), _obs(31, "2023", "Gotlands län")
    store.add_change(_change(old, new, region="Gotlands län"))
    db.table("decisions").create(
        {
            "id": int,
            "change_id": str,
            "action": str,
            "metric": str,
            "region": str,
            "grp": str,
            "before": str,
            "after": str,
            "decided_at": str,
            "undone_at": str,
        },
        pk="id",
    )
    db.table("decisions").create_index(["change_id"])
    db.table("decisions").insert(
        {
            "change_id": "ab12cd34",
            "action": "accepted",
            "metric": "orosanmalningar",
            "region": "Gotlands län",
            "grp": "",
            "before": _obs_dump(old),
            "after": _obs_dump(new),
            "decided_at": NOW.isoformat(),
        }
    )
    migrations.apply(db)
    db.execute("PRAGMA foreign_keys = ON")
    entry = store.last_decision("ab12cd34")
    assert entry is not None
    assert entry.key == ("orosanmalningar", "Gotlands län", None)
    assert (entry.before, entry.after) == (old, new)
    assert "_old_decisions" not in db.table_names()
    assert db.execute("pragma foreign_key_check").fetchall() == []
