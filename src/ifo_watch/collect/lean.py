"""httpx without the command line it imports when it loads.

`import httpx` runs `httpx._main` for the name `httpx.main` (the `httpx` command), and
that module imports rich's console, progress, table and syntax and pygments' lexers:
about 20 ms of every start that fetches anything, a no-change cycle's largest import,
for a command ifo-watch never runs. While httpx loads, `httpx._main` is a stand-in
module whose `main` imports the real one on its call; the stand-in is then dropped, so
that an import of `httpx._main` afterwards gets the real module. When httpx is loaded
already, nothing is done.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

_CLI = "httpx._main"


def _main(*args: Any, **kwargs: Any) -> Any:
    """Run httpx's command line (the real module loads now)."""
    return importlib.import_module(_CLI).main(*args, **kwargs)


def load_httpx() -> types.ModuleType:
    """Import httpx, its command line's module left unloaded; return httpx."""
    if "httpx" in sys.modules or _CLI in sys.modules:
        return importlib.import_module("httpx")
    stand_in = types.ModuleType(_CLI)
    stand_in.main = _main  # type: ignore[attr-defined]
    sys.modules[_CLI] = stand_in
    try:
        return importlib.import_module("httpx")
    finally:
        if sys.modules.get(_CLI) is stand_in:
            del sys.modules[_CLI]
        package = sys.modules.get("httpx")
        if package is not None and package.__dict__.get("_main") is stand_in:
            del package._main
