"""What counts as Chinese: one definition for the normalizer, the parser, keywords and search.

An *ideograph* is a Chinese character (CJK Unified Ideographs, Extension A, the compatibility
ideographs and the supplementary-plane extensions). *CJK* is wider: ideographs plus the punctuation
and symbols that Chinese text sets full-width (，。、“”…（）：), which is what the normalizer treats as
Chinese when it removes the spaces that PDF extraction left beside them.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "CJK_RUN",
    "CLAUSE_BREAKS",
    "CLOSING_MARKS",
    "IDEOGRAPHS",
    "IDEOGRAPH_RANGES",
    "SENTENCE_END",
    "is_cjk",
    "is_ideograph",
    "mark_positions",
]

IDEOGRAPH_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))
"""The ideographs' code points, first and last of each range: CJK Extension A, the Unified Ideographs, the
Compatibility Ideographs, and the supplementary planes' extensions."""

IDEOGRAPHS = "".join(f"{chr(first)}-{chr(last)}" for first, last in IDEOGRAPH_RANGES)
"""The ideograph ranges, as the body of a regular-expression character class."""

CJK_RUN = re.compile(f"[{IDEOGRAPHS}]+")
"""A run of consecutive ideographs."""

SENTENCE_END = "。！？"
"""The marks that end a Chinese sentence."""
CLAUSE_BREAKS = "，；：,;" + SENTENCE_END
"""The marks that end a clause: a comma, a semicolon or a colon (full- or half-width), or a sentence's end."""
CLOSING_MARKS = "”’）」』》"
"""Closing quotes and brackets: they follow what they close, a sentence's end included (…。”)."""

_IDEOGRAPH = re.compile(f"[{IDEOGRAPHS}]")


def is_ideograph(char: str) -> bool:
    """True for a Chinese character."""
    return _IDEOGRAPH.fullmatch(char) is not None


def is_cjk(char: str) -> bool:
    """True for an ideograph or a character of CJK or full-width punctuation (curly quotes included)."""
    code = ord(char)
    return (
        is_ideograph(char)
        or 0x2E80 <= code <= 0x9FFF  # radicals, CJK symbols and punctuation (、。「」), kana, and the ideographs
        or 0xFE30 <= code <= 0xFE4F  # CJK compatibility forms
        or 0xFF00 <= code <= 0xFFEF  # full-width forms: （），：；
        or 0x2010 <= code <= 0x206F  # general punctuation used in Chinese text: — “ ” ‘ ’ …
    )


@lru_cache(maxsize=16)
def mark_positions(text: str, marks: str) -> list[int]:
    """Where any of ``marks`` stands in ``text``, in order: found once per text (the extractor and the effect
    rules ask about the same few texts over and over), then looked up by bisection."""
    return [match.start() for match in re.finditer(f"[{re.escape(marks)}]", text)]
