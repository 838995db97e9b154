"""Parser for the casebook layout: cases, providers, introduction, practices, outcomes, sections.

Every layout variant is recognised by rule (DESIGN.md §1), never by case number, so the same parser
reads another batch printed the same way. Malformed input raises :class:`CasebookError` naming the
source line and what was expected there.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from ftz_reforms.casebook.layout import full_width, paragraph_starts
from ftz_reforms.errors import CasebookError, ReferenceNotFoundError
from ftz_reforms.model.bounds import json_path
from ftz_reforms.model.records import Case, FreeTradeZone, PilotArea, Section, SourceLocation
from ftz_reforms.reference import area_table, pilot_areas, zone_by_province, zone_table
from ftz_reforms.text.chars import IDEOGRAPHS
from ftz_reforms.text.markers import ASPECT_MARKER, POINT_MARKER, SECTION_MARKER, marker_numeral, marker_value
from ftz_reforms.text.normalize import PhysicalLine, join_lines, normalize_text, physical_lines

__all__ = ["CasebookError", "case_id", "parse_casebook"]

# " 1.标题" – digits and a dot followed by something other than a digit: "2.07亿元…" and "30.7%" are
# wrapped body text, not case titles.
_CASE_TITLE = re.compile(r"^([0-9０-９]{1,4})[.．](?![0-9０-９])(.+)$")
"""A case's first line: its number (ASCII or full-width digits, which ``int`` reads alike) and title."""
_PROVIDER = re.compile(r"中国（([^（）]+)）自由贸易试验区")
_PROVIDER_BLOCK = re.compile(r"^中国（[^（）]+）自由贸易试验区(、中国（[^（）]+）自由贸易试验区)*提供$")
_PART = re.compile(r"^([一二])、(\S{2,8})$")
_AREA = re.compile(f"自贸试验区([{IDEOGRAPHS}]{{1,10}}?片区)")
_NOT_AFTER: dict[str, tuple[str, ...]] = {"保税区": ("综合",)}
"""Generic area aliases and what must not come right before them: 保税区 is also the tail of 综合保税区."""


def case_id(batch: int, number: int) -> str:
    """The stable id of a case: ``b5-01``."""
    return f"b{batch}-{number:02d}"


@dataclass(frozen=True)
class _CaseLines:
    number: int
    lines: Sequence[PhysicalLine]


def parse_casebook(text: str, *, batch: int = 5, first_page: int | None = None) -> tuple[Case, ...]:
    """Parse a whole casebook into cases (without English text, metrics, categories or keywords).

    ``first_page`` is the printed page number of the text's first line; by default it is inferred
    from the first printed page number in the text.
    """
    lines = physical_lines(text, first_page)
    if not lines:
        raise CasebookError(None, "the text is empty; expected a first case line such as ' 1.标题'")
    full = full_width(lines)
    return tuple(_checked_case(block, batch, full) for block in _split_cases(lines))


def _checked_case(block: _CaseLines, batch: int, full: float) -> Case:
    """The case of ``block``; a :class:`CasebookError` naming its first line when the records refuse what the text
    makes of it (a page or line beyond the data contract's bounds: ``model.bounds``)."""
    try:
        return _parse_case(block, batch, full)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = json_path(tuple(first["loc"]))
        message = first["msg"].removeprefix("Value error, ")
        given = repr(first.get("input"))
        given = given if len(given) <= 60 else given[:57] + "..."
        raise CasebookError(block.lines[0].number, f"case {block.number}: {where}: {message} (got {given})") from None


def _is_provider_start(lines: Sequence[PhysicalLine], index: int) -> bool:
    """Whether a provider line starts at ``lines[index]``; the extraction can wrap it inside 中国（ itself."""
    head = "".join(line.text for line in lines[index : index + 3])
    return lines[index].text[:1] == "中" and head.startswith("中国（")


