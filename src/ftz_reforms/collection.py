"""One dataset class: the bundled data and every dataset file a user brings are a :class:`Collection`, with one
set of typed queries.

``dataset()`` gives the bundled collection (created on first use, its data read lazily, once, under a lock)
and ``load(path)`` one of any dataset file; the module-level functions of ``ftz_reforms`` are the bundled
collection's methods. Each part of a collection is made the first time a query needs it:

- the *catalogue* (each case's number, id, titles, provinces, areas, categories and units; what ``list``
  and the filters read), small;
- the *records* (pydantic models; what ``get``, ``metrics``, ``show`` and the exports read);
- the *search index* (what ``search`` and the text filter read), whose building loads jieba's full
  dictionary (seconds for a large dataset).

A loaded file's catalogue and index are cached in the user's cache directory (``_paths.cache_root``), in a
folder named by the package version and the SHA-256 of the file's bytes, so they are built once, not in
every process: a file that changes has another digest, and an entry of another package version is never
read. The cache is believed only where its own key authenticates it (``store.cache``): an edited, copied or
forged entry is made again, never read. The catalogue is written only after the file validated in full;
a later process that finds it answers ``list`` and ``search`` from it and the index, and validates the
records with the models whenever it reads them (a user's file is never taken on the cache's word).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftz_reforms._lazy import Lazy
from ftz_reforms._version import __version__
from ftz_reforms.errors import ArgumentError, StaleIndexError

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ftz_reforms.assemble import CasebookDetails
    from ftz_reforms.model.records import (
        BatchInfo,
        Case,
        Dataset,
        Effect,
        FreeTradeZone,
        Metric,
        PilotArea,
        Withdrawn,
    )
    from ftz_reforms.queries import CaseEffect, CaseMetric, EffectFilters, MetricFilters
    from ftz_reforms.retrieval.engine import CaseFilters, Catalogue, Hit, SearchIndex
    from ftz_reforms.retrieval.index_format import CaseEntry, IndexFile
    from ftz_reforms.tables.definitions import Row
    from ftz_reforms.text.names import NameTable

__all__ = ["CACHE_FORMAT", "Collection", "dataset", "import_casebook", "load"]

CACHE_FORMAT = 1
"""Version of the cached catalogue's layout."""


