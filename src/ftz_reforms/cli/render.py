"""Plain-text rendering for terminals: display widths of CJK text, aligned tables, wrapped paragraphs.

No control character of the data reaches a terminal: the records refuse them, and, should one get through
(a record made without validation), every line built here shows it as an escape (ESC as ``\\x1b``)."""

from __future__ import annotations

import itertools
import re
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from ftz_reforms.cli.columns import cut, display_width
from ftz_reforms.model.bounds import escape_control_characters
from ftz_reforms.model.vocab import Direction, Unit, Where
from ftz_reforms.text.chars import CLOSING_MARKS, SENTENCE_END
from ftz_reforms.text.effects import clause_stretch
from ftz_reforms.text.english import figure_en, qualifier_en, signed_percent

if TYPE_CHECKING:
    from ftz_reforms.model.records import Case, Effect, Metric, Section

__all__ = ["case_lines", "display_width", "effect_clause", "effect_line", "table", "visible", "wrap"]


def visible(text: str) -> str:
    """``text`` as a terminal may show it: each control character written as an escape (ESC as ``\\x1b``)."""
    return escape_control_characters(text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


_GAP = 2
"""Columns between two columns of a table."""
_NARROWEST = 6
"""The fewest columns a cut cell keeps (five characters and the ellipsis)."""


def _fitted_widths(widths: list[int], floors: list[int], room: int, ranks: Sequence[int]) -> list[int] | None:
    """Column widths that fit ``room`` (gaps included): the column of least rank is cut first (the widest of
    equal rank), each down to its floor; None when even the floors do not fit."""
    widths = list(widths)
    excess = sum(widths) + _GAP * (len(widths) - 1) - room
    while excess > 0:
        cuttable = [index for index, width in enumerate(widths) if width > floors[index]]
        if not cuttable:
            return None
        chosen = min(cuttable, key=lambda index: (ranks[index], -widths[index], -index))
        widths[chosen] -= 1
        excess -= 1
    return widths


_COMFORTABLE = 18
"""The columns a text column keeps before a column of less priority is left out instead."""


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int | None = None,
    priorities: Sequence[int] | None = None,
) -> list[str]:
    """Rows aligned in columns by display width (a CJK character takes two), control characters escaped.

    With a ``width`` (a terminal's), every line fits it, and a row is never wrapped: the widest columns are cut
    first (each cell with an ellipsis) down to ``_COMFORTABLE`` columns; then the column of least priority
    (``priorities``, higher kept longer; by default the rightmost goes first) is left out, and so on while more
    than the two of highest priority remain; at last those are cut down to ``_NARROWEST``. No ``width``: every
    cell whole.
    """
    headers = [visible(header) for header in headers]
    rows = [[visible(cell) for cell in row] for row in rows]
    shown, widths = _layout(headers, _natural_widths(headers, rows), width, priorities)
    return [_table_line([row[index] for index in shown], widths, width is not None) for row in [headers, *rows]]


