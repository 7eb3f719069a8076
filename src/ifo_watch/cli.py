"""The ifo-watch command line."""

from __future__ import annotations

import click


@click.group()
def main() -> None:
    """Watch Socialstyrelsen and SKR publications for changed IFO figures."""