class Collection:
    """A dataset and its queries: the bundled one (``ftz_reforms.dataset()``) or a file's (``load(path)``).

    Every query is a method, the same for both; the module-level functions are the bundled collection's.
    Records are immutable and shared: a query returns the collection's own records, never copies.
    """

    def __init__(
        self,
        data: Callable[[], Dataset],
        catalogue: Callable[[], Catalogue],
        index: Callable[[], SearchIndex],
        *,
        name: str,
        path: Path | None = None,
        sha256: str | None = None,
    ) -> None:
        """Use ``dataset()``, ``load(path)`` or ``Collection.of(record)``; each argument is made on first use."""
        self._data = Lazy(data)
        self._catalogue = Lazy(catalogue)
        self._index = Lazy(index)
        self._zones: Lazy[NameTable[FreeTradeZone]] = Lazy(self._zone_table)
        self._areas: Lazy[NameTable[PilotArea]] = Lazy(self._area_table)
        self.name = name
        """Where the collection comes from: ``bundled``, a file's path, or ``<memory>``."""
        self.path = path
        """The dataset file it was loaded from; None for the bundled data or a record in memory."""
        self.sha256 = sha256
        """SHA-256 of the dataset file's bytes; None for the bundled data or a record in memory."""

    @classmethod
    def of(cls, data: Dataset) -> Collection:
        """The collection of a dataset record in memory (``import_casebook``'s, say); its index is built on
        the first search and not cached."""

        from ftz_reforms.model.records import Dataset

        if not isinstance(data, Dataset):
            raise ArgumentError(
                f"Collection.of takes a Dataset record, not {type(data).__name__}: load(path) reads a file"
            )

        def catalogue() -> Catalogue:
            from ftz_reforms.retrieval.engine import Catalogue
            from ftz_reforms.retrieval.fields import catalogue as catalogue_of

            return Catalogue(catalogue_of(data))

        return cls(lambda: data, catalogue, lambda: _built_index(data, None), name="<memory>")

    def __repr__(self) -> str:
        return f"<Collection {self.name}: {len(self)} cases>"

    def __len__(self) -> int:
        """The number of cases."""
        return len(self._catalogue.get().cases)

    @property
    def data(self) -> Dataset:
        """The dataset's record: cases, source documents, reference tables, versions."""
        return self._data.get()

    @property
    def data_version(self) -> str:
        """The version of this collection's data (semver)."""
        return self.data.data_version

    # --- cases -----------------------------------------------------------------------------------------

    def cases(self) -> tuple[Case, ...]:
        """All cases, batch by batch, each batch in document order."""
        return self.data.cases

    def get(self, ref: int | str) -> Case:
        """One case by its number (``17`` or ``"17"``) or id (``"b5-17"``).

        Raises :class:`CaseNotFoundError` (a ``LookupError``) naming the valid references on a miss. A bare
        number is the case's position in its casebook, and names a case only while the dataset holds one
        batch; with several, give an id.
        """
        from ftz_reforms.queries import find_case

        return find_case(self.data.cases, ref, self.data.withdrawal)

    def record(self, record_id: str) -> Case | Metric | Effect:
        """The case, metric or effect of a permanent id (``b5-08``, ``b5-08-m07``, ``b5-08-e03``).

        An id a release withdrew raises :class:`WithdrawnError` saying in which data version and why; any other
        miss :class:`CaseNotFoundError` or :class:`ReferenceNotFoundError` (all ``LookupError``).
        """
        from ftz_reforms.queries import find_case

        if not isinstance(record_id, str):
            raise ArgumentError(f"an id is a string such as b5-08-m07, not {type(record_id).__name__}")
        wanted = record_id.strip().lower()
        head, _, tail = wanted.rpartition("-")
        if tail[:1] in ("m", "e") and head:
            case = find_case(self.data.cases, head, self.data.withdrawal)
            return case.metric(wanted) if tail[0] == "m" else case.effect(wanted)
        return find_case(self.data.cases, wanted, self.data.withdrawal)

    def withdrawn(self) -> tuple[Withdrawn, ...]:
        """Every id a release withdrew (cases', then each case's metrics' and effects'), with when and why."""
        return (*self.data.withdrawn, *(item for case in self.data.cases for item in case.withdrawn))

    def listing(self, **filters: Unpack[CaseFilters]) -> list[CaseEntry]:
        """What a list of the cases that pass every filter given (``CaseFilters``) shows, in dataset order:
        each case's number, id, batch, titles, provinces, areas, categories and units, as plain dicts.

        Needs no records: the catalogue answers it, and the search index only for the ``text`` filter.
        """
        from ftz_reforms.retrieval.engine import checked_filters

        checked = checked_filters(filters)
        catalogue = self._catalogue.get()
        keep = self._index.get().keep(checked) if checked.get("text") is not None else catalogue.keep(checked)
        return [dict(entry) for entry, kept in zip(catalogue.cases, keep) if kept]  # type: ignore[misc]

    def filter_ids(self, **filters: Unpack[CaseFilters]) -> tuple[str, ...]:
        """Ids of the cases that pass every filter given (``CaseFilters``), in dataset order; no records loaded."""
        return tuple(entry["id"] for entry in self.listing(**filters))

    def filter_cases(self, **filters: Unpack[CaseFilters]) -> tuple[Case, ...]:
        """The cases that pass every filter given (``CaseFilters``), in dataset order.

        ``province``: a zone's Chinese or English name, ISO code or short form (山东, Shandong, CN-SD);
        ``area``: a pilot area's Chinese or English name or alias (青岛片区, Qingdao Area); ``category``: a
        ``Category``; ``unit``: a ``Unit`` some metric of the case uses; ``text``: text the case contains.
        An unknown value raises :class:`FilterError` naming the accepted or closest values.
        """
        wanted = set(self.filter_ids(**filters))
        return tuple(case for case in self.data.cases if case.id in wanted)

    def metrics(self, **filters: Unpack[MetricFilters]) -> tuple[CaseMetric, ...]:
        """Metrics in document order, each with its case, that pass every filter given (``MetricFilters``):
        ``case``, ``id``, ``province``, ``area``, ``unit``, ``role``, ``direction``, ``where``, ``min_value``,
        ``max_value``, ``distinct``."""
        from ftz_reforms.queries import checked_metric_filters, select_metrics

        checked = checked_metric_filters(filters)
        return select_metrics(self._cases_in(checked), checked, self.data.withdrawal)

    def effects(self, **filters: Unpack[EffectFilters]) -> tuple[CaseEffect, ...]:
        """Effects in document order, each with its case and the metrics it links, that pass every filter
        given (``EffectFilters``): ``case``, ``id``, ``province``, ``area``, ``measure``, ``direction``, ``where``,
        ``baseline``, ``min_change``, ``max_change``, ``distinct``."""
        from ftz_reforms.queries import checked_effect_filters, select_effects

        checked = checked_effect_filters(filters)
        return select_effects(self._cases_in(checked), checked, self.data.withdrawal)

    def _cases_in(self, filters: MetricFilters | EffectFilters) -> tuple[Case, ...]:
        """The cases of the place a metric or effect query names (its ``province`` and ``area``), read by the case
        filters of the same names; every case when it names none."""
        place = {name: filters.get(name) for name in ("province", "area") if filters.get(name) is not None}
        return self.filter_cases(**place) if place else self.data.cases  # type: ignore[arg-type]

    def search(
        self, query: str, *, limit: int = 10, lang: str | None = None, **filters: Unpack[CaseFilters]
    ) -> list[Hit]:
        """The cases that best match ``query`` (Chinese, simplified or traditional, English, or both), best
        first, at most ``limit``.

        The filters are those of :meth:`filter_cases`. ``lang`` (``zh`` or ``en``) picks the language of the
        snippets; by default it is the language of the terms a case matched. Raises ``QueryError`` for an
        empty or blank query and ``FilterError`` for an unknown filter value. Only the first
        ``MAX_QUERY_LENGTH`` characters of a query are read. ``hit.case`` is this collection's case.
        """
        from ftz_reforms.retrieval.engine import checked_filters, search_index

        return search_index(
            self._index.get(), query, case_of=self.get, limit=limit, lang=lang, filters=checked_filters(filters)
        )

    def search_index_file(self) -> IndexFile:
        """The search index ``search`` reads, as its file holds it (built on first use for a file or a record):
        for a search that runs elsewhere on the same terms and scores, as the site's in the browser."""
        return self._index.get().file

    def cite(self, ref: int | str | Case) -> str:
        """How to cite a case (a reference as ``get`` takes it, or a case record, an edited copy included):
        publisher, year, its batch's source document, case number and id, title, pages."""
        from ftz_reforms.model.records import Case

        case = ref if isinstance(ref, Case) else self.get(ref)
        held = {document.batch: document for document in self.data.sources}
        document = held.get(case.batch)
        if document is None:
            raise ArgumentError(
                f"case {case.id} is of batch {case.batch}, and this dataset holds no document of that batch "
                f"(it holds {', '.join(map(str, held))}): cite it through its own dataset, or pass its document "
                "to case.citation(document)"
            )
        return case.citation(document)

    # --- reference tables ----------------------------------------------------------------------------------

    def _zone_table(self) -> NameTable[FreeTradeZone]:
        from ftz_reforms.reference import zone_table_of

        return zone_table_of(self.data.free_trade_zones)

    def _area_table(self) -> NameTable[PilotArea]:
        from ftz_reforms.reference import area_table_of

        return area_table_of(self.data.pilot_areas)

    def zones(self) -> tuple[FreeTradeZone, ...]:
        """Every pilot free trade zone of the reference table, in order of establishment."""
        return self.data.free_trade_zones

    def zone(self, ref: str) -> FreeTradeZone:
        """The zone ``ref`` names: a Chinese or English name, province, ISO code or short form (广东自贸区,
        Guangdong FTZ, CN-GD), ignoring case; :class:`ReferenceNotFoundError` naming the closest otherwise."""
        return self._zones.get().find(ref)

    def areas(self, *, zone: str | None = None) -> tuple[PilotArea, ...]:
        """Every pilot area, zone by zone, or those of one zone (named as :meth:`zone` takes it)."""
        if zone is None:
            return self.data.pilot_areas
        province = self.zone(zone).province_zh
        return tuple(area for area in self.data.pilot_areas if area.province_zh == province)

    def batches(self) -> tuple[BatchInfo, ...]:
        """The batches of the series, in order, each with its sources and whether this dataset holds it."""
        return self.data.batches

    def area(self, ref: str) -> PilotArea:
        """The pilot area ``ref`` names: a Chinese or English name or alias (青岛片区, Qingdao Area)."""
        return self._areas.get().find(ref)

    # --- tables and exports -----------------------------------------------------------------------------------

    def to_records(self, table: str) -> list[Row]:
        """The rows of one table (cases, sections, paragraphs, metrics, effects, zones, areas, batches) as
        plain dicts."""
        from ftz_reforms.tables.formats import to_records

        return to_records(table, self.data)

    def to_json(self) -> bytes:
        """The dataset as a file (UTF-8 JSON, indented), as ``ftz-reforms import`` writes it and ``load`` reads it."""
        from ftz_reforms._files import json_file_bytes

        return json_file_bytes(self.data.model_dump(mode="json"))

    def to_dataframe(self, table: str) -> Any:
        """The rows of one table as a pandas DataFrame (needs the ``pandas`` extra)."""
        from ftz_reforms.tables.formats import to_dataframe

        return to_dataframe(table, self.data)

    def export(self, table: str, fmt: str, *, excel: bool = False) -> bytes:
        """One table as the bytes of a file: ``json``, ``jsonl``, ``csv`` (``excel``: with a BOM) or
        ``parquet`` (needs the ``parquet`` extra)."""
        from ftz_reforms.tables.formats import export_bytes

        return export_bytes(table, fmt, excel=excel, data=self.data)

    def to_sqlite(self, path: str | Path) -> Path | None:
        """Every table in one SQLite database at ``path``, with Chinese full-text search, and Datasette's
        metadata beside it; returns the metadata file's path. Both are written whole or not at all. A device,
        FIFO or descriptor at ``path`` is written to and gets no metadata (None); a path that is a file this
        collection reads is refused (:class:`FileAccessError`)."""
        from ftz_reforms.tables.sqlite import QueryReading, to_sqlite

        def reading() -> QueryReading:
            index = self._index.get()
            return QueryReading(index.segmenter.tokens, index.dictionary, index.traditional)

        return to_sqlite(path, self.data, reading, keep=self.inputs())

    def to_xlsx(self) -> bytes:
        """Every table in one Excel workbook, a sheet each, ids linked to the rows they name (needs the ``xlsx``
        extra; ``tables.formats.workbook_bytes`` says what a sheet holds)."""
        from ftz_reforms.tables.definitions import DATASET_TABLES
        from ftz_reforms.tables.formats import workbook_bytes

        return workbook_bytes([(table, self.to_records(name)) for name, table in DATASET_TABLES.items()])

    def export_all(self, directory: str | Path) -> int:
        """A release of this dataset in the folder ``directory``: the dataset file, every table in every format,
        the SQLite database with Datasette's metadata, the JSON Schemas, the data changelog, a Frictionless
        ``datapackage.json`` and ``SHA256SUMS`` (``ftz_reforms.release`` says what and how). Written whole or
        not at all; returns the number of files."""
        from ftz_reforms.release import write_bundle

        return write_bundle(self, directory)

    def inputs(self) -> list[tuple[Path, str]]:
        """The files this collection reads (each with what it is), which no output may overwrite: its dataset
        file, and the bundled data that every collection's search reads."""
        from ftz_reforms._paths import DATA_DIRECTORY
        from ftz_reforms.retrieval.index_format import INDEX_FILE
        from ftz_reforms.store import DATA_FILE

        bundled = [(DATA_DIRECTORY / name, "the bundled data") for name in (DATA_FILE, INDEX_FILE)]
        return bundled if self.path is None else [(self.path, "the dataset file"), *bundled]


