"""Removal of PDF-extraction artifacts from casebook text.

The casebook reaches us as text extracted from a PDF. Extraction wraps lines mid-sentence, puts a blank
line after every physical line, starts each new page with a single space, prints page numbers on lines
of their own, and scatters spaces beside digits and Latin letters (``约 5000万元``). Normalized text
undoes exactly that and nothing else: no character other than whitespace is ever added, dropped or
replaced, so every normalized string can be traced back to the source.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ftz_reforms.errors import CasebookError
from ftz_reforms.model.bounds import CONTROL_CHARACTERS
from ftz_reforms.text.chars import is_cjk

__all__ = [
    "BYTE_ORDER_MARK",
    "PhysicalLine",
    "is_cjk",
    "join_lines",
    "normalize_text",
    "normalized_offsets",
    "physical_lines",
]

_WHITESPACE_RUN = re.compile(r"\s+")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")
_PAGE_NUMBER = re.compile(r"[0-9]{1,4}")


def _collapse(match: re.Match[str]) -> str:
    text = match.string
    start, end = match.span()
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    # A space survives only where it separates two Latin/digit tokens ("GOI 2023"); beside a CJK
    # character, punctuation or the string's ends it is an extraction artifact.
    if before and after and _LATIN_OR_DIGIT.fullmatch(before) and _LATIN_OR_DIGIT.fullmatch(after):
        return " "
    return ""


def normalize_text(text: str) -> str:
    """Normalize an already de-paginated piece of text.

    Line breaks count as whitespace: a run of whitespace becomes one space between two Latin/digit
    characters and disappears everywhere else. Idempotent, and it touches nothing but whitespace.
    """
    return _WHITESPACE_RUN.sub(_collapse, text)


@dataclass(frozen=True, slots=True)
class PhysicalLine:
    """One non-blank line of the extracted text that carries content (not a printed page number)."""

    number: int
    """1-based line number in the source file."""
    text: str
    """The line as extracted, with its surrounding whitespace stripped."""
    page: int
    """Printed page number of the page the line sits on."""


_LINE_END = re.compile(r"\r\n|\r|\n")
_LAYOUT_CONTROLS = r"\t\f"
"""The control characters a casebook's extracted text may hold, as layout: a tab is whitespace, a form feed
ends a page (line ends split the lines)."""
_CONTROL = re.compile(f"(?![{_LAYOUT_CONTROLS}])[{CONTROL_CHARACTERS}]")
"""Any other control character (``model.bounds``, the rule every string of the records keeps)."""
BYTE_ORDER_MARK = "\ufeff"


def _raw_lines(text: str) -> list[str]:
    """The text's lines, split at line ends only (a form feed stays in its line, to mark a page), without
    a leading byte-order mark; a control character is refused with its line."""
    lines = _LINE_END.split(text.removeprefix(BYTE_ORDER_MARK))
    for number, line in enumerate(lines, start=1):
        found = _CONTROL.search(line)
        if found:
            code = f"U+{ord(found.group()):04X}"
            raise CasebookError(
                number, f"a control character ({code}) is no text a casebook holds: extract the PDF again"
            )
    return lines


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _page_break_indent(lines: list[str]) -> int | None:
    """The indent that marks a new page, or None where form feeds mark pages (and indents are layout).

    The bundled text starts each page with one space; a copy with every line indented (as some tools
    print it) keeps that as one space more than the common indent.
    """
    if any("\f" in line for line in lines):
        return None
    indents = Counter(_indent(line) for line in lines if line.strip())
    common = max(indents, key=lambda width: (indents[width], -width)) if indents else 0
    return common + 1


def physical_lines(text: str, first_page: int | None = None) -> list[PhysicalLine]:
    """Split extracted text into content lines, dropping blank lines and printed page numbers.

    Any extraction of the casebook reads the same: line ends may be LF, CRLF or CR, a byte-order mark is
    dropped, blank lines and leading whitespace are layout. A page break is a form feed where the text has
    them (``pdftotext``); else a line indented one space more than most lines (the bundled text starts each
    page with a single space); and always the line after a printed page number. A line holding only digits
    is a printed page number when it equals the page reached by counting breaks from ``first_page``; any
    other digits-only line is content. When ``first_page`` is not given, the first digits-only line is taken
    as a printed page number and the count is run back from it (no such line: page 1). A control character
    is refused with its line.
    """
    raw_lines = _raw_lines(text)
    pages = _Pages(_page_break_indent(raw_lines), first_page)
    for number, raw_line in enumerate(raw_lines, start=1):
        pages.read(number, raw_line)
    start_page = 1 if pages.first_page is None else pages.first_page
    return [PhysicalLine(number=n, text=t, page=start_page + b) for n, t, b in pages.kept]


@dataclass
class _Pages:
    """The walk of ``physical_lines`` over the text's lines: the lines kept, with the page breaks before each."""

    break_indent: int | None
    """The indent that starts a page, or None (``_page_break_indent``)."""
    first_page: int | None
    """The printed number of the first page, once known."""
    kept: list[tuple[int, str, int]] = field(default_factory=list)
    """(line number, text, page breaks before it) of each content line."""
    breaks: int = 0
    after_page_number: bool = False
    page_break_pending: bool = False
    """A form feed was met after some content, and no line has started the page yet."""

    def read(self, number: int, line: str) -> None:
        """Read the raw line numbered ``number``."""
        # A form feed ends a page: what follows it on the line starts the next one.
        for piece_index, raw in enumerate(line.split("\f")):
            if piece_index:
                self.page_break_pending = self.page_break_pending or bool(self.kept)
            stripped = raw.strip()
            if stripped:
                self._read_piece(number, raw, stripped)

    def _read_piece(self, number: int, raw: str, stripped: str) -> None:
        """Keep a piece of a line, or take it as the printed page number it is; count a page break before it."""
        digits_only = _PAGE_NUMBER.fullmatch(stripped) is not None
        if self.kept and not digits_only and self._starts_page(raw):
            self.breaks += 1
            self.page_break_pending = False
        self.after_page_number = False
        if digits_only and self._is_page_number(int(stripped)):
            self.after_page_number = True
            self.page_break_pending = False
            return
        self.kept.append((number, stripped, self.breaks))

    def _starts_page(self, raw: str) -> bool:
        return self.page_break_pending or self.after_page_number or _indent(raw) == self.break_indent

    def _is_page_number(self, value: int) -> bool:
        """Whether a digits-only line of ``value`` is the printed number of the page reached; the first one met
        is, when the first page's number was not given."""
        if self.first_page is None:
            self.first_page = value - self.breaks
        return value == self.first_page + self.breaks


def normalized_offsets(text: str, positions: Iterable[int]) -> list[int]:
    """Where each of ``positions`` (ascending offsets into ``text``, each at a character that is not
    whitespace) lands in ``normalize_text(text)``: one walk over the whitespace runs, whatever the count."""
    runs = _WHITESPACE_RUN.finditer(text)
    removed = 0
    run = next(runs, None)
    found = []
    for position in positions:
        while run is not None and run.end() <= position:
            removed += len(run.group()) - len(_collapse(run))
            run = next(runs, None)
        found.append(position - removed)
    return found


def join_lines(lines: Iterable[PhysicalLine]) -> str:
    """Join wrapped physical lines into one normalized string."""
    return normalize_text("\n".join(line.text for line in lines))
