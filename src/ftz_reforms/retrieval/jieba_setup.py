"""jieba with its full dictionary, for the build and for importing a casebook: quiet, its cache ours.

Only the build and the import of a casebook load jieba (a search segments with ``segmenter``). jieba
(unmaintained since 2020) imports ``pkg_resources`` when setuptools is installed, to read its own data files:
setuptools' deprecated API, which warns, and takes most of jieba's import time; jieba is imported with it
held back, and opens the same files by their path. Its source has escape sequences newer Pythons warn about
when they compile it: those warnings are filtered for jieba's own files only. Its own cache is one shared file
in the system temporary directory, written without care (a full or read-only directory prints a traceback
and leaves a temporary file a run) and read with ``marshal`` whatever wrote it; so jieba is never let near
it: its prefix dictionary is made here and cached in the user's authenticated cache (``store.cache``), or
nowhere, which only costs time. The keywords' IDF table, read from jieba's ``idf.txt``, is cached beside it
(``cached_from_jieba_file``).
"""

from __future__ import annotations

import logging
import marshal
import sys
import threading
import warnings
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar, cast

from ftz_reforms._version import __version__
from ftz_reforms.store.cache import cache_folder

__all__ = ["cached_from_jieba_file", "full_tokenizer", "jieba_module"]

_DICTIONARY_CACHE = "prefix-dictionary.marshal"

Made = TypeVar("Made", bound=tuple[Any, ...])
"""What is cached from a file of jieba's: a tuple of values marshal writes."""

_lock = threading.Lock()
_import_lock = threading.Lock()
"""Held while ``pkg_resources`` is held back (``full_tokenizer`` holds ``_lock`` when it imports jieba)."""


_JIEBA_FILES = r".*[\\/]jieba[\\/]"
"""A compile warning's module, as Python names it from the file compiled (``…/site-packages/jieba/__init__``)."""


@lru_cache(maxsize=1)
def jieba_module() -> ModuleType:
    """The ``jieba`` module, imported without ``pkg_resources``, its compile warnings about its own files
    filtered and its logging at errors only."""
    # Filters added for good (not a catch_warnings block, which is not thread-safe), each one narrow.
    for category in (SyntaxWarning, DeprecationWarning):
        warnings.filterwarnings("ignore", "invalid escape sequence", category, module=_JIEBA_FILES)
    with _import_lock:
        held_back = "pkg_resources" not in sys.modules
        if held_back:
            sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # an import of it raises ImportError
        try:
            import jieba
        finally:
            if held_back:
                del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.ERROR)
    module: ModuleType = jieba
    return module


def cached_from_jieba_file(source: Path, name: str, make: Callable[[], Made]) -> Made:
    """What ``make()`` derives from jieba's file ``source`` (values ``marshal`` writes): from the cache entry
    ``name`` when the cache holds the one this version of ftz-reforms made from this jieba's copy of that file
    (its size and time), else made and cached. The version is in the context, so that an entry another release
    wrote in another shape is never read as this one's."""
    jieba = jieba_module()
    try:
        found = source.stat()
        context = f"ftz-reforms {__version__} jieba {jieba.__version__} {source} {found.st_size} {found.st_mtime_ns}"
    except OSError:
        context = None
    folder = None if context is None else cache_folder("jieba", context=context)
    payload = None if folder is None else folder.read(name)
    if payload is not None:
        try:
            return cast("Made", marshal.loads(payload))  # our own bytes: the cache's key vouched for them
        except (ValueError, EOFError, TypeError):
            pass
    made = make()
    if folder is not None:
        folder.write(name, marshal.dumps(made))
    return made


def _prefix_dictionary(tokenizer: Any) -> tuple[dict[str, int], int]:
    """jieba's prefix dictionary of its full dictionary (word → frequency, and the total), from the cache when
    the cache holds the one of this jieba and this dictionary file."""
    jieba = jieba_module()
    dictionary = Path(tokenizer.dictionary or Path(str(jieba.__file__)).parent / jieba.DEFAULT_DICT_NAME)

    def make() -> tuple[dict[str, int], int]:
        frequencies, total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
        return frequencies, total

    return cached_from_jieba_file(dictionary, _DICTIONARY_CACHE, make)


@lru_cache(maxsize=2)
def full_tokenizer(domain_terms: tuple[str, ...]) -> Any:
    """jieba with its full dictionary plus ``domain_terms`` kept whole.

    Loading the full dictionary is the slowest step of an index build, even from the cache: the keywords and the
    search index's dictionary share one tokenizer.
    """
    with _lock:
        tokenizer: Any = jieba_module().Tokenizer()
        tokenizer.FREQ, tokenizer.total = _prefix_dictionary(tokenizer)
        tokenizer.initialized = True  # jieba's initialize, which would read and write its own cache, is done
        for term in domain_terms:
            tokenizer.add_word(term)
        return tokenizer
