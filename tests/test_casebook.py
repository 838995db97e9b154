"""The casebook parser: fidelity on the real source, each layout variant, each malformed input."""

from __future__ import annotations

import itertools
import re

import pytest

from ftz_reforms.casebook.parser import CasebookError, enumerated_points, parse_casebook
from ftz_reforms.model.records import Case
from ftz_reforms.text.normalize import normalize_text
from tests.helpers import casebook

PAGE_NUMBER = re.compile(r"[0-9]{1,4}")
SECTION_MARKER = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
CASE_NUMBERS = range(1, 24)


@pytest.fixture(scope="module")
def parsed(source_text: str) -> tuple[Case, ...]:
    return parse_casebook(source_text)


def _source_body(source_lines: list[str], case: Case) -> tuple[str, int]:
    """The case's lines as printed, normalized, with the section markers cut (and counted)."""
    kept = []
    markers = 0
    for raw in source_lines[case.source.line_start - 1 : case.source.line_end]:
        line = raw.strip()
        if not line or PAGE_NUMBER.fullmatch(line):
            continue
        line, cut = SECTION_MARKER.subn("", line)
        markers += cut
        kept.append(line)
    return normalize_text("\n".join(kept)), markers


def _reassembled(case: Case) -> str:
    parts = [f"{case.number}.{case.title_zh}", "、".join(z.name_zh for z in case.providers), "提供"]
    parts.append(case.summary_zh)
    for label, sections in (
        (f"一、{case.practices_label_zh}", case.practices),
        (f"二、{case.outcomes_label_zh}", case.outcomes),
    ):
        parts.append(label)
        for section in sections:
            parts.extend([section.heading_zh or "", section.text_zh])
    return "".join(parts)


def test_the_source_holds_23_cases_in_order(parsed: tuple[Case, ...]) -> None:
    assert [case.number for case in parsed] == list(CASE_NUMBERS)
    assert [case.id for case in parsed] == [f"b5-{n:02d}" for n in CASE_NUMBERS]


@pytest.mark.parametrize("number", CASE_NUMBERS)
def test_nothing_is_lost_added_or_duplicated(number: int, parsed: tuple[Case, ...], source_lines: list[str]) -> None:
    case = parsed[number - 1]
    expected, markers = _source_body(source_lines, case)
    assert _reassembled(case) == expected
    numbered = [s for s in (*case.practices, *case.outcomes) if s.ordinal is not None]
    assert markers == len(numbered)


def test_cases_tile_the_whole_source(parsed: tuple[Case, ...], source_lines: list[str]) -> None:
    assert parsed[0].source.line_start == 1
    for before, after in itertools.pairwise(parsed):
        assert after.source.line_start > before.source.line_end
        between = source_lines[before.source.line_end : after.source.line_start - 1]
        assert all(not line.strip() or PAGE_NUMBER.fullmatch(line.strip()) for line in between)
    assert all(not line.strip() for line in source_lines[parsed[-1].source.line_end :])


def test_pages_follow_the_printed_page_numbers(parsed: tuple[Case, ...], source_lines: list[str]) -> None:
    printed = {
        number: int(line) for number, line in enumerate(source_lines, start=1) if PAGE_NUMBER.fullmatch(line.strip())
    }
    assert len(printed) == 4
    for line_number, page in printed.items():
        # The number closes its page: the text before it is on that page, the text after on the next.
        before = [c for c in parsed if c.source.line_start < line_number][-1]
        after = next(c for c in parsed if c.source.line_end > line_number)
        assert before.source.page_start <= page <= before.source.page_end
        assert after.source.page_start <= page + 1 <= after.source.page_end
    assert parsed[20].source.page_start == printed[2262] + 1
    assert all(a.source.page_end <= b.source.page_start for a, b in itertools.pairwise(parsed))


