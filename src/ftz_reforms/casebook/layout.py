"""Paragraphs recovered from the casebook's layout.

The extraction kept the printed lines but not where they sit on the page, and it dropped the two-cell
indent that opens every paragraph. A paragraph still shows in the lines twice: its first line holds
two cells less than a full line, and its last line usually ends early. So the widths of the lines are
measured in character cells, and a paragraph is taken to start after a line that ends a sentence when
that line ends early or the next one is indented.

Measured on batch 5 (1,378 lines): a full line is 26 cells and a paragraph's first line 24, once the
curly quotes, Latin letters, digits and the spaces beside them count half a cell (each of these choices
made both peaks sharper). Of the lines that run on from one before (758), all but one measure 25 cells
or more and 97% 25.5 or more; of the first lines after a heading (159), 95% measure 24.5 or less and 7
measure 25. Hence a line is short from 1.5 cells below full, and 25 reads as full. The full width is
measured per casebook, so a batch printed on another page width is read the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ftz_reforms.text.chars import CLOSING_MARKS, SENTENCE_END
from ftz_reforms.text.normalize import PhysicalLine, normalized_offsets

__all__ = ["INDENT", "ends_sentence", "full_width", "line_width", "paragraph_lines", "paragraph_starts"]

INDENT = 2.0
"""Cells by which a paragraph's first line is indented."""
_SHORT_BY = 1.5
"""A line this many cells or more below the full width is short: it ends early, or it is indented."""
_SPREAD = 1.0
"""How far a line's measured width strays from what it holds: an indented line is within a cell of full - indent."""

_HALF_CELL = frozenset("“”‘’ ")
# A sentence ends at 。！？ (or ；：, which end a paragraph that a list follows), maybe closed by a quote
# or bracket.
_SENTENCE_END = re.compile(f"[{SENTENCE_END}；：][{CLOSING_MARKS}]*$")


def line_width(text: str) -> float:
    """The width of a printed line in character cells: half a cell for ASCII, curly quotes and spaces."""
    return sum(0.5 if char.isascii() or char in _HALF_CELL else 1.0 for char in text)


def ends_sentence(text: str) -> bool:
    """Whether a line ends with the end of a sentence."""
    return _SENTENCE_END.search(text) is not None


def full_width(lines: Sequence[PhysicalLine]) -> float:
    """The width of a full line: the most common width, to the half cell, of the lines that do not end a sentence.

    Such a line runs on into the next, so it is full unless it opens a paragraph (about one in seven in
    batch 5). 0 when every line ends a sentence, and then no line is ever short.
    """
    widths = Counter(round(line_width(line.text) * 2) / 2 for line in lines if not ends_sentence(line.text))
    if not widths:
        return 0.0
    # The widest of equally common widths: a tie between a full and an indented width is read as full.
    return max(widths, key=lambda width: (widths[width], width))


def paragraph_lines(lines: Sequence[PhysicalLine], full: float) -> tuple[int, ...]:
    """The indices of the lines of one block of text that start a paragraph, in order.

    The first line starts one. Any other line does when the line before it ends a sentence and either
    ends early (its end, counting the indent of a first line, is short of ``full``) or the line itself
    is indented (short by the indent, within a cell). A short line after a full one that ends a sentence
    is read as the last line of the paragraph, not as a paragraph of one line.
    """
    starts: list[int] = [0] if lines else []
    for index in range(1, len(lines)):
        before = lines[index - 1].text
        if not ends_sentence(before):
            continue
        before_end = line_width(before) + (INDENT if starts[-1] == index - 1 else 0.0)
        width = line_width(lines[index].text)
        ends_early = before_end <= full - _SHORT_BY
        indented = full - INDENT - _SPREAD <= width <= full - _SHORT_BY
        if ends_early or indented:
            starts.append(index)
    return tuple(starts)


def paragraph_starts(lines: Sequence[PhysicalLine], full: float, skip: int = 0) -> tuple[int, ...]:
    """The offsets in a block's text at which its paragraphs start, the first at 0.

    The text is the join of the lines less its first ``skip`` characters (a section's marker and
    heading, which the layout sets as the opening of the first paragraph).
    """
    # A paragraph starts after a sentence's end, where a line break leaves nothing behind, so where a line
    # starts in the joined text is where its paragraph starts: found in one walk over the join.
    raw_starts, position = [], 0
    for line in lines:
        raw_starts.append(position)
        position += len(line.text) + 1
    indices = paragraph_lines(lines, full)
    joined = "\n".join(line.text for line in lines)
    later = (offset - skip for offset in normalized_offsets(joined, [raw_starts[index] for index in indices]))
    return (0, *(offset for offset in later if offset > 0))
