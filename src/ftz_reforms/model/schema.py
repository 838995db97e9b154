"""JSON Schema (draft 2020-12) for the dataset and for a single case, generated from the models."""

from __future__ import annotations

import json
from functools import cache
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
_MODELS: dict[str, type[Dataset] | type[Case]] = {"dataset": Dataset, "case": Case}


def json_schema(name: SchemaName = "dataset") -> dict[str, Any]:
    """The JSON Schema of the whole dataset (``"dataset"``) or of one case (``"case"``): a new dict each call,
    the caller's to change."""
    if name not in _MODELS:
        raise ValueError(f"unknown schema {name!r}; expected 'dataset' or 'case'")
    schema: dict[str, Any] = json.loads(_schema_text(name))
    return schema


@cache
def _schema_text(name: str) -> str:
    """The schema ``name`` as JSON, generated once a process: pydantic walks every model to make it."""
    generated = _MODELS[name].model_json_schema(mode="validation")
    schema: dict[str, Any] = {
        "$schema": _DIALECT,
        "$id": f"urn:ftz-reforms:schema:{name}:{SCHEMA_VERSION}",
        "title": _TITLES[name],
    }
    schema.update((key, value) for key, value in generated.items() if key != "title")
    return json.dumps(schema, ensure_ascii=False)
