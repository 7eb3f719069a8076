"""bs4's CSS engine (soupsieve) and charset guesser load only when a page needs them."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys
    from ifo_watch.collect.text import html_to_document

    def loaded(name):
        return type(sys.modules.get(name)).__name__

    page = "<html><body><main><h1>Rubrik</h1><p>Brödtext om 12 procent.</p>"
    page = (page + "<div class='x'><p>Annat stycke.</p></div></main></body></html>").encode()
    doc = html_to_document(page, url="https://example.se/")
    print(loaded("soupsieve"), loaded("charset_normalizer"), "soupsieve.css_parser" in sys.modules)
    print(repr(doc.text))
    narrowed = html_to_document(page, url="https://example.se/", content_selector="div.x")
    print(loaded("soupsieve"), "soupsieve.css_parser" in sys.modules, repr(narrowed.text))
    bad = html_to_document(page, url="https://example.se/", content_selector="div[")
    print(bad.text == doc.text)
    import soupsieve
    from soupsieve import css_match
    print(soupsieve.css_match is css_match, soupsieve.SoupSieve.__module__)
    import charset_normalizer
    print(callable(charset_normalizer.from_bytes), loaded("charset_normalizer"))
    """
)


def test_css_engine_loads_on_first_selector() -> None:
    """A page read without selectors leaves soupsieve unrun; a selector runs it, whole."""
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0] == "_Deferred _Deferred False"
    assert out[1] == repr("Rubrik\n\nBrödtext om 12 procent.\n\nAnnat stycke.")
    assert out[2] == "module True 'Annat stycke.'"
    assert out[3] == "True"  # an invalid selector still falls back to the generic reading
    assert out[4] == "True soupsieve.css_match"
    assert out[5] == "True module"


def test_deferred_submodule_import_keeps_one_copy() -> None:
    """Importing a submodule of a deferred package first still gives one copy of each."""
    script = textwrap.dedent(
        """
        import sys
        import ifo_watch.collect.soup
        import soupsieve.css_parser as first
        import soupsieve
        print(soupsieve.css_parser is first, sys.modules["soupsieve.css_parser"] is first)
        print(soupsieve.select is not None, type(soupsieve).__name__)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["True True", "True module"]
