"""Categories (a controlled vocabulary with definitions, every case labelled with reasons) and keywords."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ftz_reforms.bundling.editorial import load_editorial
from ftz_reforms.bundling.glossary import load_glossary
from ftz_reforms.model.records import Dataset
from ftz_reforms.model.vocab import CATEGORY_DEFINITIONS, Category
from ftz_reforms.retrieval.keywords import KEYWORD_COUNT, KeywordExtractor, case_text, read_stop_words


def test_every_category_has_a_one_line_definition() -> None:
    assert set(CATEGORY_DEFINITIONS) == set(Category)
    for category, definition in CATEGORY_DEFINITIONS.items():
        assert definition.endswith(".") and "\n" not in definition, category


def test_every_case_is_labelled_and_every_category_used(data: Dataset) -> None:
    used = set()
    for case in data.cases:
        assert 1 <= len(case.categories) <= 3, case.id
        assert len(set(case.categories)) == len(case.categories)
        used.update(case.categories)
    assert used == set(Category), f"unused: {set(Category) - used}"


def test_every_label_has_its_reason_in_the_overlay(repo: Path, data: Dataset) -> None:
    overlays = load_editorial(repo / "sources" / "batch5" / "english", 5)
    for case in data.cases:
        entries = overlays[case.number].category
        assert tuple(entry.name for entry in entries) == case.categories
        assert all(len(entry.reason.split()) >= 5 for entry in entries), case.id


def test_keywords_come_from_the_case_text(repo: Path, data: Dataset) -> None:
    stop_words = read_stop_words()
    for case in data.cases:
        assert len(case.keywords) == KEYWORD_COUNT, case.id
        assert len(set(case.keywords)) == KEYWORD_COUNT
        text = case_text(case)
        for word in case.keywords:
            assert word in text and word not in stop_words, (case.id, word)
            assert re.fullmatch(r"[\u4e00-\u9fff]{2,}|[A-Za-z][A-Za-z0-9]+", word), (case.id, word)


def test_domain_terms_stay_whole_in_keywords(data: Dataset) -> None:
    assert "综合保税区" in data.cases[2].keywords
    assert "海铁联运" in data.cases[3].keywords
    assert "无感续证" in data.cases[12].keywords
    fragments = {"无感", "续证", "联运"}
    assert not fragments & {word for case in data.cases for word in case.keywords}


def test_keywords_are_reproducible(repo: Path, data: Dataset) -> None:
    extractor = KeywordExtractor(load_glossary(repo).chinese_terms, read_stop_words())
    for case in data.cases[:5]:
        assert extractor.keywords(case) == case.keywords


def test_stop_list_reader_skips_comments_and_blanks(tmp_path: Path) -> None:
    path = tmp_path / "stop.txt"
    path.write_text("# comment\n改革\n\n  创新  # trailing\n", encoding="utf-8")
    assert read_stop_words(path) == frozenset({"改革", "创新"})


def test_keywords_are_whole_terms_a_reader_would_choose(data: Dataset, repo: Path) -> None:
    from ftz_reforms.retrieval.keywords import _overlapping, is_fragment, read_terms

    stop_words = read_stop_words()
    whole = set(load_glossary(repo).chinese_terms) | set(read_terms())
    for case in data.cases:
        text = case_text(case)
        for word in case.keywords:
            assert word not in stop_words, (case.id, word)
            assert word in whole or not is_fragment(word, text), f"{case.id}: {word} is only ever part of a longer term"
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
    }
    assert {"邮快跨", "内河段", "深远海", "批而未供", "创新中心"} <= keywords
