"""Queries over a dataset's records: a case by its reference, metrics filtered by case, unit, role,
direction, part and value (``MetricFilters``), and effects by case, measure, direction, part, baseline and
relative change (``EffectFilters``): each written once and taken by every dataset's ``metrics`` and ``effects``."""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from ftz_reforms.errors import CaseNotFoundError, FilterError
from ftz_reforms.model.records import Case, Effect, Metric
from ftz_reforms.model.vocab import BASELINES, Direction, Measure, Role, Unit, Where, resolve

__all__ = [
    "CaseEffect",
    "CaseMetric",
    "EffectFilters",
    "FilterError",
    "MetricFilters",
    "checked_effect_filters",
    "checked_metric_filters",
    "find_case",
    "select_effects",
    "select_metrics",
]


@dataclass(frozen=True, slots=True)
class CaseMetric:
    """A metric together with the case that reports it."""

    case: Case
    metric: Metric


@dataclass(frozen=True, slots=True)
class CaseEffect:
    """An effect together with the case that reports it, and the metrics it links (None where absent)."""

    case: Case
    effect: Effect
    before: Metric | None
    after: Metric | None
    change: Metric | None


class MetricFilters(TypedDict, total=False):
    """The filters of a metrics query, every one optional; a metric must pass all those given.

    ``case`` takes what ``get`` takes. ``min_value``/``max_value`` bound the value in the metric's own unit
    (for a range, the whole range must lie within the bounds). Vocabulary values are read by
    ``vocab.resolve`` (``"cny"``, ``"万元"`` and ``Unit.CNY`` are one unit); an unknown one raises
    :class:`FilterError` naming the accepted values. ``distinct=True`` leaves out every metric that restates
    an earlier one of its case (``Metric.restates``), so that sums count each figure once. ``None`` is the
    same as not given.
    """

    case: int | str | None
    unit: Unit | str | None
    role: Role | str | None
    direction: Direction | str | None
    where: Where | str | None
    min_value: float | None
    max_value: float | None
    distinct: bool


def find_case(cases: Sequence[Case], ref: int | str) -> Case:
    """The case of ``cases`` that ``ref`` names: a number (``17`` or ``"17"``) or an id (``"b5-17"``).

    A bare number is the case's position in its casebook, and names a case only while ``cases`` hold one
    batch; with several, only an id does. A miss raises :class:`CaseNotFoundError` naming the valid references.
    """
    counts = Counter(case.batch for case in cases)
    number: int | None = None
    if isinstance(ref, int) and not isinstance(ref, bool):
        number = ref
    elif isinstance(ref, str):
        text = ref.strip()
        if text.isascii() and text.isdigit():
            number = int(text)
        else:
            wanted = text.lower()
            for case in cases:
                if case.id == wanted:
                    return case
    if number is not None and len(counts) == 1:
        for case in cases:
            if case.number == number:
                return case
    raise CaseNotFoundError(_short(ref), dict(counts))


MetricTest = Callable[[Metric], bool]


_LONGEST_SHOWN = 40
"""Characters of a filter value a message shows: a 100,000-character value is not echoed whole."""


class _Shown:
    """A value as a message shows it (its ``repr`` is ``_shown(value)``), for messages written elsewhere."""

    __slots__ = ("text",)

    def __init__(self, value: object) -> None:
        self.text = _shown(value)

    def __repr__(self) -> str:
        return self.text


def _shown(value: object) -> str:
    """``repr(value)`` for a one-line message, cut to about 40 characters; an integer too long to write
    (Python writes none of more than 4,300 digits) is described by its number of digits."""
    try:
        text = repr(value)
    except ValueError:
        digits = int(abs(value).bit_length() * math.log10(2)) + 1 if isinstance(value, int) else 0
        return f"an integer of about {digits:,} digits" if digits else f"a {type(value).__name__}"
    if len(text) <= _LONGEST_SHOWN:
        return text
    what = "digits" if isinstance(value, int) else "characters"
    return f"{text[: _LONGEST_SHOWN - 8]}… ({len(text):,} {what})"


