"""Effects: every effect statement of the casebook, figure linked to figure, and the rules that find them."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import ftz_reforms
from ftz_reforms.model.records import Case, Dataset, Effect, Metric
from ftz_reforms.model.vocab import MEASURE_DEFINITIONS, ROLE_RULE, Direction, Measure, Qualifier, Role, Unit
from ftz_reforms.text.effects import (
    PERCENT_DECIMALS,
    link,
    linked_roles,
    relative_change,
    relative_change_qualifier,
)
from ftz_reforms.text.extract import scan
from tests.effects_table import READING, Read


def _spans(case: Case, effect: Effect) -> tuple[str, str, str]:
    def span(ref: str | None) -> str:
        return case.metric(ref).span if ref is not None else ""

    return span(effect.before), span(effect.after), span(effect.change)


def _matches(read: Read, case: Case, effect: Effect) -> bool:
    spans = _spans(case, effect)
    ends = all((mine == "") == (theirs == "") and theirs in mine for theirs, mine in zip(read[:3], spans))
    direction = effect.direction.value if effect.direction else ""
    return ends and read.direction == direction and read.baseline == (effect.baseline or "")


def test_every_effect_statement_of_the_casebook_is_an_effect(data: Dataset) -> None:
    assert set(READING) == {case.id for case in data.cases}
    for case in data.cases:
        left = list(case.effects)
        for read in READING[case.id]:
            found = next((effect for effect in left if _matches(read, case, effect)), None)
            assert found is not None, (case.id, read, [_spans(case, effect) for effect in left])
            left.remove(found)
        assert left == [], (case.id, [_spans(case, effect) for effect in left])
    assert sum(len(reads) for reads in READING.values()) == sum(len(case.effects) for case in data.cases) == 66


def test_effect_counts_per_case(data: Dataset) -> None:
    counted = {case.id: len(case.effects) for case in data.cases}
    assert counted == {case_id: len(reads) for case_id, reads in READING.items()}
    assert [case_id for case_id, n in counted.items() if n == 0] == ["b5-09", "b5-13", "b5-17", "b5-18", "b5-20"]


def test_roles_follow_from_the_effects(data: Dataset) -> None:
    for case in data.cases:
        linked: dict[str, set[str]] = {}
        for effect in case.effects:
            for name in ("before", "after", "change"):
                ref = getattr(effect, name)
                if ref is not None:
                    linked.setdefault(ref, set()).add(name)
        for metric in case.metrics:
            names = linked.get(metric.id, set())
            if metric.role is Role.CHANGE:
                assert names == {"change"}, metric.id
                assert metric.direction is not None
            elif metric.role is Role.BEFORE:
                assert "before" in names, metric.id
            elif metric.role is Role.AFTER:
                assert names == {"after"}, metric.id
            else:
                assert not names and metric.direction is None, metric.id


def test_the_audit_s_roles(data: Dataset) -> None:
    cases = {case.id: case for case in data.cases}
    # 法定60个工作日, the before of 压缩达一半以上; 降至4%左右, an after; N倍 of a base year, a change.
    assert cases["b5-16"].metric("b5-16-m01").role is Role.BEFORE
    assert cases["b5-21"].metric("b5-21-m11").role is Role.AFTER
    multiples = [m for case in data.cases for m in case.metrics if m.unit is Unit.TIMES]
    assert len(multiples) == 5 and {m.role for m in multiples} == {Role.CHANGE}
    # 97 → 26 → 7 working days: a chain is two effects, its middle the after of one and the before of the next.
    chain = [e for e in cases["b5-08"].effects if e.before in ("b5-08-m03", "b5-08-m04")]
    assert [(e.before, e.after) for e in chain] == [("b5-08-m03", "b5-08-m04"), ("b5-08-m04", "b5-08-m05")]


def test_an_effect_sits_in_one_part_and_its_ends_in_one_paragraph(data: Dataset) -> None:
    for case in data.cases:
        parts = {part.key: part for part in case.parts()}
        for effect in case.effects:
            metrics = [case.metric(ref) for ref in effect.metric_ids()]
            part = parts[effect.where, effect.section]
            assert {part.paragraph_at(m.start) for m in metrics} == {part.paragraph_at(metrics[0].start)}, effect.id
            assert {(m.where, m.section) for m in metrics} == {(effect.where, effect.section)}


def _expected_relative(before: float, after: float) -> float:
    return (after - before) / before * 100


def test_relative_changes_are_computed_from_the_ends_or_stated(data: Dataset) -> None:
    effects = {effect.id: effect for case in data.cases for effect in case.effects}
    # Both ends in one unit: computed (and held against the stated change where there is one).
    assert effects["b5-08-e07"].relative_change == round(_expected_relative(31, 3), 2) == -90.32
    assert effects["b5-08-e07"].consistent is True  # 90.32… printed as 90.3%
    assert effects["b5-08-e07"].relative_change_qualifier is Qualifier.EXACT
    assert math.isclose(effects["b5-10-e02"].relative_change or 0, -75.0) and effects["b5-10-e02"].consistent
    assert effects["b5-05-e01"].relative_change == _expected_relative(20_000, 70_000) == 250.0
    # ... from 2万余件 ('more than 20,000'): the rise is less than 250%, and the effect says so.
    assert effects["b5-05-e01"].relative_change_qualifier is Qualifier.LESS_THAN
    # A stated change's own qualifier bounds the size of the change (压缩2/3以上: at least 66.67%).
    assert effects["b5-02-e01"].relative_change == -66.67
    assert effects["b5-02-e01"].relative_change_qualifier is Qualifier.AT_LEAST
    # The text leaves open whether 提升近30% of a rate of 85% is percent or percentage points: said, not hidden.
    assert "percentage points" in (effects["b5-12-e02"].relative_change_caveat or "")
    assert [e.id for e in effects.values() if e.relative_change_caveat] == ["b5-12-e02"]
    # Working days are never converted: 最长2个工作日 → 不到10分钟 has no relative change.
    assert effects["b5-19-e02"].relative_change is None and effects["b5-19-e02"].direction is Direction.DOWN
    # One end and a stated percent or multiple: the stated change, signed.
    assert effects["b5-04-e01"].relative_change == -95.09
    assert effects["b5-22-e02"].relative_change == 150.0  # 是2021年的2.5倍
    assert effects["b5-22-e08"].relative_change == 100.0  # 翻了一番
    # An absolute change alone (节约成本950元) has none.
    assert effects["b5-06-e01"].relative_change is None
    for effect in effects.values():
        assert (effect.consistent is not None) == (effect.before is not None and effect.after is not None and
                                                   effect.change is not None and effect.relative_change is not None)  # fmt: skip


def test_every_curated_effect_has_a_measure_a_description_and_a_direction(data: Dataset) -> None:
    measures = set()
    for case in data.cases:
        for effect in case.effects:
            assert effect.curated and effect.description_en and effect.direction is not None, effect.id
            measures.add(effect.measure)
            ends = [case.metric(ref) for ref in (effect.before, effect.after) if ref is not None]
            if any(m.unit in (Unit.MINUTE, Unit.HOUR, Unit.WORKING_DAY) for m in ends):
                assert effect.measure in (Measure.PROCESSING_TIME, Measure.WAITING_OR_TRANSIT_TIME), effect.id
    assert set(MEASURE_DEFINITIONS) == set(Measure) and len(measures) >= 9
    assert set(ROLE_RULE) == set(Role)


def test_baseline_and_since_are_data(data: Dataset) -> None:
    metrics = {m.id: m for case in data.cases for m in case.metrics}
    assert metrics["b5-04-m03"].baseline == "2017"  # 较2017年分别压缩95.09%
    assert metrics["b5-05-m06"].baseline == "same_period_last_year"  # 同比下降11.38%
    assert metrics["b5-08-m06"].baseline == "before_reform"  # 比改革前压减5个工作日
    assert metrics["b5-05-m09"].since == "2020-04"  # 自2020年4月…以来，…累计…2200余万件
    assert metrics["b5-06-m05"].since == "2021-10"  # 自2021年10月初试点以来
    assert metrics["b5-14-m01"].since == "2021"  # 2021年以来
    assert all(m.baseline is None for m in metrics.values() if m.role is not Role.CHANGE)


# --- the rules, on sentences written for them -----------------------------------------------------


def _found(text: str) -> list[tuple[str, str, str, str | None]]:
    result = scan(text)
    spans = [figure.span for figure in result.figures]

    def span(i: int | None) -> str:
        return "" if i is None else spans[i]

    return [
        (span(e.before), span(e.after), span(e.change), e.direction.value if e.direction else None)
        for e in result.effects
    ]


RULES = [
    # both ends, with the rate of change
    ("办理时间由10天压缩至2天，压缩80%。", [("10天", "2天", "80%", "down")]),
    # a chain
    ("费用由100元、60元到20元。", [("100元", "60元", "", "down"), ("60元", "20元", "", "down")]),
    # 分别 pairs in order
    (
        "进口时间5小时，出口时间1小时，较2019年分别压缩50%和80%。",
        [("", "5小时", "50%", "down"), ("", "1小时", "80%", "down")],
    ),
    # a level reached right after its change
    ("企业数量同比增长20%，突破300家。", [("", "突破300家", "20%", "up")]),
    # a level and its change joined by 、
    ("开行达到500列、增长10%。", [("", "500列", "10%", "up")]),
    # one end with a verb of change and no size
    ("融资成本降至3%左右。", [("", "3%左右", "", "down")]),
    # a lone before whose after opens the next sentence
    ("改革前，办理需要5个工作日。改革后，现仅需1个工作日。", [("5个工作日", "1个工作日", "", "down")]),
    # a change alone; a level is no effect
    ("累计服务企业1000家，为企业节约成本300万元。", [("", "", "300万元", "down")]),
    # a multiple of a base year
    ("交易额是2021年的1.5倍。", [("", "", "1.5倍", "up")]),
    # two changes with subjects of their own stay apart
    ("材料精简45%，时间压缩30%。", [("", "", "45%", "down"), ("", "", "30%", "down")]),
]


@pytest.mark.parametrize(("text", "expected"), RULES, ids=[text for text, _ in RULES])
def test_the_rules_link_figures(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    assert _found(text) == expected


def test_a_target_or_a_plan_is_no_effect() -> None:
    assert _found("力争到2025年服务企业1000家，全年计划投资5亿元。") == []


# --- each rule of effects.link, on the casebook's own sentences ------------------------------------


def _roles(text: str) -> list[tuple[str, str]]:
    return [(figure.span, figure.role.value) for figure in scan(text).figures]


def test_respectively_lists_pair_each_change_with_a_figure_before_them() -> None:
    # b5-04: import and export clearance times, each cut by its own share since 2017.
    text = "2022年，钦州港口岸进口整体通关时间13.13小时，出口整体通关时间0.29小时，较2017年分别压缩95.09%和99.33%；"
    assert _found(text) == [("", "13.13小时", "95.09%", "down"), ("", "0.29小时", "99.33%", "down")]
    assert [effect.baseline for effect in scan(text).effects] == ["2017", "2017"]
    # b5-22: four counts of 2022, each a multiple of its own 2021 figure.
    text = (
        "2022年，秦创原总窗口新增科技成果转化企业305家、入库科技型中小企业2137家、认定国家高新技术企业490家、"
        "实现技术合同交易额135亿元，分别是2021年的2.5倍、2.4倍、2.2倍和1.3倍。"
    )
    assert _found(text) == [
        ("", "305家", "2.5倍", "up"),
        ("", "2137家", "2.4倍", "up"),
        ("", "490家", "2.2倍", "up"),
        ("", "135亿元", "1.3倍", "up"),
    ]


def test_before_runs_and_chains_link_each_figure_to_the_next() -> None:
    # b5-08: 97 → 26 → 7 working days is two steps; 26 ends the first and begins the second, so it is a before.
    text = "福州片区实现平均办结时限由“分头办”97个工作日、“协同办”26个工作日到“网上协同办”7个工作日的跨越。"
    assert _found(text) == [("97个工作日", "26个工作日", "", "down"), ("26个工作日", "7个工作日", "", "down")]
    assert _roles(text) == [("97个工作日", "before"), ("26个工作日", "before"), ("7个工作日", "after")]
    # b5-05: a pair, compared with before the reform (由之前的…).
    text = "目前，每小时可实现3000票进出境包裹快速通关，日均处理能力由之前的2万余件提升到7万件。"
    assert _found(text) == [("2万余件", "7万件", "", "up")]
    assert scan(text).effects[0].baseline == "before_reform"


def test_a_change_joins_the_figure_before_it() -> None:
    # b5-04: a level and its growth joined by 、 (the cumulative 超过2万列 after it is no effect).
    text = "全年西部陆海新通道班列开行达到8820列、逆势增长44%，累计开行超过2万列；"
    assert _found(text) == [("", "8820列", "44%", "up")]
    assert _roles(text) == [("8820列", "after"), ("44%", "change"), ("超过2万列", "level")]
    # b5-12: the rate reached, then its rise, with nothing but ，提升 between them.
    assert _found("一次性办结率达到85%，提升近30%。") == [("", "85%", "近30%", "up")]
    # b5-16: the legal time limit is where the cut began, a before with no after.
    text = "改革试点一年来，环评批复时间由法定60个工作日压缩达一半以上，显著提升了项目审批效率，推动新技术、新产品快速落地。"
    assert _found(text) == [("60个工作日", "", "一半以上", "down")]


def test_a_change_joins_the_level_it_reached() -> None:
    # b5-22: the count reached right after its growth becomes the after of that growth.
    text = "科技型中小企业数量同比增长40%，突破1.6万家；"
    assert _found(text) == [("", "突破1.6万家", "40%", "up")]
    assert _roles(text) == [("40%", "change"), ("突破1.6万家", "after")]
    assert scan(text).effects[0].baseline == "same_period_last_year"


def test_a_change_with_nothing_to_join_stands_alone() -> None:
    # b5-06: two savings per container, each with a subject of its own and no figure it changes.
    text = "如企业每进口一整柜冷冻肉，可节约成本950元；每进口一整柜粮食，可节约成本约380元。"
    assert _found(text) == [("", "", "950元", "down"), ("", "", "约380元", "down")]


def test_a_lone_before_without_its_other_end_stands_alone() -> None:
    # b5-10: 现可一键自动获取 states no figure, so the before has no after; no verb of change follows it in its
    # sentence (获取, 破解 are none), so its direction is left to the curation.
    text = (
        "如办理股权转让加董事会变更事项时，原需准备的原股东会决议、转让后股东会决议、章程修正案、股权转让协议等"
        "10多项文书材料，现可一键自动获取，有效破解企业申报难题。"
    )
    assert _found(text) == [("10多项", "", "", None)]
    assert scan(text).effects[0].baseline == "before_reform"
    # b5-03: the next sentence (改革后，…) holds no figure; its 节约 gives the direction. Both figures of 改革前 are
    # befores, so both stand alone (the curation refuses the second: a charge per truck and day, not what changed).
    text = (
        "改革前，综合保税区场站运营公司专设2名现场操作员，协调车辆核放申报、卡口车辆调度等，若车辆当天无法全部运抵，"
        "滞留卡口将产生用车费用600—800元/天/车。改革后，可节约场站人力资源，显著减少企业运输成本。"
    )
    assert _found(text) == [("2名", "", "", "down"), ("600—800元/天/车", "", "", "down")]


def test_a_lone_after_stands_alone() -> None:
    # b5-21 and b5-04: a level a verb of change reaches, with no size of the change.
    text = "近三年，片区年均保理融资额约4000亿元，一大批实体企业的保理融资成本降至4%左右。"
    assert _found(text) == [("", "4%左右", "", "down")]
    assert _roles(text) == [("约4000亿元", "level"), ("4%左右", "after")]
    text = "钦州铁路集装箱中心站集装箱办理量提升至全国第五，"
    assert _found(text) == [("", "全国第五", "", "up")]
    assert _roles(text) == [("全国第五", "after")]


def test_the_roles_of_linked_figures_follow_from_the_effects_alike_for_rules_and_curation() -> None:
    # One rule for link and for the curation: the middle of a chain is a before, a change a change.
    effects = [("m1", "m2", None), ("m2", "m3", "m4"), (None, "m5", "m6")]
    assert linked_roles(effects) == {
        "m1": Role.BEFORE,
        "m2": Role.BEFORE,
        "m3": Role.AFTER,
        "m4": Role.CHANGE,
        "m5": Role.AFTER,
        "m6": Role.CHANGE,
    }


@given(st.lists(st.sampled_from([text for text, _ in RULES] + ["其中，", "累计100家，", "提升", "降至", "分别", "。"])))
def test_links_are_sound_for_any_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    result = scan(text)
    seen: dict[int, int] = {}
    for effect in result.effects:
        assert effect.figures and all(0 <= i < len(result.figures) for i in effect.figures)
        if effect.change is not None:
            assert result.figures[effect.change].role is Role.CHANGE
        for i in effect.figures:
            seen[i] = seen.get(i, 0) + 1
    # A figure is in one effect, or two when it is the middle of a chain.
    assert all(n == 1 or (n == 2 and result.figures[i].role is Role.BEFORE) for i, n in seen.items())
    for i, figure in enumerate(result.figures):
        if figure.role in (Role.BEFORE, Role.AFTER, Role.CHANGE):
            assert i in seen


def test_link_reads_any_figure_like_record() -> None:
    figures = scan("由8天压缩至2天。").figures
    roles, links = link("由8天压缩至2天。", figures)
    assert roles == (Role.BEFORE, Role.AFTER) and len(links) == 1


class _Figure:
    def __init__(self, value: float, unit: Unit, span: str, qualifier: Qualifier = Qualifier.EXACT) -> None:
        self.value, self.unit, self.span, self.qualifier = value, unit, span, qualifier
        self.sentence = span


@given(
    st.integers(min_value=1, max_value=10_000),
    st.integers(min_value=1, max_value=10_000),
    st.integers(min_value=0, max_value=2),
)
@example(before=48, after=3717, decimals=1)  # 7643.75% printed as 7643.8%: half a unit, in floating point
@example(before=200, after=199, decimals=0)  # -0.5% printed as 0%: a stated zero has no sign to disagree with
def test_stated_changes_rounded_as_printed_are_consistent(before: int, after: int, decimals: int) -> None:
    if before == after:
        return
    exact = (after - before) / before * 100
    printed = f"{abs(exact):.{decimals}f}%"
    direction = Direction.DOWN if exact < 0 else Direction.UP
    change = _Figure(float(printed[:-1]), Unit.PERCENT, printed)
    relative, consistent = relative_change(
        _Figure(before, Unit.DAY, f"{before}天"), _Figure(after, Unit.DAY, f"{after}天"), change, direction
    )
    assert relative == round(exact, PERCENT_DECIMALS)  # one rounding, two decimals, for every relative change
    assert consistent is True
    # A change off by a whole unit of its last digit (and more than the rounding) disagrees.
    wrong = abs(exact) + 2 * 10**-decimals
    off = _Figure(float(f"{wrong:.{decimals}f}"), Unit.PERCENT, f"{wrong:.{decimals}f}%")
    assert relative_change(_Figure(before, Unit.DAY, ""), _Figure(after, Unit.DAY, ""), off, direction)[1] is False


@pytest.mark.parametrize(
    ("before", "after", "stated", "direction", "consistent"),
    [
        (100, 50, "50%", Direction.UP, False),  # said to rise by half, and it halved
        (50, 100, "100%", Direction.DOWN, False),  # said to fall, and it doubled
        (100, 50, "50%", Direction.DOWN, True),
        (200, 199, "0%", Direction.DOWN, True),  # -0.5%, printed to the unit: a stated zero has no sign
        (200, 197, "0%", Direction.DOWN, False),  # -1.5% does not round to 0%
    ],
)
def test_a_stated_change_must_go_the_way_its_figures_go(
    before: int, after: int, stated: str, direction: Direction, consistent: bool
) -> None:
    change = _Figure(float(stated[:-1]), Unit.PERCENT, stated)
    found = relative_change(
        _Figure(before, Unit.DAY, f"{before}天"), _Figure(after, Unit.DAY, f"{after}天"), change, direction
    )
    assert found == (round((after - before) / before * 100, PERCENT_DECIMALS), consistent)


_BOUNDS = (Qualifier.EXACT, Qualifier.AT_LEAST, Qualifier.MORE_THAN, Qualifier.AT_MOST, Qualifier.LESS_THAN)


@given(
    st.integers(min_value=1, max_value=10_000),
    st.integers(min_value=1, max_value=10_000),
    st.sampled_from(_BOUNDS),
    st.sampled_from(_BOUNDS),
    st.floats(min_value=0.0, max_value=1.0),
    st.floats(min_value=0.0, max_value=1.0),
)
def test_a_bounded_end_bounds_the_size_of_the_relative_change(
    before: int, after: int, before_bound: Qualifier, after_bound: Qualifier, slack_before: float, slack_after: float
) -> None:
    """Whatever the true ends are, within what the text's qualifiers allow, the size of the true change stands
    in the relation the effect's qualifier states to the size of the change computed from the printed ends."""
    if before == after:
        return
    low, high = (
        _Figure(before, Unit.DAY, f"{before}天", before_bound),
        _Figure(after, Unit.DAY, f"{after}天", after_bound),
    )
    relative, _ = relative_change(low, high, None, None)
    qualifier = relative_change_qualifier(low, high, None, relative)
    assert relative is not None and qualifier is not None

    def true_value(printed: int, bound: Qualifier, slack: float) -> float:
        spread = printed * 0.5 * slack  # anything the qualifier allows, up to half the printed value away
        if bound in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
            return printed + spread
        if bound in (Qualifier.AT_MOST, Qualifier.LESS_THAN):
            return printed - spread
        return float(printed)

    true_before = true_value(before, before_bound, slack_before)
    true_after = true_value(after, after_bound, slack_after)
    size, true_size = abs(relative), abs((true_after - true_before) / true_before * 100)
    if (true_after - true_before) * (after - before) <= 0:
        return  # the bounds allow the change to vanish or turn: no relation of sizes to hold
    tolerance = 0.01  # two decimals
    if qualifier is Qualifier.EXACT:
        assert math.isclose(true_size, size, abs_tol=tolerance)
    elif qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
        assert true_size >= size - tolerance
    elif qualifier in (Qualifier.AT_MOST, Qualifier.LESS_THAN):
        assert true_size <= size + tolerance
    else:
        assert qualifier is Qualifier.APPROX  # the ends bound it both ways: no one-sided claim is made


