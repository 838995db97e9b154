"""Figures in English: what a terminal, a chart or a caption shows for a figure when it shows no Chinese."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ftz_reforms.model.vocab import Qualifier, Role, Unit

if TYPE_CHECKING:  # the command line renders with it, and `list` must not import pydantic
    from ftz_reforms.model.records import FigureFields

__all__ = ["figure_en", "plain_number", "qualifier_en", "signed_percent"]

_QUALIFIERS_EN = {
    Qualifier.APPROX: "about ",
    Qualifier.NEARLY: "nearly ",
    Qualifier.AT_LEAST: "at least ",
    Qualifier.MORE_THAN: "more than ",
    Qualifier.AT_MOST: "at most ",
    Qualifier.LESS_THAN: "less than ",
}


def qualifier_en(qualifier: Qualifier | None) -> str:
    """How a qualifier is read out before a number: 'about ', 'at least ', …; nothing for an exact one."""
    return _QUALIFIERS_EN.get(qualifier, "") if qualifier is not None else ""


def plain_number(value: float) -> str:
    """A number as people write it: every digit it has, grouped by thousands, never in scientific notation
    (50,000,000; 7,345,000; 0.29; 66.67), as short as the value allows (50000000.0 is 50,000,000)."""
    text = format(Decimal(repr(float(value))), ",f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def signed_percent(value: float) -> str:
    """A relative change as people read it: signed, one decimal, no trailing .0 (-73.2%, +250%)."""
    return f"{value:+.1f}%".replace(".0%", "%")


_AMOUNT_IN = {
    Unit.CNY: "CNY {}",
    Unit.USD: "USD {}",
    Unit.PERCENT: "{}%",
    Unit.PERCENTAGE_POINT: "{} percentage points",
    Unit.TIMES: "{}x",
    Unit.COUNT: "{}",
}
"""How an amount reads in each unit that reads one way whatever the figure."""


def figure_en(metric: FigureFields) -> str:
    """A figure in English words and digits: about CNY 50,000,000; at least 30 days; rank 5; 2.5x."""
    amount = plain_number(metric.value) + (f"-{plain_number(metric.value_max)}" if metric.value_max is not None else "")
    unit = metric.unit
    written = _AMOUNT_IN.get(unit)
    if written is not None:
        text = written.format(amount)
    elif unit is Unit.RANK:
        text = f"rank {amount}" if metric.role is not Role.CHANGE else f"{amount} places"
    else:
        text = _measured(amount, metric)
    return _QUALIFIERS_EN.get(metric.qualifier, "") + text


def _measured(amount: str, metric: FigureFields) -> str:
    """An amount in a unit of measure, named in the plural unless the figure is one (gross tonnage has none)."""
    name = metric.unit.value.replace("_", " ")
    plural = metric.value != 1 and metric.unit is not Unit.GROSS_TONNAGE
    return f"{amount} {name}" + ("s" if plural else "")
