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

from ftz_reforms.errors import LONGEST_SHOWN, CaseNotFoundError, FilterError, WithdrawnError, short_value, shown
from ftz_reforms.model.records import Case, Effect, Metric, Withdrawn
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

    ``case`` takes what ``get`` takes; ``id`` keeps the metric of that id (one withdrawn by a release raises
    :class:`WithdrawnError` saying when and why); ``province`` and ``area`` keep the metrics of the cases the
    case filters of the same names keep (a zone's or pilot area's name in any form). ``min_value``/``max_value``
    bound the value in the metric's own unit (for a range, the whole range must lie within the bounds).
    Vocabulary values are read by ``vocab.resolve`` (``"cny"``, ``"万元"`` and ``Unit.CNY`` are one unit); an
    unknown one raises :class:`FilterError` naming the accepted values. ``distinct=True`` leaves out every
    metric that restates an earlier one of its case (``Metric.restates``), so that sums count each figure once.
    ``None`` is the same as not given.
    """

    case: int | str | None
    id: str | None
    province: str | None
    area: str | None
    unit: Unit | str | None
    role: Role | str | None
    direction: Direction | str | None
    where: Where | str | None
    min_value: float | None
    max_value: float | None
    distinct: bool


Withdrawal = Callable[[str], "Withdrawn | None"]
"""How a query learns whether an id was withdrawn (``Dataset.withdrawal``)."""


def _no_withdrawal(record_id: str) -> Withdrawn | None:
    return None


def find_case(cases: Sequence[Case], ref: int | str, withdrawal: Withdrawal = _no_withdrawal) -> Case:
    """The case of ``cases`` that ``ref`` names: a number (``17`` or ``"17"``) or an id (``"b5-17"``).

    A bare number is the case's position in its casebook, and names a case only while ``cases`` hold one
    batch; with several, only an id does. A miss raises :class:`CaseNotFoundError` naming the valid references,
    or :class:`WithdrawnError` for the id of a case a release withdrew (``withdrawal`` knows them).
    """
    counts = Counter(case.batch for case in cases)
    number = _case_number(ref)
    if number is not None:
        found = _numbered(cases, number) if len(counts) == 1 else None
    else:
        found = _identified(cases, ref, withdrawal)
    if found is None:
        raise CaseNotFoundError(short_value(ref), dict(counts))
    return found


def _case_number(ref: object) -> int | None:
    """The number ``ref`` is, an int (not a bool) or ASCII digits (spaces around them ignored); else None."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        return ref
    if isinstance(ref, str) and (text := ref.strip()).isascii() and text.isdigit():
        return int(text)
    return None


def _numbered(cases: Sequence[Case], number: int) -> Case | None:
    """The case at position ``number`` of its casebook, or None."""
    return next((case for case in cases if case.number == number), None)


def _identified(cases: Sequence[Case], ref: object, withdrawal: Withdrawal) -> Case | None:
    """The case whose id ``ref`` is (in any case, spaces around it ignored), or None; a
    :class:`WithdrawnError` for the id of a case a release withdrew."""
    if not isinstance(ref, str):
        return None
    wanted = ref.strip().lower()
    found = next((case for case in cases if case.id == wanted), None)
    if found is None:
        _refuse_withdrawn(withdrawal(wanted))
    return found


MetricTest = Callable[[Metric], bool]


