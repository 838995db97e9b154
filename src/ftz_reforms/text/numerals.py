"""Numerals and quantities: Arabic and Chinese numbers, units, measure words and qualifiers.

Everything here works on a single figure's text (``约5000万元``, ``600—800元/天/车``, ``2/3以上``);
finding figures in running text, and deciding what they mean in their sentence, is the extractor's job
(:mod:`ftz_reforms.text.extract`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ftz_reforms.errors import FtzReformsError
from ftz_reforms.model.bounds import MAX_FIGURE
from ftz_reforms.model.vocab import PREFIX_QUALIFIERS, SUFFIX_QUALIFIERS, UNITS, Qualifier, Unit

__all__ = [
    "CHINESE_NUMERAL_CHARS",
    "MEASURE_WORDS",
    "Quantity",
    "QuantityError",
    "QuantityOutOfBounds",
    "parse_number",
    "parse_quantity",
]

_DIGITS = "一二三四五六七八九"
_DIGIT_VALUES = {**{c: i + 1 for i, c in enumerate(_DIGITS)}, "两": 2, "零": 0, "〇": 0}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"


class QuantityError(FtzReformsError, ValueError):
    """Text that is not a number or figure; the message quotes it."""


class QuantityOutOfBounds(QuantityError):
    """A figure's number beyond what the data contract holds (``model.bounds.MAX_FIGURE``)."""


# --- numbers --------------------------------------------------------------------------------------

_ARABIC = re.compile(r"([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)([十百千万亿]*)")
_MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def _below_ten_thousand(text: str) -> float:
    """一千二百 → 1200, 十二 → 12, 二〇二三 → 2023 (digit by digit), 百 → 100."""
    if not text:
        return 0.0
    if len(text) > 1 and all(c in _DIGIT_VALUES for c in text):
        return float("".join(str(_DIGIT_VALUES[c]) for c in text))
    return _by_units(text)


def _by_units(text: str) -> float:
    """The value of digits each followed by its unit, largest unit first (一千二百, 十二, 三千零五)."""
    total = 0
    pending: int | None = None  # the digit read and not yet multiplied by a unit
    last_unit = 10_000
    for char in text:
        if char in _DIGIT_VALUES:
            pending = _next_digit(text, char, pending)
        elif char in _SMALL_UNITS:
            unit = _SMALL_UNITS[char]
            total += _unit_amount(text, unit, pending, total, last_unit)
            pending, last_unit = None, unit
        else:
            raise _not_a_numeral(text)
    return float(total + (pending or 0))


def _next_digit(text: str, char: str, pending: int | None) -> int | None:
    """The digit ``char`` waiting for its unit (None for a zero, which only holds a place); a digit right after
    another is no numeral of ``text``."""
    value = _DIGIT_VALUES[char]
    if pending is not None and value != 0:
        raise _not_a_numeral(text)
    return value or None


def _unit_amount(text: str, unit: int, pending: int | None, total: int, last_unit: int) -> int:
    """What the unit adds, times its digit: a unit needs its digit (一千二百), except a leading one (十二, 百亿),
    and comes below the unit before it."""
    if unit >= last_unit or (pending is None and total):
        raise _not_a_numeral(text)
    return (pending if pending is not None else 1) * unit


def _not_a_numeral(text: str) -> QuantityError:
    return QuantityError(f"not a Chinese numeral: {text!r}")


def _chinese(text: str) -> float:
    if "亿" in text:
        high, _, low = text.rpartition("亿")
        return (_chinese(high) if high else 1.0) * 1e8 + _chinese(low)
    if "万" in text:
        high, _, low = text.rpartition("万")
        return (_below_ten_thousand(high) if high else 1.0) * 1e4 + _below_ten_thousand(low)
    return _below_ten_thousand(text)


def parse_number(text: str) -> float:
    """Value of a number written in Arabic digits, Chinese numerals or a mix of both.

    ``5000`` → 5000, ``1,234.5`` → 1234.5, ``1.22万`` → 12200, ``3万亿`` → 3e12, ``二十三亿`` → 2.3e9,
    ``一千二百`` → 1200, ``两万`` → 20000, ``万`` → 10000 (as in 逾万).
    """
    if not text:
        raise QuantityError("empty number")
    arabic = _ARABIC.fullmatch(text)
    if arabic:
        # Decimal keeps 2.07亿 at exactly 207000000 instead of 206999999.99999997.
        value = Decimal(arabic.group(1).replace(",", ""))
        for char in arabic.group(2):
            value *= _MAGNITUDES[char]
        return float(value)
    if all(c in CHINESE_NUMERAL_CHARS for c in text):
        return _chinese(text)
    raise QuantityError(f"not a number: {text!r}")


# --- units and measure words ----------------------------------------------------------------------


# Measure words of counts (unit "count"); the longest form wins (艘次 before 艘, 大类 before 类).
MEASURE_WORDS: tuple[str, ...] = (
    "人次", "艘次", "架次", "车次", "大类", "方面", "家", "项", "个", "件", "票", "条", "名", "人", "列",
    "本", "款", "支", "座", "艘", "户", "类", "批", "种", "单", "尾", "次", "张", "份", "场", "所", "台",
    "辆", "起", "例", "笔", "套", "期", "位", "只", "头", "册", "部", "处", "株", "亩",
)  # fmt: skip

