"""The bundled dataset: loaded lazily, once, thread-safely; and lookups over it."""

from __future__ import annotations

import gc
import threading

from ftz_reforms._paths import DATA_DIRECTORY
from ftz_reforms.errors import CaseNotFoundError
from ftz_reforms.models import Case, Dataset

__all__ = ["CaseNotFoundError", "cases", "dataset", "get"]

DATA_FILE = "dataset.json"

_lock = threading.Lock()
_dataset: Dataset | None = None


def dataset() -> Dataset:
    """The whole bundled dataset: cases, source document, versions. Loaded on first use."""
    global _dataset
    if _dataset is None:
        with _lock:
            if _dataset is None:
                raw = (DATA_DIRECTORY / DATA_FILE).read_bytes()
                # pydantic-core parses the JSON itself: no JSON library to import on this path. The
                # collector is paused meanwhile: the load allocates thousands of objects, none of them
                # garbage, and would otherwise trigger collections that find nothing.
                collecting = gc.isenabled()
                gc.disable()
                try:
                    _dataset = Dataset.model_validate_json(raw)
                finally:
                    if collecting:
                        gc.enable()
    return _dataset


def cases() -> tuple[Case, ...]:
    """All cases, in document order."""
    return dataset().cases


def get(ref: int | str) -> Case:
    """One case by its number (``17`` or ``"17"``) or id (``"b5-17"``).

    Raises :class:`CaseNotFoundError` (a ``LookupError``) naming the valid references on a miss.
    """
    data = dataset()
    all_cases = data.cases
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
            for case in all_cases:
                if case.id == text.lower():
                    return case
    if number is not None and 1 <= number <= len(all_cases):
        return all_cases[number - 1]
    raise CaseNotFoundError(ref, len(all_cases), data.source.batch)
