"""`diff PATH` as its own process: closes the state, prints what rich would, loads no more."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DEMO_ARTICLE = (
    Path(__file__).parents[2]
    / "src/ifo_watch/data/demo_site/socialstyrelsen/aktuellt/lagesrapport-ifo-2024/index.html"
)
RUN = "import sys; from ifo_watch.cli import main; sys.argv[0] = 'ifo-watch'; main()"
SHOW_MODULES = (
    "import atexit, sys\n"
    "atexit.register(lambda: print(sorted(m for m in ('rich', 'soupsieve.css_parser',"
    " 'ifo_watch.pipeline', 'ifo_watch.reading') if m in sys.modules), file=sys.stderr))\n" + RUN
)


def _run(
    code: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )


def test_diff_path_closes_the_state_and_loads_only_what_it_needs(tmp_path: Path) -> None:
    """The state is closed when the command ends: no WAL files stay behind it."""
    state = tmp_path / "state"
    _run(RUN, "--state", str(state), "seed")
    assert sorted(p.name for p in state.iterdir()) == ["ifo-watch.db"]
    done = _run(SHOW_MODULES, "--state", str(state), "diff", str(DEMO_ARTICLE))
    assert sorted(p.name for p in state.iterdir()) == ["ifo-watch.db"]
    assert done.stderr.strip() == "[]"  # neither rich, soupsieve nor the watch cycle
    assert "Förändring" in done.stdout.splitlines()[0]
    assert done.stdout.endswith(
        "nothing recorded; ifo-watch run records changes with ids for review\n"
    )


def test_diff_on_a_terminal_look_alike_prints_through_rich(tmp_path: Path) -> None:
    """FORCE_COLOR makes rich style the table: then rich prints it, as before."""
    state = tmp_path / "state"
    _run(RUN, "--state", str(state), "seed")
    plain = _run(RUN, "--state", str(state), "diff", str(DEMO_ARTICLE)).stdout
    styled = _run(
        SHOW_MODULES, "--state", str(state), "diff", str(DEMO_ARTICLE), env={"FORCE_COLOR": "1"}
    )
    assert "rich" in styled.stderr
    assert "\x1b[" in styled.stdout  # the header in bold
    assert styled.stdout != plain
