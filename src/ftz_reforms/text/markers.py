"""The casebook's list markers: sub-section markers （一）, enumerated points 一是…二是…, and their numerals.

One definition serves the parser (which cuts sections and points at them) and the extractor (which must
not read their numerals as figures).
"""

from __future__ import annotations

import re

__all__ = [
    "ASPECT_MARKER",
    "LIST_MARKER",
    "MARKER_NUMERALS",
    "POINT_MARKER",
    "SECTION_MARKER",
    "marker_numeral",
    "marker_value",
]

MARKER_NUMERALS = "一二三四五六七八九十"
_DIGITS = MARKER_NUMERALS[:9]

_SECTION = rf"[（(]([{MARKER_NUMERALS}]{{1,3}})[）)]"
# A point marker opens a clause: at the start, or after punctuation that ends one, so that words such
# as 统一是 never count.
_POINT = rf"(?:(?<=^)|(?<=[。；：，！？”]))([{MARKER_NUMERALS}]{{1,2}})是"

SECTION_MARKER = re.compile("^" + _SECTION)
"""A sub-section marker at the start of a line: （一）, or the half-width-opening (一） the source also has."""
POINT_MARKER = re.compile(_POINT)
"""The marker of an enumerated point: 一是, 二是…; group 1 is its numeral."""
ASPECT_MARKER = re.compile(r"(?:(?<=^)|(?<=[。；：，！？”]))(另)?一方面")
"""一方面 or 另一方面 opening a clause: the two points of a pair (group 1 is 另 for the second)."""
LIST_MARKER = re.compile(f"{_POINT}|{_SECTION}")
"""Either marker, anywhere in a text."""


def marker_value(numeral: str) -> int:
    """Value of a list-marker numeral from 1 to 99: 一 → 1, 十 → 10, 十二 → 12, 二十三 → 23."""
    tens, ten, units = numeral.partition("十")
    if not ten:
        tens, units = "", numeral
    if not _is_marker_numeral(tens, ten, units):
        raise ValueError(f"not a list-marker numeral from 一 to 九十九: {numeral!r}")
    # A 十 alone counts one ten (十二); no 十, no tens.
    tens_value = (_digit_value(tens) or 1) if ten else 0
    return tens_value * 10 + _digit_value(units)


def _is_marker_numeral(tens: str, ten: str, units: str) -> bool:
    """Whether the parts of a numeral around its 十 (``ten``, or empty) make one from 1 to 99: at most one digit
    each side, and something besides."""
    one_digit_each = len(tens) <= 1 and len(units) <= 1 and all(c in _DIGITS for c in tens + units)
    return one_digit_each and bool(ten or units)


def _digit_value(digit: str) -> int:
    """一 → 1 … 九 → 9; 0 for no digit."""
    return _DIGITS.index(digit) + 1 if digit else 0


def marker_numeral(value: int) -> str:
    """Inverse of :func:`marker_value`: 1 → 一, 10 → 十, 12 → 十二, 23 → 二十三."""
    if not 1 <= value <= 99:
        raise ValueError(f"list-marker numerals run from 1 to 99, not {value}")
    tens, units = divmod(value, 10)
    if tens == 0:
        return _DIGITS[units - 1]
    return ("" if tens == 1 else _DIGITS[tens - 1]) + "十" + (_DIGITS[units - 1] if units else "")
