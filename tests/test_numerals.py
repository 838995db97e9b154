"""Numbers and quantities: Arabic, Chinese and mixed numerals, units, qualifiers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftz_reforms.model.vocab import Qualifier, Unit
from ftz_reforms.text.markers import marker_numeral, marker_value
from ftz_reforms.text.numerals import QuantityError, parse_number, parse_quantity

DIGITS = "零一二三四五六七八九"


def _below_10000(n: int) -> str:
    """Chinese numeral for 1..9999 as written in running text (一千零五, 十二, 二百一十)."""
    out = ""
    zero_pending = False
    for unit_value, unit_char in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit_value % 10
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out += "零"
            zero_pending = False
        out += DIGITS[digit] + unit_char
    if out.startswith("一十"):
        out = out[1:]
    return out


def to_chinese(n: int) -> str:
    """An independent writer of Chinese numerals, the inverse the parser must agree with."""
    if n == 0:
        return "零"
    parts = []
    yi, rest = divmod(n, 100_000_000)
    wan, low = divmod(rest, 10_000)
    if yi:
        parts.append(to_chinese(yi) + "亿")
    if wan:
        if yi and wan < 1000:
            parts.append("零")
        parts.append(_below_10000(wan) + "万")
    if low:
        if (yi or wan) and low < 1000:
            parts.append("零")
        parts.append(_below_10000(low))
    return "".join(parts)


@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_integers_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_arabic_decimals_round_trip(d: Decimal) -> None:
    assert parse_number(f"{d:f}") == float(d)


@given(st.integers(min_value=1, max_value=10**12))
def test_chinese_numerals_round_trip(n: int) -> None:
    assert parse_number(to_chinese(n)) == n


@given(st.integers(min_value=1, max_value=99_999_999), st.sampled_from([("万", 10_000), ("亿", 100_000_000)]))
def test_mixed_wan_and_yi_forms_round_trip(n: int, magnitude: tuple[str, int]) -> None:
    suffix, factor = magnitude
    digits = f"{Decimal(n) / factor:f}"
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    written = digits + suffix
    assert parse_number(written) == n


@given(st.integers(min_value=1, max_value=99))
def test_list_markers_round_trip(n: int) -> None:
    assert marker_value(marker_numeral(n)) == n


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.22万", 12_200),
        ("二十三亿", 2_300_000_000),
        ("一千二百", 1200),
        ("两万", 20_000),
        ("万", 10_000),
        ("3万亿", 3e12),
        ("〇", 0),
        ("二〇二三", 2023),  # digit by digit, as a year is written
        ("一千零五", 1005),
        ("十二", 12),
        ("2.07亿", 207_000_000),
    ],
)
def test_numbers(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "十十", "一二三四五六七八九十千", "1.2.3", "千百"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(QuantityError):
        parse_number(text)


@pytest.mark.parametrize(
    ("span", "value", "value_max", "unit", "classifier", "per", "qualifier"),
    [
        ("约5000万元", 5e7, None, Unit.CNY, None, (), Qualifier.APPROX),
        ("2/3以上", 66.67, None, Unit.PERCENT, None, (), Qualifier.AT_LEAST),
        ("600—800元/天/车", 600, 800, Unit.CNY, None, ("day", "vehicle"), Qualifier.RANGE),
        ("四分之三", 75, None, Unit.PERCENT, None, (), Qualifier.EXACT),
        ("七成", 70, None, Unit.PERCENT, None, (), Qualifier.EXACT),
        ("一半以上", 50, None, Unit.PERCENT, None, (), Qualifier.AT_LEAST),
        ("翻一番", 2, None, Unit.TIMES, None, (), Qualifier.EXACT),
        ("翻两番", 4, None, Unit.TIMES, None, (), Qualifier.EXACT),
        ("百分之十五", 15, None, Unit.PERCENT, None, (), Qualifier.EXACT),
        ("3个百分点", 3, None, Unit.PERCENTAGE_POINT, None, (), Qualifier.EXACT),
        ("30%—40%", 30, 40, Unit.PERCENT, None, (), Qualifier.RANGE),
        ("200至300家", 200, 300, Unit.COUNT, "家", (), Qualifier.RANGE),
        ("20到30分钟", 20, 30, Unit.MINUTE, None, (), Qualifier.RANGE),
        ("1000—3000万元", 1e7, 3e7, Unit.CNY, None, (), Qualifier.RANGE),
        ("5个工作日", 5, None, Unit.WORKING_DAY, None, (), Qualifier.EXACT),
        ("7000余家", 7000, None, Unit.COUNT, "家", (), Qualifier.MORE_THAN),
        ("2万余件", 20000, None, Unit.COUNT, "件", (), Qualifier.MORE_THAN),
        ("1000多万元", 1e7, None, Unit.CNY, None, (), Qualifier.MORE_THAN),
        ("逾万次", 10000, None, Unit.COUNT, "次", (), Qualifier.MORE_THAN),
        ("近16亿元", 1.6e9, None, Unit.CNY, None, (), Qualifier.NEARLY),
        ("4%左右", 4, None, Unit.PERCENT, None, (), Qualifier.APPROX),
        ("不到10分钟", 10, None, Unit.MINUTE, None, (), Qualifier.LESS_THAN),
        ("不足30人", 30, None, Unit.COUNT, "人", (), Qualifier.LESS_THAN),
        ("20个工作日内", 20, None, Unit.WORKING_DAY, None, (), Qualifier.AT_MOST),
        ("不少于3项", 3, None, Unit.COUNT, "项", (), Qualifier.AT_LEAST),
        ("5000总吨以上", 5000, None, Unit.GROSS_TONNAGE, None, (), Qualifier.AT_LEAST),
        ("55000标箱", 55000, None, Unit.TEU, None, (), Qualifier.EXACT),
        ("250立方米/小时", 250, None, Unit.CUBIC_METRE, None, ("hour",), Qualifier.EXACT),
        ("195.2亿美元", 1.952e10, None, Unit.USD, None, (), Qualifier.EXACT),
        ("全国第五", 5, None, Unit.RANK, None, (), Qualifier.EXACT),
        ("第44位", 44, None, Unit.RANK, None, (), Qualifier.EXACT),
        ("4020人次", 4020, None, Unit.COUNT, "人次", (), Qualifier.EXACT),
        ("二十三亿元", 2.3e9, None, Unit.CNY, None, (), Qualifier.EXACT),
    ],
)
def test_quantities(
    span: str,
    value: float,
    value_max: float | None,
    unit: Unit,
    classifier: str | None,
    per: tuple[str, ...],
    qualifier: Qualifier,
) -> None:
    quantity = parse_quantity(span)
    assert quantity.value == pytest.approx(value)
    assert quantity.value_max == (pytest.approx(value_max) if value_max is not None else None)
    assert quantity.unit is unit
    assert quantity.classifier == classifier
    assert quantity.per == per
    assert quantity.qualifier is qualifier


@pytest.mark.parametrize("span", ["2023", "一是", "800—600元", "1/0", "约"])
def test_not_quantities(span: str) -> None:
    with pytest.raises(QuantityError):
        parse_quantity(span)
