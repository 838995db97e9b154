"""How wide text is in a terminal, and text cut to a width: light enough for every command (a search too).

A CJK character (East Asian width W or F) takes two columns; everything else one.
"""

from __future__ import annotations

import unicodedata

__all__ = ["ELLIPSIS", "cut", "display_width"]

ELLIPSIS = "…"


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` display columns: whole when it fits, else cut with an ellipsis (a wide
    character never split)."""
    if display_width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        char_width = display_width(char)
        if used + char_width > width - 1:
            break
        kept.append(char)
        used += char_width
    return "".join(kept) + ELLIPSIS
