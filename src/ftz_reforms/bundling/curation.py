"""Merge the extracted figures and effects of a case with its curated overlay into its metrics and effects.

Every figure the rules find must be curated (a ``[[metric]]`` entry with its description, or a
``[[not_metric]]`` entry with its reason), every Arabic numeral no rule explains must be excluded by an
entry, every effect the rules find must be curated (``[[effect]]`` with its measure and description, or
``[[not_effect]]`` with its reason), and every entry must match something or say why it adds what the rules
miss: so the overlay can neither fall behind the rules nor silently keep a decision about text that has
changed. The roles then follow from the effects (``ROLE_RULE``). Build-time only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pydantic import ValidationError

from ftz_reforms.assemble import make_effect
from ftz_reforms.bundling.overlays import CaseOverlay, EffectEntry, OverlayError
from ftz_reforms.model.records import Case, Effect, Metric, Part
from ftz_reforms.model.vocab import Direction, Role, Unit, Where
from ftz_reforms.text.effects import Link
from ftz_reforms.text.extract import Figure, scan
from ftz_reforms.text.numerals import RANK_FIGURE

__all__ = ["CurationReport", "Finding", "RuleEffect", "curate_figures", "draft_entries", "findings"]


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


@dataclass(frozen=True)
class RuleEffect:
    """An effect the rules find in a case, its figures named by overlay keys."""

    part: Part
    key: tuple[tuple[str, int] | None, ...]
    """(before, after, change) as overlay keys (span, occurrence), or None."""
    link: Link


def _scan_case(case: Case, report: CurationReport | None = None) -> tuple[list[Finding], list[RuleEffect]]:
    """One scan of each part of a case: every figure and unexplained numeral in document order with its overlay
    key, and the effects the rules find, their figures named by the same keys."""
    occurrences: Counter[str] = Counter()
    found: list[Finding] = []
    effects: list[RuleEffect] = []
    for part in case.parts():
        result = scan(part.text_zh, part.paragraph_starts_zh)
        if report is not None:
            report.excluded_by_rule.update(exclusion.rule for exclusion in result.exclusions)
        spans: list[tuple[str, Figure | None]] = [(token, None) for _, _, token in result.unexplained]
        spans += [(figure.span, figure) for figure in result.figures]
        figure_keys: list[tuple[str, int]] = []
        for span, figure in spans:
            occurrences[span] += 1
            found.append(Finding(part.where, part.ordinal, (span, occurrences[span]), figure))
            if figure is not None:
                figure_keys.append((span, occurrences[span]))
        for link in result.effects:
            key = tuple(None if i is None else figure_keys[i] for i in (link.before, link.after, link.change))
            effects.append(RuleEffect(part, key, link))
    return found, effects


def findings(case: Case, report: CurationReport | None = None) -> list[Finding]:
    """Every figure and unexplained numeral of a case in document order, with its overlay key."""
    return _scan_case(case, report)[0]


def curate_figures(
    case: Case, overlay: CaseOverlay, where_named: str, report: CurationReport
) -> tuple[tuple[Metric, ...], tuple[Effect, ...]]:
    """The case's metrics and effects in document order, or an :class:`OverlayError` naming what is uncurated."""
    found_figures, found_effects = _scan_case(case, report)
    metrics, ids, problems = _curated_metrics(case, overlay, found_figures, report)
    effects: tuple[Effect, ...] = ()
    if not problems:
        try:
            effects = _curated_effects(case, overlay, found_effects, metrics, ids, problems)
        except ValidationError as error:
            problems.append(f"effects: {error.errors()[0]['msg']}")
    if problems:
        raise OverlayError(f"{where_named}: " + "; ".join(problems))
    return _with_roles(metrics, effects), effects