def _natural_widths(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Each column's width with every cell whole (as ``zip`` pairs them: a short row shortens the list)."""
    widths = [display_width(header) for header in headers]
    for row in rows:
        widths = [max(width, display_width(cell)) for width, cell in zip(widths, row)]
    return widths


def _layout(
    headers: list[str], natural: list[int], width: int | None, priorities: Sequence[int] | None
) -> tuple[list[int], list[int]]:
    """The columns shown (indexes, in order) and their widths: every column whole without a ``width``."""
    if width is None:
        return list(range(len(headers))), natural
    ranks = list(priorities) if priorities is not None else [-index for index in range(len(headers))]
    return _fit(headers, natural, ranks, width)


def _table_line(cells: list[str], widths: list[int], cut_last: bool) -> str:
    """One row of a table, each cell cut to its column and padded; the last cut only when a width is kept."""
    padded = [_pad(cut(cell, width), width) for cell, width in zip(cells[:-1], widths)]
    last = cut(cells[-1], widths[-1]) if cut_last else cells[-1]
    return "  ".join([*padded, last]).rstrip()


def _fit(headers: list[str], natural: list[int], ranks: list[int], width: int) -> tuple[list[int], list[int]]:
    """The columns shown (indexes, in order) and their widths, fitting ``width`` as ``table`` describes."""
    shown = list(range(len(headers)))
    fitted = _cut_to(_COMFORTABLE, shown, headers, natural, ranks, width)
    while fitted is None and len(shown) > 2:
        shown.remove(min(shown, key=lambda index: (ranks[index], -index)))
        fitted = _cut_to(_COMFORTABLE, shown, headers, natural, ranks, width)
    if fitted is not None:
        return shown, fitted
    # The two columns kept longest do not fit comfortably: cut down to the narrowest, past the width if need be.
    narrowest = _cut_to(_NARROWEST, shown, headers, natural, ranks, width)
    return shown, narrowest if narrowest is not None else _floors(_NARROWEST, shown, headers, natural)


def _floors(floor: int, shown: list[int], headers: list[str], natural: list[int]) -> list[int]:
    """How far each shown column may be cut: to ``floor`` columns or its header's width, never wider than it is."""
    return [min(natural[index], max(display_width(headers[index]), floor)) for index in shown]


def _cut_to(
    floor: int, shown: list[int], headers: list[str], natural: list[int], ranks: list[int], width: int
) -> list[int] | None:
    """The widths of the ``shown`` columns fitting ``width``, none cut below its floor (``_floors``); None when
    even the floors do not fit."""
    return _fitted_widths(
        [natural[index] for index in shown],
        _floors(floor, shown, headers, natural),
        width,
        [ranks[index] for index in shown],
    )


def fit_lines(lines: Iterable[str], width: int | None) -> list[str]:
    """Lines of text wrapped to ``width`` (a line too long continues on the next, indented as it was)."""
    if width is None:
        return list(lines)
    fitted = []
    for line in lines:
        if display_width(line) <= width:
            fitted.append(line)
            continue
        indent = " " * min(len(line) - len(line.lstrip(" ")), width // 2)
        fitted += list(wrap(line.strip(), width, indent)) or [line]
    return fitted


# Chinese typesetting never begins a line with closing punctuation: such a mark hangs at the end of the
# line before instead, one column or two past the width.
_NO_LINE_START = frozenset(f"{SENTENCE_END}{CLOSING_MARKS}，、；：…")


def wrap(text: str, width: int, indent: str = "") -> Iterator[str]:
    """Break text into lines of ``width`` columns: CJK text between any characters, a Latin word never inside
    it (unless it is wider than a line).

    A closing punctuation mark that would begin a line hangs at the end of the one before; a control
    character is shown as its escape.
    """
    text = visible(text)
    line = _Line(width, indent)
    for piece in _LATIN_WORD.findall(text):
        whole = len(piece) > 1 and display_width(piece) <= width - display_width(indent)
        yield from (_word_onto(line, piece) if whole else _characters_onto(line, piece))
    if line.text.strip():
        yield line.text


class _Line:
    """The line ``wrap`` is filling: its text so far and the columns it takes."""

    def __init__(self, width: int, indent: str) -> None:
        self.width = width
        self.indent = indent
        self.text = indent
        self.used = display_width(indent)

    def overflows_with(self, piece: str) -> bool:
        """Whether ``piece`` would run past the width of this line, which holds something already."""
        return self.used + display_width(piece) > self.width and bool(self.text.strip())

    def add(self, piece: str) -> None:
        self.text += piece
        self.used += display_width(piece)

    def finish(self) -> str:
        """The line done (its trailing spaces dropped); the next begins at the indent."""
        done = self.text.rstrip()
        self.text, self.used = self.indent, display_width(self.indent)
        return done


def _word_onto(line: _Line, word: str) -> Iterator[str]:
    """A Latin word whole: on the next line, its leading space dropped, when it does not fit on this one."""
    if line.overflows_with(word):
        yield line.finish()
        word = word.lstrip()
    line.add(word)


def _characters_onto(line: _Line, piece: str) -> Iterator[str]:
    """A piece character by character, a line done before each that does not fit unless it must hang."""
    for char in piece:
        if line.overflows_with(char) and char not in _NO_LINE_START:
            yield line.finish()
        line.add(char)


_LATIN_WORD = re.compile(r" ?[A-Za-z0-9][A-Za-z0-9.,:;'’\-/()%]*|.", re.S)
"""What ``wrap`` keeps on one line: a Latin word or number with its leading space; anything else is a character."""


def _section_lines(section: Section, width: int) -> Iterator[str]:
    from ftz_reforms.text.markers import marker_numeral  # only the Chinese rendering needs it

    if section.ordinal is not None and section.heading_zh is not None:
        yield from wrap(f"（{marker_numeral(section.ordinal)}）{section.heading_zh}", width, "  ")
    yield from _body_lines(section.text_zh, section.paragraph_starts_zh, section.points, width)


def _body_lines(
    text: str, paragraph_starts: Sequence[int], points: Sequence[str], width: int, indent: str = "    "
) -> Iterator[str]:
    """A text paragraph by paragraph (a blank line between two), each point a bullet of its own."""
    point_spans = _point_spans(text, points)
    point_starts = {start for start, _ in point_spans}
    cuts = sorted({0, len(text), *paragraph_starts, *(offset for span in point_spans for offset in span)})
    for start, end in itertools.pairwise(cuts):
        if start in paragraph_starts and start > 0:
            yield ""
        if start in point_starts:
            yield from _bullet_lines(text[start:end], width)
        else:  # text around the points, or the rest of a point that runs on into the next paragraph
            yield from wrap(text[start:end], width, indent)


def _point_spans(text: str, points: Sequence[str]) -> list[tuple[int, int]]:
    """Where each point is in ``text`` (start, end), each found after the one before."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for point in points:
        start = text.find(point, cursor)
        if start < 0:  # the records refuse a point that is not in its text; shown as text, never a crash
            continue
        cursor = start + len(point)
        spans.append((start, cursor))
    return spans


def _bullet_lines(point: str, width: int) -> Iterator[str]:
    """A point as a bullet, its further lines under its text."""
    wrapped = list(wrap(point, width - 2, "    "))
    yield "  • " + wrapped[0].lstrip()
    yield from ("  " + line for line in wrapped[1:])


def _english_paragraphs(paragraphs: Sequence[str], width: int, indent: str) -> Iterator[str]:
    for number, paragraph in enumerate(paragraphs):
        if number:
            yield ""
        yield from textwrap.wrap(
            paragraph, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
        )


def _english_section_lines(section: Section, width: int) -> Iterator[str]:
    if section.heading_en is not None:
        marker = f"({section.ordinal}) " if section.ordinal is not None else ""
        yield from textwrap.wrap(
            marker + section.heading_en, width, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False
        )
    yield from _english_paragraphs(section.paragraphs_en, width, "    ")


def _english_case_text(case: Case, width: int) -> Iterator[str]:
    yield from _english_heading(case, width)
    yield from _english_parts(case, width)


def _english_heading(case: Case, width: int) -> Iterator[str]:
    """The case's title, providers, areas, categories, source and history, in English."""
    yield f"{case.number}. {case.title_en or case.title_zh}  [{case.id}]"
    yield ""
    yield "Providers: " + "; ".join(zone.name_en for zone in case.providers)
    if case.areas:
        yield "Areas:     " + "; ".join(area.name_en for area in case.areas)
    if case.categories:
        yield "Categories: " + ", ".join(category.value for category in case.categories)
    where = case.source
    yield f"Source:    pages {where.page_start}-{where.page_end}, lines {where.line_start}-{where.line_end}"
    yield from _record_lines(case, "en", width)
    yield ""


def _english_parts(case: Case, width: int) -> Iterator[str]:
    """The summary, practices and outcomes in English, each list of sections under its label."""
    labels = {Where.PRACTICE: "I. Main practices", Where.OUTCOME: "II. Outcomes"}
    for part in case.parts():
        if part.section is None:
            yield from _english_paragraphs(part.paragraphs_en, width, "")
            continue
        if part.position == 1:
            yield from ("", labels[part.where])
        yield from _english_section_lines(part.section, width)


def relative_change_text(effect: Effect) -> str:
    """The relative change as a reader should take it: 'less than +250%' for a bound on its size, 'about -30%'
    for an approximation, and ', unclear' when the text leaves open what it measures."""
    if effect.relative_change is None:
        return ""
    words = qualifier_en(effect.relative_change_qualifier)
    return f"{words}{signed_percent(effect.relative_change)}" + (", unclear" if effect.relative_change_caveat else "")


def history_line(record: Case | Metric | Effect) -> str | None:
    """When the record first appeared and last changed, or None for a file without history."""
    if record.first_seen is None:
        return None
    changed = f", last changed in {record.last_changed}" if record.last_changed != record.first_seen else ""
    return f"first seen in data {record.first_seen}{changed}"


def effect_line(case: Case, effect: Effect, lang: str = "zh") -> str:
    """One effect as a reader sees it: 20分钟 → 5分钟 · 75%以上 (-75%), in English 20 minutes → 5 minutes ·
    at least 75% (-75%); a stated change that disagrees with its ends is marked (!)."""
    before, after, change = (_figure(case, ref, lang) for ref in (effect.before, effect.after, effect.change))
    text = _ends_text(before, after, change) if before or after else _change_text(effect, change)
    if _relative_change_shown(case, effect, bool(before or after)):
        text += f" ({relative_change_text(effect)}{'' if effect.consistent is not False else ', disagrees (!)'})"
    if effect.restates is not None:
        text += f" (restates {effect.restates[-3:]})"
    return text


def _figure(case: Case, ref: str | None, lang: str) -> str | None:
    """The metric ``ref`` names as ``lang`` writes it (its words in the text, in Chinese), or None."""
    if ref is None:
        return None
    metric = case.metric(ref)
    return figure_en(metric) if lang == "en" else metric.span


def _ends_text(before: str | None, after: str | None, change: str | None) -> str:
    """20分钟 → 5分钟 · 75%以上: an end the text does not state is '…'."""
    ends = f"{before or '…'} → {after or '…'}"
    return ends if change is None else f"{ends} · {change}"


_DIRECTION_WORDS = {Direction.UP: "up ", Direction.DOWN: "down "}


def _change_text(effect: Effect, change: str | None) -> str:
    """A change alone: its direction in a word, never a sign glued to 约 or 'about'."""
    direction = _DIRECTION_WORDS.get(effect.direction, "") if effect.direction is not None else ""
    return f"{direction}{change}"


def _relative_change_shown(case: Case, effect: Effect, ends_shown: bool) -> bool:
    """Whether the relative change is added in brackets: beside the ends, or beside a stated change that is not
    a percent already (which says the same)."""
    if effect.relative_change is None:
        return False
    stated_percent = effect.change is not None and case.metric(effect.change).unit is Unit.PERCENT
    return ends_shown or not stated_percent


def _effect_lines(case: Case, width: int, lang: str) -> Iterator[str]:
    if not case.effects:
        return
    yield ""
    yield "效果 Effects" if lang == "zh" else "Effects"
    texts = _part_texts(case)
    for effect in case.effects:
        # The figures on one line; in Chinese, the words of the text that state the effect below them (wrapped
        # by display width); then what changed, in English.
        yield f"  {effect.id[-3:]}  {effect_line(case, effect, lang)}"
        if lang == "zh":
            yield from wrap(effect_clause(case, effect, texts[effect.where, effect.section]), width, " " * 7)
        what = f"{effect.measure.value}: {effect.description_en}" if effect.description_en else effect.measure.value
        if effect.relative_change_caveat:
            what += f" (unclear: {effect.relative_change_caveat})"
        yield from textwrap.wrap(what, max(width, 40), initial_indent=" " * 7, subsequent_indent=" " * 7)


def _record_lines(case: Case, lang: str, width: int) -> Iterator[str]:
    """The case's history and the ids of it that releases withdrew (each reason wrapped to the width)."""
    label, indent = ("历史 History:   ", " " * 16) if lang == "zh" else ("History:   ", " " * 11)
    history = history_line(case)
    if history:
        yield label + history
    for withdrawn in case.withdrawn:
        label = "撤回 Withdrawn: " if lang == "zh" else "Withdrawn: "
        yield f"{label}{withdrawn.id} in data {withdrawn.data_version}:"
        yield from wrap(withdrawn.reason, width, indent)


def effect_clause(case: Case, effect: Effect, text: str) -> str:
    """The words of ``text`` (the effect's part) that state the effect: from the clause of its first figure to
    the clause of its last (单件业务审核时限从20分钟缩减至5分钟，压缩75%以上)."""
    metrics = [case.metric(ref) for ref in effect.metric_ids()]
    return clause_stretch(text, min(m.start for m in metrics), max(m.end for m in metrics))


def case_lines(case: Case, width: int = 80, lang: str = "zh") -> Iterator[str]:
    """The whole case as readable text: title, providers, areas, summary, practices and outcomes.

    ``lang`` is ``zh`` (the source text, with English names alongside) or ``en`` (the English text). No line
    holds a control character (see :func:`visible`).
    """
    return (visible(line) for line in _case_lines(case, width, lang))


NO_ENGLISH = "This case has no English (an imported casebook is not translated): its Chinese text follows."


def _case_lines(case: Case, width: int, lang: str) -> Iterator[str]:
    if lang == "en" and case.summary_en is not None:
        yield from _english_case_text(case, width)
        yield from _effect_lines(case, width, lang)
        return
    if lang == "en":  # nothing to show in English: say so in one line, then the Chinese, not an empty skeleton
        yield NO_ENGLISH
        yield ""
    yield from _chinese_heading(case, width)
    yield from _chinese_parts(case, width)
    yield from _effect_lines(case, width, lang)


def _chinese_heading(case: Case, width: int) -> Iterator[str]:
    """The case's title, providers, areas, source and history, with English names alongside."""
    yield f"{case.number}. {case.title_zh}  [{case.id}]"
    if case.title_en:
        yield f"   {case.title_en}"
    yield ""
    yield "提供 Providers: " + "、".join(zone.name_zh for zone in case.providers)
    yield "                " + "; ".join(zone.name_en for zone in case.providers)
    if case.areas:
        yield "片区 Areas:     " + "、".join(f"{area.name_zh} ({area.short_name_en})" for area in case.areas)
    pages = f"{case.source.page_start}–{case.source.page_end}"
    yield f"来源 Source:    pages {pages}, lines {case.source.line_start}–{case.source.line_end}"
    yield from _record_lines(case, "zh", width)
    yield ""


def _chinese_parts(case: Case, width: int) -> Iterator[str]:
    """The summary, practices and outcomes, each list of sections under its label."""
    labels = {Where.PRACTICE: f"一、{case.practices_label_zh}", Where.OUTCOME: f"二、{case.outcomes_label_zh}"}
    for part in case.parts():
        if part.section is None:
            yield from _body_lines(part.text_zh, part.paragraph_starts_zh, (), width, indent="")
            continue
        if part.position == 1:
            yield from ("", labels[part.where])
        yield from _section_lines(part.section, width)


def record_text(case: Case, record: Metric | Effect, width: int = 80) -> Iterator[str]:
    """One metric or effect as readable text: its case, its figures, the words of the text that state it, its
    English description and its history."""
    from ftz_reforms.model.records import Metric

    lines = _record_heading(case, record)
    if isinstance(record, Metric):
        lines += _metric_lines(record)
        words = record.sentence
    else:
        lines += _effect_record_lines(case, record)
        words = effect_clause(case, record, _part_texts(case)[record.where, record.section])
    lines += ["  text:", *wrap(words, width, "    ")]
    history = history_line(record)
    if history:
        lines.append(f"  history:   {history}")
    return (visible(line) for line in lines)


def _part_texts(case: Case) -> dict[tuple[Where, int | None], str]:
    """The Chinese text of each part of the case, by its key (where, section)."""
    return {part.key: part.text_zh for part in case.parts()}


def _record_heading(case: Case, record: Metric | Effect) -> list[str]:
    """The record's id and where it is: part, case and the case's titles."""
    place = record.where.value + (f" {record.section}" if record.section is not None else "")
    lines = [f"{record.id}  ({place} of case {case.id}: {case.title_zh})"]
    if case.title_en:
        lines.append(f"    {case.title_en}")
    return lines


def _metric_lines(metric: Metric) -> list[str]:
    """A metric's figure and value, what it measures and where its words are."""
    value = f"{metric.value:,.15g}" + (f"–{metric.value_max:,.15g}" if metric.value_max is not None else "")
    return [
        f"  figure:    {metric.span}  = {value} {metric.unit.value}",
        f"             ({metric.qualifier.value}, {metric.role.value})",
        f"  measures:  {metric.description_en or '(not curated)'}",
        f"  offsets:   {metric.start}–{metric.end} of the {metric.where.value} text",
    ]


def _effect_record_lines(case: Case, effect: Effect) -> list[str]:
    """An effect's figures, what it changes and, where the text leaves it open, what is unclear."""
    lines = [
        f"  effect:    {effect_line(case, effect, 'zh')}",
        f"  {effect.measure.value}: {effect.description_en or '(not curated)'}",
    ]
    if effect.relative_change_caveat:
        lines.append(f"  unclear:   {effect.relative_change_caveat}")
    return lines
