"""The bundled dataset's records: read on first use, once, whatever the threads.

The bundled data was validated by the build that wrote it (and CI proves it current), so it is made into
records directly (``model.construct``) rather than validated again: that spares every process pydantic's
building of a validator for the whole contract.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ftz_reforms._lazy import Lazy
from ftz_reforms._paths import DATA_DIRECTORY

if TYPE_CHECKING:
    from ftz_reforms.model.records import Dataset

__all__ = ["DATA_FILE", "bundled_data"]

DATA_FILE = "dataset.json"


def _read() -> Dataset:
    from ftz_reforms.model.construct import construct
    from ftz_reforms.model.records import Dataset

    return construct(Dataset, json.loads((DATA_DIRECTORY / DATA_FILE).read_bytes()))


_data = Lazy(_read)


def bundled_data() -> Dataset:
    """The bundled dataset's record (cases, source documents, reference tables, versions)."""
    return _data.get()
