"""The models: immutable, strict, and JSON round-trips of every record in the bundled data."""

from __future__ import annotations

import re

import pydantic
import pytest

from ftz_reforms.model.records import Case, Dataset, Metric, Record, Section, field_descriptions
from ftz_reforms.text.extract import Figure


def test_every_case_round_trips_through_json(data: Dataset) -> None:
    for case in data.cases:
        assert Case.model_validate_json(case.model_dump_json()) == case
    assert Dataset.model_validate_json(data.model_dump_json()) == data


def test_records_are_immutable(data: Dataset) -> None:
    case = data.cases[0]
    with pytest.raises(pydantic.ValidationError):
        case.title_zh = "改"  # type: ignore[misc]
    assert isinstance(case.practices, tuple)
    assert isinstance(case.practices[0].points, tuple)


def test_unknown_fields_and_wrong_types_are_rejected() -> None:
    good = {"ordinal": 1, "heading_zh": "标题。", "text_zh": "正文。"}
    assert Section.model_validate(good).ordinal == 1
    with pytest.raises(pydantic.ValidationError, match="extra"):
        Section.model_validate({**good, "colour": "red"})
    with pytest.raises(pydantic.ValidationError, match="ordinal"):
        Section.model_validate({**good, "ordinal": 0})
    with pytest.raises(pydantic.ValidationError, match="text_zh"):
        Section.model_validate({**good, "text_zh": ""})


def _record_classes() -> list[type[Record]]:
    from ftz_reforms.model import records as models

    classes = [getattr(models, name) for name in models.__all__]
    return [cls for cls in classes if isinstance(cls, type) and issubclass(cls, Record) and cls is not Record] + [
        Figure
    ]


def test_every_field_is_described_in_a_docstring_and_in_the_schema() -> None:
    for model in _record_classes():
        descriptions = field_descriptions(model)
        assert list(descriptions) == list(model.model_fields), model.__name__
        assert all(text.strip() for text in descriptions.values()), model.__name__
        properties = model.model_json_schema()["properties"]
        assert {name: prop["description"] for name, prop in properties.items()} == descriptions, model.__name__


def test_a_field_without_a_docstring_is_an_error() -> None:
    class Undocumented(Record):
        """A record whose second field lacks its docstring."""

        first: int
        """Documented."""
        second: int

    with pytest.raises(TypeError, match=re.escape("Undocumented: no docstring under the field(s) second")):
        field_descriptions(Undocumented)


def test_inherited_fields_keep_their_descriptions() -> None:
    assert field_descriptions(Metric)["span"] == field_descriptions(Figure)["span"]
    assert field_descriptions(Figure)["start"].startswith("Offset of the span")


def _case_with_metric(data: Dataset, **changes: object) -> dict[str, object]:
    """A real case as plain data, its first outcome metric changed."""
    case = next(case for case in data.cases if any(m.where.value == "outcome" for m in case.metrics))
    raw = case.model_dump(mode="json")
    index = next(i for i, m in enumerate(case.metrics) if m.where.value == "outcome")
    raw["metrics"][index].update(changes)
    return raw


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "b5-99-m01"}, "a metric id starts with its case id"),
        ({"where": "practice"}, "its sentence is not in the practice text it names"),
        ({"where": "intro", "section": None}, "its sentence is not in the intro text it names"),
        ({"section": 99}, "its sentence is not in the outcome text it names"),
    ],
)
def test_a_metric_that_does_not_trace_is_rejected_with_its_place(
    data: Dataset, changes: dict[str, object], message: str
) -> None:
    raw = _case_with_metric(data, **changes)
    with pytest.raises(pydantic.ValidationError, match=message) as raised:
        Case.model_validate(raw)
    assert "metrics[" in str(raised.value)
