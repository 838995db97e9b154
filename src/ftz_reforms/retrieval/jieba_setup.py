"""jieba with its full dictionary, for the build and for importing a casebook: quiet, its cache ours.

Only the build and the import of a casebook load jieba (a search segments with ``segmenter``). jieba
(unmaintained since 2020) imports ``pkg_resources`` when setuptools is installed, which recent
setuptools answers with a deprecation warning, and its source has escape sequences newer Pythons warn
about when they compile it: those warnings, and only those, are filtered. Its default cache is one
shared file in the system temporary directory; ours is per user.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import warnings
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from ftz_reforms._paths import cache_root

__all__ = ["cache_directory", "full_tokenizer", "jieba_module"]

_lock = threading.Lock()


def cache_directory() -> Path:
    """The user's ftz-reforms cache (``_paths.cache_root``); a per-user temporary directory when there is none
    or it cannot be made (jieba needs somewhere to write)."""
    root = cache_root()
    try:
        if root is None:
            raise OSError("no cache directory")
        directory = root
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
        directory = Path(tempfile.gettempdir()) / f"ftz-reforms-{user}"
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


@lru_cache(maxsize=1)
def jieba_module() -> ModuleType:
    """The ``jieba`` module, its import warnings about itself filtered and its logging at errors only."""
    # Filters added for good (not a catch_warnings block, which is not thread-safe), each one narrow.
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
    for category in (SyntaxWarning, DeprecationWarning):
        warnings.filterwarnings("ignore", message="invalid escape sequence", category=category)
    import jieba

    jieba.setLogLevel(logging.ERROR)
    module: ModuleType = jieba
    return module


@lru_cache(maxsize=2)
def full_tokenizer(domain_terms: tuple[str, ...]) -> Any:
    """jieba with its full dictionary plus ``domain_terms`` kept whole; its cache in our directory.

    Loading the full dictionary takes ~0.5 s: the keywords and the search index's dictionary share one
    tokenizer.
    """
    with _lock:
        tokenizer: Any = jieba_module().Tokenizer()
        tokenizer.tmp_dir = str(cache_directory())
        for term in domain_terms:
            tokenizer.add_word(term)
        return tokenizer
