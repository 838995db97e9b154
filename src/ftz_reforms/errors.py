"""Errors of the query API, in a module of their own so that search can raise them without pydantic."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["CaseNotFoundError", "ExportError", "FilterError", "QueryError", "StaleIndexError"]


class FilterError(ValueError):
    """A filter value the data does not know; the message names the accepted values."""

    @classmethod
    def unknown(cls, what: str, value: object, accepted: Iterable[str]) -> FilterError:
        """The one wording of an unknown value: what it was meant to be, what it was, what is accepted."""
        return cls(f"unknown {what} {value!r}; accepted values: {', '.join(accepted)}")


class QueryError(ValueError):
    """A search query that cannot be searched (empty or blank), or a bad search option."""


class ExportError(ValueError):
    """An export was asked for a table or format that does not exist; the message names those that do."""


class StaleIndexError(RuntimeError):
    """The bundled search index was written for another index format or another version of the data."""


class CaseNotFoundError(LookupError):
    """No case matches a reference; the message names the valid references."""

    def __init__(self, ref: object, count: int, batch: int) -> None:
        self.ref = ref
        super().__init__(
            f"no case {ref!r}: use a number from 1 to {count} (or '1'…'{count}'), "
            f"or an id from 'b{batch}-01' to 'b{batch}-{count:02d}'"
        )