def _curated_metrics(
    case: Case, overlay: CaseOverlay, found: list[Finding], report: CurationReport
) -> tuple[list[Metric], dict[tuple[str, int], str], list[str]]:
    metric_entries = {entry.key: entry for entry in overlay.metric}
    not_metric_entries = {entry.key: entry for entry in overlay.not_metric}
    used: set[tuple[str, int]] = set()
    metrics: list[Metric] = []
    ids: dict[tuple[str, int], str] = {}  # the key of every metric made so far → its id
    problems: list[str] = []
    for finding in found:
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
    return metrics, ids, problems


def _describe(key: tuple[tuple[str, int] | None, ...]) -> str:
    named = [
        f"{name} {figure[0]!r}" + (f" (occurrence {figure[1]})" if figure[1] > 1 else "")
        for name, figure in zip(("before", "after", "change"), key)
        if figure is not None
    ]
    return "effect " + ", ".join(named)


def _curated_effects(
    case: Case,
    overlay: CaseOverlay,
    found: list[RuleEffect],
    metrics: list[Metric],
    ids: dict[tuple[str, int], str],
    problems: list[str],
) -> tuple[Effect, ...]:
    """The effects: the rules' ones as curated, minus those refused, plus those the curation adds."""
    by_id = {metric.id: metric for metric in metrics}
    entries = {entry.key: entry for entry in overlay.effect}
    refused = {entry.key for entry in overlay.not_effect}
    found_keys = {effect.key for effect in found}
    for key in sorted(set(entries) & refused, key=str):
        problems.append(f"{_describe(key)} has both an [[effect]] and a [[not_effect]] entry")
    for key in sorted(refused - found_keys, key=str):
        problems.append(f"[[not_effect]] {_describe(key)} matches no effect the rules find")
    added = {key: entry for key, entry in entries.items() if key not in found_keys}
    for key, entry in added.items():
        if entry.reason is None:
            problems.append(
                f"[[effect]] {_describe(key)} matches no effect the rules find: add its reason, or remove it"
            )
    taken = {figure for key in added for figure in key if figure is not None}
    chosen: list[tuple[Part, tuple[tuple[str, int] | None, ...], EffectEntry | None, Link | None]] = []
    for effect in found:
        if effect.key in refused:
            continue
        if effect.key not in entries and taken & {figure for figure in effect.key if figure is not None}:
            continue  # replaced by an entry that links one of its figures otherwise, with its reason
        chosen.append((effect.part, effect.key, entries.get(effect.key), effect.link))
    parts = {part.key: part for part in case.parts()}
    for key, entry in added.items():
        first = next(figure for figure in key if figure is not None)
        metric_id = ids.get(first)
        if metric_id is None or any(figure is not None and figure not in ids for figure in key):
            problems.append(f"[[effect]] {_describe(key)} names a figure that is no metric of the case")
            continue
        metric = by_id[metric_id]
        part = parts[metric.where, None if metric.where is Where.INTRO else metric.section]
        chosen.append((part, key, entry, None))
    effects: list[Effect] = []
    order = {metric.id: index for index, metric in enumerate(metrics)}
    for part, key, curated, link in sorted(chosen, key=lambda item: _first_metric(item[1], ids, order)):
        if curated is None:
            where = part.where.value if part.ordinal is None else f"{part.where.value} {part.ordinal}"
            problems.append(f"{_describe(key)} ({where}) has no [[effect]] entry")
            continue
        if any(figure is not None and figure not in ids for figure in key):
            problems.append(f"{_describe(key)} links a figure that is not a metric")
            continue
        ends = [None if figure is None else by_id[ids[figure]] for figure in key]
        direction = curated.direction or (link.direction if link else None) or _direction_of(ends)
        baseline = None if curated.clear_baseline else curated.baseline or (link.baseline if link else None)
        if direction is None:
            problems.append(f"{_describe(key)}: the rules find no direction; give one with its reason")
            continue
        restated = _restated(curated, effects, ids)
        if curated.restates is not None and restated is None:
            problems.append(f"{_describe(key)}: restates a figure that no earlier effect of the case links")
            continue
        effects.append(
            make_effect(
                case.id,
                len(effects) + 1,
                part,
                ends,
                measure=curated.measure,
                direction=direction,
                baseline=baseline,
                description_en=curated.description_en,
                curated=True,
                relative_change_caveat=curated.relative_change_caveat,
                restates=restated,
            )
        )
    return tuple(effects)


