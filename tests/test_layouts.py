"""Every text layout of the same casebook imports to the same cases: the seed's own layout, plain
``pdftotext`` (no blank lines, form feeds between pages), ``pdftotext -layout`` (indents, centred page
numbers), LF, CRLF or CR line ends, a byte-order mark, every line indented, full-width case numbers. A
hypothesis test re-lays the seed and requires identical text, paragraphs and pages."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ftz_reforms
from ftz_reforms.casebook import parse_casebook
from ftz_reforms.errors import CasebookError
from ftz_reforms.text.normalize import physical_lines

_LINE_ENDS = ("\n", "\r\n", "\r")


def _layout_free(cases: Any) -> list[dict[str, Any]]:
    """The cases as data, less the source line numbers (which blank lines and line ends move)."""
    return [case.model_dump(exclude={"source": {"line_start", "line_end"}}) for case in cases]


@pytest.fixture(scope="module")
def seed_items(source_text: str) -> list[tuple[str, str, int]]:
    """The seed's lines as (kind, text, page): kind is "text" or "page number" (what the parser drops)."""
    kept = {line.number: line for line in physical_lines(source_text, 5)}
    items = []
    page = 5
    for number, raw in enumerate(source_text.splitlines(), start=1):
        if not raw.strip():
            continue
        if number in kept:
            page = kept[number].page
            items.append(("text", raw.strip(), page))
        else:
            items.append(("page number", raw.strip(), page))
    return items


@pytest.fixture(scope="module")
def expected(source_text: str) -> list[dict[str, Any]]:
    return _layout_free(parse_casebook(source_text, batch=5, first_page=5))


def _relaid(items: list[tuple[str, str, int]], style: str, chance: random.Random) -> list[str]:
    """The seed's lines laid out as ``pdftotext`` (plain) or ``pdftotext -layout`` would print them."""
    lines: list[str] = []
    page = items[0][2]
    for kind, text, at in items:
        if kind == "page number":
            lines.append(" " * (chance.randint(20, 40) if style == "layout" else 0) + text)
            continue
        indent = " " * chance.randint(0, 8) if style == "layout" else ""
        lines.append(("\f" if at > page else "") + indent + text)
        page = at
        if chance.randint(0, 9) == 0:
            lines.append("")  # a blank line here and there, as extractors leave them
    return lines


@st.composite
def _layouts(draw: st.DrawFn, items: list[tuple[str, str, int]], seed: str) -> tuple[str, str]:
    style = draw(st.sampled_from(["seed", "plain", "layout", "indented"]))
    if style == "seed":
        lines = seed.splitlines()
    elif style == "indented":
        indent = " " * draw(st.integers(1, 8))
        lines = [indent + line if line.strip() else line for line in seed.splitlines()]
    else:
        # One seeded generator for the indents and blank lines of some 1,400 lines: Hypothesis draws it (and
        # replays it) once, rather than a value of its own for each line.
        lines = _relaid(items, style, draw(st.randoms(use_true_random=True)))
    text = draw(st.sampled_from(_LINE_ENDS)).join(lines) + "\n"
    if draw(st.booleans()):
        text = "\ufeff" + text
    return style, text


def test_the_seed_has_pages_and_printed_numbers_to_relay(seed_items: list[tuple[str, str, int]]) -> None:
    """What the re-laid layouts must carry over: the seed's page breaks and its four printed page numbers."""
    pages = {at for kind, _, at in seed_items if kind == "text"}
    assert len(pages) > 20 and sum(kind == "page number" for kind, _, _ in seed_items) == 4


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_every_layout_of_the_seed_imports_to_the_same_cases(
    data: st.DataObject, seed_items: list[tuple[str, str, int]], source_text: str, expected: list[dict[str, Any]]
) -> None:
    style, text = data.draw(_layouts(seed_items, source_text), label="layout")
    assert _layout_free(parse_casebook(text, batch=5, first_page=5)) == expected, style


def test_pdftotext_layout_never_glues_a_page_number_to_the_text(
    seed_items: list[tuple[str, str, int]], expected: list[dict[str, Any]]
) -> None:
    lines = []
    page = seed_items[0][2]
    for kind, text, at in seed_items:
        if kind == "page number":
            lines.append(" " * 30 + text)
        else:
            lines.append(("\f" if at > page else "") + "    " + text)
            page = at
    cases = parse_casebook("\n".join(lines), batch=5)  # the first page found from the printed numbers
    assert _layout_free(cases) == expected
    assert all(not part.text_zh.rstrip("。").endswith(("20", "53", "62", "69")) for c in cases for part in c.parts())


def test_full_width_case_numbers_read_as_the_numbers_they_are(source_text: str, expected: list[dict[str, Any]]) -> None:
    full_width = str.maketrans("0123456789.", "０１２３４５６７８９．")
    lines = source_text.splitlines()
    for index, line in enumerate(lines):
        head, dot, title = line.lstrip().partition(".")
        if dot and head.isdigit() and line.startswith(" ") and int(head) <= 23:
            lines[index] = " " + head.translate(full_width) + "．" + title
    cases = parse_casebook("\n".join(lines), batch=5, first_page=5)
    assert [case.id for case in cases] == [f"b5-{n:02d}" for n in range(1, 24)]
    assert _layout_free(cases) == expected, "the title is the text after the number, unchanged"


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f"])
def test_a_control_character_is_refused_with_its_line(source_text: str, character: str) -> None:
    lines = source_text.splitlines()
    lines[40] = lines[40][:3] + character + lines[40][3:]
    with pytest.raises(CasebookError, match=rf"^line 41: a control character \(U\+{ord(character):04X}\)"):
        ftz_reforms.import_casebook("\n".join(lines), batch=5)
