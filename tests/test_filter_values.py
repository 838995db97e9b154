"""Any value handed to a filter: a result, or a FilterError that names the filter and the value; never an
OverflowError, a TypeError or a ValueError from deeper down (a number beyond a float's range, NaN, an
integer too long to write, a value of the wrong type). The same on the command line: exit 2, one line."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ftz_reforms
from ftz_reforms.cli.app import main
from ftz_reforms.errors import CaseNotFoundError, FilterError

# (query, filter): the four bounds, each compared with the bundled data's values.
_BOUNDS = [
    (ftz_reforms.metrics, "min_value"),
    (ftz_reforms.metrics, "max_value"),
    (ftz_reforms.effects, "min_change"),
    (ftz_reforms.effects, "max_change"),
]
_BOUND_IDS = [name for _, name in _BOUNDS]


@pytest.mark.parametrize(("query", "name"), _BOUNDS, ids=_BOUND_IDS)
@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param(10**400, "10000000000000000000000000000000… (401 digits)", id="10**400"),
        pytest.param(-(10**400), "-1000000000000000000000000000000… (402 digits)", id="-10**400"),
        # Python writes no integer of more than 4,300 digits.
        pytest.param(10**5000, "an integer of about 5,001 digits", id="10**5000"),
        (math.nan, "nan"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
    ],
)
def test_a_bound_no_float_can_stand_for_is_refused(query: object, name: str, value: float, shown: str) -> None:
    with pytest.raises(FilterError) as raised:
        query(**{name: value})  # type: ignore[operator]
    assert str(raised.value) == f"{name} must be a finite number within ±1.8e308, not {shown}"


@pytest.mark.parametrize(("query", "name"), _BOUNDS, ids=_BOUND_IDS)
@pytest.mark.parametrize(
    "value", ["1e400", "nan", "inf", "10", True, b"1", [1], pytest.param("x" * 100_000, id="x*100000")]
)
def test_a_bound_that_is_not_a_number_is_refused(query: object, name: str, value: object) -> None:
    with pytest.raises(FilterError, match=f"^{name} must be a number \\(an int or a float\\), not ") as raised:
        query(**{name: value})  # type: ignore[operator]
    assert len(str(raised.value)) < 120, "a long value is cut short"


@pytest.mark.parametrize(("query", "name"), _BOUNDS, ids=_BOUND_IDS)
def test_negative_zero_and_large_finite_bounds_compare(query: object, name: str) -> None:
    assert query(**{name: -0.0}) == query(**{name: 0})  # type: ignore[operator]
    everything = query()  # type: ignore[operator]
    # 2**1023 and 10**300 are integers a float stands for: no bound the data reaches.
    lower = name.startswith("min")
    assert query(**{name: -(10**300) if lower else 10**300}) == tuple(  # type: ignore[operator]
        each
        for each in everything
        if not name.endswith("change") or each.effect.relative_change is not None  # type: ignore[union-attr]
    )
    assert query(**{name: 2**1023 if lower else -(2**1023)}) == ()  # type: ignore[operator]


# Every int, float (NaN and infinities included) and string, with integers far beyond a float's range.
_ANY_VALUE = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**5000), max_value=10**5000),
    st.builds(lambda digits, sign: sign * 10**digits, st.integers(300, 6000), st.sampled_from([1, -1])),
    st.floats(),
    st.text(),
    st.sampled_from(["1e400", "-1e400", "nan", "inf", "-inf", "-0", "10", " 10 ", "１０", "0x10"]),
)


@settings(max_examples=300, deadline=None)
@given(value=_ANY_VALUE, bound=st.sampled_from(_BOUNDS))
def test_a_bound_gives_results_or_a_filter_error(value: object, bound: tuple[object, str]) -> None:
    query, name = bound
    refused: FilterError | None = None
    try:
        found = query(**{name: value})  # type: ignore[operator]
    except FilterError as error:
        refused = error
    if refused is None:
        assert isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        assert isinstance(found, tuple)
    else:
        message = str(refused)
        assert message.startswith(f"{name} must be a ") and len(message) < 160 and "\n" not in message


def _search(**filters: object) -> list[ftz_reforms.Hit]:
    return ftz_reforms.search("退货", **filters)  # type: ignore[arg-type]


# The other filters: a vocabulary name, a baseline, a case, a province, an area, a text.
_OTHERS = [
    *((ftz_reforms.metrics, name) for name in ("unit", "role", "direction", "where", "case")),
    *((ftz_reforms.effects, name) for name in ("measure", "direction", "where", "baseline", "case")),
    *((ftz_reforms.filter_cases, name) for name in ("province", "area", "category", "unit", "text")),
    *((_search, name) for name in ("province", "area", "category", "unit", "text")),
]


@settings(max_examples=300, deadline=None)
@given(value=_ANY_VALUE, other=st.sampled_from(_OTHERS))
def test_any_other_filter_gives_results_or_names_the_filter(value: object, other: tuple[object, str]) -> None:
    query, name = other
    refused: FilterError | CaseNotFoundError | None = None
    try:
        found = query(**{name: value})  # type: ignore[operator]
    except (FilterError, CaseNotFoundError) as error:
        refused = error
    if refused is None:
        assert isinstance(found, (tuple, list))
    else:
        assert isinstance(refused, CaseNotFoundError) == (name == "case")
        assert name in str(refused) and "\n" not in str(refused)


@pytest.mark.parametrize(
    ("query", "name", "value", "refusal"),
    [
        pytest.param(
            ftz_reforms.metrics,
            "unit",
            10**5000,
            "unit must be a name (a string), not a value of type int",
            id="unit-10**5000",
        ),
        (ftz_reforms.metrics, "role", math.nan, "role must be a name (a string), not a value of type float"),
        (ftz_reforms.filter_cases, "province", 5, "province must be a name (a string), not a value of type int"),
        (ftz_reforms.filter_cases, "text", 5, "text must be some text (a string), not a value of type int"),
        (ftz_reforms.effects, "baseline", math.inf, "baseline must be a year or a name, not a value of type float"),
        pytest.param(
            ftz_reforms.effects,
            "baseline",
            10**5000,
            "unknown baseline an integer of about 5,001 digits; accepted values: a year such as 2017, "
            "same_period_last_year, previous_period, before_reform",
            id="baseline-10**5000",
        ),
    ],
)
def test_a_name_filter_refuses_a_number(query: object, name: str, value: object, refusal: str) -> None:
    with pytest.raises(FilterError) as raised:
        query(**{name: value})  # type: ignore[operator]
    assert str(raised.value) == refusal


def test_a_year_as_a_number_is_still_a_baseline() -> None:
    assert ftz_reforms.effects(baseline=2021) == ftz_reforms.effects(baseline="2021") != ()


@pytest.mark.parametrize("value", [pytest.param(10**5000, id="10**5000"), pytest.param("x" * 100_000, id="x*100000")])
def test_a_case_too_long_to_show_is_named_cut_short(value: object) -> None:
    with pytest.raises(CaseNotFoundError) as raised:
        ftz_reforms.metrics(case=value)  # type: ignore[arg-type]
    assert len(str(raised.value)) < 200


@pytest.mark.parametrize("name", ["unit", "role", "direction", "where"])
def test_a_name_too_long_to_show_is_refused_cut_short(name: str) -> None:
    with pytest.raises(FilterError, match=f"^unknown {name} 'xxx[x]*… \\(100,002 characters\\); accepted values: "):
        ftz_reforms.metrics(**{name: "x" * 100_000})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["effects", "--min-change", "1e400"], "min_change must be a finite number within ±1.8e308, not inf"),
        (["effects", "--max-change=-1e999"], "max_change must be a finite number within ±1.8e308, not -inf"),
        (["effects", "--max-change", "nan"], "max_change must be a finite number within ±1.8e308, not nan"),
        (["metrics", "--min", "inf"], "min_value must be a finite number within ±1.8e308, not inf"),
        (["metrics", "--max", "NaN"], "max_value must be a finite number within ±1.8e308, not nan"),
    ],
    ids=["min-change-1e400", "max-change--1e999", "max-change-nan", "min-inf", "max-NaN"],
)
def test_the_command_line_refuses_an_unbounded_bound_in_one_line(
    argv: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == f"ftz-reforms: {named}\n"


def test_the_command_line_still_takes_negative_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["effects", "--min-change", "-0", "--format", "csv"]) == 0
    zero = capsys.readouterr().out
    assert main(["effects", "--min-change", "0", "--format", "csv"]) == 0
    assert capsys.readouterr().out == zero and len(zero.splitlines()) > 1
