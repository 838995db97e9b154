"""The bounds of the data contract, each defined once: what no string holds, and how far each number goes.

The records (``model.records``) hold them, so the published JSON Schema states them too; whatever makes
records (the parser, the extractor, ``import``) stays within them, and the terminal rendering escapes what
must never reach a terminal. The numbers are ceilings far beyond any casebook, low enough for every output:
an integer of the contract fits SQLite's and Parquet's 64-bit integers, a figure is a finite double.

Cheap to import (no pydantic): the command line's rendering reads it too.
"""

from __future__ import annotations

import re

__all__ = [
    "CONTROL_CHARACTER",
    "CONTROL_CHARACTERS",
    "CONTROL_CHARACTER_PATTERN",
    "FIRST_ZONE_YEAR",
    "LAST_YEAR",
    "MAX_AREA_KM2",
    "MAX_BATCH",
    "MAX_CASE_NUMBER",
    "MAX_FIGURE",
    "MAX_LINE",
    "MAX_ORDINAL",
    "MAX_PAGE",
    "MAX_TEXT",
    "YEAR_AND_MONTH",
    "control_character_problem",
    "escape_control_characters",
    "json_path",
]

CONTROL_CHARACTERS = r"\x00-\x1f\x7f-\x9f"
"""The control characters, as the ranges of a regular expression's character class (written with escapes,
which Python, ECMA-262 and RE2 read alike): C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F), Unicode's
category Cc. No string of the data holds one: the normalized text has no line breaks or tabs either, and a
terminal would act on one (ESC starts a command) rather than show it."""

CONTROL_CHARACTER_PATTERN = f"[{CONTROL_CHARACTERS}]"
"""One control character, anywhere in a string. The JSON Schema states the rule as ``"not": {"pattern": …}``
(a string in which this finds nothing): unanchored, so no engine's reading of ``$`` matters (Python's lets
``$`` match before a final line feed)."""

CONTROL_CHARACTER = re.compile(CONTROL_CHARACTER_PATTERN)

YEAR_AND_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
"""A year and month, YYYY-MM (2024-01): when a batch was published or announced (use ``fullmatch``)."""

MAX_BATCH = 999
"""The highest batch number (six batches by 2025)."""
MAX_CASE_NUMBER = 9_999
"""The highest case number, and the most cases a batch may state: the parser reads up to four digits."""
MAX_ORDINAL = 99
"""The highest sub-section ordinal: the （一） markers run from 一 to 九十九."""
MAX_PAGE = 100_000
"""The highest printed page number."""
MAX_LINE = 10_000_000
"""The highest line number of a source file."""
MAX_TEXT = 10_000_000
"""The longest string, in code points, and so the highest offset into one (a casebook's text is about
70,000)."""
FIRST_ZONE_YEAR = 2013
"""The year the first pilot free trade zone (Shanghai) was approved."""
LAST_YEAR = 2100
"""The latest year a record may name."""
MAX_AREA_KM2 = 100_000.0
"""The largest planned size of a zone or area, in km² (the largest zone is about 240)."""
MAX_FIGURE = 1e15
"""The largest magnitude of a figure's value or an effect's relative change: a thousand trillion (the
largest figure of the bundled casebook is 3e12 yuan), exact as a double, and far inside a 64-bit integer."""


def control_character_problem(text: str) -> str | None:
    """What is wrong with ``text`` by the rule above (``control character U+001B at position 3``, the
    position counted in code points from 0), or None when it holds no control character."""
    if text.isprintable():  # the common case, and fast: no control character is printable
        return None
    found = CONTROL_CHARACTER.search(text)
    if found is None:
        return None
    return f"control character U+{ord(found.group()):04X} at position {found.start()}"


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def escape_control_characters(text: str) -> str:
    """``text`` with each control character written as a visible escape (ESC as ``\\x1b``), for a terminal."""
    if text.isprintable():
        return text
    return CONTROL_CHARACTER.sub(_escape, text)


def json_path(location: tuple[int | str, ...]) -> str:
    """A pydantic error location as a JSON path: ``('cases', 3, 'id')`` → ``$.cases[3].id`` (a key's control
    characters escaped: ``$.\\x1b``)."""
    parts = ["$"]
    for step in location:
        parts.append(f"[{step}]" if isinstance(step, int) else f".{escape_control_characters(str(step))}")
    return "".join(parts)
