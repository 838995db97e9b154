"""Where the bundled data lives, and where the sources are when this is a source checkout.

A path next to this module rather than ``importlib.resources``: the wheel always installs unpacked, and
importing ``importlib.resources`` costs ~20 ms, a large share of a search process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["DATA_DIRECTORY", "PACKAGE_DIRECTORY", "source_checkout"]

PACKAGE_DIRECTORY = Path(__file__).resolve().parent
DATA_DIRECTORY = PACKAGE_DIRECTORY / "data"


@cache
def source_checkout() -> Path | None:
    """The repository this package runs from (``src/ftz_reforms`` inside it), or None for an installed copy."""
    root = PACKAGE_DIRECTORY.parents[1]
    if PACKAGE_DIRECTORY.parent.name == "src" and (root / "sources").is_dir() and (root / "pyproject.toml").is_file():
        return root
    return None
