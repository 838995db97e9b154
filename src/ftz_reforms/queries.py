"""Queries over the bundled dataset: metrics filtered by case, unit, role, direction, part and value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ftz_reforms import store
from ftz_reforms.errors import FilterError
from ftz_reforms.model.records import Case, Metric
from ftz_reforms.model.vocab import Direction, Role, Unit, Where, resolve

__all__ = ["CaseMetric", "FilterError", "metrics", "select_metrics"]


@dataclass(frozen=True, slots=True)
class CaseMetric:
    """A metric together with the case that reports it."""

    case: Case
    metric: Metric


def metrics(
    *,
    case: int | str | None = None,
    unit: Unit | str | None = None,
    role: Role | str | None = None,
    direction: Direction | str | None = None,
    where: Where | str | None = None,
    min_value: float | None = None,
    max_value: float | None = None,
    distinct: bool = False,
) -> tuple[CaseMetric, ...]:
    """Metrics of the bundled dataset in document order, each with its case, filtered by every filter given.

    ``case`` takes what :func:`ftz_reforms.get` takes. ``min_value``/``max_value`` bound the value in
    the metric's own unit (for a range, the whole range must lie within the bounds). Vocabulary values
    are read by ``vocab.resolve`` (``"cny"``, ``"万元"`` and ``Unit.CNY`` are one unit); an unknown one
    raises :class:`FilterError` naming the accepted values. ``distinct=True`` leaves out every metric
    that restates an earlier one of its case (``Metric.restates``), so that sums count each figure once.
    """
    filters = {"unit": unit, "role": role, "direction": direction, "where": where}
    return select_metrics(
        store.cases(), case=case, min_value=min_value, max_value=max_value, distinct=distinct, **filters
    )


def select_metrics(
    cases: Sequence[Case],
    *,
    case: int | str | None = None,
    unit: Unit | str | None = None,
    role: Role | str | None = None,
    direction: Direction | str | None = None,
    where: Where | str | None = None,
    min_value: float | None = None,
    max_value: float | None = None,
    distinct: bool = False,
) -> tuple[CaseMetric, ...]:
    """The metrics of ``cases`` that pass every filter (those of :func:`metrics`), in document order."""
    wanted_unit = None if unit is None else resolve(Unit, unit, "unit")
    wanted_role = None if role is None else resolve(Role, role, "role")
    wanted_direction = None if direction is None else resolve(Direction, direction, "direction")
    wanted_where = None if where is None else resolve(Where, where, "where")
    chosen = (store.find_case(cases, case),) if case is not None else cases
    found = []
    for each in chosen:
        for metric in each.metrics:
            if distinct and metric.restates is not None:
                continue
            if wanted_unit is not None and metric.unit is not wanted_unit:
                continue
            if wanted_role is not None and metric.role is not wanted_role:
                continue
            if wanted_direction is not None and metric.direction is not wanted_direction:
                continue
            if wanted_where is not None and metric.where is not wanted_where:
                continue
            if min_value is not None and metric.value < min_value:
                continue
            upper = metric.value if metric.value_max is None else metric.value_max
            if max_value is not None and upper > max_value:
                continue
            found.append(CaseMetric(case=each, metric=metric))
    return tuple(found)
