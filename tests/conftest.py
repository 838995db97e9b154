"""Shared fixtures: the repository's verbatim source and the bundled dataset; a cache of the tests' own."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything loads a dataset file, and inherited by every subprocess a test starts: the tests never
# read or write the user's own cache.
_CACHE = tempfile.TemporaryDirectory(prefix="ftz-reforms-test-cache-")
os.environ["FTZ_REFORMS_CACHE_DIR"] = _CACHE.name

import ftz_reforms  # noqa: E402  (after the cache is pointed at the tests' own)
from ftz_reforms.model.records import Dataset  # noqa: E402
from tests.browser import Browser, chromium  # noqa: E402

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


SMALL_CASES = ("b5-01", "b5-12", "b5-14")
"""The cases of ``small_copy``: 退货 finds b5-01 first, and Hebei's two cases (b5-12, b5-14) make a filter's answer."""


def _dataset_file(path: Path, cases: tuple[str, ...] | None = None) -> Path:
    """The bundled dataset written to ``path``, whole or with only ``cases``."""
    import json
    import shutil

    from ftz_reforms._paths import DATA_DIRECTORY
    from ftz_reforms.store import DATA_FILE

    if cases is None:
        shutil.copyfile(DATA_DIRECTORY / DATA_FILE, path)
    else:
        raw = json.loads((DATA_DIRECTORY / DATA_FILE).read_bytes())
        raw["cases"] = [case for case in raw["cases"] if case["id"] in cases]
        assert [case["id"] for case in raw["cases"]] == list(cases)
        path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


def _warm_cache_of(folder: Path, cases: tuple[str, ...] | None, start: Path | None = None) -> Path:
    """A cache as the first search of a file of the bundled data (or of ``cases`` of it) leaves it: the key,
    jieba's dictionary, and the file's catalogue and index. From a copy of the cache ``start`` without its
    datasets, when given: its key and jieba's dictionary, which take longest to make."""
    import shutil

    if start is not None:
        shutil.copytree(start, folder / "cache", ignore=shutil.ignore_patterns("datasets"))
    copy = _dataset_file(folder / "data.json", cases)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FTZ_REFORMS_CACHE_DIR", str(folder / "cache"))
        ftz_reforms.load(copy).search("退货")
    return folder / "cache"


@pytest.fixture(scope="session")
def warm_cache_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``_warm_cache_of`` the whole bundled data, made once a session: a test that only needs to start there
    copies it. It starts from the session's cache when an earlier test has left jieba's dictionary there."""
    session_cache = Path(_CACHE.name)
    start = session_cache if (session_cache / "jieba").is_dir() else None
    return _warm_cache_of(tmp_path_factory.mktemp("warm-cache"), None, start)


@pytest.fixture(scope="session")
def small_warm_cache_template(tmp_path_factory: pytest.TempPathFactory, warm_cache_template: Path) -> Path:
    """``_warm_cache_of`` ``SMALL_CASES``, made once a session."""
    return _warm_cache_of(tmp_path_factory.mktemp("small-warm-cache"), SMALL_CASES, warm_cache_template)


@pytest.fixture
def warm_cache(own_cache: Path, warm_cache_template: Path) -> Path:
    """This test's own cache, as the first search of ``bundled_copy`` leaves it."""
    import shutil

    shutil.copytree(warm_cache_template, own_cache)
    return own_cache


@pytest.fixture
def small_warm_cache(own_cache: Path, small_warm_cache_template: Path) -> Path:
    """This test's own cache, as the first search of ``small_copy`` leaves it."""
    import shutil

    shutil.copytree(small_warm_cache_template, own_cache)
    return own_cache


@pytest.fixture
def bundled_copy(tmp_path: Path, own_cache: Path) -> Path:
    """The bundled dataset as a file of the user's, with an empty cache of its own."""
    return _dataset_file(tmp_path / "b5.json")


@pytest.fixture
def small_copy(tmp_path: Path, own_cache: Path) -> Path:
    """Three of the bundled cases (``SMALL_CASES``) as a file of the user's, with an empty cache of its own: its
    index builds in an eighth of the whole data's time, for the tests about when an index is built, not about
    what a search finds."""
    return _dataset_file(tmp_path / "b5-small.json", SMALL_CASES)


@pytest.fixture(scope="session")
def page() -> Iterator[Browser]:
    """One headless Chromium with one page for the session (the site's and Datasette's pages are on origins of
    their own); the test says it was skipped where there is no Chromium."""
    executable = chromium()
    if executable is None:
        pytest.skip("no Chromium on this machine (apt install chromium); .ci/run installs it")
    opened = Browser(executable)
    try:
        yield opened
    finally:
        opened.close()
