"""How long work says how far it has come: the library reports its steps, and only the command line shows them.

Work that walks every case of a casebook or a dataset (an import's figures and keywords, a loaded file's
first search index) calls ``step(what, done, total)``. Nothing happens unless a reporter is installed with
``reporting``: the library stays silent for a program that imports it, and the command line installs one that
writes to a terminal's stderr (``cli.progress``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar

__all__ = ["Reporter", "reporting", "step"]

Reporter = Callable[[str, int, int], None]
"""Told what is being done, how many items are done and how many there are in all."""

_REPORTER: ContextVar[Reporter | None] = ContextVar("ftz_reforms_progress", default=None)


def step(what: str, done: int, total: int) -> None:
    """Report that ``done`` of ``total`` items of ``what`` are done, to the reporter installed, if any."""
    reporter = _REPORTER.get()
    if reporter is not None:
        reporter(what, done, total)


@contextlib.contextmanager
def reporting(reporter: Reporter) -> Iterator[None]:
    """Within the block, steps go to ``reporter`` (in this thread and context only)."""
    token = _REPORTER.set(reporter)
    try:
        yield
    finally:
        _REPORTER.reset(token)
