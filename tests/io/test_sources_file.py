"""Loading and validating the sources file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ifo_watch.collect.sources import load_sources, matches_include
from ifo_watch.errors import SourcesError
from ifo_watch.models import Source

VALID = """
[[sources]]
name = "sos"
publisher = "Socialstyrelsen"
url = "https://www.socialstyrelsen.se/rss"
kind = "feed"
include = ["Orosanmäl", "socialjour"]
max_items = 5

[[sources]]
name = "skr"
publisher = "SKR"
url = "https://skr.se/nyheter.html"
link_selector = "li.sv-news-item a"
content_selector = "main"
"""

BAD = [
    ("not toml", "[[sources]\nname=", "not valid TOML"),
    ("no entries", "title = 'x'\n", "no [[sources]] entries"),
    ("missing url", '[[sources]]\nname="a"\npublisher="P"\n', "missing or empty key(s): url"),
    (
        "missing two",
        '[[sources]]\nname="a"\n',
        "missing or empty key(s): publisher, url",
    ),
    ("empty name", '[[sources]]\nname=" "\npublisher="P"\nurl="https://x"\n', "name"),
    (
        "duplicate",
        '[[sources]]\nname="a"\npublisher="P"\nurl="https://x"\n'
        '[[sources]]\nname="a"\npublisher="Q"\nurl="https://y"\n',
        "duplicate source name 'a'",
    ),
    ("bad url", '[[sources]]\nname="a"\npublisher="P"\nurl="ftp://x"\n', "url must start with"),
    (
        "bad kind",
        '[[sources]]\nname="a"\npublisher="P"\nurl="https://x"\nkind="rss"\n',
        "kind must be one of",
    ),
    (
        "unknown key",
        '[[sources]]\nname="a"\npublisher="P"\nurl="https://x"\nschedule=3\n',
        "unknown key(s): schedule",
    ),
    (
        "bad include",
        '[[sources]]\nname="a"\npublisher="P"\nurl="https://x"\ninclude=[1]\n',
        "include must be a list of words",
    ),
    (
        "bad max_items",
        '[[sources]]\nname="a"\npublisher="P"\nurl="https://x"\nmax_items=0\n',
        "max_items must be a positive integer",
    ),
]


def test_default_sources_list_names_socialstyrelsen_and_skr() -> None:
    """The shipped list loads and covers Socialstyrelsen's feed and SKR's news with filters."""
    sources = load_sources()
    publishers = {source.publisher for source in sources}
    assert {"Socialstyrelsen", "SKR"} <= publishers
    assert all(source.url.startswith("https://") for source in sources)
    news = [source for source in sources if source.kind in ("feed", "listing")]
    assert all(source.include for source in news)  # every list is filtered to IFO subjects
    assert any("orosanmäl" in source.include for source in news)
    kinds = {source.kind for source in sources}
    assert {"feed", "listing", "page"} <= kinds  # news, blog and statistics pages
    press = next(source for source in sources if source.kind == "feed")
    assert press.fallback and press.url.startswith(press.fallback + "RssFeed/?url=")


def test_default_sources_use_the_shipped_site_adapters() -> None:
    """Every default source is read with its site's adapter (selectors as data)."""
    from ifo_watch.collect import site_for

    for source in load_sources():
        site = site_for(source.url, name=source.site)
        assert site is not None and site.name in ("socialstyrelsen", "skr"), source.name


def test_valid_file_gives_sources_in_order(tmp_path: Path) -> None:
    """Every key of a valid file reaches the Source; include words are lower-cased."""
    path = tmp_path / "sources.toml"
    path.write_text(VALID, encoding="utf-8")
    assert load_sources(path) == [
        Source(
            name="sos",
            publisher="Socialstyrelsen",
            url="https://www.socialstyrelsen.se/rss",
            kind="feed",
            include=("orosanmäl", "socialjour"),
            max_items=5,
        ),
        Source(
            name="skr",
            publisher="SKR",
            url="https://skr.se/nyheter.html",
            link_selector="li.sv-news-item a",
            content_selector="main",
        ),
    ]


@pytest.mark.parametrize(("case", "text", "message"), BAD, ids=[case for case, _, _ in BAD])
def test_invalid_file_raises_one_clear_error(
    tmp_path: Path, case: str, text: str, message: str
) -> None:
    """Each kind of mistake gives a SourcesError naming the file and the problem."""
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError) as caught:
        load_sources(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_file_raises_sources_error(tmp_path: Path) -> None:
    """A sources path that does not exist is a SourcesError, not an OSError."""
    with pytest.raises(SourcesError, match="cannot read sources file"):
        load_sources(tmp_path / "nope.toml")


INCLUDE_CASES = [
    ((), "Väntetider i cancervården", True),
    (("orosanmäl",), "Fler orosanmälningar om barn", True),
    (("placer",), "Placerade barn i familjehem", True),
    (("socialjour", "bbic"), "Väntetider i cancervården", False),
    (("hvb",), "Nya regler för HVB", True),
]


@pytest.mark.parametrize(("include", "title", "kept"), INCLUDE_CASES)
def test_include_filter_matches_stems_case_insensitively(
    include: tuple[str, ...], title: str, kept: bool
) -> None:
    """Keyword stems keep items whose title contains them; no keywords keep everything."""
    source = Source(name="s", publisher="P", url="https://x", include=include)
    assert matches_include(source, title, None, "https://x/a") is kept


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('hosts = ["skr.se/x"]', "hosts holds 'skr.se/x', not a bare host name"),
        ("hosts = 3", "hosts must be a list of host names"),
        ('fallback = "ftp://skr.se/"', "fallback must start with http:// or https://"),
        ('subjects = ["barn"]', "subjects must be a list of integers"),
        ('follow_reports = "ja"', "follow_reports must be true or false"),
        ("delay = -1", "delay must be a number of seconds, 0 or more"),
        ("concurrency = 20", "concurrency must be an integer from 1 to 8"),
        ('site = "okand"', "unknown site 'okand'"),
    ],
)
def test_bad_fetch_keys_are_one_line(tmp_path: Path, line: str, message: str) -> None:
    """Every new key is checked: a bad value is one SourcesError naming the source."""
    path = tmp_path / "sources.toml"
    path.write_text(
        f'[[sources]]\nname = "x"\npublisher = "SKR"\nurl = "https://skr.se/"\n{line}\n',
        encoding="utf-8",
    )
    with pytest.raises(SourcesError) as caught:
        load_sources(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_fetch_keys_reach_the_source(tmp_path: Path) -> None:
    """hosts, site, fallback, subjects, follow_reports, delay and concurrency are kept."""
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[sources]]\nname = "x"\npublisher = "Socialstyrelsen"\n'
        'url = "https://www.socialstyrelsen.se/publikationer/"\nkind = "listing"\n'
        'hosts = ["www.hsan.se"]\nsite = "socialstyrelsen"\n'
        'fallback = "https://www.socialstyrelsen.se/om-socialstyrelsen/pressrum/press/"\n'
        "subjects = [154, 158]\nfollow_reports = false\ndelay = 2.5\nconcurrency = 1\n",
        encoding="utf-8",
    )
    (source,) = load_sources(path)
    assert (source.hosts, source.site, source.subjects) == (
        ("www.hsan.se",),
        "socialstyrelsen",
        (154, 158),
    )
    assert (source.follow_reports, source.delay, source.concurrency) == (False, 2.5, 1)
    assert source.fallback == "https://www.socialstyrelsen.se/om-socialstyrelsen/pressrum/press/"
