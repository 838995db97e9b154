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


_HMM_PROBE = "print(list(jieba.finalseg.cut('他来到了网易杭研大厦')), jieba.finalseg.__name__)\n"


def test_a_search_leaves_jiebas_hmm_tables_unloaded_yet_usable() -> None:
    code = (
        "import sys, ftz_reforms\n"
        "assert ftz_reforms.search('杭研大厦 退货') is not None\n"
        "assert 'jieba' in sys.modules\n"
        "assert 'jieba.finalseg.prob_emit' not in sys.modules, 'the search loaded the HMM tables'\n"
        "import jieba\n" + _HMM_PROBE + "assert 'jieba.finalseg.prob_emit' in sys.modules\n"
        "assert type(jieba.finalseg).__name__ == 'module', 'the real module replaced the stand-in'\n"
    )
    ours = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert ours.returncode == 0, ours.stderr
    # The same call in a process where jieba was imported the ordinary way.
    plain = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", "import jieba\n" + _HMM_PROBE],
        capture_output=True,
        text=True,
        check=True,
    )
    assert ours.stdout == plain.stdout


def test_jieba_imported_before_us_is_left_alone() -> None:
    code = (
        "import warnings; warnings.simplefilter('ignore')\n"
        "import jieba, sys\n"
        "real = sys.modules['jieba.finalseg']\n"
        "import ftz_reforms\n"
        "ftz_reforms.search('退货')\n"
        "assert jieba.finalseg is real and sys.modules['jieba.finalseg'] is real\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
