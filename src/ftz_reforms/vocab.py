"""Controlled vocabularies of the data contract (DESIGN.md §3).

Each vocabulary is a ``str`` enum, so a value serializes as its plain string in JSON and the JSON
Schema lists the allowed values.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["Direction", "Qualifier", "Role", "Unit", "Where"]


class Unit(str, Enum):
    """Unit of a metric's value."""

    CNY = "CNY"
    USD = "USD"
    PERCENT = "percent"
    PERCENTAGE_POINT = "percentage_point"
    DAY = "day"
    WORKING_DAY = "working_day"
    HOUR = "hour"
    MINUTE = "minute"
    MONTH = "month"
    YEAR = "year"
    TONNE = "tonne"
    TEU = "TEU"
    GROSS_TONNAGE = "gross_tonnage"
    CUBIC_METRE = "cubic_metre"
    SQUARE_METRE = "square_metre"
    TIMES = "times"
    RANK = "rank"
    COUNT = "count"


class Qualifier(str, Enum):
    """How the text qualifies a figure."""

    EXACT = "exact"
    APPROX = "approx"
    NEARLY = "nearly"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    RANGE = "range"


class Role(str, Enum):
    """What a figure is within its sentence."""

    LEVEL = "level"
    CHANGE = "change"
    BEFORE = "before"
    AFTER = "after"
    RANK = "rank"


class Direction(str, Enum):
    """Sign of a change: a saving or reduction is ``down``."""

    UP = "up"
    DOWN = "down"


class Where(str, Enum):
    """Part of a case a metric was found in."""

    INTRO = "intro"
    PRACTICE = "practice"
    OUTCOME = "outcome"
