"""ifo-watch: watch Swedish IFO publications for changed figures."""

from ifo_watch.errors import IfoWatchError
from ifo_watch.models import Change, Document, Figure, Observation, Source, Table

__all__ = [
    "Change",
    "Document",
    "Figure",
    "IfoWatchError",
    "Observation",
    "Source",
    "Table",
]
__version__ = "0.1.0"
