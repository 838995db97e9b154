"""China's pilot free trade zone best-practice cases as typed, validated, searchable data.

>>> import ftz_reforms
>>> case = ftz_reforms.get(17)
>>> case.id, case.title_zh
('b5-17', '台胞职业资格一体化服务模式')

The bundled dataset and any dataset file are one class, :class:`Collection`, with one set of queries:
``ftz_reforms.dataset()`` is the bundled one, ``ftz_reforms.load(path)`` a file's, and the module-level
query functions (``get``, ``cases``, ``search``, ``metrics``…) are the bundled collection's methods.

Importing the package is cheap: the data is read on first use, and the parser is imported only when asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ftz_reforms import _version
from ftz_reforms import errors as _errors

__version__ = _version.__version__
data_version = _version.DATA_VERSION
"""Version of the bundled data (semver): what a CI job pins, and what ``changes()`` lists."""
schema_version = _version.SCHEMA_VERSION
"""Version of the data contract, the JSON Schema (semver: a removed or renamed field is a major change)."""

if TYPE_CHECKING:
    from ftz_reforms.casebook.parser import parse_casebook
    from ftz_reforms.collection import Collection, dataset, import_casebook, load
    from ftz_reforms.errors import (
        ArgumentError,
        CasebookError,
        CaseNotFoundError,
        DatasetFileError,
        ExportError,
        FileAccessError,
        FilterError,
        FtzReformsError,
        MissingExtraError,
        QueryError,
        ReferenceNotFoundError,
        StaleIndexError,
        WithdrawnError,
    )
    from ftz_reforms.history import DataDiff, FieldChange, RecordChange, changes, diff
    from ftz_reforms.model.records import (
        BatchInfo,
        Case,
        Dataset,
        Effect,
        FreeTradeZone,
        History,
        Metric,
        PilotArea,
        Section,
        SourceDocument,
        SourceLocation,
        Withdrawn,
    )
    from ftz_reforms.model.schema import json_schema
    from ftz_reforms.model.vocab import (
        CATEGORY_DEFINITIONS,
        MEASURE_DEFINITIONS,
        ROLE_RULE,
        AreaKind,
        Category,
        Direction,
        Measure,
        Qualifier,
        Role,
        Unit,
        Verification,
        Where,
    )
    from ftz_reforms.queries import CaseEffect, CaseMetric, EffectFilters, MetricFilters
    from ftz_reforms.retrieval.engine import CaseFilters, Hit
    from ftz_reforms.text.extract import Figure, extract_metrics

    _bundled = dataset()
    area = _bundled.area
    areas = _bundled.areas
    batches = _bundled.batches
    cases = _bundled.cases
    cite = _bundled.cite
    effects = _bundled.effects
    export = _bundled.export
    filter_cases = _bundled.filter_cases
    filter_ids = _bundled.filter_ids
    get = _bundled.get
    metrics = _bundled.metrics
    search = _bundled.search
    to_dataframe = _bundled.to_dataframe
    to_records = _bundled.to_records
    to_sqlite = _bundled.to_sqlite
    record = _bundled.record
    withdrawn = _bundled.withdrawn
    zone = _bundled.zone
    zones = _bundled.zones

__all__ = [
    "CATEGORY_DEFINITIONS",
    "MEASURE_DEFINITIONS",
    "ROLE_RULE",
    "AreaKind",
    "ArgumentError",
    "BatchInfo",
    "Case",
    "CaseEffect",
    "CaseFilters",
    "CaseMetric",
    "CaseNotFoundError",
    "CasebookError",
    "Category",
    "Collection",
    "DataDiff",
    "Dataset",
    "DatasetFileError",
    "Direction",
    "Effect",
    "EffectFilters",
    "ExportError",
    "FieldChange",
    "Figure",
    "FileAccessError",
    "FilterError",
    "FreeTradeZone",
    "FtzReformsError",
    "History",
    "Hit",
    "Measure",
    "Metric",
    "MetricFilters",
    "MissingExtraError",
    "PilotArea",
    "Qualifier",
    "QueryError",
    "RecordChange",
    "ReferenceNotFoundError",
    "Role",
    "Section",
    "SourceDocument",
    "SourceLocation",
    "StaleIndexError",
    "Unit",
    "Verification",
    "Where",
    "Withdrawn",
    "WithdrawnError",
    "__version__",
    "area",
    "areas",
    "batches",
    "cases",
    "changes",
    "cite",
    "data_version",
    "dataset",
    "diff",
    "effects",
    "export",
    "extract_metrics",
    "filter_cases",
    "filter_ids",
    "get",
    "import_casebook",
    "json_schema",
    "load",
    "metrics",
    "parse_casebook",
    "record",
    "schema_version",
    "search",
    "to_dataframe",
    "to_records",
    "to_sqlite",
    "withdrawn",
    "zone",
    "zones",
]

_BUNDLED = "the bundled collection"

# Every name is served on first access, so that `import ftz_reforms` stays cheap: a search never
# imports pydantic, and the parser loads only when asked for. Where each name comes from: a module, or the
# bundled collection (the module-level queries are its methods). The names typed under TYPE_CHECKING and
# __all__ (a literal, which type checkers read) are held to this table by tests/test_collection.py.
_HOMES = {
    _BUNDLED: "area areas batches cases cite effects export filter_cases filter_ids get metrics record search "
    "to_dataframe to_records to_sqlite withdrawn zone zones",
    "ftz_reforms.model.records": "BatchInfo Case Dataset Effect FreeTradeZone History Metric PilotArea Section "
    "SourceDocument SourceLocation Withdrawn",
    "ftz_reforms.model.vocab": "CATEGORY_DEFINITIONS MEASURE_DEFINITIONS ROLE_RULE AreaKind Category Direction "
    "Measure Qualifier Role Unit Verification Where",
    "ftz_reforms.errors": " ".join(_errors.__all__),
    "ftz_reforms.queries": "CaseEffect CaseMetric EffectFilters MetricFilters",
    "ftz_reforms.collection": "Collection dataset import_casebook load",
    "ftz_reforms.history": "DataDiff FieldChange RecordChange changes diff",
    "ftz_reforms.retrieval.engine": "CaseFilters Hit",
    "ftz_reforms.casebook.parser": "parse_casebook",
    "ftz_reforms.model.schema": "json_schema",
    "ftz_reforms.text.extract": "Figure extract_metrics",
}
_LAZY = {name: home for home, names in _HOMES.items() for name in names.split()}


def __getattr__(name: str) -> Any:
    import importlib

    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module 'ftz_reforms' has no attribute {name!r}")
    if home == _BUNDLED:
        value = getattr(importlib.import_module("ftz_reforms.collection").dataset(), name)
    else:
        value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names only: not the module's own helpers (``TYPE_CHECKING``, ``annotations``)."""
    return sorted(__all__)
