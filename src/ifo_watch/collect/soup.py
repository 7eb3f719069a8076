"""BeautifulSoup, with the two libraries it imports but a page's reading seldom needs
loaded on their first use.

bs4 imports soupsieve (its CSS selectors) and a charset guesser (charset_normalizer)
when it loads; reading a page needs neither unless a site's rules give a CSS selector
(we always hand bs4 decoded text, so it never guesses a charset). Loading them took
about 30 ms of every `ifo-watch diff PATH` and `extract`: soupsieve compiles its CSS
grammar's regexes when it loads. Here each is made a module that is registered but not
yet run: the import system finds it (its spec, path and name are there), and it runs
the moment anything asks it for a name it does not have yet, so every use sees the
real, complete module. A module already loaded, or not installed, is left as it is.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Sequence


class _Deferred(types.ModuleType):
    """A module whose code runs on the first look-up of a name it lacks."""

    def __getattr__(self, name: str) -> object:
        _load(self)
        return getattr(self, name)


def _load(module: types.ModuleType) -> None:
    module.__class__ = types.ModuleType  # from here on an ordinary module
    spec = module.__spec__
    assert spec is not None and spec.loader is not None
    try:
        spec.loader.exec_module(module)
    except BaseException:
        if sys.modules.get(spec.name) is module:
            del sys.modules[spec.name]
        raise


class _RunPackageFirst(importlib.abc.MetaPathFinder):
    """Run a deferred package before one of its submodules is imported, as Python would.

    `import soupsieve.css_parser` before any use of `soupsieve` would otherwise run the
    submodule under a package that has not run. The package's own code imports the
    submodule; the import that asked for it is then given that same module.
    """

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        package = sys.modules.get(fullname.partition(".")[0])
        if not isinstance(package, _Deferred) or "." not in fullname:
            return None
        _load(package)
        done = sys.modules.get(fullname)
        if done is None:
            return None  # not one the package imports: found and loaded as usual
        return importlib.machinery.ModuleSpec(fullname, _Loaded(done))


class _Loaded(importlib.abc.Loader):
    """Hand the import system a module that is loaded already, unchanged."""

    def __init__(self, module: types.ModuleType) -> None:
        self._module = module
        self._spec = module.__spec__

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return self._module

    def exec_module(self, module: types.ModuleType) -> None:
        module.__spec__ = self._spec  # the import system set ours


_FINDER = _RunPackageFirst()


def defer(name: str) -> None:
    """Register the top-level module `name` to run on first use, unless already loaded."""
    if name in sys.modules or "." in name:
        return
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
        return
    module = importlib.util.module_from_spec(spec)
    module.__class__ = _Deferred
    sys.modules[name] = module
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)


defer("soupsieve")
defer("charset_normalizer")

from bs4 import BeautifulSoup, Tag  # noqa: E402  (after the deferrals, which bs4 sees)
from bs4.element import Comment, NavigableString, PageElement  # noqa: E402


def bad_selector() -> tuple[type[Exception], ...]:
    """Return the errors of an invalid CSS selector, for an `except` clause.

    Called only when an exception is being handled, so soupsieve, whose error class this
    names, is never loaded for it (a selector that raised has loaded it already).
    """
    from soupsieve import SelectorSyntaxError

    return (SelectorSyntaxError, ValueError)


__all__ = ["BeautifulSoup", "Comment", "NavigableString", "PageElement", "Tag", "bad_selector"]