def _split_cases(lines: Sequence[PhysicalLine]) -> list[_CaseLines]:
    starts: list[tuple[int, int]] = []  # (index into lines, case number)
    for index, line in enumerate(lines):
        match = _CASE_TITLE.match(line.text)
        if not match:
            continue
        number = int(match.group(1))
        expected = len(starts) + 1
        followed_by_provider = any(_is_provider_start(lines, at) for at in range(index + 1, min(index + 4, len(lines))))
        if number == expected:
            starts.append((index, number))
        elif followed_by_provider:
            raise CasebookError(
                line.number,
                f"case number {number} is out of sequence; expected case {expected} here",
            )
    if not starts:
        raise CasebookError(lines[0].number, "no case found; expected a first case line such as ' 1.标题'")
    if starts[0][0] != 0:
        raise CasebookError(lines[0].number, "text before the first case; expected a case line such as ' 1.标题'")
    bounds = [index for index, _ in starts] + [len(lines)]
    return [_CaseLines(number=number, lines=lines[bounds[i] : bounds[i + 1]]) for i, (_, number) in enumerate(starts)]


def _parse_case(block: _CaseLines, batch: int, full: float) -> Case:
    lines = block.lines
    provider_at = _provider_start(block)
    title_zh = _strip_case_number(join_lines(lines[:provider_at]))
    provider_end = _provider_end(block, provider_at)
    providers = _providers(lines[provider_at : provider_end + 1])
    body = lines[provider_end + 1 :]
    part_starts = _part_starts(body, block.number, lines[0].number)
    (practice_at, practice_label), (outcome_at, outcome_label) = part_starts
    summary_lines = body[:practice_at]
    if not summary_lines:
        raise CasebookError(body[0].number, f"case {block.number} has no introduction before '一、{practice_label}'")
    summary_zh = join_lines(summary_lines)
    practices = _sections(body[practice_at + 1 : outcome_at], block.number, body[practice_at].number, full)
    outcomes = _sections(body[outcome_at + 1 :], block.number, body[outcome_at].number, full)
    rest = "".join(f"{section.heading_zh or ''}{section.text_zh}" for section in (*practices, *outcomes))
    return Case(
        id=case_id(batch, block.number),
        number=block.number,
        batch=batch,
        title_zh=title_zh,
        providers=providers,
        areas=_areas(summary_lines, summary_zh, providers, rest),
        summary_zh=summary_zh,
        summary_paragraph_starts_zh=paragraph_starts(summary_lines, full),
        practices_label_zh=practice_label,
        practices=practices,
        outcomes_label_zh=outcome_label,
        outcomes=outcomes,
        source=SourceLocation(
            line_start=lines[0].number,
            line_end=lines[-1].number,
            page_start=lines[0].page,
            page_end=lines[-1].page,
        ),
    )


def _provider_start(block: _CaseLines) -> int:
    """Where the case's provider line starts: within the three lines after its title's first."""
    lines = block.lines
    provider_at = next((i for i in range(len(lines)) if _is_provider_start(lines, i)), None)
    if provider_at is None or provider_at > 3:
        raise CasebookError(
            lines[0].number,
            f"case {block.number} has no provider line; expected '中国（…）自由贸易试验区提供' after its title",
        )
    return provider_at


def _provider_end(block: _CaseLines, provider_at: int) -> int:
    """The last line of the provider line starting at ``provider_at``: the one ending with 提供, within four."""
    lines = block.lines
    provider_end = provider_at
    while not lines[provider_end].text.endswith("提供"):
        provider_end += 1
        if provider_end == len(lines) or provider_end - provider_at > 3:
            raise CasebookError(
                lines[provider_at].number,
                f"case {block.number}: provider line does not end with '提供' within four lines",
            )
    return provider_end


def _strip_case_number(title: str) -> str:
    match = _CASE_TITLE.match(title)
    assert match is not None  # the block was cut at a line that matched
    return match.group(2)


def _providers(lines: Sequence[PhysicalLine]) -> tuple[FreeTradeZone, ...]:
    joined = join_lines(lines)
    if not _PROVIDER_BLOCK.match(joined):
        raise CasebookError(
            lines[0].number,
            f"unknown provider line {joined!r}; expected '中国（省份）自由贸易试验区提供', several joined with '、'",
        )
    zones = zone_by_province()
    providers = []
    for province in _PROVIDER.findall(joined):
        if province not in zones:
            closest = "、".join(zone_table().closest(province)) or "、".join(zones)
            raise CasebookError(
                lines[0].number,
                f"unknown free trade zone 中国（{province}）自由贸易试验区; closest known: {closest}",
            )
        providers.append(zones[province])
    return tuple(providers)


