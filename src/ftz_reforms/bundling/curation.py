"""Merge the extracted figures of a case with its curated overlay into the case's metrics.

Every figure the rules find must be curated (a ``[[metric]]`` entry with its description, or a
``[[not_metric]]`` entry with its reason), every Arabic numeral no rule explains must be excluded by an
entry, and every entry must match something: so the overlay can neither fall behind the extractor
nor silently keep a decision about text that has changed. Build-time only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from pydantic import ValidationError

from ftz_reforms.bundling.overlays import CaseOverlay, OverlayError
from ftz_reforms.model.records import Case, Metric
from ftz_reforms.model.vocab import Where
from ftz_reforms.text.extract import Figure, scan

__all__ = ["CurationReport", "Finding", "curate_metrics", "draft_entries", "findings"]


@dataclass
class CurationReport:
    """Counts for the build's summary: what the rules excluded, what the overlay decided."""

    excluded_by_rule: Counter[str] = field(default_factory=Counter)
    excluded_by_overlay: int = 0
    overridden: int = 0


@dataclass(frozen=True)
class Finding:
    """A figure, or an Arabic numeral no rule explains (``figure`` None), keyed as overlays key it."""

    where: Where
    section: int | None
    key: tuple[str, int]
    """(span, occurrence): the nth time this span appears among the case's findings."""
    figure: Figure | None


def findings(case: Case, report: CurationReport | None = None) -> Iterator[Finding]:
    """Every figure and unexplained numeral of a case in document order, with its overlay key."""
    occurrences: Counter[str] = Counter()
    for part in case.parts():
        result = scan(part.text_zh)
        if report is not None:
            report.excluded_by_rule.update(exclusion.rule for exclusion in result.exclusions)
        found: list[tuple[str, Figure | None]] = [(token, None) for _, _, token in result.unexplained]
        found += [(figure.span, figure) for figure in result.figures]
        for span, figure in found:
            occurrences[span] += 1
            yield Finding(part.where, part.ordinal, (span, occurrences[span]), figure)


def curate_metrics(case: Case, overlay: CaseOverlay, where_named: str, report: CurationReport) -> tuple[Metric, ...]:
    """The case's metrics in document order, or an :class:`OverlayError` naming what is uncurated."""
    metric_entries = {entry.key: entry for entry in overlay.metric}
    not_metric_entries = {entry.key: entry for entry in overlay.not_metric}
    used: set[tuple[str, int]] = set()
    metrics: list[Metric] = []
    ids: dict[tuple[str, int], str] = {}  # the key of every metric made so far → its id
    problems: list[str] = []
    for finding in findings(case, report):
        key, figure = finding.key, finding.figure
        if key in not_metric_entries:
            used.add(key)
            report.excluded_by_overlay += 1
            continue
        if figure is None:
            problems.append(f"numeral {key[0]!r} (occurrence {key[1]}) is explained by no rule: add a [[not_metric]]")
            continue
        entry = metric_entries.get(key)
        if entry is None:
            problems.append(
                f"figure {figure.span!r} (occurrence {key[1]}) in {figure.sentence!r} has no [[metric]] entry"
            )
            continue
        used.add(key)
        fields = figure.model_dump()
        overrides = entry.overrides()
        report.overridden += len(overrides) > 1 or entry.restates is not None
        fields.update(overrides)
        if entry.restates is not None:
            fields["restates"] = ids.get(entry.restates.key)
            if fields["restates"] is None:
                problems.append(f"entry for {figure.span!r} restates {entry.restates.key}, which is no earlier metric")
                continue
        try:
            metric = Metric(
                id=f"{case.id}-m{len(metrics) + 1:02d}",
                where=finding.where,
                section=finding.section,
                curated=True,
                **fields,
            )
        except ValidationError as error:
            problems.append(f"entry for {figure.span!r} (occurrence {key[1]}): {error.errors()[0]['msg']}")
            continue
        metrics.append(metric)
        ids[key] = metric.id
    stale = sorted((set(metric_entries) | set(not_metric_entries)) - used)
    problems.extend(f"entry for {span!r} (occurrence {n}) matches no figure or numeral" for span, n in stale)
    if problems:
        raise OverlayError(f"{where_named}: " + "; ".join(problems))
    return tuple(metrics)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def draft_entries(case: Case, overlay: CaseOverlay) -> str:
    """TOML entries, to be completed by a curator, for every figure and numeral the overlay lacks."""
    curated = {entry.key for entry in (*overlay.metric, *overlay.not_metric)}
    lines: list[str] = []
    for finding in findings(case):
        if finding.key in curated:
            continue
        span, occurrence = finding.key
        figure = finding.figure
        if figure is None:
            lines += ["", "[[not_metric]]", f"span = {_toml_string(span)}"]
        else:
            place = finding.where.value if finding.section is None else f"{finding.where.value} {finding.section}"
            direction = figure.direction.value if figure.direction else "-"
            lines += [
                "",
                f"# {place}: {figure.sentence}",
                f"# rules: {figure.value:g} {figure.unit.value} {figure.classifier or ''} per={list(figure.per)} "
                f"{figure.qualifier.value} {figure.role.value} {direction} as_of={figure.as_of}",
                "[[metric]]",
                f"span = {_toml_string(span)}",
            ]
        if occurrence > 1:
            lines.append(f"occurrence = {occurrence}")
        lines.append('reason = ""' if figure is None else 'description_en = ""')
    return "\n".join(lines).lstrip("\n") + ("\n" if lines else "")