def _short(value: object) -> object:
    """``value`` itself when its ``repr`` is short, else a stand-in whose ``repr`` is cut short."""
    try:
        if len(repr(value)) <= _LONGEST_SHOWN:
            return value
    except ValueError:
        pass
    return _Shown(value)


def _number(name: str, value: object) -> float:
    """A bound of ``name`` as a float: a real number (not a bool, not a string) that is finite. NaN compares
    with nothing and an infinite bound is no bound (no bound is the filter left out), so both are refused,
    as is a number beyond a float's range (about ±1.8e308), which no float can stand for."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise FilterError(f"{name} must be a number (an int or a float), not {_shown(value)}")
    try:
        number = float(value)
    except (OverflowError, ValueError, TypeError):
        number = math.nan
    if not math.isfinite(number):
        raise FilterError(f"{name} must be a finite number within ±1.8e308, not {_shown(value)}")
    return number


def _vocabulary_value(vocabulary: type[Unit | Role | Direction | Where | Measure], value: object, field: str) -> object:
    """``vocab.resolve`` of a filter value, after refusing what is not a name (a string) at all."""
    if isinstance(value, vocabulary):
        return value
    if not isinstance(value, str):  # every vocabulary's members are strings too
        raise FilterError(f"{field} must be a name (a string), not a value of type {type(value).__name__}")
    try:
        return resolve(vocabulary, value, field)  # type: ignore[type-var]
    except FilterError:
        if len(value) <= _LONGEST_SHOWN:
            raise
        # The same refusal, the value cut short: a 100,000-character value is not echoed whole.
        raise FilterError.unknown(field, _short(value), [member.value for member in vocabulary]) from None


_VOCABULARY_FILTERS: tuple[tuple[str, type[Unit | Role | Direction | Where]], ...] = (
    ("unit", Unit),
    ("role", Role),
    ("direction", Direction),
    ("where", Where),
)
"""The filters that name a vocabulary value, each by the metric field it tests."""


def _vocabulary_test(field: str, wanted: object) -> Callable[[Any], bool]:
    """A test that a record's (a metric's or an effect's) ``field`` is ``wanted``."""
    return lambda record: getattr(record, field) is wanted


def _vocabulary_tests(filters: MetricFilters) -> list[MetricTest]:
    given: Mapping[str, object] = filters
    return [
        _vocabulary_test(field, _vocabulary_value(vocabulary, value, field))
        for field, vocabulary in _VOCABULARY_FILTERS
        if (value := given.get(field)) is not None
    ]


def _tests(filters: MetricFilters) -> list[MetricTest]:
    """One test per filter given, each reading its vocabulary value once."""
    tests = _vocabulary_tests(filters)
    if filters.get("distinct"):
        tests.append(lambda metric: metric.restates is None)
    min_value, max_value = filters.get("min_value"), filters.get("max_value")
    if min_value is not None:
        low = _number("min_value", min_value)
        tests.append(lambda metric: metric.value >= low)
    if max_value is not None:
        high = _number("max_value", max_value)
        tests.append(lambda metric: (metric.value if metric.value_max is None else metric.value_max) <= high)
    return tests


def checked_metric_filters(filters: Mapping[str, object]) -> MetricFilters:
    """``filters`` when every name is one of ``MetricFilters``; a ``FilterError`` naming the accepted ones."""
    FilterError.check_names(filters, MetricFilters.__annotations__, "metric filter")
    checked: MetricFilters = dict(filters)  # type: ignore[assignment]  # names checked; values by _tests
    return checked


def _chosen(cases: Sequence[Case], ref: int | str | None) -> Sequence[Case]:
    """The one case ``ref`` names (the ``case`` filter), or every case."""
    return (find_case(cases, ref),) if ref is not None else cases


