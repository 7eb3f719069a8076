"""Build hook: compile the extractor's modules with mypyc when building a wheel.

The extractor is plain typed Python that mypy --strict accepts; mypyc turns the modules
listed under `compile` in pyproject.toml into C extensions, which run them about 1.5x
faster. The sources stay in the wheel beside them. Compiling is asked for with
IFO_WATCH_COMPILE=1 (`./dev` sets it): only then does the build need mypy and setuptools
(`compile-requires`, returned by `dependencies()`), so a plain `pip install .` builds a
pure-Python wheel in seconds. An editable install is left pure Python, so that an edit
takes effect at once. Without a C compiler the wheel is pure Python too: it works the
same, only slower.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PACKAGE = "ifo_watch"


class MypycHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile the configured modules into the wheel; fall back to pure Python."""

    PLUGIN_NAME = "custom"

    def dependencies(self) -> list[str]:
        """Return what the build needs to compile: nothing unless compiling is asked for."""
        return [str(d) for d in self.config.get("compile-requires", [])] if _wanted() else []

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Add the compiled extensions to a standard wheel."""
        if self.target_name != "wheel" or version == "editable":
            return
        if not _wanted():
            self.app.display_info("mypyc: IFO_WATCH_COMPILE is not 1, building pure Python")
            return
        modules = [str(m) for m in self.config.get("compile", [])]
        # The built files must outlive this call: the wheel is written after it.
        self._work = tempfile.TemporaryDirectory()
        try:
            built = _compile(Path(self.root), modules, Path(self._work.name))
        except (Exception, SystemExit) as exc:  # mypyc exits on a type error
            # Any failure still leaves a working wheel: the same modules, interpreted.
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            self.app.display_warning(f"mypyc: cannot compile, building pure Python: {first[:200]}")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        build_data["force_include"].update(built)
        self.app.display_info(f"mypyc: compiled {len(modules)} modules")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the build directory once the wheel holds the extensions."""
        work = getattr(self, "_work", None)
        if work is not None:
            work.cleanup()


def _wanted() -> bool:
    return os.environ.get("IFO_WATCH_COMPILE", "0") == "1"


def _compile(root: Path, modules: list[str], work: Path) -> dict[str, str]:
    """Compile the modules in `work`; return {built file: its path inside the wheel}."""
    # Imported here: only a standard wheel build needs them (the hook's dependencies).
    from mypyc.build import mypycify
    from setuptools import Distribution

    sources = [str(root / "src" / PACKAGE / f"{m}.py") for m in modules]
    mypy_args = [
        f"--config-file={root / 'pyproject.toml'}",
        f"--cache-dir={work / 'mypy_cache'}",
    ]
    # mypyc and setuptools write relative to the working directory: keep it out of the tree.
    cwd = os.getcwd()
    os.chdir(work)
    try:
        extensions = mypycify(
            [*mypy_args, *sources], target_dir=str(work / "c"), group_name=PACKAGE
        )
        dist = Distribution({"name": PACKAGE, "ext_modules": extensions})
        command: Any = dist.get_command_obj("build_ext")
        command.build_lib = str(work / "lib")
        command.build_temp = str(work / "tmp")
        command.parallel = os.cpu_count() or 1
        command.ensure_finalized()
        command.run()
    finally:
        os.chdir(cwd)
    lib = work / "lib"
    return {str(p): str(p.relative_to(lib)) for p in sorted(lib.rglob("*")) if p.is_file()}