# --- the bundled collection --------------------------------------------------------------------------------


def _bundled_index() -> SearchIndex:
    from ftz_reforms.retrieval.engine import bundled_index

    return bundled_index()


def _bundled_data() -> Dataset:
    from ftz_reforms.store import bundled_data

    return bundled_data()


def _bundled_collection() -> Collection:
    # Nothing is imported until a query needs it: `cases()` never loads the search engine, nor a search pydantic.
    return Collection(_bundled_data, lambda: _bundled_index().catalogue, _bundled_index, name="bundled")


_bundled = Lazy(_bundled_collection)


def dataset() -> Collection:
    """The bundled dataset (the fifth batch), its data read on first use."""
    return _bundled.get()


# --- a dataset file ----------------------------------------------------------------------------------------


def _built_index_file(data: Dataset, sha256: str | None) -> IndexFile:
    """A new search index of ``data``, segmented and read as the bundled one is (its domain terms, its
    traditional characters and its English equivalents)."""
    from ftz_reforms.retrieval.engine import bundled_index
    from ftz_reforms.retrieval.indexer import build_index

    bundled = bundled_index()
    return build_index(data, bundled.domain_terms, bundled.traditional, bundled.expansions, sha256)


def _built_index(data: Dataset, sha256: str | None) -> SearchIndex:
    from ftz_reforms.retrieval.engine import SearchIndex

    return SearchIndex(_built_index_file(data, sha256))