def test_the_qualifier_of_a_relative_change_reads_as_a_reader_says_it() -> None:
    def figure(value: float, qualifier: Qualifier = Qualifier.EXACT) -> _Figure:
        return _Figure(value, Unit.COUNT, str(value), qualifier)

    def read(before: _Figure | None, after: _Figure | None, change: _Figure | None = None) -> Qualifier | None:
        relative, _ = relative_change(before, after, change, Direction.DOWN if change else None)
        return relative_change_qualifier(before, after, change, relative)

    assert read(figure(20_000, Qualifier.MORE_THAN), figure(70_000)) is Qualifier.LESS_THAN  # 2万余件 → 7万件
    assert read(figure(6000, Qualifier.MORE_THAN), figure(1800)) is Qualifier.MORE_THAN  # a cut of more than 70%
    assert read(figure(20), figure(5, Qualifier.AT_LEAST)) is Qualifier.AT_MOST  # 20 → 5以上: a cut of at most 75%
    assert read(figure(20), figure(5)) is Qualifier.EXACT
    assert read(figure(20, Qualifier.APPROX), figure(5)) is Qualifier.APPROX
    assert read(figure(20, Qualifier.MORE_THAN), figure(5, Qualifier.MORE_THAN)) is Qualifier.APPROX
    assert read(None, None, _Figure(50, Unit.PERCENT, "50%以上", Qualifier.AT_LEAST)) is Qualifier.AT_LEAST
    assert read(None, figure(5), None) is None


