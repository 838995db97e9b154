"""The normalizer removes PDF artifacts and nothing else."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from ftz_reforms.text.chars import is_cjk
from ftz_reforms.text.normalize import normalize_text, physical_lines
from tests.helpers import casebook

# Text built from the characters the source mixes: ideographs, CJK punctuation, Latin, digits, spaces.
mixed_text = st.text(
    alphabet=st.sampled_from(list("自贸试验区约万元，。“”（）—/%.AKEYe0123456789 \n\t　")),
    max_size=80,
)


def _without_whitespace(text: str) -> str:
    return re.sub(r"\s", "", text)


@given(st.text())
def test_normalizing_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(st.one_of(st.text(), mixed_text))
def test_only_whitespace_changes(text: str) -> None:
    assert _without_whitespace(normalize_text(text)) == _without_whitespace(text)


@given(mixed_text)
def test_no_whitespace_touches_a_cjk_character(text: str) -> None:
    result = normalize_text(text)
    for match in re.finditer(r"\s", result):
        before, after = result[match.start() - 1], result[match.end()]
        assert not is_cjk(before)
        assert not is_cjk(after)
        assert match.group() == " "


@given(st.text(alphabet="AB12", min_size=1, max_size=5), st.text(alphabet="CD34", min_size=1, max_size=5))
def test_a_single_space_separates_latin_and_digit_tokens(left: str, right: str) -> None:
    assert normalize_text(f"{left}  \n {right}") == f"{left} {right}"


def test_artifacts_from_the_source_are_removed() -> None:
    assert normalize_text("降低综合物流成本约 5000万元。") == "降低综合物流成本约5000万元。"
    assert normalize_text("“关银一 KEY 通”") == "“关银一KEY通”"
    assert normalize_text("“票 e真”") == "“票e真”"
    assert normalize_text("截至 2023\n年 3月") == "截至2023年3月"
    assert normalize_text("明确 GOI 的申报标准") == "明确GOI的申报标准"


def test_page_numbers_and_page_breaks() -> None:
    text = casebook(" 1.标题", "正文第一行", "20", "正文第二行", " 正文第三行")
    lines = physical_lines(text)
    assert [line.text for line in lines] == ["1.标题", "正文第一行", "正文第二行", "正文第三行"]
    # The printed "20" ends page 20: the text starts on page 20, the next page is 21, then 22.
    assert [line.page for line in lines] == [20, 20, 21, 22]
    assert [line.number for line in lines] == [1, 3, 7, 9]


def test_a_digits_only_line_that_is_not_the_page_number_is_content() -> None:
    text = casebook(" 1.标题", "累计开行", "2023", " 新的一页", "6")
    lines = physical_lines(text, first_page=5)
    assert [line.text for line in lines] == ["1.标题", "累计开行", "2023", "新的一页"]
    assert [line.page for line in lines] == [5, 5, 5, 6]


@given(st.lists(st.one_of(mixed_text, st.integers(0, 99).map(str)), max_size=12))
def test_physical_lines_drop_only_blank_lines_and_page_numbers(chunks: list[str]) -> None:
    text = "\n".join(chunks)
    raw_lines = text.splitlines()
    lines = physical_lines(text, first_page=1)
    kept = {line.number for line in lines}
    for number, raw in enumerate(raw_lines, start=1):
        if number not in kept:
            assert raw.strip() == "" or re.fullmatch(r"[0-9]{1,4}", raw.strip())
    assert [line.text for line in lines] == [raw_lines[n - 1].strip() for n in sorted(kept)]
    assert all(line.page >= 1 for line in lines)
