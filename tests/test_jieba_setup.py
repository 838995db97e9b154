"""jieba as we use it: no pkg_resources, no warning, any cache in our per-user directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ftz_reforms._jieba import cache_directory


def test_cache_directory_is_per_user_and_ours(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_directory() == tmp_path / "xdg" / "ftz-reforms"
    assert cache_directory().is_dir()


def test_the_build_time_keywords_write_jiebas_cache_only_to_our_directory(tmp_path: Path) -> None:
    code = (
        "from ftz_reforms.keywords import KeywordExtractor\n"
        "import ftz_reforms\n"
        "extractor = KeywordExtractor(['综合保税区'], frozenset())\n"
        "print(extractor.keywords(ftz_reforms.get(3))[:3])\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    (tmp_path / "tmp").mkdir()
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", "no warning and no jieba chatter"
    assert list((tmp_path / "tmp").iterdir()) == []
    assert [path.name for path in (tmp_path / "cache" / "ftz-reforms").iterdir()] == ["jieba.cache"]
