"""The benchmarks' generated inputs are valid datasets: a benchmark that fails on its own input measures nothing."""

from __future__ import annotations

from pathlib import Path

from ftz_reforms.validate import validate_bytes
from tests.helpers import benchmark


def test_the_grown_dataset_of_the_growth_benchmark_validates(repo: Path, tmp_path: Path) -> None:
    growth = benchmark(repo, "growth")
    path = growth.grown(50, tmp_path / "cases-50.json")
    # Three batches of the bundled cases, every id and every link (metrics, restates, effects) renamed.
    assert validate_bytes(path.read_bytes(), str(path)) == []
