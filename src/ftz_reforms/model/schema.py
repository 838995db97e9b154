"""JSON Schema (draft 2020-12) for the dataset and for a single case, generated from the models."""

from __future__ import annotations

from typing import Any, Literal

from ftz_reforms._version import SCHEMA_VERSION
from ftz_reforms.model.records import Case, Dataset

__all__ = ["SchemaName", "json_schema"]

SchemaName = Literal["dataset", "case"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_TITLES: dict[str, str] = {
    "dataset": "ftz-reforms dataset: China's pilot free trade zone best-practice cases",
    "case": "ftz-reforms case: one pilot free trade zone best-practice case",
}


def json_schema(name: SchemaName = "dataset") -> dict[str, Any]:
    """The JSON Schema of the whole dataset (``"dataset"``) or of one case (``"case"``)."""
    models: dict[str, type[Dataset] | type[Case]] = {"dataset": Dataset, "case": Case}
    if name not in models:
        raise ValueError(f"unknown schema {name!r}; expected 'dataset' or 'case'")
    generated = models[name].model_json_schema(mode="validation")
    schema: dict[str, Any] = {
        "$schema": _DIALECT,
        "$id": f"urn:ftz-reforms:schema:{name}:{SCHEMA_VERSION}",
        "title": _TITLES[name],
    }
    schema.update((key, value) for key, value in generated.items() if key != "title")
    return schema
