"""Exact provenance: every figure's offsets select its span in its part's text; restated figures say
what they repeat; the as_of rule; qualifiers, roles and descriptions that say what they mean; points."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

import ftz_reforms
from ftz_reforms.bundling.overlays import MetricEntry
from ftz_reforms.model.records import Case, Dataset, Metric
from ftz_reforms.model.vocab import Qualifier, Role


def _metric(data: Dataset, metric_id: str) -> Metric:
    case = ftz_reforms.get(metric_id[:5])
    return next(metric for metric in case.metrics if metric.id == metric_id)


def _texts(case: Case) -> dict[tuple[object, object], str]:
    return {part.key: part.text_zh for part in case.parts()}


def test_every_offset_selects_its_span_inside_its_sentence(data: Dataset) -> None:
    checked = 0
    for case in data.cases:
        texts = _texts(case)
        for metric in case.metrics:
            text = texts[(metric.where, None if metric.where.value == "intro" else metric.section)]
            assert text[metric.start : metric.end] == metric.span, metric.id
            starts = [at for at in range(len(text)) if text.startswith(metric.sentence, at)]
            assert any(at <= metric.start and metric.end <= at + len(metric.sentence) for at in starts), metric.id
            checked += 1
    assert checked == sum(len(case.metrics) for case in data.cases) > 250


@pytest.mark.parametrize(
    ("metric_id", "inside"), [("b5-04-m25", "第9位"), ("b5-08-m05", "97个工作日"), ("b5-20-m12", "18家")]
)
def test_a_span_inside_a_longer_number_is_pinned_to_its_own_place(data: Dataset, metric_id: str, inside: str) -> None:
    metric = _metric(data, metric_id)
    case = ftz_reforms.get(metric_id[:5])
    text = _texts(case)[(metric.where, metric.section)]
    assert metric.span in inside and metric.sentence.count(metric.span) >= 2
    before = text[metric.start - 1] if metric.start else ""
    assert not before.isdigit(), f"{metric_id} selects the {metric.span} of {inside}"
    assert text[metric.start - (len(inside) - len(metric.span)) : metric.end] != inside


def test_the_validator_refuses_offsets_that_do_not_select_the_span() -> None:
    case = ftz_reforms.get(1)
    metric = case.metrics[0]
    for start, end in ((metric.start + 1, metric.end + 1), (metric.start, metric.end - 1)):
        moved = metric.model_copy(update={"start": start, "end": end})
        with pytest.raises(ValidationError, match=r"metrics\[0\] \(b5-01-m01\): start .* not its span '约5000万元'"):
            Case.model_validate({**case.model_dump(), "metrics": [moved.model_dump()]})


def test_imported_figures_carry_offsets_too() -> None:
    text = "审批时间由5个工作日压缩至1个工作日，节约成本约3.5亿元。"
    for figure in ftz_reforms.extract_metrics(text):
        assert text[figure.start : figure.end] == figure.span


# --- restated figures -----------------------------------------------------------------------------

RESTATED = {
    "b5-08-m09": "b5-08-m05",
    "b5-12-m08": "b5-12-m02",
    "b5-12-m09": "b5-12-m03",
    "b5-13-m02": "b5-13-m01",
    "b5-14-m03": "b5-14-m01",
}


def test_restated_figures_name_the_figure_they_repeat(data: Dataset) -> None:
    found = {metric.id: metric.restates for case in data.cases for metric in case.metrics if metric.restates}
    assert found == RESTATED
    for later, earlier in RESTATED.items():
        a, b = _metric(data, later), _metric(data, earlier)
        assert (a.value, a.unit, a.span) == (b.value, b.unit, b.span)


def test_distinct_metrics_count_each_figure_once(data: Dataset) -> None:
    every = ftz_reforms.metrics()
    distinct = ftz_reforms.metrics(distinct=True)
    assert len(every) - len(distinct) == len(RESTATED)
    assert not {found.metric.id for found in distinct} & set(RESTATED)


def test_a_restatement_must_repeat_an_earlier_figure() -> None:
    case = ftz_reforms.get(8)
    metrics = list(case.metrics)
    metrics[1] = metrics[1].model_copy(update={"restates": "b5-08-m09"})
    with pytest.raises(ValidationError, match="restates b5-08-m09, which is no earlier metric"):
        Case.model_validate({**case.model_dump(), "metrics": [m.model_dump() for m in metrics]})


# --- as_of by rule --------------------------------------------------------------------------------


def test_as_of_follows_the_rule_or_its_overlay_says_why(data: Dataset) -> None:
    by_rule = ["b5-22-m22", "b5-22-m23", "b5-22-m24", "b5-22-m25", "b5-23-m15", "b5-23-m16"]
    assert [_metric(data, metric_id).as_of for metric_id in by_rule] == [None] * 6
    lead_in = [f"b5-20-m{n:02d}" for n in range(6, 13)]
    assert {_metric(data, metric_id).as_of for metric_id in lead_in} == {"2022-12"}
    assert _metric(data, "b5-04-m10").as_of == "2022", "a lead-in 2022年， governs its whole sentence"


@pytest.mark.parametrize(
    ("text", "as_of"),
    [
        ("截至2023年6月末，累计支持4.2亿元；自推广以来，累计服务216户。", [("4.2亿元", "2023-06"), ("216户", None)]),
        ("2022年，班列开行8820列，同比增长44%；集装箱突破55000标箱。", [("8820列", "2022"), ("44%", "2022"), ("突破55000标箱", "2022")]),
        ("交易额增速超过30%，2022年突破3000亿元；企业数量突破1.6万家。", [("超过30%", None), ("突破3000亿元", "2022"), ("突破1.6万家", None)]),
    ],
)  # fmt: skip
def test_the_as_of_rule_on_sentences(text: str, as_of: list[tuple[str, str | None]]) -> None:
    assert [(figure.span, figure.as_of) for figure in ftz_reforms.extract_metrics(text)] == as_of


def test_an_overlay_can_clear_an_as_of_but_not_set_and_clear_it() -> None:
    entry = MetricEntry(span="8家", description_en="d", clear_as_of=True, reason="names no time")
    assert entry.overrides()["as_of"] is None
    with pytest.raises(ValidationError, match="contradict"):
        MetricEntry(span="8家", description_en="d", as_of="2022", clear_as_of=True, reason="r")
    with pytest.raises(ValidationError, match="needs a one-line 'reason'"):
        MetricEntry(span="8家", description_en="d", clear_as_of=True)


# --- fields that say what they mean ---------------------------------------------------------------


def test_less_than_is_its_own_qualifier(data: Dataset) -> None:
    for case in data.cases:
        for metric in case.metrics:
            if metric.span.startswith(("不到", "不足")):
                assert metric.qualifier is Qualifier.LESS_THAN, metric.id
            if metric.qualifier is Qualifier.APPROX:
                assert re.search("约|左右|估算|百亿", metric.span + metric.sentence), metric.id
    # An audit: 百亿元 names a scale (the ten-billion-yuan order), 初步估算…2.5亿元 a preliminary estimate.
    assert _metric(data, "b5-23-m07").qualifier is Qualifier.APPROX, "百亿元 is a scale, not an exact amount"
    assert _metric(data, "b5-14-m15").qualifier is Qualifier.APPROX, "初步估算: a preliminary estimate"


def test_every_rate_states_its_period(data: Dataset) -> None:
    period = re.compile(r"\b(per|annual|monthly|daily|hourly|each year|a year|a month|a day)\b")
    for case in data.cases:
        for metric in case.metrics:
            if metric.per:
                assert period.search(metric.description_en or ""), (metric.id, metric.description_en)


def test_sibling_figures_share_a_role(data: Dataset) -> None:
    # 新增…305家、入库…2137家、认定…490家、…135亿元，分别是2021年的2.5倍…: four ends of four changes, one role.
    assert {_metric(data, f"b5-22-m{n}").role for n in (12, 13, 14, 15)} == {Role.AFTER}
    doubled = _metric(data, "b5-22-m25")
    assert (doubled.span, doubled.role, doubled.direction and doubled.direction.value) == (
        "翻了一番",
        Role.CHANGE,
        "up",
    )


# --- points ---------------------------------------------------------------------------------------


def test_a_one_side_other_side_pair_is_two_points(data: Dataset) -> None:
    pairs = [
        (case.id, section.ordinal)
        for case in data.cases
        for section in (*case.practices, *case.outcomes)
        if section.points and section.points[0].startswith("一方面")
    ]
    assert pairs == [("b5-10", 3), ("b5-11", 1), ("b5-11", 2), ("b5-11", 3)]
    for case_id, ordinal in pairs:
        section = next(s for s in ftz_reforms.get(case_id).outcomes if s.ordinal == ordinal)
        assert len(section.points) == 2 and section.points[1].startswith("另一方面")
        assert all(point in section.text_zh for point in section.points)
