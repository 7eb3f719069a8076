"""Locate the data that ships with the package: seeds, default sources, flows."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parent.parent  # src/ifo_watch -> project root, in a source checkout


def _shipped(name: str) -> Path:
    # A wheel carries them under ifo_watch/_data; an editable install reads the checkout.
    installed = _PACKAGE / "_data" / name
    return installed if installed.exists() else _REPO / name


def seeds_dir() -> Path:
    """Return the folder of the bundled seed documents."""
    return _shipped("seeds")


def flows_dir() -> Path:
    """Return the folder of the Prefect flows."""
    return _shipped("flows")


def data_file(name: str) -> Path:
    """Return a data file inside the package (catalog, sources, demo site)."""
    return _PACKAGE / "data" / name
