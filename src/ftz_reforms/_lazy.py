"""A value made on first use, once, whatever the threads: the bundled data, its search index, the bundled
collection and a collection's parts are each read when a query first needs them, never twice."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Lazy"]

Value = TypeVar("Value")


class Lazy(Generic[Value]):
    """A value made by ``make`` on the first ``get()``, once, whatever the threads."""

    def __init__(self, make: Callable[[], Value]) -> None:
        self._make: Callable[[], Value] | None = make
        self._value: Value | None = None
        self._lock = threading.Lock()

    @classmethod
    def of(cls, value: Value) -> Lazy[Value]:
        """A value made already."""
        made = cls(lambda: value)
        made._value, made._make = value, None
        return made

    def get(self) -> Value:
        if self._make is not None:
            with self._lock:
                if self._make is not None:
                    self._value = self._make()
                    self._make = None
        return self._value  # type: ignore[return-value]  # made above
