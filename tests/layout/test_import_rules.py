"""The package's shape: four stages, each behind one door, imports going down only.

Read from the source with `ast`, so an import inside a function counts as much as one
at the top. The rules, as data:

- a stage (collect, extract, track, notify) imports only the stages it may lean on,
  and another stage only through its package (`ifo_watch.extract`, never
  `ifo_watch.extract.catalog`);
- the records (models, errors, resources) import no stage;
- nothing but cli, demo and the flows imports pipeline, and nothing imports cli.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "ifo_watch"
STAGES = ("collect", "extract", "track", "notify")
# Which stages a stage may import (through their public surface).
MAY_IMPORT: dict[str, set[str]] = {
    "collect": set(),
    "extract": set(),
    "track": {"extract"},
    "notify": {"track"},
    "pipeline": set(STAGES) | {"reading"},
    "reading": {"collect", "extract"},
    "cli": set(STAGES) | {"pipeline", "demo"},
    "demo": set(STAGES) | {"pipeline"},
    "models": set(),
    "errors": set(),
    "resources": set(),
    "__init__": set(),
    "flows": set(STAGES) | {"pipeline"},
}
TOP = {"pipeline", "reading", "cli", "demo", "models", "errors", "resources", "__init__"}


def _unit(path: Path) -> str:
    """The unit a source file belongs to: its stage, or its top-level module's name."""
    if path.is_relative_to(ROOT / "flows"):
        return "flows"
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every ifo_watch module a file imports, with its line (`from X import m` imports X.m)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("ifo_watch")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ifo_watch"):
            module = node.module or ""
            for alias in node.names:
                child = f"{module}.{alias.name}"
                found.append((node.lineno, child if _is_module(child) else module))
    return found


def _is_module(dotted: str) -> bool:
    path = PACKAGE.joinpath(*dotted.split(".")[1:])
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _target(dotted: str) -> str:
    """The unit an imported module belongs to."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _sources() -> list[Path]:
    files = sorted(PACKAGE.rglob("*.py"))
    files = [p for p in files if "data" not in p.relative_to(PACKAGE).parts]
    return files + sorted((ROOT / "flows").glob("*.py"))


def _violations() -> list[str]:
    out: list[str] = []
    for path in _sources():
        unit = _unit(path)
        where = path.relative_to(ROOT)
        for line, module in _imports(path):
            target = _target(module)
            if target == unit or target in {"models", "errors", "resources", "__init__"}:
                continue
            if target == "cli":
                out.append(f"{where}:{line}: imports cli")
            elif target not in MAY_IMPORT.get(unit, set()):
                out.append(f"{where}:{line}: {unit} may not import {module}")
            elif target in STAGES and module.count(".") > 1:
                out.append(f"{where}:{line}: {module} is behind the door of ifo_watch.{target}")
    return out


def test_every_source_file_belongs_to_a_known_unit() -> None:
    units = {_unit(p) for p in _sources()}
    assert units <= set(MAY_IMPORT), units - set(MAY_IMPORT)
    assert set(STAGES) <= units


def test_imports_go_down_and_through_each_stage_door() -> None:
    assert _violations() == []


def test_the_rules_catch_a_stage_reaching_behind_another_door() -> None:
    bad = PACKAGE / "collect" / "_probe_bad_import.py"
    bad.write_text("from ifo_watch.track.store import Store\nfrom ifo_watch import pipeline\n")
    try:
        found = _violations()
    finally:
        bad.unlink()
    assert any("collect may not import ifo_watch.track.store" in v for v in found), found
    assert any("collect may not import ifo_watch.pipeline" in v for v in found), found


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_names_its_public_surface(stage: str) -> None:
    module = importlib.import_module(f"ifo_watch.{stage}")
    assert module.__all__, stage
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []
