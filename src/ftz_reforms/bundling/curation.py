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
from ftz_reforms.bundling.overlays import CaseOverlay, EffectEntry, MetricEntry, OverlayError
from ftz_reforms.model.records import Case, Effect, Metric, Part
from ftz_reforms.model.vocab import Direction, Role, Unit, Where
from ftz_reforms.text.effects import Link, linked_roles
from ftz_reforms.text.extract import Figure, Scan, scan
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


_EffectKey = tuple[tuple[str, int] | None, ...]
"""An effect's (before, after, change) as overlay keys (span, occurrence), or None."""


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
        keyed = _keyed(part, result, occurrences)
        found += keyed
        figure_keys = [finding.key for finding in keyed if finding.figure is not None]
        for link in result.effects:
            key = tuple(None if i is None else figure_keys[i] for i in (link.before, link.after, link.change))
            effects.append(RuleEffect(part, key, link))
    return found, effects


def _keyed(part: Part, result: Scan, occurrences: Counter[str]) -> list[Finding]:
    """The unexplained numerals, then the figures, of one part's scan, each keyed by its span's occurrence in the
    case so far (``occurrences``, counted on)."""
    spans: list[tuple[str, Figure | None]] = [(token, None) for _, _, token in result.unexplained]
    spans += [(figure.span, figure) for figure in result.figures]
    keyed = []
    for span, figure in spans:
        occurrences[span] += 1
        keyed.append(Finding(part.where, part.ordinal, (span, occurrences[span]), figure))
    return keyed


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
    """The metrics the entries make of the findings, the id of each by its key, and what is uncurated: a
    finding no entry decides, an entry that fails, an entry that matches nothing."""
    metric_entries = {entry.key: entry for entry in overlay.metric}
    not_metric_entries = {entry.key: entry for entry in overlay.not_metric}
    used: set[tuple[str, int]] = set()
    metrics: list[Metric] = []
    ids: dict[tuple[str, int], str] = {}  # the key of every metric made so far → its id
    problems: list[str] = []
    for finding in found:
        entry = metric_entries.get(finding.key)
        if finding.key in not_metric_entries:
            used.add(finding.key)
            report.excluded_by_overlay += 1
        elif finding.figure is None or entry is None:
            problems.append(_undecided(finding))
        else:
            used.add(finding.key)
            made = _curated_metric(case, finding, finding.figure, entry, ids, len(metrics) + 1, report)
            if isinstance(made, str):
                problems.append(made)
            else:
                metrics.append(made)
                ids[finding.key] = made.id
    stale = sorted((set(metric_entries) | set(not_metric_entries)) - used)
    problems.extend(f"entry for {span!r} (occurrence {n}) matches no figure or numeral" for span, n in stale)
    return metrics, ids, problems


def _undecided(finding: Finding) -> str:
    """The problem of a finding that no entry decides: a numeral with no [[not_metric]], a figure with neither."""
    span, occurrence = finding.key
    if finding.figure is None:
        return f"numeral {span!r} (occurrence {occurrence}) is explained by no rule: add a [[not_metric]]"
    return f"figure {span!r} (occurrence {occurrence}) in {finding.figure.sentence!r} has no [[metric]] entry"


def _curated_metric(
    case: Case,
    finding: Finding,
    figure: Figure,
    entry: MetricEntry,
    ids: dict[tuple[str, int], str],
    number: int,
    report: CurationReport,
) -> Metric | str:
    """The ``number``th metric of the case: the figure with its entry's description and overrides; or the
    problem that keeps it from being one."""
    fields = figure.model_dump()
    overrides = entry.overrides()
    report.overridden += len(overrides) > 1 or entry.restates is not None
    fields.update(overrides)
    if entry.restates is not None:
        fields["restates"] = ids.get(entry.restates.key)
        if fields["restates"] is None:
            return f"entry for {figure.span!r} restates {entry.restates.key}, which is no earlier metric"
    try:
        return Metric(
            id=f"{case.id}-m{number:02d}", where=finding.where, section=finding.section, curated=True, **fields
        )
    except ValidationError as error:
        return f"entry for {figure.span!r} (occurrence {finding.key[1]}): {error.errors()[0]['msg']}"


def _describe(key: _EffectKey) -> str:
    named = [
        f"{name} {figure[0]!r}" + (f" (occurrence {figure[1]})" if figure[1] > 1 else "")
        for name, figure in zip(("before", "after", "change"), key)
        if figure is not None
    ]
    return "effect " + ", ".join(named)


def _figures(key: _EffectKey) -> set[tuple[str, int]]:
    """The keys of the figures an effect links."""
    return {figure for figure in key if figure is not None}


def _place(where: Where, ordinal: int | None) -> str:
    """Where a figure or an effect sits, as the drafts and the problems name it (intro; practice 2)."""
    return where.value if ordinal is None else f"{where.value} {ordinal}"


@dataclass(frozen=True)
class _Chosen:
    """An effect to make: one the rules find, with its entry (None when it has none), or one an entry adds."""

    part: Part
    key: _EffectKey
    entry: EffectEntry | None
    link: Link | None


