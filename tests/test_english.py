"""English: complete, free of Chinese, in the glossary's terminology, keeping every figure; overlays guarded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from ftz_reforms.bundling.editorial import apply_editorial, load_editorial
from ftz_reforms.bundling.glossary import load_glossary, problems
from ftz_reforms.bundling.overlays import OverlayError
from ftz_reforms.cli.app import main
from ftz_reforms.model.records import Case, Dataset

ENGLISH_DIR = Path("sources/batch5/english")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_PARENTHESES = re.compile(r"\([^()]*\)")
# An Arabic number, and the scale that follows it (after a range's other end, or 余/多): 万, 亿, or a date's 月/日.
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)(?=\s*(?:[—\-~至到]\s*\d+(?:\.\d+)?)?\s*[余多]?\s*(万|亿|月|日|号)?)")


def text_pairs(case: Case) -> Iterator[tuple[str, str, str | None]]:
    """(what, Chinese, English) for every translated text of the case."""
    yield "title", case.title_zh, case.title_en
    yield "summary", case.summary_zh, case.summary_en
    for part, sections in (("practice", case.practices), ("outcome", case.outcomes)):
        for position, section in enumerate(sections, start=1):
            if section.heading_zh is not None:
                yield f"{part} {position} heading", section.heading_zh, section.heading_en
            yield f"{part} {position} text", section.text_zh, section.text_en


def english_texts(case: Case) -> Iterator[tuple[str, str | None]]:
    for what, _, english in text_pairs(case):
        yield what, english
    for metric in case.metrics:
        yield metric.id, metric.description_en


def renderings(number: str, scale: str | None) -> set[str]:
    """How the style rules let an Arabic number of the Chinese appear in English."""
    value = Decimal(number) * {"万": Decimal(10_000), "亿": Decimal(100_000_000)}.get(scale or "", Decimal(1))
    found = {number}
    if value == value.to_integral():
        found |= {f"{int(value):,}", str(int(value))}
    for divisor, word in ((Decimal(10**3), "thousand"), (Decimal(10**6), "million"), (Decimal(10**9), "billion")):
        found.add(f"{format((value / divisor).normalize(), 'f')} {word}")
    return found


def test_every_text_is_translated(data: Dataset) -> None:
    for case in data.cases:
        for what, _, english in text_pairs(case):
            assert english, f"{case.id} {what}"
        for section in (*case.practices, *case.outcomes):
            assert (section.heading_en is None) == (section.heading_zh is None)
        for metric in case.metrics:
            assert metric.description_en, metric.id


def test_english_has_no_chinese_except_a_name_in_parentheses(data: Dataset) -> None:
    for case in data.cases:
        for what, english in english_texts(case):
            outside = _PARENTHESES.sub("", english or "")
            assert not _CJK.search(outside), f"{case.id} {what}: {_CJK.findall(outside)}"
            assert outside.isascii(), f"{case.id} {what}: {[c for c in outside if not c.isascii()]}"
            for inside in _PARENTHESES.findall(english or ""):
                if _CJK.search(inside):
                    assert inside[1:-1].strip() and not any(c in inside for c in "，。；："), f"{case.id} {what}"


def test_names_in_parentheses_follow_their_english(data: Dataset) -> None:
    # "Qinchuangyuan (秦创原)": the Chinese only ever glosses a name already given in English.
    for case in data.cases:
        for what, english in english_texts(case):
            for match in re.finditer(r"\(([^()]*)\)", english or ""):
                if _CJK.search(match.group(1)):
                    assert re.search(r"[A-Za-z]\"? $", english[: match.start()]), f"{case.id} {what}"


def test_the_glossary_holds_in_every_text(repo: Path, data: Dataset) -> None:
    glossary = load_glossary(repo)
    failures = []
    for case in data.cases:
        for what, chinese, english in text_pairs(case):
            failures += [f"{case.id} {what}: {problem}" for problem in problems(glossary, english or "", chinese)]
        for metric in case.metrics:
            failures += [f"{metric.id}: {p}" for p in problems(glossary, metric.description_en or "", None)]
    assert failures == []


def test_the_glossary_check_catches_both_kinds_of_break(repo: Path) -> None:
    glossary = load_glossary(repo)
    missing = list(problems(glossary, "goods enter the integrated area", "货物进入综合保税区"))
    assert [str(problem) for problem in missing] == ["综合保税区 must be rendered 'comprehensive bonded zone'"]
    avoided = list(problems(glossary, "the comprehensive bonded area", None))
    assert [problem.found for problem in avoided] == ["comprehensive bonded area"]


def test_the_glossary_is_consistent(repo: Path, source_text: str) -> None:
    glossary = load_glossary(repo)
    chinese = [term.zh for term in glossary.term]
    assert len(chinese) == len(set(chinese)), "each term once"
    flat_source = re.sub(r"\s+", "", source_text)
    for term in glossary.term:
        assert any(form in flat_source for form in term.chinese_forms), f"{term.zh} is not in the casebook"
        for avoided in term.avoid:
            assert not any(avoided.lower() in form.lower() for form in term.english_forms), term.zh


# Words ending in -ing that may open a heading because there they are nouns, not gerunds, each with its reason.
HEADING_ING_WORDS = {
    "Factoring": "a noun, the trade: 'Factoring business scenarios have been fully expanded' (b5-21)",
    "Shipping": "a noun, the trade: 'Shipping enterprises are more concentrated' (b5-15)",
}


def test_headings_are_imperatives_never_gerunds(repo: Path, data: Dataset) -> None:
    # The glossary's [style] headings rule: "Build a platform", never "Building a platform".
    assert "imperative" in load_glossary(repo).style["headings"]
    first_words = []
    for case in data.cases:
        for section in (*case.practices, *case.outcomes):
            if section.heading_en is None:
                continue
            first = re.match(r"[A-Za-z][A-Za-z'-]*", section.heading_en.lstrip('"'))
            assert first is not None, f"{case.id}: {section.heading_en}"
            word = first.group(0)
            first_words.append(word)
            assert word[0].isupper(), f"{case.id}: {section.heading_en}"
            # A gerund: -ing after a stem with a vowel (Building, Achieving; not Bring).
            gerund = re.fullmatch(r"[a-z'-]*[aeiouy][a-z'-]*ing", word.lower()) is not None
            assert not gerund or word in HEADING_ING_WORDS, f"{case.id}: {section.heading_en}"
    assert set(HEADING_ING_WORDS) <= set(first_words), "every allowed word is still needed"


def test_every_figure_is_kept_in_the_english(data: Dataset) -> None:
    missing = []
    for case in data.cases:
        for what, chinese, english in text_pairs(case):
            for match in _NUMBER.finditer(chinese):
                number, scale = match.group(1), match.group(2)
                if scale in {"月", "日", "号"}:  # a date's month or day, written as a word in English
                    continue
                if not any(form in (english or "") for form in renderings(number, scale)):
                    missing.append(f"{case.id} {what}: {match.group(0)}")
    assert missing == []


def test_renderings_follow_the_style_rules() -> None:
    assert "CNY 50 million"[4:] in renderings("5000", "万")
    assert {"20,000", "20000"} <= renderings("2", "万")
    assert "207 million" in renderings("2.07", "亿")
    assert "95.09" in renderings("95.09", None)


def test_show_reads_fully_in_english(capsys: pytest.CaptureFixture[str], data: Dataset) -> None:
    assert main(["show", "5", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    case = data.cases[4]
    assert not _CJK.search(out)
    flat = " ".join(out.split())
    for what, _, english in text_pairs(case):
        assert " ".join((english or "").split()) in flat, what
    for zone in case.providers:
        assert zone.name_en in flat


def test_list_in_english(capsys: pytest.CaptureFixture[str], data: Dataset) -> None:
    assert main(["list", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert not _CJK.search(out)
    assert all(case.title_en and case.title_en in out for case in data.cases)


def _copy_english(repo: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "english"
    directory.mkdir()
    for path in (repo / ENGLISH_DIR).glob("*.toml"):
        (directory / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return directory


def test_an_overlay_on_a_changed_heading_is_refused(repo: Path, tmp_path: Path, data: Dataset) -> None:
    directory = _copy_english(repo, tmp_path)
    path = directory / "b5-17.toml"
    heading = data.cases[16].practices[0].heading_zh
    assert heading is not None
    path.write_text(path.read_text(encoding="utf-8").replace(heading, "另一个标题", 1), encoding="utf-8")
    overlay = load_editorial(directory, 5)[17]
    with pytest.raises(OverlayError, match=r"b5-17\.toml: \[\[practice\]\] #1 has heading_zh '另一个标题'"):
        apply_editorial(data.cases[16], overlay, str(path))


def test_an_overlay_with_a_missing_section_is_refused(repo: Path, tmp_path: Path, data: Dataset) -> None:
    directory = _copy_english(repo, tmp_path)
    path = directory / "b5-07.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("[[outcome]]")], encoding="utf-8")
    overlay = load_editorial(directory, 5)[7]
    with pytest.raises(OverlayError, match="0 \\[\\[outcome\\]\\] tables for the case's 1 outcome sections"):
        apply_editorial(data.cases[6], overlay, str(path))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda text: text.replace('name = "shipping_logistics"', 'name = "astrology"', 1), "$.category[0].name"),
        (lambda text: text.replace("title_en = ", "title = ", 1), "title_en: Field required"),
        (lambda text: text + '\n[[category]]\nname = "shipping_logistics"\nreason = "again"\n', "more than once"),
        (lambda text: text.replace("title_en = '", "title_en = '''", 1), "not valid TOML"),
    ],
)
def test_malformed_overlays_name_file_and_field(repo: Path, tmp_path: Path, edit: object, message: str) -> None:
    directory = _copy_english(repo, tmp_path)
    path = directory / "b5-07.toml"
    text = path.read_text(encoding="utf-8")
    assert 'name = "shipping_logistics"' in text
    path.write_text(edit(text), encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(OverlayError, match=re.escape(str(path)) + ".*" + re.escape(message)):
        load_editorial(directory, 5)


def test_wrapped_lines_are_joined_with_single_spaces(repo: Path, data: Dataset) -> None:
    raw = (repo / ENGLISH_DIR / "b5-07.toml").read_text(encoding="utf-8")
    assert "text_en = '''\n" in raw, "the overlays wrap long text"
    for case in data.cases:
        for _, english in english_texts(case):
            assert english == " ".join((english or "").split())
