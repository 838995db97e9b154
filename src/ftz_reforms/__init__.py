"""China's pilot free trade zone best-practice cases as typed, validated, searchable data.

>>> import ftz_reforms
>>> case = ftz_reforms.get(17)
>>> case.id, case.title_zh
('b5-17', '台胞职业资格一体化服务模式')

Importing the package is cheap: the data is read on first use, and the parser and the build code are
imported only when asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ftz_reforms import _moved
from ftz_reforms._version import DATA_VERSION, SCHEMA_VERSION, __version__

_moved.install()

if TYPE_CHECKING:
    from ftz_reforms.assemble import import_casebook
    from ftz_reforms.casebook.parser import CasebookError, parse_casebook
    from ftz_reforms.casebook.reference import area, areas, zone, zones
    from ftz_reforms.datasets import DatasetFileError, LoadedDataset, load
    from ftz_reforms.errors import ReferenceNotFoundError
    from ftz_reforms.model.records import (
        Case,
        Dataset,
        FreeTradeZone,
        Metric,
        PilotArea,
        Section,
        SourceDocument,
        SourceLocation,
    )
    from ftz_reforms.model.schema import json_schema
    from ftz_reforms.model.vocab import (
        CATEGORY_DEFINITIONS,
        AreaKind,
        Category,
        Direction,
        Qualifier,
        Role,
        Unit,
        Verification,
        Where,
    )
    from ftz_reforms.queries import CaseMetric, FilterError, metrics
    from ftz_reforms.retrieval.engine import Hit, QueryError, filter_cases, search
    from ftz_reforms.store import CaseNotFoundError, cases, dataset, get
    from ftz_reforms.tables.formats import MissingExtraError, to_dataframe, to_records
    from ftz_reforms.text.extract import Figure, extract_metrics

version = DATA_VERSION
"""Version of the bundled data (semver)."""

__all__ = [
    "CATEGORY_DEFINITIONS",
    "DATA_VERSION",
    "SCHEMA_VERSION",
    "AreaKind",
    "Case",
    "CaseMetric",
    "CaseNotFoundError",
    "CasebookError",
    "Category",
    "Dataset",
    "DatasetFileError",
    "Direction",
    "Figure",
    "FilterError",
    "FreeTradeZone",
    "Hit",
    "LoadedDataset",
    "Metric",
    "MissingExtraError",
    "PilotArea",
    "Qualifier",
    "QueryError",
    "ReferenceNotFoundError",
    "Role",
    "Section",
    "SourceDocument",
    "SourceLocation",
    "Unit",
    "Verification",
    "Where",
    "__version__",
    "area",
    "areas",
    "cases",
    "dataset",
    "extract_metrics",
    "filter_cases",
    "get",
    "import_casebook",
    "json_schema",
    "load",
    "metrics",
    "parse_casebook",
    "search",
    "to_dataframe",
    "to_records",
    "version",
    "zone",
    "zones",
]

# Every name is served on first access, so that `import ftz_reforms` stays cheap: a search never
# imports pydantic, and the parser and build code load only when asked for.
_LAZY = {
    **dict.fromkeys(
        ["Case", "Dataset", "FreeTradeZone", "Metric", "PilotArea", "Section", "SourceDocument"],
        "ftz_reforms.model.records",
    ),
    "SourceLocation": "ftz_reforms.model.records",
    **dict.fromkeys(["CaseMetric", "FilterError", "metrics"], "ftz_reforms.queries"),
    **dict.fromkeys(["CaseNotFoundError", "cases", "dataset", "get"], "ftz_reforms.store"),
    **dict.fromkeys(
        [
            "CATEGORY_DEFINITIONS",
            "AreaKind",
            "Category",
            "Direction",
            "Qualifier",
            "Role",
            "Unit",
            "Verification",
            "Where",
        ],
        "ftz_reforms.model.vocab",
    ),
    **dict.fromkeys(["area", "areas", "zone", "zones"], "ftz_reforms.casebook.reference"),
    **dict.fromkeys(["DatasetFileError", "LoadedDataset", "load"], "ftz_reforms.datasets"),
    "import_casebook": "ftz_reforms.assemble",
    "ReferenceNotFoundError": "ftz_reforms.errors",
    **dict.fromkeys(["Hit", "QueryError", "filter_cases", "search"], "ftz_reforms.retrieval.engine"),
    "parse_casebook": "ftz_reforms.casebook.parser",
    "CasebookError": "ftz_reforms.casebook.parser",
    "json_schema": "ftz_reforms.model.schema",
    **dict.fromkeys(["Figure", "extract_metrics"], "ftz_reforms.text.extract"),
    **dict.fromkeys(["to_records", "to_dataframe", "MissingExtraError"], "ftz_reforms.tables.formats"),
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'ftz_reforms' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
