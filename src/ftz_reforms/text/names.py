"""Finding one record by any of its names: official names first, then aliases, ignoring case.

A country library's lookup, typed: ``NameTable.find`` takes a Chinese or English name, an alias or a
code, prefers an exact official name over an alias, and on a miss raises
:class:`ReferenceNotFoundError` naming the closest known names.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

from ftz_reforms.errors import ReferenceNotFoundError

__all__ = ["NameTable", "name_key"]

Item = TypeVar("Item")


def name_key(text: str) -> str:
    """How a name is compared: NFKC (full-width forms folded), case-folded, without surrounding spaces."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


class NameTable(Generic[Item]):
    """Records reachable by their official names and their aliases."""

    def __init__(
        self, what: str, entries: Iterable[tuple[Item, Sequence[str], Sequence[str]]], listing: str = ""
    ) -> None:
        """``entries``: (record, official names, aliases); ``what`` names a record and ``listing`` says
        where they are all listed, in errors."""
        self.what = what
        self.listing = listing
        self._official: dict[str, list[Item]] = {}
        self._alias: dict[str, list[Item]] = {}
        self._names: list[str] = []
        for item, official, aliases in entries:
            for names, table in ((official, self._official), (aliases, self._alias)):
                for name in names:
                    found = table.setdefault(name_key(name), [])
                    if item not in found:
                        found.append(item)
                    self._names.append(name)

    def find(self, ref: str) -> Item:
        """The one record ``ref`` names; :class:`ReferenceNotFoundError` for none, or for an ambiguous alias."""
        key = name_key(ref)
        for table in (self._official, self._alias):
            found = table.get(key, [])
            if len(found) == 1:
                return found[0]
            if found:
                raise ReferenceNotFoundError(self.what, ref, [], ambiguous=len(found), listing=self.listing)
        raise ReferenceNotFoundError(self.what, ref, self.closest(ref), listing=self.listing)

    def keys(self) -> list[Item]:
        """Every record, once, in the order given."""
        return list(dict.fromkeys(item for items in self._official.values() for item in items))

    def closest(self, ref: str) -> list[str]:
        """Up to three known names that look like ``ref`` (ignoring case)."""
        by_key = {name_key(name): name for name in self._names}
        found = difflib.get_close_matches(name_key(ref), list(by_key), n=3, cutoff=0.6)
        return [by_key[key] for key in found]
