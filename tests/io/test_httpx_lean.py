"""httpx loads without its command line (rich, pygments); that command still runs whole."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_httpx_loads_without_its_command_line() -> None:
    """The fetch layer leaves httpx._main, rich and pygments unloaded; a later import of
    httpx._main, or a call of httpx.main, gets the real module."""
    script = textwrap.dedent(
        """
        import sys
        import ifo_watch.collect.fetch
        import httpx
        print([n for n in ("httpx._main", "rich", "pygments") if n in sys.modules])
        print(callable(httpx.main), hasattr(httpx, "Client"))
        import httpx._main as cli
        print(cli.__file__.endswith("_main.py"), type(cli.main).__name__)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["[]", "True True", "True Command"]