def _curated_effects(
    case: Case,
    overlay: CaseOverlay,
    found: list[RuleEffect],
    metrics: list[Metric],
    ids: dict[tuple[str, int], str],
    problems: list[str],
) -> tuple[Effect, ...]:
    """The effects: the rules' ones as curated, minus those refused, plus those the curation adds."""
    entries = {entry.key: entry for entry in overlay.effect}
    refused = {entry.key for entry in overlay.not_effect}
    found_keys = {effect.key for effect in found}
    added = {key: entry for key, entry in entries.items() if key not in found_keys}
    problems.extend(_entry_problems(entries, refused, found_keys, added))
    chosen = _kept(found, entries, refused, added) + _added(case, added, metrics, ids, problems)
    return _made_effects(case, chosen, metrics, ids, problems)


def _entry_problems(
    entries: dict[_EffectKey, EffectEntry],
    refused: set[_EffectKey],
    found_keys: set[_EffectKey],
    added: dict[_EffectKey, EffectEntry],
) -> list[str]:
    """What is wrong with the effect entries themselves: an effect both curated and refused, a refusal of an
    effect the rules do not find, an effect added without its reason."""
    problems = [
        f"{_describe(key)} has both an [[effect]] and a [[not_effect]] entry"
        for key in sorted(set(entries) & refused, key=str)
    ]
    problems += [
        f"[[not_effect]] {_describe(key)} matches no effect the rules find"
        for key in sorted(refused - found_keys, key=str)
    ]
    problems += [
        f"[[effect]] {_describe(key)} matches no effect the rules find: add its reason, or remove it"
        for key, entry in added.items()
        if entry.reason is None
    ]
    return problems


def _kept(
    found: list[RuleEffect],
    entries: dict[_EffectKey, EffectEntry],
    refused: set[_EffectKey],
    added: dict[_EffectKey, EffectEntry],
) -> list[_Chosen]:
    """The rules' effects the overlay keeps: not refused, and not replaced by an added entry that links one of
    their figures otherwise (with its reason)."""
    taken = {figure for key in added for figure in _figures(key)}
    return [
        _Chosen(effect.part, effect.key, entries.get(effect.key), effect.link)
        for effect in found
        if effect.key not in refused and (effect.key in entries or not taken & _figures(effect.key))
    ]


def _added(
    case: Case,
    added: dict[_EffectKey, EffectEntry],
    metrics: list[Metric],
    ids: dict[tuple[str, int], str],
    problems: list[str],
) -> list[_Chosen]:
    """The effects the entries add, each in the part of its first figure; an entry naming a figure that is no
    metric is a problem."""
    by_id = {metric.id: metric for metric in metrics}
    parts = {part.key: part for part in case.parts()}
    chosen = []
    for key, entry in added.items():
        if not _figures(key) <= ids.keys():
            problems.append(f"[[effect]] {_describe(key)} names a figure that is no metric of the case")
            continue
        metric = by_id[ids[next(figure for figure in key if figure is not None)]]
        part = parts[metric.where, None if metric.where is Where.INTRO else metric.section]
        chosen.append(_Chosen(part, key, entry, None))
    return chosen


def _made_effects(
    case: Case, chosen: list[_Chosen], metrics: list[Metric], ids: dict[tuple[str, int], str], problems: list[str]
) -> tuple[Effect, ...]:
    """The chosen effects made, in the order of their first metrics; each one that cannot be made a problem."""
    by_id = {metric.id: metric for metric in metrics}
    order = {metric.id: index for index, metric in enumerate(metrics)}
    effects: list[Effect] = []
    for item in sorted(chosen, key=lambda item: _first_metric(item.key, ids, order)):
        made = _made_effect(case, item, by_id, ids, effects)
        if isinstance(made, str):
            problems.append(made)
        else:
            effects.append(made)
    return tuple(effects)


def _made_effect(
    case: Case, item: _Chosen, by_id: dict[str, Metric], ids: dict[tuple[str, int], str], earlier: list[Effect]
) -> Effect | str:
    """The effect ``item`` makes, numbered after the ``earlier`` ones; or the problem that keeps it unmade."""
    key, curated = item.key, item.entry
    if curated is None:
        return f"{_describe(key)} ({_place(item.part.where, item.part.ordinal)}) has no [[effect]] entry"
    if not _figures(key) <= ids.keys():
        return f"{_describe(key)} links a figure that is not a metric"
    ends = [None if figure is None else by_id[ids[figure]] for figure in key]
    direction, baseline = _direction_and_baseline(curated, item.link, ends)
    if direction is None:
        return f"{_describe(key)}: the rules find no direction; give one with its reason"
    restated = _restated(curated, earlier, ids)
    if curated.restates is not None and restated is None:
        return f"{_describe(key)}: restates a figure that no earlier effect of the case links"
    return make_effect(
        case.id,
        len(earlier) + 1,
        item.part,
        ends,
        measure=curated.measure,
        direction=direction,
        baseline=baseline,
        description_en=curated.description_en,
        curated=True,
        relative_change_caveat=curated.relative_change_caveat,
        restates=restated,
    )