def _number(name: str, value: object) -> float:
    """A bound of ``name`` as a float: a real number (not a bool, not a string) that is finite. NaN compares
    with nothing and an infinite bound is no bound (no bound is the filter left out), so both are refused,
    as is a number beyond a float's range (about ±1.8e308), which no float can stand for."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise FilterError(f"{name} must be a number (an int or a float), not {shown(value)}")
    try:
        number = float(value)
    except (OverflowError, ValueError, TypeError):
        number = math.nan
    if not math.isfinite(number):
        raise FilterError(f"{name} must be a finite number within ±1.8e308, not {shown(value)}")
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
        if len(value) <= LONGEST_SHOWN:
            raise
        # The same refusal, the value cut short: a 100,000-character value is not echoed whole.
        raise FilterError.unknown(field, short_value(value), [member.value for member in vocabulary]) from None


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


def _vocabulary_tests(
    given: Mapping[str, object], vocabularies: Sequence[tuple[str, type[Unit | Role | Direction | Where | Measure]]]
) -> list[Callable[[Any], bool]]:
    """A test for each of the ``vocabularies`` filters given (each by the field it tests), in their order."""
    return [
        _vocabulary_test(field, _vocabulary_value(vocabulary, value, field))
        for field, vocabulary in vocabularies
        if (value := given.get(field)) is not None
    ]


def _tests(filters: MetricFilters) -> list[MetricTest]:
    """One test per filter given, each reading its vocabulary value once."""
    tests: list[MetricTest] = [*_vocabulary_tests(filters, _VOCABULARY_FILTERS), *_identity_tests(filters)]
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


def _chosen(cases: Sequence[Case], ref: int | str | None, withdrawal: Withdrawal) -> Sequence[Case]:
    """The one case ``ref`` names (the ``case`` filter), or every case."""
    return (find_case(cases, ref, withdrawal),) if ref is not None else cases


def _id_test(record_id: object) -> Callable[[Metric | Effect], bool]:
    if not isinstance(record_id, str):
        raise FilterError(f"id must be a metric or effect id such as b5-08-m07, not {shown(record_id)}")
    wanted = record_id.strip().lower()
    return lambda record: record.id == wanted


def _identity_tests(filters: Mapping[str, object]) -> list[Callable[[Metric | Effect], bool]]:
    """The tests of the ``id`` and ``distinct`` filters, which metrics and effects share."""
    tests: list[Callable[[Metric | Effect], bool]] = []
    if filters.get("id") is not None:
        tests.append(_id_test(filters.get("id")))
    if filters.get("distinct"):
        tests.append(lambda record: record.restates is None)
    return tests


def _not_withdrawn(record_id: object, withdrawal: Withdrawal) -> None:
    """Raise :class:`WithdrawnError` when the ``id`` filter names a withdrawn record (it found nothing)."""
    if isinstance(record_id, str):
        _refuse_withdrawn(withdrawal(record_id.strip().lower()))


def _refuse_withdrawn(withdrawn: Withdrawn | None) -> None:
    """Raise :class:`WithdrawnError` saying when and why, for a record a release withdrew."""
    if withdrawn is not None:
        raise WithdrawnError(withdrawn.id, withdrawn.data_version, withdrawn.reason)


def select_metrics(
    cases: Sequence[Case], filters: MetricFilters, withdrawal: Withdrawal = _no_withdrawal
) -> tuple[CaseMetric, ...]:
    """The metrics of ``cases`` that pass every filter given, each with its case, in document order."""
    tests = _tests(filters)
    chosen = _chosen(cases, filters.get("case"), withdrawal)
    found = tuple(
        CaseMetric(case=case, metric=metric)
        for case in chosen
        for metric in case.metrics
        if all(test(metric) for test in tests)
    )
    if not found:
        _not_withdrawn(filters.get("id"), withdrawal)
    return found


class EffectFilters(TypedDict, total=False):
    """The filters of an effects query, every one optional; an effect must pass all those given.

    ``case`` takes what ``get`` takes; ``id`` keeps the effect of that id (a withdrawn one raises
    :class:`WithdrawnError`); ``province`` and ``area`` keep the effects of the cases those case filters keep
    (``province="Guangdong"``, ``area="南沙"``); ``measure``, ``direction`` and ``where`` are vocabulary values read by
    ``vocab.resolve``; ``baseline`` is a year (``"2017"``) or a named baseline (``same_period_last_year``,
    ``previous_period``, ``before_reform``); ``min_change``/``max_change`` bound ``relative_change`` in signed
    percent (``max_change=-50`` keeps cuts of half or more) and leave out effects without one; ``distinct=True``
    leaves out every effect that restates an earlier one (``Effect.restates``), so that counts count each change
    once. ``None`` is the same as not given.
    """

    case: int | str | None
    id: str | None
    province: str | None
    area: str | None
    measure: Measure | str | None
    direction: Direction | str | None
    where: Where | str | None
    baseline: str | None
    min_change: float | None
    max_change: float | None
    distinct: bool


EffectTest = Callable[[Effect], bool]

_EFFECT_VOCABULARIES: tuple[tuple[str, type[Measure | Direction | Where]], ...] = (
    ("measure", Measure),
    ("direction", Direction),
    ("where", Where),
)


def _effect_tests(filters: EffectFilters) -> list[EffectTest]:
    """One test per filter given, checked in this order (the first bad value is the one refused)."""
    baseline = filters.get("baseline")
    return [
        *_vocabulary_tests(filters, _EFFECT_VOCABULARIES),
        *([_baseline_test(baseline)] if baseline is not None else []),
        *_change_tests(filters),
        *_identity_tests(filters),
    ]


def _baseline_test(baseline: object) -> EffectTest:
    """A test that an effect's baseline is ``baseline``: a year (a string or an int) or a named baseline."""
    if isinstance(baseline, bool) or not isinstance(baseline, (str, int)):  # a year may be an int
        raise FilterError(f"baseline must be a year or a name, not a value of type {type(baseline).__name__}")
    wanted = baseline.strip().lower() if isinstance(baseline, str) else shown(baseline)
    if not (wanted in BASELINES or (wanted[:4].isdigit() and len(wanted) in (4, 7))):
        raise FilterError.unknown("baseline", short_value(baseline), ["a year such as 2017", *BASELINES])
    return lambda effect: effect.baseline == wanted


def _change_tests(filters: EffectFilters) -> list[EffectTest]:
    """The bounds on the relative change, which leave out every effect without one."""
    tests: list[EffectTest] = []
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


def select_effects(
    cases: Sequence[Case], filters: EffectFilters, withdrawal: Withdrawal = _no_withdrawal
) -> tuple[CaseEffect, ...]:
    """The effects of ``cases`` that pass every filter given, each with its case and metrics, in document order."""
    tests = _effect_tests(filters)
    found: list[CaseEffect] = []
    for case in _chosen(cases, filters.get("case"), withdrawal):
        found += _with_metrics(case, [effect for effect in case.effects if all(test(effect) for test in tests)])
    if not found:
        _not_withdrawn(filters.get("id"), withdrawal)
    return tuple(found)


def _with_metrics(case: Case, effects: Sequence[Effect]) -> list[CaseEffect]:
    """Each of ``effects`` (of ``case``) with its case and the metrics it links."""
    if not effects:  # none passed (or the case has none): its metrics need no index
        return []
    metrics = {metric.id: metric for metric in case.metrics}
    return [
        CaseEffect(
            case=case,
            effect=effect,
            before=metrics.get(effect.before) if effect.before else None,
            after=metrics.get(effect.after) if effect.after else None,
            change=metrics.get(effect.change) if effect.change else None,
        )
        for effect in effects
    ]
