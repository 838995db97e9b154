"""The bundled dataset: loaded lazily, once, thread-safely; and lookups over it."""

from __future__ import annotations

import gc
import json
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ftz_reforms._paths import DATA_DIRECTORY
from ftz_reforms.errors import CaseNotFoundError

if TYPE_CHECKING:
    from ftz_reforms.model.records import Case, Dataset

__all__ = ["CaseNotFoundError", "cases", "dataset", "find_case", "get"]

DATA_FILE = "dataset.json"

_lock = threading.Lock()
_dataset: Dataset | None = None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, restoring its previous state on the way out.

    Defining the model classes and validating the data allocate tens of thousands of objects, none of
    them garbage; with pydantic loaded, the collections they would trigger cost milliseconds and find
    nothing.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def dataset() -> Dataset:
    """The whole bundled dataset: cases, source documents, reference tables, versions. Loaded on first use.

    The bundled data was validated by the build that wrote it (and CI proves it current), so it is
    made into records directly (``model.construct``) rather than validated again: that spares every
    process pydantic's building of a validator for the whole contract.
    """
    global _dataset
    if _dataset is None:
        with _lock:
            if _dataset is None:
                raw = (DATA_DIRECTORY / DATA_FILE).read_bytes()
                with _collector_paused():
                    # Imported here so the model classes are defined with the collector paused too.
                    from ftz_reforms.model.construct import construct
                    from ftz_reforms.model.records import Dataset

                    _dataset = construct(Dataset, json.loads(raw))
    return _dataset


def cases() -> tuple[Case, ...]:
    """All cases, in document order."""
    return dataset().cases


def get(ref: int | str) -> Case:
    """One case by its number (``17`` or ``"17"``) or id (``"b5-17"``).

    Raises :class:`CaseNotFoundError` (a ``LookupError``) naming the valid references on a miss. A bare
    number is the case's position in its casebook, and names a case only while the dataset holds one
    batch; with several batches, give an id.
    """
    return find_case(dataset().cases, ref)


def find_case(cases: Sequence[Case], ref: int | str) -> Case:
    """The case of ``cases`` that ``ref`` names (see :func:`get`)."""
    counts = Counter(case.batch for case in cases)
    number: int | None = None
    if isinstance(ref, bool):
        number = None
    elif isinstance(ref, int):
        number = ref
    elif isinstance(ref, str):
        text = ref.strip()
        if text.isascii() and text.isdigit():
            number = int(text)
        else:
            wanted = text.lower()
            for case in cases:
                if case.id == wanted:
                    return case
    if number is not None and len(counts) == 1:
        for case in cases:
            if case.number == number:
                return case
    raise CaseNotFoundError(ref, dict(counts))
