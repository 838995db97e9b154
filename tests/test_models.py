"""The models: immutable, strict, and JSON round-trips of every record in the bundled data."""

from __future__ import annotations

import pydantic
import pytest

from ftz_reforms.models import Case, Dataset, Section


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


def test_every_field_is_described() -> None:
    from ftz_reforms import models

    for name in models.__all__:
        model = getattr(models, name)
        for field_name, field in model.model_fields.items():
            assert field.description, f"{name}.{field_name}"


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
