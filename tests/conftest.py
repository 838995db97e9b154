"""Shared fixtures: the repository's verbatim source and the bundled dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

import ftz_reforms
from ftz_reforms.model.records import Dataset

REPO = Path(__file__).resolve().parents[1]
SOURCE_FILE = REPO / "sources" / "batch5" / "casebook.txt"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def source_text() -> str:
    return SOURCE_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def source_lines(source_text: str) -> list[str]:
    return source_text.splitlines()


@pytest.fixture(scope="session")
def data() -> Dataset:
    return ftz_reforms.dataset()