def _restated(entry: EffectEntry, earlier: list[Effect], ids: dict[tuple[str, int], str]) -> str | None:
    """The id of the earlier effect that links the figure ``entry.restates`` names; None when none does."""
    if entry.restates is None:
        return None
    key = (entry.restates, 1) if isinstance(entry.restates, str) else entry.restates.key
    metric_id = ids.get(key)
    return next((effect.id for effect in earlier if metric_id in effect.metric_ids()), None)


def _first_metric(
    key: tuple[tuple[str, int] | None, ...], ids: dict[tuple[str, int], str], order: dict[str, int]
) -> int:
    """Where an effect sits among the metrics: its first linked metric's position (document order)."""
    return min((order[ids[figure]] for figure in key if figure is not None and figure in ids), default=-1)


def _direction_of(ends: list[Metric | None]) -> Direction | None:
    change = ends[2]
    return change.direction if change is not None else None


def _with_roles(metrics: list[Metric], effects: tuple[Effect, ...]) -> tuple[Metric, ...]:
    """The metrics with the roles the effects give them (``ROLE_RULE``): ends, changes, and levels or ranks."""
    roles: dict[str, tuple[Role, Direction | None, str | None]] = {}
    for effect in effects:
        if effect.after is not None:
            roles.setdefault(effect.after, (Role.AFTER, None, None))
        if effect.before is not None:
            roles[effect.before] = (Role.BEFORE, None, None)  # a chain's middle is the before of its next step
        if effect.change is not None:
            roles[effect.change] = (Role.CHANGE, effect.direction, effect.baseline)
    final = []
    for metric in metrics:
        role, direction, baseline = roles.get(metric.id, (_unlinked_role(metric), None, None))
        if (role, direction, baseline) != (metric.role, metric.direction, metric.baseline):
            metric = metric.model_copy(update={"role": role, "direction": direction, "baseline": baseline})
        final.append(metric)
    return tuple(final)


def _unlinked_role(metric: Metric) -> Role:
    """A figure no effect links: a place in a ranking, or a level."""
    return Role.RANK if metric.unit is Unit.RANK and RANK_FIGURE.fullmatch(metric.span) else Role.LEVEL


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _figure_reference(key: tuple[str, int]) -> str:
    span, occurrence = key
    return _toml_string(span) if occurrence == 1 else f"{{ span = {_toml_string(span)}, occurrence = {occurrence} }}"


def draft_entries(case: Case, overlay: CaseOverlay) -> str:
    """TOML entries, to be completed by a curator, for every figure, numeral and effect the overlay lacks."""
    curated = {entry.key for entry in (*overlay.metric, *overlay.not_metric)}
    found_figures, found_effects = _scan_case(case)
    lines: list[str] = []
    for finding in found_figures:
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
    decided = {entry.key for entry in (*overlay.effect, *overlay.not_effect)}
    replaced = {figure for entry in overlay.effect if entry.reason for figure in entry.key if figure is not None}
    for effect in found_effects:
        if effect.key in decided or replaced & {figure for figure in effect.key if figure is not None}:
            continue
        place = (
            effect.part.where.value
            if effect.part.ordinal is None
            else f"{effect.part.where.value} {effect.part.ordinal}"
        )
        direction = effect.link.direction.value if effect.link.direction else "-"
        lines += ["", f"# {place}: rules: direction {direction}, baseline {effect.link.baseline}", "[[effect]]"]
        for name, linked in zip(("before", "after", "change"), effect.key):
            if linked is not None:
                lines.append(f"{name} = {_figure_reference(linked)}")
        lines += ['measure = ""', 'description_en = ""']
    return "\n".join(lines).lstrip("\n") + ("\n" if lines else "")