class _CacheEntry:
    """The cached catalogue and index of one dataset file (by its digest), for this package version: files of
    the user's cache that its key authenticates (``store.cache``), or nothing."""

    def __init__(self, sha256: str) -> None:
        from ftz_reforms.store.cache import cache_folder

        context = f"dataset {sha256} ftz-reforms {__version__}"
        self.folder = cache_folder("datasets", __version__, sha256, context=context)
        self.sha256 = sha256

    def _read(self, name: str) -> Any:
        payload = None if self.folder is None else self.folder.read(name)
        if payload is None:
            return None
        try:
            return json.loads(payload)
        except (ValueError, RecursionError):  # authentic but unreadable (a bug of ours): made again
            return None

    def _write(self, name: str, content: object) -> None:
        if self.folder is not None:
            self.folder.write(name, json.dumps(content, ensure_ascii=False).encode("utf-8"))

    def stamp(self) -> dict[str, Any] | None:
        """The cached catalogue of this file, written after it validated, when it is of this layout."""
        found = self._read("catalogue.json")
        if not isinstance(found, dict):
            return None
        if (found.get("format"), found.get("sha256")) != (CACHE_FORMAT, self.sha256):
            return None
        if not isinstance(found.get("catalogue"), dict) or not isinstance(found.get("data_version"), str):
            return None
        return found

    def write_stamp(self, data: Dataset) -> dict[str, Any]:
        from ftz_reforms.retrieval.fields import catalogue

        stamp = {"format": CACHE_FORMAT, "sha256": self.sha256, "data_version": data.data_version}
        stamp["catalogue"] = catalogue(data)
        self._write("catalogue.json", stamp)
        return stamp

    def index(self, data_version: str, data: Callable[[], Dataset]) -> SearchIndex:
        """The cached index when it is one of this file, else a new one (then cached)."""
        from ftz_reforms.retrieval.engine import SearchIndex
        from ftz_reforms.retrieval.index_format import checked_index

        found = self._read("index.json")
        if found is not None:
            try:
                return SearchIndex(checked_index(found, "cached index", data_version, self.sha256))
            except (StaleIndexError, KeyError, TypeError):
                pass  # another layout or other data: built again below
        index_file = _built_index_file(data(), self.sha256)
        self._write("index.json", index_file)
        return SearchIndex(index_file)