def _part_starts(body: Sequence[PhysicalLine], number: int, title_line: int) -> tuple[tuple[int, str], tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for index, line in enumerate(body):
        match = _PART.match(line.text)
        if match and match.group(1) not in found:
            if match.group(1) == "二" and "一" not in found:
                break
            found[match.group(1)] = (index, match.group(2))
    if "一" not in found:
        raise CasebookError(
            title_line,
            f"case {number} has no practices part; expected a line '一、主要做法' (or '一、主要举措')",
        )
    if "二" not in found:
        raise CasebookError(
            body[found["一"][0]].number,
            f"case {number} has no outcomes part; expected a line '二、实践效果' (or '二、主要成效') after it",
        )
    return found["一"], found["二"]


def _sections(lines: Sequence[PhysicalLine], number: int, part_line: int, full: float) -> tuple[Section, ...]:
    if not lines:
        raise CasebookError(part_line, f"case {number}: the part has no text; expected sections or prose")
    starts: list[int] = []
    for index, line in enumerate(lines):
        match = SECTION_MARKER.match(line.text)
        if not match:
            continue
        expected = len(starts) + 1
        found = marker_value(match.group(1))
        if found != expected:
            raise CasebookError(
                line.number,
                f"case {number}: section （{match.group(1)}） is out of sequence; "
                f"expected （{marker_numeral(expected)}）",
            )
        starts.append(index)
    sections: list[Section] = []
    if not starts or starts[0] > 0:
        block = lines[: starts[0] if starts else len(lines)]
        text = join_lines(block)
        sections.append(
            Section(
                ordinal=None,
                heading_zh=None,
                text_zh=text,
                paragraph_starts_zh=paragraph_starts(block, full),
                points=enumerated_points(text),
            )
        )
    bounds = [*starts, len(lines)]
    for ordinal, (start, end) in enumerate(itertools.pairwise(bounds), start=1):
        sections.append(_numbered_section(lines[start:end], ordinal, number, full))
    return tuple(sections)


def _numbered_section(lines: Sequence[PhysicalLine], ordinal: int, number: int, full: float) -> Section:
    joined = join_lines(lines)
    marker = SECTION_MARKER.match(joined)
    assert marker is not None  # the section was cut at a marker line
    rest = joined[marker.end() :]
    # The heading runs to its first full stop; headings wrap over lines but never hold one.
    stop = rest.find("。")
    if stop < 0:
        raise CasebookError(
            lines[0].number,
            f"case {number}: the heading of section （{marker_numeral(ordinal)}） has no closing '。'",
        )
    heading, text = rest[: stop + 1], rest[stop + 1 :]
    if not text:
        raise CasebookError(
            lines[0].number,
            f"case {number}: section （{marker_numeral(ordinal)}） has a heading but no body",
        )
    return Section(
        ordinal=ordinal,
        heading_zh=heading,
        text_zh=text,
        paragraph_starts_zh=paragraph_starts(lines, full, skip=marker.end() + len(heading)),
        points=enumerated_points(text),
    )


def enumerated_points(text: str) -> tuple[str, ...]:
    """The enumerated points of a body, verbatim: ``一是…二是…``, or the pair ``一方面…另一方面``.

    A sequence starts at 一是 and continues while the next numeral follows; a body without one may
    hold the pair 一方面…另一方面, whose two halves are points too (a two-item enumeration). When the
    points are clauses of one sentence (the marker before the second follows '；'), the last point ends
    at the sentence's full stop; when each point is a sentence of its own, the last one runs to the end
    of the body. Only the first sequence of a body is taken.
    """
    text = normalize_text(text)
    markers = [(m.start(), m.group(1)) for m in POINT_MARKER.finditer(text)]
    sequence: list[int] = []
    for start, numeral in markers:
        try:
            value = marker_value(numeral)
        except ValueError:
            continue
        if value == len(sequence) + 1:
            sequence.append(start)
    if len(sequence) < 2:
        sequence = _aspect_pair(text)
    if len(sequence) < 2:
        return ()
    points = [text[a:b] for a, b in itertools.pairwise(sequence)]
    last_start = sequence[-1]
    inline = text[sequence[1] - 1] == "；"
    if inline:
        stop = text.find("。", last_start)
        points.append(text[last_start : stop + 1 if stop >= 0 else len(text)])
    else:
        points.append(text[last_start:])
    return tuple(points)


def _aspect_pair(text: str) -> list[int]:
    """Where 一方面 and the first 另一方面 after it start; empty when the body has no such pair."""
    first: int | None = None
    for match in ASPECT_MARKER.finditer(text):
        if match.group(1) is None and first is None:
            first = match.start()
        elif match.group(1) is not None and first is not None:
            return [first, match.start()]
    return []


def _areas(
    summary_lines: Sequence[PhysicalLine], summary: str, providers: tuple[FreeTradeZone, ...], rest: str = ""
) -> tuple[PilotArea, ...]:
    """Pilot areas the case names, first mention first.

    The areas of the providers' zones are found by their official names and Chinese aliases anywhere in the
    case (the introduction, then ``rest``: the sections' headings and text); an area of any zone also by its
    name after 自贸试验区 (…自贸试验区X片区) in the introduction. Such a name the reference table does not
    know is a :class:`CasebookError` naming the line and the closest known areas.
    """
    mentions = _Mentions()
    mentions.find_names(summary + rest, _area_names({zone.province_zh for zone in providers}))
    mentions.find_named_after_zone(summary_lines, summary)
    return mentions.areas()


def _area_names(provinces: set[str]) -> list[tuple[str, PilotArea]]:
    """Every official name and Chinese alias of the pilot areas of ``provinces``, with its area."""
    return [
        (name, area)
        for area in pilot_areas()
        if area.province_zh in provinces
        for name in (area.name_zh, *area.aliases_zh)
    ]


class _Mentions:
    """The mentions of pilot areas found in a case's text: the spans taken, and each area's first mention."""

    def __init__(self) -> None:
        self._taken: list[tuple[int, int]] = []
        self._first: dict[str, tuple[int, PilotArea]] = {}

    def add(self, start: int, end: int, area: PilotArea) -> None:
        self._taken.append((start, end))
        if area.name_zh not in self._first or start < self._first[area.name_zh][0]:
            self._first[area.name_zh] = (start, area)

    def find_names(self, text: str, names: list[tuple[str, PilotArea]]) -> None:
        """Every mention in ``text`` of one of ``names`` that no longer name's mention overlaps."""
        # Longest names first, so that 大兴机场片区 is one mention and never also 机场片区.
        for name, area in sorted(names, key=lambda entry: -len(entry[0])):
            start = text.find(name)
            while start >= 0:
                end = start + len(name)
                barred = text.endswith(_NOT_AFTER.get(name, ()), 0, start)
                if not barred and not any(start < b and a < end for a, b in self._taken):
                    self.add(start, end, area)
                start = text.find(name, start + 1)

    def find_named_after_zone(self, summary_lines: Sequence[PhysicalLine], summary: str) -> None:
        """Every area of any zone that ``summary`` names after 自贸试验区 outside the mentions found: a
        :class:`CasebookError` naming the line and the closest known areas when the name is unknown."""
        table = area_table()
        for match in _AREA.finditer(summary):
            start, end = match.span(1)
            if any(a <= start and end <= b for a, b in self._taken):
                continue
            try:
                self.add(start, end, table.find(match.group(1)))
            except ReferenceNotFoundError:
                closest = table.closest(match.group(1))
                raise CasebookError(
                    _line_at(summary_lines, start),
                    f"unknown pilot area {match.group(1)}; closest known areas: {', '.join(closest) or 'none'}",
                ) from None

    def areas(self) -> tuple[PilotArea, ...]:
        """The areas mentioned, first mention first."""
        return tuple(area for _, area in sorted(self._first.values(), key=lambda found: found[0]))


def _line_at(lines: Sequence[PhysicalLine], offset: int) -> int:
    """The source line holding ``offset`` of the lines' normalized join."""
    reached = 0
    for line in lines:
        reached += len(normalize_text(line.text))
        if offset < reached:
            return line.number
    return lines[-1].number
