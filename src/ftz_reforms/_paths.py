"""Where the bundled data lives, where the sources are when this is a source checkout, and the user's cache.

A path next to this module rather than ``importlib.resources``: the wheel always installs unpacked, and
importing ``importlib.resources`` would be a large share of a search process's start (benchmarks/speed.py).
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

__all__ = ["CACHE_VARIABLE", "DATA_DIRECTORY", "PACKAGE_DIRECTORY", "cache_root", "source_checkout"]

PACKAGE_DIRECTORY = Path(__file__).resolve().parent
DATA_DIRECTORY = PACKAGE_DIRECTORY / "data"

CACHE_VARIABLE = "FTZ_REFORMS_CACHE_DIR"
"""Set it to a directory to hold ftz-reforms' cache there (the tests do), or to an empty string for none."""


@cache
def source_checkout() -> Path | None:
    """The repository this package runs from (``src/ftz_reforms`` inside it), or None for an installed copy."""
    root = PACKAGE_DIRECTORY.parents[1]
    if PACKAGE_DIRECTORY.parent.name == "src" and (root / "sources").is_dir() and (root / "pyproject.toml").is_file():
        return root
    return None


def cache_root() -> Path | None:
    """The user's cache directory for ftz-reforms, not created; None when ``FTZ_REFORMS_CACHE_DIR`` is empty.

    ``$FTZ_REFORMS_CACHE_DIR``, else the platform's place: ``%LOCALAPPDATA%\\ftz-reforms\\Cache`` on
    Windows, ``~/Library/Caches/ftz-reforms`` on macOS, ``$XDG_CACHE_HOME/ftz-reforms`` (or
    ``~/.cache/ftz-reforms``) elsewhere. Read on every call, so a change of the variable takes effect.
    """
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "ftz-reforms" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ftz-reforms"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ftz-reforms"