def test_minutes_hours_and_days_convert_working_days_do_not() -> None:
    two_hours = _Figure(2, Unit.HOUR, "2小时")
    assert relative_change(_Figure(1, Unit.DAY, "1天"), two_hours, None, Direction.DOWN)[0] == round(
        (120 - 1440) / 1440 * 100, PERCENT_DECIMALS
    )
    assert relative_change(_Figure(1, Unit.WORKING_DAY, "1个工作日"), two_hours, None, Direction.DOWN) == (None, None)


@pytest.fixture(scope="module")
def imported_seed(source_text: str) -> Dataset:
    """The seed's text as an import gives it, uncurated (records are immutable: one import serves the module)."""
    return ftz_reforms.import_casebook(source_text, batch=5).data


def test_an_import_finds_effects_uncurated(imported_seed: Dataset, data: Dataset) -> None:
    imported = imported_seed
    found = [effect for case in imported.cases for effect in case.effects]
    assert found and not any(effect.curated or effect.description_en for effect in found)
    bundled = {case.id: case for case in data.cases}

    def links(case: Case) -> set[tuple[str, str, str]]:
        return {_spans(case, effect) for effect in case.effects}

    differing = {case.id for case in imported.cases if links(case) != links(bundled[case.id])}
    # Only where the curation decided otherwise, each with its reason: b5-03 (the gate fee, no effect),
    # b5-04 (已突破500万标箱, an after alone), b5-06 (扣减内河运费5900万元, a change), b5-07 (a benefit),
    # b5-12 (免于提交), b5-22 (翻了一番 of the level just stated).
    assert differing == {"b5-03", "b5-04", "b5-06", "b5-07", "b5-12", "b5-22"}