_PER_WORDS = {"天": "day", "日": "day", "车": "vehicle", "辆": "vehicle", "小时": "hour", "时": "hour",
              "月": "month", "年": "year", "人": "person", "次": "time", "柜": "container", "箱": "container",
              "件": "item", "吨": "tonne", "分钟": "minute"}  # fmt: skip

# 余 and 多 sit inside the figure: 7000余家, 2万余件, 1000多万元.
_MORE_THAN_MARKS = "余多"


def _alternation(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUMBER = r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?"
_CN_NUMBER = f"[{CHINESE_NUMERAL_CHARS}]+"
_MAGNITUDE = r"(?:万亿|[万亿千])"
_RANGE_SEPARATOR = r"(?:—|－|-|–|～|~|至|到)"
_UNIT_TEXT = _alternation([form.text for form in UNITS])
_MEASURE_TEXT = _alternation(MEASURE_WORDS)
_PER_TEXT = _alternation(list(_PER_WORDS))
# 约 and 近 also end words (节约, 签约, 最近, 附近) that qualify nothing.
_PREFIX_TEXT = (
    _alternation([w for w in PREFIX_QUALIFIERS if w not in ("约", "近")]) + r"|(?<![节制签预公契合相])约|(?<![最附])近"
)
_SUFFIX_TEXT = _alternation(list(SUFFIX_QUALIFIERS))


def _amount(name: str, number: str) -> str:
    return (
        rf"(?P<{name}>{number})(?P<{name}_more1>[{_MORE_THAN_MARKS}])?"
        rf"(?P<{name}_mag>{_MAGNITUDE})?(?P<{name}_more2>[{_MORE_THAN_MARKS}])?"
    )


def _figure_pattern(number: str) -> str:
    """A figure: [prefix] amount [— amount] [%] unit-or-measure-word [/per…] [suffix]."""
    return (
        rf"(?P<prefix>{_PREFIX_TEXT})?"
        + _amount("low", number)
        + r"(?P<low_pct>[%％])?"
        + rf"(?:{_RANGE_SEPARATOR}"
        + _amount("high", number)
        + r")?"
        + rf"(?P<unit>{_UNIT_TEXT}|{_MEASURE_TEXT})?"
        + rf"(?P<per>(?:/(?:{_PER_TEXT}))+)?"
        + rf"(?P<suffix>{_SUFFIX_TEXT})?"
    )


ARABIC_FIGURE = re.compile(_figure_pattern(_NUMBER))
CHINESE_FIGURE = re.compile(_figure_pattern(_CN_NUMBER))
FRACTION_FIGURE = re.compile(
    rf"(?P<prefix>{_PREFIX_TEXT})?(?:(?P<num>[0-9]+)/(?P<den>[0-9]+)|(?P<cden>{_CN_NUMBER})分之(?P<cnum>{_CN_NUMBER}))"
    rf"(?P<suffix>{_SUFFIX_TEXT})?"
)
PERCENT_WORDS_FIGURE = re.compile(
    rf"(?P<prefix>{_PREFIX_TEXT})?百分之(?P<pct>{_CN_NUMBER}|{_NUMBER})(?P<suffix>{_SUFFIX_TEXT})?"
)
TENTHS_FIGURE = re.compile(
    rf"(?P<prefix>{_PREFIX_TEXT})?(?P<tenths>[一二两三四五六七八九十])成(?P<suffix>{_SUFFIX_TEXT})?"
)
HALF_FIGURE = re.compile(rf"(?P<prefix>{_PREFIX_TEXT})?一半(?P<suffix>{_SUFFIX_TEXT})?")
DOUBLING_FIGURE = re.compile(r"翻了?(?P<doublings>[一两二三四])番")
RANK_FIGURE = re.compile(rf"(?P<scope>全国|全省|全球|全市)?第(?P<rank>{_NUMBER}|{_CN_NUMBER})(?P<unit>位|名)?")


@dataclass(frozen=True)
class Quantity:
    """A figure's value as written, before its sentence says what it measures."""

    value: float
    value_max: float | None
    unit: Unit
    classifier: str | None
    per: tuple[str, ...]
    qualifier: Qualifier


_UNIT_BY_TEXT = {form.text: form for form in UNITS}


def _qualifier(groups: dict[str, str | None], default: Qualifier = Qualifier.EXACT) -> Qualifier:
    if groups.get("high"):
        return Qualifier.RANGE
    prefix, suffix = groups.get("prefix"), groups.get("suffix")
    more = any(groups.get(k) for k in ("low_more1", "low_more2", "high_more1", "high_more2"))
    if prefix:
        return PREFIX_QUALIFIERS[prefix]
    if more:
        return Qualifier.MORE_THAN
    if suffix:
        return SUFFIX_QUALIFIERS[suffix]
    return default


def _amount_value(groups: dict[str, str | None], name: str) -> float:
    return parse_number((groups[name] or "") + (groups.get(f"{name}_mag") or ""))


def _rate_denominators(groups: dict[str, str | None]) -> tuple[str, ...]:
    per = groups.get("per") or ""
    return tuple(_PER_WORDS[word] for word in per.split("/") if word)


def _fraction(match: re.Match[str], groups: dict[str, str | None]) -> Quantity:
    if groups["num"]:
        numerator, denominator = float(groups["num"]), float(groups["den"] or 0)
    else:
        numerator, denominator = parse_number(groups["cnum"] or ""), parse_number(groups["cden"] or "")
    if denominator == 0:
        raise QuantityError(f"a fraction with denominator 0: {match.group()!r}")
    return Quantity(round(100 * numerator / denominator, 2), None, Unit.PERCENT, None, (), _qualifier(groups))


def _percent_words(match: re.Match[str], groups: dict[str, str | None]) -> Quantity:
    return Quantity(parse_number(groups["pct"] or ""), None, Unit.PERCENT, None, (), _qualifier(groups))


def _tenths(match: re.Match[str], groups: dict[str, str | None]) -> Quantity:
    return Quantity(10 * parse_number(groups["tenths"] or ""), None, Unit.PERCENT, None, (), _qualifier(groups))


def _half(match: re.Match[str], groups: dict[str, str | None]) -> Quantity:
    return Quantity(50.0, None, Unit.PERCENT, None, (), _qualifier(groups))


def _doubling(match: re.Match[str], groups: dict[str, str | None]) -> Quantity:
    return Quantity(2.0 ** parse_number(groups["doublings"] or ""), None, Unit.TIMES, None, (), Qualifier.EXACT)


def _rank(match: re.Match[str], groups: dict[str, str | None]) -> Quantity:
    return Quantity(parse_number(groups["rank"] or ""), None, Unit.RANK, None, (), Qualifier.EXACT)


def _bounds(groups: dict[str, str | None]) -> tuple[float, float | None]:
    """The low and (for a range) high number of an amount, their magnitudes applied."""
    low = _amount_value(groups, "low")
    if not groups.get("high"):
        return low, None
    high = _amount_value(groups, "high")
    # "1000—3000万元": a magnitude written once, after the second number, applies to both.
    if groups.get("high_mag") and not groups.get("low_mag"):
        low = parse_number((groups["low"] or "") + (groups["high_mag"] or ""))
    return low, high


def _stated_amount(match: re.Match[str], groups: dict[str, str | None]) -> Quantity:
    unit_text = groups.get("unit") or groups.get("low_pct")
    if not unit_text:
        raise QuantityError(f"a number without a unit or measure word: {match.group()!r}")
    low, high = _bounds(groups)
    form = _UNIT_BY_TEXT.get(unit_text)
    unit, classifier, factor = (form.unit, None, form.factor) if form is not None else (Unit.COUNT, unit_text, 1.0)
    if high is not None and high * factor <= low * factor:
        raise QuantityError(f"a range whose upper end is not above its lower end: {match.group()!r}")
    return Quantity(
        value=low * factor,
        value_max=high * factor if high is not None else None,
        unit=unit,
        classifier=classifier,
        per=_rate_denominators(groups),
        qualifier=_qualifier(groups),
    )


_READERS: dict[re.Pattern[str], Callable[[re.Match[str], dict[str, str | None]], Quantity]] = {
    FRACTION_FIGURE: _fraction,
    PERCENT_WORDS_FIGURE: _percent_words,
    TENTHS_FIGURE: _tenths,
    HALF_FIGURE: _half,
    DOUBLING_FIGURE: _doubling,
    RANK_FIGURE: _rank,
}
"""How a match of each special figure pattern reads; every other pattern states an amount with a unit."""


def quantity_from_match(match: re.Match[str]) -> Quantity:
    """The quantity of a match of one of the figure patterns above; :class:`QuantityOutOfBounds` for a number
    beyond what a figure of the data contract holds (``model.bounds.MAX_FIGURE``, and never infinite)."""
    quantity = _READERS.get(match.re, _stated_amount)(match, match.groupdict())
    for value in (quantity.value, quantity.value_max):
        if value is not None and not abs(value) <= MAX_FIGURE:  # "not <=": NaN and infinity are beyond too
            raise QuantityOutOfBounds(f"a number beyond {MAX_FIGURE:,.0f}, more than a figure holds: {match.group()!r}")
    return quantity


FIGURE_PATTERNS = (
    FRACTION_FIGURE,
    PERCENT_WORDS_FIGURE,
    DOUBLING_FIGURE,
    RANK_FIGURE,
    HALF_FIGURE,
    TENTHS_FIGURE,
    ARABIC_FIGURE,
    CHINESE_FIGURE,
)


def parse_quantity(span: str) -> Quantity:
    """The quantity a figure's text states: ``约5000万元`` → 5e7 CNY, approx."""
    for pattern in FIGURE_PATTERNS:
        match = pattern.fullmatch(span)
        if match:
            return quantity_from_match(match)
    raise QuantityError(f"not a figure: {span!r}")