def test_layout_variants_of_the_real_source(parsed: tuple[Case, ...]) -> None:
    by_number = {case.number: case for case in parsed}
    # Titles wrapped onto a second line.
    assert by_number[5].title_zh == "国际邮件、国际快件和跨境电商业务集约监管新模式"
    assert by_number[6].title_zh == "进口转关货物内河运费不计入完税价格审价机制创新"
    # Provider lines wrapped, several providers.
    assert [z.province_zh for z in by_number[2].providers] == ["重庆", "四川"]
    assert [z.province_zh for z in by_number[8].providers] == ["福建", "山东"]
    assert [z.province_zh for z in by_number[14].providers] == ["天津", "河北", "北京"]
    # Other part labels.
    assert (by_number[20].practices_label_zh, by_number[20].outcomes_label_zh) == ("主要举措", "主要成效")
    assert by_number[21].outcomes_label_zh == "主要成效"
    # Parts without sub-sections, and prose before the first （一）.
    assert [s.ordinal for s in by_number[7].practices] == [None]
    assert [s.ordinal for s in by_number[6].outcomes] == [None]
    assert [s.ordinal for s in by_number[3].practices] == [None, 1, 2, 3]
    # A half-width marker "(一）".
    assert by_number[16].practices[0].heading_zh == "强化制度设计，实行告知承诺分类管理。"
    # Headings wrapped over two lines.
    assert by_number[1].practices[0].heading_zh == "打通跨境电商出口退货通道，支持跨境电商出口产业链建设。"
    # Points inline after a colon.
    assert by_number[20].practices[0].points == (
        "一是发起主体为行业龙头企业或细分领域领军企业；",
        "二是具备明确的建设方案、赋能规划和专业团队。",
    )


def test_every_text_is_normalized(parsed: tuple[Case, ...]) -> None:
    for case in parsed:
        texts = [case.title_zh, case.summary_zh]
        for section in (*case.practices, *case.outcomes):
            texts += [section.heading_zh or "", section.text_zh, *section.points]
        for text in texts:
            assert normalize_text(text) == text
            assert "\n" not in text


def test_points_are_verbatim_substrings_in_order(parsed: tuple[Case, ...]) -> None:
    for case in parsed:
        for section in (*case.practices, *case.outcomes):
            cursor = 0
            for point in section.points:
                found = section.text_zh.find(point, cursor)
                assert found >= cursor, (case.id, point)
                cursor = found + len(point)


def test_areas_named_in_the_case(parsed: tuple[Case, ...]) -> None:
    for case in parsed:
        text = case.summary_zh + "".join(f"{s.heading_zh or ''}{s.text_zh}" for s in (*case.practices, *case.outcomes))
        for area in case.areas:
            assert any(name in text for name in (area.name_zh, *area.aliases_zh)), (case.id, area.name_zh)
            assert area.province_zh in {z.province_zh for z in case.providers}
    assert [a.name_zh for a in parsed[7].areas] == ["青岛片区", "福州片区"]
    # b5-20 names its areas only in an outcome, by their short forms (张江集聚38家，金桥、保税区、世博等片区积极参与).
    assert [a.name_zh for a in parsed[19].areas] == ["张江高科技片区", "金桥开发片区", "保税区片区", "世博片区"]


def test_a_generic_area_alias_never_matches_inside_a_comprehensive_bonded_zone() -> None:
    intro = "上海自贸试验区洋山特殊综合保税区、浦东机场综合保税区联动张江、保税区。"
    (case,) = parse_casebook(casebook(MINIMAL[0], "中国（上海）自由贸易试验区提供", intro, *MINIMAL[3:]))
    assert [a.name_zh for a in case.areas] == ["上海浦东机场综合保税区", "张江高科技片区", "保税区片区"]
    (case,) = parse_casebook(casebook(MINIMAL[0], "中国（上海）自由贸易试验区提供", "某综合保税区试点。", *MINIMAL[3:]))
    assert case.areas == ()


# --- hand-made casebooks, one per layout variant -----------------------------------------------

MINIMAL = (
    " 1.第一个案例",
    "中国（广东）自由贸易试验区提供",
    "广东自贸试验区广州南沙新区片区简介。",
    "一、主要做法",
    "（一）做法标题。",
    "做法正文。",
    "二、实践效果",
    "效果正文 100万元。",
)


