"""extract_metrics: the hand-written table, properties on arbitrary text, and the exclusion rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftz_reforms.text.extract import EXCLUSION_RULES, extract_metrics, scan
from tests.extraction_table import TABLE, Expected


def test_the_table_is_large_and_independent_of_the_casebook(source_text: str) -> None:
    assert len(TABLE) >= 60
    assert sum(1 for _, expected in TABLE if not expected) >= 10
    flat_source = "".join(source_text.split())
    assert not [sentence for sentence, _ in TABLE if sentence.rstrip("。") in flat_source]


@pytest.mark.parametrize(("sentence", "expected"), TABLE, ids=[sentence for sentence, _ in TABLE])
def test_each_sentence_yields_its_figures(sentence: str, expected: list[Expected]) -> None:
    figures = extract_metrics(sentence)
    assert [(f.span, f.unit, f.qualifier) for f in figures] == [(e.span, e.unit, e.qualifier) for e in expected]
    for figure, wanted in zip(figures, expected):
        assert figure.value == pytest.approx(wanted.value)
        if wanted.role is not None:
            assert figure.role is wanted.role
        if wanted.direction is not None:
            assert figure.direction is wanted.direction


@given(st.text(max_size=200))
def test_never_raises_and_spans_are_substrings(text: str) -> None:
    result = scan(text)
    previous_end = 0
    for figure in result.figures:
        assert text[figure.start : figure.end] == figure.span
        assert figure.span in figure.sentence
        assert figure.sentence in text
        assert figure.start >= previous_end
        previous_end = figure.end
    for exclusion in result.exclusions:
        assert exclusion.rule in EXCLUSION_RULES
        assert text[exclusion.start : exclusion.end] == exclusion.text


figure_text = st.lists(
    st.sampled_from(["约", "近", "超过", "1", "2", "0", ".", "5", "万", "亿", "元", "%", "家", "—", "至", "以上",
                     "余", "每年", "由", "提升到", "压缩", "年", "月", "第", "位", "个", "工作日", "，", "。", "三", "成"]),
    max_size=30,
).map("".join)  # fmt: skip


@given(figure_text)
def test_figure_like_text_never_raises(text: str) -> None:
    for figure in extract_metrics(text):
        assert text[figure.start : figure.end] == figure.span
        if figure.value_max is not None:
            assert figure.value_max > figure.value
        assert (figure.direction is not None) == (figure.role.value == "change")


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("截至2023年3月，", "date"),
        ("2021、2022两年，", "date"),
        ("一是优化流程", "list_ordinal"),
        ("（三）强化监管", "list_ordinal"),
        ("第五条", "article_number"),
        ("“三线一单”", "quoted_name"),
        ("“鲁烟开渔养60001”", "quoted_name"),
        ("世界500强", "ranking_list"),
        ("7×24小时", "hours_expression"),
        ("万吨级深水良港", "class_designation"),
        ("近三年", "period_in_years"),
        ("三个维度", "descriptive_count"),
        ("统一管理", "fixed_word"),
        ("引入第三方机构", "fixed_word"),
        ("选择在四川或重庆", "place_name"),
        ("川渝两地企业", "party_count"),
        ("中央部门、省、市三级联动", "party_count"),
        ("信状况两大维度", "major_count"),
        ("每进口一整柜冷链货物", "per_unit"),
        ("第一时间", "ordinal_word"),
    ],
)
def test_exclusion_rules(text: str, rule: str) -> None:
    result = scan(text)
    assert result.figures == ()
    assert rule in {exclusion.rule for exclusion in result.exclusions}


def test_a_bare_arabic_number_is_left_for_a_curator() -> None:
    result = scan("编号12345的系统")
    assert result.figures == ()
    assert [token for _, _, token in result.unexplained] == ["12345"]


@pytest.mark.parametrize("text", ["做到十全十美", "三心二意地推进", "百亿基金群"])
def test_a_chinese_numeral_no_rule_names_is_left_for_a_curator(text: str) -> None:
    result = scan(text)
    assert result.figures == ()
    assert result.unexplained, "no rule may explain a numeral by default"
    explained = [(e.start, e.end) for e in result.exclusions]
    for start, end, _ in result.unexplained:
        assert not any(a <= start and end <= b for a, b in explained)


def test_party_count_leaves_a_count_of_aspects_alone() -> None:
    assert "party_count" not in {exclusion.rule for exclusion in scan("三方面的工作").exclusions}


def test_a_control_character_ends_a_figures_sentence_instead_of_failing_it() -> None:
    """No text of a record holds a control character: a figure beside one (a stray ESC or unit separator in a
    pasted text) keeps its sentence up to it, and extraction never fails (hypothesis found '0%\\x1f')."""
    from ftz_reforms.text.extract import extract_metrics

    (figure,) = extract_metrics("0%\x1f")
    assert (figure.span, figure.sentence) == ("0%", "0%")
    found = extract_metrics("节约成本\x1b3.5亿元，增长\x0020%。")
    assert [(figure.span, figure.sentence) for figure in found] == [("3.5亿元", "3.5亿元，增长"), ("20%", "20%。")]
