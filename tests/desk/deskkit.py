"""The review desk's state: a seeded baseline and two documents' changes, on real SQLite.

Built through the track API with a small catalog of its own (`catalog.toml`), so the
CLI's exact outputs depend on these figures alone, not on the extractor or the shipped
catalog. The CLI runs with that catalog and a fixed clock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from click.testing import CliRunner

from ifo_watch import cli
from ifo_watch.extract import Catalog
from ifo_watch.models import Document, Figure
from ifo_watch.track import baseline
from ifo_watch.track.store import Store

CATALOG = Path(__file__).parent / "catalog.toml"
SEEDED = datetime(2024, 4, 1, 6, 0, tzinfo=UTC)
FOUND_A = datetime(2024, 5, 15, 6, 0, tzinfo=UTC)
FOUND_B = datetime(2024, 6, 3, 6, 0, tzinfo=UTC)
NOW = datetime(2024, 6, 10, 8, 0, tzinfo=UTC)
LAGESRAPPORT = "https://www.socialstyrelsen.se/publikationer/lagesrapport-2023/"
OROSANMALNINGAR = "https://www.socialstyrelsen.se/aktuellt/orosanmalningar-2023/"
SOCIALJOUR = "https://skr.se/nyheter/socialjour-i-lanen/"


def fig(metric: str, label: str, value: float, period: str | None, **kw: object) -> Figure:
    """Return a figure as the extractor would give it (unit antal, quote its value)."""
    kw.setdefault("unit", "antal")
    kw.setdefault("quote", f"{value:,.0f}".replace(",", " "))
    kw.setdefault("sentence", f"Det var {kw['quote']} år {period}.")
    return Figure(metric=metric, label=label, value=value, period=period, **kw)  # type: ignore[arg-type]


OROS = "Orosanmälningar om barn"
LANGVARIGT = "Barn i familjer med långvarigt ekonomiskt bistånd"
SOCIALJOUR_LABEL = "Andel kommuner med socialjour dygnet runt"
SEED_FIGURES = [
    fig("orosanmalningar", OROS, 331000, "2018"),
    fig(
        "barn_langvarigt_ekonomiskt_bistand",
        LANGVARIGT,
        50000,
        "2021",
        quote="drygt 50 000",
        qualifier="drygt",
        low=50000,
        high=55000,
    ),
    fig(
        "andel_kommuner_socialjour",
        SOCIALJOUR_LABEL,
        62,
        "2012",
        unit="procent",
        quote="62 procent",
    ),
    fig(
        "andel_kommuner_socialjour",
        SOCIALJOUR_LABEL,
        25,
        "2012",
        unit="procent",
        quote="25 procent",
        region="Gotlands län",
        region_type="län",
    ),
    fig("hemlosa_personer", "Personer i hemlöshet", 33000, "2017"),
]
NEWS_A = [
    fig("orosanmalningar", OROS, 422000, "2021"),  # an older year beside the new: history
    fig("orosanmalningar", OROS, 402000, "2023"),
    fig("orosanmalningar_per_dag", "Orosanmälningar om barn per dag", 1100, "2023", per="dag"),
]
NEWS_B = [
    fig(
        "andel_kommuner_socialjour",
        SOCIALJOUR_LABEL,
        50,
        "2024",
        unit="procent",
        quote="50 procent",
        region="Gotlands län",
        region_type="län",
    ),
    fig(
        "barn_langvarigt_ekonomiskt_bistand",
        LANGVARIGT,
        56000,
        "2023",
        quote="närmare 56 000",
        qualifier="närmare",
        low=50400,
        high=56000,
    ),
]


@dataclass
class Desk:
    """The state folder and a way to run the CLI on it."""

    state: Path

    def run(self, *args: str, columns: int = 80) -> tuple[int, str, str]:
        """Run `ifo-watch --state STATE ARGS` at a terminal width; return code, out, err."""
        result = CliRunner().invoke(
            cli.main, ["--state", str(self.state), *args], env={"COLUMNS": str(columns)}
        )
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout.replace("\xa0", " "), result.stderr

    def ids(self, status: str = "all") -> dict[str, str]:
        """Return the recorded changes' ids by '<metric> <region>'."""
        out = json.loads(self.run("diff", "--status", status, "--format", "json")[1])
        return {f"{c['metric']} {c['region'] or ''}".strip(): c["id"] for c in out}

    def store(self) -> Store:
        """Open the state."""
        return Store.open(self.state)


def build_state(state: Path, catalog: Catalog) -> None:
    """Seed the baseline, then record the changes of two documents found on two days."""
    store = Store.open(state)
    seed = Document(
        url=LAGESRAPPORT,
        text="seed",
        title="Lägesrapport 2023",
        published=date(2023, 3, 31),
        publisher="Socialstyrelsen",
    )
    baseline.seed(store, [(seed, SEED_FIGURES)], now=SEEDED, extractor_version="t", catalog=catalog)
    doc_a = Document(
        url=OROSANMALNINGAR,
        text="a",
        title="Orosanmälningarna om barn ligger kvar på en hög nivå",
        published=date(2024, 5, 14),
        publisher="Socialstyrelsen",
    )
    baseline.ingest(
        store,
        doc_a,
        NEWS_A,
        source="socialstyrelsen-press",
        now=FOUND_A,
        extractor_version="t",
        catalog=catalog,
    )
    doc_b = Document(
        url=SOCIALJOUR,
        text="b",
        title="Socialjouren i länen",
        published=date(2024, 6, 2),
        publisher="SKR",
    )
    baseline.ingest(
        store,
        doc_b,
        NEWS_B,
        source="skr-nyheter",
        now=FOUND_B,
        extractor_version="t",
        catalog=catalog,
    )
    store.close()
