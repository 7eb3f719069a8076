"""Where each bundled seed document was first published (data/seeds.toml)."""

from __future__ import annotations

from collections.abc import Mapping

from ifo_watch.models import Observation
from ifo_watch.track import Publication, seed_origins


def seed_publications() -> Mapping[str, Publication]:
    """Return the original publication of each bundled seed, by its source ('seeds/<file>')."""
    return seed_origins()


def publication_of(obs: Observation, stored: Mapping[int, Publication]) -> Publication:
    """Return where an observation was published: a seed's original, else its stored version."""
    seed = seed_publications().get(obs.source)
    if seed is not None:
        return seed
    if obs.document_id is not None and obs.document_id in stored:
        found = stored[obs.document_id]
        if found.published is None and obs.published is not None:
            return Publication(found.url, found.title, found.publisher, obs.published)
        return found
    return Publication(url=obs.source, published=obs.published)
