"""Chinese numerals.

For now: the small numerals of list markers (（一）, 一是, 十二); quantities come with the metrics.
"""

from __future__ import annotations

__all__ = ["marker_numeral", "marker_value"]

_DIGITS = "一二三四五六七八九"


def marker_value(numeral: str) -> int:
    """Value of a list-marker numeral from 1 to 99: 一 → 1, 十 → 10, 十二 → 12, 二十三 → 23."""
    tens, ten, units = numeral.partition("十")
    if not ten:
        tens, units = "", numeral
    valid = len(tens) <= 1 and len(units) <= 1 and all(char in _DIGITS for char in tens + units) and (ten or units)
    if not valid:
        raise ValueError(f"not a list-marker numeral from 一 to 九十九: {numeral!r}")
    tens_value = (_DIGITS.index(tens) + 1 if tens else 1) if ten else 0
    return tens_value * 10 + (_DIGITS.index(units) + 1 if units else 0)


def marker_numeral(value: int) -> str:
    """Inverse of :func:`marker_value`: 1 → 一, 10 → 十, 12 → 十二, 23 → 二十三."""
    if not 1 <= value <= 99:
        raise ValueError(f"list-marker numerals run from 1 to 99, not {value}")
    tens, units = divmod(value, 10)
    if tens == 0:
        return _DIGITS[units - 1]
    return ("" if tens == 1 else _DIGITS[tens - 1]) + "十" + (_DIGITS[units - 1] if units else "")
