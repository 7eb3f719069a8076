"""No module binds one top-level name twice.

A second `_FROM_TO = re.compile(...)` further down a long module silently replaced the
first, and a rule that read the first never matched again: each module-level constant
and function is bound once.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "ifo_watch"
MODULES = sorted(PACKAGE.rglob("*.py"))


def _bound(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return names


@pytest.mark.parametrize("module", MODULES, ids=[str(m.relative_to(PACKAGE)) for m in MODULES])
def test_each_top_level_name_is_bound_once(module: Path) -> None:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    twice = [name for name, n in Counter(_bound(tree)).items() if n > 1 and name != "__all__"]
    assert not twice, twice
