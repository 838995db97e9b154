"""Keywords in time linear in the text: jieba's HMM takes time quadratic in the length of the block it reads
(its Viterbi copies the path so far at every character), so no block longer than ``LONGEST_BLOCK`` reaches
it, however long a paragraph without punctuation is; the bundled casebook's blocks are all shorter, so its
keywords are those of the whole text. Proved by what jieba is handed, not by a clock."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ftz_reforms
from ftz_reforms.assemble import bundled_domain_terms, with_keywords
from ftz_reforms.model.records import Dataset
from ftz_reforms.retrieval.jieba_setup import jieba_module
from ftz_reforms.retrieval.keywords import LONGEST_BLOCK, bounded_blocks, case_text

from .helpers import casebook

_BLOCK: re.Pattern[str] = jieba_module().re_han_default


def _one_paragraph_casebook(paragraph: str) -> str:
    return casebook(
        " 1.一个很长的案例",
        "中国（广东）自由贸易试验区提供",
        "广东自贸试验区广州南沙新区片区简介。",
        "一、主要做法",
        "（一）做法标题。",
        paragraph,
        "二、实践效果",
        "效果正文 100万元。",
    )


@pytest.fixture
def hmm_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every text jieba's HMM (``jieba.finalseg.cut``) is handed, while the test runs."""
    finalseg = jieba_module().finalseg
    lengths: list[int] = []
    cut = finalseg.cut

    def counted(text: str) -> Iterator[str]:
        lengths.append(len(text))
        return cut(text)  # type: ignore[no-any-return]

    monkeypatch.setattr(finalseg, "cut", counted)
    return lengths


# 的 never joins its neighbour in jieba's dictionary, so the HMM reads the whole run: the worst case.
@pytest.mark.parametrize("paragraph", ["的" * 20_000, "丂丄" * 10_000, "科技成果转化" * 3_000 + "的" * 5_000])
def test_a_paragraph_without_punctuation_reaches_the_hmm_in_bounded_blocks(
    paragraph: str, hmm_reads: list[int]
) -> None:
    imported = ftz_reforms.import_casebook(_one_paragraph_casebook(paragraph), batch=6).data
    (case,) = imported.cases
    assert case.practices[0].text_zh == paragraph and case.keywords
    text = len(case_text(case))
    assert hmm_reads and max(hmm_reads) <= LONGEST_BLOCK
    # What the HMM reads in all is at most the text, and its work (the square of each block's length,
    # summed) at most LONGEST_BLOCK times the text: linear in the length of the paragraph.
    assert sum(hmm_reads) <= text
    assert sum(length * length for length in hmm_reads) <= LONGEST_BLOCK * text


def test_the_bundled_cases_keep_their_keywords(data: Dataset) -> None:
    """Their blocks are all shorter than the bound, so their texts reach jieba unchanged, and the keywords
    computed now are the bundled ones (``python -m ftz_reforms.bundling --check`` holds the same)."""
    longest = max(len(block) for case in data.cases for block in _BLOCK.findall(case_text(case)))
    assert longest == 42 < LONGEST_BLOCK  # b5-06: 海关可参考第三方测算数据将货物运抵我国境内输入地点起卸后的…
    assert all(bounded_blocks(case_text(case)) == case_text(case) for case in data.cases)
    assert [case.keywords for case in with_keywords(data.cases, bundled_domain_terms())] == [
        case.keywords for case in data.cases
    ]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("的数据港口AB12 ，。\n丂"), max_size=2_000),
    longest=st.integers(min_value=1, max_value=300),
)
def test_bounded_blocks_only_break_blocks_too_long(text: str, longest: int) -> None:
    bounded = bounded_blocks(text, longest)
    assert all(len(block) <= longest for block in _BLOCK.findall(bounded))
    assert bounded.replace("\n", "") == text.replace("\n", "")
    if all(len(block) <= longest for block in _BLOCK.findall(text)):
        assert bounded == text


def test_an_imports_domain_terms_are_those_of_the_index_searches_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled index is read once a process: an import takes its glossary terms from the index the bundled
    data's searches already read, not from a second parse of the file."""
    from pathlib import Path

    from ftz_reforms.retrieval.engine import bundled_index

    index = bundled_index()

    def refuse(path: Path) -> bytes:
        raise AssertionError(f"{path} read again")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    terms = bundled_domain_terms()
    assert terms == tuple(index.domain_terms) and "综合保税区" in terms
