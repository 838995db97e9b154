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

from ftz_reforms import errors as _errors
from ftz_reforms._version import DATA_VERSION, SCHEMA_VERSION, __version__

data_version = DATA_VERSION
"""Version of the bundled data (semver): what a CI job pins, and what ``changes()`` lists."""
schema_version = SCHEMA_VERSION
"""Version of the data contract, the JSON Schema (semver: a removed or renamed field is a major change)."""

if TYPE_CHECKING:
    from ftz_reforms.assemble import import_casebook
    from ftz_reforms.casebook.parser import parse_casebook
    from ftz_reforms.collection import Collection, dataset, load
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

BUNDLED_QUERIES = (
    "area",
    "areas",
    "batches",
    "cases",
    "cite",
    "effects",
    "export",
    "filter_cases",
    "filter_ids",
    "get",
    "metrics",
    "record",
    "search",
    "to_dataframe",
    "to_records",
    "to_sqlite",
    "withdrawn",
    "zone",
    "zones",
)
"""The module-level functions, each the bundled collection's method of that name."""

__all__ = [
    "CATEGORY_DEFINITIONS",
    "DATA_VERSION",
    "MEASURE_DEFINITIONS",
    "ROLE_RULE",
    "SCHEMA_VERSION",
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

# Every name is served on first access, so that `import ftz_reforms` stays cheap: a search never
# imports pydantic, and the parser loads only when asked for.
_LAZY = {
    **dict.fromkeys(
        [
            "BatchInfo",
            "Case",
            "Dataset",
            "Effect",
            "FreeTradeZone",
            "History",
            "Metric",
            "PilotArea",
            "Section",
            "SourceDocument",
            "SourceLocation",
            "Withdrawn",
        ],
        "ftz_reforms.model.records",
    ),
    **dict.fromkeys(["CaseEffect", "CaseMetric", "EffectFilters", "MetricFilters"], "ftz_reforms.queries"),
    **dict.fromkeys(
        [
            "CATEGORY_DEFINITIONS",
            "MEASURE_DEFINITIONS",
            "ROLE_RULE",
            "AreaKind",
            "Category",
            "Direction",
            "Measure",
            "Qualifier",
            "Role",
            "Unit",
            "Verification",
            "Where",
        ],
        "ftz_reforms.model.vocab",
    ),
    **dict.fromkeys(_errors.__all__, "ftz_reforms.errors"),
    **dict.fromkeys(["Collection", "dataset", "load"], "ftz_reforms.collection"),
    "import_casebook": "ftz_reforms.assemble",
    **dict.fromkeys(["DataDiff", "FieldChange", "RecordChange", "changes", "diff"], "ftz_reforms.history"),
    **dict.fromkeys(["CaseFilters", "Hit"], "ftz_reforms.retrieval.engine"),
    "parse_casebook": "ftz_reforms.casebook.parser",
    "json_schema": "ftz_reforms.model.schema",
    **dict.fromkeys(["Figure", "extract_metrics"], "ftz_reforms.text.extract"),
}


def __getattr__(name: str) -> Any:
    import importlib

    if name in BUNDLED_QUERIES:
        value = getattr(importlib.import_module("ftz_reforms.collection").dataset(), name)
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module 'ftz_reforms' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
