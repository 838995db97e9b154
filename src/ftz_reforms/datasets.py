"""A dataset file (one ``ftz-reforms import`` wrote, or any valid dataset) with the library's queries as methods.

``load(path)`` reads and validates the file; the :class:`LoadedDataset` it returns answers ``get``,
``cases``, ``metrics``, ``filter_cases``, ``search``, ``to_records`` and ``to_dataframe`` exactly as the
module-level functions answer them for the bundled dataset. Its search index is built on the first
search (which loads jieba's full dictionary once, about a second), with the same weights as the
bundled one.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from ftz_reforms.assemble import bundled_domain_terms
from ftz_reforms.errors import DatasetFileError
from ftz_reforms.model.records import Case, Dataset
from ftz_reforms.queries import CaseMetric, select_metrics
from ftz_reforms.retrieval.engine import Hit, SearchIndex, bundled_index
from ftz_reforms.retrieval.indexer import build_index
from ftz_reforms.store import find_case
from ftz_reforms.tables.definitions import Row
from ftz_reforms.tables.formats import to_dataframe, to_records
from ftz_reforms.validate import validate_bytes

__all__ = ["DatasetFileError", "LoadedDataset", "load"]


class LoadedDataset:
    """A dataset and its queries: the same answers the module-level functions give for the bundled data."""

    def __init__(self, data: Dataset, path: str | None = None) -> None:
        self.data = data
        self.path = path
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        where = f" from {self.path}" if self.path else ""
        return f"<LoadedDataset{where}: {len(self.data.cases)} cases, data {self.data.data_version}>"

    @property
    def version(self) -> str:
        """The dataset's data version."""
        return self.data.data_version

    def cases(self) -> tuple[Case, ...]:
        """All cases, batch by batch, in document order."""
        return self.data.cases

    def get(self, ref: int | str) -> Case:
        """One case by number or id, as :func:`ftz_reforms.get` reads them."""
        return find_case(self.data.cases, ref)

    def metrics(self, **filters: Any) -> tuple[CaseMetric, ...]:
        """Metrics filtered as :func:`ftz_reforms.metrics` filters them."""
        return select_metrics(self.data.cases, **filters)

    def _search_index(self) -> SearchIndex:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = SearchIndex(
                        build_index(
                            self.data,
                            bundled_domain_terms(),
                            bundled_index().traditional,
                            bundled_index().expansions,
                        )
                    )
        return self._index

    def search(self, query: str, **options: Any) -> list[Hit]:
        """Ranked hits as :func:`ftz_reforms.search` gives them; ``hit.case`` is this dataset's case."""
        return self._search_index().search(query, case_of=self.get, **options)

    def filter_cases(self, **filters: Any) -> list[int]:
        """Case numbers passing the filters of :func:`ftz_reforms.filter_cases`."""
        return self._search_index().filter_cases(**filters)

    def filter_ids(self, **filters: Any) -> list[str]:
        """Ids of the cases passing the filters of :func:`ftz_reforms.filter_cases`."""
        return self._search_index().filter_ids(**filters)

    def to_records(self, table: str) -> list[Row]:
        """The rows of one table (cases, sections, metrics, zones, areas), as :func:`ftz_reforms.to_records`."""
        return to_records(table, self.data)

    def to_sqlite(self, path: str | Path) -> Path:
        """The dataset as a SQLite database with Chinese full-text search (see ``tables.sqlite``)."""
        from ftz_reforms.tables.sqlite import to_sqlite

        return to_sqlite(path, self.data, self._search_index().segmenter.tokens)

    def to_dataframe(self, table: str) -> Any:
        """The rows of one table as a pandas DataFrame (needs the ``pandas`` extra)."""
        return to_dataframe(table, self.data)


def load(path: str | Path) -> LoadedDataset:
    """The dataset in the JSON file at ``path``, validated; a :class:`DatasetFileError` naming every problem."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise DatasetFileError(f"{name}: cannot be read ({error.strerror or error})") from None
    problems = validate_bytes(raw, name, kind="dataset")
    if problems:
        shown = "; ".join(f"{problem.location}: {problem.message}" for problem in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise DatasetFileError(f"{name}: not a valid ftz-reforms dataset: {shown}{more}")
    return LoadedDataset(Dataset.model_validate_json(raw), name)
