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


# --- the contract's bounds, held by the models themselves (what import and assemble rely on) ----------------


def test_the_models_refuse_every_hostile_example_without_validate() -> None:
    import json
    from pathlib import Path

    from tests.test_validate import HOSTILE

    invalid = Path(__file__).parent / "validation" / "invalid"
    for name in HOSTILE:
        document = json.loads((invalid / name).read_text(encoding="utf-8"))  # NaN and Infinity read as floats
        model = Dataset if "cases" in document else Case
        with pytest.raises(pydantic.ValidationError):
            model.model_validate(document)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"points": ("一是不在文中的一点",)}, "points[0] '一是不在文中的一点' does not occur in text_zh"),
        ({"points": ("乙", "甲")}, "points[1] '甲' does not occur in text_zh after points[0]: a point is quoted"),
        ({"points": ("甲", "甲")}, "points[1] '甲' does not occur in text_zh after points[0]"),
        ({"ordinal": 100}, "less than or equal to 99"),
        ({"heading_zh": "标题\x1b[2J"}, "control character U+001B at position 2"),
        ({"points": ("甲\x85",)}, "control character U+0085 at position 1"),
    ],
)
def test_a_section_keeps_its_points_in_its_text_and_its_ordinal_to_its_markers(
    changes: dict[str, object], message: str
) -> None:
    good = {"ordinal": 1, "heading_zh": "标题。", "text_zh": "正文：一是甲；二是乙。", "points": ("甲", "乙")}
    assert Section.model_validate(good).points == ("甲", "乙")
    assert Section.model_validate({**good, "ordinal": 99}).ordinal == 99
    with pytest.raises(pydantic.ValidationError, match=re.escape(message)):
        Section.model_validate({**good, **changes})


def test_published_is_a_year_and_month_in_the_model(data: Dataset) -> None:
    from ftz_reforms.model.records import SourceDocument

    document = data.sources[0].model_dump()
    assert SourceDocument.model_validate(document).published == "2024-01"
    for published in ("2024-13", "24-01", "2024-1", "2024-01\n", "January 2024"):
        with pytest.raises(pydantic.ValidationError, match="not a year and month as YYYY-MM"):
            SourceDocument.model_validate({**document, "published": published})
