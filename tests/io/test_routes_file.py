"""The [[routes]] of the sources file: which changes also go to another channel."""

from __future__ import annotations

from pathlib import Path

import pytest

from alertkit import change
from ifo_watch.collect import load_routes, parse_routes
from ifo_watch.errors import SourcesError
from ifo_watch.models import Route
from ifo_watch.notify import route_destinations

SOURCES = """
[[sources]]
name = "s"
publisher = "SKR"
url = "https://skr.se/"

[[routes]]
name = "malmo"
region = "Malmö"
env = "SLACK_ROUTE_MALMO"

[[routes]]
name = "oro"
metric = "orosanmalningar"
publisher = "Socialstyrelsen"
env = "SLACK_ROUTE_ORO"
"""


def test_routes_are_read_in_file_order(tmp_path: Path) -> None:
    """Each route has a name, a variable and at least one condition."""
    path = tmp_path / "sources.toml"
    path.write_text(SOURCES, "utf-8")
    assert load_routes(path) == [
        Route("malmo", "SLACK_ROUTE_MALMO", region="Malmö"),
        Route("oro", "SLACK_ROUTE_ORO", metric="orosanmalningar", publisher="Socialstyrelsen"),
    ]
    assert load_routes() == []  # the default list has none


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('name = "x"\nenv = "V"', "give a metric, a region or a publisher"),
        ('name = "a b"\nenv = "V"\nregion = "Malmö"', "name must be letters"),
        ('name = "x"\nenv = "not a var"\nregion = "Malmö"', "env must name an environment"),
        ('name = "x"\nenv = "V"\nregion = "Malmö"\nchannel = "C1"', "unknown key(s): channel"),
    ],
)
def test_bad_routes_are_one_clear_error(entry: str, message: str) -> None:
    """A route the notifier could not use is refused when the file is read."""
    import tomllib

    with pytest.raises(SourcesError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_routes(tomllib.loads(f"[[routes]]\n{entry}\n"), origin="f")


def test_a_change_goes_to_every_matching_route() -> None:
    """Metric key (and its longer keys) or prefix*, region, publisher: all given must hold."""
    routes = [
        Route("malmo", "A", region="malmö"),
        Route("oro", "B", metric="orosanmalningar_1"),
        Route("prefix", "C", metric="oros*", publisher="SKR"),
    ]
    in_malmo = change(1, region="Malmö")
    assert route_destinations(routes, in_malmo, publisher="SKR") == [
        "slack",
        "route:malmo",
        "route:oro",
        "route:prefix",
    ]
    assert route_destinations(routes, change(2), publisher="Socialstyrelsen") == ["slack"]
