"""Shared fixtures: the repository's verbatim source and the bundled dataset; a cache of the tests' own."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Before anything loads a dataset file, and inherited by every subprocess a test starts: the tests never
# read or write the user's own cache.
_CACHE = tempfile.TemporaryDirectory(prefix="ftz-reforms-test-cache-")
os.environ["FTZ_REFORMS_CACHE_DIR"] = _CACHE.name

import ftz_reforms  # noqa: E402  (after the cache is pointed at the tests' own)
from ftz_reforms.model.records import Dataset  # noqa: E402

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
    """The bundled dataset's record."""
    return ftz_reforms.dataset().data


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache directory of this test's own (empty at the start)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("FTZ_REFORMS_CACHE_DIR", str(cache))
    return cache


@pytest.fixture(scope="session")
def warm_cache_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache as the first search of a file of the bundled data leaves it: the key, jieba's dictionary, and the
    file's catalogue and index. Made once a session: a test that only needs to start there copies it."""
    import shutil

    from ftz_reforms._paths import DATA_DIRECTORY
    from ftz_reforms.store import DATA_FILE

    folder = tmp_path_factory.mktemp("warm-cache")
    copy = folder / "b5.json"
    shutil.copyfile(DATA_DIRECTORY / DATA_FILE, copy)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FTZ_REFORMS_CACHE_DIR", str(folder / "cache"))
        ftz_reforms.load(copy).search("退货")
    return folder / "cache"


@pytest.fixture
def warm_cache(own_cache: Path, warm_cache_template: Path) -> Path:
    """This test's own cache, as the first search of ``bundled_copy`` leaves it."""
    import shutil

    shutil.copytree(warm_cache_template, own_cache)
    return own_cache


@pytest.fixture
def bundled_copy(tmp_path: Path, own_cache: Path) -> Path:
    """The bundled dataset as a file of the user's, with an empty cache of its own."""
    import shutil

    from ftz_reforms._paths import DATA_DIRECTORY
    from ftz_reforms.store import DATA_FILE

    path = tmp_path / "b5.json"
    shutil.copyfile(DATA_DIRECTORY / DATA_FILE, path)
    return path