def test_a_metric_of_a_case_by_id(data: Dataset) -> None:
    case = data.cases[7]
    assert isinstance(case.metric("b5-08-m03"), Metric)
    with pytest.raises(LookupError, match="its metrics are b5-08-m01 to b5-08-m15"):
        case.metric("b5-08-m99")


# --- the query, as every dataset offers it ---------------------------------------------------------


def test_effects_are_filtered_by_measure_direction_baseline_and_change() -> None:
    cuts = ftz_reforms.effects(measure="processing_time", direction="down", max_change=-70)
    assert [each.effect.id for each in cuts] == [
        "b5-04-e01", "b5-04-e02", "b5-08-e02", "b5-08-e03", "b5-10-e02", "b5-15-e01",
    ]  # fmt: skip
    assert all(each.case.id == each.effect.id[:5] for each in cuts)
    first = cuts[0]
    assert first.after is not None and first.after.span == "13.13小时" and first.change is not None
    assert [each.effect.id for each in ftz_reforms.effects(baseline="2021")] == [f"b5-22-e0{n}" for n in (2, 3, 4, 5)]
    # 同比: 6000标箱…同比增长约300%; 运营成本同比下降11.38%, 业务量同比上升34.01%; 同比增长40%; 同比增长30.7%.
    year_on_year = [each.effect.id for each in ftz_reforms.effects(baseline="same_period_last_year")]
    assert year_on_year == ["b5-04-e05", "b5-05-e04", "b5-05-e05", "b5-22-e07", "b5-23-e01"]
    assert [each.effect.id for each in ftz_reforms.effects(case=16, where="outcome", measure="cost")] == ["b5-16-e02"]
    # +300% (约300%), +250% (2万余件 → 7万件), +150%, +140%, +120% (N倍 of 2021) and +100% (翻了一番).
    assert len(ftz_reforms.effects(min_change=100)) == 6


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"measure": "speed"}, "processing_time"),
        ({"baseline": "last week"}, "a year such as 2017"),
        ({"max_change": "half"}, "max_change must be a number"),
        ({"colour": "red"}, "effect filter"),
    ],
)
def test_bad_effect_filters_are_named(filters: dict[str, object], message: str) -> None:
    with pytest.raises(ftz_reforms.FilterError, match=message):
        ftz_reforms.effects(**filters)  # type: ignore[arg-type]