def import_casebook(casebook: str | Path, *, batch: int, **details: Unpack[CasebookDetails]) -> Collection:
    """The dataset of a casebook, to query as the bundled one (``to_json()`` gives its file): ``casebook`` is its
    text (a ``str``, in any extractor's layout) or the ``Path`` of a file, its PDF as published (needs the
    ``pdf`` extra) or its text.

    Cases, sections, points, providers, areas, the figures ``extract_metrics`` finds (uncurated), effects,
    keywords and ids ``b<batch>-NN``. What is not given (``title_zh``, ``publisher_en``, ``published``…) stays
    empty. A text that is not a casebook raises :class:`CasebookError` naming the first line that breaks the
    layout.
    """
    from ftz_reforms.assemble import casebook_dataset

    return Collection.of(casebook_dataset(casebook, batch=batch, **details))


def load(path: str | Path) -> Collection:
    """The dataset in the JSON file at ``path`` (one ``ftz-reforms import`` wrote, or any valid dataset).

    The file is validated in full the first time this version of ftz-reforms meets its bytes, and its records
    are validated by the models whenever they are read; an invalid one raises :class:`DatasetFileError`
    naming every problem's JSON path (the first five), an unreadable one :class:`FileAccessError`. Its
    catalogue and search index are cached (see the module's note).
    """
    import hashlib  # here: its import costs more than loading the bundled data's records

    from ftz_reforms._files import read_bytes

    raw = read_bytes(path, "dataset file")
    name = str(path)
    sha256 = hashlib.sha256(raw).hexdigest()
    entry = _CacheEntry(sha256)
    stamp = entry.stamp()
    if stamp is None:
        stamp, data = _first_reading(raw, name, entry)
        records = Lazy.of(data)
    else:
        records = Lazy(lambda: _records(raw, name))
    stamped = stamp

    def catalogue() -> Catalogue:
        from ftz_reforms.retrieval.engine import Catalogue

        return Catalogue(stamped["catalogue"])

    return Collection(
        records.get,
        catalogue,
        lambda: entry.index(stamped["data_version"], records.get),
        name=name,
        path=Path(path),
        sha256=sha256,
    )


def _first_reading(raw: bytes, name: str, entry: _CacheEntry) -> tuple[dict[str, Any], Dataset]:
    """Validate the file in full (the models and the checks across records), and cache its catalogue."""
    from ftz_reforms.validate import read_dataset

    data, _ = read_dataset(raw, name)
    return entry.write_stamp(data), data


def _records(raw: bytes, name: str) -> Dataset:
    """The records of a file whose catalogue the cache holds: validated by the models again, since a user's
    file is never taken on the cache's word (only the bundled data, which the wheel ships, is)."""
    from pydantic import ValidationError

    from ftz_reforms.model.records import Dataset

    try:
        return Dataset.model_validate_json(raw)
    except ValidationError:  # the cache vouched for bytes the models now refuse: say what, in full
        from ftz_reforms.validate import read_dataset

        return read_dataset(raw, name)[0]