def select_metrics(cases: Sequence[Case], filters: MetricFilters) -> tuple[CaseMetric, ...]:
    """The metrics of ``cases`` that pass every filter given, each with its case, in document order."""
    tests = _tests(filters)
    chosen = _chosen(cases, filters.get("case"))
    return tuple(
        CaseMetric(case=case, metric=metric)
        for case in chosen
        for metric in case.metrics
        if all(test(metric) for test in tests)
    )


class EffectFilters(TypedDict, total=False):
    """The filters of an effects query, every one optional; an effect must pass all those given.

    ``case`` takes what ``get`` takes; ``measure``, ``direction`` and ``where`` are vocabulary values read by
    ``vocab.resolve``; ``baseline`` is a year (``"2017"``) or a named baseline (``same_period_last_year``,
    ``previous_period``, ``before_reform``); ``min_change``/``max_change`` bound ``relative_change`` in signed
    percent (``max_change=-50`` keeps cuts of half or more) and leave out effects without one. ``None`` is the
    same as not given.
    """

    case: int | str | None
    measure: Measure | str | None
    direction: Direction | str | None
    where: Where | str | None
    baseline: str | None
    min_change: float | None
    max_change: float | None


EffectTest = Callable[[Effect], bool]

_EFFECT_VOCABULARIES: tuple[tuple[str, type[Measure | Direction | Where]], ...] = (
    ("measure", Measure),
    ("direction", Direction),
    ("where", Where),
)


def _effect_tests(filters: EffectFilters) -> list[EffectTest]:
    given: Mapping[str, object] = filters
    tests: list[EffectTest] = [
        _vocabulary_test(field, _vocabulary_value(vocabulary, value, field))
        for field, vocabulary in _EFFECT_VOCABULARIES
        if (value := given.get(field)) is not None
    ]
    baseline = filters.get("baseline")
    if baseline is not None:
        if isinstance(baseline, bool) or not isinstance(baseline, (str, int)):  # a year may be an int
            raise FilterError(f"baseline must be a year or a name, not a value of type {type(baseline).__name__}")
        wanted = baseline.strip().lower() if isinstance(baseline, str) else _shown(baseline)
        if not (wanted in BASELINES or (wanted[:4].isdigit() and len(wanted) in (4, 7))):
            raise FilterError.unknown("baseline", _short(baseline), ["a year such as 2017", *BASELINES])
        tests.append(lambda effect: effect.baseline == wanted)
    low, high = filters.get("min_change"), filters.get("max_change")
    if low is not None:
        floor = _number("min_change", low)
        tests.append(lambda effect: effect.relative_change is not None and effect.relative_change >= floor)
    if high is not None:
        ceiling = _number("max_change", high)
        tests.append(lambda effect: effect.relative_change is not None and effect.relative_change <= ceiling)
    return tests


def checked_effect_filters(filters: Mapping[str, object]) -> EffectFilters:
    """``filters`` when every name is one of ``EffectFilters``; a ``FilterError`` naming the accepted ones."""
    FilterError.check_names(filters, EffectFilters.__annotations__, "effect filter")
    checked: EffectFilters = dict(filters)  # type: ignore[assignment]  # names checked; values by _effect_tests
    return checked


def select_effects(cases: Sequence[Case], filters: EffectFilters) -> tuple[CaseEffect, ...]:
    """The effects of ``cases`` that pass every filter given, each with its case and metrics, in document order."""
    tests = _effect_tests(filters)
    found = []
    for case in _chosen(cases, filters.get("case")):
        if not case.effects:
            continue
        metrics = {metric.id: metric for metric in case.metrics}
        for effect in case.effects:
            if all(test(effect) for test in tests):
                found.append(
                    CaseEffect(
                        case=case,
                        effect=effect,
                        before=metrics.get(effect.before) if effect.before else None,
                        after=metrics.get(effect.after) if effect.after else None,
                        change=metrics.get(effect.change) if effect.change else None,
                    )
                )
    return tuple(found)