def test_the_command_line_lists_and_shows_effects(capsys: pytest.CaptureFixture[str]) -> None:
    from ftz_reforms.cli.app import main

    assert main(["effects", "--case", "10", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "20分钟 → 5分钟 · 75%以上 (-75%)" in out and "单件业务审核时限从20分钟缩减至5分钟" in out
    assert main(["show", "b5-10"]) == 0
    shown = capsys.readouterr().out
    assert "效果 Effects" in shown and "20分钟 → 5分钟 · 75%以上 (-75%)" in shown
    # The words of the text that state it, from its first figure's clause to its last's.
    assert "       单件业务审核时限从20分钟缩减至5分钟，压缩75%以上\n" in shown
    assert main(["show", "b5-10", "--lang", "en"]) == 0
    assert "20 minutes → 5 minutes · at least 75% (-75%)" in capsys.readouterr().out
    assert main(["effects", "--measure", "form_fields", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 2 and rows[1].startswith("b5-08,") and ",31个," in rows[1] and ",3个," in rows[1]


def test_a_lone_before_finds_its_after_in_the_next_sentence_of_its_paragraph() -> None:
    text = "改革前，办理需要5个工作日。改革后，现仅需1个工作日。"
    assert _found(text) == [("5个工作日", "1个工作日", "", "down")]
    apart = scan(text, (0, text.index("改革后")))
    assert [(e.before, e.after) for e in apart.effects] == [(0, None)]
    assert [figure.role for figure in apart.figures] == [Role.BEFORE, Role.LEVEL]


def test_linking_a_text_without_sentence_ends_stays_linear() -> None:
    # 2,000 figures in one sentence that never ends: every look-around is bounded (REACH), so this is fast
    # and each 由…至… pair still links.
    text = "，".join("由10天压缩至2天" for _ in range(1000))
    result = scan(text)
    assert len(result.effects) == 1000 and all(e.before is not None and e.after is not None for e in result.effects)


def test_a_dataset_without_effects_says_so(tmp_path: Path, data: Dataset, capsys: pytest.CaptureFixture[str]) -> None:
    from ftz_reforms.cli.app import main

    older = data.model_copy(update={"cases": tuple(case.model_copy(update={"effects": ()}) for case in data.cases)})
    path = tmp_path / "older.json"
    path.write_text(older.model_dump_json(), encoding="utf-8")
    assert main(["--data", str(path), "effects"]) == 1
    assert "holds no effects" in capsys.readouterr().err
    assert main(["--data", str(path), "effects", "--measure", "cost"]) == 1


def test_an_import_s_measure_guesses_mostly_agree_with_the_curation(imported_seed: Dataset, data: Dataset) -> None:
    # The rule was written against batch 5, so this is no accuracy on unseen text: it guards the rule from
    # decaying (54 of the 62 effects both find agreed when it was written; 53 of 61 once b5-03's gate fee,
    # an agreeing pair, was refused as an effect).
    imported = {case.id: case for case in imported_seed.cases}
    pairs = []
    for case in data.cases:
        curated = {_spans(case, effect): effect.measure for effect in case.effects}
        found = imported[case.id]
        pairs += [(curated[key], e.measure) for e in found.effects if (key := _spans(found, e)) in curated]
    assert len(pairs) == 61
    assert sum(mine == theirs for mine, theirs in pairs) >= 53
