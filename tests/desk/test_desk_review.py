"""Review: diff's filters and source column, ids only where they can be accepted, undo."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from deskkit import FOUND_B, OROS, Desk, fig

from ifo_watch.extract import Catalog
from ifo_watch.models import Document
from ifo_watch.track import baseline

PENDING_AT_80 = """\
{socialjour}  Andel kommuner med socialjour dygnet runt – Gotlands län
          25 procent (2012) → 50 procent (2024), +25 procentenheter
          SKR 2024-06-02
{langvarigt}  Barn i familjer med långvarigt ekonomiskt bistånd
          50 000 (2021) → 56 000 (2023), +6 000 (+12,0 %)
          SKR 2024-06-02
{oros}  Orosanmälningar om barn
          331 000 (2018) → 402 000 (2023), +71 000 (+21,5 %)
          Socialstyrelsen 2024-05-14
{per_dag}  Orosanmälningar om barn per dag
          – → 1 100 (2023), ny
          Socialstyrelsen 2024-05-14
"""


def _ids(desk: Desk) -> dict[str, str]:
    ids = desk.ids()
    return {
        "socialjour": ids["andel_kommuner_socialjour Gotlands län"],
        "langvarigt": ids["barn_langvarigt_ekonomiskt_bistand"],
        "oros": ids["orosanmalningar"],
        "per_dag": ids["orosanmalningar_per_dag"],
    }


def test_diff_at_80_columns_lists_each_change_with_its_source(desk: Desk) -> None:
    """At 80 columns each change gets three lines: id and indicator, values, source."""
    assert desk.run("diff") == (0, PENDING_AT_80.format(**_ids(desk)), "")


def test_diff_as_a_table_with_a_source_column(desk: Desk) -> None:
    """With room, a table: id, indicator, values, difference and source; no word is cut."""
    ids = _ids(desk)
    code, out, _ = desk.run("diff", "--source", "socialstyrelsen", columns=120)
    assert code == 0
    assert [line.rstrip() for line in out.splitlines()] == [
        " Id         Indikator                         Förut            Nu               "
        "Förändring          Källa",
        "─" * 118,
        f" {ids['oros']}   Orosanmälningar om barn           331 000 (2018)   402 000 (2023)   "
        "+71 000 (+21,5 %)   Socialstyrelsen",
        " " * 100 + "2024-05-14",
        f" {ids['per_dag']}   Orosanmälningar om barn per dag   –                1 100 (2023)     "
        "ny                  Socialstyrelsen",
        " " * 100 + "2024-05-14",
    ]


def test_diff_filters_by_metric_source_and_date(desk: Desk) -> None:
    """--metric takes label words, --source a name, publisher or URL, --since a day or '7d'."""
    ids = _ids(desk)

    def listed(*args: str) -> list[str]:
        out = json.loads(desk.run("diff", *args, "--format", "json")[1])
        return [c["id"] for c in out]

    assert listed("--metric", "om barn") == [ids["oros"], ids["per_dag"]]
    assert listed("--metric", "orosanm") == [ids["oros"], ids["per_dag"]]  # a key's start
    assert listed("--metric", "orosanmälningar") == [ids["oros"]]  # a key
    assert listed("--source", "skr-nyheter") == [ids["socialjour"], ids["langvarigt"]]
    assert listed("--source", "skr.se") == [ids["socialjour"], ids["langvarigt"]]
    assert listed("--since", "7d") == [ids["socialjour"], ids["langvarigt"]]  # now: 2024-06-10
    assert listed("--since", "2024-05-16", "--source", "socialstyrelsen") == []
    assert listed("--status", "accepted") == []


def test_diff_status_shows_decided_changes_with_their_status(desk: Desk) -> None:
    """--status all: a status line beside each source."""
    ids = _ids(desk)
    desk.run("accept", ids["oros"])
    desk.run("reject", ids["per_dag"])
    code, out, _ = desk.run("diff", "--status", "all", "--source", "socialstyrelsen")
    assert (code, out) == (
        0,
        f"{ids['oros']}  Orosanmälningar om barn\n"
        "          331 000 (2018) → 402 000 (2023), +71 000 (+21,5 %)\n"
        "          Socialstyrelsen 2024-05-14 · accepted\n"
        f"{ids['per_dag']}  Orosanmälningar om barn per dag\n"
        "          – → 1 100 (2023), ny\n"
        "          Socialstyrelsen 2024-05-14 · rejected\n",
    )
    assert desk.run("diff", "--status", "rejected", "--format", "json")[1].count('"id"') == 1


def test_diff_of_a_document_shows_no_ids_and_says_it_records_nothing(
    desk: Desk, tmp_path: Path
) -> None:
    """`diff PATH`: no id column (nothing could accept it), and a line saying so."""
    doc = tmp_path / "oros.txt"
    doc.write_text(
        "Orosanmälningar 2024\n\nUnder 2024 kom 410 000 orosanmälningar om barn in.\n", "utf-8"
    )
    code, out, err = desk.run("diff", str(doc))
    assert (code, err) == (0, "")
    assert [line.rstrip() for line in out.splitlines()] == [
        " Indikator                 Förut            Nu            Förändring   Källa",
        "─" * 80,
        " Orosanmälningar om barn   331 000 (2018)   410 000       +79 000      oros.txt",
        "                                            (2024)        (+23,9 %)",
        "nothing recorded; ifo-watch run records changes with ids for review",
    ]
    assert desk.run("diff", str(doc), columns=60) == (  # too narrow for the table: a list
        0,
        "  Orosanmälningar om barn\n"
        "  331 000 (2018) → 410 000 (2024), +79 000 (+23,9 %)\n"
        "  oros.txt\n"
        "nothing recorded; ifo-watch run records changes with ids for review\n",
        "",
    )
    assert desk.run("-q", "diff", str(doc), "--format", "markdown") == (
        0,
        "| Indikator | Region | Grupp | Förut | Nu | Förändring | Källa |\n"
        "|---|---|---|---|---|---|---|\n"
        f"| Orosanmälningar om barn |  |  | 331 000 (2018) | 410 000 (2024) | +79 000 (+23,9 %) "
        f"| {doc} |\n",
        "",
    )
    assert desk.run("diff", str(doc), "--status", "all")[2] == (
        "error: --status is for recorded changes; documents' changes have none\n"
    )
    assert len(desk.store().changes()) == 4  # nothing recorded


def test_accept_and_reject_say_what_moved(desk: Desk) -> None:
    """Accept moves the baseline (old → new); reject says where it stays."""
    ids = _ids(desk)
    assert desk.run("accept", ids["oros"], ids["langvarigt"]) == (
        0,
        f"accepted {ids['langvarigt']}: Barn i familjer med långvarigt ekonomiskt bistånd: "
        "drygt 50 000 (2021) → närmare 56 000 (2023)\n"
        "  baseline: 50 000 (2021) → 56 000 (2023)\n"
        f"accepted {ids['oros']}: Orosanmälningar om barn: 331 000 (2018) → 402 000 (2023)\n"
        "  baseline: 331 000 (2018) → 402 000 (2023)\n",
        "",
    )
    assert desk.run("reject", ids["socialjour"], ids["per_dag"]) == (
        0,
        f"rejected {ids['socialjour']}: Andel kommuner med socialjour dygnet runt – Gotlands län: "
        "25 procent (2012) → 50 procent (2024)\n"
        "  baseline stays at 25 procent (2012)\n"
        f"rejected {ids['per_dag']}: Orosanmälningar om barn per dag: ny uppgift 1 100 (2023)\n"
        "  baseline stays without this indicator\n",
        "",
    )


def test_undo_takes_back_an_accept_and_a_reject(desk: Desk) -> None:
    """Undo: the baseline goes back where it was and the change waits for review again."""
    ids = _ids(desk)
    desk.run("accept", ids["oros"])
    desk.run("reject", ids["socialjour"])
    assert desk.run("undo", ids["oros"], ids["socialjour"][:5]) == (
        0,
        f"undone {ids['socialjour']}: Andel kommuner med socialjour dygnet runt – Gotlands län: "
        "25 procent (2012) → 50 procent (2024)\n"
        "  rejected taken back; pending again\n"
        f"undone {ids['oros']}: Orosanmälningar om barn: 331 000 (2018) → 402 000 (2023)\n"
        "  accepted taken back; baseline: 402 000 (2023) → 331 000 (2018); pending again\n",
        "",
    )
    store = desk.store()
    assert store.baseline()[("orosanmalningar", None, None)].figure.value == 331000
    assert {c.status for c in store.changes()} == {"pending"}
    assert desk.run("undo", ids["oros"]) == (
        2,
        "",
        f"error: change {ids['oros']} is pending: there is no decision to undo\n",
    )
    # accepted again, it moves the baseline again
    again = desk.run("accept", ids["oros"])[1]
    assert again.endswith("baseline: 331 000 (2018) → 402 000 (2023)\n")


def test_undo_refuses_when_a_later_accept_moved_the_baseline(
    desk: Desk, desk_catalog: Catalog
) -> None:
    """Two accepted changes of one indicator: the earlier one is undone only after the later."""
    store = desk.store()
    later = Document(
        url="https://www.socialstyrelsen.se/aktuellt/orosanmalningar-2024/",
        text="c",
        published=date(2025, 5, 14),
        publisher="Socialstyrelsen",
    )
    found = datetime(2025, 5, 15, 6, 0, tzinfo=UTC)
    (newer,) = baseline.ingest(
        store,
        later,
        [fig("orosanmalningar", OROS, 410000, "2024")],
        now=found,
        extractor_version="t",
        catalog=desk_catalog,
    )
    first = _ids(desk)["oros"]
    desk.run("accept", first)
    desk.run("accept", newer.id or "")
    assert desk.run("undo", first) == (
        2,
        "",
        f"error: change {first}: the baseline of Orosanmälningar om barn has moved since it was "
        f"accepted by {newer.id}; undo {newer.id} first\n",
    )
    assert desk.run("undo", newer.id or "", first)[0] == 0
    assert store.baseline()[("orosanmalningar", None, None)].figure.value == 331000


def test_review_json_shapes(desk: Desk) -> None:
    """accept, reject and undo --format json: one array of decisions with the baseline."""
    ids = _ids(desk)
    code, out, _ = desk.run("accept", ids["oros"], "--format", "json")
    assert code == 0
    (decision,) = json.loads(out)
    assert decision["id"] == ids["oros"]
    assert (decision["action"], decision["undid"]) == ("accepted", None)
    assert decision["change"]["status"] == "accepted"
    assert decision["baseline"] == {
        "before": {
            "value": 331000,
            "period": "2018",
            "quote": "331 000",
            "source": "https://www.socialstyrelsen.se/publikationer/lagesrapport-2023/",
            "published": "2023-03-31",
        },
        "after": {
            "value": 402000,
            "period": "2023",
            "quote": "402 000",
            "source": "https://www.socialstyrelsen.se/aktuellt/orosanmalningar-2023/",
            "published": "2024-05-14",
        },
        "moved": True,
    }
    (undone,) = json.loads(desk.run("undo", ids["oros"], "--format", "json")[1])
    assert (undone["action"], undone["undid"], undone["change"]["status"]) == (
        "undone",
        "accepted",
        "pending",
    )
    assert undone["baseline"]["after"]["value"] == 331000
    (rejected,) = json.loads(desk.run("reject", ids["per_dag"], "--format", "json")[1])
    assert rejected["baseline"] == {"before": None, "after": None, "moved": False}


def test_auto_accepted_changes_can_be_undone(tmp_path: Path, desk_catalog: Catalog) -> None:
    """A change accepted by `run --auto-accept` is journaled like any accept."""
    from deskkit import Desk as _Desk
    from deskkit import build_state

    state = tmp_path / "state"
    build_state(state, desk_catalog)
    store = _Desk(state).store()
    doc = Document(url="https://example.se/x", text="x", published=date(2025, 1, 1))
    (auto,) = baseline.ingest(
        store,
        doc,
        [fig("hemlosa_personer", "Personer i hemlöshet", 27000, "2023")],
        now=FOUND_B,
        extractor_version="t",
        auto_accept=True,
        catalog=desk_catalog,
    )
    assert auto.status == "accepted"
    code, out, _ = _Desk(state).run("undo", auto.id or "")
    assert code == 0 and out.endswith("baseline: 27 000 (2023) → 33 000 (2017); pending again\n")
