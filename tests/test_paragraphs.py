"""Paragraphs: recovered from the casebook's layout, kept as offsets in Chinese and English alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import ftz_reforms
from ftz_reforms import to_records
from ftz_reforms.bundling.editorial import apply_editorial, load_editorial
from ftz_reforms.bundling.overlays import OverlayError
from ftz_reforms.casebook.layout import ends_sentence, full_width, line_width, paragraph_lines, paragraph_starts
from ftz_reforms.cli.app import main
from ftz_reforms.model.records import Case, Dataset, Part, Section
from ftz_reforms.model.vocab import Where
from ftz_reforms.text.normalize import PhysicalLine, normalize_text, physical_lines
from tests.helpers import casebook

_FILLER = "改革企业服务监管平台数据通关审批港口"


def _lines(*texts: str) -> list[PhysicalLine]:
    return [PhysicalLine(number=index + 1, text=text, page=1) for index, text in enumerate(texts)]


def _part(case: Case, where: Where, position: int) -> Part:
    return next(part for part in case.parts() if (part.where, part.position) == (where, position))


# --- the layout rule ---------------------------------------------------------------------------------


def test_a_line_is_measured_in_cells() -> None:
    assert line_width("跨境电商出口退货。") == 9
    assert line_width("“邮快跨”") == 4  # curly quotes are half a cell
    assert line_width("约 5000万元") == 5.5  # digits and the space beside them too


def test_the_casebook_has_full_lines_of_26_cells(source_text: str) -> None:
    # Counted by hand: line 21 (的出口电商退货商品退回南沙综合保税区，在综合保税区仓) holds 26 characters
    # and runs on; line 19, a paragraph's first line after a heading, holds 24.
    lines = physical_lines(source_text)
    assert full_width(lines) == 26.0
    by_number = {line.number: line.text for line in lines}
    assert (line_width(by_number[21]), line_width(by_number[19])) == (26, 24)


def _line(draw: st.DrawFn, width: float, end: str) -> str:
    """A line of ``width`` cells ending in ``end``: ideographs, and a curly quote for a half cell."""
    half = "“" if width % 1 else ""
    body = draw(st.lists(st.sampled_from(_FILLER), min_size=int(width) - 1, max_size=int(width) - 1))
    return half + "".join(body) + end


@st.composite
def _typeset(draw: st.DrawFn) -> tuple[float, list[PhysicalLine], list[int]]:
    """Paragraphs set as the casebook sets them, with its spread of widths.

    A first line is indented two cells, a full line is full give or take a cell, and a last line ends
    early, unless the next paragraph's indented first line runs on (then the indent alone shows the
    break). Inside a paragraph a sentence may end at the end of any line: the rule must not break there.
    """
    full = draw(st.integers(16, 40))
    counts = draw(st.lists(st.integers(1, 5), min_size=1, max_size=6))
    texts: list[str] = []
    starts: list[int] = []
    for number, count in enumerate(counts):
        indent_shows_the_next = number + 1 < len(counts) and counts[number + 1] > 1
        widths = [full - 2 + draw(st.sampled_from((-1, -0.5, 0)))]
        widths += [full + draw(st.sampled_from((-1, -0.5, 0, 0.5, 1))) for _ in range(count - 1)]
        if not (indent_shows_the_next and draw(st.booleans())):
            widths[-1] = draw(st.integers(1, full - (6 if count == 1 else 4)))
        starts.append(len(texts))
        for position, width in enumerate(widths):
            last = position == count - 1
            texts.append(_line(draw, width, "。" if last else draw(st.sampled_from("，。、的；"))))
    return float(full), _lines(*texts), starts


@settings(max_examples=400, deadline=None)
@given(_typeset())
@pytest.mark.slow
def test_the_rule_recovers_every_paragraph_of_a_typeset_text(
    typeset: tuple[float, list[PhysicalLine], list[int]],
) -> None:
    full, lines, starts = typeset
    assert paragraph_lines(lines, full) == tuple(starts)
    # No line holds a space, so a line's offset in the join is the length of the lines before it.
    texts = [line.text for line in lines]
    assert paragraph_starts(lines, full) == tuple(len("".join(texts[:index])) for index in starts)


def test_an_indented_line_starts_a_paragraph_after_a_full_line_that_ends_a_sentence() -> None:
    full_line, first_line = "一" * 25 + "。", "二" * 24
    assert paragraph_lines(_lines(full_line, first_line, "三" * 26, "四。"), 26) == (0, 1)
    # the same full line followed by a full one, or by a short last line, is one paragraph
    assert paragraph_lines(_lines(full_line, "二" * 26, "四。"), 26) == (0,)
    assert paragraph_lines(_lines(full_line, "四。"), 26) == (0,)


def test_a_line_that_does_not_end_a_sentence_never_ends_a_paragraph() -> None:
    assert not ends_sentence("一是优化流程，")
    assert ends_sentence("便利度。") and ends_sentence("“零跑腿”。”") and ends_sentence("具体如下：")
    assert paragraph_lines(_lines("一" * 10 + "，", "二" * 24 + "。"), 26) == (0,)


def test_a_sections_paragraphs_are_offsets_into_its_body_after_the_heading() -> None:
    # The heading fills its line; the body's first line is indented, its second ends early.
    heading = "（一）" + "题" * 22 + "。"
    lines = _lines(heading, "甲" * 23 + "。", "乙" * 10 + "。", "丙" * 24, "丁。")
    assert paragraph_lines(lines, 26) == (0, 1, 3)
    assert paragraph_starts(lines, 26, skip=len(heading)) == (0, 24 + 11)


# --- the bundled casebook, as a reader sees it --------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "where", "position", "first_lines"),
    [
        (6, Where.PRACTICE, 1, (554, 564)),
        (7, Where.PRACTICE, 1, (641, 657, 667, 680)),
        (16, Where.PRACTICE, 1, (1696, 1704, 1718)),
        (16, Where.PRACTICE, 2, (1731, 1743, 1753)),
    ],
)
def test_paragraphs_start_where_the_casebook_starts_them(
    data: Dataset, source_lines: list[str], number: int, where: Where, position: int, first_lines: tuple[int, ...]
) -> None:
    # The first lines were read off the source: each is short of a full line by the lost indent.
    part = _part(data.cases[number - 1], where, position)
    assert len(part.paragraphs_zh) == len(first_lines)
    for paragraph, line_number in zip(part.paragraphs_zh, first_lines):
        assert paragraph.startswith(normalize_text(source_lines[line_number - 1]))


def test_case_7_keeps_its_last_sentences_in_one_paragraph(data: Dataset) -> None:
    # 通过改革创新… (line 684) follows a sentence ending at a line's end, but its line is full.
    last = data.cases[6].practices[0].paragraphs_zh[-1]
    assert last.startswith("该举措适用范围为") and "通过改革创新，大幅减少了船舶报告频次" in last


@pytest.mark.parametrize(
    ("number", "where", "position", "line_number"), [(3, Where.PRACTICE, 3, 225), (14, Where.OUTCOME, 3, 1532)]
)
def test_a_line_of_25_cells_after_a_full_sentence_end_continues_the_paragraph(
    data: Dataset, source_lines: list[str], number: int, where: Where, position: int, line_number: int
) -> None:
    # The rule's one judgement call: 25 cells is halfway between full (26) and indented (24). Of the 32
    # lines of 25 cells in batch 5 whose role is certain (after a heading, or after a line that runs
    # on), 25 run on and 7 open a paragraph. These two (三是卡口核放…, 例如…) are read as running on.
    line = source_lines[line_number - 1].strip()
    assert line_width(line) == 25 and ends_sentence(source_lines[line_number - 3].strip())
    part = _part(data.cases[number - 1], where, position)
    assert len(part.paragraphs_zh) == 1 and normalize_text(line) in part.text_zh


def test_every_part_of_every_case_splits_into_paragraphs_in_both_languages(data: Dataset) -> None:
    parts = [part for case in data.cases for part in case.parts()]
    for part in parts:
        assert part.paragraph_starts_zh[0] == 0
        assert "".join(part.paragraphs_zh) == part.text_zh
        assert " ".join(part.paragraphs_en) == part.text_en
        assert len(part.paragraphs_en) == len(part.paragraphs_zh)
        assert all(ends_sentence(part.text_zh[:start]) for start in part.paragraph_starts_zh[1:])
    assert sum(len(part.paragraphs_zh) > 1 for part in parts) >= 4


def test_every_figure_and_its_sentence_sit_in_one_paragraph(data: Dataset) -> None:
    for case in data.cases:
        parts = {part.key: part for part in case.parts()}
        for metric in case.metrics:
            part = parts[metric.where, metric.section]
            number = part.paragraph_at(metric.start)
            assert number == part.paragraph_at(metric.end - 1), metric.id
            assert metric.sentence in part.paragraphs_zh[number - 1], metric.id


def test_a_casebook_set_with_indents_imports_with_its_paragraphs() -> None:
    full = "通" * 20
    text = casebook(
        " 1.跨境数据服务新模式",
        "中国（江苏）自由贸易试验区提供",
        "江苏自贸试验区苏州片区推出跨境数据服务。",
        "一、主要做法",
        "（一）建立数据目录。",
        "梳" * 18,  # a first line, indented
        full,
        "理数据清单。",  # ends early
        "明" * 18,  # the next paragraph's first line
        full,
        "确分类标准。",
        "二、实践效果",
        "企业获得感明显增强。",
    )
    (case,) = ftz_reforms.import_casebook(text, batch=91).data.cases
    section = case.practices[0]
    assert section.paragraphs_zh == ("梳" * 18 + full + "理数据清单。", "明" * 18 + full + "确分类标准。")
    assert section.paragraph_starts_en == () and section.paragraphs_en == ()


# --- the record --------------------------------------------------------------------------------------


def test_a_section_holds_its_paragraphs_as_offsets() -> None:
    section = Section(
        ordinal=1,
        heading_zh="标题。",
        text_zh="一段。二段。",
        paragraph_starts_zh=(0, 3),
        text_en="One. Two.",
        paragraph_starts_en=(0, 5),
    )
    assert section.paragraphs_zh == ("一段。", "二段。") and section.paragraphs_en == ("One.", "Two.")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"paragraph_starts_zh": (3,)}, "paragraph_starts_zh must start with 0"),
        ({"paragraph_starts_zh": (0, 3, 3)}, "paragraph_starts_zh must increase"),
        ({"paragraph_starts_zh": (0, 6)}, r"stay inside the text \(6 characters\)"),
        ({"paragraph_starts_zh": ()}, "at least 1 item"),
        ({"paragraph_starts_en": (0,)}, "paragraph_starts_en must be empty when there is no text_en"),
        ({"text_en": "One. Two.", "paragraph_starts_en": (0,)}, "has 1 start for the 2 paragraphs"),
        ({"text_en": "One. Two.", "paragraph_starts_en": (0, 4)}, "just after the one space that joins it"),
    ],
)
def test_paragraph_starts_that_do_not_fit_the_text_are_refused(fields: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "ordinal": None,
        "heading_zh": None,
        "text_zh": "一段。二段。",
        "paragraph_starts_zh": (0, 3),
    }
    with pytest.raises(ValidationError, match=message):
        Section.model_validate({**values, **fields})


def test_summary_paragraphs_are_checked_like_a_sections(data: Dataset) -> None:
    case = data.cases[0].model_dump()
    case["summary_paragraph_starts_zh"] = (0, len(case["summary_zh"]))
    with pytest.raises(ValidationError, match="summary_paragraph_starts_zh must increase and stay inside the text"):
        Case.model_validate(case)


# --- the English overlays ------------------------------------------------------------------------------


def test_english_paragraphs_are_separated_by_blank_lines_in_the_overlay(repo: Path) -> None:
    text = (repo / "sources" / "batch5" / "english" / "b5-07.toml").read_text(encoding="utf-8")
    practice = text[text.index("[[practice]]") : text.index("[[outcome]]")]
    assert practice.count("\n\n") == 3 + 1  # three breaks inside the text, and the blank line after it


def test_an_overlay_whose_english_lacks_a_paragraph_is_refused(repo: Path, tmp_path: Path, data: Dataset) -> None:
    directory = tmp_path / "english"
    directory.mkdir()
    source = (repo / "sources" / "batch5" / "english" / "b5-07.toml").read_text(encoding="utf-8")
    start, end = source.index("[[practice]]"), source.index("[[outcome]]")
    joined = source[:start] + source[start:end].rstrip().replace("\n\n", "\n") + "\n\n" + source[end:]
    (directory / "b5-07.toml").write_text(joined, encoding="utf-8")
    overlay = load_editorial(directory, 5)[7]
    with pytest.raises(
        OverlayError, match=r"b5-07\.toml: \[\[practice\]\] #1 has 1 English paragraph for the 4 of the Chinese"
    ):
        apply_editorial(data.cases[6], overlay, str(directory / "b5-07.toml"))


def test_a_summary_with_a_paragraph_too_many_is_refused(repo: Path, tmp_path: Path, data: Dataset) -> None:
    directory = tmp_path / "english"
    directory.mkdir()
    source = (repo / "sources" / "batch5" / "english" / "b5-01.toml").read_text(encoding="utf-8")
    split = source.replace("summary_en = '''\n", "summary_en = '''\nAn extra paragraph.\n\n", 1)
    (directory / "b5-01.toml").write_text(split, encoding="utf-8")
    overlay = load_editorial(directory, 5)[1]
    with pytest.raises(OverlayError, match="summary_en has 2 English paragraphs for the 1 of the Chinese"):
        apply_editorial(data.cases[0], overlay, str(directory / "b5-01.toml"))


# --- where users meet them --------------------------------------------------------------------------------


def _shown_paragraphs(lines: list[str], separator: str) -> list[str]:
    """The runs of non-blank lines, each joined back (the rendering's indent and wrapping undone)."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return [separator.join(block) for block in blocks if block]


@pytest.mark.parametrize(
    ("lang", "opening", "closing", "separator"),
    [("zh", "一、主要做法", "二、实践效果", ""), ("en", "I. Main practices", "II. Outcomes", " ")],
)
def test_show_prints_each_paragraph_apart(
    capsys: pytest.CaptureFixture[str], data: Dataset, lang: str, opening: str, closing: str, separator: str
) -> None:
    assert main(["show", "7", "--lang", lang]) == 0
    out = capsys.readouterr().out.splitlines()
    practices = out[out.index(opening) + 1 : out.index(closing)]
    block = data.cases[6].practices[0]
    assert _shown_paragraphs(practices, separator) == list(block.paragraphs_zh if lang == "zh" else block.paragraphs_en)


def test_the_paragraphs_table_holds_every_paragraph_at_its_offsets(data: Dataset) -> None:
    rows = to_records("paragraphs")
    cases = {case.id: case for case in data.cases}
    for row in rows:
        part = _part(cases[row["case_id"]], Where(row["part"]), row["position"])
        assert part.text_zh[row["start_zh"] : row["end_zh"]] == row["text_zh"]
        assert part.text_en is not None and part.text_en[row["start_en"] : row["end_en"]] == row["text_en"]
        assert row["ordinal"] == part.ordinal
    assert len(rows) == sum(len(part.paragraphs_zh) for case in data.cases for part in case.parts())


def test_a_metric_row_names_the_paragraph_that_holds_its_span() -> None:
    paragraphs = {
        (row["case_id"], row["part"], row["ordinal"], row["paragraph"]): row for row in to_records("paragraphs")
    }
    metrics = to_records("metrics")
    for metric in metrics:
        paragraph = paragraphs[metric["case_id"], metric["where"], metric["section"], metric["paragraph"]]
        assert paragraph["start_zh"] <= metric["start"] < metric["end"] <= paragraph["end_zh"], metric["metric_id"]
        assert metric["span"] in paragraph["text_zh"]


def test_paragraph_at_names_the_paragraph_holding_an_offset(data: Dataset) -> None:
    block = _part(data.cases[6], Where.PRACTICE, 1)
    second = block.paragraph_starts_zh[1]
    assert [block.paragraph_at(offset) for offset in (0, second - 1, second, len(block.text_zh) - 1)] == [1, 1, 2, 4]


def test_a_case_file_of_schema_2_0_without_paragraphs_still_validates(data: Dataset) -> None:
    # Schema 2.1 only added fields: an older file, which has none of them, reads as one paragraph a part.
    document = data.cases[6].model_dump(mode="json")
    document.pop("summary_paragraph_starts_zh")
    document.pop("summary_paragraph_starts_en")
    for section in (*document["practices"], *document["outcomes"]):
        section.pop("paragraph_starts_zh")
        section.pop("paragraph_starts_en")
    case = Case.model_validate(document)
    for part in case.parts():
        assert part.paragraphs_zh == (part.text_zh,) and part.paragraphs_en == (part.text_en,)
