"""The committed JSON Schemas accept the bundled data and reject broken copies."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest

import ftz_reforms


def _load(path: Path) -> Any:
    return orjson.loads(path.read_bytes())


@pytest.fixture(scope="module")
def dataset_schema(repo: Path) -> dict[str, Any]:
    schema: dict[str, Any] = _load(repo / "schemas" / "dataset.schema.json")
    return schema


@pytest.fixture(scope="module")
def bundled(repo: Path) -> dict[str, Any]:
    raw: dict[str, Any] = _load(repo / "src" / "ftz_reforms" / "data" / "dataset.json")
    return raw


def test_schemas_are_draft_2020_12_with_ids_titles_and_descriptions(repo: Path) -> None:
    for name in ("dataset", "case"):
        schema = _load(repo / "schemas" / f"{name}.schema.json")
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].startswith(f"urn:ftz-reforms:schema:{name}:")
        assert schema["title"]
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema == ftz_reforms.json_schema(name)


def test_each_call_gives_a_schema_of_the_callers_own() -> None:
    first = ftz_reforms.json_schema("case")
    first["title"] = "changed"
    first["properties"].clear()
    again = ftz_reforms.json_schema("case")
    assert again["title"].startswith("ftz-reforms case") and "id" in again["properties"]
    with pytest.raises(ValueError, match="unknown schema 'cases'; expected 'dataset' or 'case'"):
        ftz_reforms.json_schema("cases")  # type: ignore[arg-type]


def test_the_bundled_data_validates(dataset_schema: dict[str, Any], bundled: dict[str, Any], repo: Path) -> None:
    jsonschema.Draft202012Validator(dataset_schema).validate(bundled)
    case_validator = jsonschema.Draft202012Validator(_load(repo / "schemas" / "case.schema.json"))
    for case in bundled["cases"]:
        case_validator.validate(case)


def _mutations(good: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    wrong_type = copy.deepcopy(good)
    wrong_type["cases"][0]["number"] = "one"
    missing = copy.deepcopy(good)
    del missing["cases"][3]["summary_zh"]
    unknown = copy.deepcopy(good)
    unknown["cases"][5]["practices"][0]["colour"] = "red"
    bad_enum = copy.deepcopy(good)
    bad_enum["cases"][0]["providers"][0]["iso_code"] = "GD"
    no_provider = copy.deepcopy(good)
    no_provider["cases"][1]["providers"] = []
    return [
        ("wrong type", wrong_type),
        ("missing field", missing),
        ("unknown field", unknown),
        ("bad code", bad_enum),
        ("no provider", no_provider),
    ]


def test_mutated_copies_are_rejected_by_schema_and_models(
    dataset_schema: dict[str, Any], bundled: dict[str, Any]
) -> None:
    validator = jsonschema.Draft202012Validator(dataset_schema)
    for label, mutated in _mutations(bundled):
        assert not validator.is_valid(mutated), label
        with pytest.raises(ValueError):  # pydantic.ValidationError is a ValueError
            ftz_reforms.Dataset.model_validate(mutated)
