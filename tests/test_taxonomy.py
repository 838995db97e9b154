"""Categories (a controlled vocabulary with definitions, every case labelled with reasons) and keywords."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ftz_reforms.bundling.editorial import load_editorial
from ftz_reforms.bundling.glossary import load_glossary
from ftz_reforms.model.records import Dataset
from ftz_reforms.model.vocab import CATEGORY_DEFINITIONS, Category
from ftz_reforms.retrieval.keywords import (
    GENERIC_WORDS_FILE,
    KEYWORD_COUNT,
    TITLE_ONLY_FILE,
    KeywordExtractor,
    area_place,
    case_places,
    case_text,
    quoted_names,
    read_stop_words,
)


def test_every_category_has_a_one_line_definition() -> None:
    assert set(CATEGORY_DEFINITIONS) == set(Category)
    for category, definition in CATEGORY_DEFINITIONS.items():
        assert definition.endswith(".") and "\n" not in definition, category


def test_every_case_is_labelled_and_every_category_used(data: Dataset) -> None:
    used = set()
    for case in data.cases:
        assert 1 <= len(case.categories) <= 4, case.id
        assert len(set(case.categories)) == len(case.categories)
        used.update(case.categories)
    assert used == set(Category), f"unused: {set(Category) - used}"


def test_every_label_has_its_reason_in_the_overlay(repo: Path, data: Dataset) -> None:
    overlays = load_editorial(repo / "sources" / "batch5" / "english", 5)
    for case in data.cases:
        entries = overlays[case.number].category
        assert tuple(entry.name for entry in entries) == case.categories
        assert all(len(entry.reason.split()) >= 5 for entry in entries), case.id


@pytest.fixture(scope="module")
def extractor(repo: Path) -> KeywordExtractor:
    return KeywordExtractor(load_glossary(repo).chinese_terms, read_stop_words())


def test_keywords_come_from_the_case_text(data: Dataset, extractor: KeywordExtractor) -> None:
    stop_words = read_stop_words()
    for case in data.cases:
        assert len(case.keywords) == KEYWORD_COUNT, case.id
        assert len(set(case.keywords)) == KEYWORD_COUNT
        for word in case.keywords:
            # A stop word only as the named measure, which is always a keyword.
            assert word not in stop_words or word in extractor.named_measure(case), (case.id, word)
            # Chinese, or a name mixing it with Latin letters and digits (票e真, 关银一KEY通), or Latin (GOI).
            assert re.fullmatch(r"(?=.*[\u4e00-\u9fff])[\u4e00-\u9fffA-Za-z0-9]{2,}|[A-Za-z][A-Za-z0-9]+", word), (
                case.id,
                word,
            )


def test_every_keyword_occurs_in_the_cases_own_chinese_text(data: Dataset) -> None:
    for case in data.cases:
        text = case_text(case)
        assert all(word in text for word in case.keywords), (case.id, [w for w in case.keywords if w not in text])


def test_no_keyword_is_a_generic_verb_or_fragment(data: Dataset) -> None:
    generic = read_stop_words(GENERIC_WORDS_FILE)
    title_only = read_stop_words(TITLE_ONLY_FILE)
    assert {"完成", "开具", "覆盖", "压减", "云上"} <= generic
    assert not generic & read_stop_words(), "a word is in one list"
    assert not title_only & (generic | read_stop_words()), "a word is in one list"
    found = {(case.id, word) for case in data.cases for word in case.keywords if word in generic}
    assert found == set()


def test_the_title_only_words_are_keywords_only_where_the_title_holds_them(data: Dataset) -> None:
    title_only = read_stop_words(TITLE_ONLY_FILE)
    assert {"审批", "监管", "申报", "证书", "窗口", "全生命周期"} <= title_only
    found = [(case.id, word) for case in data.cases for word in case.keywords if word in title_only]
    assert all(word in next(c for c in data.cases if c.id == case_id).title_zh for case_id, word in found)
    # 全生命周期: b5-04's title quotes it, b5-18's names it; b5-09, b5-15 and b5-22 only mention it.
    assert {case_id for case_id, word in found if word == "全生命周期"} == {"b5-04", "b5-18"}


@pytest.mark.parametrize(
    ("case_id", "term"),
    [
        ("b5-07", "集中航次日报"),  # inside the summary's “天津港内作业船舶集中航次日报”服务举措
        ("b5-11", "票e真"),  # the title's quoted name
        ("b5-15", "长江航运综合服务平台"),  # the title's coined name
        ("b5-18", "土地超市"),  # quoted in the title and the summary (“土地超市”平台)
        ("b5-19", "外汇"),  # the foreign-exchange term the summary uses
        ("b5-03", "一票多车"),  # a coined term of the summary
        ("b5-06", "审价"),  # a coined term of the title (审价机制创新)
        ("b5-12", "静态业务"),  # a coined term of the title
        ("b5-15", "三证联办"),  # a coined term quoted in a section (“三证联办”)
        ("b5-19", "资本项目"),  # a coined term of the summary
        ("b5-19", "免审单"),  # a coined term quoted in a section (“免审单”业务)
        ("b5-19", "离岸贸易"),  # kept whole, so its weight is its own
        ("b5-20", "大企业开放创新中心"),  # the title's coined name
    ],
)
def test_the_named_measure_is_a_keyword(data: Dataset, case_id: str, term: str) -> None:
    case = next(case for case in data.cases if case.id == case_id)
    assert term in case.keywords


def test_every_cases_named_measure_is_among_its_keywords(data: Dataset, extractor: KeywordExtractor) -> None:
    from ftz_reforms.retrieval.keywords import _overlapping

    for case in data.cases:
        named = [term for term in extractor.named_measure(case) if term in case.keywords]
        for term in extractor.named_measure(case):
            # 无感 (“无感”审批新模式) gives way to the title's 无感续证, which repeats it.
            assert term in named or any(_overlapping(term, word) for word in named), (case.id, term)
        assert list(case.keywords[: len(named)]) == named, f"{case.id}: the named measure comes first"


@pytest.mark.parametrize(
    ("title", "summary", "names"),
    [
        ("网络货运平台涉税服务管理“票e真”模式", "实现司机“刷脸”即开票。", ("票e真",)),
        ("船舶监管申报新模式", "推出“港内作业船舶集中航次日报”服务举措，", ("港内作业船舶集中航次日报",)),
        ("标题", "建立“土地超市”平台，破解“有项目无土地”“有土地无项目”问题。", ("土地超市",)),
        ("标题", "通过“无感续证”模式办理许可延续，变“被动等申请”为“主动送服务”。", ("无感续证",)),
        ("标题", "一次性推出“综合集成式”改革，", ()),
    ],
)
def test_quoted_names_are_the_titles_and_the_summarys_names_of_a_measure(
    title: str, summary: str, names: tuple[str, ...]
) -> None:
    assert quoted_names(title, summary) == names


def test_domain_terms_stay_whole_in_keywords(data: Dataset) -> None:
    assert "综合保税区" in data.cases[2].keywords
    assert "海铁联运" in data.cases[3].keywords
    assert "无感续证" in data.cases[12].keywords
    fragments = {"无感", "续证", "联运"}
    assert not fragments & {word for case in data.cases for word in case.keywords}


def test_keywords_are_reproducible(data: Dataset, extractor: KeywordExtractor) -> None:
    for case in data.cases[:5]:
        assert extractor.keywords(case) == case.keywords


def test_stop_list_reader_skips_comments_and_blanks(tmp_path: Path) -> None:
    path = tmp_path / "stop.txt"
    path.write_text("# comment\n改革\n\n  创新  # trailing\n", encoding="utf-8")
    assert read_stop_words(path) == frozenset({"改革", "创新"})


def test_keywords_are_whole_terms_a_reader_would_choose(data: Dataset, repo: Path, extractor: KeywordExtractor) -> None:
    from ftz_reforms.retrieval.keywords import _overlapping, is_fragment, read_terms

    stop_words = read_stop_words()
    whole = set(load_glossary(repo).chinese_terms) | set(read_terms())
    for case in data.cases:
        text = case_text(case)
        for word in case.keywords:
            assert word not in stop_words or word in extractor.named_measure(case), (case.id, word)
            # A place may be met only inside its area's name (营口 in 营口片区): it is a keyword all the same.
            assert word in whole or word in case_places(case) or not is_fragment(word, text), (
                f"{case.id}: {word} is only ever part of a longer term"
            )
            others = [other for other in case.keywords if other != word]
            assert not any(word in other for other in others), f"{case.id}: {word} repeats a longer keyword"
            assert not any(_overlapping(word, other) for other in others), (case.id, word)


@pytest.mark.parametrize(
    ("word", "text", "fragment"),
    [
        ("河段", "提供内河段运费凭证，计算内河段运费成本。", True),
        ("深远", "深远海养殖，大型深远海网箱。", True),
        ("运费", "提供内河段运费凭证，计算国际运费。", False),
        ("确权", "海域确权一次。", False),
    ],
)
def test_a_fragment_is_only_ever_part_of_one_longer_string(word: str, text: str, fragment: bool) -> None:
    from ftz_reforms.retrieval.keywords import is_fragment

    assert is_fragment(word, text) is fragment


def test_the_fragments_the_review_found_are_gone_and_their_terms_kept(data: Dataset) -> None:
    keywords = {word for case in data.cases for word in case.keywords}
    assert not keywords & {
        "邮快",
        "河段",
        "深远",
        "未供",
        "电商",
        "推出",
        "生成",
        "重构",
        "搭建",
        "破解",
        "新型",
        "优质",
        "台后",
        "导航",
        "填单",
        "经营性",
        "科技型",
        "联办",
    }
    # 创新中心 (kept whole) gives way to b5-20's title, 大企业开放创新中心, which holds it.
    assert {"邮快跨", "内河段", "深远海", "批而未供", "大企业开放创新中心"} <= keywords


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("营口片区", "营口"),
        ("钦州港片区", "钦州港"),
        ("广州南沙新区片区", "南沙"),  # the shortest of its names (alias 南沙片区)
        ("川南临港片区", "泸州"),  # the place its alias puts before its name (泸州川南临港片区)
        ("滨海新区中心商务片区", "滨海新区"),  # the place its name puts before its alias (中心商务片区)
    ],
)
def test_the_place_of_a_pilot_area_is_what_it_is_named_after(data: Dataset, name: str, place: str) -> None:
    assert area_place(next(area for area in data.pilot_areas if area.name_zh == name)) == place


def test_the_place_of_every_pilot_area_a_case_names_is_a_keyword(data: Dataset) -> None:
    cities = {"b5-03": "泸州", "b5-06": "岳阳", "b5-08": "福州", "b5-09": "营口", "b5-11": "济南", "b5-13": "哈尔滨"}
    cities["b5-16"] = "合肥"
    for case in data.cases:
        places = case_places(case)
        assert len(places) == len(case.areas), case.id
        assert set(places) <= set(case.keywords), case.id
        assert case.id not in cities or cities[case.id] in places, case.id
