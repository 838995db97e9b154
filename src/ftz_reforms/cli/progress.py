"""Progress on a terminal's stderr, for work longer than a couple of seconds (``_progress`` reports the steps).

One line, rewritten in place: ``finding figures and effects: 812/1380 cases``, at most ten times a second, and
cleared when the command ends. Nothing is written when stderr is not a terminal (a log, a pipe, CI), nor for
work that ends within ``AFTER`` seconds, so a quick command prints nothing more than it did.
"""

from __future__ import annotations

import time
from typing import TextIO

from ftz_reforms.cli.output import is_terminal

__all__ = ["AFTER", "TerminalProgress"]

AFTER = 2.0
"""Seconds of work before progress is shown."""
_EVERY = 0.1
"""Seconds between two updates of the line."""


class TerminalProgress:
    """A ``_progress.Reporter`` that draws one line on ``stream`` when it is a terminal."""

    def __init__(self, stream: TextIO, after: float = AFTER) -> None:
        self.stream = stream
        self.after = after
        self.started = time.monotonic()
        self.drawn = 0.0
        self.shown = False
        self.terminal = is_terminal(stream)

    def __call__(self, what: str, done: int, total: int) -> None:
        if not self.terminal:
            return
        now = time.monotonic()
        if now - self.started < self.after or (now - self.drawn < _EVERY and done < total):
            return
        self.drawn = now
        self.shown = True
        self.stream.write(f"\r\x1b[K{what}: {done}/{total}")
        self.stream.flush()

    def clear(self) -> None:
        """Remove the line, so that what the command prints next starts clean."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
