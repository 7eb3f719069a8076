"""Extract: Swedish text and tables -> figures with value, unit, period, place and metric.

Pure: no I/O but the shipped data files (catalog, regions, lemmas), read once. The
modules behind this door (numbers, periods, regions, groups, lemmas, catalog, scan,
sentences, clauses, tables, figures) are private to the stage.
"""

from ifo_watch.extract.catalog import (
    DERIVED_KEYS,
    Catalog,
    CatalogError,
    Metric,
    is_spread_end,
)
from ifo_watch.extract.figures import EXTRACTOR_VERSION
from ifo_watch.extract.figures import extract as extract_figures
from ifo_watch.extract.lemmas import default as lemma_table
from ifo_watch.extract.numbers import hedge_class, interval

__all__ = [
    "DERIVED_KEYS",
    "EXTRACTOR_VERSION",
    "Catalog",
    "CatalogError",
    "Metric",
    "extract_figures",
    "hedge_class",
    "interval",
    "is_spread_end",
    "lemma_table",
]
