"""The benchmarks' generated inputs are valid datasets: a benchmark that fails on its own input measures nothing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from ftz_reforms.validate import validate_bytes


def _benchmark(repo: Path, name: str) -> ModuleType:
    sys.path.insert(0, str(repo / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location(f"benchmark_{name}", repo / "benchmarks" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(repo / "benchmarks"))


def test_the_grown_dataset_of_the_growth_benchmark_validates(repo: Path, tmp_path: Path) -> None:
    growth = _benchmark(repo, "growth")
    path = growth.grown(50, tmp_path / "cases-50.json")
    # Three batches of the bundled cases, every id and every link (metrics, restates, effects) renamed.
    assert validate_bytes(path.read_bytes(), str(path)) == []
