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

__all__ = ["case_text", "display_width", "effect_clause", "effect_line", "table", "visible", "wrap"]


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
    widths = [display_width(h) for h in headers]
    for row in rows:
        widths = [max(w, display_width(cell)) for w, cell in zip(widths, row)]
    shown = list(range(len(headers)))
    if width is not None:
        ranks = list(priorities) if priorities is not None else [-index for index in range(len(headers))]
        shown, widths = _fit(headers, widths, ranks, width)
    lines = []
    for row in [headers, *rows]:
        cells = [row[index] for index in shown]
        padded = [_pad(cut(cell, w), w) for cell, w in zip(cells[:-1], widths)]
        last = cut(cells[-1], widths[-1]) if width is not None else cells[-1]
        lines.append("  ".join([*padded, last]).rstrip())
    return lines


def _fit(headers: list[str], natural: list[int], ranks: list[int], width: int) -> tuple[list[int], list[int]]:
    """The columns shown (indexes, in order) and their widths, fitting ``width`` as ``table`` describes."""
    shown = list(range(len(headers)))
    while True:
        comfortable = [min(natural[i], max(display_width(headers[i]), _COMFORTABLE)) for i in shown]
        fitted = _fitted_widths([natural[i] for i in shown], comfortable, width, [ranks[i] for i in shown])
        if fitted is not None:
            return shown, fitted
        if len(shown) <= 2:
            break
        shown.remove(min(shown, key=lambda index: (ranks[index], -index)))
    narrowest = [min(natural[i], max(display_width(headers[i]), _NARROWEST)) for i in shown]
    fitted = _fitted_widths([natural[i] for i in shown], narrowest, width, [ranks[i] for i in shown])
    return shown, fitted if fitted is not None else narrowest


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
    line, used = indent, display_width(indent)
    for piece in _LATIN_WORD.findall(text):
        piece_width = display_width(piece)
        whole = len(piece) > 1 and piece_width <= width - display_width(indent)
        if whole and used + piece_width > width and line.strip():
            yield line.rstrip()
            line, used = indent, display_width(indent)
            piece = piece.lstrip()
            piece_width = display_width(piece)
        if whole:
            line += piece
            used += piece_width
            continue
        for char in piece:
            char_width = display_width(char)
            if used + char_width > width and line.strip() and char not in _NO_LINE_START:
                yield line.rstrip()
                line, used = indent, display_width(indent)
            line += char
            used += char_width
    if line.strip():
        yield line


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
    point_spans: list[tuple[int, int]] = []
    cursor = 0
    for point in points:
        start = text.find(point, cursor)
        if start < 0:  # the records refuse a point that is not in its text; shown as text, never a crash
            continue
        cursor = start + len(point)
        point_spans.append((start, cursor))
    cuts = sorted({0, len(text), *paragraph_starts, *(offset for span in point_spans for offset in span)})
    for start, end in itertools.pairwise(cuts):
        if start in paragraph_starts and start > 0:
            yield ""
        if any(start == point_start for point_start, _ in point_spans):
            wrapped = list(wrap(text[start:end], width - 2, "    "))
            yield "  • " + wrapped[0].lstrip()
            yield from ("  " + line for line in wrapped[1:])
        else:  # text around the points, or the rest of a point that runs on into the next paragraph
            yield from wrap(text[start:end], width, indent)


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
    shown = {}
    for name, ref in (("before", effect.before), ("after", effect.after), ("change", effect.change)):
        metric = case.metric(ref) if ref is not None else None
        shown[name] = None if metric is None else (figure_en(metric) if lang == "en" else metric.span)
    if shown["before"] or shown["after"]:
        ends = f"{shown['before'] or '…'} → {shown['after'] or '…'}"
        text = ends if shown["change"] is None else f"{ends} · {shown['change']}"
    else:  # a change alone: its direction in a word, never a sign glued to 约 or 'about'
        direction = {Direction.UP: "up ", Direction.DOWN: "down "}.get(effect.direction, "") if effect.direction else ""
        text = f"{direction}{shown['change']}"
    stated_percent = effect.change is not None and case.metric(effect.change).unit is Unit.PERCENT
    if effect.relative_change is not None and (shown["before"] or shown["after"] or not stated_percent):
        text += f" ({relative_change_text(effect)}{'' if effect.consistent is not False else ', disagrees (!)'})"
    if effect.restates is not None:
        text += f" (restates {effect.restates[-3:]})"
    return text


def _effect_lines(case: Case, width: int, lang: str) -> Iterator[str]:
    if not case.effects:
        return
    yield ""
    yield "效果 Effects" if lang == "zh" else "Effects"
    texts = {part.key: part.text_zh for part in case.parts()}
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


def case_text(case: Case, width: int = 80, lang: str = "zh") -> Iterator[str]:
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
    labels = {Where.PRACTICE: f"一、{case.practices_label_zh}", Where.OUTCOME: f"二、{case.outcomes_label_zh}"}
    for part in case.parts():
        if part.section is None:
            yield from _body_lines(part.text_zh, part.paragraph_starts_zh, (), width, indent="")
            continue
        if part.position == 1:
            yield from ("", labels[part.where])
        yield from _section_lines(part.section, width)
    yield from _effect_lines(case, width, lang)


def record_text(case: Case, record: Metric | Effect, width: int = 80) -> Iterator[str]:
    """One metric or effect as readable text: its case, its figures, the words of the text that state it, its
    English description and its history."""
    from ftz_reforms.model.records import Metric

    texts = {part.key: part.text_zh for part in case.parts()}
    place = record.where.value + (f" {record.section}" if record.section is not None else "")
    lines = [f"{record.id}  ({place} of case {case.id}: {case.title_zh})"]
    if case.title_en:
        lines.append(f"    {case.title_en}")
    if isinstance(record, Metric):
        value = f"{record.value:,.15g}" + (f"–{record.value_max:,.15g}" if record.value_max is not None else "")
        lines += [
            f"  figure:    {record.span}  = {value} {record.unit.value}",
            f"             ({record.qualifier.value}, {record.role.value})",
            f"  measures:  {record.description_en or '(not curated)'}",
            f"  offsets:   {record.start}–{record.end} of the {record.where.value} text",
        ]
        words = record.sentence
    else:
        lines += [
            f"  effect:    {effect_line(case, record, 'zh')}",
            f"  {record.measure.value}: {record.description_en or '(not curated)'}",
        ]
        if record.relative_change_caveat:
            lines.append(f"  unclear:   {record.relative_change_caveat}")
        words = effect_clause(case, record, texts[record.where, record.section])
    lines.append("  text:")
    lines += list(wrap(words, width, "    "))
    history = history_line(record)
    if history:
        lines.append(f"  history:   {history}")
    return (visible(line) for line in lines)
