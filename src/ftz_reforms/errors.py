"""Every error the library raises on purpose, in a module of its own so that search can raise them without
pydantic.

``FtzReformsError`` is the base of them all, so one ``except FtzReformsError`` catches whatever the library
refuses; each also derives from the builtin it stands for (``LookupError`` for a miss, ``ValueError`` for bad
input, ``OSError`` for a file that cannot be read or written, ``ImportError`` for a missing extra,
``RuntimeError`` for an installation whose files disagree), so code that catches those keeps working.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = [
    "ArgumentError",
    "CaseNotFoundError",
    "CasebookError",
    "DatasetFileError",
    "ExportError",
    "FileAccessError",
    "FilterError",
    "FtzReformsError",
    "MissingExtraError",
    "QueryError",
    "ReferenceNotFoundError",
    "StaleIndexError",
    "WithdrawnError",
]


class FtzReformsError(Exception):
    """The base of every error ftz-reforms raises on purpose; its message is one line a person can act on."""


class FilterError(FtzReformsError, ValueError):
    """A filter value the data does not know; the message names the accepted values."""

    @classmethod
    def unknown(cls, what: str, value: object, accepted: Iterable[str]) -> FilterError:
        """The one wording of an unknown value: what it was meant to be, what it was, what is accepted."""
        return cls(f"unknown {what} {value!r}; accepted values: {', '.join(accepted)}")

    @classmethod
    def check_names(cls, given: Iterable[str], accepted: Iterable[str], what: str) -> None:
        """Refuse any name of ``given`` not in ``accepted``, naming the accepted ones (the one wording)."""
        names = list(accepted)
        unknown = sorted(set(given) - set(names))
        if unknown:
            raise cls(f"no {what} {', '.join(map(repr, unknown))}; filters: {', '.join(names)}")


class QueryError(FtzReformsError, ValueError):
    """A search query that cannot be searched (empty or blank), or a bad search option."""


class ArgumentError(FtzReformsError, ValueError):
    """An argument outside what a function accepts (a batch of 0, a date that is not YYYY-MM, an empty title)."""


class ExportError(FtzReformsError, ValueError):
    """An export was asked for a table or format that does not exist; the message names those that do."""


class StaleIndexError(FtzReformsError, RuntimeError):
    """The bundled search index was written for another index format or another version of the data."""


class MissingExtraError(FtzReformsError, ImportError):
    """An optional dependency is missing; the message names the extra that installs it."""

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(f"{module} is not installed: pip install 'ftz-reforms[{extra}]'")


class FileAccessError(FtzReformsError, OSError):
    """A file that cannot be read or written; the message names the file and the reason."""


class CaseNotFoundError(FtzReformsError, LookupError):
    """No case matches a reference; the message names the valid references.

    A bare number names a case only in a dataset of one batch; with several, only an id does.
    """

    def __init__(self, ref: object, counts: dict[int, int]) -> None:
        """``counts``: the number of cases of each batch the dataset holds."""
        self.ref = ref
        ranges = " or ".join(f"from 'b{batch}-01' to 'b{batch}-{count:02d}'" for batch, count in sorted(counts.items()))
        if not counts:
            message = f"no case {ref!r}: the dataset holds no cases"
        elif len(counts) == 1:
            ((_, count),) = counts.items()
            message = f"no case {ref!r}: use a number from 1 to {count} (or '1'…'{count}'), or an id {ranges}"
        else:
            held = ", ".join(str(batch) for batch in sorted(counts))
            message = (
                f"no case {ref!r}: the dataset holds batches {held}, so a bare number names no single case; "
                f"use an id {ranges}"
            )
        super().__init__(message)


class ReferenceNotFoundError(FtzReformsError, LookupError):
    """No zone or pilot area goes by a name; the message names the closest known names."""

    def __init__(self, what: str, ref: object, closest: list[str], ambiguous: int = 0, listing: str = "") -> None:
        self.ref = ref
        self.closest = closest
        if ambiguous:
            message = f"{what} {ref!r} is ambiguous: {ambiguous} {what}s go by it; give an official name"
        elif closest:
            message = f"no {what} {ref!r}; closest: {', '.join(closest)}"
        else:
            message = f"no {what} {ref!r}" + (f"; {listing}" if listing else "")
        super().__init__(message)


class WithdrawnError(FtzReformsError, LookupError):
    """A lookup of an id that a release withdrew: the message says in which data version and why."""

    def __init__(self, record_id: str, data_version: str, reason: str) -> None:
        self.id = record_id
        self.data_version = data_version
        self.reason = reason
        super().__init__(f"{record_id} was withdrawn in data {data_version}: {reason}")


LONGEST_SHOWN = 40
"""Characters of a value a message shows: a 100,000-character value is not echoed whole."""


class _Shown:
    """A value as a message shows it (its ``repr`` is ``shown(value)``), for messages written elsewhere."""

    __slots__ = ("text",)

    def __init__(self, value: object) -> None:
        self.text = shown(value)

    def __repr__(self) -> str:
        return self.text


def shown(value: object) -> str:
    """``repr(value)`` for a one-line message, cut to about 40 characters; an integer too long to write
    (Python writes none of more than 4,300 digits) is described by its number of digits."""
    try:
        text = repr(value)
    except ValueError:
        digits = int(abs(value).bit_length() * math.log10(2)) + 1 if isinstance(value, int) else 0
        return f"an integer of about {digits:,} digits" if digits else f"a {type(value).__name__}"
    if len(text) <= LONGEST_SHOWN:
        return text
    what = "digits" if isinstance(value, int) else "characters"
    return f"{text[: LONGEST_SHOWN - 8]}… ({len(text):,} {what})"


def short_value(value: object) -> object:
    """``value`` itself when its ``repr`` is short, else a stand-in whose ``repr`` is cut short."""
    try:
        if len(repr(value)) <= LONGEST_SHOWN:
            return value
    except ValueError:
        pass
    return _Shown(value)


class CasebookError(FtzReformsError, ValueError):
    """The text does not follow the casebook layout; the message names the line and the expectation."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{where}{message}")


class DatasetFileError(FtzReformsError, ValueError):
    """A file that is not a valid dataset; the message names the file and every problem's JSON path."""
