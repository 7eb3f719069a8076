"""Where each bundled seed document was first published (data/seeds.toml).

The seed files are named `seeds/<file>` in the state; the manifest gives each its
original page, title, publisher and date, which `seed` records beside it, so that the
trail of a seed figure ends at a publication rather than at a file name.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from datetime import date

from ifo_watch import resources
from ifo_watch.track.store import Publication

SEED_PREFIX = "seeds/"


@functools.cache
def seed_origins() -> Mapping[str, Publication]:
    """Return the original publication of each bundled seed, by its source ('seeds/<file>')."""
    data = tomllib.loads(resources.data_file("seeds.toml").read_text("utf-8"))
    found: dict[str, Publication] = {}
    for entry in data.get("seed", []):
        source = SEED_PREFIX + str(entry["file"])
        published = entry.get("published")
        found[source] = Publication(
            url=str(entry.get("url") or source),
            title=entry.get("title"),
            publisher=entry.get("publisher"),
            published=date.fromisoformat(published) if published else None,
        )
    return found
