"""Helpers shared by the tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from ftz_reforms import __version__, load

if sys.version_info >= (3, 11):
    import tomllib as tomllib
else:  # Python 3.10: the same reader, from PyPI (the test extra)
    import tomli as tomllib  # noqa: F401  (re-exported for the tests)


def casebook(*lines: str) -> str:
    """A casebook in the extracted-PDF layout: every physical line followed by a blank line."""
    return "".join(f"{line}\n\n" for line in lines)


def cache_entry(cache: Path, path: Path) -> Path:
    """The cache folder of the dataset file ``path`` (the only one in ``cache``)."""
    (entry,) = (cache / "datasets" / __version__).iterdir()
    assert entry.name == load(path).sha256
    return entry


def benchmark(repo: Path, name: str) -> ModuleType:
    """The module of ``benchmarks/<name>.py``, loaded as a script of that folder would be."""
    sys.path.insert(0, str(repo / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location(f"benchmark_{name}", repo / "benchmarks" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(repo / "benchmarks"))
