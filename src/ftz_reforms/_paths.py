"""Where the bundled data lives.

A path next to this module rather than ``importlib.resources``: the wheel always installs unpacked, and
importing ``importlib.resources`` costs ~20 ms, a large share of a search process.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DATA_DIRECTORY"]

DATA_DIRECTORY = Path(__file__).resolve().parent / "data"