def test_minimal_casebook() -> None:
    (case,) = parse_casebook(casebook(*MINIMAL), batch=9)
    assert case.id == "b9-01"
    assert case.title_zh == "第一个案例"
    assert [a.short_name_en for a in case.areas] == ["Nansha Area"]
    assert case.practices[0].heading_zh == "做法标题。"
    assert case.practices[0].text_zh == "做法正文。"
    assert case.outcomes[0].ordinal is None
    assert case.outcomes[0].text_zh == "效果正文100万元。"
    assert case.metrics == () and case.title_en is None


def test_wrapped_title_and_wrapped_providers() -> None:
    text = casebook(
        " 1.一个很长的标题",
        "的第二行",
        "中国（天津）自由贸易试验区、中国（河北）自由",
        "贸易试验区提供",
        *MINIMAL[2:],
    )
    (case,) = parse_casebook(text)
    assert case.title_zh == "一个很长的标题的第二行"
    assert [z.iso_code for z in case.providers] == ["CN-TJ", "CN-HE"]


def test_other_labels_half_width_marker_wrapped_heading_and_prose_first() -> None:
    text = casebook(
        " 1.案例",
        "中国（上海）自由贸易试验区提供",
        "简介。",
        "一、主要举措",
        "先有一段说明。",
        "(一）一个跨行的",
        "标题。",
        "正文：一是甲；二",
        "是乙。之后的话。",
        "二、主要成效",
        "（一）成效。",
        "正文。",
    )
    (case,) = parse_casebook(text)
    assert case.practices_label_zh == "主要举措"
    assert case.outcomes_label_zh == "主要成效"
    prose, numbered = case.practices
    assert (prose.ordinal, prose.heading_zh, prose.text_zh) == (None, None, "先有一段说明。")
    assert (numbered.ordinal, numbered.heading_zh) == (1, "一个跨行的标题。")
    assert numbered.points == ("一是甲；", "二是乙。")


def test_lines_that_start_with_a_number_are_not_cases() -> None:
    text = casebook(*MINIMAL[:-1], "签约", "2.07亿元合作订单，增长", "30.7%。")
    (case,) = parse_casebook(text)
    assert case.outcomes[0].text_zh == "签约2.07亿元合作订单，增长30.7%。"


def test_page_numbers_inside_a_case() -> None:
    text = casebook(*MINIMAL[:5], "20", "做法正文。", " 二、实践效果", "效果。")
    (case,) = parse_casebook(text, first_page=20)
    assert case.practices[0].text_zh == "做法正文。"
    assert (case.source.page_start, case.source.page_end) == (20, 22)


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        (casebook(*MINIMAL[:3], *MINIMAL[6:]), 1, "'一、主要做法'"),
        (casebook(*MINIMAL[:6]), 7, "'二、实践效果'"),
        (casebook(*MINIMAL, " 3.第三个", *MINIMAL[1:]), 17, "expected case 2"),
        (casebook(" 1.案例", "某某单位提供", *MINIMAL[2:]), 1, "provider line"),
        (casebook(" 1.案例", "中国（火星）自由贸易试验区提供", *MINIMAL[2:]), 3, "火星"),
        (casebook(*MINIMAL[:4], "（二）标题。", "正文。", *MINIMAL[6:]), 9, "expected （一）"),
        (casebook(*MINIMAL[:4], "（一）没有句号的标题", *MINIMAL[6:]), 9, "no closing '。'"),
        (casebook("前言", *MINIMAL), 1, "text before the first case"),
        (casebook("没有案例的文字"), 1, "no case found"),
        ("", None, "empty"),
    ],
)
def test_malformed_casebooks_name_the_line_and_the_expectation(text: str, line: int | None, expected: str) -> None:
    with pytest.raises(CasebookError) as raised:
        parse_casebook(text)
    assert raised.value.line == line
    assert expected in str(raised.value)
    if line is not None:
        assert str(raised.value).startswith(f"line {line}: ")


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("一是甲。二是乙。三是丙。", ("一是甲。", "二是乙。", "三是丙。")),
        ("包括：一是甲；二是乙。此后的话。", ("一是甲；", "二是乙。")),
        ("统一是指同一标准。", ()),
        ("一是只有一个。", ()),
        ("一是甲。三是丙。", ()),
    ],
)
def test_enumerated_points(text: str, points: tuple[str, ...]) -> None:
    assert enumerated_points(text) == points
