"""Helpers shared by the tests."""

from __future__ import annotations

from pathlib import Path

from ftz_reforms import __version__, load


def casebook(*lines: str) -> str:
    """A casebook in the extracted-PDF layout: every physical line followed by a blank line."""
    return "".join(f"{line}\n\n" for line in lines)


def cache_entry(cache: Path, path: Path) -> Path:
    """The cache folder of the dataset file ``path`` (the only one in ``cache``)."""
    (entry,) = (cache / "datasets" / __version__).iterdir()
    assert entry.name == load(path).sha256
    return entry