def _direction_and_baseline(
    entry: EffectEntry, link: Link | None, ends: list[Metric | None]
) -> tuple[Direction | None, str | None]:
    """An effect's direction, the entry's, else the rules', else its change's; and its baseline, the entry's
    unless the entry clears it, else the rules'."""
    direction = entry.direction or (link.direction if link else None) or _direction_of(ends)
    baseline = None if entry.clear_baseline else entry.baseline or (link.baseline if link else None)
    return direction, baseline


def _restated(entry: EffectEntry, earlier: list[Effect], ids: dict[tuple[str, int], str]) -> str | None:
    """The id of the earlier effect that links the figure ``entry.restates`` names; None when none does."""
    if entry.restates is None:
        return None
    key = (entry.restates, 1) if isinstance(entry.restates, str) else entry.restates.key
    metric_id = ids.get(key)
    return next((effect.id for effect in earlier if metric_id in effect.metric_ids()), None)


def _first_metric(key: _EffectKey, ids: dict[tuple[str, int], str], order: dict[str, int]) -> int:
    """Where an effect sits among the metrics: its first linked metric's position (document order)."""
    return min((order[ids[figure]] for figure in key if figure is not None and figure in ids), default=-1)


def _direction_of(ends: list[Metric | None]) -> Direction | None:
    change = ends[2]
    return change.direction if change is not None else None


def _with_roles(metrics: list[Metric], effects: tuple[Effect, ...]) -> tuple[Metric, ...]:
    """The metrics with the roles the effects give them (``effects.linked_roles``, as the rules' effects give
    theirs), a change with its effect's direction and baseline; a metric no effect links is a level or a rank."""
    roles = linked_roles((effect.before, effect.after, effect.change) for effect in effects)
    changes = {effect.change: effect for effect in effects if effect.change is not None}
    final = []
    for metric in metrics:
        role = roles[metric.id] if metric.id in roles else _unlinked_role(metric)
        change = changes[metric.id] if role is Role.CHANGE else None
        direction, baseline = (change.direction, change.baseline) if change is not None else (None, None)
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
    found_figures, found_effects = _scan_case(case)
    lines = _metric_drafts(found_figures, overlay) + _effect_drafts(found_effects, overlay)
    return "\n".join(lines).lstrip("\n") + ("\n" if lines else "")


def _metric_drafts(found: list[Finding], overlay: CaseOverlay) -> list[str]:
    """A draft entry for each figure and numeral no [[metric]] or [[not_metric]] entry decides."""
    curated = {entry.key for entry in (*overlay.metric, *overlay.not_metric)}
    return [line for finding in found if finding.key not in curated for line in _metric_draft(finding)]


def _metric_draft(finding: Finding) -> list[str]:
    """A [[not_metric]] for a numeral, its reason empty; a [[metric]] for a figure, under its sentence and what
    the rules make of it, its description empty."""
    span, occurrence = finding.key
    figure = finding.figure
    if figure is None:
        lines = ["", "[[not_metric]]", f"span = {_toml_string(span)}"]
    else:
        direction = figure.direction.value if figure.direction else "-"
        lines = [
            "",
            f"# {_place(finding.where, finding.section)}: {figure.sentence}",
            f"# rules: {figure.value:g} {figure.unit.value} {figure.classifier or ''} per={list(figure.per)} "
            f"{figure.qualifier.value} {figure.role.value} {direction} as_of={figure.as_of}",
            "[[metric]]",
            f"span = {_toml_string(span)}",
        ]
    if occurrence > 1:
        lines.append(f"occurrence = {occurrence}")
    lines.append('reason = ""' if figure is None else 'description_en = ""')
    return lines


def _effect_drafts(found: list[RuleEffect], overlay: CaseOverlay) -> list[str]:
    """A draft [[effect]] for each effect the rules find that no entry decides or replaces."""
    decided = {entry.key for entry in (*overlay.effect, *overlay.not_effect)}
    replaced = {figure for entry in overlay.effect if entry.reason for figure in _figures(entry.key)}
    return [
        line
        for effect in found
        if effect.key not in decided and not replaced & _figures(effect.key)
        for line in _effect_draft(effect)
    ]


def _effect_draft(effect: RuleEffect) -> list[str]:
    """An [[effect]] naming the figures the rules link, under the direction and baseline they find."""
    direction = effect.link.direction.value if effect.link.direction else "-"
    place = _place(effect.part.where, effect.part.ordinal)
    lines = ["", f"# {place}: rules: direction {direction}, baseline {effect.link.baseline}", "[[effect]]"]
    lines += [
        f"{name} = {_figure_reference(linked)}"
        for name, linked in zip(("before", "after", "change"), effect.key)
        if linked is not None
    ]
    return [*lines, 'measure = ""', 'description_en = ""']
