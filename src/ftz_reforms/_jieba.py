"""jieba, imported quietly and cheaply, with any cache it writes kept in a per-user directory of ours.

jieba (unmaintained since 2020) imports ``pkg_resources`` when it can: that costs ~120 ms and, with a
recent setuptools, emits a deprecation warning at our users. Hiding the module during the import makes
jieba take its plain-file fallback, which reads the same files. jieba also imports the tables of its HMM
for unknown words (``jieba.finalseg``, ~12 ms) up front; a search never uses them (it segments with
``HMM=False``), so they load on first use instead, for whoever uses them. Its default cache is one
shared file in the system temporary directory; ours is per user.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["cache_directory", "full_tokenizer", "quiet_jieba"]

_jieba: ModuleType | None = None


def cache_directory() -> Path:
    """``$XDG_CACHE_HOME/ftz-reforms`` (or ``~/.cache/ftz-reforms``); a per-user temporary one otherwise."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = Path(base) / "ftz-reforms"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
        directory = Path(tempfile.gettempdir()) / f"ftz-reforms-{user}"
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


class _ImportedOnFirstUse(ModuleType):
    """Stands in for a module until one of its attributes is asked for; then imports it and defers to it.

    Importing the real module also makes it the attribute of its package, replacing this stand-in.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module(self.__name__), name)


def quiet_jieba() -> ModuleType:
    """The ``jieba`` module, imported without ``pkg_resources``, its HMM tables deferred, logging only errors."""
    global _jieba
    if _jieba is None:
        hidden = "pkg_resources" not in sys.modules
        if hidden:
            sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes its import fail fast
        # jieba's `from . import finalseg` takes whatever sys.modules holds; the stand-in leaves
        # sys.modules right after, so the first use imports the real module the usual way.
        stand_in = None
        if "jieba" not in sys.modules and "jieba.finalseg" not in sys.modules:
            stand_in = sys.modules["jieba.finalseg"] = _ImportedOnFirstUse("jieba.finalseg")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                import jieba
        finally:
            if hidden:
                del sys.modules["pkg_resources"]
            if stand_in is not None and sys.modules.get("jieba.finalseg") is stand_in:
                del sys.modules["jieba.finalseg"]
        jieba.setLogLevel(logging.ERROR)
        _jieba = jieba
    return _jieba


@lru_cache(maxsize=2)
def full_tokenizer(domain_terms: tuple[str, ...]) -> Any:
    """jieba with its full dictionary plus ``domain_terms`` kept whole; its cache in our directory.

    Build-time only (loading the full dictionary takes ~0.5 s): the keywords and the search index's
    dictionary share one tokenizer.
    """
    tokenizer: Any = quiet_jieba().Tokenizer()
    tokenizer.tmp_dir = str(cache_directory())
    for term in domain_terms:
        tokenizer.add_word(term)
    return tokenizer
