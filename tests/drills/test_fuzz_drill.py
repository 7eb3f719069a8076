"""The extractor fuzzing drill: the hypothesis tests of tests/extraction, run as a drill.

They are test_extract_robustness's own (from the periods-and-places issue), imported:
extract() never raises and never backtracks for minutes on any text or table, every
date and period parser is total, and `ifo-watch extract` on random bytes gives JSON or
one line and exit 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "extraction"))
import test_extract_robustness as fuzz

from ifo_watch.extract.catalog import Catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """Return the shipped catalog, as tests/extraction/conftest.py gives it."""
    return Catalog.load()


test_fuzz_extract_never_raises = fuzz.test_extract_never_raises
test_fuzz_tables_never_raise = fuzz.test_tables_never_raise
test_fuzz_adversarial_runs_finish = fuzz.test_adversarial_runs_finish
test_fuzz_date_and_period_parsers_are_total = fuzz.test_date_and_period_parsers_are_total
test_fuzz_extract_command = fuzz.test_extract_command_gives_figures_or_one_line
